"""One transcript from two records: Rasa's tracker (the assistant's part) and the handoff store (the person's).

Used when the widget reloads (so a staff member's replies are not lost from the page) and on the
staff conversation page (so staff see what was said before the user asked for a person).
"""

from __future__ import annotations

from datetime import timezone
from typing import Any

from bot.handoff import messages as say
from bot.handoff.models import STAFF, USER
from bot.handoff.store import Message
from bot.web.replies import assistant_turns


def _assistant_turns(tracker: dict[str, Any]) -> list[tuple[float, dict[str, Any]]]:
    """(timestamp, turn) for each user and bot turn since the last restart, as the page shows them."""
    return [
        (float(stamp) if isinstance(stamp := event.get("timestamp"), int | float) else 0.0, turn)
        for event, turn in assistant_turns(tracker)
    ]


def handoff_turn(message: Message) -> dict[str, Any]:
    if message.author == USER:
        turn: dict[str, Any] = {"from": "user", "text": message.text}
        if message.client_message_id:
            turn["client_message_id"] = message.client_message_id
        return turn
    turn = {"from": message.author, "id": f"h-{message.id}", "text": message.text}
    if message.author == STAFF:
        turn["name"] = say.talking_to(message.staff_name)
    return turn


def merged_transcript(tracker: dict[str, Any] | None, handoff_messages: list[Message]) -> list[dict[str, Any]]:
    """Assistant and handoff turns in time order (ties: the assistant's first, as it spoke before handing over)."""
    timed = [(stamp, 0, index, turn) for index, (stamp, turn) in enumerate(_assistant_turns(tracker or {}))]
    for index, message in enumerate(handoff_messages):
        stamp = message.at.replace(tzinfo=timezone.utc).timestamp()
        timed.append((stamp, 1, index, handoff_turn(message)))
    return [turn for *_, turn in sorted(timed, key=lambda item: item[:3])]
