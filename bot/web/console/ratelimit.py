"""Slows down password guessing: after too many failed sign-ins, a name or address waits.

Kept in memory (one gateway process). Counted per user name (guessing one person's password)
and per client address (trying many names). A success clears the name's count.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class FailureWindow:
    """Failures per key within a sliding window."""

    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures.get(key)
        if failures is None:
            return deque()
        cutoff = self.clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return failures

    def wait_seconds(self, key: str) -> float:
        """0 if ``key`` may try now; else how long until its oldest counted failure expires."""
        failures = self._recent(key)
        if len(failures) < self.limit:
            return 0.0
        return max(0.0, failures[0] + self.window - self.clock())

    def fail(self, key: str) -> None:
        self._recent(key)
        self._failures.setdefault(key, deque()).append(self.clock())
        if len(self._failures) > 100_000:  # a flood of made-up names must not fill the memory
            oldest = next(iter(self._failures))
            del self._failures[oldest]

    def clear(self, key: str) -> None:
        self._failures.pop(key, None)


class SignInLimiter:
    def __init__(
        self, per_name: int, per_address: int, window_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.names = FailureWindow(per_name, window_seconds, clock)
        self.addresses = FailureWindow(per_address, window_seconds, clock)

    def wait_seconds(self, username: str, address: str) -> float:
        return max(self.names.wait_seconds(username), self.addresses.wait_seconds(address))

    def failed(self, username: str, address: str) -> None:
        self.names.fail(username)
        self.addresses.fail(address)

    def succeeded(self, username: str) -> None:
        self.names.clear(username)
