"""The widget and the staff console in headless Chromium against the REAL assistant.

Starts `python -m bot run` (action server, Rasa with the trained model, web gateway) on spare ports,
with the directory, accounts and conversations in temporary SQLite files, so nothing touches var/'s
databases. A family asks questions in the widget and reloads mid-conversation; a ward nurse signs in
to the console, searches the seeded directory, reads a service's details and asks the staff chat a
question. axe-core must find no WCAG 2.2 AA problem on any page; screenshots go to
docs/screenshots/real-stack-*.png.

Assertions are on what a person relies on and what survives rewording: a reply appears in the
conversation, an answer names its source and when it was last checked, answer buttons are offered,
an area question gets that council's local answer.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import REPO_ROOT
from tests.browser.helpers import conversation, run_axe, send_typed

pytestmark = [pytest.mark.stack, pytest.mark.browser]

PORTS = {"HOMEWARD_RASA_PORT": 35005, "HOMEWARD_ACTION_PORT": 35055, "HOMEWARD_GATEWAY_PORT": 38080}
GATEWAY = f"http://127.0.0.1:{PORTS['HOMEWARD_GATEWAY_PORT']}"
START_TIMEOUT_S = 400  # Rasa loads TensorFlow and the model; slow on 2 shared cores
REPLY_TIMEOUT_MS = 120_000  # a real Rasa on a busy machine can take a while to answer
STAFF = ("wendy.ward", "Wendy Ward")
PASSWORD = "a long real-stack test password"


@dataclass
class RealStack:
    process: subprocess.Popen
    output: list[str]
    database_url: str


def _healthz() -> int:
    try:
        with urllib.request.urlopen(f"{GATEWAY}/healthz", timeout=2) as response:
            return response.status
    except OSError:
        return 0


def _port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _bot(args: list[str], env: dict[str, str], stdin: str | None = None) -> None:
    """Runs `python -m bot ...` as an operator would, failing the tests with its output if it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=REPO_ROOT, env=env, input=stdin,
        capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0:
        pytest.fail(f"`python -m bot {' '.join(args)}` failed:\n{done.stdout}\n{done.stderr}")


def _stop(process: subprocess.Popen) -> None:
    """Ctrl-C for the runner, which stops its services (each in its own process group) itself."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    # Services the runner could not stop (if it was killed): find them by our ports, stop them by id.
    pattern = "--port (" + "|".join(str(p) for p in PORTS.values()) + ")( |$)"
    leftovers = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True, text=True).stdout.split()
    for pid in leftovers:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(int(pid), signal.SIGKILL)


@pytest.fixture(scope="module")
def real_stack(built_assets, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealStack]:
    if not (REPO_ROOT / "models" / "homeward.tar.gz").exists():
        pytest.fail("No trained model in models/: the lead trains one with ./scripts/test or ./scripts/start.")
    busy = [port for port in PORTS.values() if _port_in_use(port)]
    if busy:
        pytest.fail(f"Ports {busy} are already in use: another real-stack test run is still going, or left over.")
    folder = tmp_path_factory.mktemp("real-stack")
    database_url = f"sqlite:///{folder / 'directory.db'}"
    env = {
        **os.environ,
        **{name: str(port) for name, port in PORTS.items()},
        "DATABASE_URL": database_url,
        "TRACKER_DB_URL": f"sqlite:///{folder / 'tracker.db'}",
        "HOMEWARD_FEEDBACK_PATH": str(folder / "feedback.jsonl"),
        "HOMEWARD_SESSION_SECRET": "real-stack-browser-test-session-secret-0123456789",
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(REPO_ROOT),
    }
    env.pop("LOCK_STORE_URL", None)  # one Rasa: the in-memory lock store
    _bot(["directory", "migrate"], env)
    _bot(["directory", "seed"], env)
    _bot(["accounts", "add", STAFF[0], "--name", STAFF[1], "--role", "ward", "--password-stdin"], env, PASSWORD + "\n")

    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=REPO_ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    output: list[str] = []
    # Read the output all along, so a full pipe never stalls the services while the tests run.
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not (any("Homeward is running" in line for line in output) and _healthz() == 200):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("The stack did not start:\n" + "".join(output[-40:]))
            time.sleep(1)
        yield RealStack(process=process, output=output, database_url=database_url)
    finally:
        _stop(process)


@pytest.fixture
def real_page(browser) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1024, "height": 900}, locale="en-GB")
    context.set_default_timeout(REPLY_TIMEOUT_MS)
    page = context.new_page()
    page.console_problems = []
    page.on("console", lambda m: m.type == "error" and page.console_problems.append(m.text))
    page.on("pageerror", lambda e: page.console_problems.append(str(e)))
    yield page
    context.close()


def ask(page: Any, text: str) -> str:
    """Types a message and waits for the whole reply (the widget shows one reply's messages at once)."""
    sent_before = page.locator(".hw-msg--user").count()
    send_typed(page, text)
    page.wait_for_function(
        """(sent) => {
          const log = document.querySelector('[data-homeward-chat]').shadowRoot.querySelector('[role=log]');
          const all = log.querySelectorAll('.hw-msg');
          return log.querySelectorAll('.hw-msg--user').length > sent && all.length
            && all[all.length - 1].classList.contains('hw-msg--bot');
        }""",
        arg=sent_before,
    )
    shown = conversation(page)
    last_user = max(i for i, (who, _) in enumerate(shown) if who == "You:")
    return "\n\n".join(said for _, said in shown[last_user + 1 :])


def paragraphs(shown: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Who said what, paragraph by paragraph.

    Rasa's REST channel sends each paragraph of a reply as its own message, while the transcript
    rebuilt from Rasa's tracker after a reload has the reply whole: the words must be the same.
    """
    return [(who, part.strip()) for who, said in shown for part in said.split("\n\n") if part.strip()]


def assert_no_violations(page: Any, where: str) -> None:
    """axe-core finds nothing, after checking the page itself logged no script error or CSP refusal."""
    assert page.console_problems == [], f"script errors or Content-Security-Policy refusals on {where}"
    violations = run_axe(page)
    assert violations == [], f"axe-core found WCAG 2.2 AA problems on {where}: {violations}"
    # axe-core's own checks set inline styles, which the page's CSP rightly refuses: not the page's doing.
    page.console_problems.clear()


def test_a_family_conversation_survives_a_reload(real_stack: RealStack, real_page, screenshots: Path) -> None:
    page = real_page
    page.goto(GATEWAY + "/")
    log = page.get_by_role("log")
    greeting = ask(page, "hello")
    assert "Homeward" in greeting
    assert page.locator(".hw-choices button").count() >= 1, "the greeting offers answer buttons"
    assert log.get_by_text("hello", exact=True).count() == 1, "what the family typed is in the conversation"

    answer = ask(page, "what does pathway 1 mean")
    assert "Source:" in answer and "Last checked" in answer, answer

    local = ask(page, "we live in Poole")
    assert "BCP" in local, local
    assert_no_violations(page, "the widget with a conversation")
    page.locator(".hw-chat").screenshot(path=str(screenshots / "real-stack-conversation.png"))

    before = conversation(page)
    with page.expect_response(lambda response: response.url.endswith("/api/transcript")):
        page.reload()  # the page shows its stored copy, then the transcript rebuilt from Rasa's tracker
    page.get_by_role("log").get_by_text("we live in Poole").first.wait_for()
    assert paragraphs(conversation(page)) == paragraphs(before), "the conversation is still there after a reload"
    after = ask(page, "who pays for care")
    assert after.strip()
    assert paragraphs(conversation(page))[: len(paragraphs(before))] == paragraphs(before)
    assert_no_violations(page, "the widget after a reload")


def test_a_ward_nurse_uses_the_console(real_stack: RealStack, real_page, screenshots: Path) -> None:
    page = real_page
    page.goto(GATEWAY + "/console/sign-in")
    assert_no_violations(page, "the sign-in page")
    page.get_by_label("User name").fill(STAFF[0])
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Find a service").wait_for()
    assert STAFF[1] in page.locator("header").inner_text(), "the header says who is signed in"
    assert_no_violations(page, "the search page")

    page.get_by_label("Need").select_option(label="Equipment for the home")
    page.get_by_label("Area (council)").select_option(label="BCP Council")
    page.get_by_role("button", name="Search").click()
    results = page.locator(".hw-result")
    results.first.wait_for()
    assert "need=community_equipment" in page.url and "area=bcp" in page.url
    assert_no_violations(page, "search results")
    page.screenshot(path=str(screenshots / "real-stack-console-search.png"), full_page=True)

    name = results.first.locator("a").inner_text()
    results.first.locator("a").click()
    page.get_by_role("heading", level=1, name=name).wait_for()
    assert page.locator("dt", has_text="Last checked").is_visible()
    assert_no_violations(page, "service details")
    page.screenshot(path=str(screenshots / "real-stack-console-details.png"), full_page=True)

    page.get_by_role("link", name="Staff chat").click()
    page.get_by_role("heading", level=1, name="Staff chat").wait_for()
    answer = ask(page, "what does pathway 1 mean")
    assert "Source:" in answer, answer
    assert_no_violations(page, "the staff chat page")
    page.screenshot(path=str(screenshots / "real-stack-console-chat.png"), full_page=True)
