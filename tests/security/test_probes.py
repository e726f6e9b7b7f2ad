"""Black-box probes of the running stack, as an attacker on the same machine (or a page in the user's
browser, or a public chat user) would send them. Each was a finding once; each must stay closed.

Runs against the real gateway, Rasa and action server (tests/security/conftest.py). The last test
scans every log line the three services wrote for the words the probes typed.
"""

from __future__ import annotations

import asyncio
import re
import stat
import uuid
import zlib
from pathlib import Path

import aiohttp
import pytest

from bot.settings import RASA_WEBHOOK_PATH, channel_headers
from bot.web.security import SECURITY_HEADERS
from tests.security.conftest import ROOT, STAFF_PASSWORD, STAFF_USER, RealStack
from tests.security.probes import send

pytestmark = pytest.mark.stack

# Words typed by the probes, never said by the assistant: none may reach a log.
CANARY = "quokkaflute"


def chat(stack: RealStack, message: str, sender: str | None = None, **headers: str):
    body = {"sender_id": sender or uuid.uuid4().hex, "message": message}
    return send("POST", f"{stack.gateway}/api/chat", body, headers)


def transcript(stack: RealStack, sender: str):
    return send("POST", f"{stack.gateway}/api/transcript", {"sender_id": sender})


# ---- Rasa: its HTTP API and its input channel -------------------------------------------------------

RASA_API = [
    ("GET", "/conversations/{sender}/tracker"),
    ("GET", "/conversations/{sender}/story"),
    ("POST", "/conversations/{sender}/tracker/events"),
    ("POST", "/conversations/{sender}/messages"),
    ("PUT", "/model"),
    ("POST", "/model/train"),
    ("DELETE", "/model"),
    ("GET", "/status"),
]


@pytest.mark.parametrize(("method", "path"), RASA_API)
@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_rasas_http_api_needs_the_token(stack: RealStack, method: str, path: str, token: str | None) -> None:
    url = stack.rasa + path.format(sender=uuid.uuid4().hex) + (f"?token={token}" if token else "")
    reply = send(method, url, '{"event": "bot", "text": "please call 0900"}', {"Content-Type": "application/json"})
    assert reply.status == 401, (method, path, reply.status, reply.text[:200])


def test_a_foreign_page_cannot_write_an_event_with_a_simple_post(stack: RealStack) -> None:
    # text/plain + foreign Origin: a request a web page can send without a CORS preflight.
    sender = uuid.uuid4().hex
    reply = send("POST", f"{stack.rasa}/conversations/{sender}/tracker/events",
                 '{"event": "bot", "text": "please call 0900"}',
                 {"Content-Type": "text/plain", "Origin": "https://evil.example", "Host": "evil.example:5005"})
    assert reply.status == 401
    assert transcript(stack, sender).json()["turns"] == []


def test_rasas_open_rest_channel_is_not_served(stack: RealStack) -> None:
    reply = send("POST", f"{stack.rasa}/webhooks/rest/webhook", {"sender": uuid.uuid4().hex, "message": "hi"})
    assert reply.status == 404


@pytest.mark.parametrize(("headers", "status"), [
    ({}, 401),
    (channel_headers("wrong-token"), 401),
    ({"Origin": "https://evil.example"}, 403),  # with the right token: still a page, refused
    ({"Host": "evil.example:36105"}, 403),  # DNS rebinding: the attacker's own name
])
def test_our_channel_answers_only_the_gateway(stack: RealStack, headers: dict[str, str], status: int) -> None:
    sent = dict(headers)
    if status == 403:
        sent = {**channel_headers(stack.rasa_token), **headers}
    body = {"sender": uuid.uuid4().hex, "message": "hello", "metadata": {"audience": "staff"}}
    assert send("POST", stack.rasa + RASA_WEBHOOK_PATH, body, sent).status == status
    assert send("POST", stack.rasa + RASA_WEBHOOK_PATH, body, channel_headers(stack.rasa_token)).status == 200


def test_no_token_is_on_any_command_line(stack: RealStack) -> None:
    # Every local user can read /proc/<pid>/cmdline.
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        assert stack.rasa_token not in text and stack.action_token not in text, cmdline


# ---- the action server ------------------------------------------------------------------------------

def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on ``port`` (from /proc/net/tcp and tcp6; hex as the kernel writes them)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_the_services_listen_on_loopback_only(stack: RealStack) -> None:
    for url in (stack.action_server, stack.rasa, stack.gateway):
        port = int(url.rsplit(":", 1)[1])
        assert _listening_addresses(port) == {"0100007F"}, url  # 127.0.0.1, not 0.0.0.0


@pytest.mark.parametrize("query", ["", "?token=wrong"])
def test_the_action_server_runs_nothing_without_the_token(stack: RealStack, query: str) -> None:
    call = {"next_action": "action_offer_topics", "tracker": {"sender_id": "x", "events": []}, "domain": {}}
    reply = send("POST", f"{stack.action_server}/webhook{query}", call)
    assert reply.status == 401 and "responses" not in reply.text


def test_the_action_server_does_not_list_its_actions(stack: RealStack) -> None:
    assert send("GET", f"{stack.action_server}/actions").status == 404


def test_a_bad_tracker_is_not_echoed_back(stack: RealStack) -> None:
    marker = f"<{CANARY}-echo>"
    call = {"next_action": "action_answer_question", "tracker": {"events": [{"event": marker}]}, "domain": {}}
    reply = send("POST", f"{stack.action_server}/webhook?token={stack.action_token}", call)
    assert reply.status == 500 and marker not in reply.text and "Traceback" not in reply.text


def test_a_deflate_bomb_is_refused(stack: RealStack) -> None:
    bomb = zlib.compress(b" " * (8 * 1024 * 1024), 9)
    reply = send("POST", f"{stack.action_server}/webhook?token={stack.action_token}", bomb,
                 {"Content-Type": "application/json", "Content-Encoding": "deflate"})
    assert reply.status == 413


# ---- the safety route, whatever the characters ---------------------------------------------------------

@pytest.mark.parametrize("message", [
    "I want to end my life\ud800",
    "\udfffI want to end my life",
    "I want to end my life\u0000\u0007",
    "I want to end my life \U0001F494 пожалуйста",
])
def test_a_crisis_message_gets_the_crisis_route_whatever_surrounds_it(stack: RealStack, message: str) -> None:
    reply = chat(stack, message)
    assert reply.status == 200, reply.text[:300]
    body = reply.json()
    assert "degraded" not in body
    assert "Samaritans on 116 123" in body["messages"][0]["text"]


# ---- the transcript shows only what the assistant's actions said -----------------------------------------

def test_an_event_appended_through_rasas_api_is_not_shown_as_the_assistant(stack: RealStack) -> None:
    sender = uuid.uuid4().hex
    assert chat(stack, "hello", sender).status == 200
    events = f"{stack.rasa}/conversations/{sender}/tracker/events?token={stack.rasa_token}"
    injected = [{"event": "bot", "text": "Please call 0900 000 000 now."},
                {"event": "bot", "text": "Odd buttons", "data": {"buttons": "not a list"}}]
    assert send("POST", events, injected[0]).status == 200
    assert send("POST", events, injected[1]).status == 200
    reply = transcript(stack, sender)
    assert reply.status == 200
    texts = [turn["text"] for turn in reply.json()["turns"]]
    assert texts[0] == "hello" and len(texts) > 1
    assert "Please call 0900 000 000 now." not in texts and "Odd buttons" not in texts


# ---- the public chat ------------------------------------------------------------------------------------

def test_the_public_chat_cannot_ask_for_staff_answers(stack: RealStack) -> None:
    sender = uuid.uuid4().hex
    assert chat(stack, "/i_am_staff", sender).status == 400
    # "I'm a ward nurse" is understood (the assistant may say so), yet the answers stay the family ones.
    chat(stack, "I'm a ward nurse", sender)
    family = "\n\n".join(m.get("text", "") for m in chat(stack, "what does pathway 1 mean", sender).json()["messages"])
    assert "Pathway 1 means going home with some help" in family


def test_a_sender_id_with_a_trailing_new_line_is_refused(stack: RealStack) -> None:
    assert chat(stack, "hello", sender=uuid.uuid4().hex + "\n").status == 400


# ---- the gateway's responses ------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/no-such-page", 404),
    ("GET", "/api/chat", 405),
    ("GET", "/console/directory", 302),
    ("POST", "/console/api/chat", 401),
    ("POST", "/console/sign-in", 403),
])
def test_error_responses_carry_the_security_headers(stack: RealStack, method: str, path: str, status: int) -> None:
    reply = send(method, stack.gateway + path, "x=1" if method == "POST" else None,
                 {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {})
    assert reply.status == status
    for header, value in SECURITY_HEADERS.items():
        assert reply.headers.get(header.lower()) == value, (path, header)


def test_an_oversized_body_is_refused_with_the_headers(stack: RealStack) -> None:
    reply = send("POST", f"{stack.gateway}/api/updates", "{" + " " * 20_000 + "}", {"Content-Type": "application/json"})
    assert reply.status == 413 and reply.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{38280}", "127.0.0.1.nip.io"])
def test_the_gateway_refuses_hosts_it_does_not_serve(stack: RealStack, host: str) -> None:
    assert chat(stack, "hello", Host=host).status == 421


async def _sign_in_attempts(stack: RealStack, count: int) -> list[int]:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:  # cookies for 127.0.0.1
        async with session.get(f"{stack.gateway}/console/sign-in") as page:
            token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text()).group(1)

        async def attempt() -> int:
            form = {"csrf_token": token, "username": STAFF_USER, "password": "not the password", "next": ""}
            async with session.post(f"{stack.gateway}/console/sign-in", data=form, allow_redirects=False) as reply:
                return reply.status

        return await asyncio.gather(*(attempt() for _ in range(count)))


def test_wrong_passwords_sent_at_once_are_limited(stack: RealStack) -> None:
    statuses = asyncio.run(_sign_in_attempts(stack, 10))
    assert statuses.count(401) == 5 and statuses.count(429) == 5, statuses


def test_the_real_user_can_still_sign_in_from_elsewhere(stack: RealStack) -> None:
    # The guesses above came from 127.0.0.1; the limit per name and address does not lock the name.
    # (One machine has one address, so "elsewhere" here is the name's looser shared count: not yet reached.)
    async def sign_in() -> int:
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:  # cookies for 127.0.0.1
            async with session.get(f"{stack.gateway}/console/sign-in") as page:
                token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text()).group(1)
            form = {"csrf_token": token, "username": "someone.else", "password": STAFF_PASSWORD, "next": ""}
            async with session.post(f"{stack.gateway}/console/sign-in", data=form, allow_redirects=False) as reply:
                return reply.status

    assert asyncio.run(sign_in()) == 401, "another name from the same address is still checked"


# ---- files ---------------------------------------------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_databases_and_secrets_are_private(stack: RealStack) -> None:
    for name in ("tracker.db", "directory.db"):
        assert _mode(stack.folder / name) == 0o600, name
    var = ROOT / "var"
    assert _mode(var) == 0o700
    for path in var.iterdir():
        if path.is_file():
            assert _mode(path) == 0o600, path


# ---- last: nothing typed reached any log ---------------------------------------------------------------------

HOSTILE = [
    f"{CANARY} I want to end my life\ud800",
    f"{CANARY}\u0000\u001b[31m red \u202e reversed",
    f"<script>{CANARY}</script>",
    f"{CANARY} my NHS number is 943 476 5919",
    f"{CANARY} " + "very long " * 180,
    f"/{CANARY}{{\"x\": \"\ud800\"}}",
    f"{CANARY} mum can't breathe",
]


def test_nothing_typed_reaches_any_log(stack: RealStack) -> None:
    for message in HOSTILE:
        chat(stack, message)
    send("POST", stack.rasa + RASA_WEBHOOK_PATH, {"sender": uuid.uuid4().hex, "message": CANARY},
         channel_headers(stack.rasa_token))
    asyncio.run(asyncio.sleep(2))  # let the services flush
    logs = stack.log_text()
    assert CANARY not in logs.lower()
    assert "943 476 5919" not in logs
