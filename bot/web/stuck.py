"""Recognising a conversation that Rasa will never answer again, so the gateway can free it.

Rasa's circuit breaker counts the actions since the conversation's last ``action_listen``, across
user messages. Once a turn has hit the limit without listening, every later message hits it at
once and gets no reply: the conversation is dead for good. Our dialogue never gets there (see
bot/dialogue/turn_guard.py), but a conversation stored by an older version, or a fault we have
not foreseen, could; the gateway then takes back the unanswered message, appends the missing
``action_listen`` and sends the message again.
"""

from __future__ import annotations

from typing import Any

# rasa.core.processor.MAX_NUMBER_OF_PREDICTIONS (Rasa 3.6 default; Homeward does not change it).
RASA_PREDICTION_LIMIT = 10
# Appended to free it: take back the unanswered message, end the stuck turn; then it is sent again.
UNSTICK_EVENTS: list[dict[str, Any]] = [{"event": "rewind"}, {"event": "action", "name": "action_listen"}]
RECOVERED_NOTICE = (
    "Sorry, this chat got stuck on an earlier message. I've sorted it out, and here is my answer."
)


def actions_since_listening(events: list[Any]) -> int:
    count = 0
    for event in reversed(events):
        if not isinstance(event, dict) or event.get("event") != "action":
            continue
        if event.get("name") in ("action_listen", "action_session_start"):
            break
        count += 1
    return count


def is_stuck(tracker: Any) -> bool:
    """Whether Rasa's circuit breaker will stop every further turn of this conversation."""
    events = tracker.get("events") if isinstance(tracker, dict) else None
    return isinstance(events, list) and actions_since_listening(events) >= RASA_PREDICTION_LIMIT
