"""A Rasa NLU component: a message plainly unrelated to leaving hospital gets the out-of-scope answer.

The intent classifier always picks its nearest intent, and on everyday requests it is often
confident and wrong ("asdfgh qwerty" got the Disabled Facilities Grant answer), so the
FallbackClassifier's threshold cannot catch them. This component asks a second, separate
question: does the message look like an everyday request (CLINC150's banking, travel, cooking,
... requests; see bot/nlp/unrelated_data.py) or like one of our own training examples? The
model is word + character n-gram TF-IDF with a logistic regression, fitted when the component
loads (a few seconds) from the vendored requests and data/nlu/*.yml. Fitting is deterministic:
fixed data order, lbfgs, no random state.

When P(unrelated) reaches the threshold, the intent becomes ``out_of_scope`` and the selected
question ``out_of_scope/unrelated``, so action_out_of_scope says what we can't help with. Left
alone: button payloads, messages with no words (NoWordsResolver's), area-only messages, the
classifier's own out-of-scope kinds, red flags, and small talk the classifier is sure about.

    classifier = default_classifier()
    classifier.probability("book me a flight to paris")   # about 0.98
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.nlp.no_words import has_words
from bot.nlp.stateless import StatelessComponent
from bot.nlp.unrelated_data import PROJECT_ROOT, TRAIN_FILE, read_requests

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
UNRELATED = "unrelated"
IN_DOMAIN = "in_domain"
OUT_OF_SCOPE = "out_of_scope"
UNRELATED_QUESTION = "out_of_scope/unrelated"
# Chosen on CLINC150 val, cross-validated data/nlu and the dev questions (python -m bot
# unrelated-report --sweep): turning away a real question costs more than missing a joke.
THRESHOLD = 0.8
# Made-up words ("asdfgh qwerty") are like neither side, so their probability says nothing;
# a message of two or more words, none ever seen, with few known letter groups, counts as
# unrelated. Typos keep most letter groups ("contiuing helthcare": 71% known), and one unseen
# word may be an acronym or a place ("LGSCO", "LBBD"), so those are left to the classifier.
GIBBERISH_KNOWN_GRAMS = 0.5
# Small talk and conversation steps our NLU answers itself; a confident pick of one is kept
# ("thanks a lot", "start again") even if it reads like an everyday request.
SMALL_TALK_INTENTS = frozenset(
    {"greet", "goodbye", "thank", "affirm", "deny", "unsure", "help", "restart", "bot_challenge", "stop",
     "go_back", "i_am_staff", "i_am_family", "start_pathway_finder", "request_human"}
)
SMALL_TALK_CONFIDENCE = 0.9
LEFT_ALONE_INTENTS = frozenset({OUT_OF_SCOPE, "red_flag"})
INFORM_AREA = "inform_area"
SELECTOR_KEY = "default"
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


def nlu_file_examples(path: Path) -> list[tuple[str, str]]:
    """(text, intent) for every example in one Rasa NLU file, entity annotations removed."""
    examples: list[tuple[str, str]] = []
    for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        if not item.get("intent"):
            continue
        for line in (item.get("examples") or "").splitlines():
            text = _ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip())
            if text:
                examples.append((text, item["intent"]))
    return examples


def nlu_examples(nlu_dir: Path = NLU_DIR) -> list[tuple[str, str]]:
    """Every training example in data/nlu/*.yml, in a fixed order."""
    return [example for path in sorted(nlu_dir.glob("*.yml")) for example in nlu_file_examples(path)]


def training_set(
    everyday: Iterable[str], ours: Iterable[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """Our examples are in-domain, except the ones we already call unrelated; an everyday
    request that is word for word one of ours is dropped (ours decides)."""
    texts: list[str] = []
    labels: list[str] = []
    for text, intent in ours:
        texts.append(text)
        labels.append(UNRELATED if intent == UNRELATED_QUESTION else IN_DOMAIN)
    known = {t.lower() for t in texts}
    for text in everyday:
        if text.lower() not in known:
            texts.append(text)
            labels.append(UNRELATED)
    return texts, labels


class UnrelatedClassifier:
    def __init__(self, model: Pipeline) -> None:
        self._model = model
        self._unrelated_column = list(model.classes_).index(UNRELATED)
        words, chars = (vectorizer for _, vectorizer in model.named_steps["features"].transformer_list)
        self._words, self._word_vocabulary = words.build_analyzer(), words.vocabulary_
        self._grams, self._gram_vocabulary = chars.build_analyzer(), chars.vocabulary_

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str]) -> UnrelatedClassifier:
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
            ]
        )
        # Balanced weights: ~14,000 everyday requests against ~3,000 of our examples.
        model = Pipeline(
            [("features", features), ("model", LogisticRegression(C=4.0, class_weight="balanced", max_iter=3000))]
        )
        model.fit(list(texts), list(labels))
        return cls(model)

    def is_gibberish(self, text: str) -> bool:
        words = [word for word in self._words(text) if " " not in word]  # unigrams, not bigrams
        if len(words) < 2 or any(word in self._word_vocabulary for word in words):
            return False
        grams = self._grams(text)
        return sum(gram in self._gram_vocabulary for gram in grams) < GIBBERISH_KNOWN_GRAMS * len(grams)

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        """P(unrelated) for each text; 1.0 for made-up words."""
        fitted = self._model.predict_proba(list(texts))[:, self._unrelated_column]
        return [1.0 if self.is_gibberish(text) else float(p) for text, p in zip(texts, fitted, strict=True)]

    def probability(self, text: str) -> float:
        return self.probabilities([text])[0]


@functools.lru_cache(maxsize=1)
def default_classifier() -> UnrelatedClassifier:
    """Fitted once per process on the vendored requests and data/nlu."""
    texts, labels = training_set((r.text for r in read_requests(TRAIN_FILE)), nlu_examples())
    return UnrelatedClassifier.fit(texts, labels)


# Words that only come up in what this assistant is for. A message using one is never turned
# away as unrelated, however it scores: declining a real question ("will my property be taken
# into account?") is worse than answering an odd one. Words with everyday meanings elsewhere
# ("savings", "fees", "support") are left out on purpose.
DOMAIN_WORDS = frozenset(
    """
    care carer carers caring cared hospital hospitals discharge discharged ward wards nurse nurses
    nursing reablement rehab rehabilitation physio physiotherapy therapist therapists chc
    healthcare property assessment assessments assessed equipment wheelchair commode hoist
    stairlift dementia stroke pathway pathways respite gp disabled disability frail attorney
    hospice palliative adaptations nhs council councils
    telecare careline pendant pendants hoists hoisting commodes stairlifts keysafe ombudsman
    """.split()
)
DOMAIN_PHRASES = ("top up", "top-up", "social worker", "social care", "social services", "end of life")
_DOMAIN_WORD = re.compile(r"[a-z]+")


def mentions_our_domain(text: str) -> bool:
    lowered = text.lower()
    return any(w in DOMAIN_WORDS for w in _DOMAIN_WORD.findall(lowered)) or any(p in lowered for p in DOMAIN_PHRASES)


def may_be_unrelated(text: str, intent: str, confidence: float) -> bool:
    """Whether the classifier's pick may be overridden at all, whatever the probability."""
    if not text or text.startswith("/") or not has_words(text) or mentions_our_domain(text):
        return False
    if intent in LEFT_ALONE_INTENTS or (intent == INFORM_AREA and confidence >= 1.0):
        return False
    return not (intent in SMALL_TALK_INTENTS and confidence >= SMALL_TALK_CONFIDENCE)


def mark_unrelated(message: Message) -> None:
    message.set("intent", {"name": OUT_OF_SCOPE, "confidence": 1.0}, add_to_output=True)
    # No guesses kept: a later "did you mean" would offer topics picked for an unrelated message.
    message.set("intent_ranking", [{"name": OUT_OF_SCOPE, "confidence": 1.0}], add_to_output=True)
    # action_out_of_scope writes the words; the selector's stored responses belong to its old pick.
    response = {
        "intent_response_key": UNRELATED_QUESTION,
        "utter_action": f"utter_{UNRELATED_QUESTION}",
        "responses": [{"text": UNRELATED_QUESTION}],
        "confidence": 1.0,
        "corrected_by": "UnrelatedMessageResolver",
    }
    # Other keys (all_retrieval_intents) stay: the red-flag route reads them.
    selector = {**(message.get("response_selector") or {}), SELECTOR_KEY: {"response": response, "ranking": []}}
    message.set("response_selector", selector, add_to_output=True)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class UnrelatedMessageResolver(StatelessComponent):
    def __init__(self, classifier: UnrelatedClassifier, threshold: float) -> None:
        self._classifier = classifier
        self._threshold = threshold

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"threshold": THRESHOLD}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnrelatedMessageResolver:
        return cls(default_classifier(), float(config.get("threshold", THRESHOLD)))

    def process_message(self, message: Message) -> None:
        text = message.get("text") or ""
        intent = message.get("intent") or {}
        if not may_be_unrelated(text, intent.get("name") or "", float(intent.get("confidence") or 0.0)):
            return
        if self._classifier.probability(text) >= self._threshold:
            mark_unrelated(message)
