"""Two-stage fallback, for messages the assistant did not understand (intent nlu_fallback).

1st time in a row: "Did you mean...?" with, after an answer, the other questions of that answer's
topic that share most words with the message (a follow-up such as "how long does it last?");
otherwise the NLU's three best questions (the topics only if it ranked none); plus "Something else".
2nd time in a row (or "Something else"): offer a person ("Talk to a person" sends /request_human)
and the list of everything the assistant can help with.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.area import payload
from actions.replies import SOMETHING_ELSE, acknowledge, question_button
from bot.knowledge.follow_up import related_questions
from bot.knowledge.loader import default_knowledge

FALLBACK_INTENT = "nlu_fallback"
MAX_TOPICS = 3
MAX_QUESTIONS = 3
MIN_CONFIDENCE = 0.05  # below this an intent is noise, not a likely meaning
FIRST_TEXT = "Sorry, I'm not sure I understood. Did you mean one of these? Or type your question another way."
FOLLOW_UP_TEXT = (
    "Sorry, I'm not sure I understood. If it's about \"{title}\", did you mean one of these? Or type it another way."
)
SECOND_TEXT = (
    "Sorry, I still don't understand. Would you like to talk to a person? "
    "Or pick from everything I can help with."
)
PERSON = {"title": "Talk to a person", "payload": "/request_human"}
ALL_TOPICS = {"title": "Everything I can help with", "payload": "/help"}


def fallbacks_in_a_row(tracker: Tracker) -> int:
    """How many of the user's latest messages, counting back from this one, were not understood."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if intent != FALLBACK_INTENT:
            break
        count += 1
    return max(count, 1)  # this action runs because the latest message was not understood


def likely_questions(tracker: Tracker) -> list[dict[str, str]]:
    """The NLU's best questions for the message (up to three), as buttons: a real "did you mean"."""
    knowledge = default_knowledge()
    entries = [knowledge.entry(r.key) for r in conversation.ranked_questions(tracker) if r.confidence >= MIN_CONFIDENCE]
    return [question_button(e) for e in entries if e is not None][:MAX_QUESTIONS]


def likely_topics(tracker: Tracker) -> list[dict[str, str]]:
    topics = default_knowledge().topics
    buttons = []
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name, confidence = ranked.get("name"), ranked.get("confidence") or 0.0
        if name in topics and confidence >= MIN_CONFIDENCE:
            buttons.append({"title": topics[name].title, "payload": payload("help", topic=name)})
        if len(buttons) == MAX_TOPICS:
            break
    return buttons


class ActionFallback(Action):
    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        acknowledge(dispatcher, tracker)  # not understood is no reason to ignore "I'm so worried"
        if fallbacks_in_a_row(tracker) >= 2:
            dispatcher.utter_message(text=SECOND_TEXT, buttons=[PERSON, ALL_TOPICS])
            return []
        last_key = tracker.get_slot("last_answer_key")
        related = related_questions(default_knowledge(), last_key, tracker.latest_message.get("text") or "")
        if related:  # probably a follow-up to the last answer ("how long does it last?")
            buttons = [question_button(e) for e in related]
            last = default_knowledge().entry(last_key)
            dispatcher.utter_message(text=FOLLOW_UP_TEXT.format(title=last.title if last else ""),
                                     buttons=[*buttons, SOMETHING_ELSE])
            return []
        # The best questions; the topics only when the ranking names none worth offering.
        offered = likely_questions(tracker) or likely_topics(tracker)
        if not offered:
            offered = [ALL_TOPICS]
        dispatcher.utter_message(text=FIRST_TEXT, buttons=[*offered, SOMETHING_ELSE])
        return []
