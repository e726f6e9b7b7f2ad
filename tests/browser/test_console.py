"""The staff console in headless Chromium: sign in, search, details, edit as admin, staff chat.

Runs the real gateway with the console on a copy of the seeded directory (bot/directory/data/
seed_services.yml), accounts made here, and the fake Rasa. axe-core must find no WCAG 2.2 AA
problem on any console page; screenshots go to docs/screenshots/console-*.png.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.accounts.store import AccountStore
from bot.directory.db import make_engine, upgrade_database
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import seed_database
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.config import WebSettings
from bot.web.console.config import ConsoleSettings
from tests.browser.conftest import FAKE_TOKEN, REPO_ROOT, ServerThread
from tests.browser.fake_rasa import FakeRasa
from tests.browser.helpers import focused, run_axe, send_typed, wait_for_messages

CONSOLE_CSS = REPO_ROOT / "bot" / "web" / "static" / "vendor" / "nhsuk" / "console-nhsuk.css"
PASSWORD = "a long browser test password"
ACCOUNTS = {"admin": ("ada.admin", "Ada Admin"), "ward": ("wendy.ward", "Wendy Ward")}
SERVICE = "bcp-reablement"  # a seeded BCP service


@dataclass
class ConsoleStack:
    base_url: str
    fake: FakeRasa
    database_url: str


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not CONSOLE_CSS.exists():
        pytest.fail(
            "The console's styles are missing (bot/web/static/vendor/nhsuk/console-nhsuk.css). Build them: see "
            "docs/integration/console.md (build_frontend)."
        )
    path = tmp_path_factory.mktemp("console-browser") / "directory.db"
    url = f"sqlite:///{path}"
    upgrade_database(url)
    repository = DirectoryRepository(url)
    result = seed_database(repository)
    repository.close()
    assert result.problems == [] and result.stored > 100
    engine = make_engine(url)
    for role, (username, name) in ACCOUNTS.items():
        AccountStore(engine).add(username, name, role, PASSWORD)
    engine.dispose()
    return path


@pytest.fixture
def console(built_assets, seeded_template: Path, tmp_path: Path) -> Iterator[ConsoleStack]:
    database = tmp_path / "directory.db"
    shutil.copyfile(seeded_template, database)
    url = f"sqlite:///{database}"
    servers = ServerThread()
    try:
        fake = FakeRasa(token=FAKE_TOKEN)
        settings = Settings(rasa_port=servers.serve(fake.app), rasa_auth_token=FAKE_TOKEN)
        web_settings = WebSettings(feedback_path=tmp_path / "feedback.jsonl")
        console_settings = ConsoleSettings(database_url=url, session_secret=b"browser-test-secret-" * 3)
        port = servers.serve(lambda: create_app(settings, web_settings, console_settings))
        yield ConsoleStack(base_url=f"http://127.0.0.1:{port}", fake=fake, database_url=url)
    finally:
        servers.close()


def assert_no_violations(page, where: str) -> None:
    violations = run_axe(page)
    assert violations == [], f"axe-core found WCAG 2.2 AA problems on {where}: {violations}"


def sign_in(page, console: ConsoleStack, role: str) -> None:
    page.goto(console.base_url + "/console/sign-in")
    page.get_by_label("User name").fill(ACCOUNTS[role][0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Find a service").wait_for()


def test_sign_in_page_and_errors_are_accessible(console, page, screenshots) -> None:
    page.goto(console.base_url + "/console/directory")
    assert page.url.startswith(console.base_url + "/console/sign-in?next=")
    assert_no_violations(page, "the sign-in page")
    page.screenshot(path=str(screenshots / "console-sign-in.png"), full_page=True)
    page.get_by_label("User name").fill("ada.admin")
    page.get_by_label("Password").fill("not the right password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("There is a problem").wait_for()
    assert page.title().startswith("Error: Sign in")
    assert not [p for p in page.console_problems if "Content Security Policy" in p]
    assert_no_violations(page, "the sign-in page with an error")


def test_a_ward_nurse_signs_in_and_searches_with_the_keyboard_alone(console, page) -> None:
    page.goto(console.base_url + "/console/sign-in")
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Skip to main content"
    page.keyboard.press("Enter")
    for _ in range(10):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "username":
            break
    assert focused(page)["id"] == "username"
    page.keyboard.type(ACCOUNTS["ward"][0])
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Find a service").wait_for()
    for _ in range(20):
        page.keyboard.press("Tab")
        if focused(page)["id"] == "q":
            break
    assert focused(page)["id"] == "q", "the search box can be reached with Tab"
    page.keyboard.type("carers")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "need"
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="found").first.wait_for()
    first_result = page.locator(".hw-result a").first
    name = first_result.inner_text()
    first_result.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name=name).wait_for()


def test_staff_search_the_directory_and_read_the_details(console, page, screenshots) -> None:
    sign_in(page, console, "ward")
    assert_no_violations(page, "the search page")
    page.get_by_label("Search words").fill("equipment")
    page.get_by_label("Area (council)").select_option(label="BCP Council")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".hw-result")
    results.first.wait_for()
    assert "area=bcp" in page.url and "q=equipment" in page.url, "a search is a link that can be shared or reloaded"
    assert page.get_by_label("Area (council)").input_value() == "bcp", "the filters stay as chosen"
    assert_no_violations(page, "search results")
    page.screenshot(path=str(screenshots / "console-search.png"), full_page=True)
    name = results.first.locator("a").inner_text()
    results.first.locator("a").click()
    page.get_by_role("heading", level=1, name=name).wait_for()
    assert page.locator("dt", has_text="Last checked").is_visible()
    assert page.get_by_role("heading", name="What the chat says about it").is_visible()
    assert page.get_by_role("link", name="Edit this entry").count() == 0, "ward staff do not edit"
    assert page.console_problems == []
    assert_no_violations(page, "service details")
    page.screenshot(path=str(screenshots / "console-details.png"), full_page=True)


def test_an_admin_edits_an_entry(console, page, screenshots) -> None:
    sign_in(page, console, "admin")
    page.goto(f"{console.base_url}/console/directory/services/{SERVICE}")
    page.get_by_role("link", name="Edit this entry").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.title().startswith("Edit:")
    assert_no_violations(page, "the edit form")
    page.get_by_label("Name").fill("")
    page.get_by_role("button", name="Save changes").click()
    summary = page.locator(".nhsuk-error-summary")
    summary.wait_for()
    assert page.evaluate("() => document.activeElement.classList.contains('nhsuk-error-summary')"), (
        "the error summary takes focus so a screen reader reads it first"
    )
    assert_no_violations(page, "the edit form with errors")
    page.get_by_role("link", name="Name is missing").click()
    assert focused(page)["id"] == "name", "each error links to its field"
    page.keyboard.type("Reablement services (BCP) – edited in test")
    page.get_by_label("Contact note").fill("Ask the ward's discharge coordinator.")
    page.get_by_label("Pathway 2").check()
    page.screenshot(path=str(screenshots / "console-edit.png"), full_page=True)
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Changes saved.").wait_for()
    assert page.get_by_role("heading", level=1).inner_text() == "Reablement services (BCP) – edited in test"
    history = page.locator("table.hw-audit")
    assert "ada.admin" in history.inner_text() and "Edited" in history.inner_text()
    assert_no_violations(page, "service details after an edit")
    page.get_by_role("link", name="Changes", exact=True).click()
    page.get_by_role("heading", name="Directory changes").wait_for()
    assert "Ask the ward's discharge coordinator." in page.locator("table").inner_text()
    assert_no_violations(page, "the changes page")


def test_staff_chat_in_staff_mode(console, page, screenshots) -> None:
    sign_in(page, console, "ward")
    page.get_by_role("link", name="Staff chat").click()
    page.get_by_role("heading", level=1, name="Staff chat").wait_for()
    send_typed(page, "pathway finder")
    wait_for_messages(page, 2)
    page.get_by_text("Test reply to: pathway finder").wait_for()
    assert console.fake.received[-1]["metadata"]["audience"] == "staff"
    assert page.console_problems == [], "nothing was blocked by the Content-Security-Policy"
    assert_no_violations(page, "the staff chat page")
    page.screenshot(path=str(screenshots / "console-chat.png"), full_page=True)
    # The public chat in the same tab is a separate conversation, and stays "family".
    page.goto(console.base_url + "/")
    page.locator("#hw-message").wait_for()
    assert page.locator(".hw-msg").count() == 0
    send_typed(page, "hello")
    wait_for_messages(page, 2)
    assert console.fake.received[-1]["metadata"]["audience"] == "family"


def test_the_staff_chat_says_so_when_the_session_has_ended(console, context, page) -> None:
    sign_in(page, console, "ward")
    page.goto(console.base_url + "/console/chat")
    page.locator("#hw-message").wait_for()
    context.clear_cookies()
    send_typed(page, "are you there")
    page.get_by_text("Sign in to the staff console first.").wait_for()
    assert console.fake.received == []
