"""The Rasa component that turns a red flag into the `red_flag` intent, whatever DIET predicted."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import MagicMock

import pytest
import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.data import TrainingType
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.red_flag_detector import RED_FLAG_INTENT, RedFlagDetector
from bot.safety.routes import GENERAL

PROJECT_ROOT = Path(__file__).resolve().parents[3]
COMPONENT = "bot.nlp.red_flag_detector.RedFlagDetector"


@pytest.fixture(scope="module")
def component() -> RedFlagDetector:
    return RedFlagDetector.create({}, MagicMock(), MagicMock(), MagicMock())


def _parsed(text: str, intent: str, confidence: float, others: list[tuple[str, float]] = ()) -> Message:
    """A message as it reaches the last NLU component: intent, ranking, entities, selector."""
    ranking = [{"name": intent, "confidence": confidence}, *({"name": n, "confidence": c} for n, c in others)]
    message = Message(data={"text": text})
    message.set("intent", dict(ranking[0]), add_to_output=True)
    message.set("intent_ranking", ranking, add_to_output=True)
    message.set("entities", [{"entity": "place", "value": "Poole", "start": 0, "end": 5}], add_to_output=True)
    message.set("response_selector", {"default": {"response": {"intent_response_key": "funding/who_pays"}}})
    return message


def test_a_red_flag_overrides_a_confident_intent(component: RedFlagDetector) -> None:
    message = _parsed("who pays for carers? also mum has chest pain now", "funding", 0.97, [("chc", 0.02)])
    (out,) = component.process([message])
    assert out.get("intent") == {"name": RED_FLAG_INTENT, "confidence": 1.0}
    ranking = [r["name"] for r in out.get("intent_ranking")]
    assert ranking == [RED_FLAG_INTENT, "funding", "chc"]  # the question asked stays next in line
    flags = [e for e in out.get("entities") if e["entity"] == "red_flag"]
    assert flags == [
        {
            "entity": "red_flag",
            "value": "emergency",
            "start": 0,
            "end": len(message.get("text")),
            "confidence_entity": 1.0,
            "extractor": "RedFlagDetector",
        }
    ]
    assert any(e["entity"] == "place" for e in out.get("entities"))  # other entities are kept
    assert out.get("response_selector")["default"]["response"]["intent_response_key"] == "funding/who_pays"


def test_a_red_flag_overrides_the_fallback_intent(component: RedFlagDetector) -> None:
    message = _parsed("i dont want to be here anymore", "nlu_fallback", 0.45, [("greet", 0.3)])
    (out,) = component.process([message])
    assert out.get("intent")["name"] == RED_FLAG_INTENT
    assert [r["name"] for r in out.get("intent_ranking")] == [RED_FLAG_INTENT, "nlu_fallback", "greet"]
    assert [e["value"] for e in out.get("entities") if e["entity"] == "red_flag"] == ["suicide_self_harm"]


def test_the_previous_intent_is_kept_even_without_a_ranking(component: RedFlagDetector) -> None:
    message = Message(data={"text": "the carer hit my dad", "intent": {"name": "rights", "confidence": 0.6}})
    (out,) = component.process([message])
    assert [r["name"] for r in out.get("intent_ranking")] == [RED_FLAG_INTENT, "rights"]
    assert [e["value"] for e in out.get("entities")] == ["safeguarding"]


def test_an_ordinary_question_is_left_exactly_as_it_was(component: RedFlagDetector) -> None:
    message = _parsed("who pays for care after six weeks", "funding", 0.91)
    before = message.as_dict()
    (out,) = component.process([message])
    assert out.as_dict() == before


def test_messages_without_text_are_skipped(component: RedFlagDetector) -> None:
    empty = Message(data={"text": ""})
    assert component.process([empty]) == [empty]
    assert empty.get("intent") is None


def test_every_message_in_a_batch_is_checked(component: RedFlagDetector) -> None:
    calm = _parsed("what is pathway 2", "pathways", 0.9)
    urgent = _parsed("dad fell last night", "pathways", 0.9)
    out = component.process([calm, urgent])
    assert [m.get("intent")["name"] for m in out] == ["pathways", RED_FLAG_INTENT]


def test_a_detection_error_gives_the_safety_route_and_does_not_log_the_text(
    component: RedFlagDetector, monkeypatch, caplog
) -> None:
    def broken(_text: str) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(component._detector, "detect", broken)
    message = _parsed("mum has chest pain", "funding", 0.9)
    (out,) = component.process([message])
    # A message that could not be checked gets the general safety route (999, 111, Samaritans) first.
    assert out.get("intent")["name"] == RED_FLAG_INTENT
    assert [e["value"] for e in out.get("entities") if e["entity"] == "red_flag"] == [GENERAL]
    assert "Red-flag detection failed" in caplog.text
    assert "chest pain" not in caplog.text


def test_a_red_flag_is_logged_by_group_and_rule_never_by_its_words(component: RedFlagDetector, caplog) -> None:
    caplog.set_level("INFO", logger="bot.nlp.red_flag_detector")
    component.process([_parsed("mum has wandered off and we can't find her", "funding", 0.9)])
    assert "Red flag: group=missing_person source=rule rule=missing_person" in caplog.text
    assert "wandered" not in caplog.text and "find her" not in caplog.text


def test_a_staff_hypothetical_keeps_its_answer_and_gets_no_route(component: RedFlagDetector) -> None:
    message = _parsed("for our ward induction pack: what is the safeguarding referral process?", "rights", 0.8)
    (out,) = component.process([message])
    assert out.get("intent")["name"] == "rights"
    assert not [e for e in out.get("entities") if e["entity"] == "red_flag"]


def test_rasa_accepts_it_as_the_last_nlu_component_after_the_fallback_classifier() -> None:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    pipeline = [c for c in config["pipeline"] if c["name"] != COMPONENT] + [{"name": COMPONENT}]
    graph = DefaultV1Recipe().graph_config_for_recipe(
        {**config, "pipeline": pipeline}, {}, training_type=TrainingType.BOTH
    )
    nodes = graph.predict_schema.nodes
    detector_node = next(name for name, node in nodes.items() if node.uses is RedFlagDetector)
    fallback_node = next(name for name, node in nodes.items() if node.uses.__name__ == "FallbackClassifier")
    # After the fallback classifier (other deterministic components may sit between them)...
    upstream, node_name = [], detector_node
    while nodes.get(node_name) is not None and "messages" in nodes[node_name].needs:
        node_name = nodes[node_name].needs["messages"]
        upstream.append(node_name)
    assert fallback_node in upstream
    # ...and last: nothing but Rasa's own message handler reads its output.
    assert nodes["run_RegexMessageHandler"].needs["messages"] == detector_node
    # Not trainable: nothing for it in the training graph.
    assert not any(node.uses is RedFlagDetector for node in graph.train_schema.nodes.values())


def test_an_unpaired_surrogate_does_not_hide_a_red_flag(component: RedFlagDetector) -> None:
    # Half an emoji ("\ud800") made spaCy raise UnicodeEncodeError, and the message lost its crisis route.
    (out,) = component.process([_parsed("I want to end my life\ud800", "nlu_fallback", 0.2)])
    assert out.get("intent")["name"] == RED_FLAG_INTENT
    assert [e["value"] for e in out.get("entities") if e["entity"] == "red_flag"] == ["suicide_self_harm"]
