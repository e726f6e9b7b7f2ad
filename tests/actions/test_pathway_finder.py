"""The pathway finder form as ward staff experience it."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.pathway_finder import (
    ActionAskFinderHomeNoSupport,
    ActionFinderGoBack,
    ActionFinderStart,
    ActionPathwayFinderResult,
    ValidatePathwayFinderForm,
)
from bot.pathway_finder import SLOTS
from tests.actions.conftest import make_tracker


async def test_starting_clears_earlier_answers() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionFinderStart().run(dispatcher, make_tracker(slots={SLOTS[0]: "yes"}), {})
    assert events == [SlotSet(s, None) for s in SLOTS]


async def test_each_question_offers_yes_no_and_not_sure() -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskFinderHomeNoSupport().run(dispatcher, make_tracker(), {})
    assert dispatcher.messages[0]["text"].startswith("Question 1: Can they go home")
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Yes", "No", "Not sure"]


async def test_the_form_stops_asking_after_the_first_yes() -> None:
    form = ValidatePathwayFinderForm()
    tracker = make_tracker(slots={SLOTS[0]: "no", SLOTS[1]: "yes"}, active_loop="pathway_finder_form")
    needed = await form.required_slots(list(SLOTS), CollectingDispatcher(), tracker, {})
    assert needed == list(SLOTS[:2])


async def test_the_result_suggests_explains_and_defers_to_the_mdt() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={SLOTS[0]: "unsure", SLOTS[1]: "no", SLOTS[2]: "yes"}, metadata={"audience": "staff"})
    events = await ActionPathwayFinderResult().run(dispatcher, tracker, {})
    result = dispatcher.messages[0]["text"]
    assert result.startswith("Suggested: Pathway 2.")
    assert "24-hour bed-based setting" in result
    assert "Pathway 0 may fit better" in result
    assert "multidisciplinary team decides" in result
    assert "Source: Home First Programme" in result
    # Next steps for the area follow, and the answers are cleared for another run.
    assert len(dispatcher.messages) >= 2
    assert SlotSet(SLOTS[0], None) in events
    assert SlotSet("last_answer_key", "pathways/next_steps") in events


@pytest.mark.usefixtures("small_directory")
async def test_with_a_known_area_the_result_lists_local_services_for_that_pathway() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={SLOTS[0]: "no", SLOTS[1]: "yes", "area": "bcp"}, metadata={"audience": "staff"})
    await ActionPathwayFinderResult().run(dispatcher, tracker, {})
    services = dispatcher.messages[-1]
    assert "link to Pathway 1" in services["text"]
    assert [b["title"] for b in services["buttons"]] == ["Equipment loan A"]


async def test_no_yes_anywhere_says_nothing_fits_clearly() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={s: "no" for s in SLOTS})
    await ActionPathwayFinderResult().run(dispatcher, tracker, {})
    assert "none of the four national pathway descriptions fits clearly" in dispatcher.messages[0]["text"]


async def test_go_back_clears_the_latest_answer() -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(slots={SLOTS[0]: "no", SLOTS[1]: "unsure"}, active_loop="pathway_finder_form")
    events = await ActionFinderGoBack().run(dispatcher, tracker, {})
    assert SlotSet(SLOTS[1], None) in events
    assert SlotSet(SLOTS[0], None) not in events


async def test_go_back_before_any_answer_says_so() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionFinderGoBack().run(dispatcher, make_tracker(), {})
    assert events == [] and "no earlier answer" in dispatcher.messages[0]["text"]
