"""Settings of the staff console, from the environment."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from bot.directory.db import database_url
from bot.private_files import MIN_SECRET_CHARS, VAR_DIR, load_or_create_secret

SECRET_FILE = VAR_DIR / "session-secret"
log = logging.getLogger(__name__)


class ConsoleConfigError(ValueError):
    """A console setting that cannot be used; the message says what to do."""


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _session_secret(path: Path) -> bytes:
    secret, made = load_or_create_secret(path)
    if made:
        log.warning(
            "HOMEWARD_SESSION_SECRET is not set: made a session secret and kept it in %s. "
            "With more than one gateway, set the same HOMEWARD_SESSION_SECRET on each instead.",
            path,
        )
    return secret.encode("utf-8")


@dataclass(frozen=True)
class ConsoleSettings:
    database_url: str
    session_secret: bytes
    session_hours: float = 12.0  # a ward shift; after this, sign in again
    # Mark the cookie Secure even when the gateway sees plain http (TLS ended by a proxy in front).
    # Requests that arrive over https always get a Secure cookie.
    secure_cookies: bool = False
    # Failed sign-ins per window before a back-off (bot/web/console/ratelimit.py).
    max_failed_sign_ins: int = 5  # one user name from one client address
    max_failed_sign_ins_per_name: int = 20  # one user name from any address
    max_failed_sign_ins_per_address: int = 20  # one client address, any names
    failed_sign_in_window_seconds: float = 15 * 60
    sign_in_backoff_seconds: float = 60.0  # the first wait past a limit; doubles with each failure

    @classmethod
    def from_env(cls, secret_file: Path = SECRET_FILE) -> ConsoleSettings:
        env = os.environ
        raw_secret = env.get("HOMEWARD_SESSION_SECRET", "").strip()
        if raw_secret and len(raw_secret) < MIN_SECRET_CHARS:
            raise ConsoleConfigError(
                f"HOMEWARD_SESSION_SECRET must be at least {MIN_SECRET_CHARS} characters; make one with "
                "`python -c \"import secrets; print(secrets.token_urlsafe(48))\"`."
            )
        secret = raw_secret.encode("utf-8") if raw_secret else _session_secret(secret_file)
        hours = env.get("HOMEWARD_SESSION_HOURS")
        return cls(
            database_url=database_url(),
            session_secret=secret,
            session_hours=float(hours) if hours else cls.session_hours,
            secure_cookies=_truthy(env.get("HOMEWARD_SECURE_COOKIES")),
        )
