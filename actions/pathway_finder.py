"""The pathway finder form for ward staff: questions, validation, result, going back."""

from __future__ import annotations

import abc
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import say_answer
from actions.directory import offer_pathway_services
from actions.replies import definitions_source_line
from bot import pathway_finder

ANSWER_BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/unsure"},
]
FORM = "pathway_finder_form"


def _answers(tracker: Tracker) -> dict[str, str | None]:
    return {slot: tracker.get_slot(slot) for slot in pathway_finder.SLOTS}


class ActionFinderStart(Action):
    """Clears any earlier answers so every run of the finder starts fresh."""

    def name(self) -> str:
        return "action_finder_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return [SlotSet(slot, None) for slot in pathway_finder.SLOTS]


class _AskFinderQuestion(Action, abc.ABC):
    """Asks one finder question; abstract so the action server registers only the subclasses."""

    @property
    @abc.abstractmethod
    def question(self) -> pathway_finder.FinderQuestion: ...

    def name(self) -> str:
        return f"action_ask_{self.question.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        number = pathway_finder.QUESTIONS.index(self.question) + 1
        dispatcher.utter_message(text=f"Question {number}: {self.question.text}", buttons=ANSWER_BUTTONS)
        return []


# One ask-action per question, named action_ask_<slot> so the form finds it.
for _question in pathway_finder.QUESTIONS:
    _class_name = "ActionAsk" + "".join(part.title() for part in _question.slot.split("_"))
    globals()[_class_name] = type(_class_name, (_AskFinderQuestion,), {"question": _question})


class ValidatePathwayFinderForm(FormValidationAction):
    """Asks only as many questions as needed: the first 'yes' settles the suggestion."""

    def name(self) -> str:
        return "validate_pathway_finder_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        answers = _answers(tracker)
        needed = []
        for slot in pathway_finder.SLOTS:
            needed.append(slot)
            if answers.get(slot) == pathway_finder.YES:
                break
        return needed

    async def validate(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().validate(dispatcher, tracker, domain)
        # Answers that are not yes/no/not sure are dropped, so the question is asked again.
        return [
            SlotSet(e["name"], None)
            if e.get("event") == "slot" and e.get("name") in pathway_finder.SLOTS
            and e.get("value") not in (*pathway_finder.ANSWERS, None)
            else e
            for e in events
        ]


class ActionPathwayFinderResult(Action):
    """The suggestion, its reason, that the MDT decides, and the next steps for the area."""

    def name(self) -> str:
        return "action_pathway_finder_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        result = pathway_finder.suggest(_answers(tracker))
        if result.pathway is None:
            lines = [
                "From your answers, none of the four national pathway descriptions fits clearly.",
            ]
        else:
            lines = [f"Suggested: Pathway {result.pathway}. {result.reason}"]
        for question in result.unsure_about:
            lines.append(
                f"You weren't sure whether: \"{question.text}\" If the answer is yes, "
                f"Pathway {question.pathway} may fit better."
            )
        lines.append(
            "This is a prompt for your discussion, not a decision. The multidisciplinary team "
            "decides the pathway with the patient and their family."
        )
        lines.append(definitions_source_line())
        dispatcher.utter_message(text="\n\n".join(lines))
        events = [SlotSet(slot, None) for slot in pathway_finder.SLOTS]
        events += say_answer(dispatcher, tracker, "pathways/next_steps")
        if result.pathway is not None:
            offer_pathway_services(dispatcher, tracker.get_slot("area"), result.pathway)
        return events


class ActionFinderGoBack(Action):
    """Clears the most recent answer so the form asks that question again."""

    def name(self) -> str:
        return "action_finder_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answered = [s for s in pathway_finder.SLOTS if tracker.get_slot(s) is not None]
        if not answered:
            dispatcher.utter_message(text="There's no earlier answer to change yet.")
            return []
        dispatcher.utter_message(text="OK, let's go back a question.")
        return [SlotSet(answered[-1], None), SlotSet("requested_slot", None)]
