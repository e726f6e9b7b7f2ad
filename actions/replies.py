"""Replies that fit the message: several needs at once, "did you mean", a patient's pathway.

Thin: what to say is decided in bot/ (bot.knowledge.reply_plan, bot.pathway_hints); this turns
it into messages and buttons. Every button asks for one exact question, as the topic menus do.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.area import payload
from bot.knowledge.acknowledge import acknowledgement
from bot.knowledge.loader import default_knowledge
from bot.knowledge.model import Citation, Entry
from bot.knowledge.render import render_several, source_line
from bot.pathway_finder import DEFINITIONS_SOURCE, QUESTIONS
from bot.pathway_hints import PathwayHint

FAMILY_PATHWAY_KEY = "pathways/who_decides"
DID_YOU_MEAN_TEXT = "I'm not sure which of these you mean. Pick one, or ask it another way."
SOMETHING_ELSE = {"title": "Something else", "payload": "/nlu_fallback"}
FINDER_BUTTON = {"title": "Work out a pathway with the finder", "payload": "/start_pathway_finder"}
PATHWAY_TEXT = (
    "The team decides the pathway, so I won't pick one from a description. The pathway finder "
    "asks up to four yes or no questions about this patient and suggests one for your discussion."
)
PATHWAY_HINT_TEXT = (
    "From what you wrote (\"{said}\"), the finder's question {number} is likely a yes: "
    "\"{question}\" That points to Pathway {pathway}. {reason}"
)


def question_button(entry: Entry, title: str | None = None) -> dict[str, str]:
    return {"title": title or entry.title, "payload": payload(entry.topic, answer_key=entry.retrieval_intent)}


def acknowledge(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """One kind sentence first when the writer says they are struggling (typed words only)."""
    typed = tracker.latest_message.get("text") or ""
    kind_word = None if typed.startswith("/") else acknowledgement(typed)
    if kind_word:  # "I'm so worried I can't sleep": say we heard that, then the information
        dispatcher.utter_message(text=kind_word)


def say_several(dispatcher: CollectingDispatcher, tracker: Tracker, keys: tuple[str, ...]) -> list[EventType]:
    """The gist of each need, with a button for the full answer to each."""
    knowledge = default_knowledge()
    entries = [e for e in (knowledge.entry(k) for k in keys) if e is not None]
    acknowledge(dispatcher, tracker)
    text = render_several(entries, conversation.audience(tracker))
    dispatcher.utter_message(text=text, buttons=[question_button(e, f"More: {e.title}") for e in entries])
    return [SlotSet("last_answer_key", None)]  # "that" after several answers could be any of them


def say_did_you_mean(dispatcher: CollectingDispatcher, tracker: Tracker, keys: tuple[str, ...]) -> list[EventType]:
    """The best questions as buttons, when none is clearly what the message asks."""
    knowledge = default_knowledge()
    entries = [e for e in (knowledge.entry(k) for k in keys) if e is not None]
    acknowledge(dispatcher, tracker)
    dispatcher.utter_message(text=DID_YOU_MEAN_TEXT, buttons=[*map(question_button, entries), SOMETHING_ELSE])
    return []


def definitions_source_line() -> str:
    """The source line for what the pathway finder says: the national definitions it follows."""
    source_id, where, checked = DEFINITIONS_SOURCE
    return source_line([Citation(default_knowledge().sources[source_id], where)], checked, "staff")


def say_pathway_offer(
    dispatcher: CollectingDispatcher, tracker: Tracker, found: PathwayHint | None
) -> list[EventType]:
    """For ward staff describing a patient: the pathway finder, and which pathway the finder
    question their description answers points to, when it plainly answers one."""
    knowledge = default_knowledge()
    acknowledge(dispatcher, tracker)
    lines, buttons = [PATHWAY_TEXT], [FINDER_BUTTON]
    if found is not None:
        question = found.question
        lines.append(PATHWAY_HINT_TEXT.format(
            said=found.said, number=QUESTIONS.index(question) + 1, question=question.text,
            pathway=question.pathway, reason=question.reason,
        ))
        lines.append(definitions_source_line())
        entry = knowledge.entry(f"pathways/pathway_{question.pathway}")
        if entry is not None:
            buttons.append(question_button(entry))
    overview = knowledge.entry("pathways/overview")
    if overview is not None:
        buttons.append(question_button(overview))
    dispatcher.utter_message(text="\n\n".join(lines), buttons=buttons)
    return []
