"""A conversation Rasa's circuit breaker left unable to answer is freed by the gateway, and answered."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import RASA_WEBHOOK_PATH, Settings
from bot.web.app import create_app
from bot.web.config import WebSettings
from bot.web.replies import transcript_from_tracker
from bot.web.stuck import RECOVERED_NOTICE, is_stuck
from tests.bot.web.conftest import SENDER, TOKEN

STUCK_TURN = [{"event": "user", "text": "ok"}] + [{"event": "action", "name": "action_offer_topics"}] * 10


def test_ten_actions_without_listening_is_stuck_even_across_user_messages() -> None:
    assert is_stuck({"events": [*STUCK_TURN, {"event": "user", "text": "hello"}]})
    assert not is_stuck({"events": [*STUCK_TURN[:-1], {"event": "action", "name": "action_listen"}]})
    assert not is_stuck({"events": []}) and not is_stuck(None)


def test_a_message_taken_back_leaves_the_transcript() -> None:
    events = [{"event": "user", "text": "hello"}, {"event": "action", "name": "action_small_talk"},
              {"event": "bot", "text": "Hi"}, {"event": "user", "text": "stuck message"}, {"event": "rewind"},
              {"event": "user", "text": "stuck message"}]
    assert [t["text"] for t in transcript_from_tracker({"events": events})] == ["hello", "Hi", "stuck message"]


@pytest.fixture
async def stuck_gateway(tmp_path) -> AsyncIterator[tuple[TestClient, dict[str, Any]]]:
    """A fake Rasa whose conversation is stuck until the gateway appends the events that end the turn."""
    state: dict[str, Any] = {"events": list(STUCK_TURN), "appended": []}

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        state["events"].append({"event": "user", "text": body["message"]})
        if is_stuck({"events": state["events"]}):
            return web.json_response([])  # what Rasa does after its circuit breaker: nothing
        return web.json_response([{"recipient_id": body["sender"], "text": "The answer."}])

    async def tracker(request: web.Request) -> web.Response:
        return web.json_response({"events": state["events"]})

    async def append(request: web.Request) -> web.Response:
        assert request.query.get("token") == TOKEN
        events = await request.json()
        state["appended"].extend(events)
        state["events"].extend(events)
        return web.json_response({"events": state["events"]})

    app = web.Application()
    app.router.add_post(RASA_WEBHOOK_PATH, webhook)
    app.router.add_get("/conversations/{sender}/tracker", tracker)
    app.router.add_post("/conversations/{sender}/tracker/events", append)
    rasa = TestServer(app, host="127.0.0.1")
    await rasa.start_server()
    client = TestClient(TestServer(create_app(Settings(rasa_port=rasa.port, rasa_auth_token=TOKEN),
                                              WebSettings(feedback_path=tmp_path / "f.jsonl")), host="127.0.0.1"))
    await client.start_server()
    yield client, state
    await client.close()
    await rasa.close()


async def test_the_next_message_is_answered_and_the_user_told(stuck_gateway) -> None:
    client, state = stuck_gateway
    response = await client.post("/api/chat", json={"sender_id": SENDER, "message": "what about respite"})
    body = await response.json()
    assert response.status == 200 and "degraded" not in body
    assert [m["text"] for m in body["messages"]] == [RECOVERED_NOTICE, "The answer."]
    assert state["appended"] == [{"event": "rewind"}, {"event": "action", "name": "action_listen"}]
    # And from then on the conversation is ordinary.
    again = await (await client.post("/api/chat", json={"sender_id": SENDER, "message": "hello"})).json()
    assert [m["text"] for m in again["messages"]] == ["The answer."]
