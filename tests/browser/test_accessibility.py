"""WCAG 2.2 AA: axe-core finds nothing, keyboard only works, 320 px and 200% zoom reflow, target sizes."""

from __future__ import annotations

import pytest

from tests.browser.helpers import conversation, focused, run_axe, send_typed, wait_for_messages

MIN_TARGET_PX = 24


def _converse(page) -> None:
    """A conversation that shows every kind of widget part: messages, answer buttons, an answer with feedback."""
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    page.locator(".hw-choices button").first.click()
    wait_for_messages(page, 4)
    send_typed(page, "hello")
    wait_for_messages(page, 6)


def _assert_no_violations(page, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"axe-core found WCAG 2.2 AA problems on {where}: {violations}"


@pytest.mark.parametrize("path", ["/", "/accessibility"])
def test_pages_have_no_axe_violations_when_they_open(stack, page, path) -> None:
    page.goto(stack.base_url + path)
    page.wait_for_load_state("networkidle")
    assert page.console_problems == [], "nothing was blocked by the Content-Security-Policy"
    _assert_no_violations(page, path)


def test_the_chat_page_has_no_axe_violations_during_a_conversation(stack, page, screenshots) -> None:
    page.goto(stack.base_url + "/")
    _converse(page)
    assert page.console_problems == []
    _assert_no_violations(page, "the chat page with a conversation")
    page.screenshot(path=str(screenshots / "standalone-page.png"), full_page=True)


def test_the_chat_page_has_no_axe_violations_while_reconnecting(stack, context, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    context.set_offline(True)
    send_typed(page, "are you there")
    page.get_by_text("Reconnecting…").wait_for()
    _assert_no_violations(page, "the chat page while reconnecting")


def test_the_widget_embedded_on_another_site_has_no_axe_violations(stack, page, screenshots) -> None:
    page.goto(stack.host_url)
    _converse(page)
    _assert_no_violations(page, "a page on another site that embeds the widget")
    page.screenshot(path=str(screenshots / "widget-embedded.png"), full_page=True)


def test_the_chat_works_with_the_keyboard_alone(stack, page) -> None:
    page.goto(stack.base_url + "/")
    for _ in range(15):  # past the skip link and the page's own links, into the widget
        page.keyboard.press("Tab")
        if focused(page)["id"] == "hw-message":
            break
    assert focused(page)["id"] == "hw-message", "the message box can be reached with Tab"
    page.keyboard.type("hello")
    page.keyboard.press("Enter")
    wait_for_messages(page, 2)
    assert focused(page)["id"] == "hw-message", "focus stays in the message box after sending"
    page.keyboard.press("Shift+Tab")
    choice = focused(page)
    assert choice["tag"] == "button" and "nhsuk-button" in choice["className"], "answer buttons come before the box"
    page.keyboard.press("Enter")
    wait_for_messages(page, 4)
    assert conversation(page)[2] == ("You:", choice["text"])
    assert focused(page)["id"] == "hw-message"
    # On to "Talk to a person", after the Send button.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Send"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Talk to a person"
    page.keyboard.press("Enter")
    page.get_by_text("I'd like to talk to a person").wait_for()
    assert focused(page)["id"] == "hw-message", "back in the message box, ready to type"
    # Shift and Enter make a new line instead of sending.
    page.keyboard.type("line one")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("line two")
    assert page.locator("#hw-message").input_value() == "line one\nline two"


def test_feedback_can_be_given_with_the_keyboard(stack, fake_rasa, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "hello")
    page.get_by_role("button", name="Who pays for care").click()
    page.get_by_text("Was this answer helpful?").wait_for()
    assert focused(page)["id"] == "hw-message"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "No"
    page.keyboard.press("Shift+Tab")
    assert focused(page)["text"] == "Yes"
    page.keyboard.press("Space")
    page.get_by_text("Thank you for your feedback.").wait_for()
    assert focused(page)["text"] == "Thank you for your feedback.", "focus is not lost when the buttons go"


def test_messages_are_in_a_labelled_live_log_and_controls_have_names(stack, page) -> None:
    page.goto(stack.base_url + "/")
    log = page.get_by_role("log", name="Conversation")
    assert log.get_attribute("aria-live") == "polite"
    assert page.get_by_role("status").count() == 1
    assert page.get_by_role("textbox", name="Your message").is_visible()
    for name in ("Send", "Talk to a person", "Start again"):
        assert page.get_by_role("button", name=name, exact=True).is_visible()
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    assert log.locator(".hw-msg").count() == 2, "new messages are added inside the live log"
    # Who said what is written out, not shown by colour alone.
    assert [who for who, _ in conversation(page)] == ["You:", "Homeward:"]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_at_320_pixels_wide_nothing_scrolls_sideways(stack, browser, screenshots) -> None:
    context = browser.new_context(viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        page.goto(stack.base_url + "/")
        send_typed(page, "hello")
        wait_for_messages(page, 2)
        send_typed(page, "a very long address https://example.org/" + "long-path-segment/" * 12 + " in a message")
        wait_for_messages(page, 4)
        assert _no_sideways_scroll(page)
        for selector in (".hw-log", "#hw-message", ".hw-send", ".hw-tools"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 320, f"{selector} fits in 320 px"
        page.locator(".hw-chat").screenshot(path=str(screenshots / "widget-320px.png"))
        _assert_no_violations(page, "the chat page at 320 px")
    finally:
        context.close()


def test_at_200_percent_zoom_the_chat_reflows(stack, browser, screenshots) -> None:
    # A 1280 x 800 window at 200% zoom lays out as 640 x 400 CSS pixels, each drawn twice as large.
    context = browser.new_context(viewport={"width": 640, "height": 400}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(stack.base_url + "/")
        send_typed(page, "hello")
        wait_for_messages(page, 2)
        assert _no_sideways_scroll(page)
        log = page.locator(".hw-log").bounding_box()
        last_choice = page.locator(".hw-choices button").last.bounding_box()
        assert last_choice["y"] + last_choice["height"] <= log["y"] + log["height"], "the log shows its newest part"
        page.locator(".hw-send").scroll_into_view_if_needed()
        assert page.locator(".hw-send").is_visible()
        page.locator(".hw-chat").screenshot(path=str(screenshots / "widget-200-percent-zoom.png"))
    finally:
        context.close()


def test_buttons_and_the_message_box_are_at_least_24_pixels(stack, page) -> None:
    page.goto(stack.base_url + "/")
    _converse(page)
    targets = page.locator(".hw-chat button, .hw-chat textarea")
    assert targets.count() >= 6
    for index in range(targets.count()):
        target = targets.nth(index)
        box = target.bounding_box()
        assert box["width"] >= MIN_TARGET_PX and box["height"] >= MIN_TARGET_PX, target.inner_text()


def test_the_axe_check_does_find_problems_inside_the_widget(stack, page) -> None:
    """Guards the checks above against passing vacuously (no rules run, or the shadow root not looked into)."""
    page.goto(stack.base_url + "/")
    page.locator(".hw-log").wait_for()
    page.evaluate("""() => {
      const root = document.querySelector('[data-homeward-chat]').shadowRoot;
      root.querySelector('.hw-tools').appendChild(document.createElement('button'));
    }""")
    assert [v["id"] for v in run_axe(page)] == ["button-name"]
