"""A terminal chat with a running assistant, through Rasa's REST channel."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request

from bot.settings import RASA_WEBHOOK_PATH, Settings, channel_headers


def _send(settings: Settings, sender: str, message: str, audience: str) -> list[dict]:
    body = json.dumps({"sender": sender, "message": message, "metadata": {"audience": audience}}).encode()
    headers = {"Content-Type": "application/json", **channel_headers(settings.rasa_auth_token)}
    request = urllib.request.Request(f"{settings.rasa_url}{RASA_WEBHOOK_PATH}", data=body, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def chat(settings: Settings, audience: str) -> int:
    sender = f"cli-{secrets.token_hex(8)}"
    print("Homeward terminal chat. Type your message; buttons are numbered, type the number to pick one.")
    print("Type 'quit' to leave.\n")
    buttons: list[dict] = []
    while True:
        try:
            text = input("You: ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if text.lower() in ("quit", "exit"):
            return 0
        if not text:
            continue
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            text = buttons[int(text) - 1]["payload"]
        try:
            replies = _send(settings, sender, text, audience)
        except (urllib.error.URLError, OSError):
            print(f"Homeward: I can't reach the assistant at {settings.rasa_url}. Is ./scripts/start running?")
            continue
        buttons = []
        for reply in replies:
            if reply.get("text"):
                print(f"Homeward: {reply['text']}\n")
            for button in reply.get("buttons") or []:
                buttons.append(button)
                print(f"  [{len(buttons)}] {button['title']}")
        if buttons:
            print()
