"""Builds rasa_sdk trackers the way Rasa sends them to the action server."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker


def make_tracker(
    intent: str = "greet",
    text: str = "",
    slots: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    selected: str | None = None,
    metadata: dict[str, Any] | None = None,
    active_loop: str | None = None,
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
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )
