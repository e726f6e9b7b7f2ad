"""Messages that ask nothing get one short reply that says what can come next, and never a loop."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk.events import FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.small_talk import ActionCoreFallback, ActionSmallTalk, ActionTurnRecovered
from tests.actions.conftest import make_tracker

DOMAIN = yaml.safe_load((Path(__file__).resolve().parents[2] / "domain.yml").read_text(encoding="utf-8"))


async def _run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages, events


@pytest.mark.parametrize("intent", ["affirm", "deny", "unsure", "go_back", "stop", "thank"])
async def test_a_short_reply_outside_a_form_gets_one_message_with_next_steps(intent: str) -> None:
    messages, events = await _run(ActionSmallTalk(), make_tracker(intent=intent))
    assert len(messages) == 1
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert "Everything I can help with" in titles
    assert events == []


async def test_no_after_an_answer_apologises() -> None:
    history = [
        {"event": "action", "name": "action_answer_question"},
        {"event": "bot", "text": "Reablement is..."},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "no that is not what I asked"},
    ]
    messages, _ = await _run(ActionSmallTalk(), make_tracker(intent="deny", events=history))
    assert messages[0]["response"] == "utter_short_deny_after_answer"


async def test_inside_a_form_only_an_acknowledgement_so_the_form_can_ask_again() -> None:
    messages, _ = await _run(ActionSmallTalk(), make_tracker(intent="affirm", active_loop="service_search_form"))
    assert [m["response"] for m in messages] == ["utter_please_answer_in_form"]
    assert messages[0]["buttons"] == []


async def test_staff_are_greeted_with_the_pathway_finder() -> None:
    tracker = make_tracker(intent="greet", metadata={"audience": "staff"})
    messages, _ = await _run(ActionSmallTalk(), tracker)
    assert messages[0]["response"] == "utter_greet_staff"


async def test_goodbye_has_no_buttons() -> None:
    messages, _ = await _run(ActionSmallTalk(), make_tracker(intent="goodbye"))
    assert messages[0]["response"] == "utter_goodbye" and messages[0]["buttons"] == []


@pytest.mark.parametrize("action", [ActionCoreFallback(), ActionTurnRecovered()])
async def test_the_fallbacks_end_the_turn_so_they_cannot_repeat(action) -> None:
    messages, events = await _run(action, make_tracker(intent="affirm"))
    assert len(messages) == 1
    assert events == [FollowupAction("action_listen")]
