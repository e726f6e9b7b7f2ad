"""The API the widget uses: retried messages, transcripts after a reload, feedback, the extra pages."""

from __future__ import annotations

import json

import pytest

from tests.bot.web.conftest import LONG_SENDER, SENDER, TOKEN


async def test_a_retried_message_reaches_rasa_once_and_gets_the_same_replies(gateway, rasa) -> None:
    body = {"sender_id": SENDER, "message": "hello", "client_message_id": "msg-0001"}
    first = await (await gateway.post("/api/chat", json=body)).json()
    again = await (await gateway.post("/api/chat", json=body)).json()
    assert first == again == {"messages": [{"text": "You said hello"}]}
    assert len(rasa.webhook_calls) == 1
    other = {**body, "client_message_id": "msg-0002"}
    await gateway.post("/api/chat", json=other)
    assert len(rasa.webhook_calls) == 2


async def test_the_message_id_and_what_the_page_showed_go_to_rasa_as_metadata(gateway, rasa) -> None:
    body = {"sender_id": SENDER, "message": "/funding", "client_message_id": "msg-0003", "shown": "Who pays"}
    assert (await gateway.post("/api/chat", json=body)).status == 200
    assert rasa.webhook_calls[0]["metadata"] == {
        "audience": "family", "client_message_id": "msg-0003", "shown": "Who pays",
    }


@pytest.mark.parametrize(
    ("extra", "words"),
    [({"client_message_id": "x"}, "client_message_id"), ({"client_message_id": 7}, "client_message_id"),
     ({"shown": "a" * 201}, "shown"), ({"shown": ["list"]}, "shown")],
)
async def test_bad_widget_fields_are_refused(gateway, rasa, extra, words) -> None:
    response = await gateway.post("/api/chat", json={"sender_id": SENDER, "message": "hi", **extra})
    assert response.status == 400
    assert words in (await response.json())["error"]
    assert rasa.webhook_calls == []


async def test_the_transcript_is_read_from_rasas_tracker_with_the_token(gateway, rasa) -> None:
    rasa.events = [
        {"event": "user", "text": "hello", "metadata": {"client_message_id": "msg-0001"}},
        {"event": "action", "name": "utter_greet"},
        {"event": "bot", "text": "Hi there", "data": {"buttons": [{"title": "Yes", "payload": "/affirm"}]}},
    ]
    response = await gateway.post("/api/transcript", json={"sender_id": LONG_SENDER})
    assert response.status == 200
    assert (await response.json())["turns"] == [
        {"from": "user", "text": "hello", "client_message_id": "msg-0001"},
        {"from": "bot", "text": "Hi there", "buttons": [{"title": "Yes", "payload": "/affirm"}]},
    ]
    assert rasa.tracker_calls == [
        {"sender": LONG_SENDER, "query": {"include_events": "AFTER_RESTART", "token": TOKEN}}
    ]
    assert TOKEN not in await response.text()


async def test_a_short_guessable_id_cannot_read_a_transcript(gateway, rasa) -> None:
    response = await gateway.post("/api/transcript", json={"sender_id": SENDER})
    assert response.status == 400
    assert rasa.tracker_calls == []


async def test_when_rasa_is_down_the_transcript_says_so(gateway, rasa) -> None:
    await rasa.server.close()
    response = await gateway.post("/api/transcript", json={"sender_id": LONG_SENDER})
    assert response.status == 503


async def test_feedback_is_stored_as_yes_or_no_with_no_text(gateway, tmp_path) -> None:
    body = {"sender_id": SENDER, "message_id": "msg-0001-1", "helpful": True, "text": "my mum's NHS number"}
    response = await gateway.post("/api/feedback", json=body)
    assert response.status == 200
    stored = [json.loads(line) for line in (tmp_path / "feedback.jsonl").read_text().splitlines()]
    assert len(stored) == 1
    assert {k: v for k, v in stored[0].items() if k != "at"} == {
        "sender_id": SENDER, "message_id": "msg-0001-1", "helpful": True,
    }
    assert "NHS number" not in (tmp_path / "feedback.jsonl").read_text()


@pytest.mark.parametrize(
    "body",
    [{"sender_id": SENDER, "message_id": "m-1", "helpful": "yes"},
     {"sender_id": SENDER, "message_id": "<script>", "helpful": True},
     {"sender_id": "x", "message_id": "m-1", "helpful": False},
     ["not", "an", "object"]],
)
async def test_bad_feedback_is_refused_and_not_stored(gateway, tmp_path, body) -> None:
    response = await gateway.post("/api/feedback", json=body)
    assert response.status == 400
    assert not (tmp_path / "feedback.jsonl").exists()


@pytest.mark.parametrize(
    ("path", "words"), [("/", "data-homeward-chat"), ("/accessibility", "Accessibility statement")]
)
async def test_the_pages_are_served_with_security_headers(gateway, path, words) -> None:
    response = await gateway.get(path)
    assert response.status == 200
    assert words in await response.text()
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


async def test_no_page_loads_anything_from_another_site(gateway) -> None:
    for path in ("/", "/accessibility", "/static/widget.js", "/static/widget.css"):
        text = await (await gateway.get(path)).text()
        assert "cdn" not in text.lower() and "assets.nhs.uk" not in text, path
