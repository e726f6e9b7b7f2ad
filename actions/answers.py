"""Answering questions from the knowledge base, topic menus, and remembering the user's area."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation, replies
from actions.area import (
    AREA_QUESTION,
    ELSEWHERE,
    area_buttons,
    area_from_message,
    area_prompt,
    outside_text,
    payload,
    resolution_of_latest_message,
)
from actions.directory import has_services, say_named_service
from actions.small_talk import next_step_buttons
from bot import pathway_hints
from bot.directory import categories
from bot.directory.areas import council
from bot.knowledge.loader import default_knowledge
from bot.knowledge.render import render_answer, render_local_answer
from bot.knowledge.reply_plan import Kind, plan_reply


def topic_buttons() -> list[dict[str, str]]:
    buttons = [
        {"title": topic.title, "payload": payload("help", topic=name)}
        for name, topic in default_knowledge().topics.items()
    ]
    buttons.append({"title": "Work out a pathway (ward staff)", "payload": payload("start_pathway_finder")})
    return buttons


def say_answer(
    dispatcher: CollectingDispatcher, tracker: Tracker, key: str, acknowledge: bool = True
) -> list[EventType]:
    """Utters one knowledge entry for this user's audience and area (shared by several actions).

    ``acknowledge``: open with one kind sentence if the writer says they are struggling (not after
    a safety route, which has already spoken to them)."""
    entry = default_knowledge().entry(key)
    if entry is None:
        dispatcher.utter_message(
            text="Sorry, I don't have an answer to that yet. Here are the topics I can help with.",
            buttons=topic_buttons(),
        )
        return []
    events: list[EventType] = [SlotSet("last_answer_key", key)]
    area = conversation.area(tracker)
    named = area_from_message(tracker, use_whole_text=False)
    if named and named != area:  # "I live in Hereford, what help is there for carers"
        area = named
        events.append(SlotSet("area", named))
        dispatcher.utter_message(text=area_noted_text(named))
    rendered = render_answer(entry, conversation.audience(tracker), area)
    if acknowledge:
        replies.acknowledge(dispatcher, tracker)
    dispatcher.utter_message(text=rendered.text, buttons=_service_offer(entry.offers_services))
    # Ask once; never during a form, which asks its own questions straight after.
    if rendered.ask_for_area and not tracker.get_slot("area_asked") and tracker.active_loop_name is None:
        dispatcher.utter_message(text=AREA_QUESTION, buttons=area_buttons())
        events.append(SlotSet("area_asked", True))
    return events


def area_noted_text(code: str) -> str:
    """One line saying which area we will use from now on (or that it is outside ours)."""
    if code == ELSEWHERE:
        return outside_text(None)
    return f"I'll use {council(code).name} for local information."


def _service_offer(need: str | None) -> list[dict[str, str]]:
    """A button to find local services of the kind the answer is about (e.g. carers support)."""
    category = categories.get(need) if need else None
    if category is None:
        return []
    return [{"title": f"Find local help: {category.label}", "payload": payload("find_service", need=category.code)}]


class ActionAnswerQuestion(Action):
    """Answers a retrieval question (pathways/..., funding/...), typed or picked from a button.

    A button sends the exact question as an ``answer_key`` entity, e.g.
    ``/funding{"answer_key": "funding/who_pays"}``; typed questions use the ResponseSelector.
    """

    def name(self) -> str:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        key = conversation.entity_value(tracker, "answer_key")
        if key is not None:  # a button: that exact question
            return say_answer(dispatcher, tracker, key)
        # "tell me about Carer Support Dorset": a service's full name beats a topic guess.
        shown = say_named_service(dispatcher, tracker)
        if shown is not None:
            return shown
        text = tracker.latest_message.get("text") or ""
        if pathway_hints.asks_pathway_for_someone(text) and not conversation.entity_value(tracker, "pathway"):
            if conversation.audience(tracker) == "staff":
                return replies.say_pathway_offer(dispatcher, tracker, pathway_hints.hint(text))
            # A family asking which pathway their relative will get: who decides, and how.
            return say_answer(dispatcher, tracker, replies.FAMILY_PATHWAY_KEY)
        plan = plan_reply(
            default_knowledge(), conversation.ranked_questions(tracker), text, tracker.get_slot("last_answer_key")
        )
        if plan is not None and plan.kind == Kind.SEVERAL:
            return replies.say_several(dispatcher, tracker, plan.keys)
        if plan is not None and plan.kind == Kind.DID_YOU_MEAN:
            return replies.say_did_you_mean(dispatcher, tracker, plan.keys)
        chosen = plan.keys[0] if plan is not None else conversation.selected_question(tracker)
        return say_answer(dispatcher, tracker, chosen or "")


class ActionOfferTopics(Action):
    """'What can you do?', a topic's questions, and the fallback when we did not understand.

    With a ``topic`` entity (from a topic button) it lists that topic's questions as buttons;
    otherwise it lists the topics.
    """

    def name(self) -> str:
        return "action_offer_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        topic = default_knowledge().topics.get(conversation.entity_value(tracker, "topic") or "")
        if topic is not None:
            buttons = [
                {"title": e.title, "payload": payload(e.topic, answer_key=e.retrieval_intent)} for e in topic.entries
            ]
            dispatcher.utter_message(text=f"{topic.title}: what would you like to know?", buttons=buttons)
        elif conversation.latest_intent(tracker) == "help":
            dispatcher.utter_message(
                text="I can give information on these topics. Pick one, or type your question in your own words.",
                buttons=topic_buttons(),
            )
        else:
            dispatcher.utter_message(
                text="Sorry, I'm not sure I understood. Could you say it another way? Or pick one of these topics.",
                buttons=topic_buttons(),
            )
        return []


class ActionSetArea(Action):
    """Works out the council area from what the user typed or picked, and remembers it."""

    def name(self) -> str:
        return "action_set_area"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        found = area_from_message(tracker, use_whole_text=True)
        if found == ELSEWHERE:
            resolution = resolution_of_latest_message(tracker)
            place = resolution.matched.title() if resolution and resolution.kind == "outside" else None
            dispatcher.utter_message(text=outside_text(place))
            return [SlotSet("area", ELSEWHERE)]
        if found:
            return self._remember(dispatcher, tracker, found)
        text, buttons = area_prompt(tracker)
        dispatcher.utter_message(text=text, buttons=buttons)
        return []

    @staticmethod
    def _remember(dispatcher: CollectingDispatcher, tracker: Tracker, code: str) -> list[EventType]:
        chosen = council(code)
        events: list[EventType] = [SlotSet("area", code)]
        entry = default_knowledge().entry(tracker.get_slot("last_answer_key") or "")
        local = render_local_answer(entry, conversation.audience(tracker), code) if entry is not None else None
        need = categories.get(tracker.get_slot("service_need") or "")
        if need is not None and not has_services(need.code, code):
            need = None  # a button that would find nothing helps nobody
        # After a search, offer the same search in the new area; otherwise say what can come next.
        buttons = (
            [{"title": f"{need.label} in {chosen.name}", "payload": payload("find_service", need=need.code)}]
            if need is not None
            else [] if local else next_step_buttons(conversation.audience(tracker))
        )
        dispatcher.utter_message(text=f"Thank you. I'll use {chosen.name} for the rest of our chat.", buttons=buttons)
        if local:
            dispatcher.utter_message(text=local)
        return events
