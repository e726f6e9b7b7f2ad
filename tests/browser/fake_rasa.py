"""A stand-in for Rasa's REST channel and tracker API, so the browser tests need no trained model.

It imitates what the gateway uses: `POST /webhooks/homeward/webhook` (bot/rasa_channel.py) (replies as a list of
{"recipient_id", "text", "buttons"}), `GET /conversations/<id>/tracker` (events: user with metadata,
bot with data.buttons, restart) and `GET /` (health). It keeps every message it received so tests can
check that a retried message reached "Rasa" once. The replies are test text, not Homeward content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.settings import RASA_WEBHOOK_PATH

XSS_TEXT = (
    '<img src=x onerror="window.__xss=1"> <script>window.__xss=2</script> '
    "javascript:window.__xss=3 see https://example.org/page?a=1&b=2. "
    'and https://example.org/x"><img src=x onerror="window.__xss=4">'
)
XSS_BUTTON = '<b onmouseover="window.__xss=5">bold?</b>'
ANSWER_TEXT = (
    "This is a test answer about paying for care.\n\n"
    "Source: Test document, Test publisher, 2026. Last checked 1 November 2026."
)


def reply_for(message: str) -> list[dict[str, Any]]:
    """Scripted replies: what the browser tests click through."""
    if message.lower() in ("hello", "hi"):
        return [{
            "text": "Hello, this is the test assistant. What would you like to know?",
            "buttons": [
                {"title": "Who pays for care", "payload": "/ask_who_pays"},
                {"title": "Something else", "payload": "/ask_other"},
            ],
        }]
    if message == "/ask_who_pays":
        return [{"text": ANSWER_TEXT}]
    if message == "/request_human":
        return [{"text": "Test reply: you asked to talk to a person."}]
    if message == "xss":
        return [{"text": XSS_TEXT, "buttons": [{"title": XSS_BUTTON, "payload": "/ask_other"}]}]
    return [{"text": f"Test reply to: {message}"}]


def _as_sent(reply: dict[str, Any]) -> list[dict[str, Any]]:
    """What Rasa's REST channel sends for a reply: one message per paragraph without buttons."""
    if reply.get("buttons"):
        return [reply]
    return [{"text": part} for part in reply["text"].strip().split("\n\n")]


@dataclass
class FakeRasa:
    token: str | None = None
    received: list[dict[str, Any]] = field(default_factory=list)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    fail_next: int = 0  # answer this many webhook calls with HTTP 500, as a Rasa in trouble would

    def texts_received(self) -> list[str]:
        return [m["message"] for m in self.received]

    def _authorised(self, request: web.Request) -> bool:
        return self.token is None or request.query.get("token") == self.token

    async def health(self, request: web.Request) -> web.Response:
        return web.Response(text="Hello from Rasa: 3.6.21 (fake)")

    async def webhook(self, request: web.Request) -> web.Response:
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"error": "test failure"}, status=500)
        body = await request.json()
        self.received.append(body)
        sender = body["sender"]
        replies = reply_for(body["message"])
        events = self.events.setdefault(sender, [])
        events.append({"event": "user", "text": body["message"], "metadata": body.get("metadata") or {}})
        events.append({"event": "action", "name": "action_fake_reply"})  # as Rasa logs an action, then its words
        for reply in replies:
            events.append({"event": "bot", "text": reply.get("text"), "data": {"buttons": reply.get("buttons")}})
        return web.json_response([{"recipient_id": sender, **part} for reply in replies for part in _as_sent(reply)])

    async def tracker(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"message": "User is not authenticated."}, status=401)
        sender = request.match_info["sender"]
        return web.json_response({"sender_id": sender, "events": list(self.events.get(sender, []))})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self.health)
        app.router.add_post(RASA_WEBHOOK_PATH, self.webhook)
        app.router.add_get("/conversations/{sender}/tracker", self.tracker)
        return app
