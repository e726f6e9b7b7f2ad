"""Plainly unrelated messages get the out-of-scope answer; our own questions, small talk and
buttons keep theirs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.data import TrainingType
from rasa.shared.nlu.training_data.message import Message

from bot.nlp import unrelated
from bot.nlp.no_words import NoWordsResolver
from bot.nlp.red_flag_detector import RedFlagDetector
from bot.nlp.unrelated import (
    OUT_OF_SCOPE,
    UNRELATED_QUESTION,
    UnrelatedClassifier,
    UnrelatedMessageResolver,
    default_classifier,
    nlu_examples,
    training_set,
)
from bot.nlp.unrelated_data import (
    PROJECT_ROOT,
    SMALL_TALK_INTENTS,
    TRAIN_FILE,
    VAL_FILE,
    read_requests,
    unrelated_requests,
    vendor,
)

SHARED_CLINC150 = PROJECT_ROOT.parent / "shared" / "datasets" / "clinc150"


@pytest.fixture(scope="module")
def resolver() -> UnrelatedMessageResolver:
    return UnrelatedMessageResolver(default_classifier(), unrelated.THRESHOLD)


def _parsed(text: str, intent: str, confidence: float, question: str | None = None) -> Message:
    message = Message({"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence}])
    if question:
        message.set("response_selector", {"default": {"response": {"intent_response_key": question,
                                                                    "utter_action": f"utter_{question}"}}})
    return message


def _selected(message: Message) -> str | None:
    return ((message.get("response_selector") or {}).get("default") or {}).get("response", {}).get(
        "intent_response_key"
    )


@pytest.mark.parametrize(
    ("text", "intent", "question"),
    [
        ("asdfgh qwerty", "equipment", "equipment/dfg"),
        ("book me a flight to paris on friday", "discharge_process", "discharge_process/home_first"),
        ("how do i change the pin on my debit card", "funding", "funding/who_pays"),
        ("what's a good recipe for banana bread", "carers", "carers/respite_breaks"),
        ("set a timer for ten minutes", "nlu_fallback", None),
    ],
)
def test_an_unrelated_message_gets_the_unrelated_out_of_scope_answer(
    resolver: UnrelatedMessageResolver, text: str, intent: str, question: str | None
) -> None:
    (out,) = resolver.process([_parsed(text, intent, 0.99, question)])
    assert out.get("intent") == {"name": OUT_OF_SCOPE, "confidence": 1.0}
    assert out.get("intent_ranking") == [{"name": OUT_OF_SCOPE, "confidence": 1.0}]  # no guessed topics
    assert _selected(out) == UNRELATED_QUESTION


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "question"),
    [
        ("who pays for care after mum leaves hospital", "funding", 0.7, "funding/who_pays"),
        ("what is P2", "pathways", 0.6, "pathways/pathway_2"),
        ("the hoist has not arrived and dad is home tomorrow", "equipment", 0.5, "equipment/equipment_not_arrived"),
        ("contiuing helthcare", "chc", 0.5, "chc/what_is_chc"),
        ("can i get a carers assessment", "carers", 0.4, "carers/carers_assessment"),
        # Small talk the classifier is sure of, an area-only reply, a button, a message with no words.
        ("thanks a lot, have a good day", "thank", 0.95, None),
        ("RM1", "inform_area", 1.0, None),
        ("/affirm", "affirm", 1.0, None),
        ("5", "nlu_fallback", 1.0, None),
        # Our own out-of-scope kinds and red flags are answered by their own routes.
        ("how much attendance allowance will she get", OUT_OF_SCOPE, 0.9, "out_of_scope/benefits_calculation"),
        ("call an ambulance", "red_flag", 1.0, None),
    ],
)
def test_our_questions_small_talk_and_buttons_keep_their_answer(
    resolver: UnrelatedMessageResolver, text: str, intent: str, confidence: float, question: str | None
) -> None:
    (out,) = resolver.process([_parsed(text, intent, confidence, question)])
    assert out.get("intent") == {"name": intent, "confidence": confidence}
    assert _selected(out) == question


EVERYDAY = "book me a flight to paris and a hotel near the airport"


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        (EVERYDAY, "red_flag", 1.0),  # the red-flag route answers
        (EVERYDAY, OUT_OF_SCOPE, 0.6),  # our own out-of-scope kind answers
        (EVERYDAY, "inform_area", 1.0),  # the area resolver decided
        (EVERYDAY, "goodbye", 0.95),  # small talk the classifier is sure of
        ("/book_flight_to_paris_and_a_hotel", "book", 1.0),  # a button payload
    ],
)
def test_what_other_parts_decided_is_never_overridden(
    resolver: UnrelatedMessageResolver, text: str, intent: str, confidence: float
) -> None:
    assert default_classifier().probability(text) >= unrelated.THRESHOLD  # it would be caught otherwise
    (out,) = resolver.process([_parsed(text, intent, confidence)])
    assert out.get("intent") == {"name": intent, "confidence": confidence}


def test_small_talk_the_classifier_is_unsure_of_can_still_be_unrelated(resolver: UnrelatedMessageResolver) -> None:
    (out,) = resolver.process([_parsed("what's the exchange rate from pounds to euros", "greet", 0.5)])
    assert out.get("intent")["name"] == OUT_OF_SCOPE


def test_the_same_data_gives_the_same_model() -> None:
    texts, labels = training_set([r.text for r in read_requests(TRAIN_FILE)][::7], nlu_examples())
    first, second = UnrelatedClassifier.fit(texts, labels), UnrelatedClassifier.fit(texts, labels)
    probes = ["book a table for two", "who pays for a care home", "is the bank open", "what is reablement"]
    assert first.probabilities(probes) == second.probabilities(probes)


def test_it_trains_on_the_vendored_requests_and_every_nlu_example() -> None:
    texts, labels = training_set([r.text for r in read_requests(TRAIN_FILE)], nlu_examples())
    ours = nlu_examples()
    assert texts[: len(ours)] == [text for text, _ in ours]
    assert labels[: len(ours)].count("unrelated") == sum(intent == UNRELATED_QUESTION for _, intent in ours)
    everyday = read_requests(TRAIN_FILE)
    assert len(everyday) > 10_000
    assert not {r.intent for r in everyday} & SMALL_TALK_INTENTS
    assert set(texts[len(ours):]) <= {r.text for r in everyday}


def test_the_vendored_files_say_where_they_come_from_and_under_what_licence() -> None:
    for path in (TRAIN_FILE, VAL_FILE):
        header = path.read_text(encoding="utf-8")[:1000]
        assert "github.com/clinc/oos-eval" in header and "CC BY 3.0" in header
    assert (TRAIN_FILE.parent / "CLINC150_LICENSE").read_text(encoding="utf-8").startswith("Creative Commons")


def test_no_measured_request_is_trained_on() -> None:
    assert not {r.text for r in read_requests(TRAIN_FILE)} & {r.text for r in read_requests(VAL_FILE)}


def test_small_talk_is_left_out_of_the_unrelated_requests() -> None:
    pairs = [["hello there", "greeting"], ["thanks", "thank_you"], ["book  a flight", "book_flight"]]
    assert [(r.intent, r.text) for r in unrelated_requests(pairs)] == [("book_flight", "book a flight")]


@pytest.mark.skipif(not SHARED_CLINC150.exists(), reason="the shared CLINC150 copy is not on this machine")
def test_the_vendored_files_are_what_the_dataset_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.nlp import unrelated_data

    monkeypatch.setattr(unrelated_data, "TRAIN_FILE", tmp_path / "train.txt")
    monkeypatch.setattr(unrelated_data, "VAL_FILE", tmp_path / "val.txt")
    vendor(SHARED_CLINC150)
    assert (tmp_path / "train.txt").read_text(encoding="utf-8") == TRAIN_FILE.read_text(encoding="utf-8")
    assert (tmp_path / "val.txt").read_text(encoding="utf-8") == VAL_FILE.read_text(encoding="utf-8")
    assert json.loads((SHARED_CLINC150 / "train_val.json").read_text(encoding="utf-8"))["train"]


def test_rasa_runs_it_after_the_no_words_resolver_and_before_the_red_flag_detector() -> None:
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text(encoding="utf-8"))
    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, training_type=TrainingType.BOTH)
    nodes = graph.predict_schema.nodes
    node_of = {node.uses: name for name, node in nodes.items()}
    detector = node_of[RedFlagDetector]
    assert nodes[detector].needs["messages"] == node_of[UnrelatedMessageResolver]
    assert nodes[node_of[UnrelatedMessageResolver]].needs["messages"] == node_of[NoWordsResolver]
    assert not any(node.uses is UnrelatedMessageResolver for node in graph.train_schema.nodes.values())


def test_the_selector_keeps_the_list_of_retrieval_intents_the_red_flag_route_reads(
    resolver: UnrelatedMessageResolver,
) -> None:
    message = _parsed("book me a flight to paris on friday", "funding", 0.9, "funding/who_pays")
    message.get("response_selector")["all_retrieval_intents"] = ["funding", "out_of_scope"]
    (out,) = resolver.process([message])
    assert out.get("response_selector")["all_retrieval_intents"] == ["funding", "out_of_scope"]
    assert _selected(out) == UNRELATED_QUESTION


@pytest.mark.parametrize(
    "text",
    ["Will my property be taken into account?", "should we apply for CHC? Is this the right time?",
     "How can I be expected to pay a top up for my father", "what happens at a carers assessment",
     "does the careline button work in the garden", "can the ombudsman look at this"],
)
def test_a_message_using_our_own_words_is_never_turned_away(text: str) -> None:
    assert not unrelated.may_be_unrelated(text, "funding", 0.4)
