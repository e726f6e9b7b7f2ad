"""Finding local services: the service-search form (need + area), results, 'show more', details."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import conversation
from actions.area import ELSEWHERE, area_from_message, area_prompt, outside_text, payload
from bot.directory import categories, present
from bot.directory.areas import council
from bot.directory.lookup import named_service
from bot.directory.repository import DirectoryRepository, ServiceView
from bot.nlp.pathway_names import pathway_number

FORM = "service_search_form"
PAGE_SIZE = 3
SHOW_MORE = "/show_more_services"
# The needs offered as buttons when the user has not said one (the rest can be typed).
COMMON_NEEDS = ("carers_support", "community_equipment", "home_care", "reablement", "adaptations_dfg", "dementia")
DIRECTORY_DOWN = (
    "Sorry, I can't search the directory just now. Please try again in a few minutes. "
    "Meanwhile, the hospital ward team or the council's adult social care team can tell you about local services."
)


@lru_cache(maxsize=1)
def directory() -> DirectoryRepository:
    """One repository per action server process, at DATABASE_URL (default: SQLite var/directory.db)."""
    return DirectoryRepository()


def _details_payload(service_id: str) -> str:
    return payload("service_details", service_id=service_id)


def _search_area(area: str | None) -> str | None:
    # Outside our areas we still search: a code no service has leaves only national services.
    return area if area and (council(area) or area == ELSEWHERE) else None


class ActionServiceSearchStart(Action):
    """Starts a new search: clears the last need and page, keeps the area we already know."""

    def name(self) -> str:
        return "action_service_search_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # "which services in Havering take pathway 1 patients": any kind of help, for that pathway.
        pathway = named_pathway(tracker)
        return [
            SlotSet("service_need", categories.ANY_NEED if pathway is not None else None),
            SlotSet("service_page", None),
            SlotSet("service_pathway", float(pathway) if pathway is not None else None),
        ]


def named_pathway(tracker: Tracker) -> int | None:
    """The one discharge pathway the user's message names ("pathway 1", "P2"), if exactly one."""
    numbers = {pathway_number(str(value)) for value in tracker.get_latest_entity_values("pathway")} - {None}
    return int(numbers.pop()) if len(numbers) == 1 else None


def _search_pathway(tracker: Tracker) -> int | None:
    value = tracker.get_slot("service_pathway")
    return int(value) if value is not None else None


class ActionAskServiceNeed(Action):
    def name(self) -> str:
        return "action_ask_service_need"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        buttons = need_buttons(conversation.area(tracker))
        dispatcher.utter_message(
            text="What kind of help are you looking for? Pick one, or type it, for example \"a wheelchair\" "
            "or \"help for carers\".",
            buttons=buttons,
        )
        return []


class ActionServiceSearchGoBack(Action):
    """'Go back' part-way through the search: from the area question back to the kind of help."""

    def name(self) -> str:
        return "action_service_search_go_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if tracker.get_slot("requested_slot") == "area" and tracker.get_slot("service_need"):
            dispatcher.utter_message(text="OK, let's go back a question.")
            return [SlotSet("service_need", None), SlotSet("requested_slot", None)]
        dispatcher.utter_message(text='This is the first question. To leave the search, say "stop".')
        return []


class ActionAskArea(Action):
    """Asks where, or asks again more precisely after a place we could not place."""

    def name(self) -> str:
        return "action_ask_area"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        text, buttons = area_prompt(tracker)
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet("area_asked", True)]


class ValidateServiceSearchForm(FormValidationAction):
    """Reads the need and the area from what the user typed or picked."""

    def name(self) -> str:
        return "validate_service_search_form"

    async def extract_service_need(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        picked = conversation.entity_value(tracker, "need")
        if picked and categories.get(picked):
            return {"service_need": picked}
        category = categories.resolve(tracker.latest_message.get("text") or "")
        return {"service_need": category.code} if category else {}

    async def extract_area(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        asked = tracker.get_slot("requested_slot") == "area"
        found = area_from_message(tracker, use_whole_text=asked)
        if found is None:
            return {}
        if found == ELSEWHERE:
            dispatcher.utter_message(text=outside_text(None))
        return {"area": found}


class ActionSearchServices(Action):
    """Shows a page of services for the need and area; 'show more' moves to the next page.

    Past the last page it says that was all and shows the list again from the start; "show more"
    with no search behind it asks what kind of help to look for.
    """

    def name(self) -> str:
        return "action_search_services"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        need, area = tracker.get_slot("service_need"), tracker.get_slot("area")
        showing_more = conversation.latest_intent(tracker) == "show_more_services"
        if showing_more and not (need and area):
            dispatcher.utter_message(text=present.NO_SEARCH_YET, buttons=need_buttons(area))
            return []
        page = int(tracker.get_slot("service_page") or 0) + 1 if showing_more else 1
        council_code = _search_area(area)
        try:
            wanted = {"need": categories.need_filter(need), "pathway": _search_pathway(tracker)}
            found = directory().search(**wanted, council=council_code, page=page, page_size=PAGE_SIZE)
            wrapped = showing_more and not found.results and found.total > 0
            if wrapped:  # past the last page: the list again from the start
                page = 1
                found = directory().search(**wanted, council=council_code, page=1, page_size=PAGE_SIZE)
            national = None
            if not found.results:
                national = directory().search(**wanted, council=ELSEWHERE, page_size=PAGE_SIZE)
        except Exception:  # the database is down or unreadable: say so, never go silent
            dispatcher.utter_message(text=DIRECTORY_DOWN)
            return []
        if found.results:
            reply = present.results_reply(
                found, need, area, _details_payload, SHOW_MORE, wrapped=wrapped, pathway=wanted["pathway"]
            )
        else:
            reply = present.nothing_found_reply(need, area, national, pathway=wanted["pathway"])
        dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons))
        events: list[EventType] = [SlotSet("service_page", float(page))]
        if found.total == 1:  # "what's their number?" next means this one
            events.append(SlotSet("last_service_id", found.results[0].id))
        return events


def has_services(need: str, area: str | None) -> bool:
    """Whether a search for this need in this area would list anything (True if we cannot tell)."""
    try:
        return directory().search(need=need, council=_search_area(area), page_size=1).total > 0
    except Exception:
        return True


def need_buttons(area: str | None) -> list[dict[str, str]]:
    """The common kinds of help as buttons: only those the directory lists for the area, if known."""
    codes = list(COMMON_NEEDS)
    listed = [code for code in codes if has_services(code, area)]  # all of them if the directory is down
    return [
        {"title": categories.get(code).label, "payload": payload("find_service", need=code)}
        for code in listed or codes
    ]


def say_about_service_in_view(
    dispatcher: CollectingDispatcher, tracker: Tracker, say: Callable[[ServiceView | None], None]
) -> list[EventType]:
    """Reads the service the user means (see ``_service_meant``) and lets ``say`` speak about it;
    says so plainly if the directory cannot be read. (A function, not a base class: rasa_sdk
    would register a base class as an action of its own.)"""
    try:
        view = _service_meant(tracker)
    except Exception:
        dispatcher.utter_message(text=DIRECTORY_DOWN)
        return []
    say(view)
    return [SlotSet("last_service_id", view.id)] if view is not None else []


class ActionServiceDetails(Action):
    """What one service does, who for, how to get it, hours, contact when held, and its source.

    The service is the one picked (a button's ``service_id``), else one the user named that the
    directory holds, else the last one shown ("what are their opening hours?").
    """

    def name(self) -> str:
        return "action_service_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        def say(view: ServiceView | None) -> None:
            if view is None:
                dispatcher.utter_message(text=present.WHICH_SERVICE, buttons=[FIND_SERVICE_BUTTON])
            else:
                dispatcher.utter_message(text=present.details_text(view, conversation.audience(tracker)))

        return say_about_service_in_view(dispatcher, tracker, say)


class ActionServiceContact(Action):
    """Asked how to reach a service: the contact details we hold for it, or plainly that we hold
    none and who can give them. Never a made-up number."""

    def name(self) -> str:
        return "action_service_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return say_about_service_in_view(
            dispatcher, tracker, lambda view: dispatcher.utter_message(text=present.contact_text(view))
        )


FIND_SERVICE_BUTTON = {"title": "Find a local service", "payload": "/find_service"}


def say_named_service(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType] | None:
    """The details of a service whose full name the user typed; None if they named none."""
    text = tracker.latest_message.get("text") or ""
    if text.startswith("/"):
        return None
    try:
        view = named_service(directory(), text, _search_area(conversation.area(tracker)))
    except Exception:  # the directory is down: answer the question as a question instead
        return None
    if view is None:
        return None
    dispatcher.utter_message(text=present.details_text(view, conversation.audience(tracker)))
    return [SlotSet("last_service_id", view.id)]


def _service_meant(tracker: Tracker) -> ServiceView | None:
    service_id = conversation.entity_value(tracker, "service_id")
    if service_id:
        return directory().get(service_id)
    text = tracker.latest_message.get("text") or ""
    if not text.startswith("/"):
        named = named_service(directory(), text, _search_area(conversation.area(tracker)))
        if named is not None:
            return named
    last = tracker.get_slot("last_service_id")
    return directory().get(last) if last else None


def offer_pathway_services(dispatcher: CollectingDispatcher, area: str | None, pathway: int) -> None:
    """After a pathway suggestion: services the documents link to that pathway in the user's area."""
    if not (area and council(area)):
        return
    try:
        found = directory().search(council=area, pathway=pathway, page_size=PAGE_SIZE)
    except Exception:  # the suggestion has been given; a directory failure must not hide it
        dispatcher.utter_message(text=DIRECTORY_DOWN)
        return
    if found.results:
        reply = present.pathway_services_reply(found, area, pathway, _details_payload)
        dispatcher.utter_message(text=reply.text, buttons=list(reply.buttons))
