"""Answering questions, topic menus and the user's area, as the user would see them."""

from __future__ import annotations

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion, ActionOfferTopics, ActionSetArea
from tests.actions.conftest import make_tracker


async def _run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


async def test_a_question_is_answered_with_its_source_and_the_area_is_asked() -> None:
    tracker = make_tracker(intent="pathways", text="what is pathway 0", selected="pathways/pathway_0")
    messages, events = await _run(ActionAnswerQuestion(), tracker)
    assert "Pathway 0" in messages[0]["text"]
    assert "Source: " in messages[0]["text"] and "Last checked" in messages[0]["text"]
    assert "Which council area" in messages[1]["text"]
    assert {b["title"] for b in messages[1]["buttons"]} >= {"BCP Council", "Havering", "Somewhere else"}
    assert SlotSet("last_answer_key", "pathways/pathway_0") in events


async def test_with_a_known_area_the_local_version_is_included() -> None:
    tracker = make_tracker(
        intent="pathways", selected="pathways/pathway_0", slots={"area": "herefordshire"}
    )
    messages, _ = await _run(ActionAnswerQuestion(), tracker)
    assert len(messages) == 1
    assert "In the Herefordshire Council area:" in messages[0]["text"]
    assert "2023" in messages[0]["text"]


async def test_staff_get_the_staff_wording_from_channel_metadata() -> None:
    family = make_tracker(intent="pathways", selected="pathways/pathway_1")
    staff = make_tracker(intent="pathways", selected="pathways/pathway_1", metadata={"audience": "staff"})
    family_text = (await _run(ActionAnswerQuestion(), family))[0][0]["text"]
    staff_text = (await _run(ActionAnswerQuestion(), staff))[0][0]["text"]
    assert family_text != staff_text
    assert "lines" in staff_text or "L" in staff_text  # staff see where in the source


async def test_a_button_press_answers_that_exact_question() -> None:
    tracker = make_tracker(intent="pathways", entities=[{"entity": "answer_key", "value": "pathways/who_decides"}])
    messages, events = await _run(ActionAnswerQuestion(), tracker)
    assert SlotSet("last_answer_key", "pathways/who_decides") in events
    assert messages[0]["text"]


async def test_an_unknown_question_offers_the_topics_instead_of_failing() -> None:
    tracker = make_tracker(intent="pathways", entities=[{"entity": "answer_key", "value": "nope/nothing"}])
    messages, events = await _run(ActionAnswerQuestion(), tracker)
    assert "don't have an answer" in messages[0]["text"]
    assert messages[0]["buttons"]
    assert events == []


async def test_help_lists_every_topic_and_the_pathway_finder() -> None:
    messages, _ = await _run(ActionOfferTopics(), make_tracker(intent="help"))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/help{"topic": "funding"}' in payloads
    assert "/start_pathway_finder" in payloads


async def test_the_fallback_apologises_and_offers_topics() -> None:
    messages, _ = await _run(ActionOfferTopics(), make_tracker(intent="nlu_fallback"))
    assert messages[0]["text"].startswith("Sorry, I'm not sure I understood")


async def test_a_topic_lists_its_questions_as_buttons() -> None:
    tracker = make_tracker(intent="help", entities=[{"entity": "topic", "value": "pathways"}])
    messages, _ = await _run(ActionOfferTopics(), tracker)
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/pathways{"answer_key": "pathways/pathway_2"}' in payloads


async def test_a_typed_town_sets_the_area_and_shows_the_local_version() -> None:
    tracker = make_tracker(
        intent="inform_area",
        text="we're in Leominster",
        entities=[{"entity": "place", "value": "leominster"}],
        slots={"last_answer_key": "pathways/pathway_0"},
    )
    messages, events = await _run(ActionSetArea(), tracker)
    assert events == [SlotSet("area", "herefordshire")]
    assert "Herefordshire Council" in messages[0]["text"]
    assert messages[1]["text"].startswith("In the Herefordshire Council area:")


async def test_a_split_county_is_asked_about_with_buttons() -> None:
    tracker = make_tracker(intent="inform_area", text="Dorset", entities=[{"entity": "place", "value": "dorset"}])
    messages, events = await _run(ActionSetArea(), tracker)
    assert events == []
    assert {b["title"] for b in messages[0]["buttons"]} == {"Dorset Council", "BCP Council", "Somewhere else"}


async def test_an_area_button_sets_that_council() -> None:
    tracker = make_tracker(intent="inform_area", entities=[{"entity": "council", "value": "dorset"}])
    messages, events = await _run(ActionSetArea(), tracker)
    assert events == [SlotSet("area", "dorset")]
    assert "Dorset Council" in messages[0]["text"]


async def test_a_place_outside_the_covered_areas_gets_somewhere_to_go() -> None:
    tracker = make_tracker(
        intent="inform_area", text="we live in Leeds", entities=[{"entity": "place", "value": "leeds"}]
    )
    messages, events = await _run(ActionSetArea(), tracker)
    assert events == [SlotSet("area", "elsewhere")]
    assert "outside the areas" in messages[0]["text"] and "adult social care" in messages[0]["text"]


async def test_an_unrecognised_place_asks_again_with_choices() -> None:
    tracker = make_tracker(intent="inform_area", text="Narnia")
    messages, events = await _run(ActionSetArea(), tracker)
    assert events == []
    assert "don't recognise" in messages[0]["text"] and messages[0]["buttons"]


async def test_a_carers_answer_offers_local_carers_services() -> None:
    tracker = make_tracker(intent="carers", selected="carers/carers_assessment", slots={"area": "dorset"})
    messages, _ = await _run(ActionAnswerQuestion(), tracker)
    assert messages[0]["buttons"] == [
        {"title": "Find local help: Support for unpaid carers", "payload": '/find_service{"need": "carers_support"}'}
    ]


async def test_a_pathway_answer_offers_no_service_search() -> None:
    tracker = make_tracker(intent="pathways", selected="pathways/who_decides", slots={"area": "dorset"})
    messages, _ = await _run(ActionAnswerQuestion(), tracker)
    assert messages[0]["buttons"] == []


async def test_the_area_is_asked_once_in_a_conversation() -> None:
    asked_before = make_tracker(intent="pathways", selected="pathways/pathway_0", slots={"area_asked": True})
    messages, events = await _run(ActionAnswerQuestion(), asked_before)
    assert len(messages) == 1
    assert SlotSet("area_asked", True) not in events
    first_time = make_tracker(intent="pathways", selected="pathways/pathway_0")
    assert SlotSet("area_asked", True) in (await _run(ActionAnswerQuestion(), first_time))[1]


async def test_an_answer_with_no_local_versions_never_asks_for_the_area() -> None:
    from bot.knowledge.loader import default_knowledge
    from bot.knowledge.render import has_local_versions

    national_only = next(e for e in default_knowledge().entries() if not has_local_versions(e, "family"))
    tracker = make_tracker(intent=national_only.topic, selected=national_only.retrieval_intent)
    messages, _ = await _run(ActionAnswerQuestion(), tracker)
    assert not any("Which council area" in m["text"] for m in messages)


async def test_a_place_in_the_question_is_used_without_asking() -> None:
    tracker = make_tracker(
        intent="pathways", text="my dad lives in Leominster, what is pathway 0", selected="pathways/pathway_0",
        entities=[{"entity": "place", "value": "Leominster"}],
    )
    messages, events = await _run(ActionAnswerQuestion(), tracker)
    assert SlotSet("area", "herefordshire") in events
    assert "I'll use Herefordshire Council" in messages[0]["text"]
    assert "In the Herefordshire Council area:" in messages[1]["text"]
    assert not any("Which council area" in m["text"] for m in messages)


async def test_changing_the_area_confirms_the_new_one() -> None:
    tracker = make_tracker(intent="inform_area", text="sorry, actually she lives in Romford not Poole",
                           slots={"area": "bcp"})
    messages, events = await _run(ActionSetArea(), tracker)
    assert SlotSet("area", "havering") in events
    assert "I'll use Havering" in messages[0]["text"]


async def test_after_a_search_a_new_area_offers_the_same_search_there(small_directory) -> None:
    slots = {"area": "havering", "service_need": "community_equipment"}
    tracker = make_tracker(intent="inform_area", text="Poole", slots=slots)
    messages, _ = await _run(ActionSetArea(), tracker)
    assert messages[0]["buttons"][0]["payload"] == '/find_service{"need": "community_equipment"}'


async def test_no_search_button_for_a_new_area_where_it_would_find_nothing(small_directory) -> None:
    slots = {"area": "bcp", "service_need": "community_equipment"}
    tracker = make_tracker(intent="inform_area", text="Romford", slots=slots)
    messages, _ = await _run(ActionSetArea(), tracker)
    assert not any(b["payload"].startswith("/find_service") for b in messages[0]["buttons"])


async def test_a_question_naming_a_service_shows_that_service(small_directory) -> None:
    tracker = make_tracker(intent="carers", text="tell me about National carers line", selected="carers/local_support")
    messages, events = await _run(ActionAnswerQuestion(), tracker)
    assert messages[0]["text"].startswith("National carers line")
    assert SlotSet("last_service_id", "national-carers") in events


async def test_a_question_during_a_form_does_not_ask_for_the_area_the_form_asks_next() -> None:
    tracker = make_tracker(intent="pathways", selected="pathways/pathway_1", active_loop="service_search_form",
                           slots={"requested_slot": "area"})
    messages, _ = await _run(ActionAnswerQuestion(), tracker)
    assert len(messages) == 1 and "Pathway 1" in messages[0]["text"]


async def test_a_worried_writer_is_heard_before_the_answer() -> None:
    tracker = make_tracker(intent="services", selected="services/reablement",
                           text="what is reablement? I'm so worried, I don't know what to do")
    messages, _ = await _run(ActionAnswerQuestion(), tracker)
    assert messages[0]["text"].startswith("That sounds really hard")
    assert "Source: " in messages[1]["text"]
    plain = make_tracker(intent="services", selected="services/reablement", text="what is reablement")
    assert not (await _run(ActionAnswerQuestion(), plain))[0][0]["text"].startswith("That sounds")
