"""Helpline opening hours from HOMEWARD_HELPLINE_HOURS, e.g. "Mon-Fri 09:00-17:00; Sat 10:00-13:00".

Times are UK local time (Europe/London, so the clocks changing is handled). With no hours
configured the helpline is never open: we never assume hours nobody has told us.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PERIOD = re.compile(
    r"^(?P<first>[a-z]{3})(?:\s*-\s*(?P<last>[a-z]{3}))?\s+"
    r"(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$"
)


class HoursError(ValueError):
    """HOMEWARD_HELPLINE_HOURS could not be read; the message says how to write it."""


@dataclass(frozen=True)
class Period:
    days: tuple[int, ...]  # 0 = Monday
    start: time
    end: time

    def covers(self, local: datetime) -> bool:
        return local.weekday() in self.days and self.start <= local.time() < self.end

    def describe(self) -> str:
        first, last = DAY_NAMES[self.days[0]], DAY_NAMES[self.days[-1]]
        days = first if first == last else f"{first} to {last}"
        return f"{days}, {self.start:%H:%M} to {self.end:%H:%M}"


@dataclass(frozen=True)
class HelplineHours:
    periods: tuple[Period, ...] = ()

    @property
    def configured(self) -> bool:
        return bool(self.periods)

    def is_open(self, now: datetime) -> bool:
        """`now` is an aware datetime, or naive UTC."""
        aware = now if now.tzinfo else now.replace(tzinfo=timezone.utc)
        local = aware.astimezone(UK)
        return any(period.covers(local) for period in self.periods)

    def describe(self) -> str:
        """'Monday to Friday, 09:00 to 17:00; Saturday, 10:00 to 13:00' (UK time)."""
        return "; ".join(period.describe() for period in self.periods)


def _time(text: str, raw: str) -> time:
    hours, minutes = (int(part) for part in text.split(":"))
    if hours == 24 and minutes == 0:
        return time.max
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise HoursError(f"HOMEWARD_HELPLINE_HOURS: {text!r} in {raw!r} is not a time of day (use 09:00).")
    return time(hours, minutes)


def _period(part: str, raw: str) -> Period:
    match = _PERIOD.match(part.strip().lower())
    if not match:
        raise HoursError(
            f"HOMEWARD_HELPLINE_HOURS: can't read {part.strip()!r}. Write days and times like "
            "'Mon-Fri 09:00-17:00', several separated by ';', e.g. 'Mon-Fri 09:00-17:00; Sat 10:00-13:00'."
        )
    first, last = match["first"], match["last"] or match["first"]
    if first not in DAYS or last not in DAYS:
        raise HoursError(f"HOMEWARD_HELPLINE_HOURS: days are written Mon, Tue, Wed, Thu, Fri, Sat, Sun ({raw!r}).")
    start, end = _time(match["start"], raw), _time(match["end"], raw)
    if end <= start:
        raise HoursError(f"HOMEWARD_HELPLINE_HOURS: {part.strip()!r} ends before it starts.")
    lo, hi = DAYS.index(first), DAYS.index(last)
    if hi < lo:
        raise HoursError(f"HOMEWARD_HELPLINE_HOURS: {part.strip()!r}: write the days in order, e.g. Mon-Fri.")
    return Period(tuple(range(lo, hi + 1)), start, end)


def parse_hours(raw: str | None) -> HelplineHours:
    if not raw or not raw.strip():
        return HelplineHours()
    return HelplineHours(tuple(_period(part, raw) for part in raw.split(";") if part.strip()))
