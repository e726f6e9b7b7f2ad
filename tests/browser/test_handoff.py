"""A carer asks for a person; a helpline staff member (another browser) takes the chat, replies, hands back.

The fake Rasa answers "/request_human" as action_request_human does when someone is free (text plus the
{"handoff": "requested"} payload). The staff member signs in through the real console. Both sides are
checked with axe (WCAG 2.2 AA).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.accounts.store import AccountStore
from bot.directory.db import make_engine, upgrade_database
from bot.handoff import messages as say
from bot.safety.red_flags import default_detector
from tests.browser import fake_rasa
from tests.browser.conftest import REAL_RASA, Stack
from tests.browser.helpers import conversation, run_axe, send_typed, wait_for_messages

PASSWORD = "a long test password for sam"
WIDGET = "[data-homeward-chat]"

if REAL_RASA:
    pytest.skip("needs the fake Rasa's scripted handoff reply", allow_module_level=True)


def _reply_with_handoff(original):
    def reply_for(message: str) -> list[dict[str, Any]]:
        if message == "/request_human":
            return [{"text": say.PASSING_ON}, {"custom": {"handoff": "requested", "area": "bcp"}}]
        return original(message)

    return reply_for


@pytest.fixture
def handoff_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The console's database with one helpline account; the helpline always open. Set before the gateway starts."""
    url = f"sqlite:///{tmp_path / 'console.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    AccountStore(engine).add("sam.helpline", "Sam Jones", "helpline", PASSWORD)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HOMEWARD_SESSION_SECRET", "browser-test-secret-" + "x" * 32)
    monkeypatch.setenv("HOMEWARD_HELPLINE_HOURS", "Mon-Sun 00:00-24:00")
    monkeypatch.setattr(fake_rasa, "reply_for", _reply_with_handoff(fake_rasa.reply_for))
    # The gateway runs in this process: load the red-flag check (spaCy; slow on a busy machine) before the clock starts.
    default_detector()
    yield


@pytest.fixture
def handoff_stack(handoff_env, stack: Stack) -> Stack:
    return stack


@pytest.fixture
def staff_page(browser, handoff_stack: Stack) -> Iterator[Any]:
    """A second browser (its own cookies), signed in as helpline staff, with the chat queue open."""
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="en-GB")
    context.set_default_timeout(10_000)
    opened = context.new_page()
    opened.console_problems = []
    opened.on("console", lambda m: m.type == "error" and opened.console_problems.append(m.text))
    # Signed in through the console's form by HTTP, sharing the browser's cookies. (In Chromium the form itself
    # posts "Origin: null" under the gateway's Referrer-Policy: no-referrer; see docs/integration/handoff.md.)
    form = context.request.get(handoff_stack.base_url + "/console/sign-in").text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    signed = context.request.post(handoff_stack.base_url + "/console/sign-in", form={
        "csrf_token": html.unescape(token), "username": "sam.helpline", "password": PASSWORD, "next": ""},
        max_redirects=0)
    assert signed.status == 303, signed.text()
    opened.goto(handoff_stack.base_url + "/console/handoff")
    opened.get_by_role("heading", name="Chat queue").wait_for()
    yield opened
    context.close()


def _handoff_bar(page) -> str:
    return page.locator(".hw-handoff [role=status]").inner_text()


def test_a_carer_talks_to_a_person_and_is_handed_back(handoff_stack: Stack, staff_page, page, screenshots) -> None:
    page.goto(handoff_stack.base_url + "/")
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    page.get_by_role("button", name="Talk to a person").click()
    wait_for_messages(page, 4)
    assert conversation(page)[3] == ("Homeward:", say.PASSING_ON)
    page.get_by_text("Waiting for a member of the helpline team").wait_for()
    send_typed(page, "Mum comes home on Friday. Who arranges her carers?")

    # The staff member sees the chat arrive in the queue (the page refreshes itself), and takes it.
    staff_page.locator("#queue-summary").get_by_text("1 person is waiting for a person.").wait_for()
    assert staff_page.console_problems == [], "nothing was blocked by the Content-Security-Policy"
    assert run_axe(staff_page) == []
    staff_page.get_by_role("button", name="Take chat 1").click()
    staff_page.get_by_text("You are handling this chat.").wait_for()
    transcript = staff_page.locator("#transcript")
    assert "Hello, this is the test assistant." in transcript.inner_text(), "the assistant's part is shown"
    transcript.get_by_text("Who arranges her carers?").wait_for()
    assert run_axe(staff_page) == []
    staff_page.screenshot(path=str(screenshots / "handoff-staff-conversation.png"), full_page=True)

    # The user sees who they are talking to, then the reply, without reloading.
    page.get_by_text("You're talking to Sam from the helpline team.").wait_for()
    staff_page.get_by_label("Your reply").fill("Hello, I'm Sam. The hospital arranges carers before she leaves.")
    staff_page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Hello, I'm Sam. The hospital arranges carers before she leaves.").wait_for()
    reply = "Hello, I'm Sam. The hospital arranges carers before she leaves."
    assert ("Sam (helpline team):", reply) in conversation(page)
    assert page.console_problems == [], "nothing was blocked by the Content-Security-Policy"
    assert run_axe(page) == []
    page.locator(".hw-chat").screenshot(path=str(screenshots / "handoff-user-talking-to-sam.png"))

    # A message typed now reaches Sam live, and not the assistant.
    received_before = len(handoff_stack.fake.received)
    send_typed(page, "Thank you, that helps.")
    staff_page.locator("#transcript").get_by_text("Thank you, that helps.").wait_for()
    assert len(handoff_stack.fake.received) == received_before, "the assistant stays quiet"

    # Sam hands back; the user is told, and the assistant answers again.
    staff_page.get_by_role("button", name="Hand back to the assistant").click()
    staff_page.get_by_role("heading", name="Chat queue").wait_for()
    page.get_by_text("Sam has handed you back to the Homeward assistant.").wait_for()
    assert page.locator(".hw-handoff").count() == 0
    count = len(conversation(page))
    send_typed(page, "one more question")
    wait_for_messages(page, count + 2)
    assert conversation(page)[-1] == ("Homeward:", "Test reply to: one more question")


def test_the_conversation_with_a_person_survives_a_reload(handoff_stack: Stack, staff_page, page) -> None:
    page.goto(handoff_stack.base_url + "/")
    page.get_by_role("button", name="Talk to a person").click()
    page.get_by_text("Waiting for a member of the helpline team").wait_for()
    staff_page.get_by_role("button", name="Take chat 1").click()
    staff_page.get_by_label("Your reply").fill("Hi, Sam here.")
    staff_page.get_by_role("button", name="Send reply").click()
    page.get_by_text("Hi, Sam here.").wait_for()
    before = conversation(page)
    page.reload()
    page.get_by_text("You're talking to Sam from the helpline team.").wait_for()
    wait_for_messages(page, len(before))
    assert conversation(page) == before


def test_the_user_can_stop_waiting(handoff_stack: Stack, staff_page, page) -> None:
    page.goto(handoff_stack.base_url + "/")
    page.get_by_role("button", name="Talk to a person").click()
    page.get_by_role("button", name="Stop waiting").click()
    page.get_by_text(say.USER_LEFT_NOTICE).wait_for()
    staff_page.locator("#queue-summary").get_by_text("Nobody is waiting.").wait_for()
