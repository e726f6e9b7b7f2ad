"""The turn guard ends a turn that repeats itself, and leaves every ordinary turn alone."""

from __future__ import annotations

from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from bot.dialogue.turn_guard import (
    DEFAULT_MAX_ACTIONS_PER_TURN,
    RECOVERY_ACTION,
    actions_this_turn,
    judge_turn,
)

FORMS = frozenset({"service_search_form", "pathway_finder_form"})


def judge(*actions: str):
    return judge_turn(list(actions), FORMS, DEFAULT_MAX_ACTIONS_PER_TURN)


def test_ordinary_turns_are_left_alone() -> None:
    assert judge().action is None
    assert judge("action_answer_question").action is None
    assert judge("action_service_search_start", "service_search_form").action is None
    assert judge("action_red_flag_route", "action_answer_question").action is None
    # A form may run more than once in a turn (start, then again after an interruption).
    assert judge("action_answer_question", "service_search_form", "service_search_form").action is None


def test_the_same_action_twice_in_one_turn_ends_it_with_the_recovery_message() -> None:
    # What happened with "ok": the core fallback predicted after itself, ten times.
    verdict = judge("action_offer_topics", "action_offer_topics")
    assert verdict.action == RECOVERY_ACTION
    assert "action_offer_topics" in verdict.reason


def test_after_the_recovery_message_the_turn_ends() -> None:
    assert judge("action_offer_topics", "action_offer_topics", RECOVERY_ACTION).action == "action_listen"


def test_a_turn_too_long_to_be_right_is_ended_before_rasas_circuit_breaker() -> None:
    many = [f"action_{n}" for n in range(DEFAULT_MAX_ACTIONS_PER_TURN)]
    assert judge(*many).action == RECOVERY_ACTION
    assert DEFAULT_MAX_ACTIONS_PER_TURN + 2 < 10  # recovery and listen still fit under Rasa's limit


def test_only_actions_since_the_latest_user_message_count() -> None:
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hi", {"name": "greet"}),
        ActionExecuted("action_small_talk"),
        BotUttered("Hello"),
        ActionExecuted("action_listen"),
        UserUttered("ok", {"name": "affirm"}),
        ActionExecuted("action_small_talk"),
    ]
    assert actions_this_turn(events) == ["action_small_talk"]
