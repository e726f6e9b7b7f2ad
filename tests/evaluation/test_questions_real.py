"""The evaluation questions are well formed and kept apart from everything trained on."""

from __future__ import annotations

import pytest

from bot.answer_report import MISSING, SETS, is_near_copy, load_questions
from bot.knowledge.loader import default_knowledge
from tests.bot.test_training_data import TEST_FILE, _examples, _training_examples

REAL = load_questions(SETS["real"])
DEV = load_questions(SETS["dev"])


def _trained_and_held_out() -> list[str]:
    trained = [e for examples in _training_examples().values() for e in examples]
    held_out = [e for examples in _examples(TEST_FILE).values() for e in examples]
    return trained + held_out


def test_the_real_set_is_big_enough_and_every_question_names_where_it_was_asked() -> None:
    assert len(REAL) >= 80
    assert [q.id for q in REAL if not q.source.startswith("http")] == []
    assert len({q.id for q in REAL + DEV}) == len(REAL) + len(DEV)


@pytest.mark.parametrize("questions", [REAL, DEV], ids=["real", "dev"])
def test_expected_answers_exist(questions) -> None:
    knowledge = default_knowledge()
    unknown = {q.id: k for q in questions for k in q.expected if k != MISSING and knowledge.entry(k) is None}
    assert unknown == {}


@pytest.mark.parametrize("questions", [REAL, DEV], ids=["real", "dev"])
def test_no_question_or_near_copy_is_in_training_or_the_nlu_test_set(questions) -> None:
    examples = _trained_and_held_out()
    copies = {q.id: e for q in questions for e in examples if is_near_copy(q.text, e)}
    assert copies == {}


def test_near_copy_catches_trimmed_and_padded_copies_but_not_short_shared_questions() -> None:
    real = "How do I appeal a Checklist (screening) decision?"
    assert is_near_copy(real, "how do i appeal a checklist screening decision")
    assert is_near_copy(real, "please, how do I appeal a checklist (screening) decision for mum")
    assert not is_near_copy("What is reablement?", "what is reablement and who pays")
    assert not is_near_copy(real, "how do i complain about a care home decision")
