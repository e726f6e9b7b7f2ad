"""Rasa's SQL tracker store, storing conversations only after personal details are redacted.

Configure it in endpoints.yml in place of ``type: SQL`` (same settings otherwise)::

    tracker_store:
      type: bot.privacy.tracker_store.RedactingSQLTrackerStore
      dialect: "sqlite"
      db: "var/tracker.db"

Rasa keeps the message being handled in memory, unredacted, for that turn only (the
actions need it, e.g. to read a place name). What it writes to the database, and what it
would publish to an event broker, is redacted first. Conversations read back from the
store are therefore redacted too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event

from bot.privacy.events import redact_event_data
from bot.private_files import make_private_file

if TYPE_CHECKING:
    from rasa.core.brokers.broker import EventBroker
    from rasa.shared.core.trackers import DialogueStateTracker
    from sqlalchemy.orm import Session


def redact_event(event: Event) -> Event:
    """``event`` itself if it holds nothing to redact, else a redacted copy (never changed in place)."""
    data = event.as_dict()
    redacted = redact_event_data(data)
    if redacted == data:
        return event
    copy = Event.from_parameters(redacted)
    return copy if copy is not None else event


class RedactingSQLTrackerStore(SQLTrackerStore):
    """An SQLTrackerStore whose stored and streamed events have personal details removed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A SQLite file holds conversations: the user running Rasa only (python -m bot run also sets the umask).
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            make_private_file(Path(self.engine.url.database))

    def _additional_events(self, session: Session, tracker: DialogueStateTracker) -> Iterator[Event]:
        # SQLTrackerStore.save serialises exactly the events this returns, so this is the one
        # place every stored event passes through. The count of events is unchanged, which the
        # next save relies on to work out which events are new.
        return (redact_event(event) for event in super()._additional_events(session, tracker))

    async def _stream_new_events(self, event_broker: EventBroker, new_events: list[Event], sender_id: str) -> None:
        await super()._stream_new_events(event_broker, [redact_event(e) for e in new_events], sender_id)
