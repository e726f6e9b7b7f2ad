"""Helpline hours: read from HOMEWARD_HELPLINE_HOURS, in UK time, never assumed."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.handoff.hours import HoursError, parse_hours


def test_weekday_office_hours_are_open_on_a_tuesday_morning_and_closed_at_the_weekend() -> None:
    hours = parse_hours("Mon-Fri 09:00-17:00")
    assert hours.is_open(datetime(2026, 11, 24, 9, 0))  # Tuesday
    assert not hours.is_open(datetime(2026, 11, 24, 17, 0))  # closing time itself is closed
    assert not hours.is_open(datetime(2026, 11, 24, 8, 59))
    assert not hours.is_open(datetime(2026, 11, 28, 12, 0))  # Saturday
    assert hours.describe() == "Monday to Friday, 09:00 to 17:00"


def test_hours_are_uk_time_so_british_summer_time_is_handled() -> None:
    hours = parse_hours("Mon-Fri 09:00-17:00")
    # 1 July 2026 is a Wednesday; 08:30 UTC is 09:30 in London (BST).
    assert hours.is_open(datetime(2026, 7, 1, 8, 30, tzinfo=timezone.utc))
    assert not hours.is_open(datetime(2026, 7, 1, 16, 30, tzinfo=timezone.utc))  # 17:30 BST


def test_several_periods_and_a_single_day() -> None:
    hours = parse_hours("Mon-Fri 09:00-17:00; Sat 10:00-13:00")
    assert hours.is_open(datetime(2026, 11, 28, 11, 0))
    assert not hours.is_open(datetime(2026, 11, 29, 11, 0))  # Sunday
    assert hours.describe() == "Monday to Friday, 09:00 to 17:00; Saturday, 10:00 to 13:00"


def test_no_hours_configured_means_never_open() -> None:
    hours = parse_hours(None)
    assert not hours.configured
    assert not hours.is_open(datetime(2026, 11, 24, 12, 0))


@pytest.mark.parametrize("raw", ["Mon-Fri 9-5", "Weekdays 09:00-17:00", "Mon-Fri 17:00-09:00", "Fri-Mon 09:00-17:00",
                                 "Mon 25:00-26:00"])
def test_unreadable_hours_are_refused_with_a_message_saying_how_to_write_them(raw: str) -> None:
    with pytest.raises(HoursError, match="HOMEWARD_HELPLINE_HOURS"):
        parse_hours(raw)
