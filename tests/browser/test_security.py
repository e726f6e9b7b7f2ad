"""Messages are never HTML, only http(s) becomes a link, Rasa's token stays on the server, embedding is by origin."""

from __future__ import annotations

from tests.browser.fake_rasa import XSS_BUTTON, FakeRasa
from tests.browser.helpers import conversation, send_typed, wait_for_messages

_INSIDE_WIDGET = "(selector) => document.querySelector('[data-homeward-chat]').shadowRoot.querySelectorAll(selector)"


def _count(page, selector: str) -> int:
    return page.evaluate(f"(selector) => ({_INSIDE_WIDGET})(selector).length", selector)


def _links(page) -> list[str]:
    return page.evaluate(
        f"() => Array.from(({_INSIDE_WIDGET})('.hw-log a')).map(a => a.getAttribute('href'))"
    )


def test_html_in_the_assistants_messages_is_shown_as_text(stack, fake_rasa: FakeRasa, page) -> None:
    page.goto(stack.base_url + "/")
    send_typed(page, "xss")
    wait_for_messages(page, 2)
    page.wait_for_timeout(300)  # give any injected handler the chance to run
    assert page.evaluate("() => window.__xss") is None
    assert _count(page, ".hw-log img, .hw-log script, .hw-log b") == 0
    text = conversation(page)[1][1]
    assert '<img src=x onerror="window.__xss=1">' in text and "<script>" in text
    assert _links(page) == ["https://example.org/page?a=1&b=2", "https://example.org/x"]
    assert page.get_by_role("button", name=XSS_BUTTON).is_visible(), "a button title is text too"
    page.get_by_role("button", name=XSS_BUTTON).hover()
    assert page.evaluate("() => window.__xss") is None


def test_html_the_user_types_is_shown_as_text_and_only_web_addresses_become_links(stack, page) -> None:
    page.goto(stack.base_url + "/")
    typed = '<img src=x onerror="window.__xss=6"> javascript:alert(1) data:text/html,hi https://example.org/a.'
    send_typed(page, typed)
    wait_for_messages(page, 1)
    shown = typed.replace("https://example.org/a.", "https://example.org/a (opens in a new tab).")
    assert conversation(page)[0] == ("You:", shown)
    assert _count(page, ".hw-log img") == 0
    assert _links(page)[0] == "https://example.org/a"
    link = page.locator(".hw-log a").first
    assert link.get_attribute("rel") == "noopener noreferrer" and link.get_attribute("target") == "_blank"
    assert page.evaluate("() => window.__xss") is None


def test_rasas_token_never_reaches_the_browser(stack, fake_rasa: FakeRasa, page) -> None:
    requests_sent: list[str] = []
    page.on("request", lambda r: requests_sent.append(r.url + (r.post_data or "")))
    page.goto(stack.base_url + "/")
    # Waiting on the responses themselves: a "response" event handler can still be running
    # when the page has already drawn the messages, which made this test flaky.
    with page.expect_response(lambda r: r.url.endswith("/api/chat")) as chat:
        send_typed(page, "hello")
    wait_for_messages(page, 2)
    chat_body = chat.value.text()  # before the reload: the browser drops a body once the page is left
    with page.expect_response(lambda r: r.url.endswith("/api/transcript")) as transcript:
        page.reload()  # the transcript is read from the tracker API, which needs the token
    wait_for_messages(page, 2)
    # The fake refuses tracker calls without the token: a 200 means the gateway sent it.
    assert transcript.value.status == 200
    seen = [*requests_sent, chat_body, transcript.value.text()]
    assert not any(fake_rasa.token in s for s in seen)
    assert fake_rasa.token not in page.content()


def test_the_widget_works_on_an_allowed_site_and_not_on_others(stack, page) -> None:
    page.goto(stack.host_url)
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    assert conversation(page)[0] == ("You:", "hello")
    assert conversation(page)[1][0] == "Homeward:"
    page.goto(stack.other_host_url)
    send_typed(page, "hello from a site that is not allowed")
    page.get_by_text("Reconnecting…").wait_for()
    assert len(conversation(page)) == 1, "no reply: the gateway refuses other sites"
    if stack.fake:
        assert "hello from a site that is not allowed" not in stack.fake.texts_received()
