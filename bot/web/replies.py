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
LISTEN_ACTION = "action_listen"


def is_answer(text: str) -> bool:
    return bool(SOURCE_LINE.search(text))


def clean_reply(reply: dict[str, Any]) -> dict[str, Any]:
    """Only the fields the page renders, and only when they are of the type it renders.

    Text is a non-empty string; buttons a list of {"title": str, "payload": str}. Anything else (a
    stored event edited by hand, say) is left out rather than turned into text or a server error.
    """
    cleaned: dict[str, Any] = {}
    text = reply.get("text")
    if isinstance(text, str) and text:
        cleaned["text"] = text
        if is_answer(text):
            cleaned["answer"] = True
    raw_buttons = reply.get("buttons")
    buttons = [
        {"title": b["title"], "payload": b["payload"]}
        for b in (raw_buttons if isinstance(raw_buttons, list) else [])
        if isinstance(b, dict) and isinstance(b.get("title"), str) and isinstance(b.get("payload"), str)
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


def assistant_turns(tracker: dict[str, Any]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(event, turn) for each turn the page shows since the last restart, in order.

    A bot event is shown only when an action said it: Rasa records an action (ActionExecuted) and
    then what it said. Anything else in the tracker (a bot event appended through Rasa's HTTP API,
    after the user's message or after action_listen) is never presented as the assistant's words.
    """
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = []
    action_speaking = False
    for event in tracker.get("events") or []:
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        if kind == "restart":
            pairs.clear()
            action_speaking = False
        elif kind == "rewind":  # the user's latest message was taken back (UserUtteranceReverted)
            users = [i for i, (_event, turn) in enumerate(pairs) if turn["from"] == "user"]
            del pairs[users[-1] if users else len(pairs):]
            action_speaking = False
        elif kind == "user":
            action_speaking = False
            turn = _user_turn(event)
            if turn:
                pairs.append((event, turn))
        elif kind == "action":
            action_speaking = isinstance(event.get("name"), str) and event["name"] != LISTEN_ACTION
        elif kind == "bot" and action_speaking:
            pairs.extend((event, {"from": "bot", **reply}) for reply in _bot_replies(event))
    return pairs


def transcript_from_tracker(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """The conversation since the last restart, as the page shows it: user and bot turns in order."""
    return [turn for _event, turn in assistant_turns(tracker)]


def _bot_replies(event: dict[str, Any]) -> list[dict[str, Any]]:
    """A bot event as the page received it live: Rasa's REST channel sends a reply without
    buttons as one message per paragraph, and a reply with buttons whole."""
    data = event.get("data") if isinstance(event.get("data"), dict) else {}
    text, buttons = event.get("text"), data.get("buttons")
    parts = text.strip().split("\n\n") if isinstance(text, str) and not isinstance(buttons, list) else [text]
    return [cleaned for part in parts if (cleaned := clean_reply({"text": part, "buttons": buttons}))]
