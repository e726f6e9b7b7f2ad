"""The directory database goes down mid-conversation: the user is told, the chat goes on, search comes back.

Real processes (action server, Rasa, gateway on ports 45055/45005/48080) with the directory and the
handoff tables in a PostgreSQL database of their own. Mid-test the database refuses connections
(`ALLOW_CONNECTIONS false` and its sessions ended), which is what the processes see when PostgreSQL
is down; then it is let back in.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import replace

import pytest
import sqlalchemy as sa

from bot.privacy.logging import write_logging_config
from bot.runner import services, write_endpoints
from bot.settings import Settings
from tests.integration.test_failures import ROOT, Stack, text_of
from tests.integration.test_failures import chat as gateway_chat

pytestmark = pytest.mark.stack

# Tokens made for this run: the services get them in their environment (settings.service_env()).
SETTINGS = Settings(rasa_port=45005, action_port=45055, gateway_port=48080,
                    rasa_auth_token=secrets.token_urlsafe(32), action_token=secrets.token_urlsafe(32))
GATEWAY = f"http://127.0.0.1:{SETTINGS.gateway_port}"
SERVER = os.environ.get("HOMEWARD_TEST_PG_SERVER", "postgresql+psycopg2://postgres@127.0.0.1:5432")
SEARCH = "is there anyone who can help with equipment in Poole"
DIRECTORY_DOWN = "can't search the directory just now"


def _admin() -> sa.engine.Engine:
    return sa.create_engine(f"{SERVER}/postgres", future=True, isolation_level="AUTOCOMMIT")


def _let_in(database: str, allowed: bool) -> None:
    engine = _admin()
    with engine.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS {str(allowed).lower()}')
        if not allowed:
            connection.execute(
                sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": database}
            )
    engine.dispose()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Stack, str]]:
    if not (ROOT / "models" / "homeward.tar.gz").exists():
        pytest.fail("No trained model: run ./scripts/test (it trains one) or ./scripts/start first.")
    database = f"homeward_dbdown_{uuid.uuid4().hex[:10]}"
    engine = _admin()
    with engine.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{database}"')
    engine.dispose()
    url = f"{SERVER}/{database}"
    work = tmp_path_factory.mktemp("database-down")
    settings = replace(SETTINGS, tracker_db_url=f"sqlite:///{work / 'tracker.db'}")
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3",
        "HOMEWARD_GATEWAY_PORT": str(settings.gateway_port), "HOMEWARD_RASA_PORT": str(settings.rasa_port),
        "HOMEWARD_ACTION_PORT": str(settings.action_port), "DATABASE_URL": url,
        "HOMEWARD_SESSION_SECRET": "database-down-test-secret-" + "x" * 32,
    }
    env.update(settings.service_env())
    for command in ("migrate", "seed"):
        subprocess.run([sys.executable, "-m", "bot", "directory", command], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    endpoints = write_endpoints(settings, work / "endpoints.yml")
    running = Stack({s.name: s for s in services(settings, endpoints, write_logging_config(work / "l.yml"))}, env)
    try:
        for name in ("action server", "Rasa", "web gateway"):
            running.start(name)
        yield running, database
    finally:
        for name in running.by_name:
            running.kill(name)
        _let_in(database, False)
        engine = _admin()
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{database}"')
        engine.dispose()


def chat(sender: str, message: str) -> tuple[int, dict]:
    return gateway_chat(sender, message, GATEWAY)


def test_with_the_directory_database_down_the_user_is_told_and_search_comes_back(stack) -> None:
    _, database = stack
    sender = uuid.uuid4().hex
    status, body = chat(sender, SEARCH)
    assert status == 200 and "found" in text_of(body) and any(m.get("buttons") for m in body["messages"])
    _let_in(database, False)
    try:
        status, body = chat(uuid.uuid4().hex, SEARCH)
        assert status == 200 and DIRECTORY_DOWN in text_of(body), "a helpful message, never silence"
        assert "Traceback" not in json.dumps(body)
        # Questions that need no database are still answered.
        status, body = chat(sender, "what does pathway 1 mean")
        assert status == 200 and "Source: " in text_of(body)
    finally:
        _let_in(database, True)
    status, body = chat(uuid.uuid4().hex, SEARCH)
    assert status == 200 and "found" in text_of(body)
