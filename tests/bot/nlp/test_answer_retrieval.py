"""The answer retrieval component: which answer a question gets, and what it writes for the actions."""

from __future__ import annotations

import json

import pytest
import spacy
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message

from bot.nlp import word_embeddings
from bot.nlp.answer_ranker import AnswerRanker, combine
from bot.nlp.answer_retrieval import AnswerRetrieval, text_of
from bot.nlp.pipeline import build_pipeline

pytestmark = pytest.mark.skipif(
    not word_embeddings.files_present(), reason="run `python -m bot build-embeddings` first"
)

# A small knowledge base in the shape of ours: ~5 ways of asking each question.
EXAMPLES = {
    "funding/deferred_payment": [
        "can the council pay the fees and get it back when the house is sold",
        "do we have to sell mums house straight away",
        "is there a loan for care home fees against the property",
        "deferred payment agreement explained",
        "can payment wait until the house sells",
    ],
    "funding/who_pays": [
        "who pays for care after hospital",
        "will we have to pay for mums care",
        "is care free or do we pay",
        "does the nhs or the council pay",
        "how is the cost of care decided",
    ],
    "equipment/telecare": [
        "can dad have a personal alarm",
        "pendant alarm for someone living alone",
        "what is telecare",
        "falls sensor at home",
        "an alarm button in case she falls",
    ],
    "carers/respite_breaks": [
        "how do i get a break from caring",
        "respite for carers",
        "can someone look after him so i can rest",
        "short stay so the carer gets a holiday",
        "i need time off from caring",
    ],
}


@pytest.fixture(scope="module")
def nlp(tmp_path_factory: pytest.TempPathFactory) -> spacy.language.Language:
    return spacy.load(build_pipeline(tmp_path_factory.mktemp("spacy") / "homeward_en"))


@pytest.fixture(scope="module")
def ranker(nlp) -> AnswerRanker:
    texts, keys = [], []
    for key, examples in EXAMPLES.items():
        for example in examples:
            texts.append(text_of(example, nlp(example)))
            keys.append(key)
    return AnswerRanker(word_embeddings.load_embedder()).fit(texts, keys)


def _best(ranker: AnswerRanker, nlp, text: str) -> str:
    probs = ranker.probabilities(text_of(text, nlp(text)))
    return max(probs, key=probs.get)


def test_a_question_worded_unlike_any_example_gets_the_entry_sharing_its_key_words(ranker, nlp) -> None:
    assert _best(ranker, nlp, "Mum doesn't want the house sold yet, can the fees be put off?") == (
        "funding/deferred_payment"
    )
    assert _best(ranker, nlp, "Worried about dad falling at night when nobody is there") == "equipment/telecare"


def test_a_misspelt_key_word_still_finds_its_answer(ranker, nlp) -> None:
    assert _best(ranker, nlp, "how do I get respit") == "carers/respite_breaks"


def test_the_same_question_always_gets_the_same_scores(ranker, nlp) -> None:
    text = text_of("who is paying for the carers", nlp("who is paying for the carers"))
    assert ranker.probabilities(text) == ranker.probabilities(text)


def test_a_stored_ranker_scores_exactly_as_the_trained_one(ranker, nlp) -> None:
    state, arrays = ranker.to_state()
    stored = AnswerRanker.from_state(ranker.embedder, json.loads(json.dumps(state)), arrays)
    text = text_of("can the council wait for the money", nlp("can the council wait for the money"))
    assert stored.probabilities(text) == pytest.approx(ranker.probabilities(text), abs=1e-12)


def test_when_topic_and_answer_disagree_the_choice_is_less_sure() -> None:
    answers = {"funding/who_pays": 0.7, "carers/respite_breaks": 0.3}
    agree = combine(answers, {"funding": 0.9, "carers": 0.1}, topic_weight=0.5)
    disagree = combine(answers, {"funding": 0.1, "carers": 0.9}, topic_weight=0.5)
    assert agree["funding/who_pays"] > 0.7
    assert max(disagree.values()) < 0.7
    assert combine(answers, {"funding": 0.1, "carers": 0.9}, topic_weight=0.0) == pytest.approx(answers)


def _parsed(text: str, intent: str, confidence: float, second: str = "greet") -> Message:
    message = Message({"text": text})
    message.set("intent", {"name": intent, "confidence": confidence})
    message.set("intent_ranking", [{"name": intent, "confidence": confidence},
                                   {"name": second, "confidence": 1 - confidence}])
    message.set("response_selector", {"all_retrieval_intents": ["funding", "equipment", "carers"], "default": {
        "response": {"intent_response_key": "funding/who_pays", "confidence": 0.99, "responses": [{"text": "t"}]},
        "ranking": [{"intent_response_key": "funding/who_pays", "confidence": 0.99}],
    }})
    return message


@pytest.fixture(scope="module")
def component(ranker) -> AnswerRetrieval:
    return AnswerRetrieval({}, model_storage=None, resource=None, ranker=ranker)


def test_the_choice_is_written_where_the_response_selector_writes_and_moves_the_topic(component, nlp) -> None:
    message = _parsed("can we get an alarm for mum in case she falls", "funding", 0.6, second="equipment")
    component.process([message], SpacyModel(model=nlp, model_name="homeward_en"))
    selected = message.get("response_selector")["default"]
    assert selected["response"]["intent_response_key"] == "equipment/telecare"
    assert selected["ranking"][0]["intent_response_key"] == "equipment/telecare"
    assert [r["intent_response_key"] for r in selected["ranking"]].count("equipment/telecare") == 1
    assert message.get("intent")["name"] == "equipment"
    # The topic's confidence is its share of the classifier's belief that this is a question.
    assert 0.4 < message.get("intent")["confidence"] <= 1.0
    assert message.get("intent_ranking")[0]["name"] == "equipment"


def test_a_message_the_topic_classifier_does_not_take_for_a_question_is_left_alone(component, nlp) -> None:
    message = _parsed("hello there", "greet", 0.9)
    before = json.dumps(message.as_dict(), sort_keys=True, default=str)
    component.process([message], SpacyModel(model=nlp, model_name="homeward_en"))
    assert json.dumps(message.as_dict(), sort_keys=True, default=str) == before


def test_rasa_trains_it_and_runs_it_after_the_selector_and_before_the_fallback() -> None:
    from pathlib import Path

    import yaml
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    from rasa.shared.data import TrainingType

    config = yaml.safe_load((Path(__file__).parents[3] / "config.yml").read_text(encoding="utf-8"))
    graph = DefaultV1Recipe().graph_config_for_recipe(config, {}, training_type=TrainingType.BOTH)
    nodes = graph.predict_schema.nodes
    name_of = {node.uses.__name__: name for name, node in nodes.items()}
    retrieval = nodes[name_of["AnswerRetrieval"]]
    assert retrieval.needs["messages"] == name_of["ResponseSelector"]
    assert retrieval.needs["model"].startswith("provide_SpacyNLP")  # the loaded spaCy pipeline
    downstream = [node for node in nodes.values() if node.needs.get("messages") == name_of["AnswerRetrieval"]]
    assert [node.uses.__name__ for node in downstream] == ["NamedPathwayResolver"]
    assert any(node.uses is AnswerRetrieval for node in graph.train_schema.nodes.values())
