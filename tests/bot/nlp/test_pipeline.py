"""The spaCy pipeline Rasa loads: lemmas for the featurizers, domain entities for the extractor."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from bot.nlp.pipeline import build_pipeline, is_current


@pytest.fixture(scope="module")
def nlp(tmp_path_factory: pytest.TempPathFactory) -> spacy.language.Language:
    path = build_pipeline(tmp_path_factory.mktemp("spacy") / "homeward_en")
    assert is_current(path)
    return spacy.load(path)


def test_words_are_reduced_to_their_lemma_whatever_their_case(nlp) -> None:
    doc = nlp("Going home, she needs Carers and went to hospitals")
    lemmas = [t.lemma_ for t in doc if t.is_alpha]
    assert lemmas == ["go", "home", "she", "need", "carer", "and", "go", "to", "hospital"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("is he on P1 now", [("P1", "pathway")]),
        ("what does pathway two mean", [("pathway two", "pathway")]),
        ("mum lives in Ross-on-Wye", [("Ross-on-Wye", "place")]),
        ("we're near high wycombe", [("high wycombe", "place")]),
    ],
)
def test_domain_terms_are_tagged_as_entities(nlp, text: str, expected: list[tuple[str, str]]) -> None:
    assert [(e.text, e.label_) for e in nlp(text).ents] == expected


def test_a_stale_pipeline_is_detected(tmp_path: Path) -> None:
    assert not is_current(tmp_path)
