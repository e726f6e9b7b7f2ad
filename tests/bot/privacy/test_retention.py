"""Old conversations are deleted; one conversation can be exported or deleted on request."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain

from bot.privacy import retention
from bot.privacy.redact import PHONE_NUMBER, POSTCODE
from bot.privacy.tracker_store import RedactingSQLTrackerStore
from tests.bot.privacy.conftest import stored_rows
from tests.bot.privacy.conversations import BOT_TEXT, conversation, personal_strings_in, user_message

DAY = 24 * 60 * 60
NOW = time.time()


async def _stored_conversation(store: SQLTrackerStore, domain: Domain, days_ago: float) -> str:
    sender = uuid.uuid4().hex
    await store.save(conversation(sender, domain, start=NOW - days_ago * DAY))
    return sender


@pytest.fixture
def engine(db_url: str, store: RedactingSQLTrackerStore):  # the store creates Rasa's table first
    engine = retention.connect(db_url)
    yield engine
    engine.dispose()


async def test_purge_deletes_only_conversations_quiet_for_longer_than_the_period(
    store: RedactingSQLTrackerStore, domain: Domain, db_url: str, engine
) -> None:
    old = await _stored_conversation(store, domain, days_ago=45)
    recent = await _stored_conversation(store, domain, days_ago=3)
    # Started long ago but still going: its latest message is what counts.
    ongoing = await _stored_conversation(store, domain, days_ago=60)
    tracker = await store.retrieve(ongoing)
    tracker.update(user_message("one more question", timestamp=NOW - 1 * DAY))
    await store.save(tracker)

    result = retention.purge(engine, older_than_days=30, now=NOW)

    assert result == retention.PurgeResult(conversations=1, events=9)
    assert stored_rows(db_url, old) == []
    assert len(stored_rows(db_url, recent)) == 9
    assert len(stored_rows(db_url, ongoing)) == 10


async def test_purge_on_the_boundary_keeps_what_is_not_yet_over_the_period(
    store: RedactingSQLTrackerStore, domain: Domain, db_url: str, engine
) -> None:
    # The conversation's last event is at start + 3 s.
    just_inside = await _stored_conversation(store, domain, days_ago=30 - 10 / DAY)
    assert retention.purge(engine, older_than_days=30, now=NOW).conversations == 0
    assert retention.purge(engine, older_than_days=30, now=NOW + 20).conversations == 1
    assert stored_rows(db_url, just_inside) == []


def test_purge_with_no_conversations_stored_yet(db_url: str) -> None:
    engine = retention.connect(db_url)  # no events table: Rasa has never run
    try:
        assert retention.purge(engine, older_than_days=30) == retention.PurgeResult(0, 0)
    finally:
        engine.dispose()


async def test_delete_one_conversation(store: RedactingSQLTrackerStore, domain: Domain, db_url: str, engine) -> None:
    mine = await _stored_conversation(store, domain, days_ago=1)
    someone_elses = await _stored_conversation(store, domain, days_ago=1)

    assert retention.delete_conversation(engine, mine) == 9
    assert stored_rows(db_url, mine) == []
    assert len(stored_rows(db_url, someone_elses)) == 9
    assert retention.delete_conversation(engine, mine) == 0


async def test_export_is_the_redacted_transcript(store: RedactingSQLTrackerStore, domain: Domain, engine) -> None:
    sender = await _stored_conversation(store, domain, days_ago=1)

    document = retention.export_conversation(engine, sender, now=NOW)

    assert document is not None
    assert document["conversation_id"] == sender
    assert [m["from"] for m in document["messages"]] == ["you", "assistant"]
    assert f"call me on {PHONE_NUMBER}" in document["messages"][0]["text"]
    assert document["messages"][1]["text"] == BOT_TEXT
    assert document["remembered"] == [
        {"time": document["remembered"][0]["time"], "name": "area", "value": f"Poole BH15 {POSTCODE}"}
    ]
    assert document["messages"][0]["time"].endswith("+00:00")
    assert personal_strings_in(json.dumps(document)) == []


def test_export_of_an_unknown_conversation_is_none(db_url: str, engine) -> None:
    assert retention.export_conversation(engine, "no-such-conversation") is None


async def test_rows_stored_before_redaction_are_cleaned(db_url: str, domain: Domain) -> None:
    plain = SQLTrackerStore(domain=domain, host=db_url)  # as stored before the redacting store was configured
    sender = uuid.uuid4().hex
    await plain.save(conversation(sender, domain))
    assert personal_strings_in("\n".join(stored_rows(db_url, sender)))
    engine = retention.connect(db_url)
    try:
        # Even before cleaning, an export never hands out the personal details.
        assert personal_strings_in(json.dumps(retention.export_conversation(engine, sender))) == []

        assert retention.redact_stored(engine) == 3  # the user message, the entities and the slot
        assert retention.redact_stored(engine) == 0
    finally:
        engine.dispose()
    assert personal_strings_in("\n".join(stored_rows(db_url, sender))) == []
    restored = await plain.retrieve(sender)  # Rasa still reads the cleaned rows
    plain.engine.dispose()
    assert restored is not None and restored.get_slot("area") == f"Poole BH15 {POSTCODE}"


async def test_retention_job_runs_once_per_interval(store: RedactingSQLTrackerStore, domain: Domain,
                                                    db_url: str) -> None:
    old = await _stored_conversation(store, domain, days_ago=40)
    job = retention.RetentionJob(db_url, older_than_days=30, interval_s=3600)

    assert job.run_if_due(now=NOW) == retention.PurgeResult(1, 9)
    newly_old = await _stored_conversation(store, domain, days_ago=40)
    assert job.run_if_due(now=NOW + 60) is None  # not due yet
    assert job.run_if_due(now=NOW + 3600) == retention.PurgeResult(1, 9)
    assert stored_rows(db_url, old) == [] and stored_rows(db_url, newly_old) == []


def test_retention_job_does_not_create_a_database(tmp_path: Path) -> None:
    missing = tmp_path / "tracker.db"
    assert retention.RetentionJob(f"sqlite:///{missing}", 30).run_if_due() == retention.PurgeResult(0, 0)
    assert not missing.exists()


@pytest.mark.parametrize(
    ("env", "days"),
    [({}, 30), ({"HOMEWARD_RETENTION_DAYS": "7"}, 7), ({"HOMEWARD_RETENTION_DAYS": " "}, 30)],
)
def test_retention_period_from_the_environment(env: dict[str, str], days: int) -> None:
    assert retention.retention_days_from_env(env) == days


@pytest.mark.parametrize("value", ["0", "-3", "thirty", "1.5"])
def test_a_retention_period_that_makes_no_sense_is_refused(value: str) -> None:
    with pytest.raises(retention.RetentionSettingError, match="HOMEWARD_RETENTION_DAYS"):
        retention.retention_days_from_env({"HOMEWARD_RETENTION_DAYS": value})


@pytest.mark.parametrize(
    ("configured", "expected"),
    [
        (None, f"sqlite:///{retention.DEFAULT_SQLITE_PATH}"),
        ("postgres://u@h:5432/db", "postgresql://u@h:5432/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
    ],
)
def test_tracker_database_url(configured: str | None, expected: str) -> None:
    assert retention.tracker_db_url(configured) == expected


async def test_deleted_conversations_are_overwritten_in_the_sqlite_file(tmp_path: Path, domain: Domain) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = RedactingSQLTrackerStore(domain=domain, host=url)
    sender = uuid.uuid4().hex
    tracker = conversation(sender, domain)
    tracker.update(user_message("my cat is called Marmaduke Fitzwilliam"))
    await store.save(tracker)
    store.engine.dispose()
    assert b"Marmaduke Fitzwilliam" in (tmp_path / "tracker.db").read_bytes()

    engine = retention.connect(url)
    try:
        retention.delete_conversation(engine, sender)
    finally:
        engine.dispose()
    # SQLite would otherwise leave deleted rows readable in the file's free pages.
    assert b"Marmaduke Fitzwilliam" not in (tmp_path / "tracker.db").read_bytes()
