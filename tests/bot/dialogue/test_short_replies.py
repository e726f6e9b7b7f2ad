"""One response for each message that asks nothing, chosen by intent, place and audience."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.dialogue.short_replies import ACTION_RESPONSES, IN_FORM_DEFAULT, short_reply

DOMAIN = Path(__file__).resolve().parents[3] / "domain.yml"


def test_each_short_message_outside_a_form_has_its_own_reply() -> None:
    replies = {intent: short_reply(intent, False, "family", False) for intent in ("affirm", "deny", "unsure", "stop")}
    assert len(set(replies.values())) == 4


def test_no_after_an_answer_is_an_apology_not_an_ok() -> None:
    assert short_reply("deny", False, "family", True) == "utter_short_deny_after_answer"
    assert short_reply("deny", False, "family", False) == "utter_short_deny"


def test_inside_a_form_a_yes_or_no_asks_for_an_answer() -> None:
    assert short_reply("affirm", True, "family", False) == IN_FORM_DEFAULT
    assert short_reply("nlu_fallback", True, "family", False) == IN_FORM_DEFAULT


def test_staff_get_the_staff_greeting() -> None:
    assert short_reply("greet", False, "staff", False) == "utter_greet_staff"
    assert short_reply("greet", False, "family", False) == "utter_greet"


def test_every_response_the_actions_utter_is_in_the_domain() -> None:
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]
    assert ACTION_RESPONSES - set(responses) == set()


def test_saying_you_are_staff_in_the_public_chat_does_not_promise_staff_answers() -> None:
    assert short_reply("i_am_staff", False, "family", False) == "utter_staff_mode_in_public_chat"
    assert short_reply("i_am_staff", False, "staff", False) == "utter_staff_mode"
