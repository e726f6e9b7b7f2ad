"""Slows down password guessing without letting anyone lock a real member of staff out.

Kept in memory (one gateway process). Failures are counted, within a sliding window, per

- user name from one client address (someone guessing one person's password): the tightest limit;
- user name from any address (the same guessing spread over many addresses): a looser one;
- client address over every name (one client trying many names).

Past a limit the key backs off: it waits ``backoff_seconds`` after its latest failure, doubling
with each further failure up to the window. So five wrong guesses from somewhere else do not lock
a real user out: their own address has its own count, and the name's shared count is four times
larger. The client address is read as the rate limit reads it (HOMEWARD_TRUST_PROXY).

An attempt is counted before the password is checked (``begin``): scrypt takes tens of
milliseconds in a worker thread, and attempts sent at once must not all pass a check made before
any of them was counted. A success takes its attempt back and clears the name's count from that
address.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_KEYS = 100_000  # a flood of made-up names must not fill the memory


class FailureWindow:
    """Failures per key within a sliding window; past ``limit``, an exponential back-off."""

    def __init__(
        self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic,
        backoff_seconds: float = 60.0,
    ) -> None:
        self.limit = limit
        self.window = window_seconds
        self.clock = clock
        self.backoff = backoff_seconds
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
        """0 if ``key`` may try now; else how long until it may."""
        failures = self._recent(key)
        if len(failures) < self.limit:
            return 0.0
        backoff = min(self.window, self.backoff * 2 ** (len(failures) - self.limit))
        return max(0.0, failures[-1] + backoff - self.clock())

    def fail(self, key: str) -> float:
        """Counts a failure now; returns its time (to take it back with ``forget``)."""
        self._recent(key)
        at = self.clock()
        self._failures.setdefault(key, deque()).append(at)
        if len(self._failures) > MAX_KEYS:
            del self._failures[next(iter(self._failures))]
        return at

    def forget(self, key: str, at: float) -> None:
        """Takes back the failure counted at ``at`` (the attempt succeeded)."""
        failures = self._failures.get(key)
        if failures is not None and at in failures:
            failures.remove(at)

    def clear(self, key: str) -> None:
        self._failures.pop(key, None)


@dataclass(frozen=True)
class Attempt:
    """A sign-in attempt, counted as a failure until ``SignInLimiter.succeeded`` takes it back."""

    username: str
    address: str
    at: dict[str, float]  # window name -> when it was counted there


class SignInLimiter:
    def __init__(
        self, per_name_and_address: int, per_name: int, per_address: int, window_seconds: float,
        clock: Callable[[], float] = time.monotonic, backoff_seconds: float = 60.0,
    ) -> None:
        self._windows = {
            "pair": FailureWindow(per_name_and_address, window_seconds, clock, backoff_seconds),
            "name": FailureWindow(per_name, window_seconds, clock, backoff_seconds),
            "address": FailureWindow(per_address, window_seconds, clock, backoff_seconds),
        }

    @staticmethod
    def _keys(username: str, address: str) -> dict[str, str]:
        return {"pair": f"{username}\n{address}", "name": username, "address": address}

    def wait_seconds(self, username: str, address: str) -> float:
        keys = self._keys(username, address)
        return max(window.wait_seconds(keys[name]) for name, window in self._windows.items())

    def begin(self, username: str, address: str) -> Attempt | float:
        """The attempt, already counted as a failure; or, if it must wait, how many seconds.

        Checking and counting happen together, with nothing awaited between them.
        """
        wait = self.wait_seconds(username, address)
        if wait > 0:
            return wait
        keys = self._keys(username, address)
        return Attempt(username, address, {name: window.fail(keys[name]) for name, window in self._windows.items()})

    def succeeded(self, attempt: Attempt) -> None:
        keys = self._keys(attempt.username, attempt.address)
        for name, window in self._windows.items():
            window.forget(keys[name], attempt.at[name])
        self._windows["pair"].clear(keys["pair"])
