"""Replies that fit the message, as the user sees them: several needs, "did you mean", a patient's
pathway, a follow-up, and a kind word first."""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import ActionAnswerQuestion
from actions.safety import ActionOutOfScope
from bot.knowledge.acknowledge import ACKNOWLEDGEMENT
from bot.knowledge.render import SEVERAL_INTRO
from tests.actions.conftest import make_tracker

MUM = ("my mum is 84 and coming home from hospital on friday, she can barely walk and I work full time, "
       "what help can we get?")
NURSE = "patient is medically fit, lives alone, needs two carers twice a day, which pathway?"


def _tracker(text: str, ranking: list[tuple[str, float]], **kwargs: Any):
    tracker = make_tracker(intent=ranking[0][0].split("/")[0], text=text, **kwargs)
    tracker.latest_message["response_selector"] = {"default": {
        "response": {"intent_response_key": ranking[0][0], "confidence": ranking[0][1]},
        "ranking": [{"intent_response_key": k, "confidence": c} for k, c in ranking],
    }}
    return tracker


async def _run(tracker) -> tuple[list[dict[str, Any]], list[Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion().run(dispatcher, tracker, {})
    return dispatcher.messages, events


async def test_several_needs_get_one_short_reply_with_a_button_for_each() -> None:
    ranking = [("carers/working_carers", 0.2), ("services/reablement", 0.1),
               ("equipment/equipment_at_discharge", 0.08), ("chc/checklist", 0.01)]
    messages, events = await _run(_tracker(MUM, ranking))
    [reply] = messages  # no area question: the gist is national, the full answers ask if needed
    assert reply["text"].startswith(SEVERAL_INTRO) and "Source: " in reply["text"]
    assert [b["title"] for b in reply["buttons"]] == [
        "More: Reablement",
        "More: How equipment is arranged when someone leaves hospital",
        "More: Working and caring: carer's leave and flexible working",
    ]
    assert reply["buttons"][0]["payload"] == '/services{"answer_key": "services/reablement"}'
    readable = reply["text"].split("Source: ")[0]
    assert len(readable.split()) <= 100, "short: no longer than one full answer, not three of them"
    assert "Since April 2024, employees can take up to one week of unpaid carer's leave" in readable
    assert events == [SlotSet("last_answer_key", None)]


async def test_an_unclear_question_gets_did_you_mean_with_the_best_three() -> None:
    ranking = [("services/reablement", 0.25), ("funding/free_recovery_care", 0.2),
               ("services/intermediate_care", 0.15), ("chc/checklist", 0.1)]
    messages, _ = await _run(_tracker("help after hospital", ranking))
    [reply] = messages
    assert reply["text"].startswith("I'm not sure which of these you mean")
    assert [b["title"] for b in reply["buttons"]] == [
        "Reablement", "Free short-term care after hospital: how long it lasts", "Intermediate care", "Something else"]


async def test_a_nurse_describing_a_patient_is_offered_the_pathway_finder_not_a_verdict() -> None:
    tracker = _tracker(NURSE, [("pathways/pathway_3", 0.8), ("pathways/pathway_1", 0.1)],
                       metadata={"audience": "staff"})
    messages, _ = await _run(tracker)
    [reply] = messages
    assert "Pathway 3" not in reply["text"]
    assert "question 2 is likely a yes" in reply["text"] and "points to Pathway 1" in reply["text"]
    assert "Source: " in reply["text"]
    payloads = [b["payload"] for b in reply["buttons"]]
    assert payloads[0] == "/start_pathway_finder"
    assert '/pathways{"answer_key": "pathways/pathway_1"}' in payloads


async def test_a_family_asking_which_pathway_their_relative_gets_is_told_who_decides() -> None:
    tracker = _tracker("which pathway will my mum go on?", [("pathways/pathway_3", 0.8)])
    messages, events = await _run(tracker)
    assert "/start_pathway_finder" not in str(messages)
    assert SlotSet("last_answer_key", "pathways/who_decides") in events
    assert "Pathway 3: care in a care home" not in messages[0]["text"]


async def test_a_follow_up_is_answered_in_the_light_of_the_last_answer() -> None:
    tracker = _tracker("and who pays for that?", [("funding/who_pays", 0.95)],
                       slots={"last_answer_key": "services/reablement"})
    messages, events = await _run(tracker)
    assert SlotSet("last_answer_key", "services/after_reablement") in events
    assert messages[0]["text"].startswith("Reablement is short.")


async def test_a_worried_writer_with_several_needs_hears_one_kind_sentence_first() -> None:
    ranking = [("carers/working_carers", 0.2), ("services/reablement", 0.1)]
    messages, _ = await _run(_tracker("I'm so worried, " + MUM, ranking))
    assert messages[0]["text"] == ACKNOWLEDGEMENT
    assert messages[1]["text"].startswith(SEVERAL_INTRO)
    assert ACKNOWLEDGEMENT not in messages[1]["text"]


async def test_a_named_pathway_is_still_answered_as_asked() -> None:
    tracker = _tracker("which pathway is P1?", [("pathways/pathway_1", 0.9)],
                       entities=[{"entity": "pathway", "value": "P1"}], metadata={"audience": "staff"})
    messages, _ = await _run(tracker)
    assert "/start_pathway_finder" not in str(messages[0].get("buttons"))


async def test_a_follow_up_taken_for_an_unrelated_message_is_answered_from_the_last_answer() -> None:
    tracker = make_tracker(intent="out_of_scope", text="how long does it last?", selected="out_of_scope/unrelated",
                           slots={"last_answer_key": "services/reablement"})
    dispatcher = CollectingDispatcher()
    events = await ActionOutOfScope().run(dispatcher, tracker, {})
    assert SlotSet("last_answer_key", "funding/free_recovery_care") in events
    assert "Source: " in dispatcher.messages[0]["text"]


async def test_an_unrelated_message_with_no_last_answer_is_still_declined() -> None:
    tracker = make_tracker(intent="out_of_scope", text="how long does it last?", selected="out_of_scope/unrelated")
    dispatcher = CollectingDispatcher()
    assert await ActionOutOfScope().run(dispatcher, tracker, {}) == []
    assert dispatcher.messages[0]["text"].startswith("Sorry, I can't help with that")
