"""What the actions read from a Rasa tracker: audience, area and the predicted question."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.knowledge.model import AUDIENCES


def audience(tracker: Tracker) -> str:
    """The slot if set, else what the channel said in message metadata, else 'family'."""
    slot = tracker.get_slot("audience")
    if slot in AUDIENCES:
        return slot
    metadata = tracker.latest_message.get("metadata") or {}
    return metadata.get("audience") if metadata.get("audience") in AUDIENCES else "family"


def area(tracker: Tracker) -> str | None:
    return tracker.get_slot("area")


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def entity_value(tracker: Tracker, entity: str) -> str | None:
    return next(tracker.get_latest_entity_values(entity), None)


def selected_question(tracker: Tracker) -> str | None:
    """The retrieval intent (e.g. 'funding/who_pays') the ResponseSelector picked."""
    selector: dict[str, Any] = tracker.latest_message.get("response_selector") or {}
    intent = latest_intent(tracker)
    for key in (intent, "default"):
        prediction = selector.get(key) or {}
        response_key = (prediction.get("response") or {}).get("intent_response_key")
        if response_key:
            return response_key
    return None
