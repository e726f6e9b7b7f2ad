"""Which kind of reply a typed question gets, from the classifier's ranking of our questions."""

from __future__ import annotations

from bot.knowledge.loader import default_knowledge
from bot.knowledge.model import Ranked
from bot.knowledge.reply_plan import Kind, plan_reply

MUM = ("my mum is 84 and coming home from hospital on friday, she can barely walk and I work full time, "
       "what help can we get?")


def _plan(ranking: list[tuple[str, float]], text: str, last_key: str | None = None):
    return plan_reply(default_knowledge(), [Ranked(k, c) for k, c in ranking], text, last_key)


SPREAD = [("carers/working_carers", 0.2), ("carers/carers_assessment", 0.1), ("services/reablement", 0.08),
          ("equipment/equipment_at_discharge", 0.07), ("rights/refuse_discharge", 0.05), ("chc/checklist", 0.01)]


def test_a_long_message_with_needs_in_several_topics_gets_one_reply_covering_up_to_three() -> None:
    plan = _plan(SPREAD, MUM)
    assert plan.kind == Kind.SEVERAL
    # The three strongest topics, then the care itself before the carer's own rights.
    assert plan.keys == ("services/reablement", "equipment/equipment_at_discharge", "carers/working_carers")


def test_the_several_reply_puts_the_carers_rights_after_the_care_itself() -> None:
    plan = _plan([("carers/working_carers", 0.25), ("services/reablement", 0.1), ("chc/checklist", 0.01)], MUM)
    assert plan.keys == ("services/reablement", "carers/working_carers")


def test_a_short_question_is_answered_even_when_the_ranking_is_spread() -> None:
    plan = _plan(SPREAD, "I work full time, what are my rights?")
    assert plan.kind != Kind.SEVERAL


def test_a_runner_up_far_below_the_top_is_not_a_second_need() -> None:
    plan = _plan([("carers/working_carers", 0.25), ("services/reablement", 0.05)], MUM)
    assert plan == plan.__class__(Kind.ANSWER, ("carers/working_carers",))


def test_no_clear_winner_gets_did_you_mean_with_the_best_three() -> None:
    plan = _plan([("services/reablement", 0.25), ("funding/free_recovery_care", 0.2),
                  ("services/after_reablement", 0.15), ("chc/checklist", 0.1)], "help after hospital")
    assert plan.kind == Kind.DID_YOU_MEAN
    assert plan.keys == ("services/reablement", "funding/free_recovery_care", "services/after_reablement")


def test_a_clear_winner_is_answered() -> None:
    plan = _plan([("services/reablement", 0.35), ("services/after_reablement", 0.2)], "what is reablement")
    assert (plan.kind, plan.keys) == (Kind.ANSWER, ("services/reablement",))
    plan = _plan([("services/reablement", 0.25), ("services/after_reablement", 0.1)], "what is reablement")
    assert (plan.kind, plan.keys) == (Kind.ANSWER, ("services/reablement",))


def test_a_follow_up_is_read_in_the_light_of_the_last_answer() -> None:
    ranking = [("funding/who_pays", 0.9), ("funding/means_test", 0.05)]
    assert _plan(ranking, "and who pays for that?", last_key="services/reablement").keys == (
        "services/after_reablement",)
    assert _plan(ranking, "and who pays for that?").keys == ("funding/who_pays",), "no last answer: as ranked"


def test_questions_we_do_not_hold_are_ignored() -> None:
    assert _plan([("nope/nothing", 0.9)], "what is this") is None
    assert _plan([("nope/nothing", 0.9), ("services/reablement", 0.1)], "reablement?").keys == ("services/reablement",)


def test_a_long_message_whose_top_question_is_clear_is_answered() -> None:
    plan = _plan([("carers/working_carers", 0.5), ("services/reablement", 0.3)], MUM)
    assert plan.kind == Kind.ANSWER
