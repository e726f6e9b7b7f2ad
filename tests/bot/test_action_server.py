"""The action server runs actions for Rasa (which sends the token) and for nobody else."""

from __future__ import annotations

import json
import zlib
from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.action_server import MAX_BODY_BYTES, create_app, inflate

TOKEN = "action-test-token-" + "y" * 20


def action_call(action: str = "action_offer_topics", tracker: object = None) -> dict:
    """What Rasa posts to /webhook (trimmed to what the executor reads)."""
    return {
        "next_action": action, "sender_id": "abcdef0123456789", "version": "3.6.21", "domain": {},
        "tracker": tracker if tracker is not None else {
            "sender_id": "abcdef0123456789", "slots": {}, "latest_message": {"text": "help", "intent": {}},
            "events": [], "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_listen",
        },
    }


@pytest.fixture
async def client() -> AsyncIterator[TestClient]:
    client = TestClient(TestServer(create_app(TOKEN), host="127.0.0.1"))
    await client.start_server()
    yield client
    await client.close()


async def test_rasa_with_the_token_gets_the_actions_reply(client: TestClient) -> None:
    response = await client.post("/webhook", params={"token": TOKEN}, json=action_call())
    assert response.status == 200
    assert (await response.json())["responses"], "the action said something"


@pytest.mark.parametrize("params", [{}, {"token": "wrong"}, {"token": TOKEN[:-1]}])
async def test_without_the_token_no_action_runs(client: TestClient, params: dict) -> None:
    response = await client.post("/webhook", params=params, json=action_call())
    assert response.status == 401 and "responses" not in await response.text()


async def test_the_list_of_actions_is_not_served(client: TestClient) -> None:
    assert (await client.get("/actions")).status in (404, 405)


async def test_a_bad_tracker_gets_an_error_that_does_not_echo_the_request(client: TestClient) -> None:
    marker = "<script>echo-me-back</script>"
    # rasa_sdk's own server answered this with a 500 holding the whole request body.
    response = await client.post("/webhook", params={"token": TOKEN},
                                 json=action_call("action_answer_question", tracker={"events": [{"event": marker}]}))
    text = await response.text()
    assert response.status == 500 and marker not in text and "Traceback" not in text
    assert await response.json() == {"error": "The action failed."}


async def test_a_deflate_bomb_is_refused_after_inflating_a_bounded_amount(client: TestClient) -> None:
    bomb = zlib.compress(b" " * (MAX_BODY_BYTES + 1024), 9)  # a few KB on the wire
    assert len(bomb) < 10_000
    response = await client.post("/webhook", params={"token": TOKEN}, data=bomb,
                                 headers={"Content-Type": "application/json", "Content-Encoding": "deflate"})
    assert response.status == 413


async def test_a_deflated_action_call_is_run(client: TestClient) -> None:
    # Rasa compresses when COMPRESS_ACTION_SERVER_REQUEST is set.
    body = zlib.compress(json.dumps(action_call()).encode())
    response = await client.post("/webhook", params={"token": TOKEN}, data=body,
                                 headers={"Content-Type": "application/json", "Content-Encoding": "deflate"})
    assert response.status == 200 and (await response.json())["responses"]


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b"\xff\xfe", b'{"next_action": "x"}'])
async def test_malformed_calls_are_a_400(client: TestClient, body: bytes) -> None:
    response = await client.post("/webhook", params={"token": TOKEN}, data=body,
                                 headers={"Content-Type": "application/json"})
    assert response.status == 400


async def test_an_unknown_action_is_a_404(client: TestClient) -> None:
    response = await client.post("/webhook", params={"token": TOKEN}, json=action_call("action_nope"))
    assert response.status == 404


def test_inflate_stops_at_the_limit() -> None:
    assert inflate(zlib.compress(b"a" * 100), limit=100) == b"a" * 100
    with pytest.raises(ValueError):
        inflate(zlib.compress(b"a" * 101), limit=100)


def test_it_will_not_start_without_a_token() -> None:
    with pytest.raises(ValueError):
        create_app("")
