"""The unrelated-message report counts what a user would be answered with."""

from __future__ import annotations

from bot.nlp.unrelated_parse import Parse, parse_from_output
from bot.nlp.unrelated_report import after, gets_discharge_content


def test_a_topic_answer_is_discharge_content_and_our_own_replies_are_not() -> None:
    assert gets_discharge_content(Parse("book a flight", "equipment", 0.99, "equipment/dfg"))
    for intent in ("out_of_scope", "nlu_fallback", "red_flag", "greet", "thank"):
        assert not gets_discharge_content(Parse("x", intent, 0.99, None))


def test_after_applies_the_resolver_decision_to_a_parse() -> None:
    parse = Parse("book me a flight", "funding", 0.99, "funding/who_pays")
    assert after(parse, 0.95, 0.8) == Parse("book me a flight", "out_of_scope", 1.0, "out_of_scope/unrelated")
    assert after(parse, 0.5, 0.8) == parse
    button = Parse("/affirm", "affirm", 1.0, None)
    assert after(button, 0.99, 0.8) == button


def test_a_rasa_parse_keeps_intent_confidence_and_selected_question() -> None:
    output = {
        "text": "who pays",
        "intent": {"name": "funding", "confidence": 0.7},
        "response_selector": {"default": {"response": {"intent_response_key": "funding/who_pays"}}},
    }
    assert parse_from_output(output) == Parse("who pays", "funding", 0.7, "funding/who_pays")
