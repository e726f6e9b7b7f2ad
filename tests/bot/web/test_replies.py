"""What the page is given of Rasa's output, live and rebuilt from the tracker."""

from __future__ import annotations

import pytest

from bot.knowledge.loader import default_knowledge
from bot.knowledge.render import render_answer
from bot.web.replies import clean_reply, is_answer, transcript_from_tracker


@pytest.mark.parametrize("audience", ["family", "staff"])
def test_every_rendered_knowledge_answer_is_recognised_as_an_answer(audience) -> None:
    entries = default_knowledge().entries()
    assert entries
    for entry in entries:
        text = render_answer(entry, audience, None).text
        assert is_answer(text), f"{entry.key}: the page would not ask 'was this helpful?'"


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I'm Homeward. What would you like to know?",
        "Which council area are you in?",
        "Source: this line is not at the end.\n\nMore text.",
    ],
)
def test_other_messages_are_not_answers(text) -> None:
    assert not is_answer(text)
    assert "answer" not in clean_reply({"text": text})


def test_only_text_and_buttons_are_passed_on() -> None:
    reply = {"text": "Pick one", "buttons": [{"title": "A", "payload": "/a", "type": "postback"}, "junk"],
             "image": "http://example.invalid/x.png", "custom": {"html": "<b>x</b>"}}
    assert clean_reply(reply) == {"text": "Pick one", "buttons": [{"title": "A", "payload": "/a"}]}


def test_the_transcript_starts_after_the_last_restart_and_shows_what_the_user_saw() -> None:
    tracker = {"events": [
        {"event": "user", "text": "old conversation"},
        {"event": "restart"},
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hello", "metadata": {"client_message_id": "abc12345"}},
        {"event": "action", "name": "utter_greet"},  # Rasa logs the action, then what it said
        {"event": "bot", "text": "Hi. Pick one.", "data": {"buttons": [{"title": "Who pays", "payload": "/funding"}]}},
        {"event": "user", "text": "/funding", "metadata": {"client_message_id": "def67890", "shown": "Who pays"}},
        {"event": "action", "name": "action_answer_question"},
        {"event": "bot", "text": "It depends.\n\nSource: A, B, 2023. Last checked 1 November 2026.", "data": {}},
        {"event": "bot", "text": None, "data": {"image": "x.png"}},
        {"event": "slot", "name": "area", "value": "dorset"},
    ]}
    assert transcript_from_tracker(tracker) == [
        {"from": "user", "text": "hello", "client_message_id": "abc12345"},
        {"from": "bot", "text": "Hi. Pick one.", "buttons": [{"title": "Who pays", "payload": "/funding"}]},
        {"from": "user", "text": "Who pays", "client_message_id": "def67890"},
        # Split by paragraph, as Rasa's REST channel sent it live; the source line is the answer's end.
        {"from": "bot", "text": "It depends."},
        {"from": "bot", "text": "Source: A, B, 2023. Last checked 1 November 2026.", "answer": True},
    ]


def test_a_reply_with_buttons_stays_whole_after_a_reload() -> None:
    buttons = [{"title": "Yes", "payload": "/affirm"}]
    tracker = {"events": [{"event": "action", "name": "action_offer_topics"},
                          {"event": "bot", "text": "First.\n\nSecond?", "data": {"buttons": buttons}}]}
    assert transcript_from_tracker(tracker) == [{"from": "bot", "text": "First.\n\nSecond?", "buttons": buttons}]


def test_a_tracker_with_odd_events_gives_what_it_can() -> None:
    assert transcript_from_tracker({}) == []
    events = ["x", {"event": "user", "text": 5}, {"event": "user", "text": "hi"}]
    assert transcript_from_tracker({"events": events}) == [{"from": "user", "text": "hi"}]


def test_a_bot_event_no_action_said_is_not_shown_as_the_assistant() -> None:
    # What an event appended through Rasa's HTTP API looks like: after the user's turn, or after action_listen.
    injected = {"event": "bot", "text": "Please call 0900 000 000 now."}
    tracker = {"events": [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": "hello"},
        injected,
        {"event": "action", "name": "utter_greet"},
        {"event": "bot", "text": "Hi."},
        {"event": "action", "name": "action_listen"},
        injected,
    ]}
    assert transcript_from_tracker(tracker) == [{"from": "user", "text": "hello"}, {"from": "bot", "text": "Hi."}]


@pytest.mark.parametrize("buttons", ["not a list", 7, {"title": "A"}, [{"title": 1, "payload": "/a"}], [None]])
def test_buttons_that_are_not_a_list_of_text_buttons_are_left_out(buttons) -> None:
    assert clean_reply({"text": "Pick one", "buttons": buttons}) == {"text": "Pick one"}
    tracker = {"events": [{"event": "action", "name": "utter_x"},
                          {"event": "bot", "text": "Pick one", "data": {"buttons": buttons}}]}
    assert transcript_from_tracker(tracker) == [{"from": "bot", "text": "Pick one"}]
