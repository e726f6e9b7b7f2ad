"""A Rasa NLU component that picks the answer to a question, after the ResponseSelector.

The ResponseSelector ranks answers by a similarity it learned from ~20 examples each; on real
questions it is often sure of a wrong answer. This component scores every answer with
``AnswerRanker`` (sentence meaning + key words + spelling, fitted at train time on the same
examples plus each entry's title) and multiplies in the DIET topic classifier's view of the
topic. It writes its choice where the ResponseSelector writes (``response_selector`` ->
``default`` -> ``response`` / ``ranking``), and moves the intent to the chosen answer's topic,
so actions read it unchanged. The intent's confidence becomes the combined probability of that
topic, so an unsure choice falls to the FallbackClassifier after it ("did you mean").
It acts only when the topic classifier thinks the message is a question (a retrieval intent).
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.knowledge.loader import default_knowledge
from bot.nlp.answer_ranker import AnswerRanker, RankerSettings, Text, combine
from bot.nlp.word_embeddings import DEFAULT_DIR, load_embedder

SELECTOR_KEY = "default"
RANKING_LENGTH = 10
STATE_FILE = "answer_retrieval.json"
ARRAYS_FILE = "answer_retrieval.npz"


def text_of(raw: str, doc: Any) -> Text:
    """Lemmas from the spaCy doc (our pipeline's lookup lemmatizer), lower case, no punctuation."""
    lemmas = " ".join(token.lemma_.lower() for token in doc if not (token.is_punct or token.is_space))
    return Text(raw=raw, lemmas=lemmas)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True, model_from="SpacyNLP"
)
class AnswerRetrieval(GraphComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "embeddings": str(DEFAULT_DIR),
            "c": RankerSettings.c,
            "nearest_weight": RankerSettings.nearest_weight,
            # How much the topic classifier counts against the answer ranker (0: not at all).
            "topic_weight": 0.25,
            "add_titles": True,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        ranker: AnswerRanker | None = None,
    ) -> None:
        self.config = {**self.get_default_config(), **config}
        self._storage = model_storage
        self._resource = resource
        self.ranker = ranker

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> AnswerRetrieval:
        return cls(config, model_storage, resource)

    # --- training -----------------------------------------------------------------------

    def train(self, training_data: TrainingData, model: SpacyModel) -> Resource:
        texts: list[Text] = []
        keys: list[str] = []
        for example in training_data.intent_examples:
            key = example.get(INTENT_RESPONSE_KEY)
            if not key or not example.get(TEXT):
                continue
            doc = example.get(SPACY_DOCS[TEXT]) or model.model(example.get(TEXT))
            texts.append(text_of(example.get(TEXT), doc))
            keys.append(key)
        if self.config["add_titles"]:
            # Each entry's title is a plain statement of the question it answers.
            trained = set(keys)
            for entry in default_knowledge().entries():
                if entry.retrieval_intent in trained:
                    texts.append(text_of(entry.title, model.model(entry.title)))
                    keys.append(entry.retrieval_intent)
        if len(set(keys)) < 2:
            return self._resource
        embedder = load_embedder(self.config["embeddings"])
        settings = RankerSettings(c=float(self.config["c"]), nearest_weight=float(self.config["nearest_weight"]))
        self.ranker = AnswerRanker(embedder, settings).fit(texts, keys)
        self.persist()
        return self._resource

    def persist(self) -> None:
        if self.ranker is None:
            return
        state, arrays = self.ranker.to_state()
        with self._storage.write_to(self._resource) as directory:
            (directory / STATE_FILE).write_text(json.dumps(state), encoding="utf-8")
            np.savez(directory / ARRAYS_FILE, **arrays)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> AnswerRetrieval:
        merged = {**cls.get_default_config(), **config}
        try:
            with model_storage.read_from(resource) as directory:
                state = json.loads((directory / STATE_FILE).read_text(encoding="utf-8"))
                with np.load(directory / ARRAYS_FILE, allow_pickle=False) as stored:
                    arrays = {name: stored[name] for name in stored.files}
        except (ValueError, FileNotFoundError):  # nothing was trained (no retrieval examples)
            return cls(merged, model_storage, resource)
        ranker = AnswerRanker.from_state(load_embedder(merged["embeddings"]), state, arrays)
        return cls(merged, model_storage, resource, ranker)

    # --- prediction ---------------------------------------------------------------------

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        if self.ranker is None:
            return messages
        topics = {key.split("/")[0] for key in self.ranker.keys}
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in topics or not message.get(TEXT):
                continue
            doc = message.get(SPACY_DOCS[TEXT]) or model.model(message.get(TEXT))
            self._choose(message, text_of(message.get(TEXT), doc), topics)
        return messages

    def _choose(self, message: Message, text: Text, topics: set[str]) -> None:
        ranking = message.get("intent_ranking") or []
        topic_probs = {r["name"]: float(r["confidence"]) for r in ranking if r.get("name") in topics}
        answers = combine(self.ranker.probabilities(text), topic_probs, float(self.config["topic_weight"]))
        best = next(iter(answers))
        _write_selection(message, answers, best)
        # The question's share of the classifier's belief, split between topics as the answers are.
        question_share = sum(topic_probs.values())
        topic_mass: dict[str, float] = {}
        for key, p in answers.items():
            topic = key.split("/")[0]
            topic_mass[topic] = topic_mass.get(topic, 0.0) + p * question_share
        others = [r for r in ranking if r.get("name") not in topic_mass]
        new_ranking = [{"name": t, "confidence": c} for t, c in topic_mass.items()] + others
        # The chosen answer's topic leads, so the intent and the question always agree.
        chosen_topic = best.split("/")[0]
        new_ranking.sort(key=lambda r: (r["name"] != chosen_topic, -r["confidence"]))
        message.set("intent_ranking", new_ranking[:RANKING_LENGTH], add_to_output=True)
        message.set(INTENT, dict(new_ranking[0]), add_to_output=True)


def _write_selection(message: Message, answers: dict[str, float], best: str) -> None:
    """Fills the ResponseSelector's fields with our choice (the same shape it writes)."""
    selectors = message.get("response_selector") or {}
    previous = (selectors.get(SELECTOR_KEY) or {}).get("response") or {}
    responses = previous.get("responses") if previous.get(INTENT_RESPONSE_KEY) == best else None
    selectors[SELECTOR_KEY] = {
        "response": {
            "responses": responses or [{"text": best}],
            "confidence": answers[best],
            INTENT_RESPONSE_KEY: best,
            "utter_action": f"utter_{best}",
        },
        "ranking": [
            {"confidence": p, INTENT_RESPONSE_KEY: key} for key, p in list(answers.items())[:RANKING_LENGTH]
        ],
    }
    selectors.setdefault("all_retrieval_intents", sorted({k.split("/")[0] for k in answers}))
    message.set("response_selector", selectors, add_to_output=True)
