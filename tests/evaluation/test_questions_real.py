"""The evaluation questions are well formed and kept apart from everything trained on."""

from __future__ import annotations

import pytest

from bot.answer_report import DEFAULT_SETS, MISSING, SETS, is_near_copy, load_questions
from bot.knowledge.loader import default_knowledge
from tests.bot.test_training_data import TEST_FILE, _examples, _training_examples

QUESTIONS = {name: load_questions(path) for name, path in SETS.items()}
# Quoted from public sources; dev is our own wording and has no source to name.
QUOTED = ("real", "real_2", "kept_aside")
AUDIENCES = {"family", "carer", "staff", "helpline", "faq"}


def _trained_and_held_out() -> list[str]:
    trained = [e for examples in _training_examples().values() for e in examples]
    held_out = [e for examples in _examples(TEST_FILE).values() for e in examples]
    return trained + held_out


def test_the_real_sets_are_big_enough() -> None:
    assert len(QUESTIONS["real"]) >= 80
    assert len(QUESTIONS["real"]) + len(QUESTIONS["real_2"]) >= 300
    assert len(QUESTIONS["kept_aside"]) >= 60
    assert sum(q.asked_by in ("staff", "helpline") for q in QUESTIONS["real_2"]) >= 45


def test_ids_are_unique_across_every_set() -> None:
    ids = [q.id for questions in QUESTIONS.values() for q in questions]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_kept_aside_is_not_measured_by_default() -> None:
    assert "kept_aside" not in DEFAULT_SETS
    assert set(DEFAULT_SETS) | {"kept_aside"} == set(SETS)


@pytest.mark.parametrize("name", QUOTED)
def test_every_quoted_question_names_where_it_was_asked(name: str) -> None:
    questions = QUESTIONS[name]
    assert [q.id for q in questions if not q.source.startswith("http")] == []
    assert [q.id for q in questions if q.key_facts_source and not q.key_facts_source.startswith("http")] == []


@pytest.mark.parametrize("name", ["real_2", "kept_aside"])
def test_new_sets_say_who_asked_the_topic_and_the_official_answer(name: str) -> None:
    questions = QUESTIONS[name]
    assert [q.id for q in questions if q.asked_by not in AUDIENCES] == []
    assert [q.id for q in questions if not q.topic or not 1 <= len(q.key_facts) <= 3] == []


@pytest.mark.parametrize("name", sorted(SETS))
def test_expected_answers_exist(name: str) -> None:
    knowledge = default_knowledge()
    unknown = {q.id: k for q in QUESTIONS[name] for k in q.expected if k != MISSING and knowledge.entry(k) is None}
    assert unknown == {}
    assert [q.id for q in QUESTIONS[name] if not q.expected] == []


@pytest.mark.parametrize("name", sorted(SETS))
def test_no_question_or_near_copy_is_in_training_or_the_nlu_test_set(name: str) -> None:
    examples = _trained_and_held_out()
    copies = {q.id: e for q in QUESTIONS[name] for e in examples if is_near_copy(q.text, e)}
    assert copies == {}


def test_no_question_is_a_near_copy_of_one_in_another_set() -> None:
    every = [(name, q) for name, questions in QUESTIONS.items() for q in questions]
    copies = [
        (a.id, b.id)
        for i, (set_a, a) in enumerate(every)
        for set_b, b in every[i + 1:]
        if set_a != set_b and is_near_copy(a.text, b.text)
    ]
    assert copies == []


def test_near_copy_catches_trimmed_and_padded_copies_but_not_short_shared_questions() -> None:
    real = "How do I appeal a Checklist (screening) decision?"
    assert is_near_copy(real, "how do i appeal a checklist screening decision")
    assert is_near_copy(real, "please, how do I appeal a checklist (screening) decision for mum")
    assert not is_near_copy("What is reablement?", "what is reablement and who pays")
    assert not is_near_copy(real, "how do i complain about a care home decision")
