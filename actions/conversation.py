"""What the actions read from a Rasa tracker: audience, area and the predicted question."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot.knowledge.model import AUDIENCES, Ranked


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


def ranked_questions(tracker: Tracker) -> list[Ranked]:
    """Every question the NLU ranked for the latest message, best first.

    The selected question always leads. A component after the selector that changed the choice
    (e.g. to the pathway the user named) decided it by rule, so it leads as a sure choice."""
    selector: dict[str, Any] = (tracker.latest_message.get("response_selector") or {}).get("default") or {}
    ranking = [
        Ranked(str(r["intent_response_key"]), float(r.get("confidence") or 0.0))
        for r in selector.get("ranking") or []
        if isinstance(r, dict) and r.get("intent_response_key")
    ]
    chosen = selected_question(tracker)
    response = selector.get("response") or {}
    if chosen and response.get("corrected_by"):
        return [Ranked(chosen, 1.0), *(r for r in ranking if r.key != chosen)]
    if chosen and (not ranking or ranking[0].key != chosen):
        lead = Ranked(chosen, float(response.get("confidence") or 0.0))
        ranking = [lead, *(r for r in ranking if r.key != chosen)]
    return ranking
