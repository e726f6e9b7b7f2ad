"""Real tracker databases for the privacy tests: a SQLite file, and a PostgreSQL database of their own.

PostgreSQL comes from HOMEWARD_TEST_POSTGRES_URL (default: the local server's ``test``
database); the tests create a fresh database beside it and drop it at the end.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.shared.core.domain import Domain

from bot.privacy.tracker_store import RedactingSQLTrackerStore

ROOT = Path(__file__).resolve().parents[3]
POSTGRES_URL = os.environ.get("HOMEWARD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


@pytest.fixture(scope="session")
def domain() -> Domain:
    return Domain.load(ROOT / "domain.yml")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin = sa.create_engine(POSTGRES_URL, future=True, isolation_level="AUTOCOMMIT")
    name = f"homeward_privacy_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as error:
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} is needed for these tests: {error}")
    yield sa.engine.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    url = request.getfixturevalue("postgres_url")
    yield url
    engine = sa.create_engine(url, future=True)
    with engine.begin() as connection:  # the next test starts with no conversations
        connection.execute(sa.text("DROP TABLE IF EXISTS events"))
    engine.dispose()


@pytest.fixture
async def store(db_url: str, domain: Domain) -> AsyncIterator[RedactingSQLTrackerStore]:
    tracker_store = RedactingSQLTrackerStore(domain=domain, host=db_url)
    yield tracker_store
    tracker_store.engine.dispose()


def stored_rows(db_url: str, sender_id: str | None = None) -> list[str]:
    """The ``data`` column of every stored event, straight from the database."""
    engine = sa.create_engine(db_url, future=True)
    query = sa.text("SELECT data FROM events" + (" WHERE sender_id = :sender" if sender_id else "") + " ORDER BY id")
    with engine.connect() as connection:
        rows = list(connection.execute(query, {"sender": sender_id}).scalars())
    engine.dispose()
    return rows
