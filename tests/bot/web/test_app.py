"""The web gateway: validation, relaying to Rasa, security headers, and Rasa being down."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import RASA_WEBHOOK_PATH, Settings
from bot.web.app import MAX_MESSAGE_CHARS, create_app

SENDER = "abcdef0123456789"


@pytest.fixture
async def fake_rasa() -> AsyncIterator[tuple[TestServer, list[dict]]]:
    received: list[dict] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append(body)
        return web.json_response([
            {
                "recipient_id": body["sender"],
                "text": "<b>Hello</b>",
                "buttons": [{"title": "Yes", "payload": "/affirm"}],
            },
            {"recipient_id": body["sender"], "image": "http://example.invalid/x.png"},
        ])

    app = web.Application()
    app.router.add_post(RASA_WEBHOOK_PATH, webhook)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield server, received
    await server.close()


async def _client(settings: Settings) -> TestClient:
    client = TestClient(TestServer(create_app(settings), host="127.0.0.1"))
    await client.start_server()
    return client


async def test_a_message_is_relayed_and_replies_are_returned_as_plain_fields(fake_rasa) -> None:
    server, received = fake_rasa
    client = await _client(Settings(rasa_port=server.port))
    try:
        response = await client.post("/api/chat", json={"sender_id": SENDER, "message": "hello"})
        assert response.status == 200
        data = await response.json()
        assert data["messages"] == [
            {"text": "<b>Hello</b>", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
            {},
        ]
        assert received == [{"sender": SENDER, "message": "hello", "metadata": {"audience": "family"}}]
    finally:
        await client.close()


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"sender_id": SENDER, "message": "  "}, 400, "type a message"),
        ({"sender_id": "x", "message": "hi"}, 400, "sender_id"),
        ({"sender_id": SENDER, "message": 5}, 400, "type a message"),
        ({"sender_id": SENDER, "message": "a" * (MAX_MESSAGE_CHARS + 1)}, 413, "under"),
        (["not", "an", "object"], 400, "JSON object"),
    ],
)
async def test_bad_requests_get_a_clear_message_and_reach_nothing(fake_rasa, body, status, words) -> None:
    server, received = fake_rasa
    client = await _client(Settings(rasa_port=server.port))
    try:
        response = await client.post("/api/chat", json=body)
        assert response.status == status
        assert words in (await response.json())["error"]
        assert received == []
    finally:
        await client.close()


async def test_invalid_json_is_rejected() -> None:
    client = await _client(Settings(rasa_port=1))
    try:
        response = await client.post("/api/chat", data=b"{not json", headers={"Content-Type": "application/json"})
        assert response.status == 400
    finally:
        await client.close()


async def test_when_rasa_is_down_the_user_is_told_what_to_do() -> None:
    client = await _client(Settings(rasa_port=1))  # nothing listens on port 1
    try:
        response = await client.post("/api/chat", json={"sender_id": SENDER, "message": "hello"})
        assert response.status == 503
        text = (await response.json())["messages"][0]["text"]
        assert "isn't available" in text and "NHS 111" in text and "999" in text
    finally:
        await client.close()


async def test_when_rasa_is_down_a_red_flag_still_gets_its_route_first() -> None:
    client = await _client(Settings(rasa_port=1))
    try:
        urgent = await client.post("/api/chat", json={"sender_id": SENDER, "message": "my dad can't breathe"})
        texts = [m["text"] for m in (await urgent.json())["messages"]]
        assert len(texts) == 2 and "999" in texts[0] and "isn't available" in texts[1]
        ordinary = await client.post("/api/chat", json={"sender_id": SENDER, "message": "who pays for care"})
        assert [m["text"] for m in (await ordinary.json())["messages"]] == [texts[1]]
    finally:
        await client.close()


async def test_pages_carry_security_headers() -> None:
    client = await _client(Settings(rasa_port=1))
    try:
        response = await client.get("/")
        assert response.status == 200
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        # The widget script draws the chat (with its role="log" live region, checked in tests/browser) here.
        assert "data-homeward-chat" in await response.text()
    finally:
        await client.close()
