"""Replies that only say where someone lives become inform_area, whatever the classifier said."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.area_message import is_area_message, mark_area_message

AREA_ONLY = [
    "RM1",
    "RM3 7HE",
    "BH15",
    "HP20",
    "my postcode is HR1 2AB",
    "Manchester",
    "SW1A 1AA",
    "Poole",
    "she lives in Poole",
    "sorry, actually she lives in Romford not Poole",
    "Dorset please",
    "somewhere else",
    "none of these",
    "what about Poole?",
    "we're in Bournemouth",
]
NOT_ONLY_AN_AREA = [
    "I live in Hereford, what help is there for carers",
    "is there help for carers in Poole",
    "care home in Poole",
    "what is P1",
    "p2",
    "ok",
    "hello",
    "who pays for care",
    "/inform_area{\"council\": \"bcp\"}",
]


@pytest.mark.parametrize("text", AREA_ONLY)
def test_area_only_messages(text: str) -> None:
    assert is_area_message(text)


@pytest.mark.parametrize("text", NOT_ONLY_AN_AREA)
def test_messages_that_ask_something_keep_their_intent(text: str) -> None:
    message = Message({"text": text, "intent": {"name": "carers", "confidence": 0.8}})
    mark_area_message(message)
    assert message.get("intent")["name"] == "carers"


def test_the_intent_becomes_inform_area_with_full_confidence() -> None:
    message = Message({"text": "RM1", "intent": {"name": "nlu_fallback", "confidence": 0.3},
                       "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.3}]})
    assert mark_area_message(message)
    assert message.get("intent") == {"name": "inform_area", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "inform_area"


def test_somewhere_else_typed_picks_the_somewhere_else_area() -> None:
    message = Message({"text": "Somewhere else", "intent": {"name": "nlu_fallback", "confidence": 0.3}})
    mark_area_message(message)
    assert {"entity": "council", "value": "elsewhere"}.items() <= message.get("entities")[0].items()
