"""Handoff records: who is waiting for a person, who took them, and what was said meanwhile.

Synchronous SQLAlchemy (2.0 style) on the directory database; the gateway calls it from a
thread (see bot/handoff/gateway.py). What the user types is redacted before it is stored,
like everything Rasa stores. Staff messages are stored as written: like the assistant's own
replies they come from the service and may carry a helpline number the user needs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Engine, Row
from sqlalchemy.exc import IntegrityError

from bot.handoff.models import (
    ACTIVE,
    CLOSED,
    NOTICE,
    OPEN_STATES,
    QUEUED,
    STAFF,
    USER,
    conversations,
    messages,
    presence,
)
from bot.privacy.redact import redact

MAX_TEXT_CHARS = 4000


def utc_now() -> datetime:
    """Naive UTC, as stored (the staff tables use naive UTC too)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class HandoffConflict(Exception):
    """The handoff is not in a state that allows this (e.g. someone else took it first)."""


@dataclass(frozen=True)
class Staff:
    id: int
    name: str  # as shown to users and colleagues


@dataclass(frozen=True)
class Handoff:
    id: int
    sender_id: str
    state: str
    area: str | None
    requested_at: datetime
    taken_at: datetime | None
    closed_at: datetime | None
    close_reason: str | None
    staff_id: int | None
    staff_name: str | None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


@dataclass(frozen=True)
class Message:
    id: int
    handoff_id: int
    at: datetime
    author: str  # user, staff or notice
    text: str
    staff_name: str | None = None
    client_message_id: str | None = None
    urgent: bool = False


def _handoff(row: Row) -> Handoff:
    return Handoff(**{key: row._mapping[key] for key in Handoff.__dataclass_fields__})


def _message(row: Row) -> Message:
    return Message(**{key: row._mapping[key] for key in Message.__dataclass_fields__})


class HandoffStore:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    # ---- reading ----------------------------------------------------------------------------

    def get(self, handoff_id: int) -> Handoff | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(conversations).where(conversations.c.id == handoff_id)).first()
        return _handoff(row) if row else None

    def open_for(self, sender_id: str) -> Handoff | None:
        """The queued or active handoff of this conversation, if any."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(conversations).where(
                    conversations.c.sender_id == sender_id, conversations.c.state.in_(OPEN_STATES)
                )
            ).first()
        return _handoff(row) if row else None

    def latest_for(self, sender_id: str) -> Handoff | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(conversations)
                .where(conversations.c.sender_id == sender_id)
                .order_by(conversations.c.id.desc())
                .limit(1)
            ).first()
        return _handoff(row) if row else None

    def open_handoffs(self) -> list[Handoff]:
        """The queue: waiting ones first (longest wait first), then those being handled."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(conversations)
                .where(conversations.c.state.in_(OPEN_STATES))
                .order_by(conversations.c.state.desc(), conversations.c.requested_at, conversations.c.id)
            ).all()
        return [_handoff(row) for row in rows]

    def messages(self, handoff_id: int, after: int = 0) -> list[Message]:
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(messages)
                .where(messages.c.handoff_id == handoff_id, messages.c.id > after)
                .order_by(messages.c.id)
            ).all()
        return [_message(row) for row in rows]

    def messages_for_sender(self, sender_id: str, after: int = 0) -> list[Message]:
        """Every handoff message of a conversation (all its handoffs), oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(messages)
                .join(conversations, conversations.c.id == messages.c.handoff_id)
                .where(conversations.c.sender_id == sender_id, messages.c.id > after)
                .order_by(messages.c.id)
            ).all()
        return [_message(row) for row in rows]

    # ---- changing ---------------------------------------------------------------------------

    def request(self, sender_id: str, area: str | None, notice: str) -> Handoff:
        """Queues the conversation for a person; a conversation already waiting or active is left as it is."""
        existing = self.open_for(sender_id)
        if existing:
            return existing
        now = self.clock()
        try:
            with self.engine.begin() as connection:
                handoff_id = connection.execute(
                    insert(conversations).values(sender_id=sender_id, state=QUEUED, area=area, requested_at=now)
                ).inserted_primary_key[0]
                self._add(connection, handoff_id, NOTICE, notice, now)
        except IntegrityError:  # a second request won the race: use its handoff
            existing = self.open_for(sender_id)
            if existing is None:
                raise
            return existing
        return self.get(handoff_id)  # type: ignore[return-value]

    def add_user_message(self, handoff_id: int, text: str, client_message_id: str | None = None) -> Message:
        """Stores what the user typed, redacted. The same client_message_id twice is stored once."""
        if client_message_id:
            with self.engine.connect() as connection:
                row = connection.execute(
                    select(messages).where(
                        messages.c.handoff_id == handoff_id, messages.c.client_message_id == client_message_id
                    )
                ).first()
            if row:
                return _message(row)
        with self.engine.begin() as connection:
            message_id = self._add(
                connection, handoff_id, USER, redact(text), self.clock(), client_message_id=client_message_id
            )
        return self._message_by_id(message_id)

    def mark_urgent(self, message_id: int) -> None:
        """The message may mean someone needs help now: staff see it flagged."""
        with self.engine.begin() as connection:
            connection.execute(update(messages).where(messages.c.id == message_id).values(urgent=True))

    def add_staff_message(self, handoff_id: int, staff: Staff, text: str) -> Message:
        with self.engine.begin() as connection:
            handoff = self._locked(connection, handoff_id)
            if handoff.state != ACTIVE or handoff.staff_id != staff.id:
                raise HandoffConflict("Only the member of staff who took this conversation can reply.")
            message_id = self._add(connection, handoff_id, STAFF, text, self.clock(), staff=staff)
        return self._message_by_id(message_id)

    def add_notice(self, handoff_id: int, text: str) -> Message:
        with self.engine.begin() as connection:
            message_id = self._add(connection, handoff_id, NOTICE, text, self.clock())
        return self._message_by_id(message_id)

    def take(self, handoff_id: int, staff: Staff, notice: str) -> Handoff:
        """A staff member takes a waiting conversation. Only one can: the second gets HandoffConflict."""
        now = self.clock()
        with self.engine.begin() as connection:
            taken = connection.execute(
                update(conversations)
                .where(conversations.c.id == handoff_id, conversations.c.state == QUEUED)
                .values(state=ACTIVE, taken_at=now, staff_id=staff.id, staff_name=staff.name)
            ).rowcount
            if taken != 1:
                raise HandoffConflict("This conversation is no longer waiting: someone else may have taken it.")
            self._add(connection, handoff_id, NOTICE, notice, now)
        return self.get(handoff_id)  # type: ignore[return-value]

    def close(self, handoff_id: int, reason: str, notice: str, staff: Staff | None = None) -> Handoff:
        """Ends human mode: handed back, ended by staff, left by the user, or nobody came.

        With `staff`, only the member of staff who took the conversation may close it.
        """
        now = self.clock()
        with self.engine.begin() as connection:
            handoff = self._locked(connection, handoff_id)
            if handoff.state == CLOSED:
                raise HandoffConflict("This conversation has already been closed.")
            if staff is not None and handoff.staff_id != staff.id:
                raise HandoffConflict("Only the member of staff who took this conversation can close it.")
            connection.execute(
                update(conversations)
                .where(conversations.c.id == handoff_id)
                .values(state=CLOSED, closed_at=now, close_reason=reason)
            )
            self._add(connection, handoff_id, NOTICE, notice, now)
        return self.get(handoff_id)  # type: ignore[return-value]

    # ---- staff presence ---------------------------------------------------------------------

    def staff_seen(self, staff: Staff) -> None:
        """A helpline staff member has the queue or a conversation open."""
        now = self.clock()
        try:
            with self.engine.begin() as connection:
                updated = connection.execute(
                    update(presence).where(presence.c.staff_id == staff.id).values(staff_name=staff.name, last_seen=now)
                ).rowcount
                if not updated:
                    connection.execute(insert(presence).values(staff_id=staff.id, staff_name=staff.name, last_seen=now))
        except IntegrityError:
            pass  # seen twice at the same moment, from two pages: once is enough

    def staff_present(self, within: timedelta) -> list[Staff]:
        since = self.clock() - within
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(presence.c.staff_id, presence.c.staff_name).where(presence.c.last_seen >= since)
            ).all()
        return [Staff(row.staff_id, row.staff_name) for row in rows]

    def is_staff_present(self, staff_id: int, within: timedelta) -> bool:
        return any(staff.id == staff_id for staff in self.staff_present(within))

    # ---- retention --------------------------------------------------------------------------

    def purge_closed_before(self, cutoff: datetime) -> int:
        """Deletes closed handoffs (and their messages) closed before `cutoff`; returns how many."""
        with self.engine.begin() as connection:
            ids = connection.execute(
                select(conversations.c.id).where(conversations.c.state == CLOSED, conversations.c.closed_at < cutoff)
            ).scalars().all()
            if ids:
                connection.execute(delete(messages).where(messages.c.handoff_id.in_(ids)))
                connection.execute(delete(conversations).where(conversations.c.id.in_(ids)))
        return len(ids)

    def count_open(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(
                select(func.count()).select_from(conversations).where(conversations.c.state.in_(OPEN_STATES))
            ).scalar_one()

    # ---- helpers ----------------------------------------------------------------------------

    @staticmethod
    def _locked(connection, handoff_id: int) -> Handoff:
        row = connection.execute(
            select(conversations).where(conversations.c.id == handoff_id).with_for_update()
        ).first()
        if row is None:
            raise HandoffConflict("There is no such conversation.")
        return _handoff(row)

    @staticmethod
    def _add(
        connection, handoff_id: int, author: str, text: str, at: datetime, *, staff: Staff | None = None,
        client_message_id: str | None = None,
    ) -> int:
        return connection.execute(
            insert(messages).values(
                handoff_id=handoff_id, at=at, author=author, text=text[:MAX_TEXT_CHARS],
                staff_id=staff.id if staff else None, staff_name=staff.name if staff else None,
                client_message_id=client_message_id, urgent=False,
            )
        ).inserted_primary_key[0]

    def _message_by_id(self, message_id: int) -> Message:
        with self.engine.connect() as connection:
            return _message(connection.execute(select(messages).where(messages.c.id == message_id)).one())
