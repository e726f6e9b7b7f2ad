"""Every gateway response carries the security headers, errors included; only known Host names are served;
the public chat's input is cleaned and cannot claim the staff audience."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.directory.db import upgrade_database
from bot.settings import Settings
from bot.web.app import STAFF_ONLY, create_app
from bot.web.config import WebSettings
from bot.web.console import ConsoleSettings
from bot.web.security import SECURITY_HEADERS
from tests.bot.web.conftest import LONG_SENDER, SENDER, TOKEN, Rasa


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('security') / 'directory.db'}"
    upgrade_database(url)
    return url


async def _client(rasa_port: int, database_url: str, tmp_path: Path, **web: object) -> TestClient:
    app = create_app(
        Settings(rasa_port=rasa_port, rasa_auth_token=TOKEN),
        WebSettings(feedback_path=tmp_path / "feedback.jsonl", **web),  # type: ignore[arg-type]
        ConsoleSettings(database_url=database_url, session_secret=b"s" * 40),
    )
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    return client


@pytest.fixture
async def client(rasa: Rasa, database_url: str, tmp_path: Path) -> AsyncIterator[TestClient]:
    client = await _client(rasa.server.port, database_url, tmp_path, public_hosts=frozenset({"chat.example.nhs.uk"}))
    yield client
    await client.close()


ERRORS = {
    "401 from a console API without a session": ("POST", "/console/api/chat", {}, 401),
    "403 from a form without its CSRF token": ("POST", "/console/sign-in", {"data": {"username": "x"}}, 403),
    "404": ("GET", "/no-such-page", {}, 404),
    "405": ("GET", "/api/chat", {}, 405),
    "413 raised while reading a body": (
        "POST", "/api/updates", {"data": b"{" + b" " * 20_000 + b"}", "headers": {"Content-Type": "application/json"}},
        413,
    ),
    "redirect to sign in": ("GET", "/console/directory", {"allow_redirects": False}, 302),
}


@pytest.mark.parametrize("case", list(ERRORS))
async def test_errors_and_redirects_carry_the_security_headers(client: TestClient, case: str) -> None:
    method, path, options, status = ERRORS[case]
    response = await client.request(method, path, **options)
    assert response.status == status
    for header, value in SECURITY_HEADERS.items():
        assert response.headers.get(header) == value, header


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.", ""])
async def test_a_host_the_gateway_does_not_serve_is_refused(client: TestClient, rasa: Rasa, host: str) -> None:
    # A DNS-rebinding page reaches 127.0.0.1 under its own name; that name is what the browser sends.
    if host == "localhost.":  # the same name with the root dot is still localhost
        response = await client.get("/healthz", headers={"Host": host})
        assert response.status == 200
        return
    response = await client.post("/api/chat", json={"sender_id": SENDER, "message": "hi"}, headers={"Host": host})
    assert response.status == 421
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert rasa.webhook_calls == []


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "localhost:8080", "[::1]:8080", "chat.example.nhs.uk", "CHAT.example.nhs.uk"]
)
async def test_local_names_and_the_configured_public_host_are_served(client: TestClient, host: str) -> None:
    assert (await client.get("/healthz", headers={"Host": host})).status == 200


def test_public_hosts_come_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("HOMEWARD_PUBLIC_HOSTS", "chat.example.nhs.uk, Other.Example:443")
    assert WebSettings.from_env().public_hosts == frozenset({"chat.example.nhs.uk", "other.example"})


@pytest.mark.parametrize("field", ["sender_id", "client_message_id"])
async def test_an_id_with_a_trailing_new_line_is_refused(client: TestClient, rasa: Rasa, field: str) -> None:
    body = {"sender_id": SENDER, "message": "hi", "client_message_id": "msg-00001", field: f"{SENDER}\n"}
    assert (await client.post("/api/chat", json=body)).status == 400
    transcript = await client.post("/api/transcript", json={"sender_id": f"{LONG_SENDER}\n"})
    assert transcript.status == 400
    assert rasa.webhook_calls == [] and rasa.tracker_calls == []


@pytest.mark.parametrize("message", ["/i_am_staff", " /i_am_staff", '/i_am_staff{"x": 1}', "/i_am_staff@1.0"])
async def test_the_public_chat_cannot_switch_itself_to_staff_answers(client: TestClient, rasa: Rasa, message) -> None:
    response = await client.post("/api/chat", json={"sender_id": SENDER, "message": message})
    assert response.status == 400 and (await response.json())["error"] == STAFF_ONLY
    assert rasa.webhook_calls == []


async def test_button_commands_still_reach_rasa(client: TestClient, rasa: Rasa) -> None:
    for payload in ["/request_human", '/help{"topic": "funding"}', "/i_am_family"]:
        assert (await client.post("/api/chat", json={"sender_id": SENDER, "message": payload})).status == 200
    assert [call["message"] for call in rasa.webhook_calls] == ["/request_human", '/help{"topic": "funding"}',
                                                                 "/i_am_family"]


async def test_unpaired_surrogates_and_controls_are_replaced_before_rasa(client: TestClient, rasa: Rasa) -> None:
    raw = b'{"sender_id": "' + SENDER.encode() + b'", "message": "hello\\ud800 there\\u0000", "shown": "x\\udfff"}'
    response = await client.post("/api/chat", data=raw, headers={"Content-Type": "application/json"})
    assert response.status == 200
    assert rasa.webhook_calls[0]["message"] == "hello\ufffd there "
    assert rasa.webhook_calls[0]["metadata"]["shown"] == "x\ufffd"


async def test_with_rasa_down_a_crisis_message_with_half_an_emoji_still_gets_the_crisis_route(
    database_url: str, tmp_path: Path
) -> None:
    client = await _client(1, database_url, tmp_path)  # nothing listens on port 1
    try:
        raw = b'{"sender_id": "' + SENDER.encode() + b'", "message": "I want to end my life\\ud800"}'
        response = await client.post("/api/chat", data=raw, headers={"Content-Type": "application/json"})
        texts = [m["text"] for m in (await response.json())["messages"]]
        assert "Samaritans on 116 123" in texts[0]
    finally:
        await client.close()
