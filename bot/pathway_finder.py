"""The pathway finder: suggests a national discharge pathway (0-3) from four yes/no questions.

It is a prompt for the ward team's own discussion, not a decision: the multidisciplinary
team decides. Questions follow the national 2020 definitions (Hospital Discharge Service:
Policy and Operating Model, 21 August 2020, as quoted in BCP Council's report of
18 January 2021, paragraphs 15-16), asked from least to most support.
"""

from __future__ import annotations

from dataclasses import dataclass

YES, NO, UNSURE = "yes", "no", "unsure"
# The definitions the questions follow: the national 2020 wording as quoted in this source
# (source id, where in it, when we last checked).
DEFINITIONS_SOURCE = ("seed_bcp_home_first_2021", "paragraphs 15-16, lines 52-59", "2026-11-23")
ANSWERS = (YES, NO, UNSURE)


@dataclass(frozen=True)
class FinderQuestion:
    slot: str
    pathway: int  # the pathway a "yes" points to
    text: str
    reason: str  # why a "yes" points to that pathway, in the national definition's words


QUESTIONS: tuple[FinderQuestion, ...] = (
    FinderQuestion(
        slot="finder_home_no_support",
        pathway=0,
        text="Can they go home, or back to where they usually live, with no new help from health or social care?",
        reason="Pathway 0 is a simple discharge: no formal input from health or social care is needed once home.",
    ),
    FinderQuestion(
        slot="finder_support_at_home",
        pathway=1,
        text="Can they go home if they get support there, such as reablement, therapy or care visits?",
        reason="Pathway 1 is support to recover at home, from health and/or social care.",
    ),
    FinderQuestion(
        slot="finder_bed_rehab",
        pathway=2,
        text="Do they need a short stay in a 24-hour bed, for rehabilitation or recovery, before they can go home?",
        reason="Pathway 2 is rehabilitation or short-term care in a 24-hour bed-based setting.",
    ),
    FinderQuestion(
        slot="finder_nursing_24h",
        pathway=3,
        text="Do they need ongoing 24-hour nursing care, where long-term care is likely?",
        reason="Pathway 3 is ongoing 24-hour nursing care, often in a bedded setting, where long-term care is likely.",
    ),
)
SLOTS = tuple(q.slot for q in QUESTIONS)


@dataclass(frozen=True)
class FinderResult:
    pathway: int | None
    reason: str
    unsure_about: tuple[FinderQuestion, ...]  # questions answered "not sure" before the suggestion


def next_question(answers: dict[str, str | None]) -> FinderQuestion | None:
    """The next question to ask, or None once a "yes" or the last answer settles it."""
    for question in QUESTIONS:
        answer = answers.get(question.slot)
        if answer is None:
            return question
        if answer == YES:
            return None
    return None


def suggest(answers: dict[str, str | None]) -> FinderResult:
    """The first pathway answered "yes", noting earlier "not sure" answers."""
    unsure: list[FinderQuestion] = []
    for question in QUESTIONS:
        answer = answers.get(question.slot)
        if answer == YES:
            return FinderResult(question.pathway, question.reason, tuple(unsure))
        if answer == UNSURE:
            unsure.append(question)
    return FinderResult(None, "None of the four descriptions was answered yes.", tuple(unsure))
