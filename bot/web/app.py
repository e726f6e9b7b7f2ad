"""Web gateway routes. One origin for the browser; Rasa stays on localhost behind it."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.settings import Settings

STATIC_DIR = Path(__file__).parent / "static"
MAX_MESSAGE_CHARS = 2000
MAX_BODY_BYTES = 16 * 1024
SENDER_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
RASA_TIMEOUT = aiohttp.ClientTimeout(total=30)
SETTINGS_KEY = web.AppKey("settings", Settings)
CLIENT_KEY = web.AppKey("client", aiohttp.ClientSession)
UNAVAILABLE = (
    "Sorry, the assistant isn't available right now. Please try again in a few minutes. "
    "If you need help now, contact the hospital ward team, or call NHS 111. In an emergency, call 999."
)
log = logging.getLogger(__name__)

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


@web.middleware
async def security_headers(request: web.Request, handler) -> web.StreamResponse:
    response = await handler(request)
    response.headers.update(SECURITY_HEADERS)
    return response


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(STATIC_DIR / "index.html")


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def chat(request: web.Request) -> web.Response:
    """Relays one user message to Rasa; returns the assistant's replies as JSON."""
    if request.content_length and request.content_length > MAX_BODY_BYTES:
        return _error(413, "That message is too long. Please send it in shorter parts.")
    try:
        body = await request.json()
    except ValueError:
        return _error(400, "The request was not valid JSON.")
    if not isinstance(body, dict):
        return _error(400, "Send a JSON object with sender_id and message.")
    sender_id, message = body.get("sender_id"), body.get("message")
    if not isinstance(sender_id, str) or not SENDER_ID.match(sender_id):
        return _error(400, "sender_id must be 8 to 64 letters, digits, '-' or '_'.")
    if not isinstance(message, str) or not message.strip():
        return _error(400, "Please type a message.")
    if len(message) > MAX_MESSAGE_CHARS:
        return _error(413, f"Please keep messages under {MAX_MESSAGE_CHARS} characters.")
    settings = request.app[SETTINGS_KEY]
    payload = {"sender": sender_id, "message": message, "metadata": {"audience": "family"}}
    headers = {}
    params = {"token": settings.rasa_auth_token} if settings.rasa_auth_token else {}
    try:
        async with request.app[CLIENT_KEY].post(
            f"{settings.rasa_url}/webhooks/rest/webhook", json=payload, params=params,
            headers=headers, timeout=RASA_TIMEOUT,
        ) as response:
            response.raise_for_status()
            replies = await response.json()
    except (aiohttp.ClientError, TimeoutError) as error:
        # Never log message text: only what failed.
        log.warning("Rasa request failed: %s", type(error).__name__)
        return web.json_response({"messages": [{"text": UNAVAILABLE}], "degraded": True}, status=503)
    return web.json_response({"messages": [_clean(r) for r in replies if isinstance(r, dict)]})


def _clean(reply: dict) -> dict:
    """Only the fields the page renders; the page shows them as text, never HTML."""
    cleaned: dict = {}
    if isinstance(reply.get("text"), str):
        cleaned["text"] = reply["text"]
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in reply.get("buttons") or []
        if isinstance(b, dict)
    ]
    if buttons:
        cleaned["buttons"] = buttons
    return cleaned


async def _client_context(app: web.Application):
    app[CLIENT_KEY] = aiohttp.ClientSession()
    yield
    await app[CLIENT_KEY].close()


def create_app(settings: Settings) -> web.Application:
    app = web.Application(middlewares=[security_headers], client_max_size=MAX_BODY_BYTES)
    app[SETTINGS_KEY] = settings
    app.cleanup_ctx.append(_client_context)
    app.router.add_get("/", index)
    app.router.add_get("/healthz", healthz)
    app.router.add_post("/api/chat", chat)
    app.router.add_static("/static/", STATIC_DIR)
    return app
