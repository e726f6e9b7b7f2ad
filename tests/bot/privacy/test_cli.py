"""``python -m bot privacy ...`` as an operator uses it, against SQLite and PostgreSQL."""

from __future__ import annotations

import argparse
import json
import time
import uuid
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain

from bot.privacy.cli import add_privacy_commands
from bot.privacy.tracker_store import RedactingSQLTrackerStore
from tests.bot.privacy.conftest import stored_rows
from tests.bot.privacy.conversations import conversation, personal_strings_in

DAY = 24 * 60 * 60


def run(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    add_privacy_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["privacy", *argv])
    return args.func(args)


async def _saved(store: RedactingSQLTrackerStore, domain: Domain, days_ago: float = 0) -> str:
    sender = uuid.uuid4().hex
    await store.save(conversation(sender, domain, start=time.time() - days_ago * DAY))
    return sender


async def test_purge_uses_the_period_given(store: RedactingSQLTrackerStore, domain: Domain, db_url: str,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    old, recent = await _saved(store, domain, days_ago=10), await _saved(store, domain, days_ago=2)

    assert run("purge", "--older-than-days", "7", "--db-url", db_url) == 0

    assert "Deleted 1 conversation(s) with no messages in the last 7 days" in capsys.readouterr().out
    assert stored_rows(db_url, old) == [] and stored_rows(db_url, recent)


async def test_purge_defaults_to_the_configured_period(store: RedactingSQLTrackerStore, domain: Domain,
                                                       db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    forty_days, ten_days = await _saved(store, domain, days_ago=40), await _saved(store, domain, days_ago=10)
    monkeypatch.delenv("HOMEWARD_RETENTION_DAYS", raising=False)
    assert run("purge", "--db-url", db_url) == 0  # 30 days
    assert stored_rows(db_url, forty_days) == [] and stored_rows(db_url, ten_days)

    monkeypatch.setenv("HOMEWARD_RETENTION_DAYS", "5")
    assert run("purge", "--db-url", db_url) == 0
    assert stored_rows(db_url, ten_days) == []


async def test_purge_reads_the_database_from_tracker_db_url(store: RedactingSQLTrackerStore, domain: Domain,
                                                            db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    old = await _saved(store, domain, days_ago=40)
    monkeypatch.setenv("TRACKER_DB_URL", db_url)
    assert run("purge") == 0
    assert stored_rows(db_url, old) == []


def test_a_bad_retention_setting_stops_the_purge(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("HOMEWARD_RETENTION_DAYS", "a month")
    assert run("purge", "--db-url", f"sqlite:///{tmp_path / 'tracker.db'}") == 2
    assert "HOMEWARD_RETENTION_DAYS must be a whole number of days" in capsys.readouterr().err


def test_zero_days_is_refused() -> None:
    with pytest.raises(SystemExit):
        run("purge", "--older-than-days", "0")


async def test_export_prints_json(store: RedactingSQLTrackerStore, domain: Domain, db_url: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    sender = await _saved(store, domain)

    assert run("export", "--conversation", sender, "--db-url", db_url) == 0

    document = json.loads(capsys.readouterr().out)
    assert document["conversation_id"] == sender and len(document["messages"]) == 2
    assert personal_strings_in(json.dumps(document)) == []


async def test_export_to_a_file(store: RedactingSQLTrackerStore, domain: Domain, db_url: str, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    sender = await _saved(store, domain)
    output = tmp_path / "export.json"

    assert run("export", "--conversation", sender, "--output", str(output), "--db-url", db_url) == 0

    assert json.loads(output.read_text(encoding="utf-8"))["conversation_id"] == sender
    assert capsys.readouterr().out == ""


async def test_delete_one_conversation(store: RedactingSQLTrackerStore, domain: Domain, db_url: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    sender, other = await _saved(store, domain), await _saved(store, domain)

    assert run("delete", "--conversation", sender, "--db-url", db_url) == 0

    assert f"Deleted conversation '{sender}' (9 stored events)" in capsys.readouterr().out
    assert stored_rows(db_url, sender) == [] and stored_rows(db_url, other)


@pytest.mark.parametrize("command", ["export", "delete"])
def test_an_unknown_conversation_is_reported(command: str, db_url: str, store: RedactingSQLTrackerStore,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert run(command, "--conversation", "not-a-real-id", "--db-url", db_url) == 1
    assert "No conversation is stored with the id 'not-a-real-id'" in capsys.readouterr().err


@pytest.mark.parametrize(("command", "code"), [("purge", 0), ("export", 1), ("delete", 1), ("redact-stored", 0)])
def test_no_database_file_yet(command: str, code: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "tracker.db"
    argv = [command, "--db-url", f"sqlite:///{missing}"]
    if command in ("export", "delete"):
        argv += ["--conversation", "abc"]
    assert run(*argv) == code
    assert "does not exist" in capsys.readouterr().err
    assert not missing.exists()
