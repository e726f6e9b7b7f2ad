"""What the actions read from a Rasa tracker: audience, area and the predicted question."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.knowledge.model import AUDIENCES


def audience(tracker: Tracker) -> str:
    """What the channel said in the message's metadata, else the slot, else 'family'.

    The gateway sets the metadata on every message ("staff" only from the signed-in console), so
    it wins: someone in the public chat saying "I'm a nurse" (which sets the slot) still gets
    family answers. The slot counts only where no channel says (e.g. `rasa shell`).
    """
    metadata = tracker.latest_message.get("metadata") or {}
    if metadata.get("audience") in AUDIENCES:
        return metadata["audience"]
    slot = tracker.get_slot("audience")
    return slot if slot in AUDIENCES else "family"


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
