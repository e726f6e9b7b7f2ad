"""Handoff settings, from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import timedelta

from bot.directory.db import database_url
from bot.handoff.hours import HelplineHours, parse_hours


def _seconds(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {raw!r}.") from None
    if value <= 0:
        raise ValueError(f"{name} must be more than 0 seconds.")
    return value


@dataclass(frozen=True)
class HandoffSettings:
    database_url: str = field(default_factory=database_url)  # DATABASE_URL: the directory database
    hours: HelplineHours = field(default_factory=HelplineHours)  # HOMEWARD_HELPLINE_HOURS
    # A staff member counts as available while their queue or conversation page has checked in this recently.
    presence_window: timedelta = timedelta(seconds=60)
    # A waiting user is told nobody is free, and returned to the assistant, once no staff have been
    # present (or the helpline has closed) for this long.
    unattended_grace: timedelta = timedelta(seconds=120)

    @classmethod
    def from_env(cls) -> HandoffSettings:
        return cls(
            database_url=database_url(),
            hours=parse_hours(os.environ.get("HOMEWARD_HELPLINE_HOURS")),
            presence_window=timedelta(seconds=_seconds("HOMEWARD_HANDOFF_PRESENCE_SECONDS", 60)),
            unattended_grace=timedelta(seconds=_seconds("HOMEWARD_HANDOFF_GRACE_SECONDS", 120)),
        )


def gateway_url() -> str:
    """Where the action server reaches the gateway: HOMEWARD_GATEWAY_URL, else the local gateway."""
    explicit = os.environ.get("HOMEWARD_GATEWAY_URL")
    if explicit:
        return explicit.rstrip("/")
    host = os.environ.get("HOMEWARD_GATEWAY_HOST", "127.0.0.1")
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{os.environ.get('HOMEWARD_GATEWAY_PORT', '8080')}"


def rasa_timeout_seconds() -> float:
    """How long the gateway waits for Rasa's reply (HOMEWARD_RASA_TIMEOUT_SECONDS, default 30)."""
    return _seconds("HOMEWARD_RASA_TIMEOUT_SECONDS", 30)
