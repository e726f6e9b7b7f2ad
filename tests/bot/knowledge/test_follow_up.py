"""A short follow-up is read in the light of the last answer."""

from __future__ import annotations

import pytest

from bot.knowledge.follow_up import in_context, is_follow_up
from bot.knowledge.loader import default_knowledge
from bot.knowledge.model import Ranked


@pytest.mark.parametrize("text", ["and who pays for that?", "is it free?", "how long does it last?", "and after?"])
def test_messages_that_lean_on_the_last_answer_are_follow_ups(text: str) -> None:
    assert is_follow_up(text)


@pytest.mark.parametrize("text", [
    "what about equipment?",  # names its own subject
    "/funding",  # a button
    "my dad has dementia and lives alone and I am not sure if that means he can go home safely",  # long
])
def test_new_questions_are_not_follow_ups(text: str) -> None:
    assert not is_follow_up(text)


GENERAL = [Ranked("funding/who_pays", 0.9), Ranked("equipment/free_equipment", 0.02)]


@pytest.mark.parametrize(("last", "text", "expected"), [
    ("services/reablement", "and who pays for that?", "services/after_reablement"),
    ("services/reablement", "how long does it last?", "funding/free_recovery_care"),
    ("equipment/equipment_at_discharge", "is it free?", "equipment/free_equipment"),
    ("equipment/dfg", "and who pays for that?", "equipment/dfg_means_test"),
    ("chc/what_is_chc", "can we appeal that?", "chc/appeals"),
])
def test_the_question_on_the_last_answers_subject_comes_first(last: str, text: str, expected: str) -> None:
    assert in_context(default_knowledge(), GENERAL, last, text)[0].key == expected


def test_with_nothing_on_that_subject_the_ranking_stands() -> None:
    # After "Pathway 1", "who pays for that" has no pathway question about paying: the general one.
    assert in_context(default_knowledge(), GENERAL, "pathways/pathway_1", "and who pays for that?") == GENERAL
