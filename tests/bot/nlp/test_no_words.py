"""A message with no words in it is not understood, rather than answered with a discharge topic."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.no_words import NoWordsResolver, has_words


@pytest.mark.parametrize("text", ["5", "?", "...", "\N{THUMBS UP SIGN}", "12345", "!!", "a"])
def test_no_words_becomes_not_understood(text: str) -> None:
    message = Message({"text": text, "intent": {"name": "discharge_process", "confidence": 0.7},
                       "intent_ranking": [{"name": "discharge_process", "confidence": 0.7}],
                       "response_selector": {"default": {"response": {"intent_response_key": "x/y"}}}})
    NoWordsResolver().process([message])
    assert message.get("intent") == {"name": "nlu_fallback", "confidence": 1.0}
    # Nothing to guess from: no topics or question offered on the strength of noise.
    assert message.get("intent_ranking") == [{"name": "nlu_fallback", "confidence": 1.0}]
    assert message.get("response_selector") == {}


@pytest.mark.parametrize("text", ["ok", "no", "P1", "RM1", "/affirm", "là", "what is CHC?"])
def test_messages_with_words_keep_their_intent(text: str) -> None:
    message = Message({"text": text, "intent": {"name": "affirm", "confidence": 0.9}})
    NoWordsResolver().process([message])
    assert message.get("intent")["name"] == "affirm"
    assert has_words(text) or text.startswith("/")
