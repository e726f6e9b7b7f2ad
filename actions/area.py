"""The user's council area: reading it from a message or button, and asking for it.

Shared by ``action_set_area`` (any time) and the service-search form (when it needs an area).
The area slot holds a council code, or ``elsewhere`` once the user has told us they live
outside the covered councils (so we stop asking, and show national services).
"""

from __future__ import annotations

import json

from rasa_sdk import Tracker

from actions import conversation
from bot.directory.areas import AreaResolution, all_councils, council, resolve_area

ELSEWHERE = "elsewhere"
AREA_QUESTION = (
    "Local services can differ. Which council area is the person going home to? "
    "Pick one, or type a town or postcode, for example Poole, Hereford or RM1."
)
NOT_RECOGNISED = "Sorry, I don't recognise that place. Could you pick the council area, or type the nearest town?"


def payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def area_buttons(codes: list[str] | None = None) -> list[dict[str, str]]:
    councils = [c for c in all_councils() if codes is None or c.code in codes]
    buttons = [{"title": c.name, "payload": payload("inform_area", council=c.code)} for c in councils]
    buttons.append({"title": "Somewhere else", "payload": payload("inform_area", council=ELSEWHERE)})
    return buttons


def outside_text(place: str | None) -> str:
    covered = ", ".join(c.name for c in all_councils())
    where = f"{place} is" if place else "That area is"
    return (
        f"{where} outside the areas I hold local information for ({covered}). "
        "The national information I give still applies across England. For local services, "
        "ask the hospital ward team, or contact the adult social care team at the council "
        "where the person lives (their website lists how)."
    )


def _said(tracker: Tracker, use_whole_text: bool) -> str:
    place = conversation.entity_value(tracker, "place")
    return place or (tracker.latest_message.get("text") or "" if use_whole_text else "")


def resolution_of_latest_message(tracker: Tracker, use_whole_text: bool = True) -> AreaResolution | None:
    said = _said(tracker, use_whole_text)
    return resolve_area(said) if said.strip() else None


def area_from_message(tracker: Tracker, use_whole_text: bool) -> str | None:
    """A council code, ELSEWHERE, or None when the message does not settle the area.

    ``use_whole_text``: read the whole message as a place (when we have just asked for one);
    otherwise only a place the EntityRuler found counts.
    """
    picked = conversation.entity_value(tracker, "council")  # the area buttons send a council code
    if picked == ELSEWHERE or (picked and council(picked)):
        return picked
    resolution = resolution_of_latest_message(tracker, use_whole_text)
    if resolution is None:
        return None
    if resolution.kind == "council":
        return resolution.councils[0].code
    if resolution.kind == "outside":
        return ELSEWHERE
    return None


def area_prompt(tracker: Tracker) -> tuple[str, list[dict[str, str]]]:
    """What to ask when the area is still unknown: a precise question if the user named a split
    or unknown place, else the general question."""
    named_a_place = conversation.latest_intent(tracker) == "inform_area" or conversation.entity_value(
        tracker, "place"
    )
    resolution = resolution_of_latest_message(tracker) if named_a_place else None
    if resolution is not None and resolution.kind == "ambiguous":
        return resolution.question, area_buttons([c.code for c in resolution.councils])
    if resolution is not None and resolution.kind == "unknown":
        return NOT_RECOGNISED, area_buttons()
    return AREA_QUESTION, area_buttons()
