"""The handoff rules, over the store: who may be passed on, what the user and staff see, when to give up.

Async: each store call runs in a thread so the gateway's event loop never waits on the database.
Any database failure surfaces as HandoffUnavailable, which callers turn into a helpful message.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.handoff import messages as say
from bot.handoff.config import HandoffSettings
from bot.handoff.models import ACTIVE, QUEUED, STAFF, USER
from bot.handoff.store import Handoff, HandoffConflict, HandoffStore, Message, Staff, utc_now

REOPEN_AFTER_SECONDS = 10.0  # while the database is down, try to open it at most this often
log = logging.getLogger(__name__)
RedFlagCheck = Callable[[str], "str | None"]  # text -> red-flag group, or None


class HandoffUnavailable(Exception):
    """The handoff database could not be reached."""


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str  # "open", or why not: messages.CLOSED / NOBODY_FREE / UNAVAILABLE
    hours: str | None  # the configured hours in words, if any

    def as_json(self) -> dict[str, Any]:
        return {"available": self.available, "reason": self.reason, "hours": self.hours}


def red_flag_group(text: str) -> str | None:
    """The safety red-flag group of a message typed while talking to staff (loaded on first use)."""
    from bot.safety.red_flags import detect  # spaCy and word lists: only when someone is in human mode

    flag = detect(text)
    return flag.group if flag else None


def widget_message(message: Message) -> dict[str, Any]:
    """A staff message or notice as the widget shows it (user messages are already on the page)."""
    shown: dict[str, Any] = {"id": f"h-{message.id}", "from": message.author, "text": message.text}
    if message.author == STAFF:
        shown["name"] = say.talking_to(message.staff_name)
    return shown


class HandoffService:
    def __init__(
        self, open_store: Callable[[], HandoffStore], settings: HandoffSettings,
        red_flags: RedFlagCheck = red_flag_group, clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._open_store = open_store
        self._store: HandoffStore | None = None
        self._lock = threading.Lock()
        self._retry_at = 0.0
        self._warming: asyncio.Future | None = None
        self.settings = settings
        self.red_flags = red_flags
        self.clock = clock

    def close(self) -> None:
        if self._store is not None:
            self._store.engine.dispose()
            self._store = None

    def _opened(self) -> HandoffStore:
        """The store, opened (schema brought up to date) on first use; after a failure, tried again later."""
        with self._lock:
            if self._store is None:
                if time.monotonic() < self._retry_at:
                    raise HandoffUnavailable
                try:
                    self._store = self._open_store()
                except (SQLAlchemyError, OSError) as error:
                    self._retry_at = time.monotonic() + REOPEN_AFTER_SECONDS
                    log.warning("Handoff database could not be opened: %s", type(error).__name__)
                    raise HandoffUnavailable from error
            return self._store

    def _call(self, method: str, *args: Any) -> Any:
        return getattr(self._opened(), method)(*args)

    async def _db(self, method: str, *args: Any) -> Any:
        try:
            return await asyncio.to_thread(self._call, method, *args)
        except SQLAlchemyError as error:
            log.warning("Handoff database call %s failed: %s", method, type(error).__name__)
            raise HandoffUnavailable from error

    # ---- availability -----------------------------------------------------------------------

    async def availability(self) -> Availability:
        """Never raises: a database failure means nobody can be reached from here right now."""
        hours = self.settings.hours
        described = hours.describe() if hours.configured else None
        if not hours.is_open(self.clock()):
            return Availability(False, say.CLOSED, described)
        try:
            present = await self._db("staff_present", self.settings.presence_window)
        except HandoffUnavailable:
            return Availability(False, say.UNAVAILABLE, described)
        if not present:
            return Availability(False, say.NOBODY_FREE, described)
        return Availability(True, "open", described)

    # ---- the user's side --------------------------------------------------------------------

    async def request(self, sender_id: str, area: str | None) -> tuple[Handoff | None, Availability]:
        """Queues the conversation if someone can take it; else (None, why not)."""
        availability = await self.availability()
        if not availability.available:
            return None, availability
        try:
            handoff = await self._db("request", sender_id, area, say.QUEUED_NOTICE)
        except HandoffUnavailable:
            return None, Availability(False, say.UNAVAILABLE, availability.hours)
        self._warm_up_red_flags()
        return handoff, availability

    def _warm_up_red_flags(self) -> None:
        """Loads the red-flag check (seconds, once) while the user waits, not when their first message arrives."""
        if not self._warming:
            self._warming = asyncio.ensure_future(self._check(""))

    async def open_for(self, sender_id: str) -> Handoff | None:
        return await self._db("open_for", sender_id)

    async def user_message(self, handoff: Handoff, text: str, client_message_id: str | None) -> list[dict[str, str]]:
        """Stores the message for staff. A message that may mean someone needs help now is answered at once
        with the safety route, and marked urgent for staff."""
        stored = await self._db("add_user_message", handoff.id, text, client_message_id)
        group = await self._red_flag(text)  # after storing: staff see the message even while this runs
        if group:
            await self._db("mark_urgent", stored.id)
            from bot.safety.routes import route_text

            return [{"text": route_text(group, "family", handoff.area)}]
        return []

    async def _red_flag(self, text: str) -> str | None:
        if self._warming is not None and not self._warming.done():
            await asyncio.shield(self._warming)  # loading once is slow enough; never twice at the same time
        return await self._check(text)

    async def _check(self, text: str) -> str | None:
        try:
            return await asyncio.to_thread(self.red_flags, text)
        except Exception as error:  # the check failing must not lose the message: staff still see it
            log.warning("Red-flag check failed in human mode: %s", type(error).__name__)
            return None

    async def updates(self, sender_id: str, after: int) -> dict[str, Any]:
        """What the widget polls for: staff replies and notices after `after`, and the current state."""
        handoff = await self.open_for(sender_id)
        if handoff is not None:
            handoff = await self._close_if_unattended(handoff)
        found = await self._db("messages_for_sender", sender_id, after)
        shown = [widget_message(m) for m in found if m.author != USER]
        latest = max([after, *(m.id for m in found)])
        return {"handoff": self.state(handoff), "messages": shown, "after": latest}

    @staticmethod
    def state(handoff: Handoff | None) -> dict[str, Any]:
        if handoff is None or not handoff.is_open:
            return {"state": "none"}
        if handoff.state == QUEUED:
            return {"state": QUEUED}
        return {"state": ACTIVE, "talking_to": say.talking_to(handoff.staff_name)}

    async def leave(self, sender_id: str) -> Handoff | None:
        handoff = await self.open_for(sender_id)
        if handoff is None:
            return None
        try:
            return await self._db("close", handoff.id, "user_left", say.USER_LEFT_NOTICE)
        except HandoffConflict:
            return None

    async def _close_if_unattended(self, handoff: Handoff) -> Handoff:
        """Nobody to take a waiting user, or their staff member has gone: say so rather than leave them waiting."""
        now = self.clock()
        grace = self.settings.unattended_grace
        notice = None
        if handoff.state == QUEUED and now - handoff.requested_at > grace:
            hours_open = self.settings.hours.is_open(now)
            present = await self._db("staff_present", self.settings.presence_window)
            if not hours_open or not present:
                notice = say.nobody_came_notice(handoff.area, self._hours_text(), closed=not hours_open)
        elif handoff.state == ACTIVE and handoff.taken_at and now - handoff.taken_at > grace:
            window = self.settings.presence_window + grace
            if not await self._db("is_staff_present", handoff.staff_id, window):
                notice = say.staff_left_notice(handoff.staff_name, handoff.area)
        if notice is None:
            return handoff
        try:
            return await self._db("close", handoff.id, "unattended", notice)
        except HandoffConflict:  # closed meanwhile by someone else
            return await self._db("get", handoff.id) or handoff

    def _hours_text(self) -> str | None:
        return self.settings.hours.describe() if self.settings.hours.configured else None

    # ---- the staff side ---------------------------------------------------------------------

    async def staff_seen(self, staff: Staff) -> None:
        await self._db("staff_seen", staff)

    async def queue(self) -> list[Handoff]:
        return await self._db("open_handoffs")

    async def get(self, handoff_id: int) -> Handoff | None:
        return await self._db("get", handoff_id)

    async def messages_for_sender(self, sender_id: str, after: int = 0) -> list[Message]:
        return await self._db("messages_for_sender", sender_id, after)

    async def messages(self, handoff_id: int, after: int = 0) -> list[Message]:
        return await self._db("messages", handoff_id, after)

    async def take(self, handoff_id: int, staff: Staff) -> Handoff:
        return await self._db("take", handoff_id, staff, say.joined_notice(staff.name))

    async def reply(self, handoff_id: int, staff: Staff, text: str) -> Message:
        return await self._db("add_staff_message", handoff_id, staff, text)

    async def hand_back(self, handoff_id: int, staff: Staff) -> Handoff:
        return await self._db("close", handoff_id, "handed_back", say.handed_back_notice(staff.name), staff)

    async def end(self, handoff_id: int, staff: Staff) -> Handoff:
        return await self._db("close", handoff_id, "ended", say.ended_notice(staff.name), staff)

    def minutes_since(self, when: datetime) -> int:
        return max(0, int((self.clock() - when) / timedelta(minutes=1)))
