"""Scores every answer (retrieval key, e.g. ``funding/who_pays``) for a message.

Three views of the words, joined into one feature vector and fitted with one logistic
regression over the training examples and each entry's title:
- the meaning: WordLlama's sentence vector (``word_embeddings``), so a question worded unlike
  any example ("is there a discharge coordinator") still lands near examples that mean the same;
- the key words: TF-IDF over lemmas and word pairs ("sell" ~ "selling", "care home");
- the spelling: TF-IDF over character 2-5-grams inside words, so typos ("reablment") still match.
Logistic regression gives probabilities that mean something across answers (unlike the
ResponseSelector's similarities, which are often near 1 for a wrong answer), and it is
deterministic for the same data. A second expert votes with it: the answer whose closest
example is nearest in meaning (cosine of sentence vectors), which keeps a question that is
a paraphrase of one example from being averaged away by the rest. The DIET topic classifier's
view is added by ``combine``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.nlp.word_embeddings import SentenceEmbedder


@dataclass(frozen=True)
class Text:
    """A text as the ranker reads it: the words as typed and their lemmas."""

    raw: str
    lemmas: str


@dataclass(frozen=True)
class RankerSettings:
    # Weak regularisation: each answer has only ~20 examples and the features are already smooth.
    c: float = 30.0
    # The sentence vector has length 1 over 256 values; the TF-IDF blocks also have length 1.
    embedding_weight: float = 1.0
    # Log-odds per unit of cosine to an answer's nearest example (0: no nearest-example vote).
    nearest_weight: float = 8.0


def _word_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, vocabulary=vocabulary)


def _char_vectorizer(vocabulary: dict[str, int] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2, vocabulary=vocabulary)


class AnswerRanker:
    def __init__(self, embedder: SentenceEmbedder, settings: RankerSettings | None = None) -> None:
        self.embedder = embedder
        self.settings = settings or RankerSettings()
        self.words = _word_vectorizer()
        self.chars = _char_vectorizer()
        self.model = LogisticRegression(C=self.settings.c, max_iter=3000)
        self.example_vectors = np.zeros((0, embedder.dimensions), dtype=np.float32)
        self.example_answers = np.zeros(0, dtype=np.int64)

    @property
    def keys(self) -> list[str]:
        return [str(k) for k in self.model.classes_]

    def fit(self, texts: list[Text], keys: list[str]) -> AnswerRanker:
        self.words.fit([t.lemmas for t in texts])
        self.chars.fit([t.raw.lower() for t in texts])
        vectors = self._vectors(texts)
        self.model.fit(self._features(texts, vectors), keys)
        self.example_vectors = vectors
        self.example_answers = np.searchsorted(self.model.classes_, keys)
        return self

    def probabilities(self, text: Text) -> dict[str, float]:
        vector = self._vectors([text])
        scores = self.model.predict_log_proba(self._features([text], vector))[0]
        nearest = np.full(len(self.keys), -1.0)
        np.maximum.at(nearest, self.example_answers, self.example_vectors @ vector[0])
        scores = scores + self.settings.nearest_weight * nearest
        exp = np.exp(scores - scores.max())
        return dict(zip(self.keys, (float(p) for p in exp / exp.sum()), strict=True))

    def _vectors(self, texts: list[Text]) -> np.ndarray:
        return self.embedder.embed([t.raw.lower() for t in texts])

    def _features(self, texts: list[Text], vectors: np.ndarray) -> csr_matrix:
        return hstack([
            csr_matrix(vectors * self.settings.embedding_weight),
            self.words.transform([t.lemmas for t in texts]),
            self.chars.transform([t.raw.lower() for t in texts]),
        ]).tocsr()

    def to_state(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """What was fitted, as JSON and plain arrays (no pickle: a model file runs no code)."""
        state = {
            "settings": asdict(self.settings),
            "words": {k: int(v) for k, v in self.words.vocabulary_.items()},
            "chars": {k: int(v) for k, v in self.chars.vocabulary_.items()},
            "keys": self.keys,
        }
        arrays = {
            "words_idf": self.words.idf_, "chars_idf": self.chars.idf_,
            "coef": self.model.coef_, "intercept": self.model.intercept_,
            "example_vectors": self.example_vectors, "example_answers": self.example_answers,
        }
        return state, arrays

    @classmethod
    def from_state(
        cls, embedder: SentenceEmbedder, state: dict[str, Any], arrays: dict[str, np.ndarray]
    ) -> AnswerRanker:
        ranker = cls(embedder, RankerSettings(**state["settings"]))
        ranker.words = _word_vectorizer(state["words"])
        ranker.words.idf_ = arrays["words_idf"]
        ranker.chars = _char_vectorizer(state["chars"])
        ranker.chars.idf_ = arrays["chars_idf"]
        ranker.model.classes_ = np.array(state["keys"])
        ranker.model.coef_ = arrays["coef"]
        ranker.model.intercept_ = arrays["intercept"]
        ranker.example_vectors = arrays["example_vectors"]
        ranker.example_answers = arrays["example_answers"]
        return ranker


def combine(answer_probs: dict[str, float], topic_probs: dict[str, float], topic_weight: float) -> dict[str, float]:
    """The ranker's probabilities times the topic classifier's, raised to ``topic_weight``,
    normalised: a product of experts. Two models that mostly agree make the answer surer; when
    they disagree the surer one wins, and the result is less confident (so it can fall back)."""
    floor = 1e-4  # a topic the classifier gave ~0 does not veto an answer the ranker is sure of
    scores = {
        key: np.log(max(p, 1e-12)) + topic_weight * np.log(max(topic_probs.get(key.split("/")[0], 0.0), floor))
        for key, p in answer_probs.items()
    }
    top = max(scores.values())
    exp = {key: float(np.exp(s - top)) for key, s in scores.items()}
    total = sum(exp.values())
    return {key: v / total for key, v in sorted(exp.items(), key=lambda kv: (-kv[1], kv[0]))}
