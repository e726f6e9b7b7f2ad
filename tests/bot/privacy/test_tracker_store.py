"""Conversations reach the database (SQLite and PostgreSQL) with personal details already removed."""

from __future__ import annotations

import json
import stat
import uuid
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered

from bot.privacy.redact import EMAIL_ADDRESS, NHS_NUMBER, PHONE_NUMBER, POSTCODE
from bot.privacy.tracker_store import RedactingSQLTrackerStore, redact_event
from tests.bot.privacy.conftest import stored_rows
from tests.bot.privacy.conversations import (
    BOT_TEXT,
    MESSAGE_ID,
    USER_TEXT,
    conversation,
    personal_strings_in,
    user_message,
)


def _sender() -> str:
    return uuid.uuid4().hex


async def test_stored_rows_hold_no_personal_details(store: RedactingSQLTrackerStore, db_url: str,
                                                     domain: Domain) -> None:
    sender = _sender()
    await store.save(conversation(sender, domain))

    rows = stored_rows(db_url, sender)
    everything = "\n".join(rows)
    assert personal_strings_in(everything) == []
    user = next(json.loads(r) for r in rows if json.loads(r)["event"] == "user")
    assert user["text"] == (
        f"My dad (NHS number {NHS_NUMBER}, born [date]) lives at BH15 {POSTCODE}. "
        f"Can someone call me on {PHONE_NUMBER} or email {EMAIL_ADDRESS}? Who pays for his care?"
    )
    assert user["parse_data"]["text"] == user["text"]
    assert user["parse_data"]["entities"][0]["value"] == f"BH15 {POSTCODE}"
    assert user["metadata"] == {"audience": "family", "note": f"ring {PHONE_NUMBER}", "model_id": "9876543210abcdef"}
    assert user["message_id"] == MESSAGE_ID
    assert user["parse_data"]["intent"]["name"] == "funding"
    slot = next(json.loads(r) for r in rows if json.loads(r)["event"] == "slot")
    assert slot["value"] == f"Poole BH15 {POSTCODE}"
    bot = next(json.loads(r) for r in rows if json.loads(r)["event"] == "bot")
    assert bot["text"] == BOT_TEXT


async def test_the_turn_in_progress_keeps_what_was_typed(store: RedactingSQLTrackerStore, domain: Domain) -> None:
    tracker = conversation(_sender(), domain)
    await store.save(tracker)
    # The actions still get the words as typed for this turn; only the stored copy is redacted.
    assert tracker.latest_message.text == USER_TEXT
    assert tracker.get_slot("area") == "Poole BH15 2AA"


async def test_conversation_read_back_is_redacted_and_complete(store: RedactingSQLTrackerStore,
                                                               domain: Domain) -> None:
    sender = _sender()
    tracker = conversation(sender, domain)
    await store.save(tracker)

    restored = await store.retrieve(sender)
    assert restored is not None
    assert len(restored.events) == len(tracker.events)
    assert personal_strings_in(restored.latest_message.text) == []
    assert restored.latest_message.intent["name"] == "funding"
    assert restored.get_slot("area") == f"Poole BH15 {POSTCODE}"


async def test_later_turns_are_added_once_and_redacted(store: RedactingSQLTrackerStore, db_url: str,
                                                      domain: Domain) -> None:
    sender = _sender()
    tracker = conversation(sender, domain)
    await store.save(tracker)
    # As Rasa does on the next message: load the stored tracker, add the turn, save.
    tracker = await store.retrieve(sender)
    tracker.update(user_message("Sorry, my mobile is +44 7700 900456"))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)

    rows = stored_rows(db_url, sender)
    assert len(rows) == len(tracker.events)
    assert "7700 900456" not in "\n".join(rows)
    assert json.loads(rows[-2])["text"] == f"Sorry, my mobile is {PHONE_NUMBER}"


async def test_events_sent_to_an_event_broker_are_redacted(db_url: str, domain: Domain) -> None:
    class CollectingBroker(EventBroker):
        def __init__(self) -> None:
            self.published: list[dict[str, Any]] = []

        def publish(self, event: dict[str, Any]) -> None:
            self.published.append(event)

    broker = CollectingBroker()
    store = RedactingSQLTrackerStore(domain=domain, host=db_url, event_broker=broker)
    try:
        await store.save(conversation(_sender(), domain))
    finally:
        store.engine.dispose()
    assert {e["event"] for e in broker.published} >= {"user", "slot", "bot"}
    assert personal_strings_in(json.dumps(broker.published)) == []


def test_events_with_nothing_to_redact_are_passed_through_unchanged() -> None:
    listen = ActionExecuted("action_listen")
    assert redact_event(listen) is listen
    typed = UserUttered("what is pathway 1?", intent={"name": "pathways"})
    assert redact_event(typed) is typed


def test_redacting_an_event_never_changes_the_original() -> None:
    original = user_message()
    copy = redact_event(original)
    assert original.text == USER_TEXT and original.parse_data["text"] == USER_TEXT
    assert personal_strings_in(copy.text) == []
    assert copy.timestamp == original.timestamp and copy.message_id == original.message_id


def _endpoints_file(path: Path, tracker_store: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump({"tracker_store": tracker_store}))
    return path


async def test_rasa_builds_the_store_from_endpoints_yml_with_sqlite(tmp_path: Path, domain: Domain) -> None:
    # Exactly the settings docs/integration/privacy.md gives for endpoints.yml.
    endpoints = AvailableEndpoints.read_endpoints(str(_endpoints_file(tmp_path / "endpoints.yml", {
        "type": "bot.privacy.tracker_store.RedactingSQLTrackerStore",
        "dialect": "sqlite",
        "db": str(tmp_path / "tracker.db"),
    })))
    store = TrackerStore.create(endpoints.tracker_store, domain=domain)
    assert isinstance(store, RedactingSQLTrackerStore)  # Rasa silently falls back to memory on a bad type
    sender = _sender()
    await store.save(conversation(sender, domain))
    store.engine.dispose()
    assert personal_strings_in("\n".join(stored_rows(f"sqlite:///{tmp_path / 'tracker.db'}", sender))) == []
    assert stat.S_IMODE((tmp_path / "tracker.db").stat().st_mode) == 0o600, "conversations are not world-readable"


async def test_rasa_builds_the_store_from_endpoints_yml_with_postgresql(tmp_path: Path, domain: Domain,
                                                                       postgres_url: str) -> None:
    # The shape bot/runner.py writes for TRACKER_DB_URL.
    url = sa.engine.make_url(postgres_url)
    endpoints = AvailableEndpoints.read_endpoints(str(_endpoints_file(tmp_path / "endpoints.yml", {
        "type": "bot.privacy.tracker_store.RedactingSQLTrackerStore",
        "dialect": "postgresql",
        "url": url.host,
        "port": url.port,
        "db": url.database,
        "username": url.username,
        "password": url.password,
    })))
    store = TrackerStore.create(endpoints.tracker_store, domain=domain)
    assert isinstance(store, RedactingSQLTrackerStore)
    sender = _sender()
    try:
        await store.save(conversation(sender, domain))
    finally:
        store.engine.dispose()
    rows = stored_rows(postgres_url, sender)
    assert len(rows) == 9 and personal_strings_in("\n".join(rows)) == []


async def test_rasa_builds_the_store_from_a_whole_database_url(tmp_path: Path, domain: Domain, db_url: str) -> None:
    # The simplest form for the runner to write from TRACKER_DB_URL: any dialect, password and options kept.
    endpoints = AvailableEndpoints.read_endpoints(str(_endpoints_file(tmp_path / "endpoints.yml", {
        "type": "bot.privacy.tracker_store.RedactingSQLTrackerStore",
        "url": db_url,
    })))
    store = TrackerStore.create(endpoints.tracker_store, domain=domain)
    assert isinstance(store, RedactingSQLTrackerStore)
    sender = _sender()
    try:
        await store.save(conversation(sender, domain))
    finally:
        store.engine.dispose()
    rows = stored_rows(db_url, sender)
    assert len(rows) == 9 and personal_strings_in("\n".join(rows)) == []


@pytest.mark.parametrize("text", ["hello", "What is pathway 2?", "/inform_area{\"area\": \"dorset\"}"])
async def test_ordinary_messages_are_stored_exactly(store: RedactingSQLTrackerStore, db_url: str,
                                                    domain: Domain, text: str) -> None:
    sender = _sender()
    tracker = conversation(sender, domain)
    tracker.update(UserUttered(text, intent={"name": "greet"}))
    await store.save(tracker)
    assert json.loads(stored_rows(db_url, sender)[-1])["text"] == text
