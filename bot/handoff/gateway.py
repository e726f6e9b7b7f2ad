"""The gateway's side of handoff: what /api/chat does in human mode, and the widget's handoff API.

bot/web/app.py calls the hooks of the HandoffGateway it finds under HANDOFF_KEY:
- before_relay: in human mode, keep the message for staff and do NOT send it to Rasa;
- on_replies: Rasa's action_request_human replied {"handoff": "requested"}: queue the conversation;
- state_for: the handoff state the widget shows with every reply;
- reach_person_without_rasa: "Talk to a person" still works when Rasa or the action server is down;
- transcript: the assistant's and the person's turns together, for a reloaded page.
If the handoff database is down, chatting with the assistant carries on as if there were no handoff.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from bot.handoff import messages as say
from bot.handoff.models import MAX_ID
from bot.handoff.service import Availability, HandoffService, HandoffUnavailable
from bot.handoff.store import Handoff

HUMAN_PAYLOAD = "/request_human"
REQUESTED = "requested"
SENDER_ID = re.compile(r"[A-Za-z0-9_-]{32,64}")  # fullmatch; the widget's long random id (short ones could be guessed)


def _handoff_request(reply: dict[str, Any]) -> dict[str, Any] | None:
    custom = reply.get("custom")
    if isinstance(custom, dict) and custom.get("handoff") == REQUESTED:
        return custom
    return None


class HandoffGateway:
    def __init__(self) -> None:
        self.service: HandoffService | None = None  # set at start-up, once the database is known

    async def before_relay(self, sender_id: str, message: str, client_message_id: str | None) -> dict | None:
        """The response for a message sent in human mode, or None to relay it to Rasa as usual."""
        if self.service is None:
            return None
        try:
            handoff = await self.service.open_for(sender_id)
            if handoff is None:
                return None
            if message == HUMAN_PAYLOAD:
                replies = [{"text": say.QUEUED_NOTICE if handoff.state == "queued" else say.STILL_WAITING}]
            else:
                replies = await self.service.user_message(handoff, message, client_message_id)
        except HandoffUnavailable:
            return None
        return {"messages": replies, "handoff": self.service.state(handoff)}

    async def on_replies(self, sender_id: str, replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Acts on a handoff request in Rasa's replies; if nobody can take it, says so instead of 'passing you on'."""
        requests = [custom for custom in map(_handoff_request, replies) if custom]
        if not requests:
            return replies
        area = requests[0].get("area") if isinstance(requests[0].get("area"), str) else None
        handoff, availability = await self._request(sender_id, area)
        kept = [r for r in replies if not _handoff_request(r)]
        if handoff is not None:
            return kept
        sorry = {"text": say.nobody_available(availability.reason, area, availability.hours)}
        return [sorry if r.get("text") == say.PASSING_ON else r for r in kept]

    async def _request(self, sender_id: str, area: str | None) -> tuple[Handoff | None, Availability]:
        if self.service is None:
            return None, Availability(False, say.UNAVAILABLE, None)
        return await self.service.request(sender_id, area)

    async def reach_person_without_rasa(self, sender_id: str) -> list[dict[str, str]]:
        """'Talk to a person' when the assistant can't answer: the gateway queues the user itself."""
        handoff, availability = await self._request(sender_id, None)
        if handoff is not None:
            return [{"text": say.PASSING_ON}]
        return [{"text": say.nobody_available(availability.reason, None, availability.hours)}]

    async def state_for(self, sender_id: str) -> dict[str, Any] | None:
        if self.service is None:
            return None
        try:
            return self.service.state(await self.service.open_for(sender_id))
        except HandoffUnavailable:
            return None

    async def transcript(self, sender_id: str, tracker: dict[str, Any] | None) -> list[dict[str, Any]] | None:
        """The merged transcript, or None when there is nothing from a person (the caller keeps Rasa's)."""
        if self.service is None:
            return None
        from bot.handoff.transcript import merged_transcript

        try:
            found = await self.service.messages_for_sender(sender_id)
        except HandoffUnavailable:
            return None
        return merged_transcript(tracker, found) if found else None


HANDOFF_KEY = web.AppKey("handoff", HandoffGateway)


# ---- the widget's handoff API ----------------------------------------------------------------


def _service(request: web.Request) -> HandoffService:
    service = request.app[HANDOFF_KEY].service
    if service is None:
        raise HandoffUnavailable
    return service


async def _body(request: web.Request) -> tuple[str, int] | web.Response:
    try:
        body = await request.json()
    except (ValueError, LookupError, RecursionError):  # LookupError: unknown charset; RecursionError: deep nesting
        return web.json_response({"error": "The request was not valid JSON."}, status=400)
    sender_id = body.get("sender_id") if isinstance(body, dict) else None
    after = body.get("after", 0) if isinstance(body, dict) else 0
    if not isinstance(sender_id, str) or not SENDER_ID.fullmatch(sender_id):
        return web.json_response({"error": "sender_id must be 32 to 64 letters, digits, '-' or '_'."}, status=400)
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
        return web.json_response({"error": f"after must be a whole number from 0 to {MAX_ID}."}, status=400)
    return sender_id, after


UPDATES_UNAVAILABLE = "Messages from the helpline team can't be loaded right now. We'll keep trying."


async def updates(request: web.Request) -> web.Response:
    """POST {"sender_id", "after"}: staff replies and notices newer than `after`, and the handoff state."""
    parsed = await _body(request)
    if isinstance(parsed, web.Response):
        return parsed
    try:
        return web.json_response(await _service(request).updates(*parsed))
    except HandoffUnavailable:
        return web.json_response({"error": UPDATES_UNAVAILABLE}, status=503)


async def leave(request: web.Request) -> web.Response:
    """POST {"sender_id", "after"}: the user stops waiting for (or talking to) a person."""
    parsed = await _body(request)
    if isinstance(parsed, web.Response):
        return parsed
    try:
        service = _service(request)
        await service.leave(parsed[0])
        return web.json_response(await service.updates(*parsed))
    except HandoffUnavailable:
        return web.json_response({"error": UPDATES_UNAVAILABLE}, status=503)


async def availability(request: web.Request) -> web.Response:
    """GET: whether a person can take a chat now (for the action server; says nothing about anyone)."""
    service = request.app[HANDOFF_KEY].service
    if service is None:
        return web.json_response({"available": False, "reason": say.UNAVAILABLE, "hours": None})
    return web.json_response((await service.availability()).as_json())


def add_widget_routes(app: web.Application) -> None:
    app.router.add_post("/api/updates", updates)
    app.router.add_post("/api/handoff/leave", leave)
    app.router.add_get("/api/handoff/availability", availability)
