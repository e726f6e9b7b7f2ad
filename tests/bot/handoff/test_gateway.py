"""Handoff through the gateway: the user asks for a person, staff take the chat, reply and hand back.

Real gateway (create_app with the staff console on a temporary SQLite database) and a fake Rasa whose
replies each test sets; the staff member signs in through the console like a browser would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.accounts.store import AccountStore
from bot.directory.db import make_engine, upgrade_database
from bot.handoff import messages as say
from bot.settings import RASA_WEBHOOK_PATH, Settings
from bot.web.app import create_app
from bot.web.config import WebSettings
from bot.web.console.config import ConsoleSettings
from tests.bot.web.console.conftest import PASSWORD, csrf_from, sign_in_as

ALWAYS_OPEN = "Mon-Sun 00:00-24:00"
USER = "u" * 32
TOKEN = "rasa-token"
Reply = Callable[[str], Any]


@dataclass
class FakeRasa:
    """Records what reached 'Rasa'; answers with `reply(message)` (a list, an HTTP status, or a delay)."""

    reply: Reply = lambda message: [{"text": f"Assistant reply to {message}"}]
    received: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body["message"])
        answer = self.reply(body["message"])
        if isinstance(answer, float):
            await asyncio.sleep(answer)
            answer = [{"text": "too late"}]
        if isinstance(answer, int):
            return web.json_response({"error": "broken"}, status=answer)
        self.events.append({"event": "user", "text": body["message"], "timestamp": time.time(),
                            "metadata": body.get("metadata") or {}})
        self.events.append({"event": "action", "name": "action_fake_reply", "timestamp": time.time()})
        self.events += [{"event": "bot", "text": r.get("text"), "timestamp": time.time(), "data": {}}
                        for r in answer if r.get("text")]
        return web.json_response([{"recipient_id": body["sender"], **r} for r in answer])

    async def tracker(self, request: web.Request) -> web.Response:
        if request.query.get("token") != TOKEN:
            return web.json_response({}, status=401)
        return web.json_response({"events": self.events})


def passing_on(message: str) -> list[dict[str, Any]]:
    """What Rasa sends when action_request_human found someone free (actions/handoff.py)."""
    if message == "/request_human":
        return [{"text": say.PASSING_ON}, {"custom": {"handoff": "requested", "area": "bcp"}}]
    return [{"text": f"Assistant reply to {message}"}]


@pytest.fixture
async def rasa() -> AsyncIterator[tuple[FakeRasa, int]]:
    fake = FakeRasa(reply=passing_on)
    app = web.Application()
    app.router.add_post(RASA_WEBHOOK_PATH, fake.webhook)
    app.router.add_get("/conversations/{sender}/tracker", fake.tracker)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    yield fake, server.port
    await server.close()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    accounts = AccountStore(engine)
    accounts.add("sam.helpline", "Sam Jones", "helpline", PASSWORD)
    accounts.add("alex.helpline", "Alex Smith", "helpline", PASSWORD)
    accounts.add("wendy.ward", "Wendy Ward", "ward", PASSWORD)
    engine.dispose()
    return url


@pytest.fixture
async def clients(
    rasa, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[[], Awaitable[TestClient]]]:
    """`await new_client()`: another browser (its own cookies) on one gateway."""
    monkeypatch.setenv("HOMEWARD_HELPLINE_HOURS", ALWAYS_OPEN)
    monkeypatch.setenv("HOMEWARD_RASA_TIMEOUT_SECONDS", "1")
    _, port = rasa
    app = create_app(
        Settings(rasa_port=port, rasa_auth_token=TOKEN),
        WebSettings(feedback_path=tmp_path / "feedback.jsonl"),
        ConsoleSettings(database_url=database_url, session_secret=b"s" * 40),
    )
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    made: list[TestClient] = []

    async def new_client() -> TestClient:
        client = TestClient(server)
        await client.start_server()
        made.append(client)
        return client

    yield new_client
    for client in made:
        await client.close()
    await server.close()


async def chat(client: TestClient, message: str, client_message_id: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"sender_id": USER, "message": message}
    if client_message_id:
        body["client_message_id"] = client_message_id
    response = await client.post("/api/chat", json=body)
    assert response.status == 200, await response.text()
    return await response.json()


async def updates(client: TestClient, after: int = 0) -> dict[str, Any]:
    response = await client.post("/api/updates", json={"sender_id": USER, "after": after})
    assert response.status == 200, await response.text()
    return await response.json()


async def staff(new_client, username: str = "sam.helpline") -> TestClient:
    client = await new_client()
    assert (await sign_in_as(client, username)).status == 303
    queue = await client.get("/console/handoff")  # having the queue open makes them available
    assert queue.status == 200
    return client


async def post_form(client: TestClient, path: str, page: str, **fields: str):
    token = csrf_from(await (await client.get(page)).text())
    return await client.post(path, data={"csrf_token": token, **fields}, allow_redirects=False)


async def test_a_user_is_passed_to_a_person_who_replies_and_hands_back(rasa, clients) -> None:
    fake, _ = rasa
    user, sam = await clients(), await staff(clients)
    await chat(user, "what is pathway 1")
    asked = await chat(user, "/request_human")
    assert asked["messages"] == [{"text": say.PASSING_ON}], "the gateway's instruction is not shown"
    assert asked["handoff"] == {"state": "queued"}

    waiting = await chat(user, "My mum is coming home on Friday, who do I call on 07700 900123?", "m-00000001")
    assert waiting == {"messages": [], "handoff": {"state": "queued"}}
    assert fake.received == ["what is pathway 1", "/request_human"], "the assistant stays quiet"

    queue = await (await sam.get("/console/handoff")).text()
    assert "1 person is waiting" in queue and "BCP Council" in queue
    handoff_path = "/console/handoff/1"
    taken = await post_form(sam, handoff_path + "/take", "/console/handoff")
    assert (taken.status, taken.headers["Location"]) == (303, handoff_path + "#reply")

    page = await (await sam.get(handoff_path)).text()
    assert "Assistant reply to what is pathway 1" in page, "staff see the conversation before the handoff"
    assert "who do I call on [phone number]?" in page and "07700 900123" not in page
    assert "You are handling this chat." in page

    replied = await post_form(sam, handoff_path + "/reply", handoff_path, reply="Hello, I'm Sam. Let's sort this out.")
    assert replied.status == 303
    seen = await updates(user)
    assert seen["handoff"] == {"state": "active", "talking_to": "Sam"}
    assert [(m["from"], m["text"]) for m in seen["messages"]] == [
        ("notice", say.QUEUED_NOTICE),
        ("notice", "Sam from the helpline team has joined the chat."),
        ("staff", "Hello, I'm Sam. Let's sort this out."),
    ]
    assert seen["messages"][2]["name"] == "Sam"

    back = await post_form(sam, handoff_path + "/hand-back", handoff_path)
    assert (back.status, back.headers["Location"]) == (303, "/console/handoff")
    after = await updates(user, seen["after"])
    assert after["handoff"] == {"state": "none"}
    assert after["messages"][0]["text"] == say.handed_back_notice("Sam Jones")
    assert after["messages"][0]["text"].startswith("Sam has handed you back to the Homeward assistant.")
    answered = await chat(user, "who pays for care")
    assert answered["messages"] == [{"text": "Assistant reply to who pays for care"}] and "handoff" not in answered


async def test_the_reloaded_page_gets_the_whole_conversation_in_order(rasa, clients) -> None:
    user, sam = await clients(), await staff(clients)
    await chat(user, "hello")
    await chat(user, "/request_human")
    await chat(user, "are you there?", "m-00000002")
    await post_form(sam, "/console/handoff/1/take", "/console/handoff")
    await post_form(sam, "/console/handoff/1/reply", "/console/handoff/1", reply="Yes, I'm here.")
    response = await user.post("/api/transcript", json={"sender_id": USER})
    turns = [(t["from"], t["text"]) for t in (await response.json())["turns"]]
    assert turns == [
        ("user", "hello"), ("bot", "Assistant reply to hello"),
        ("user", "/request_human"), ("bot", say.PASSING_ON),
        ("notice", say.QUEUED_NOTICE),
        ("user", "are you there?"),
        ("notice", "Sam from the helpline team has joined the chat."),
        ("staff", "Yes, I'm here."),
    ]


async def test_a_second_member_of_staff_cannot_take_a_chat_already_taken(rasa, clients) -> None:
    user, sam, alex = await clients(), await staff(clients), await staff(clients, "alex.helpline")
    await chat(user, "/request_human")
    await post_form(sam, "/console/handoff/1/take", "/console/handoff")
    late = await post_form(alex, "/console/handoff/1/take", "/console/handoff/1")
    assert late.status == 409
    assert "no longer waiting" in await late.text()
    refused = await post_form(alex, "/console/handoff/1/reply", "/console/handoff/1", reply="hi")
    assert refused.status == 409


async def test_staff_pages_need_a_helpline_sign_in_and_the_csrf_token(rasa, clients) -> None:
    anonymous = await clients()
    response = await anonymous.get("/console/handoff", allow_redirects=False)
    assert response.status == 302 and response.headers["Location"].startswith("/console/sign-in")
    ward = await clients()
    await sign_in_as(ward, "wendy.ward")
    assert (await ward.get("/console/handoff")).status == 403
    sam = await staff(clients)
    user = await clients()
    await chat(user, "/request_human")
    forged = await sam.post("/console/handoff/1/take", data={"csrf_token": "guess"}, allow_redirects=False)
    assert forged.status == 403
    assert (await updates(user))["handoff"] == {"state": "queued"}


async def test_out_of_hours_nobody_is_available_even_with_staff_signed_in(rasa, database_url, tmp_path, monkeypatch):
    _, port = rasa
    monkeypatch.setenv("HOMEWARD_HELPLINE_HOURS", "")  # no hours set: the helpline never takes chats
    app = create_app(Settings(rasa_port=port, rasa_auth_token=TOKEN), WebSettings(feedback_path=tmp_path / "f.jsonl"),
                     ConsoleSettings(database_url=database_url, session_secret=b"s" * 40))
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        await sign_in_as(client, "sam.helpline")
        assert "No helpline hours are set" in await (await client.get("/console/handoff")).text()
        found = await (await client.get("/api/handoff/availability")).json()
        assert found == {"available": False, "reason": "closed", "hours": None}
        asked = await chat(client, "/request_human")
        assert "handoff" not in asked
        assert asked["messages"][0]["text"].startswith("Our helpline team isn't available to chat right now.")


async def test_when_nobody_is_free_the_passing_on_message_becomes_the_route(rasa, clients) -> None:
    user = await clients()  # no staff member has the queue open
    asked = await chat(user, "/request_human")
    assert "handoff" not in asked
    [message] = asked["messages"]
    assert message["text"].startswith("Sorry, nobody from our helpline team is free to chat right now.")
    assert "contact BCP Council's adult social care team through the council website" in message["text"]


async def test_the_user_can_stop_waiting(rasa, clients) -> None:
    fake, _ = rasa
    user = await clients()
    await staff(clients)
    await chat(user, "/request_human")
    response = await user.post("/api/handoff/leave", json={"sender_id": USER, "after": 0})
    left = await response.json()
    assert left["handoff"] == {"state": "none"} and left["messages"][-1]["text"] == say.USER_LEFT_NOTICE
    await chat(user, "back to you, assistant")
    assert fake.received[-1] == "back to you, assistant"


async def test_updates_need_the_long_conversation_id(rasa, clients) -> None:
    user = await clients()
    response = await user.post("/api/updates", json={"sender_id": "short123", "after": 0})
    assert response.status == 400
    response = await user.post("/api/updates", json={"sender_id": USER, "after": "x"})
    assert response.status == 400
    # Found by the fuzz test: a number too big for the database was a 500.
    response = await user.post("/api/updates", json={"sender_id": USER, "after": 2**63})
    assert response.status == 400 and "whole number" in (await response.json())["error"]



async def test_the_console_answers_numbers_beyond_any_chat_id_calmly(rasa, clients) -> None:
    sam = await staff(clients)
    missing = await sam.get("/console/handoff/99999999999999999999")
    assert missing.status == 404 and "There is no such chat." in await missing.text()
    poll = await sam.get("/console/handoff/99999999999999999999/messages?after=99999999999999999999")
    assert poll.status == 404

# ---- failures: the user always gets a helpful message -----------------------------------------


async def test_when_rasa_says_nothing_the_user_is_told_what_to_do(rasa, clients) -> None:
    fake, _ = rasa
    fake.reply = lambda message: []  # as when the action server is down: Rasa logs it and stays silent
    answered = await chat(await clients(), "who pays for care")
    assert answered["messages"] == [{"text": say.NO_REPLY}] and answered["degraded"] is True
    assert "Talk to a person" in say.NO_REPLY and "NHS 111" in say.NO_REPLY and "999" in say.NO_REPLY


async def test_when_rasa_is_too_slow_the_user_is_told_to_try_again(rasa, clients) -> None:
    fake, _ = rasa
    fake.reply = lambda message: 3.0  # longer than HOMEWARD_RASA_TIMEOUT_SECONDS=1
    started = time.monotonic()
    answered = await chat(await clients(), "who pays for care")
    assert time.monotonic() - started < 2.5
    assert answered["messages"] == [{"text": say.TIMED_OUT}]


async def test_talk_to_a_person_works_even_when_the_action_server_is_down(rasa, clients) -> None:
    fake, _ = rasa
    fake.reply = lambda message: []
    user = await clients()
    await staff(clients)
    asked = await chat(user, "/request_human")
    assert asked["messages"] == [{"text": say.PASSING_ON}] and asked["handoff"] == {"state": "queued"}


async def test_talk_to_a_person_when_rasa_is_down_and_nobody_is_free_gives_the_route(rasa, clients) -> None:
    fake, _ = rasa
    fake.reply = lambda message: 500
    asked = await chat(await clients(), "/request_human")
    assert "nobody from our helpline team is free" in asked["messages"][0]["text"]
    assert "NHS 111" in asked["messages"][0]["text"]


async def test_with_the_handoff_database_down_chat_carries_on_with_the_assistant(rasa, tmp_path, monkeypatch) -> None:
    fake, port = rasa
    monkeypatch.setenv("HOMEWARD_HELPLINE_HOURS", ALWAYS_OPEN)
    down = "postgresql://postgres@127.0.0.1:9/nothing_listens_here"
    app = create_app(Settings(rasa_port=port, rasa_auth_token=TOKEN), WebSettings(feedback_path=tmp_path / "f.jsonl"),
                     ConsoleSettings(database_url=down, session_secret=b"s" * 40))
    async with TestClient(TestServer(app, host="127.0.0.1")) as user:
        assert (await chat(user, "hello"))["messages"] == [{"text": "Assistant reply to hello"}]
        asked = await chat(user, "/request_human")
        assert asked["messages"][0]["text"].startswith("Sorry, I can't connect you to a person from this chat")
        assert (await user.post("/api/updates", json={"sender_id": USER, "after": 0})).status == 503
