"""'Was this helpful?' answers: checked, then appended to a JSON-lines file. Never any message text.

A record says which conversation and which message (so a reviewer can find the answer in the tracker)
and yes or no. Storing no text means this file never holds what a person typed or was told.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

SENDER_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")  # matched with fullmatch: "$" also takes a trailing new line
# Message ids are made by the page: "<client message id>-<n>" (see static/widget.js).
MESSAGE_ID = re.compile(r"[A-Za-z0-9_-]{1,80}")


@dataclass(frozen=True)
class Feedback:
    sender_id: str
    message_id: str
    helpful: bool
    at: str


def parse_feedback(body: Any, now: dt.datetime | None = None) -> Feedback | str:
    """The feedback, or a message saying what is wrong with the request."""
    if not isinstance(body, dict):
        return "Send a JSON object with sender_id, message_id and helpful."
    sender_id, message_id, helpful = body.get("sender_id"), body.get("message_id"), body.get("helpful")
    if not isinstance(sender_id, str) or not SENDER_ID.fullmatch(sender_id):
        return "sender_id must be 8 to 64 letters, digits, '-' or '_'."
    if not isinstance(message_id, str) or not MESSAGE_ID.fullmatch(message_id):
        return "message_id must be 1 to 80 letters, digits, '-' or '_'."
    if not isinstance(helpful, bool):
        return "helpful must be true or false."
    at = (now or dt.datetime.now(dt.timezone.utc)).isoformat(timespec="seconds")
    return Feedback(sender_id=sender_id, message_id=message_id, helpful=helpful, at=at)


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = path
        self._lock = asyncio.Lock()

    def _append(self, line: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")

    async def add(self, feedback: Feedback) -> None:
        line = json.dumps(asdict(feedback), sort_keys=True)
        async with self._lock:
            await asyncio.to_thread(self._append, line)

    def read_all(self) -> list[Feedback]:
        if not self.path.exists():
            return []
        with self.path.open(encoding="utf-8") as file:
            return [Feedback(**json.loads(line)) for line in file if line.strip()]
