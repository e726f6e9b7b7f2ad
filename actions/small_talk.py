"""Short replies that answer nothing ("ok", "no", "not sure", "go back", "hi", "thanks", "bye").

One action for all of them, so every such message gets exactly one short reply that says what the
assistant can do next, in any state: outside a form it ends the turn; inside a form a rule runs
the form again, which asks its question again. Which response answers which message is decided in
``bot/dialogue/short_replies.py``; the words are domain responses (``domain.yml``).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.area import payload
from bot.dialogue import short_replies

ACTION_LISTEN = "action_listen"


def next_step_buttons(audience: str) -> list[dict[str, str]]:
    """A few places to go next: the commonest question, who pays, everything, and for staff the finder."""
    buttons = [
        {"title": "What happens when someone leaves hospital",
         "payload": payload("discharge_process", answer_key="discharge_process/what_happens")},
        {"title": "Who pays for care", "payload": payload("help", topic="funding")},
    ]
    if audience == "staff":
        buttons.append({"title": "Work out a pathway", "payload": payload("start_pathway_finder")})
    buttons.append({"title": "Everything I can help with", "payload": payload("help")})
    return buttons


def previous_action(tracker: Tracker) -> str | None:
    """The last action before the user's latest message (other than listening)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif seen_user and event.get("event") == "action" and event.get("name") != ACTION_LISTEN:
            return event.get("name")
    return None


def say_and_listen(dispatcher: CollectingDispatcher, tracker: Tracker, response: str) -> list[EventType]:
    """Says ``response`` with the next-step buttons and ends the turn, whatever the policies think."""
    dispatcher.utter_message(response=response, buttons=next_step_buttons(conversation.audience(tracker)))
    return [FollowupAction(ACTION_LISTEN)]


class ActionSmallTalk(Action):
    """One short reply to a message that asks nothing; outside a form, a few next steps as buttons."""

    def name(self) -> str:
        return "action_small_talk"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        audience = conversation.audience(tracker)
        in_form = tracker.active_loop_name is not None
        after_answer = previous_action(tracker) == "action_answer_question"
        response = short_replies.short_reply(conversation.latest_intent(tracker), in_form, audience, after_answer)
        if in_form:
            dispatcher.utter_message(response=response)
            return []
        has_own_buttons = any(
            variant.get("buttons") for variant in (domain.get("responses") or {}).get(response) or []
        )
        if has_own_buttons or response in short_replies.ENDS_CONVERSATION:
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(response=response, buttons=next_step_buttons(audience))
        return []


class ActionCoreFallback(Action):
    """When no rule or story says what to do next: one reply, then listen (never a second guess).

    Rasa's own default fallback ends the turn by reverting the message; this one keeps the message
    in the conversation (the user did say it) and ends the turn with ``action_listen`` instead, so
    the policies are not asked again about a state they do not know.
    """

    def name(self) -> str:
        return "action_core_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return say_and_listen(dispatcher, tracker, short_replies.CORE_FALLBACK)


class ActionTurnRecovered(Action):
    """Said once when the turn guard (bot/dialogue/turn_guard.py) had to end a turn that was looping."""

    def name(self) -> str:
        return "action_turn_recovered"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return say_and_listen(dispatcher, tracker, short_replies.TURN_RECOVERED)
