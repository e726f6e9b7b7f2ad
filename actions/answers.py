"""Answering questions from the knowledge base, topic menus, and remembering the user's area."""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from bot.directory.areas import all_councils, council, resolve_area
from bot.knowledge.loader import default_knowledge
from bot.knowledge.render import render_answer, render_local_answer

AREA_QUESTION = (
    "Local services can differ. Which council area is the person going home to? "
    "Pick one, or type a town, for example Poole, Hereford or Romford."
)
ELSEWHERE = "elsewhere"


def _payload(intent: str, **entities: str) -> str:
    return f"/{intent}{json.dumps(entities)}" if entities else f"/{intent}"


def area_buttons() -> list[dict[str, str]]:
    buttons = [{"title": c.name, "payload": _payload("inform_area", council=c.code)} for c in all_councils()]
    buttons.append({"title": "Somewhere else", "payload": _payload("inform_area", council=ELSEWHERE)})
    return buttons


def topic_buttons() -> list[dict[str, str]]:
    buttons = [
        {"title": topic.title, "payload": _payload("help", topic=name)}
        for name, topic in default_knowledge().topics.items()
    ]
    buttons.append({"title": "Work out a pathway (ward staff)", "payload": _payload("start_pathway_finder")})
    return buttons


def say_answer(dispatcher: CollectingDispatcher, tracker: Tracker, key: str) -> list[EventType]:
    """Utters one knowledge entry for this user's audience and area (shared by several actions)."""
    entry = default_knowledge().entry(key)
    if entry is None:
        dispatcher.utter_message(
            text="Sorry, I don't have an answer to that yet. Here are the topics I can help with.",
            buttons=topic_buttons(),
        )
        return []
    rendered = render_answer(entry, conversation.audience(tracker), conversation.area(tracker))
    dispatcher.utter_message(text=rendered.text)
    if rendered.ask_for_area:
        dispatcher.utter_message(text=AREA_QUESTION, buttons=area_buttons())
    return [SlotSet("last_answer_key", key)]


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
        key = conversation.entity_value(tracker, "answer_key") or conversation.selected_question(tracker)
        return say_answer(dispatcher, tracker, key or "")


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
                {"title": e.title, "payload": _payload(e.topic, answer_key=e.retrieval_intent)} for e in topic.entries
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
        picked = conversation.entity_value(tracker, "council")  # the area buttons send a council code
        if picked == ELSEWHERE:
            dispatcher.utter_message(text=_outside_text(None))
            return [SlotSet("area", None)]
        if picked and council(picked):
            return self._remember(dispatcher, tracker, picked)
        said = conversation.entity_value(tracker, "place") or tracker.latest_message.get("text") or ""
        resolution = resolve_area(said)
        if resolution.kind == "council":
            return self._remember(dispatcher, tracker, resolution.councils[0].code)
        if resolution.kind == "ambiguous":
            buttons = [
                {"title": c.name, "payload": _payload("inform_area", council=c.code)} for c in resolution.councils
            ]
            buttons.append({"title": "Somewhere else", "payload": _payload("inform_area", council=ELSEWHERE)})
            dispatcher.utter_message(text=resolution.question, buttons=buttons)
        elif resolution.kind == "outside":
            dispatcher.utter_message(text=_outside_text(resolution.matched.title()))
            return [SlotSet("area", None)]
        else:
            dispatcher.utter_message(
                text="Sorry, I don't recognise that place. Could you pick the council area, or type the nearest town?",
                buttons=area_buttons(),
            )
        return []

    @staticmethod
    def _remember(dispatcher: CollectingDispatcher, tracker: Tracker, code: str) -> list[EventType]:
        chosen = council(code)
        dispatcher.utter_message(text=f"Thank you. I'll use {chosen.name} for the rest of our chat.")
        events: list[EventType] = [SlotSet("area", code)]
        entry = default_knowledge().entry(tracker.get_slot("last_answer_key") or "")
        if entry is not None:
            local = render_local_answer(entry, conversation.audience(tracker), code)
            if local:
                dispatcher.utter_message(text=local)
        return events


def _outside_text(place: str | None) -> str:
    covered = ", ".join(c.name for c in all_councils())
    where = f"{place} is" if place else "That area is"
    return (
        f"{where} outside the areas I hold local information for ({covered}). "
        "The national information I give still applies across England. For local services, "
        "ask the hospital ward team, or contact the adult social care team at the council "
        "where the person lives (their website lists how)."
    )
