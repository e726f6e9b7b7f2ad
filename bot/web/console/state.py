"""What the console keeps on the aiohttp application: settings, the database, the sign-in limiter.

Built on first use, not when the app is made: the public chat's tests and pages never touch the
directory database or the session secret.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from sqlalchemy.engine import Engine

from bot.accounts.store import AccountStore
from bot.directory.db import make_engine, upgrade_database
from bot.directory.repository import DirectoryRepository
from bot.web.console.config import ConsoleSettings
from bot.web.console.ratelimit import SignInLimiter

log = logging.getLogger(__name__)


@dataclass
class Console:
    settings: ConsoleSettings
    engine: Engine
    accounts: AccountStore
    directory: DirectoryRepository
    limiter: SignInLimiter

    @classmethod
    def open(cls, settings: ConsoleSettings) -> Console:
        # Same rule as the directory commands: bring the schema up to date before using it.
        upgrade_database(settings.database_url)
        engine = make_engine(settings.database_url)
        return cls(
            settings=settings,
            engine=engine,
            accounts=AccountStore(engine),
            directory=DirectoryRepository(engine=engine),
            limiter=SignInLimiter(
                settings.max_failed_sign_ins,
                settings.max_failed_sign_ins_per_name,
                settings.max_failed_sign_ins_per_address,
                settings.failed_sign_in_window_seconds,
                backoff_seconds=settings.sign_in_backoff_seconds,
            ),
        )


class ConsoleHolder:
    """The console's state, opened the first time a request needs it."""

    def __init__(self, settings: ConsoleSettings | None) -> None:
        self._settings = settings
        self._console: Console | None = None

    def get(self) -> Console:
        if self._console is None:
            settings = self._settings or ConsoleSettings.from_env()
            self._console = Console.open(settings)
            log.info("Staff console ready (accounts and audit in the directory database).")
        return self._console

    def close(self) -> None:
        if self._console is not None:
            self._console.engine.dispose()
            self._console = None


CONSOLE_KEY = web.AppKey("console", ConsoleHolder)


def console_of(request: web.Request) -> Console:
    return request.app[CONSOLE_KEY].get()
