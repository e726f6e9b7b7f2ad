"""A short network drop: the page says it is reconnecting, retries, and nothing is lost or said twice."""

from __future__ import annotations

from tests.browser.fake_rasa import FakeRasa
from tests.browser.helpers import conversation, send_typed, wait_for_messages


def _start(stack, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)


def test_going_offline_shows_reconnecting_then_the_message_is_delivered_once(
    stack, context, page, screenshots
) -> None:
    _start(stack, page)
    context.set_offline(True)
    send_typed(page, "are you still there")
    status = page.get_by_role("status")
    status.get_by_text("Reconnecting…").wait_for()
    page.get_by_text("Not sent yet. We'll keep trying.").wait_for()
    page.locator(".hw-chat").screenshot(path=str(screenshots / "widget-reconnecting.png"))
    context.set_offline(False)
    wait_for_messages(page, 4)
    status.get_by_text("Connected again.").wait_for()
    said = conversation(page)
    assert [t for w, t in said if w == "You:"] == ["hello", "are you still there"]
    assert len(said) == 4
    assert page.get_by_text("Not sent yet").count() == 0
    if stack.fake:
        assert stack.fake.texts_received() == ["hello", "are you still there"]


def test_a_reply_lost_on_the_way_back_is_retried_without_rasa_seeing_the_message_twice(
    stack, fake_rasa: FakeRasa, page
) -> None:
    _start(stack, page)
    attempts: list[str] = []

    def lose_first_reply(route) -> None:
        attempts.append(route.request.post_data_json["client_message_id"])
        if len(attempts) == 1:
            route.fetch()  # the gateway relays the message to Rasa ...
            route.abort("connectionreset")  # ... but the reply never reaches the browser
        else:
            route.continue_()

    page.route("**/api/chat", lose_first_reply)
    send_typed(page, "who can help at home")
    wait_for_messages(page, 4)
    assert len(attempts) == 2 and attempts[0] == attempts[1], "retried with the same client_message_id"
    assert fake_rasa.texts_received() == ["hello", "who can help at home"], "Rasa got the message once"
    assert conversation(page)[2:] == [
        ("You:", "who can help at home"), ("Homeward:", "Test reply to: who can help at home")
    ]


def test_when_rasa_is_down_for_a_while_the_page_says_where_to_get_help_and_recovers(
    stack, fake_rasa: FakeRasa, page
) -> None:
    _start(stack, page)
    fake_rasa.fail_next = 2
    send_typed(page, "what about carers")
    help_text = page.locator(".hw-help")
    help_text.wait_for()
    assert "NHS 111" in help_text.inner_text() and "999" in help_text.inner_text()
    wait_for_messages(page, 4)
    assert conversation(page)[3] == ("Homeward:", "Test reply to: what about carers")
    assert fake_rasa.texts_received() == ["hello", "what about carers"]


def test_a_message_waiting_to_be_sent_survives_a_reload(stack, page) -> None:
    _start(stack, page)
    page.route("**/api/chat", lambda route: route.abort("internetdisconnected"))
    send_typed(page, "is this still going")
    page.get_by_text("Reconnecting…").wait_for()
    page.reload()
    page.get_by_text("is this still going").wait_for()
    page.unroute("**/api/chat")
    wait_for_messages(page, 4)
    said = conversation(page)
    assert [t for w, t in said if w == "You:"] == ["hello", "is this still going"]
    assert len(said) == 4
    if stack.fake:
        assert stack.fake.texts_received() == ["hello", "is this still going"]


def test_messages_typed_while_offline_are_sent_in_order(stack, context, page) -> None:
    _start(stack, page)
    context.set_offline(True)
    send_typed(page, "first question")
    send_typed(page, "second question")
    page.get_by_text("Reconnecting…").wait_for()
    context.set_offline(False)
    wait_for_messages(page, 6)
    said = conversation(page)
    assert [t for w, t in said if w == "You:"] == ["hello", "first question", "second question"]
    if stack.fake:
        assert stack.fake.texts_received() == ["hello", "first question", "second question"]
        # Both questions show as typed; the replies then come in the same order.
        assert [t for w, t in said if w == "Homeward:"][1:] == [
            "Test reply to: first question", "Test reply to: second question"
        ]
