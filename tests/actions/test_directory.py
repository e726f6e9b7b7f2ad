"""Finding local services in a chat: need and area, results, show more, details, nothing found."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.directory import (
    ActionAskArea,
    ActionAskServiceNeed,
    ActionSearchServices,
    ActionServiceContact,
    ActionServiceDetails,
    ActionServiceSearchGoBack,
    ActionServiceSearchStart,
    ValidateServiceSearchForm,
)
from tests.actions.conftest import make_tracker

pytestmark = pytest.mark.usefixtures("small_directory")


async def _run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


async def _extract(slot: str, tracker) -> tuple[list, dict]:
    dispatcher = CollectingDispatcher()
    found = await getattr(ValidateServiceSearchForm(), f"extract_{slot}")(dispatcher, tracker, {})
    return dispatcher.messages, found


async def test_need_and_place_are_read_from_one_message() -> None:
    tracker = make_tracker(
        intent="find_service",
        text="is there anyone who can help with a wheelchair in Poole",
        entities=[{"entity": "place", "value": "Poole"}],
    )
    assert (await _extract("service_need", tracker))[1] == {"service_need": "community_equipment"}
    assert (await _extract("area", tracker))[1] == {"area": "bcp"}


async def test_a_need_button_and_an_area_button_fill_the_form() -> None:
    tracker = make_tracker(intent="find_service", entities=[{"entity": "need", "value": "carers_support"}])
    assert (await _extract("service_need", tracker))[1] == {"service_need": "carers_support"}
    tracker = make_tracker(intent="inform_area", entities=[{"entity": "council", "value": "havering"}])
    assert (await _extract("area", tracker))[1] == {"area": "havering"}


async def test_a_split_place_is_asked_about_with_only_its_councils() -> None:
    tracker = make_tracker(intent="inform_area", text="Dorset", slots={"requested_slot": "area"})
    assert (await _extract("area", tracker))[1] == {}
    messages, _ = await _run(ActionAskArea(), tracker)
    assert {b["title"] for b in messages[0]["buttons"]} == {"Dorset Council", "BCP Council", "Somewhere else"}


async def test_a_place_outside_our_areas_searches_national_services() -> None:
    tracker = make_tracker(intent="inform_area", text="Leeds", slots={"requested_slot": "area"})
    messages, found = await _extract("area", tracker)
    assert found == {"area": "elsewhere"}
    assert "outside the areas" in messages[0]["text"]
    tracker = make_tracker(intent="inform_area", slots={"service_need": "carers_support", "area": "elsewhere"})
    messages, _ = await _run(ActionSearchServices(), tracker)
    assert [b["title"] for b in messages[0]["buttons"]] == ["National carers line"]


async def test_results_come_three_at_a_time_local_first_with_show_more() -> None:
    tracker = make_tracker(intent="find_service", slots={"service_need": "community_equipment", "area": "bcp"})
    messages, events = await _run(ActionSearchServices(), tracker)
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles == ["Equipment loan A", "Equipment loan B", "Equipment loan C", "Show more"]
    assert "4 found" in messages[0]["text"]
    assert SlotSet("service_page", 1.0) in events
    more = make_tracker(
        intent="show_more_services",
        slots={"service_need": "community_equipment", "area": "bcp", "service_page": 1.0},
    )
    messages, events = await _run(ActionSearchServices(), more)
    assert [b["title"] for b in messages[0]["buttons"]] == ["Equipment loan D"]  # county-wide after local
    assert SlotSet("service_page", 2.0) in events


async def test_details_say_how_to_get_it_that_contacts_are_not_held_and_the_source() -> None:
    tracker = make_tracker(intent="service_details", entities=[{"entity": "service_id", "value": "bcp-equipment-1"}])
    messages, _ = await _run(ActionServiceDetails(), tracker)
    text = messages[0]["text"]
    assert "How to get it: Through the ward team." in text
    assert "don't hold contact details" in text
    assert "Source: " in text and "Last checked 24 November 2026" in text


async def test_a_pilot_service_says_it_was_a_pilot() -> None:
    tracker = make_tracker(intent="service_details", entities=[{"entity": "service_id", "value": "bcp-equipment-3"}])
    messages, _ = await _run(ActionServiceDetails(), tracker)
    assert "pilot" in messages[0]["text"]


async def test_nothing_found_widens_and_says_who_to_ask() -> None:
    tracker = make_tracker(intent="find_service", slots={"service_need": "handyperson", "area": "redbridge"})
    messages, _ = await _run(ActionSearchServices(), tracker)
    assert "couldn't find" in messages[0]["text"]
    assert "adult social care" in messages[0]["text"]


async def test_a_database_failure_gets_a_helpful_message_not_silence(monkeypatch) -> None:
    from actions import directory as directory_actions

    def broken():
        raise RuntimeError("database is down")

    monkeypatch.setattr(directory_actions, "directory", broken)
    tracker = make_tracker(intent="find_service", slots={"service_need": "carers_support", "area": "bcp"})
    messages, _ = await _run(ActionSearchServices(), tracker)
    assert "can't search the directory just now" in messages[0]["text"]


async def test_show_more_after_the_last_page_says_that_was_all_and_lists_them_again() -> None:
    past_the_end = make_tracker(
        intent="show_more_services",
        slots={"service_need": "community_equipment", "area": "bcp", "service_page": 2.0},
    )
    messages, events = await _run(ActionSearchServices(), past_the_end)
    assert messages[0]["text"].startswith("That's all: I found 4 services")
    titles = [b["title"] for b in messages[0]["buttons"]]
    assert titles[:3] == ["Equipment loan A", "Equipment loan B", "Equipment loan C"]
    assert SlotSet("service_page", 1.0) in events
    assert "couldn't find" not in messages[0]["text"]


async def test_show_more_with_no_search_asks_what_to_look_for_and_lists_nothing() -> None:
    messages, events = await _run(ActionSearchServices(), make_tracker(intent="show_more_services"))
    assert "no list to show more of" in messages[0]["text"]
    assert all(b["payload"].startswith("/find_service") for b in messages[0]["buttons"])
    assert events == []


async def test_need_buttons_offer_only_what_the_area_has() -> None:
    tracker = make_tracker(intent="find_service", slots={"area": "bcp", "requested_slot": "service_need"})
    messages, _ = await _run(ActionAskServiceNeed(), tracker)
    # BCP has local equipment services and a national carers line; nothing for dementia or home care.
    assert [b["title"] for b in messages[0]["buttons"]] == ["Support for unpaid carers", "Equipment for the home"]


async def test_what_are_their_details_means_the_service_just_shown() -> None:
    tracker = make_tracker(intent="service_details", text="what are their opening hours",
                           slots={"last_service_id": "bcp-equipment-2"})
    messages, events = await _run(ActionServiceDetails(), tracker)
    assert messages[0]["text"].startswith("Equipment loan B")
    assert SlotSet("last_service_id", "bcp-equipment-2") in events


async def test_a_service_named_in_a_sentence_is_found() -> None:
    tracker = make_tracker(intent="service_details", text="tell me about National carers line please")
    messages, _ = await _run(ActionServiceDetails(), tracker)
    assert messages[0]["text"].startswith("National carers line")


async def test_with_no_service_in_view_details_ask_which_one() -> None:
    messages, _ = await _run(ActionServiceDetails(), make_tracker(intent="service_details", text="tell me more"))
    assert "Which service do you mean" in messages[0]["text"]


async def test_asking_for_a_phone_number_repeats_honestly_that_none_is_held() -> None:
    tracker = make_tracker(intent="ask_contact", text="what is their phone number",
                           slots={"last_service_id": "bcp-equipment-1"})
    messages, _ = await _run(ActionServiceContact(), tracker)
    text = messages[0]["text"]
    assert text.startswith("Equipment loan A")
    assert "don't hold contact details" in text and "ward team" in text
    assert not any(ch.isdigit() for ch in text.replace("Equipment loan A", ""))


async def test_asking_for_contact_details_with_no_service_in_view_says_who_to_ask() -> None:
    messages, _ = await _run(ActionServiceContact(), make_tracker(intent="ask_contact", text="how do I contact them"))
    assert "adult social care team" in messages[0]["text"]


async def test_go_back_at_the_area_question_returns_to_the_kind_of_help() -> None:
    tracker = make_tracker(intent="go_back", slots={"service_need": "carers_support", "requested_slot": "area"},
                           active_loop="service_search_form")
    messages, events = await _run(ActionServiceSearchGoBack(), tracker)
    assert SlotSet("service_need", None) in events
    assert "go back" in messages[0]["text"]


async def test_a_search_for_a_pathways_services_lists_those_linked_to_it() -> None:
    start = make_tracker(intent="find_service", text="which services in Poole take pathway 1 patients",
                         entities=[{"entity": "pathway", "value": "pathway 1"}, {"entity": "place", "value": "Poole"}])
    _, events = await _run(ActionServiceSearchStart(), start)
    assert SlotSet("service_need", "any") in events and SlotSet("service_pathway", 1.0) in events
    search = make_tracker(intent="find_service", slots={"service_need": "any", "service_pathway": 1.0, "area": "bcp"})
    messages, _ = await _run(ActionSearchServices(), search)
    assert messages[0]["text"].startswith("Services linked to Pathway 1 for BCP Council: 1 found")
    assert [b["title"] for b in messages[0]["buttons"]] == ["Equipment loan A"]
