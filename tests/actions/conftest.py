"""Builds rasa_sdk trackers the way Rasa sends them to the action server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker

from actions import directory as directory_actions
from bot.directory.db import upgrade_database
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import seed_database

DIRECTORY_FIXTURE = Path(__file__).parent / "fixtures" / "directory.yml"


@pytest.fixture
def small_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DirectoryRepository]:
    """A made-up directory in a fresh SQLite file, used by the actions instead of the real one."""
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    upgrade_database(url)
    repository = DirectoryRepository(url)
    seed_database(repository, DIRECTORY_FIXTURE)
    monkeypatch.setattr(directory_actions, "directory", lambda: repository)
    yield repository
    repository.close()


def make_tracker(
    intent: str = "greet",
    text: str = "",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    selected: str | None = None,
    metadata: dict[str, Any] | None = None,
    active_loop: str | None = None,
    events: list[dict[str, Any]] | None = None,
) -> Tracker:
    latest_message: dict[str, Any] = {
        "text": text,
        "intent": {"name": intent, "confidence": 0.9},
        "entities": entities or [],
        "metadata": metadata or {},
    }
    if selected:
        latest_message["response_selector"] = {
            "all_retrieval_intents": [selected.split("/")[0]],
            "default": {"response": {"intent_response_key": selected, "confidence": 0.9}},
        }
    return Tracker(
        sender_id="test-conversation",
        slots=slots or {},
        latest_message=latest_message,
        events=events or [],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
