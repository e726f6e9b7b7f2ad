"""Safety actions: the route for a red flag, and polite replies for what we do not cover."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.answers import say_answer
from actions.area import payload
from actions.fallback import FALLBACK_INTENT
from bot.knowledge import follow_up
from bot.knowledge.loader import default_knowledge
from bot.safety.groups import GROUPS
from bot.safety.out_of_scope import KINDS, OUT_OF_SCOPE_INTENT, out_of_scope_text
from bot.safety.routes import GENERAL, carry_on_text, default_routes, route_text

UNRELATED = "unrelated"  # the kind bot/nlp/unrelated.py gives a message unrelated to leaving hospital

RED_FLAG_ENTITY = "red_flag"
SCOPE_KIND_ENTITY = "scope_kind"
PATHWAY_FINDER = "pathway_finder_form"


def red_flag_group(tracker: Tracker) -> str:
    """The group the NLU component found; if it is missing, detect again on the text."""
    group = conversation.entity_value(tracker, RED_FLAG_ENTITY)
    if group in GROUPS or group == GENERAL:  # GENERAL: the component could not check the message
        return group
    # Only reached without the component's entity (e.g. an old model): load detection then.
    from bot.safety.red_flags import detect

    flag = detect(tracker.latest_message.get("text") or "")
    return flag.group if flag else GENERAL


@dataclass(frozen=True)
class AskedQuestion:
    topic: str
    key: str
    sure: bool  # False: the classifier had fallen back, so the question is only offered


def asked_question(tracker: Tracker) -> AskedQuestion | None:
    """The question the user also asked, if the classifier had recognised one.

    The component keeps the pre-override ranking below ``red_flag``, and the ResponseSelector's
    choice is untouched, so "who pays? also mum fell" can still offer the funding answer. When
    the classifier had fallen back (a long message that says many things), the topic ranked
    next is used, but only offered as a button: a guess is not said as if it were the answer.
    """
    latest = tracker.latest_message
    ranked = [r.get("name") for r in (latest.get("intent_ranking") or [])[1:3]]
    sure = bool(ranked) and ranked[0] != FALLBACK_INTENT
    asked = ranked[0] if sure else (ranked[1] if len(ranked) > 1 else None)
    selector: dict[str, Any] = latest.get("response_selector") or {}
    if not asked or asked not in (selector.get("all_retrieval_intents") or []):
        return None
    prediction = selector.get(asked) or selector.get("default") or {}
    key = (prediction.get("response") or {}).get("intent_response_key") or ""
    if not key.startswith(f"{asked}/") or default_knowledge().entry(key) is None:
        return None
    return AskedQuestion(asked, key, sure)


class ActionRedFlagRoute(Action):
    """Says who to contact now, calmly, for the group and audience; then answers the question
    the user also asked, unless the route says to stop and call now (then it is offered as a
    button); then offers to carry on.

    If a form is running (the pathway finder, the service search) it is stopped: the person's
    situation has changed, so the answers given so far may no longer hold, and a form question
    straight after "call 999" would read as if we had not listened (docs/integration/safety.md).
    """

    def name(self) -> str:
        return "action_red_flag_route"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        audience = conversation.audience(tracker)
        group = red_flag_group(tracker)
        dispatcher.utter_message(text=route_text(group, audience, conversation.area(tracker)))

        book = default_routes()
        carry_on = book.carry_on
        form = tracker.active_loop_name
        events: list[EventType] = []
        buttons = []
        question = asked_question(tracker)
        if question is not None:
            if question.sure and book.answers_after(group):
                events += say_answer(dispatcher, tracker, question.key, acknowledge=False)
            else:
                button = payload(question.topic, answer_key=question.key)
                buttons.append({"title": carry_on["question_button"], "payload": button})
        buttons.append({"title": carry_on["topics_button"], "payload": payload("help")})
        if form == PATHWAY_FINDER:
            text = carry_on["finder_stopped"]
        elif form:
            text = carry_on["form_stopped"]
        else:
            text = carry_on_text(audience)
        dispatcher.utter_message(text=text, buttons=buttons)
        return [*events, ActiveLoop(None), SlotSet("requested_slot", None)] if form else events


def out_of_scope_kind(tracker: Tracker) -> str | None:
    """'medical_advice', ... from a button's entity or the selected out_of_scope/<kind> question."""
    kind = conversation.entity_value(tracker, SCOPE_KIND_ENTITY)
    if kind in KINDS:
        return kind
    selected = conversation.selected_question(tracker) or ""
    topic, _, key = selected.partition("/")
    return key if topic == OUT_OF_SCOPE_INTENT and key in KINDS else None


class ActionOutOfScope(Action):
    """What we can't do for this kind of question, and where to go instead."""

    def name(self) -> str:
        return "action_out_of_scope"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        kind = out_of_scope_kind(tracker)
        if kind == UNRELATED:  # "how long does it last?" reads as unrelated on its own
            typed = tracker.latest_message.get("text") or ""
            meant = follow_up.question_meant(default_knowledge(), tracker.get_slot("last_answer_key"), typed)
            if meant is not None:
                return say_answer(dispatcher, tracker, meant)
        text = out_of_scope_text(kind, conversation.audience(tracker))
        button = {"title": default_routes().carry_on["topics_button"], "payload": payload("help")}
        dispatcher.utter_message(text=text, buttons=[button])
        return []
