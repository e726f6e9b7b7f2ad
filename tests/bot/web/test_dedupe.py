"""A retried message (same sender and client message id) reaches Rasa once."""

from __future__ import annotations

import asyncio

import pytest

from bot.web.dedupe import OnceCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_repeat_gets_the_first_result_without_running_again() -> None:
    calls: list[int] = []

    async def produce() -> str:
        calls.append(1)
        return "replies"

    cache: OnceCache[str] = OnceCache(ttl_seconds=60)
    assert await cache.run_once(("s", "m1"), produce) == "replies"
    assert await cache.run_once(("s", "m1"), produce) == "replies"
    assert await cache.run_once(("s", "m2"), produce) == "replies"
    assert await cache.run_once(("other", "m1"), produce) == "replies"
    assert len(calls) == 3


async def test_a_repeat_that_arrives_while_the_first_is_running_waits_for_it() -> None:
    release = asyncio.Event()
    calls: list[int] = []

    async def produce() -> str:
        calls.append(1)
        await release.wait()
        return "replies"

    cache: OnceCache[str] = OnceCache(ttl_seconds=60)
    first = asyncio.ensure_future(cache.run_once(("s", "m"), produce))
    second = asyncio.ensure_future(cache.run_once(("s", "m"), produce))
    await asyncio.sleep(0)
    release.set()
    assert await asyncio.gather(first, second) == ["replies", "replies"]
    assert len(calls) == 1


async def test_a_caller_that_goes_away_does_not_stop_the_work_a_retry_waits_for() -> None:
    release = asyncio.Event()

    async def produce() -> str:
        await release.wait()
        return "replies"

    cache: OnceCache[str] = OnceCache(ttl_seconds=60)
    first = asyncio.ensure_future(cache.run_once(("s", "m"), produce))
    await asyncio.sleep(0)
    first.cancel()  # the browser disconnected
    retry = asyncio.ensure_future(cache.run_once(("s", "m"), produce))
    await asyncio.sleep(0)
    release.set()
    assert await retry == "replies"


async def test_a_failed_attempt_is_forgotten_so_the_retry_runs_again() -> None:
    attempts: list[int] = []

    async def produce() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ConnectionError("rasa down")
        return "replies"

    cache: OnceCache[str] = OnceCache(ttl_seconds=60)
    with pytest.raises(ConnectionError):
        await cache.run_once(("s", "m"), produce)
    assert await cache.run_once(("s", "m"), produce) == "replies"
    assert len(attempts) == 2


async def test_results_are_kept_only_for_the_time_to_live_and_up_to_the_limit() -> None:
    clock = Clock()
    calls: list[int] = []

    async def produce() -> int:
        calls.append(1)
        return len(calls)

    cache: OnceCache[int] = OnceCache(ttl_seconds=300, max_entries=2, clock=clock)
    assert await cache.run_once(("s", "a"), produce) == 1
    clock.now = 299
    assert await cache.run_once(("s", "a"), produce) == 1
    clock.now = 301
    assert await cache.run_once(("s", "a"), produce) == 2  # expired: runs again
    await cache.run_once(("s", "b"), produce)
    await cache.run_once(("s", "c"), produce)
    await cache.run_once(("s", "d"), produce)
    assert len(cache) == 2
