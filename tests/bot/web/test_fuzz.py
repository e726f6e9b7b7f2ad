"""Fuzzing the gateway's public API: whatever a client posts, a calm 4xx or an answer, never a crash (issue 5).

Every POST /api/* route gets arbitrary JSON, wrong types, HTML and script payloads, huge strings, bytes
that are not UTF-8 and wrong content types, with a fake Rasa behind the gateway and a real (SQLite)
handoff database. Each response must be below 500, JSON whenever it says so (never HTML), and a
refused request must not have reached Rasa.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.directory.db import upgrade_database
from bot.settings import Settings
from bot.text_input import clean_text
from bot.web.app import MAX_BODY_BYTES, create_app
from bot.web.config import WebSettings
from bot.web.console import ConsoleSettings
from tests.bot.web.conftest import LONG_SENDER, SENDER, TOKEN, Rasa
from tests.hostile_text import hostile_text

PUBLIC_POST_ROUTES = ["/api/chat", "/api/feedback", "/api/transcript", "/api/updates", "/api/handoff/leave"]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "<b>bold</b>\u202e\u0000",
    "{{7*7}}${7*7}",
    "'; DROP TABLE handoffs; --",
]
FIELDS = ["sender_id", "message", "client_message_id", "shown", "message_id", "helpful", "after"]

texts = st.one_of(
    st.text(max_size=80),
    hostile_text,
    st.sampled_from(HTML_PAYLOADS),
    st.sampled_from([SENDER, LONG_SENDER, "m-1", "/request_human"]),
    st.builds(lambda s, n: s * n, st.sampled_from(["<script>", "a", "é"]), st.sampled_from([300, 2001, 6000])),
)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts
)
json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
# Mostly objects with the fields the routes look for, each holding anything (often the right type).
bodies = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=len(FIELDS)),
    st.fixed_dictionaries(
        {"sender_id": st.sampled_from([SENDER, LONG_SENDER])},
        optional={"message": texts, "shown": texts, "client_message_id": texts, "message_id": texts,
                  "helpful": scalars, "after": scalars},
    ),
    json_values,
)
CONTENT_TYPES = [
    "application/json", "application/json; charset=utf-8", "text/plain", "text/html",
    "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/octet-stream",
]
raw_bodies = st.one_of(
    st.binary(max_size=300),
    st.sampled_from([b"\xff\xfe\x00{", b'{"sender_id": "\xc3\x28"}', b"\xed\xa0\x80", b"", b"null", b"{" * 50]),
)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'directory.db'}"
    upgrade_database(url)
    return url


@pytest.fixture
async def gateway(rasa: Rasa, database_url: str, tmp_path: Path) -> AsyncIterator[TestClient]:
    app = create_app(
        Settings(rasa_port=rasa.server.port, rasa_auth_token=TOKEN),
        WebSettings(feedback_path=tmp_path / "feedback.jsonl"),
        ConsoleSettings(database_url=database_url, session_secret=b"f" * 40),
    )
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


def _calls(rasa: Rasa) -> int:
    return len(rasa.webhook_calls) + len(rasa.tracker_calls)


def _strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings_in(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key, *_strings_in(item)]]
    return []


async def _post_and_check(gateway: TestClient, rasa: Rasa, route: str, data: bytes, content_type: str) -> str:
    """Posts; checks the properties every response must have; returns the response text."""
    before = _calls(rasa)
    response = await gateway.post(route, data=data, headers={"Content-Type": content_type})
    text = await response.text()
    assert response.status < 500, (route, response.status, text[:200])
    assert "html" not in response.content_type  # nothing a browser would render as a page
    if response.content_type == "application/json":
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        parsed = json.loads(text)  # well formed
        if response.status >= 400:
            assert isinstance(parsed, dict) and isinstance(parsed.get("error"), str)
    if 400 <= response.status < 500:
        assert _calls(rasa) == before, "a refused request reached Rasa"
    return text


def test_the_fuzzed_routes_are_every_public_post_route(gateway: TestClient) -> None:
    routes = {
        route.resource.canonical for route in gateway.server.app.router.routes()
        if route.method == "POST" and route.resource is not None and route.resource.canonical.startswith("/api/")
    }
    assert routes == set(PUBLIC_POST_ROUTES)


@pytest.mark.parametrize("route", PUBLIC_POST_ROUTES)
@FUZZ
@given(body=bodies)
async def test_any_json_body_gets_a_calm_answer(gateway: TestClient, rasa: Rasa, route: str, body: Any) -> None:
    data = json.dumps(body).encode()
    # Over the size limit the gateway answers 413 before reading, and the client may see the
    # connection reset while still sending: that case has its own test below.
    assume(len(data) <= MAX_BODY_BYTES)
    text = await _post_and_check(gateway, rasa, route, data, "application/json")
    if '"error"' in text:  # an error never repeats what was sent (so it can't carry a script back)
        for sent in _strings_in(body):
            if "<" in sent and len(sent) > 3:
                assert sent not in text


@pytest.mark.parametrize("route", PUBLIC_POST_ROUTES)
@FUZZ
@given(data=raw_bodies, content_type=st.sampled_from(CONTENT_TYPES))
async def test_any_bytes_with_any_content_type_get_a_calm_answer(
    gateway: TestClient, rasa: Rasa, route: str, data: bytes, content_type: str
) -> None:
    await _post_and_check(gateway, rasa, route, data, content_type)


@pytest.mark.parametrize("route", PUBLIC_POST_ROUTES)
async def test_a_body_over_the_size_limit_is_refused(gateway: TestClient, rasa: Rasa, route: str) -> None:
    body = json.dumps({"sender_id": LONG_SENDER, "message": "<script>" * 3000}).encode()
    await _post_and_check(gateway, rasa, route, body, "application/json")
    assert _calls(rasa) == 0


async def test_a_script_in_a_message_comes_back_only_as_json_text(gateway: TestClient, rasa: Rasa) -> None:
    payload = "<script>alert(1)</script>"
    response = await gateway.post("/api/chat", json={"sender_id": SENDER, "message": payload})
    assert response.status == 200 and response.content_type == "application/json"
    # The fake Rasa echoes the message; the page shows reply fields as text, never as HTML.
    assert (await response.json())["messages"] == [{"text": f"You said {payload}"}]


# Bodies that crashed the JSON parsing (500) before the fix in bot/web/app.py `_json_body`.
NASTY = {
    "unknown charset": (b'{"sender_id": "abcdef0123456789"}', "application/json; charset=klingon"),
    "nested too deep": (b"[" * 5000, "application/json"),
}
@pytest.mark.parametrize("case", list(NASTY))
@pytest.mark.parametrize("route", PUBLIC_POST_ROUTES)
async def test_unreadable_json_is_a_calm_400(gateway: TestClient, rasa: Rasa, route: str, case: str) -> None:
    data, content_type = NASTY[case]
    response = await gateway.post(route, data=data, headers={"Content-Type": content_type})
    assert response.status == 400
    assert "not valid JSON" in (await response.json())["error"]
    assert _calls(rasa) == 0


@FUZZ
@given(before=hostile_text, after=hostile_text)
async def test_rasa_only_ever_gets_text_it_can_encode(gateway: TestClient, rasa: Rasa, before: str, after: str) -> None:
    # json.dumps writes an unpaired surrogate as the escape "\\udXXX", as a browser's JSON.stringify does.
    message = f"{before}hello{after}"
    response = await gateway.post("/api/chat", data=json.dumps({"sender_id": SENDER, "message": message}),
                                  headers={"Content-Type": "application/json"})
    assert response.status == 200
    sent = rasa.webhook_calls[-1]["message"]
    sent.encode("utf-8")  # no unpaired surrogate left: spaCy, SQL and the logs can all take it
    assert sent == clean_text(message) and not any(ord(c) < 0x20 and c not in "\t\n\r" for c in sent)
