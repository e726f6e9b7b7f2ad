"""A carer chatting on the gateway's page: messages, answer buttons, reload, feedback, a person, start again."""

from __future__ import annotations

import json

from tests.browser.fake_rasa import FakeRasa
from tests.browser.helpers import conversation, focused, send_typed, wait_for_messages

STATE_KEY = "homeward-chat:v1"


def _stored_state(page) -> dict:
    return json.loads(page.evaluate(f"() => sessionStorage.getItem('{STATE_KEY}')"))


def test_a_carer_sends_a_message_and_picks_an_answer_button(stack, page, screenshots) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    you, bot = conversation(page)[:2]
    assert you == ("You:", "hello")
    assert bot[0] == "Homeward:" and bot[1]
    choices = page.locator(".hw-choices button")
    assert choices.count() >= 1, "the greeting offers answer buttons"
    title = choices.first.inner_text()
    choices.first.click()
    wait_for_messages(page, 4)
    assert conversation(page)[2] == ("You:", title)
    assert focused(page)["id"] == "hw-message", "after choosing, the message box has focus again"
    page.locator(".hw-chat").screenshot(path=str(screenshots / "widget-conversation.png"))
    assert page.console_problems == []
    if stack.fake:
        assert stack.fake.texts_received() == ["hello", "/ask_who_pays"]
        metadata = stack.fake.received[1]["metadata"]
        assert metadata["shown"] == "Who pays for care" and metadata["audience"] == "family"
        assert metadata["client_message_id"]


def test_the_conversation_survives_a_reload(stack, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    page.locator(".hw-choices button").first.click()
    wait_for_messages(page, 5)  # the answer comes as two messages: its text, then its source line
    before = conversation(page)
    page.reload()
    wait_for_messages(page, 5)
    assert conversation(page) == before
    send_typed(page, "and after the reload?")
    wait_for_messages(page, 7)
    assert conversation(page)[:5] == before


def test_replies_the_page_never_stored_are_fetched_from_rasa_after_a_reload(stack, fake_rasa: FakeRasa, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    page.locator(".hw-choices button").first.click()
    wait_for_messages(page, 5)
    full = conversation(page)
    # As if the page went away after sending, before it stored the reply: keep only the first exchange.
    state = _stored_state(page)
    state["messages"] = state["messages"][:2]
    page.evaluate(f"(s) => sessionStorage.setItem('{STATE_KEY}', JSON.stringify(s))", state)
    page.reload()
    wait_for_messages(page, 5)
    assert conversation(page) == full
    assert fake_rasa.texts_received() == ["hello", "/ask_who_pays"], "nothing was sent again"


def test_was_this_helpful_is_stored_without_any_message_text(stack, fake_rasa: FakeRasa, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    page.get_by_role("button", name="Who pays for care").click()
    question = page.get_by_role("group", name="Was this answer helpful?")
    question.get_by_role("button", name="No").click()
    thanks = page.get_by_text("Thank you for your feedback.")
    thanks.wait_for()
    assert focused(page)["text"] == "Thank you for your feedback."
    lines = stack.feedback_path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == {"sender_id", "message_id", "helpful", "at"}
    assert record["helpful"] is False
    assert record["sender_id"] == fake_rasa.received[-1]["sender"]
    # The answer's second message (its source line) is the one asked about, live and after a reload.
    assert record["message_id"] == fake_rasa.received[-1]["metadata"]["client_message_id"] + "-2"
    assert "paying for care" not in lines[0] and "Who pays" not in lines[0]
    page.reload()
    wait_for_messages(page, 5)
    assert page.get_by_text("Thank you for your feedback.").is_visible()
    assert page.get_by_role("group", name="Was this answer helpful?").count() == 0


def test_only_answers_ask_whether_they_helped(stack, fake_rasa: FakeRasa, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    assert page.get_by_text("Was this answer helpful?").count() == 0


def test_talk_to_a_person_sends_the_request_to_the_assistant(stack, page) -> None:
    page.goto(stack.base_url + "/")
    page.get_by_role("button", name="Talk to a person").click()
    wait_for_messages(page, 2)
    assert conversation(page)[0] == ("You:", "I'd like to talk to a person")
    assert focused(page)["id"] == "hw-message"
    if stack.fake:
        assert stack.fake.texts_received() == ["/request_human"]


def test_start_again_clears_the_chat_and_starts_a_new_conversation(stack, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    first_sender = _stored_state(page)["senderId"]
    page.get_by_role("button", name="Start again").click()
    assert conversation(page) == []
    assert page.get_by_role("status").inner_text() == "You started a new conversation."
    assert focused(page)["id"] == "hw-message"
    assert _stored_state(page)["senderId"] != first_sender
    page.reload()
    assert conversation(page) == [], "the old conversation does not come back after a reload"
    send_typed(page, "hello again")
    wait_for_messages(page, 2)
    if stack.fake:
        assert stack.fake.received[-1]["sender"] != first_sender


def test_an_empty_message_is_not_sent_and_the_box_says_why(stack, page) -> None:
    page.goto(stack.base_url + "/")
    page.get_by_role("button", name="Send").click()
    box = page.get_by_role("textbox", name="Your message")
    assert box.get_attribute("aria-invalid") == "true"
    assert "Type a message first" in page.locator("#hw-error").inner_text()
    assert focused(page)["id"] == "hw-message"
    assert conversation(page) == []
