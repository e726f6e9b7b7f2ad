"""The terminal chat reaches Rasa through the Homeward channel, with the token in a header (not the URL)."""

from __future__ import annotations

import io
import json
import urllib.request

from bot import chat_cli
from bot.settings import CHANNEL_TOKEN_HEADER, RASA_WEBHOOK_PATH, Settings


def test_a_message_goes_to_our_channel_with_the_token(monkeypatch) -> None:
    sent: list[urllib.request.Request] = []

    def urlopen(request: urllib.request.Request, timeout: float):
        sent.append(request)
        return io.BytesIO(json.dumps([{"text": "hi"}]).encode())

    monkeypatch.setattr(chat_cli.urllib.request, "urlopen", urlopen)
    replies = chat_cli._send(Settings(rasa_auth_token="t" * 40), "cli-1", "hello", "staff")
    assert replies == [{"text": "hi"}]
    (request,) = sent
    assert request.full_url == f"http://127.0.0.1:5005{RASA_WEBHOOK_PATH}"  # no token in the URL
    assert request.get_header(CHANNEL_TOKEN_HEADER.capitalize()) == f"Bearer {'t' * 40}"
    assert json.loads(request.data)["metadata"] == {"audience": "staff"}
