"""Runs each (sender, client message id) once, so a message the browser retries is not processed twice.

When the network drops after the gateway sent a message to Rasa but before the browser got the reply,
the browser sends the same message again with the same client_message_id. The second request gets
the first one's replies (waiting for them if Rasa is still working) instead of reaching Rasa again.
Failed attempts are forgotten, so a retry after a failure does reach Rasa.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")
Key = tuple[str, str]


class OnceCache(Generic[T]):
    def __init__(self, ttl_seconds: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl_seconds
        self._max = max_entries
        self._clock = clock
        # Insertion order is expiry order, because every entry lives for the same time.
        self._entries: OrderedDict[Key, tuple[float, asyncio.Task[T]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _prune(self) -> None:
        now = self._clock()
        while self._entries:
            key, (expires, _) = next(iter(self._entries.items()))
            if expires > now and len(self._entries) < self._max:
                break
            self._entries.pop(key)

    def _forget_if_failed(self, key: Key, task: asyncio.Task[T]) -> None:
        if task.cancelled() or task.exception() is not None:
            current = self._entries.get(key)
            if current is not None and current[1] is task:
                self._entries.pop(key)

    async def run_once(self, key: Key, produce: Callable[[], Awaitable[T]]) -> T:
        self._prune()
        entry = self._entries.get(key)
        if entry is None:
            # A task of its own, so a browser that disconnects does not cancel the work a retry will wait for.
            task = asyncio.ensure_future(produce())
            task.add_done_callback(lambda done: self._forget_if_failed(key, done))
            self._entries[key] = (self._clock() + self._ttl, task)
        else:
            task = entry[1]
        return await asyncio.shield(task)
