"""A small trained classifier that backs up the red-flag rules on wording they have not seen.

Word and character n-grams (so "stiches" and "stitches" share most features) feed a logistic
regression fitted when detection loads, from ``data/red_flag_examples.yml`` plus the project's
NLU training questions as ordinary (``none``) examples. Fitting is deterministic (fixed data
order, lbfgs, no random state involved), so the same message always gets the same score.

    classifier = RedFlagClassifier.fit(texts, labels)
    classifier.predict("the stitches are weeping and smell")   # ("urgent", 0.71)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.safety.groups import CATEGORIES

NONE = "none"
EXAMPLES_FILE = Path(__file__).parent / "data" / "red_flag_examples.yml"
# Retrieval questions that are, by meaning, a carer in crisis: never ordinary examples.
CRISIS_INTENTS = frozenset({"carers/caring_too_much"})
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Examples:
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    threshold: float
    min_words: int


def load_examples(path: Path = EXAMPLES_FILE) -> Examples:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    texts: list[str] = []
    labels: list[str] = []
    for label, items in (raw.get("examples") or {}).items():
        if label != NONE and label not in CATEGORIES:
            raise ValueError(f"{path.name}: unknown category {label!r}")
        for text in items or []:
            texts.append(str(text))
            labels.append(label)
    return Examples(tuple(texts), tuple(labels), float(raw["threshold"]), int(raw["min_words"]))


def nlu_file_questions(path: Path, skip_intents: frozenset[str] = frozenset()) -> list[str]:
    """The examples in one Rasa NLU file, annotations removed, except the intents skipped."""
    questions: list[str] = []
    for item in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
        if not item.get("intent") or item["intent"] in skip_intents:
            continue
        for line in (item.get("examples") or "").splitlines():
            text = _ANNOTATION.sub(r"\1", line.strip().removeprefix("- ").strip())
            if text:
                questions.append(text)
    return questions


def nlu_questions(nlu_dir: Path) -> list[str]:
    """Every training example in data/nlu/*.yml, except carers in crisis."""
    return [q for path in sorted(nlu_dir.glob("*.yml")) for q in nlu_file_questions(path, CRISIS_INTENTS)]


class RedFlagClassifier:
    def __init__(self, model: Pipeline, threshold: float, min_words: int) -> None:
        self._model = model
        self._classes: list[str] = list(model.classes_)
        self.threshold = threshold
        self.min_words = min_words

    @classmethod
    def fit(
        cls, texts: Sequence[str], labels: Sequence[str], threshold: float = 0.5, min_words: int = 1
    ) -> RedFlagClassifier:
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1)),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2)),
            ]
        )
        # Balanced weights: a few dozen examples per danger against ~2,000 ordinary questions.
        model = Pipeline(
            [("features", features), ("model", LogisticRegression(C=8.0, class_weight="balanced", max_iter=3000))]
        )
        model.fit(list(texts), list(labels))
        return cls(model, threshold, min_words)

    def scores(self, text: str) -> dict[str, float]:
        probabilities = self._model.predict_proba([text])[0]
        return {label: float(p) for label, p in zip(self._classes, probabilities, strict=True)}

    def predict(self, text: str) -> tuple[str, float] | None:
        """(category, probability) for the likeliest danger if it reaches the threshold, else None."""
        if len(text.split()) < self.min_words:
            return None
        dangers = {k: v for k, v in self.scores(text).items() if k != NONE}
        if not dangers:
            return None
        category = max(sorted(dangers), key=lambda k: dangers[k])  # sorted: ties break the same way
        score = dangers[category]
        return (category, score) if score >= self.threshold else None


def training_set(examples: Examples, ordinary: Iterable[str]) -> tuple[list[str], list[str]]:
    texts = list(examples.texts)
    labels = list(examples.labels)
    extra = sorted(set(ordinary) - set(texts))
    return texts + extra, labels + [NONE] * len(extra)
