"""'Talk to a person': passed on when the gateway says someone is free, else the right route for the area."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from rasa_sdk.executor import CollectingDispatcher

from actions.handoff import ActionRequestHuman
from bot.handoff import messages as say
from tests.actions.conftest import make_tracker


@pytest.fixture
async def gateway(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[dict[str, Any]]:
    """A stand-in for the gateway's availability endpoint; the test sets what it answers."""
    answer: dict[str, Any] = {"status": 200, "body": {"available": True, "reason": "open", "hours": None}}

    async def availability(request: web.Request) -> web.Response:
        return web.json_response(answer["body"], status=answer["status"])

    app = web.Application()
    app.router.add_get("/api/handoff/availability", availability)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    monkeypatch.setenv("HOMEWARD_GATEWAY_URL", f"http://127.0.0.1:{server.port}")
    yield answer
    await server.close()


async def _run(area: str | None = None) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent="request_human", text="/request_human", slots={"area": area} if area else {})
    assert await ActionRequestHuman().run(dispatcher, tracker, {}) == []
    return dispatcher.messages


async def test_when_someone_is_free_the_user_is_told_and_the_gateway_is_asked_to_queue(gateway) -> None:
    messages = await _run(area="bcp")
    assert messages[0]["text"] == say.PASSING_ON
    assert messages[0]["custom"] == {"handoff": "requested", "area": "bcp"}


async def test_out_of_hours_the_user_gets_the_hours_and_their_councils_route(gateway) -> None:
    gateway["body"] = {"available": False, "reason": "closed", "hours": "Monday to Friday, 09:00 to 17:00"}
    [message] = await _run(area="herefordshire")
    text = message["text"]
    assert "isn't available to chat right now" in text and "Monday to Friday, 09:00 to 17:00" in text
    assert "contact Herefordshire Council's adult social care team through the council website" in text
    assert "NHS 111" in text and "999" in text
    assert not message.get("custom")


async def test_nobody_free_and_area_unknown_names_no_council(gateway) -> None:
    gateway["body"] = {"available": False, "reason": "nobody_free", "hours": None}
    [message] = await _run(area="elsewhere")
    assert "nobody from our helpline team is free" in message["text"]
    assert "the council where the person lives, through the council's website" in message["text"]


async def test_when_the_gateway_cannot_be_asked_the_user_still_gets_the_route(gateway) -> None:
    gateway["status"] = 500
    [message] = await _run()
    assert message["text"].startswith("Sorry, I can't connect you to a person from this chat right now.")
    assert "NHS 111" in message["text"]


async def test_no_phone_number_is_invented() -> None:
    import re

    for reason in ("closed", "nobody_free", "unavailable"):
        for area in (None, "bcp", "buckinghamshire"):
            text = say.nobody_available(reason, area, "Monday to Friday, 09:00 to 17:00")
            numbers = set(re.findall(r"\d{3,}", text))
            assert numbers <= {"111", "999"}, text


async def test_staff_asking_for_a_person_get_the_discharge_route_not_the_family_one(gateway) -> None:
    gateway["body"] = {"available": False, "reason": "closed", "hours": None}
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent="request_human", slots={"area": "havering"}, metadata={"audience": "staff"})
    await ActionRequestHuman().run(dispatcher, tracker, {})
    text = dispatcher.messages[0]["text"]
    assert "transfer of care hub" in text and "Havering" in text
    assert "the ward team can help too" not in text
