"""A gateway with the staff console on a small seeded directory (SQLite in a temporary folder),
three accounts (ward, helpline, admin) and the fake Rasa from tests/bot/web/conftest.py."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator, Awaitable, Callable
from html import unescape
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.accounts.store import AccountStore
from bot.directory.db import make_engine, upgrade_database
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import seed_database
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.config import WebSettings
from bot.web.console.config import ConsoleSettings
from tests.bot.web.conftest import TOKEN, Rasa

SMALL_SEED = Path(__file__).resolve().parents[2] / "directory" / "fixtures" / "seed_small.yml"
PASSWORD = "correct horse battery staple"
USERS = {"ward": "wendy.ward", "helpline": "harry.helpline", "admin": "ada.admin"}
SECRET = b"test-secret-that-is-long-enough-0123456789"

SignIn = Callable[..., Awaitable[TestClient]]


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrated, seeded, with accounts: made once (scrypt and migrations are slow), copied for each test."""
    path = tmp_path_factory.mktemp("console-template") / "directory.db"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    repository = DirectoryRepository(url)
    assert seed_database(repository, SMALL_SEED).stored == 5
    repository.close()
    engine = make_engine(url)
    store = AccountStore(engine)
    for role, username in USERS.items():
        store.add(username, username.split(".")[0].title() + " Test", role, PASSWORD)
    engine.dispose()
    return path


@pytest.fixture
def console_url(template_database: Path, tmp_path: Path) -> str:
    path = tmp_path / "directory.db"
    shutil.copyfile(template_database, path)
    return f"sqlite:///{path}"


@pytest.fixture
def console_settings(console_url: str) -> ConsoleSettings:
    return ConsoleSettings(database_url=console_url, session_secret=SECRET)


@pytest.fixture
async def make_client(
    rasa: Rasa, tmp_path: Path, console_settings: ConsoleSettings
) -> AsyncIterator[Callable[..., Awaitable[TestClient]]]:
    clients: list[TestClient] = []

    async def make(settings: ConsoleSettings = console_settings, web_settings: WebSettings | None = None) -> TestClient:
        app = create_app(
            Settings(rasa_port=rasa.server.port, rasa_auth_token=TOKEN),
            web_settings or WebSettings(feedback_path=tmp_path / "feedback.jsonl"),
            settings,
        )
        client = TestClient(TestServer(app, host="127.0.0.1"))
        await client.start_server()
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.close()


@pytest.fixture
async def client(make_client) -> TestClient:
    return await make_client()


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has a CSRF token field"
    return unescape(match.group(1))


async def sign_in_as(client: TestClient, username: str, password: str = PASSWORD, next_path: str = ""):
    page = await client.get("/console/sign-in")
    token = csrf_from(await page.text())
    return await client.post(
        "/console/sign-in",
        data={"csrf_token": token, "username": username, "password": password, "next": next_path},
        allow_redirects=False,
    )


@pytest.fixture
def signed_in(client: TestClient) -> SignIn:
    """``await signed_in("admin")``: the client, signed in with that role's account."""

    async def sign_in(role: str) -> TestClient:
        response = await sign_in_as(client, USERS[role])
        assert response.status == 303, await response.text()
        return client

    return sign_in


async def page_token(client: TestClient, path: str) -> tuple[str, str]:
    """(page HTML, its CSRF token)."""
    response = await client.get(path)
    assert response.status == 200, await response.text()
    html = await response.text()
    return html, csrf_from(html)
