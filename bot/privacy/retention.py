"""Keeping conversations no longer than needed, and exporting or deleting one on request.

Works directly on the table Rasa's SQL tracker store writes (``events``: one row per event,
``sender_id`` is the conversation id, ``timestamp`` is seconds since 1970), in SQLite or
PostgreSQL, so it needs neither Rasa nor a running assistant.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from bot.privacy.events import redact_event_data

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "tracker.db"  # endpoints.yml's db, relative to where Rasa runs
RETENTION_DAYS_ENV = "HOMEWARD_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
SECONDS_PER_DAY = 24 * 60 * 60
_BATCH = 500  # conversations per DELETE, to keep statements and locks small

_metadata = sa.MetaData()
# The columns of Rasa's SQLTrackerStore.SQLEvent that we read or filter on.
events = sa.Table(
    "events",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("data", sa.Text),
)


class RetentionSettingError(ValueError):
    """The retention period in the environment is not a whole number of days, 1 or more."""


def retention_days_from_env(env: Mapping[str, str] = os.environ) -> int:
    raw = env.get(RETENTION_DAYS_ENV, "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        raise RetentionSettingError(f"{RETENTION_DAYS_ENV} must be a whole number of days, 1 or more (got {raw!r}).")
    return days


def tracker_db_url(configured: str | None) -> str:
    """The SQLAlchemy URL of the tracker store: ``TRACKER_DB_URL`` if set, else the SQLite default."""
    if not configured:
        return f"sqlite:///{DEFAULT_SQLITE_PATH}"
    if configured.startswith("postgres://"):  # SQLAlchemy 1.4 only knows "postgresql"
        return "postgresql://" + configured.removeprefix("postgres://")
    return configured


def sqlite_file(url: str) -> Path | None:
    """The database file of a SQLite URL, or None for other databases."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database)


def connect(url: str) -> Engine:
    """An engine for the tracker database, set up as Rasa's own connection is."""
    kwargs: dict[str, Any] = {"future": True}
    schema = os.environ.get("POSTGRESQL_SCHEMA")  # Rasa's setting for a non-default schema
    if schema and sa.engine.make_url(url).get_backend_name() == "postgresql":
        kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        # Overwrite deleted rows in the file, rather than leaving them readable in free pages.
        sa.event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA secure_delete = ON"))
    return engine


def _has_events_table(engine: Engine) -> bool:
    return sa.inspect(engine).has_table("events")


@dataclass(frozen=True)
class PurgeResult:
    conversations: int
    events: int


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def purge(engine: Engine, older_than_days: int, now: float | None = None) -> PurgeResult:
    """Deletes every conversation whose latest event is more than ``older_than_days`` days old."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be 1 or more")
    if not _has_events_table(engine):
        return PurgeResult(0, 0)
    cutoff = (time.time() if now is None else now) - older_than_days * SECONDS_PER_DAY
    stale = (
        sa.select(events.c.sender_id)
        .group_by(events.c.sender_id)
        .having(sa.func.max(events.c.timestamp) < cutoff)
    )
    # Re-checked inside each DELETE, so a conversation that gets a new message meanwhile is kept.
    still_active = sa.select(events.c.sender_id).where(events.c.timestamp >= cutoff)
    conversations = deleted = 0
    with engine.begin() as connection:
        stale_ids = list(connection.execute(stale).scalars())
        for batch in _batches(stale_ids, _BATCH):
            result = connection.execute(
                sa.delete(events).where(events.c.sender_id.in_(batch), events.c.sender_id.not_in(still_active))
            )
            deleted += result.rowcount
            conversations += len(batch)
    return PurgeResult(conversations, deleted)


def delete_conversation(engine: Engine, conversation_id: str) -> int:
    """Deletes one conversation; returns how many events it had (0 if there was none)."""
    if not _has_events_table(engine):
        return 0
    with engine.begin() as connection:
        return connection.execute(sa.delete(events).where(events.c.sender_id == conversation_id)).rowcount


def _stored_events(engine: Engine, conversation_id: str) -> list[dict[str, Any]]:
    if not _has_events_table(engine):
        return []
    query = sa.select(events.c.data).where(events.c.sender_id == conversation_id).order_by(events.c.id)
    with engine.connect() as connection:
        return [json.loads(data) for data in connection.execute(query).scalars() if data]


def _iso(timestamp: Any) -> str | None:
    if not isinstance(timestamp, int | float):
        return None
    return dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc).isoformat(timespec="seconds")


def transcript(stored: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """What was said, and what the assistant remembered, from a conversation's stored events."""
    messages: list[dict[str, Any]] = []
    remembered: list[dict[str, Any]] = []
    for raw in stored:
        # Redacted again: rows saved before redaction was switched on may still hold personal details.
        event = redact_event_data(raw)
        kind, when = event.get("event"), _iso(event.get("timestamp"))
        if kind in ("user", "bot") and event.get("text"):
            messages.append({"time": when, "from": "you" if kind == "user" else "assistant", "text": event["text"]})
        elif kind == "slot" and event.get("value") is not None and event.get("name") != "requested_slot":
            remembered.append({"time": when, "name": event.get("name"), "value": event["value"]})
    return {"messages": messages, "remembered": remembered}


def export_conversation(engine: Engine, conversation_id: str, now: float | None = None) -> dict[str, Any] | None:
    """The conversation as a JSON-ready document, or None if nothing is stored under that id."""
    stored = _stored_events(engine, conversation_id)
    if not stored:
        return None
    return {
        "conversation_id": conversation_id,
        "exported_at": _iso(time.time() if now is None else now),
        "about": (
            "Everything Homeward stores about this conversation. NHS numbers, phone numbers, email "
            "addresses, dates and the second half of postcodes were removed before it was stored."
        ),
        **transcript(stored),
    }


def redact_stored(engine: Engine) -> int:
    """Redacts rows stored before redaction was switched on; returns how many rows changed."""
    if not _has_events_table(engine):
        return 0
    changed = 0
    with engine.begin() as connection:
        rows = connection.execute(sa.select(events.c.id, events.c.data).order_by(events.c.id))
        updates = []
        for row_id, data in rows:
            if not data:
                continue
            original = json.loads(data)
            redacted = redact_event_data(original)
            if redacted != original:
                updates.append({"row_id": row_id, "new_data": json.dumps(redacted)})
        statement = sa.update(events).where(events.c.id == sa.bindparam("row_id")).values(data=sa.bindparam("new_data"))
        for start in range(0, len(updates), _BATCH):
            connection.execute(statement, updates[start : start + _BATCH])
            changed += len(updates[start : start + _BATCH])
    return changed


class RetentionJob:
    """Runs ``purge`` at most once per ``interval_s``; for a long-running process to call often."""

    def __init__(self, url: str, older_than_days: int, interval_s: float = 3600.0) -> None:
        self.url = url
        self.older_than_days = older_than_days
        self.interval_s = interval_s
        self._last_run: float | None = None

    def run_if_due(self, now: float | None = None) -> PurgeResult | None:
        now = time.time() if now is None else now
        if self._last_run is not None and now - self._last_run < self.interval_s:
            return None
        self._last_run = now
        path = sqlite_file(self.url)
        if path is not None and not path.exists():
            return PurgeResult(0, 0)  # nothing stored yet; don't create an empty database
        engine = connect(self.url)
        try:
            return purge(engine, self.older_than_days, now=now)
        finally:
            engine.dispose()
