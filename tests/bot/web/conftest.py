"""A fake Rasa for the gateway's tests: records what it got, answers with scripted replies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import CHANNEL_TOKEN_HEADER, RASA_WEBHOOK_PATH, Settings, channel_headers
from bot.web.app import create_app
from bot.web.config import WebSettings

SENDER = "abcdef0123456789"
LONG_SENDER = "0123456789abcdef0123456789abcdef"
TOKEN = "secret-token"


@dataclass
class Rasa:
    server: TestServer
    webhook_calls: list[dict[str, Any]] = field(default_factory=list)
    tracker_calls: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
async def rasa() -> AsyncIterator[Rasa]:
    state: dict[str, Rasa] = {}

    async def webhook(request: web.Request) -> web.Response:
        if request.headers.get(CHANNEL_TOKEN_HEADER) != channel_headers(TOKEN)[CHANNEL_TOKEN_HEADER]:
            return web.json_response({"error": "Missing or wrong token."}, status=401)  # as bot/rasa_channel.py
        body = await request.json()
        state["rasa"].webhook_calls.append(body)
        return web.json_response([{"recipient_id": body["sender"], "text": f"You said {body['message']}"}])

    async def tracker(request: web.Request) -> web.Response:
        state["rasa"].tracker_calls.append({"sender": request.match_info["sender"], "query": dict(request.query)})
        if request.query.get("token") != TOKEN:
            return web.json_response({"message": "User is not authenticated."}, status=401)
        return web.json_response({"events": state["rasa"].events})

    app = web.Application()
    app.router.add_post(RASA_WEBHOOK_PATH, webhook)
    app.router.add_get("/conversations/{sender}/tracker", tracker)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    state["rasa"] = Rasa(server=server)
    yield state["rasa"]
    await server.close()


@pytest.fixture
async def gateway(rasa: Rasa, tmp_path) -> AsyncIterator[TestClient]:
    web_settings = WebSettings(
        allowed_origins=frozenset({"https://council.example"}), feedback_path=tmp_path / "feedback.jsonl"
    )
    client = TestClient(TestServer(create_app(Settings(rasa_port=rasa.server.port, rasa_auth_token=TOKEN),
                                              web_settings), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()
