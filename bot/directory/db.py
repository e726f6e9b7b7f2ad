"""Where the directory database is, and bringing its schema up to date.

SQLite ``var/directory.db`` by default (no set-up); PostgreSQL or another file through the
``DATABASE_URL`` environment variable, e.g. ``postgresql+psycopg2://user@host:5432/homeward``.
The schema is managed by the Alembic migrations in ``migrations/``.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.pool import QueuePool

from bot.private_files import make_private_dir, make_private_file

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_PATH = REPO_ROOT / "var" / "directory.db"
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: an explicit one, else ``DATABASE_URL``, else the default SQLite file."""
    url = explicit or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_PATH}"
    # Heroku-style "postgres://" and driverless "postgresql://" URLs mean psycopg2 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg2://" + url[len("postgresql://") :]
    return url


def _prepare_sqlite_file(url: str) -> None:
    """The database file made before SQLite does, so it starts private: it holds staff password hashes."""
    database = make_url(url).database
    if database and database != ":memory:":
        path = Path(database)
        if not path.parent.exists():
            make_private_dir(path.parent)
        make_private_file(path)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def make_engine(url: str | None = None) -> Engine:
    url = database_url(url)
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        database = make_url(url).database
        # A pool of open connections to a file (SQLAlchemy 1.4 would reopen it for every session).
        pool = {"poolclass": QueuePool} if database and database != ":memory:" else {}
        # The gateway and action server use the engine from worker threads (asyncio.to_thread); the
        # pool lends each connection to one thread at a time, so sqlite3's same-thread check must go.
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False}, **pool)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def alembic_config(url: str) -> Config:
    """Alembic configuration without an alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats "%" as interpolation; URL-encoded options contain it.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_database(url: str | None = None, revision: str = "head") -> None:
    """Creates or upgrades the directory schema at ``url``."""
    url = database_url(url)
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
    command.upgrade(alembic_config(url), revision)
