"""A conversation in which someone shares personal details the assistant never asked for."""

from __future__ import annotations

import time

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    EntitiesAdded,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

NHS = "943 476 5919"
PHONE = "07700 900123"
EMAIL = "jo.bloggs@example.com"
POSTCODE = "BH15 2AA"
BIRTH_DATE = "12/03/1941"
# Every way these could show up in a stored row, spaced or not.
PERSONAL_STRINGS = (NHS, "9434765919", PHONE, "07700900123", EMAIL, POSTCODE, "2AA", BIRTH_DATE, "1941")

USER_TEXT = (
    f"My dad (NHS number {NHS}, born {BIRTH_DATE}) lives at {POSTCODE}. "
    f"Can someone call me on {PHONE} or email {EMAIL}? Who pays for his care?"
)
# Our own reply, with a helpline number that must survive untouched.
BOT_TEXT = "If you're finding things hard, you can call Samaritans free on 116 123, day or night."
# Random hex with a 10-digit run in it: an identifier must never be taken for an NHS number.
MESSAGE_ID = "ab1234567890cdef1234567890abcdef"


def user_message(text: str = USER_TEXT, timestamp: float | None = None) -> UserUttered:
    place = {"entity": "place", "value": POSTCODE, "start": text.find(POSTCODE), "end": text.find(POSTCODE) + 8,
             "extractor": "SpacyEntityExtractor"}
    return UserUttered(
        text=text,
        intent={"name": "funding", "confidence": 0.93},
        entities=[place],
        parse_data={"intent": {"name": "funding", "confidence": 0.93}, "entities": [place], "text": text,
                    "intent_ranking": [{"name": "funding", "confidence": 0.93}]},
        timestamp=timestamp,
        input_channel="rest",
        message_id=MESSAGE_ID,
        metadata={"audience": "family", "note": f"ring {PHONE}", "model_id": "9876543210abcdef"},
    )


def conversation_events(start: float | None = None) -> list[Event]:
    """A session: greeting over, the user shares details, the assistant remembers an area and replies."""
    t = time.time() if start is None else start
    return [
        ActionExecuted("action_session_start", timestamp=t),
        SessionStarted(timestamp=t, metadata={"audience": "family"}),
        ActionExecuted("action_listen", timestamp=t),
        user_message(timestamp=t + 1),
        EntitiesAdded([{"entity": "place", "value": POSTCODE}], timestamp=t + 1),
        SlotSet("area", f"Poole {POSTCODE}", timestamp=t + 2),
        ActionExecuted("action_answer_question", timestamp=t + 2),
        BotUttered(BOT_TEXT, timestamp=t + 2),
        ActionExecuted("action_listen", timestamp=t + 3),
    ]


def conversation(sender_id: str, domain: Domain, start: float | None = None) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(sender_id, conversation_events(start), slots=domain.slots)


def personal_strings_in(text: str) -> list[str]:
    return [value for value in PERSONAL_STRINGS if value in text]
