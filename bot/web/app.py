"""Web gateway routes. One origin for the browser; Rasa stays on localhost behind it."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.handoff import messages as handoff_messages  # issue 5: handoff and failures
from bot.handoff.config import rasa_timeout_seconds
from bot.handoff.gateway import HANDOFF_KEY, HUMAN_PAYLOAD
from bot.handoff.web import setup_handoff
from bot.safety.offline import offline_replies, warm_up
from bot.settings import LOOPBACK_HOSTS, RASA_WEBHOOK_PATH, Settings, channel_headers
from bot.text_input import clean_text
from bot.web.config import WebSettings
from bot.web.console import ConsoleSettings, setup_console
from bot.web.cors import cors_middleware
from bot.web.dedupe import OnceCache
from bot.web.feedback import FeedbackStore, parse_feedback
from bot.web.oruk import setup_oruk
from bot.web.rate_limit import rate_limit_middleware
from bot.web.replies import MAX_SHOWN_CHARS, clean_reply, transcript_from_tracker
from bot.web.security import host_check_middleware, security_headers
from bot.web.stuck import RECOVERED_NOTICE, UNSTICK_EVENTS, is_stuck

STATIC_DIR = Path(__file__).parent / "static"
MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 16 * 1024
# Matched with fullmatch: "$" would also take a trailing new line.
SENDER_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
# Reading a transcript back needs the long random id the widget makes: a short one could be guessed.
TRANSCRIPT_SENDER_ID = re.compile(r"[A-Za-z0-9_-]{32,64}")
CLIENT_MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
# Intents that switch the conversation to staff answers. Typed as a command ("/i_am_staff") in the
# public chat they are refused: the staff audience is only for the signed-in console.
STAFF_ONLY_INTENTS = frozenset({"i_am_staff"})
STAFF_ONLY = "Staff answers are only given in the staff console. Please type your question in words."
RASA_TIMEOUT_KEY = web.AppKey("rasa_timeout", aiohttp.ClientTimeout)  # HOMEWARD_RASA_TIMEOUT_SECONDS
SETTINGS_KEY = web.AppKey("settings", Settings)
WEB_SETTINGS_KEY = web.AppKey("web_settings", WebSettings)
CLIENT_KEY = web.AppKey("client", aiohttp.ClientSession)
REPLIES_KEY = web.AppKey("replies", OnceCache)
FEEDBACK_KEY = web.AppKey("feedback", FeedbackStore)
UNAVAILABLE = (
    "Sorry, the assistant isn't available right now. Please try again in a few minutes. "
    "If you need help now, contact the hospital ward team, or call NHS 111. In an emergency, call 999."
)
log = logging.getLogger(__name__)

class RasaUnavailable(Exception):
    """Rasa did not answer, or answered with an error."""


class RasaTimedOut(RasaUnavailable):
    """Rasa took longer than the gateway's timeout (it may still be working on the message)."""


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def _page(name: str):
    async def handler(request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / name)

    return handler


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def _json_body(request: web.Request) -> Any:
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        raise web.HTTPRequestEntityTooLarge(max_size=MAX_BODY_BYTES, actual_size=request.content_length)
    try:
        return await request.json()
    except (LookupError, RecursionError) as error:  # issue 5 (fuzzing): unknown charset; JSON nested too deep
        raise ValueError("not valid JSON") from error


async def _rasa(
    request: web.Request, method: str, path: str, query: dict[str, str] | None = None, json: Any = None
) -> Any:
    """Calls Rasa with the token (which the browser never sees); raises RasaUnavailable on any failure."""
    settings = request.app[SETTINGS_KEY]
    params = dict(query or {})
    if settings.rasa_auth_token:  # Rasa's HTTP API reads it from the query; our channel from a header
        params["token"] = settings.rasa_auth_token
    try:
        async with request.app[CLIENT_KEY].request(
            method, f"{settings.rasa_url}{path}", params=params, json=json, timeout=request.app[RASA_TIMEOUT_KEY],
            headers=channel_headers(settings.rasa_auth_token),
        ) as response:
            response.raise_for_status()
            return await response.json()
    except asyncio.TimeoutError as error:  # on Python 3.10 not a TimeoutError, and not a ClientError either
        log.warning("Rasa request %s %s timed out", method, path.split("/")[1])
        raise RasaTimedOut from error
    except (aiohttp.ClientError, ValueError) as error:
        # Never log message text: only what failed.
        log.warning("Rasa request %s %s failed: %s", method, path.split("/")[1], type(error).__name__)
        raise RasaUnavailable from error


async def _relay(request: web.Request, payload: dict[str, Any]) -> list[dict[str, Any]]:
    replies = await _send_to_rasa(request, payload)
    if not any(r.get("text") or r.get("buttons") for r in replies) and await _unstick(request, payload["sender"]):
        # The conversation was stuck (see bot/web/stuck.py): freed, so the same message is answered now.
        replies = [{"text": RECOVERED_NOTICE}, *await _send_to_rasa(request, payload)]
    if HANDOFF_KEY in request.app:  # issue 5: Rasa asked to pass the user to a person
        replies = await request.app[HANDOFF_KEY].on_replies(payload["sender"], replies)
    return [clean_reply(r) for r in replies]


async def _send_to_rasa(request: web.Request, payload: dict[str, Any]) -> list[dict[str, Any]]:
    replies = await _rasa(request, "POST", RASA_WEBHOOK_PATH, json=payload)
    if not isinstance(replies, list):
        raise RasaUnavailable
    return [r for r in replies if isinstance(r, dict)]


async def _unstick(request: web.Request, sender_id: str) -> bool:
    """If Rasa's circuit breaker has left this conversation unable to answer, end the stuck turn."""
    try:
        tracker = await _rasa(request, "GET", f"/conversations/{sender_id}/tracker", query={"include_events": "ALL"})
        if not is_stuck(tracker):
            return False
        log.warning("A conversation was stuck after Rasa's circuit breaker; ending the stuck turn.")
        await _rasa(request, "POST", f"/conversations/{sender_id}/tracker/events", json=UNSTICK_EVENTS)
    except RasaUnavailable:  # cannot tell or cannot fix: the caller says something went wrong
        return False
    return True


def command_intent(message: str) -> str | None:
    """The intent a message names as a command ("/help{...}" -> "help"), as Rasa reads it; else None."""
    text = message.strip()
    if not text.startswith("/"):
        return None
    return text[1:].split("{", 1)[0].split("@", 1)[0].strip()


async def chat(request: web.Request) -> web.Response:
    """The public chat: always the family audience, whatever the request says."""
    return await relay_chat(request, audience="family", refused_intents=STAFF_ONLY_INTENTS)


async def relay_chat(
    request: web.Request, audience: str, refused_intents: frozenset[str] = frozenset()
) -> web.Response:
    """Relays one user message to Rasa as ``audience``; returns the assistant's replies as JSON.

    Only the gateway chooses the audience: the public route passes "family" (and refuses the
    commands in ``refused_intents``, such as "/i_am_staff"); the staff console's route
    (bot/web/console/chat.py) passes "staff" after checking the staff session and CSRF token.

    With a client_message_id, a retried message gets the first attempt's replies instead of
    reaching Rasa twice. `shown` is what the page displayed for a button payload, kept in the
    message metadata so a transcript rebuilt after a reload shows the same words.
    """
    try:
        body = await _json_body(request)
    except web.HTTPRequestEntityTooLarge:
        return _error(413, "That message is too long. Please send it in shorter parts.")
    except ValueError:
        return _error(400, "The request was not valid JSON.")
    if not isinstance(body, dict):
        return _error(400, "Send a JSON object with sender_id and message.")
    sender_id, message = body.get("sender_id"), body.get("message")
    client_message_id, shown = body.get("client_message_id"), body.get("shown")
    if not isinstance(sender_id, str) or not SENDER_ID.fullmatch(sender_id):
        return _error(400, "sender_id must be 8 to 64 letters, digits, '-' or '_'.")
    # Cleaned once, here: Rasa, the red-flag check, the handoff store and the logs all get this text.
    message = clean_text(message) if isinstance(message, str) else None
    if not message or not message.strip():
        return _error(400, "Please type a message.")
    if len(message) > MAX_MESSAGE_CHARS:
        return _error(413, f"Please keep messages under {MAX_MESSAGE_CHARS} characters.")
    if client_message_id is not None and (
        not isinstance(client_message_id, str) or not CLIENT_MESSAGE_ID.fullmatch(client_message_id)
    ):
        return _error(400, "client_message_id must be 8 to 64 letters, digits, '-' or '_'.")
    if shown is not None and (not isinstance(shown, str) or len(shown) > MAX_SHOWN_CHARS):
        return _error(400, f"shown must be text of at most {MAX_SHOWN_CHARS} characters.")
    shown = clean_text(shown) if shown is not None else None
    if command_intent(message) in refused_intents:
        return _error(400, STAFF_ONLY)
    metadata: dict[str, Any] = {"audience": audience}
    if client_message_id:
        metadata["client_message_id"] = client_message_id
    if shown and shown != message:
        metadata["shown"] = shown
    payload = {"sender": sender_id, "message": message, "metadata": metadata}
    # ---- issue 5: in human mode the message is kept for staff and Rasa stays quiet ----
    handoff = request.app.get(HANDOFF_KEY)
    if handoff is not None:
        kept = await handoff.before_relay(sender_id, shown or message, client_message_id)
        if kept is not None:
            return web.json_response(kept)
    try:
        if client_message_id:
            messages = await request.app[REPLIES_KEY].run_once(
                (sender_id, client_message_id), lambda: _relay(request, payload)
            )
        else:
            messages = await _relay(request, payload)
    except RasaUnavailable as failure:
        if handoff is not None and message == HUMAN_PAYLOAD:  # a person can still be reached
            reached = await handoff.reach_person_without_rasa(sender_id)
            return web.json_response(await _with_handoff_state(request, sender_id, {"messages": reached}))
        if isinstance(failure, RasaTimedOut):  # not retried: Rasa may still answer the first attempt
            replies = await _red_flag_first(message, audience, handoff_messages.TIMED_OUT)
            return web.json_response({"messages": replies, "degraded": True})
        replies = await _red_flag_first(message, audience, UNAVAILABLE)
        return web.json_response({"messages": replies, "degraded": True}, status=503)
    if not any(m.get("text") or m.get("buttons") for m in messages):
        # Rasa said nothing: e.g. the action server is down (Rasa logs it and stays silent). Never silence.
        if handoff is not None and message == HUMAN_PAYLOAD:
            messages = await handoff.reach_person_without_rasa(sender_id)
        else:
            messages = await _red_flag_first(message, audience, handoff_messages.NO_REPLY)
        body = {"messages": messages, "degraded": True}
        return web.json_response(await _with_handoff_state(request, sender_id, body))
    return web.json_response(await _with_handoff_state(request, sender_id, {"messages": messages}))


async def _red_flag_first(message: str, audience: str, notice: str) -> list[dict[str, str]]:
    """When Rasa cannot answer: the safety route first if the message has a red flag, then our notice.

    Red flags come first even when Rasa or the action server is down (bot/safety/offline.py needs
    neither). ``offline_replies`` returns nothing for ordinary messages or if detection fails.
    """
    route = await asyncio.to_thread(offline_replies, message, audience)
    return [*route, {"text": notice}]


async def _warm_red_flags(app: web.Application) -> None:
    # Loads the spaCy pipeline and trigger data in the background (not awaited: start-up stays fast),
    # so the first message during an outage does not wait for it.
    asyncio.get_running_loop().run_in_executor(None, warm_up)


async def _with_handoff_state(request: web.Request, sender_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Adds whether the user is now waiting for, or talking to, a person (issue 5)."""
    handoff = request.app.get(HANDOFF_KEY)
    state = await handoff.state_for(sender_id) if handoff is not None else None
    if state is not None and state["state"] != "none":
        body["handoff"] = state
    return body


async def transcript(request: web.Request) -> web.Response:
    """The conversation so far, rebuilt from Rasa's tracker, for a page that was reloaded."""
    try:
        body = await _json_body(request)
    except (ValueError, web.HTTPRequestEntityTooLarge):
        return _error(400, "The request was not valid JSON.")
    sender_id = body.get("sender_id") if isinstance(body, dict) else None
    if not isinstance(sender_id, str) or not TRANSCRIPT_SENDER_ID.fullmatch(sender_id):
        return _error(400, "sender_id must be 32 to 64 letters, digits, '-' or '_'.")
    try:
        tracker = await _rasa(
            request, "GET", f"/conversations/{sender_id}/tracker", query={"include_events": "AFTER_RESTART"}
        )
    except RasaUnavailable:
        return _error(503, "The conversation can't be loaded right now.")
    if not isinstance(tracker, dict):
        return _error(503, "The conversation can't be loaded right now.")
    handoff = request.app.get(HANDOFF_KEY)  # issue 5: with what was said to and by staff
    merged = await handoff.transcript(sender_id, tracker) if handoff is not None else None
    return web.json_response({"turns": merged if merged is not None else transcript_from_tracker(tracker)})


async def feedback(request: web.Request) -> web.Response:
    """Stores 'was this helpful?' as yes/no against a message id; never any message text."""
    try:
        body = await _json_body(request)
    except (ValueError, web.HTTPRequestEntityTooLarge):
        return _error(400, "The request was not valid JSON.")
    parsed = parse_feedback(body)
    if isinstance(parsed, str):
        return _error(400, parsed)
    await request.app[FEEDBACK_KEY].add(parsed)
    return web.json_response({"ok": True})


async def _client_context(app: web.Application):
    app[CLIENT_KEY] = aiohttp.ClientSession()
    yield
    await app[CLIENT_KEY].close()


def create_app(
    settings: Settings, web_settings: WebSettings | None = None, console_settings: ConsoleSettings | None = None
) -> web.Application:
    web_settings = web_settings or WebSettings.from_env()
    # Outermost first: every response, errors included, gets the security headers; an unknown Host
    # is refused before CORS, the rate limit or any handler sees the request.
    middlewares = [
        security_headers,
        host_check_middleware(LOOPBACK_HOSTS | {settings.gateway_host} | web_settings.public_hosts),
        cors_middleware(web_settings.allowed_origins),
    ]
    # ---- issue 5: per-client rate limit on POST /api/* (bot/web/rate_limit.py). After CORS, so an
    # allowed embedding page can read the 429; before every handler, so a refused body is never read.
    if web_settings.rate_limit is not None:
        middlewares.append(rate_limit_middleware(web_settings.rate_limit, web_settings.trust_proxy))
    # ---- end of rate limit
    app = web.Application(middlewares=middlewares, client_max_size=MAX_BODY_BYTES)
    app[SETTINGS_KEY] = settings
    app[WEB_SETTINGS_KEY] = web_settings
    app[REPLIES_KEY] = OnceCache(web_settings.dedupe_seconds)
    app[FEEDBACK_KEY] = FeedbackStore(web_settings.feedback_path)
    app[RASA_TIMEOUT_KEY] = aiohttp.ClientTimeout(total=rasa_timeout_seconds())
    app.cleanup_ctx.append(_client_context)
    app.on_startup.append(_warm_red_flags)
    app.router.add_get("/", _page("index.html"))
    app.router.add_get("/accessibility", _page("accessibility.html"))
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/api/chat", chat)
    app.router.add_post("/api/transcript", transcript)
    app.router.add_post("/api/feedback", feedback)
    app.router.add_static("/static/", STATIC_DIR)
    # ---- Staff features (sign-in, directory, staff chat; see docs/console.md). Settings from the
    # environment when not given; nothing touches the database until a console page is used.
    setup_console(app, console_settings)
    # Issue 5: the chat queue; uses the console's sign-in, and its database when one is given.
    setup_handoff(app, settings, database_url=console_settings.database_url if console_settings else None)
    # ---- end of staff features
    # The public, read-only Open Referral UK API over the same directory database.
    setup_oruk(app, console_settings.database_url if console_settings else None)
    return app
