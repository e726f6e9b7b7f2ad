"""Every directory test that takes ``database_url`` or ``repository`` runs on SQLite and PostgreSQL.

PostgreSQL tests use a schema named uniquely for this test session, emptied before each test
and dropped at the end, so they never meet other runs' tables. Set HOMEWARD_TEST_PG_URL to
use another server; the PostgreSQL half is skipped if none is reachable.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.directory.db import upgrade_database
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import seed_database

PG_URL = os.environ.get("HOMEWARD_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
FIXTURES = Path(__file__).parent / "fixtures"
SMALL_SEED = FIXTURES / "seed_small.yml"


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[tuple[Engine, str]]:
    schema = f"homeward_directory_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_URL, future=True)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except OperationalError as error:
        engine.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: {error.__class__.__name__}")
    yield engine, schema
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables yet."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'directory.db'}"
    engine, schema = request.getfixturevalue("pg_schema")
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture
def database_url(empty_database_url: str) -> str:
    upgrade_database(empty_database_url)
    return empty_database_url


@pytest.fixture
def repository(database_url: str) -> Iterator[DirectoryRepository]:
    repository = DirectoryRepository(database_url)
    yield repository
    repository.close()


@pytest.fixture
def seeded(repository: DirectoryRepository) -> DirectoryRepository:
    result = seed_database(repository, SMALL_SEED)
    assert result.problems == [] and result.stored == 5
    return repository
