"""Rasa's input channel for the web gateway and the terminal chat, in place of Rasa's REST channel.

Rasa's REST channel (`/webhooks/rest/webhook`) takes no token: any local process, or a web page
the user visits reaching 127.0.0.1 by DNS rebinding, could post messages as any conversation and
choose its metadata (the audience). This channel answers the same way, at RASA_WEBHOOK_PATH, and
only to a request that

- carries the Rasa token (RASA_AUTH_TOKEN, which the runner gives Rasa) in CHANNEL_TOKEN_HEADER;
- names a loopback host or Rasa's own (HOMEWARD_RASA_HOST) in its Host header;
- has no Origin header (the gateway and the terminal chat send none; browsers always do);
- is a small JSON object whose sender and message are text.

Text is cleaned (bot/text_input.py) before anything in Rasa sees it. In credentials.yml::

    bot.rasa_channel.GatewayInput:
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.settings import CHANNEL_TOKEN_HEADER, LOOPBACK_HOSTS, channel_headers
from bot.text_input import clean_text
from bot.web.security import host_name

CHANNEL_NAME = "homeward"
MAX_BODY_BYTES = 64 * 1024  # the gateway sends at most 2,000 characters and a little metadata


def _refused(status: int, reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=status)


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


class GatewayInput(RestInput):
    """RestInput behind a token, a Host and Origin check and a size limit."""

    def __init__(self, token: str, allowed_hosts: frozenset[str]) -> None:
        if not token:
            raise ValueError("The Homeward channel needs RASA_AUTH_TOKEN.")
        self._expected = channel_headers(token)[CHANNEL_TOKEN_HEADER].encode("utf-8")
        self._allowed_hosts = allowed_hosts

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GatewayInput:
        # The token comes from the environment, never from credentials.yml (a file in the repository).
        rasa_host = os.environ.get("HOMEWARD_RASA_HOST", "127.0.0.1").strip().lower()
        return cls(os.environ.get("RASA_AUTH_TOKEN", "").strip(), LOOPBACK_HOSTS | {rasa_host})

    def refusal(self, request: Request) -> HTTPResponse | None:
        """Why this request may not reach the assistant, or None if it may."""
        if host_name(request.headers.get("host", "")) not in self._allowed_hosts:
            return _refused(403, "Unknown host.")
        if "origin" in request.headers:
            return _refused(403, "Requests from web pages are not accepted.")
        given = request.headers.get(CHANNEL_TOKEN_HEADER, "").encode("utf-8")
        if not hmac.compare_digest(given, self._expected):
            return _refused(401, "Missing or wrong token.")
        if len(request.body or b"") > MAX_BODY_BYTES:
            return _refused(413, "The message is too long.")
        try:
            body = json.loads(request.body or b"")
        except ValueError:  # also text that is not UTF-8
            return _refused(400, "The body is not JSON.")
        if not isinstance(body, dict) or not isinstance(body.get("sender"), str) or not isinstance(
            body.get("message"), str
        ):
            return _refused(400, "Send a JSON object with sender and message as text.")
        return None

    def _extract_message(self, req: Request) -> str | None:
        return clean_text(req.json["message"])

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        metadata = request.json.get("metadata")
        return _cleaned(metadata) if isinstance(metadata, dict) else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)

        @blueprint.middleware("request")
        async def guard(request: Request) -> HTTPResponse | None:
            if request.method == "POST":  # GET / is Rasa's health check for the channel: no data
                return self.refusal(request)
            return None

        return blueprint
