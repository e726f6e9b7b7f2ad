"""The handoff record: one open handoff per conversation, one taker, redacted user text, retention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.handoff.models import ACTIVE, CLOSED, QUEUED
from bot.handoff.store import HandoffConflict, HandoffStore
from tests.bot.handoff.conftest import ALEX, SAM, SENDER, Clock


def test_asking_twice_queues_the_conversation_once(store: HandoffStore) -> None:
    first = store.request(SENDER, "bcp", "waiting")
    second = store.request(SENDER, "bcp", "waiting")
    assert first.id == second.id and first.state == QUEUED and first.area == "bcp"
    assert [h.id for h in store.open_handoffs()] == [first.id]
    assert [m.text for m in store.messages(first.id)] == ["waiting"]


def test_only_one_member_of_staff_can_take_a_chat(store: HandoffStore) -> None:
    handoff = store.request(SENDER, None, "waiting")
    taken = store.take(handoff.id, SAM, "Sam joined")
    assert taken.state == ACTIVE and taken.staff_id == SAM.id and taken.staff_name == "Sam Jones"
    with pytest.raises(HandoffConflict):
        store.take(handoff.id, ALEX, "Alex joined")
    with pytest.raises(HandoffConflict):
        store.add_staff_message(handoff.id, ALEX, "hello from someone else")
    with pytest.raises(HandoffConflict):
        store.close(handoff.id, "ended", "Alex ended it", ALEX)


def test_personal_details_the_user_types_are_removed_before_storage(store: HandoffStore) -> None:
    handoff = store.request(SENDER, None, "waiting")
    stored = store.add_user_message(handoff.id, "Dad's NHS number is 943 476 5919, call 07700 900123", "m-00000001")
    assert "943 476 5919" not in stored.text and "07700 900123" not in stored.text
    assert "[NHS number]" in stored.text and "[phone number]" in stored.text


def test_a_retried_message_is_stored_once(store: HandoffStore) -> None:
    handoff = store.request(SENDER, None, "waiting")
    store.add_user_message(handoff.id, "hello", "m-00000001")
    store.add_user_message(handoff.id, "hello", "m-00000001")
    assert [m.text for m in store.messages(handoff.id)] == ["waiting", "hello"]


def test_staff_replies_keep_numbers_the_service_gives(store: HandoffStore) -> None:
    handoff = store.request(SENDER, None, "waiting")
    store.take(handoff.id, SAM, "joined")
    reply = store.add_staff_message(handoff.id, SAM, "You can also call NHS 111.")
    assert reply.text == "You can also call NHS 111." and reply.staff_name == "Sam Jones"


def test_closing_ends_human_mode_and_a_new_request_starts_a_new_handoff(store: HandoffStore) -> None:
    handoff = store.request(SENDER, None, "waiting")
    store.take(handoff.id, SAM, "joined")
    closed = store.close(handoff.id, "handed_back", "back to the assistant", SAM)
    assert closed.state == CLOSED and closed.close_reason == "handed_back"
    assert store.open_for(SENDER) is None
    with pytest.raises(HandoffConflict):
        store.close(handoff.id, "ended", "again")
    again = store.request(SENDER, None, "waiting")
    assert again.id != handoff.id
    texts = [m.text for m in store.messages_for_sender(SENDER)]
    assert texts == ["waiting", "joined", "back to the assistant", "waiting"]


def test_staff_presence_expires(store: HandoffStore, clock: Clock) -> None:
    store.staff_seen(SAM)
    store.staff_seen(SAM)
    assert store.staff_present(timedelta(seconds=60)) == [SAM]
    clock.advance(seconds=61)
    assert store.staff_present(timedelta(seconds=60)) == []


def test_closed_handoffs_are_deleted_after_the_retention_period(store: HandoffStore, clock: Clock) -> None:
    old = store.request(SENDER, None, "waiting")
    store.close(old.id, "user_left", "left")
    clock.advance(days=31)
    current = store.request("b" * 32, None, "waiting")
    assert store.purge_closed_before(clock.now - timedelta(days=30)) == 1
    assert store.get(old.id) is None and store.messages(old.id) == []
    assert store.get(current.id) is not None
