"""When a person can be reached, what the user sees while waiting, and never being left waiting."""

from __future__ import annotations

import pytest

from bot.handoff import messages as say
from bot.handoff.config import HandoffSettings
from bot.handoff.hours import parse_hours
from bot.handoff.service import HandoffService, HandoffUnavailable
from bot.handoff.store import HandoffStore
from tests.bot.handoff.conftest import SAM, SENDER, Clock, make_service


async def test_nobody_is_available_out_of_hours_even_with_staff_signed_in(store: HandoffStore, clock: Clock) -> None:
    store.staff_seen(SAM)
    clock.advance(hours=8)  # 18:00
    found = await make_service(store, clock).availability()
    assert (found.available, found.reason, found.hours) == (False, "closed", "Monday to Friday, 09:00 to 17:00")


async def test_in_hours_a_person_is_available_only_while_a_staff_member_has_the_queue_open(
    store: HandoffStore, clock: Clock
) -> None:
    service = make_service(store, clock)
    assert (await service.availability()).reason == "nobody_free"
    await service.staff_seen(SAM)
    assert (await service.availability()).available
    clock.advance(minutes=2)
    assert (await service.availability()).reason == "nobody_free"


async def test_without_configured_hours_nobody_is_ever_available(store: HandoffStore, clock: Clock) -> None:
    store.staff_seen(SAM)
    found = await make_service(store, clock, hours="").availability()
    assert (found.available, found.reason, found.hours) == (False, "closed", None)


async def test_a_database_that_is_down_means_unavailable_not_an_error(clock: Clock) -> None:
    def broken() -> HandoffStore:
        raise OSError("no database")

    service = HandoffService(broken, HandoffSettings(database_url="unused", hours=parse_hours("Mon-Fri 09:00-17:00")),
                             clock=clock)
    assert (await service.availability()).reason == "unavailable"
    handoff, why = await service.request(SENDER, None)
    assert handoff is None and why.reason == "unavailable"


async def test_the_user_sees_who_they_are_talking_to_and_their_replies(store: HandoffStore, clock: Clock) -> None:
    service = make_service(store, clock)
    await service.staff_seen(SAM)
    handoff, _ = await service.request(SENDER, "bcp")
    first = await service.updates(SENDER, 0)
    assert first["handoff"] == {"state": "queued"}
    assert [m["text"] for m in first["messages"]] == [say.QUEUED_NOTICE]
    await service.user_message(handoff, "Can someone help with Mum's care?", "m-00000001")
    await service.take(handoff.id, SAM)
    await service.reply(handoff.id, SAM, "Hello, I'm Sam. How can I help?")
    later = await service.updates(SENDER, first["after"])
    assert later["handoff"] == {"state": "active", "talking_to": "Sam"}
    assert [(m["from"], m["text"]) for m in later["messages"]] == [
        ("notice", "Sam from the helpline team has joined the chat."),
        ("staff", "Hello, I'm Sam. How can I help?"),
    ], "the user's own message is not sent back to them"
    assert later["messages"][1]["name"] == "Sam"
    await service.hand_back(handoff.id, SAM)
    back = await service.updates(SENDER, later["after"])
    assert back["handoff"] == {"state": "none"}
    assert "handed you back to the Homeward assistant" in back["messages"][0]["text"]


async def test_a_message_that_may_mean_danger_gets_the_safety_route_at_once_and_is_marked_urgent(
    store: HandoffStore, clock: Clock
) -> None:
    service = make_service(store, clock, flags=lambda text: "emergency" if "breathe" in text else None)
    await service.staff_seen(SAM)
    handoff, _ = await service.request(SENDER, None)
    assert await service.user_message(handoff, "ok thanks", "m-00000001") == []
    replies = await service.user_message(handoff, "mum can't breathe", "m-00000002")
    assert "call 999" in replies[0]["text"]
    assert [m.urgent for m in store.messages(handoff.id)] == [False, False, True]


async def test_a_failing_red_flag_check_still_passes_the_message_on(store: HandoffStore, clock: Clock) -> None:
    def broken(text: str) -> str | None:
        raise RuntimeError("no pipeline")

    service = make_service(store, clock, flags=broken)
    await service.staff_seen(SAM)
    handoff, _ = await service.request(SENDER, None)
    assert await service.user_message(handoff, "hello?", "m-00000001") == []
    assert store.messages(handoff.id)[-1].text == "hello?"


async def test_a_waiting_user_is_told_when_nobody_came_and_given_the_route(store: HandoffStore, clock: Clock) -> None:
    service = make_service(store, clock)
    await service.staff_seen(SAM)
    await service.request(SENDER, "havering")
    clock.advance(minutes=3)  # Sam closed the queue page and nobody else is there
    found = await service.updates(SENDER, 0)
    assert found["handoff"] == {"state": "none"}
    notice = found["messages"][-1]["text"]
    assert "nobody from our helpline team is free" in notice
    assert "contact the London Borough of Havering's adult social care team through the council website" in notice
    assert "NHS 111" in notice and "999" in notice


async def test_a_user_whose_staff_member_has_gone_is_not_left_waiting(store: HandoffStore, clock: Clock) -> None:
    service = make_service(store, clock)
    await service.staff_seen(SAM)
    handoff, _ = await service.request(SENDER, None)
    await service.take(handoff.id, SAM)
    clock.advance(minutes=2)
    assert (await service.updates(SENDER, 0))["handoff"]["state"] == "active", "a short gap is not leaving"
    clock.advance(minutes=2)
    found = await service.updates(SENDER, 0)
    assert found["handoff"] == {"state": "none"}
    assert found["messages"][-1]["text"].startswith("Sam has had to leave the chat.")


async def test_the_user_can_stop_waiting(store: HandoffStore, clock: Clock) -> None:
    service = make_service(store, clock)
    await service.staff_seen(SAM)
    await service.request(SENDER, None)
    await service.leave(SENDER)
    assert await service.open_for(SENDER) is None


async def test_after_a_database_failure_the_store_is_opened_again_later(store: HandoffStore, clock: Clock) -> None:
    attempts = []

    def flaky() -> HandoffStore:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("database not up yet")
        return store

    service = make_service(store, clock)
    service._open_store = flaky
    with pytest.raises(HandoffUnavailable):
        await service.open_for(SENDER)
    service._retry_at = 0  # as if the retry interval had passed
    assert await service.open_for(SENDER) is None and len(attempts) == 2
