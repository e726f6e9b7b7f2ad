"""Accounts in the directory database, made by migration 0002, on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from bot.accounts.passwords import PasswordError
from bot.accounts.store import AccountError, AccountStore
from bot.directory.db import make_engine, upgrade_database

PG_URL = os.environ.get("HOMEWARD_TEST_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
PASSWORD = "correct horse battery staple"


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'directory.db'}"
        upgrade_database(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
        return
    schema = f"homeward_accounts_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, future=True)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    except OperationalError as error:
        admin.dispose()
        pytest.skip(f"PostgreSQL is not reachable at {PG_URL}: {error.__class__.__name__}")
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    try:
        upgrade_database(url)
        engine = make_engine(url)
        yield engine
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def test_the_migration_makes_the_account_and_audit_tables(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert {"staff_account", "directory_audit", "service"} <= tables
    with engine.connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() >= "0002"


def test_an_account_signs_in_with_its_password_only(engine: Engine) -> None:
    store = AccountStore(engine)
    added = store.add("  Wendy.Ward ", "Wendy Ward", "ward", PASSWORD)
    assert added.username == "wendy.ward" and added.role == "ward" and added.active
    assert store.authenticate("WENDY.WARD", PASSWORD) == added
    assert store.authenticate("wendy.ward", PASSWORD + "!") is None
    assert store.authenticate("nobody", PASSWORD) is None
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM staff_account")).scalar_one()
    assert PASSWORD not in stored


def test_names_roles_and_passwords_are_checked(engine: Engine) -> None:
    store = AccountStore(engine)
    store.add("ada", "Ada Admin", "admin", PASSWORD)
    with pytest.raises(AccountError, match="already an account called ada"):
        store.add("ADA", "Another Ada", "ward", PASSWORD)
    with pytest.raises(AccountError, match="role must be one of"):
        store.add("bob", "Bob", "superuser", PASSWORD)
    with pytest.raises(AccountError, match="user name"):
        store.add("bad name!", "Bad", "ward", PASSWORD)
    with pytest.raises(PasswordError):
        store.add("carol", "Carol", "helpline", "short")
    assert [a.username for a in store.all()] == ["ada"]


def test_disabling_and_new_passwords_end_sessions(engine: Engine) -> None:
    store = AccountStore(engine)
    account = store.add("harry", "Harry Helpline", "helpline", PASSWORD)
    changed = store.set_password("harry", "a brand new password")
    assert changed.session_epoch == account.session_epoch + 1
    assert store.authenticate("harry", PASSWORD) is None
    assert store.authenticate("harry", "a brand new password") is not None
    disabled = store.disable("harry")
    assert not disabled.active and disabled.session_epoch == changed.session_epoch + 1
    assert store.authenticate("harry", "a brand new password") is None
    store.enable("harry")
    assert store.authenticate("harry", "a brand new password") is not None
    store.end_sessions(account.id)
    assert store.get(account.id).session_epoch == disabled.session_epoch + 2
    with pytest.raises(AccountError, match="no account called nobody"):
        store.disable("nobody")
