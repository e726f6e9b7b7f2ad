"""A handoff store on a fresh SQLite database (the real migrations), with a clock the test moves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.directory.db import upgrade_database
from bot.handoff.config import HandoffSettings
from bot.handoff.hours import parse_hours
from bot.handoff.service import HandoffService
from bot.handoff.store import HandoffStore, Staff
from bot.handoff.web import open_store

# A Tuesday in November, 10:00 UK time (GMT, so also 10:00 UTC).
TUESDAY_10AM = datetime(2026, 11, 24, 10, 0)
SAM = Staff(1, "Sam Jones")
ALEX = Staff(2, "Alex Smith")
SENDER = "a" * 32


@dataclass
class Clock:
    now: datetime = TUESDAY_10AM

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    upgrade_database(url)
    return url


@pytest.fixture
def store(database_url: str, clock: Clock) -> Iterator[HandoffStore]:
    opened = open_store(database_url)
    opened.clock = clock
    yield opened
    opened.engine.dispose()


def make_service(store: HandoffStore, clock: Clock, hours: str = "Mon-Fri 09:00-17:00", flags=None) -> HandoffService:
    settings = HandoffSettings(database_url="unused", hours=parse_hours(hours))
    return HandoffService(lambda: store, settings, red_flags=flags or (lambda text: None), clock=clock)
