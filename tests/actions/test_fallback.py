"""Two-stage fallback: first the likely topics, then a person."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import FIRST_TEXT, SECOND_TEXT, ActionFallback


def _user(intent: str) -> dict[str, Any]:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


def _tracker(
    history: list[str],
    ranking: list[tuple[str, float]],
    question: str | None = None,
    questions: list[tuple[str, float]] | None = None,
) -> Tracker:
    """`history`: the intents of the user's messages so far, the last being this one."""
    events: list[dict[str, Any]] = []
    for intent in history:
        events += [_user(intent), {"event": "action", "name": "action_listen"}]
    latest: dict[str, Any] = {
        "text": "gibberish",
        "intent": {"name": history[-1], "confidence": 0.3},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.45}]
        + [{"name": n, "confidence": c} for n, c in ranking],
        "entities": [],
    }
    if question:
        latest["response_selector"] = {"default": {"response": {"intent_response_key": question, "confidence": 0.3}}}
    if questions:  # the selector's ranking, best first
        latest["response_selector"] = {"default": {
            "response": {"intent_response_key": questions[0][0], "confidence": questions[0][1]},
            "ranking": [{"intent_response_key": k, "confidence": c} for k, c in questions],
        }}
    return Tracker("t", {}, latest, events, False, None, {}, "action_listen")


async def _run(tracker: Tracker) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    await ActionFallback().run(dispatcher, tracker, {})
    [message] = dispatcher.messages
    return message


async def test_the_first_time_the_likely_topics_are_offered_with_something_else() -> None:
    message = await _run(_tracker(["greet", "nlu_fallback"], [("funding", 0.3), ("greet", 0.1), ("chc", 0.08)]))
    assert message["text"] == FIRST_TEXT
    titles = [b["title"] for b in message["buttons"]]
    payloads = [b["payload"] for b in message["buttons"]]
    assert titles[-1] == "Something else" and payloads[-1] == "/nlu_fallback"
    assert payloads[:-1] == ['/help{"topic": "funding"}', '/help{"topic": "chc"}'], "only topics, best first"


async def test_the_likely_question_comes_first_when_the_selector_has_one() -> None:
    message = await _run(_tracker(["nlu_fallback"], [("funding", 0.3)], question="funding/who_pays"))
    first = message["buttons"][0]
    assert first["payload"] == '/funding{"answer_key": "funding/who_pays"}'


async def test_did_you_mean_offers_the_three_best_questions_not_the_topic_menu() -> None:
    ranked = [("services/reablement", 0.3), ("funding/free_recovery_care", 0.25),
              ("services/after_reablement", 0.2), ("pathways/pathway_1", 0.15), ("chc/checklist", 0.01)]
    message = await _run(_tracker(["nlu_fallback"], [("services", 0.3), ("funding", 0.2)], questions=ranked))
    assert [b["payload"] for b in message["buttons"]] == [
        '/services{"answer_key": "services/reablement"}',
        '/funding{"answer_key": "funding/free_recovery_care"}',
        '/services{"answer_key": "services/after_reablement"}',
        "/nlu_fallback",
    ]


async def test_with_no_likely_topic_everything_is_offered() -> None:
    message = await _run(_tracker(["nlu_fallback"], [("greet", 0.5), ("funding", 0.01)]))
    assert [b["payload"] for b in message["buttons"]] == ["/help", "/nlu_fallback"]


async def test_the_second_time_in_a_row_a_person_is_offered() -> None:
    message = await _run(_tracker(["greet", "nlu_fallback", "nlu_fallback"], [("funding", 0.3)]))
    assert message["text"] == SECOND_TEXT
    assert [b["payload"] for b in message["buttons"]] == ["/request_human", "/help"]


async def test_an_understood_message_in_between_starts_again_at_the_first_stage() -> None:
    message = await _run(_tracker(["nlu_fallback", "funding", "nlu_fallback"], [("funding", 0.3)]))
    assert message["text"] == FIRST_TEXT


async def test_a_follow_up_not_understood_offers_the_last_answers_topic() -> None:
    tracker = _tracker(["services", "nlu_fallback"], [("funding", 0.2)])
    tracker.slots["last_answer_key"] = "services/reablement"
    tracker.latest_message["text"] = "and what about intermediate care"
    message = await _run(tracker)
    assert 'If it\'s about "Reablement"' in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    # The two questions that share its words come first; the one already answered is not offered.
    assert set(titles[:2]) == {"Intermediate care", "Reablement, rehab and intermediate care: the difference"}
    assert "Reablement" not in titles
    assert all(b["payload"].startswith("/services") for b in message["buttons"][:-1])
    assert message["buttons"][-1]["title"] == "Something else"
