"""The pathway finder's questions and suggestion logic."""

from __future__ import annotations

from bot.pathway_finder import NO, SLOTS, UNSURE, YES, next_question, suggest


def _answers(*values: str) -> dict[str, str]:
    return dict(zip(SLOTS, values, strict=False))


def test_questions_go_from_least_to_most_support() -> None:
    assert next_question({}).pathway == 0
    assert next_question(_answers(NO)).pathway == 1
    assert next_question(_answers(NO, NO, NO)).pathway == 3


def test_the_first_yes_settles_it() -> None:
    assert next_question(_answers(NO, YES)) is None
    result = suggest(_answers(NO, YES))
    assert result.pathway == 1
    assert "support to recover at home" in result.reason


def test_not_sure_is_carried_into_the_suggestion() -> None:
    result = suggest(_answers(UNSURE, NO, YES))
    assert result.pathway == 2
    assert [q.pathway for q in result.unsure_about] == [0]


def test_no_to_everything_suggests_nothing() -> None:
    result = suggest(_answers(NO, NO, NO, NO))
    assert result.pathway is None
    assert next_question(_answers(NO, NO, NO, NO)) is None
