"""The red-flag route and out-of-scope replies, as the user sees them in the chat."""

from __future__ import annotations

import json

from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.safety import ActionOutOfScope, ActionRedFlagRoute
from bot.knowledge.loader import default_knowledge
from bot.knowledge.render import render_answer
from bot.safety.out_of_scope import out_of_scope_text
from bot.safety.routes import route_text
from tests.actions.conftest import make_tracker


async def _run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, {})
    return dispatcher.messages, events


def _red_flag_tracker(text: str, group: str | None, asked: str | None = None, selected: str | None = None, **kw):
    entities = [{"entity": "red_flag", "value": group, "extractor": "RedFlagDetector"}] if group else []
    tracker = make_tracker(intent="red_flag", text=text, entities=entities, selected=selected, **kw)
    ranking = [{"name": "red_flag", "confidence": 1.0}]
    if asked:
        ranking.append({"name": asked, "confidence": 0.8})
    tracker.latest_message["intent_ranking"] = ranking
    return tracker


async def test_an_emergency_gets_999_first_then_an_offer_to_carry_on() -> None:
    messages, events = await _run(ActionRedFlagRoute(), _red_flag_tracker("mum has chest pain", "emergency"))
    assert messages[0]["text"] == route_text("emergency", "family")
    assert "call 999 now" in messages[0]["text"]
    assert "When you're ready" in messages[1]["text"]
    assert [b["payload"] for b in messages[1]["buttons"]] == ["/help"]
    assert events == []


async def test_staff_get_the_nurse_in_charge_route_from_channel_metadata() -> None:
    tracker = _red_flag_tracker("pt SOB", "emergency", metadata={"audience": "staff"})
    messages, _ = await _run(ActionRedFlagRoute(), tracker)
    assert "escalate to the nurse in charge" in messages[0]["text"]
    assert "discharge questions" in messages[1]["text"]


async def test_the_audience_slot_wins_over_metadata() -> None:
    tracker = _red_flag_tracker("the carer hit him", "safeguarding", slots={"audience": "staff"})
    messages, _ = await _run(ActionRedFlagRoute(), tracker)
    assert messages[0]["text"] == route_text("safeguarding", "staff")


async def test_safeguarding_names_the_council_from_the_area_slot() -> None:
    tracker = _red_flag_tracker("someone is taking her money", "safeguarding", slots={"area": "herefordshire"})
    messages, _ = await _run(ActionRedFlagRoute(), tracker)
    assert "adult social care team at Herefordshire Council" in messages[0]["text"]


async def test_suicidal_thoughts_get_samaritans() -> None:
    messages, _ = await _run(ActionRedFlagRoute(), _red_flag_tracker("i want to end it all", "suicide_self_harm"))
    assert "Samaritans on 116 123" in messages[0]["text"]


async def test_without_the_entity_the_text_is_checked_again() -> None:
    messages, _ = await _run(ActionRedFlagRoute(), _red_flag_tracker("dad has run out of his insulin", None))
    assert messages[0]["text"] == route_text("urgent", "family")


async def test_with_no_entity_and_no_red_flag_in_the_text_a_general_safety_message_is_given() -> None:
    messages, _ = await _run(ActionRedFlagRoute(), _red_flag_tracker("/red_flag", None))
    assert messages[0]["text"] == route_text("general", "family")
    assert "999" in messages[0]["text"] and "NHS 111" in messages[0]["text"]


async def test_a_message_the_component_could_not_check_gets_the_general_route_without_checking_again(
    monkeypatch,
) -> None:
    import bot.safety.red_flags as red_flags

    def broken(_text: str) -> None:
        raise AssertionError("detection must not run again: it already failed for this message")

    monkeypatch.setattr(red_flags, "detect", broken)
    messages, _ = await _run(ActionRedFlagRoute(), _red_flag_tracker("mum has chest pain", "general"))
    assert messages[0]["text"] == route_text("general", "family")


async def test_after_a_call_now_route_the_question_is_offered_as_a_button_not_answered() -> None:
    tracker = _red_flag_tracker(
        "who pays for the carers, and she has chest pain", "emergency", asked="funding", selected="funding/who_pays"
    )
    messages, events = await _run(ActionRedFlagRoute(), tracker)
    assert len(messages) == 2 and "call 999 now" in messages[0]["text"]
    first, *_ = messages[1]["buttons"]
    assert first["title"] == "Answer my question"
    assert first["payload"].startswith("/funding")
    assert json.loads(first["payload"].removeprefix("/funding")) == {"answer_key": "funding/who_pays"}
    assert events == []


async def test_after_other_routes_the_question_is_answered_straight_away() -> None:
    """Dad fell within an hour of coming home: the NHS 111 route, then the unsafe-discharge answer."""
    tracker = _red_flag_tracker(
        "dad fell within an hour of getting home, was that an unsafe discharge?",
        "urgent",
        asked="rights",
        selected="rights/unsafe_discharge",
    )
    messages, events = await _run(ActionRedFlagRoute(), tracker)
    assert messages[0]["text"] == route_text("urgent", "family")
    entry = default_knowledge().entry("rights/unsafe_discharge")
    assert messages[1]["text"] == render_answer(entry, "family", None).text
    assert [b["payload"] for b in messages[-1]["buttons"]] == ["/help"]
    assert SlotSet("last_answer_key", "rights/unsafe_discharge") in events


async def test_a_carer_in_crisis_gets_the_route_then_the_answer_about_getting_help() -> None:
    tracker = _red_flag_tracker(
        "i cant cope any more, what help is there?", "carer_crisis", asked="carers", selected="carers/caring_too_much"
    )
    messages, _ = await _run(ActionRedFlagRoute(), tracker)
    assert "Samaritans" in messages[0]["text"] and "carer's assessment" in messages[0]["text"]
    entry = default_knowledge().entry("carers/caring_too_much")
    assert messages[1]["text"] == render_answer(entry, "family", None).text


async def test_a_missing_person_gets_999_and_no_answer_first() -> None:
    tracker = _red_flag_tracker(
        "mum has wandered off, who pays for her care?", "missing_person", asked="funding", selected="funding/who_pays"
    )
    messages, _ = await _run(ActionRedFlagRoute(), tracker)
    assert "call 999 now" in messages[0]["text"]
    assert messages[1]["buttons"][0]["title"] == "Answer my question"


async def test_no_question_button_when_the_classifier_had_not_recognised_a_question() -> None:
    fallback = _red_flag_tracker("she fell", "urgent", asked="nlu_fallback", selected="funding/who_pays")
    greeting = _red_flag_tracker("hi, he fell", "urgent", asked="greet")
    for tracker in (fallback, greeting):
        messages, _ = await _run(ActionRedFlagRoute(), tracker)
        assert [b["payload"] for b in messages[1]["buttons"]] == ["/help"]


async def test_a_red_flag_during_the_pathway_finder_stops_it_and_says_so() -> None:
    tracker = _red_flag_tracker(
        "patient has chest pain now", "emergency", metadata={"audience": "staff"}, active_loop="pathway_finder_form"
    )
    messages, events = await _run(ActionRedFlagRoute(), tracker)
    assert "nurse in charge" in messages[0]["text"]
    assert "stopped the pathway finder" in messages[1]["text"]
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)]


async def test_out_of_scope_kind_comes_from_the_selected_question() -> None:
    tracker = make_tracker(intent="out_of_scope", selected="out_of_scope/legal_advice")
    messages, _ = await _run(ActionOutOfScope(), tracker)
    assert messages[0]["text"] == out_of_scope_text("legal_advice", "family")
    assert messages[0]["buttons"] == [{"title": "What you can help with", "payload": "/help"}]


async def test_out_of_scope_kind_from_a_button_entity_and_the_staff_version() -> None:
    kind = [{"entity": "scope_kind", "value": "medical_advice"}]
    tracker = make_tracker(intent="out_of_scope", entities=kind, slots={"audience": "staff"})
    messages, _ = await _run(ActionOutOfScope(), tracker)
    assert messages[0]["text"] == out_of_scope_text("medical_advice", "staff")


async def test_plain_out_of_scope_gets_the_general_reply() -> None:
    messages, _ = await _run(ActionOutOfScope(), make_tracker(intent="out_of_scope", text="what's the football score"))
    assert "can't help with that" in messages[0]["text"]


async def test_a_red_flag_during_another_form_stops_it_too() -> None:
    tracker = _red_flag_tracker("someone stole her purse", "safeguarding", active_loop="service_search_form")
    messages, events = await _run(ActionRedFlagRoute(), tracker)
    assert "stopped what we were doing" in messages[1]["text"]
    assert events == [ActiveLoop(None), SlotSet("requested_slot", None)]


async def test_neglect_seen_on_a_visit_gets_the_safeguarding_route_then_the_complaints_answer() -> None:
    text = "mum looked unkempt and her lunch was left untouched again, how do i complain?"
    tracker = _red_flag_tracker(text, "safeguarding", asked="rights", selected="rights/complaints")
    messages, _ = await _run(ActionRedFlagRoute(), tracker)
    assert messages[0]["text"] == route_text("safeguarding", "family")
    entry = default_knowledge().entry("rights/complaints")
    assert messages[1]["text"] == render_answer(entry, "family", None).text


async def test_when_the_classifier_fell_back_the_next_topics_question_is_offered_not_said() -> None:
    """A long worried message: the safeguarding route, then the likely question as a button."""
    tracker = _red_flag_tracker(
        "dad was sent home with nothing in place and I can't keep doing this, what are my options?",
        "safeguarding_neglect",
        asked="nlu_fallback",
        selected="rights/unsafe_discharge",
    )
    tracker.latest_message["intent_ranking"].append({"name": "rights", "confidence": 0.44})
    messages, events = await _run(ActionRedFlagRoute(), tracker)
    assert len(messages) == 2
    first, *_ = messages[1]["buttons"]
    assert first["title"] == "Answer my question"
    assert json.loads(first["payload"].removeprefix("/rights")) == {"answer_key": "rights/unsafe_discharge"}
    assert events == []
