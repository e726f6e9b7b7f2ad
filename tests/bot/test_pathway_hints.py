"""A ward message describing one patient and asking which pathway fits."""

from __future__ import annotations

import pytest

from bot.pathway_hints import asks_pathway_for_someone, hint

NURSE = "patient is medically fit, lives alone, needs two carers twice a day, which pathway?"


@pytest.mark.parametrize("text", [
    NURSE,
    "which pathway would he be on, he needs a nursing home",
    "what pathway for this patient, she needs a rehab bed",
    "which pathway will my mum go on",
])
def test_a_pathway_asked_for_someone_in_particular(text: str) -> None:
    assert asks_pathway_for_someone(text)


@pytest.mark.parametrize("text", ["what is pathway 1", "which pathway is for care homes?", "what are the pathways"])
def test_questions_about_the_pathways_themselves_are_not(text: str) -> None:
    assert not asks_pathway_for_someone(text)


def test_care_visits_at_home_answer_the_finders_second_question() -> None:
    found = hint(NURSE)
    assert found is not None and found.question.pathway == 1 and found.said == "two carers"


@pytest.mark.parametrize(("text", "pathway"), [
    ("needs a rehab bed first, which pathway?", 2),
    ("he will need a nursing home, which pathway?", 3),
])
def test_other_plain_descriptions(text: str, pathway: int) -> None:
    found = hint(text)
    assert found is not None and found.question.pathway == pathway


@pytest.mark.parametrize("text", [
    "which pathway will my mum go on",  # nothing to go on
    "has carers twice a day now but may need a nursing home, which pathway?",  # two answers: the team's call
    "restart his existing package of care, four times a day, which pathway?",  # care as before may be Pathway 0
])
def test_no_hint_when_the_description_does_not_settle_one_question(text: str) -> None:
    assert hint(text) is None
