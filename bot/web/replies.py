"""What the page may show of Rasa's output: text, buttons and whether a message is an answer.

Used both for live replies (Rasa's REST channel) and for the transcript rebuilt from Rasa's tracker
after a page reload, so both look the same to the page. The page shows every field as text.
"""

from __future__ import annotations

import re
from typing import Any

# Every knowledge answer ends with the line bot.knowledge.render.source_line makes:
# "Source: <documents>. Last checked <date>." Those messages get "Was this helpful?".
SOURCE_LINE = re.compile(r"(?:^|\n)Source: [^\n]+\. Last checked [^\n]+\.\s*\Z")
MAX_SHOWN_CHARS = 200


def is_answer(text: str) -> bool:
    return bool(SOURCE_LINE.search(text))


def clean_reply(reply: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the page renders, as plain strings."""
    cleaned: dict[str, Any] = {}
    text = reply.get("text")
    if isinstance(text, str) and text:
        cleaned["text"] = text
        if is_answer(text):
            cleaned["answer"] = True
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in reply.get("buttons") or []
        if isinstance(b, dict)
    ]
    if buttons:
        cleaned["buttons"] = buttons
    return cleaned


def _user_turn(event: dict[str, Any]) -> dict[str, Any] | None:
    text = event.get("text")
    if not isinstance(text, str) or not text:
        return None
    metadata = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
    shown = metadata.get("shown")
    turn: dict[str, Any] = {"from": "user", "text": shown if isinstance(shown, str) and shown else text}
    if isinstance(metadata.get("client_message_id"), str):
        turn["client_message_id"] = metadata["client_message_id"]
    return turn


def transcript_from_tracker(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation since the last restart, as the page shows it: user and bot turns in order."""
    turns: list[dict[str, Any]] = []
    for event in tracker.get("events") or []:
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        if kind == "restart":
            turns.clear()
        elif kind == "user":
            turn = _user_turn(event)
            if turn:
                turns.append(turn)
        elif kind == "bot":
            turns.extend({"from": "bot", **reply} for reply in _bot_replies(event))
    return turns


def _bot_replies(event: dict[str, Any]) -> list[dict[str, Any]]:
    """A bot event as the page received it live: Rasa's REST channel sends a reply without
    buttons as one message per paragraph, and a reply with buttons whole."""
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    text, buttons = event.get("text"), data.get("buttons")
    parts = text.strip().split("\n\n") if isinstance(text, str) and not buttons else [text]
    return [cleaned for part in parts if (cleaned := clean_reply({"text": part, "buttons": buttons}))]
