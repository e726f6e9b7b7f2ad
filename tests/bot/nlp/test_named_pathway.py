"""The pathway the user names is the one explained, whatever the selector guessed."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.named_pathway import NamedPathwayResolver, named_pathway_question


def _parsed(text: str, selected: str, mentions: list[str]) -> Message:
    ranking = [{"intent_response_key": selected, "confidence": 0.6}] + [
        {"intent_response_key": f"pathways/pathway_{n}", "confidence": 0.1} for n in "0123" if not selected.endswith(n)
    ]
    return Message(
        data={
            "text": text,
            "entities": [{"entity": "pathway", "value": m} for m in mentions],
            "response_selector": {
                "default": {
                    "response": {
                        "intent_response_key": selected,
                        "utter_action": f"utter_{selected}",
                        "responses": [{"text": "old"}],
                        "confidence": 0.6,
                    },
                    "ranking": ranking,
                }
            },
        }
    )


@pytest.mark.parametrize(
    ("mention", "guess", "expected"),
    [
        ("P2", "pathways/pathway_1", "pathways/pathway_2"),
        ("pathway zero", "pathways/pathway_3", "pathways/pathway_0"),
        ("Pathway 3", "pathways/overview", "pathways/pathway_3"),
        ("p1", "pathways/pathway_0", "pathways/pathway_1"),
    ],
)
def test_the_named_pathway_replaces_the_selectors_guess(mention: str, guess: str, expected: str) -> None:
    message = _parsed(f"what is {mention}", guess, [mention])
    NamedPathwayResolver().process([message])
    selected = message.get("response_selector")["default"]
    assert selected["response"]["intent_response_key"] == expected
    assert selected["response"]["utter_action"] == f"utter_{expected}"
    assert selected["ranking"][0]["intent_response_key"] == expected


def test_two_named_pathways_keep_the_selectors_choice() -> None:
    message = _parsed("is it P2 or P3", "pathways/pathway_2", ["P2", "P3"])
    NamedPathwayResolver().process([message])
    assert message.get("response_selector")["default"]["response"]["intent_response_key"] == "pathways/pathway_2"


@pytest.mark.parametrize("selected", ["funding/who_pays", "pathways/who_decides", "chc/checklist"])
def test_other_questions_that_mention_a_pathway_are_left_alone(selected: str) -> None:
    assert named_pathway_question(selected, ["P1"]) is None


def test_a_message_without_a_selection_is_left_alone() -> None:
    message = Message(data={"text": "hello", "entities": [{"entity": "pathway", "value": "P1"}]})
    NamedPathwayResolver().process([message])
    assert message.get("response_selector") is None
