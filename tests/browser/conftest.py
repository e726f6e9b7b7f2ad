"""Browser tests: headless Chromium (Debian's package) driven by Playwright against the real gateway.

By default the gateway talks to a fake Rasa (fake_rasa.py). With HOMEWARD_BROWSER_REAL_RASA=1 the
gateway talks to the Rasa named by the usual settings (HOMEWARD_RASA_HOST/_PORT, RASA_AUTH_TOKEN), so
the lead can run the same tests against the real stack; tests that need the fake's scripted replies or
its record of received messages are then skipped, saying so.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.config import WebSettings
from tests.browser.fake_rasa import FakeRasa

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_JS = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
NHSUK_CSS = REPO_ROOT / "bot" / "web" / "static" / "vendor" / "nhsuk" / "homeward-nhsuk.css"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
REAL_RASA = os.environ.get("HOMEWARD_BROWSER_REAL_RASA") == "1"
FAKE_TOKEN = "test-token-the-browser-must-never-see"



def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives headless Chromium against the web gateway")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


class ServerThread:
    """aiohttp apps on free loopback ports, served from one background event loop.

    Playwright's sync API runs in the test's thread, so the servers need a loop of their own.
    """

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runners: list[web.AppRunner] = []

    def call(self, make: Callable[[], Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(make(), self.loop).result(timeout=30)

    def serve(self, app_factory: Callable[[], web.Application]) -> int:
        async def start() -> int:
            runner = web.AppRunner(app_factory(), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.runners.append(runner)
            return runner.addresses[0][1]

        return self.call(start)

    def close(self) -> None:
        async def stop() -> None:
            for runner in reversed(self.runners):
                await runner.cleanup()

        self.call(stop)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


HOST_PAGE = """<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Leaving hospital – Example Council (test page)</title></head>
<body style="font-family: Georgia, serif; margin: 0 auto; max-width: 60rem; padding: 1rem; color: #111">
<header><p>Example Council (a test page on another website)</p></header>
<main>
<h1>Leaving hospital</h1>
<p>This page stands in for a council or NHS page that embeds the chat.</p>
<div data-homeward-chat></div>
<script src="{gateway}/static/widget.js" defer></script>
</main>
</body>
</html>"""


@dataclass
class Stack:
    base_url: str  # the gateway
    host_url: str  # a page on another origin, allowed to embed the widget
    other_host_url: str  # a page on an origin that is not allowed
    fake: FakeRasa | None
    feedback_path: Path


@pytest.fixture(scope="session")
def built_assets() -> None:
    missing = [str(p.relative_to(REPO_ROOT)) for p in (AXE_JS, NHSUK_CSS) if not p.exists()]
    if missing:
        pytest.fail(
            f"Front-end assets are missing ({', '.join(missing)}). Build them with: "
            "bash -c 'source scripts/lib/frontend.sh && build_frontend'"
        )


@pytest.fixture
def stack(built_assets, tmp_path: Path) -> Iterator[Stack]:
    servers = ServerThread()
    try:
        fake = None if REAL_RASA else FakeRasa(token=FAKE_TOKEN)
        if fake is None:
            settings = Settings.from_env()
        else:
            settings = Settings(rasa_port=servers.serve(fake.app), rasa_auth_token=FAKE_TOKEN)
        gateway: dict[str, str] = {}

        async def host_page(request: web.Request) -> web.Response:
            return web.Response(text=HOST_PAGE.format(gateway=gateway["url"]), content_type="text/html")

        def host_app() -> web.Application:
            app = web.Application()
            app.router.add_get("/", host_page)
            return app

        host_url = f"http://127.0.0.1:{servers.serve(host_app)}"
        other_host_url = f"http://127.0.0.1:{servers.serve(host_app)}"
        feedback_path = tmp_path / "feedback.jsonl"
        web_settings = WebSettings(allowed_origins=frozenset({host_url}), feedback_path=feedback_path)
        gateway["url"] = f"http://127.0.0.1:{servers.serve(lambda: create_app(settings, web_settings))}"
        yield Stack(
            base_url=gateway["url"], host_url=host_url + "/", other_host_url=other_host_url + "/",
            fake=fake, feedback_path=feedback_path,
        )
    finally:
        servers.close()


@pytest.fixture
def fake_rasa(stack: Stack) -> FakeRasa:
    if stack.fake is None:
        pytest.skip("needs the fake Rasa's scripted replies (HOMEWARD_BROWSER_REAL_RASA=1 is set)")
    return stack.fake


# Package scope, not session: while Playwright's sync API is running, pytest-asyncio cannot start
# event loops, so Chromium must be closed before the async tests in other folders run.
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Chromium is not installed: run `source scripts/lib/browser.sh && ensure_chromium`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def context(browser) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1024, "height": 900}, locale="en-GB")
    ctx.set_default_timeout(30_000 if REAL_RASA else 10_000)  # a real Rasa on 2 shared cores can be slow
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Iterator[Any]:
    opened = context.new_page()
    opened.console_problems = []  # CSP refusals and script errors would show up here
    opened.on("console", lambda m: m.type == "error" and opened.console_problems.append(m.text))
    opened.on("pageerror", lambda e: opened.console_problems.append(str(e)))
    yield opened


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
