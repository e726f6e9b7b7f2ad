"""Per-client rate limit on the gateway's public POST API (/api/*), so one client cannot flood Rasa.

A token bucket per client: a client may send `burst` requests at once, then `per_minute` a minute.
A refused request is answered with 429 and Retry-After before its body is read: nothing from it is
stored or relayed. Buckets live in memory, one per recently seen client; idle ones are dropped and
there are never more than `max_clients`, so memory stays bounded whatever addresses arrive.

The client is the peer address. X-Forwarded-For is used only when the operator says a proxy they run
sits in front (HOMEWARD_TRUST_PROXY=1); otherwise anyone could pick a new "address" per request.
"""

from __future__ import annotations

import logging
import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

API_PREFIX = "/api/"
ORUK_PREFIX = "/oruk"  # the public directory API: GET only, its own budget (see bot/web/oruk.py)
CHAT_PATH = "/api/chat"
# /api/updates is polled every 3 s while a user waits for staff (20 a minute on its own), so the other
# API routes get their own, larger budget: polling never uses up the messages a person can send.
OTHER_ROUTES_FACTOR = 4
TOO_FAST = "You're sending messages very quickly. Please wait a few seconds and try again."
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RateLimit:
    per_minute: int = 30
    burst: int = 10

    @classmethod
    def for_per_minute(cls, per_minute: int) -> RateLimit:
        """The limit with a burst allowance of a third of a minute's messages (at least 1)."""
        return cls(per_minute=per_minute, burst=max(1, per_minute // 3))

    def scaled(self, factor: int) -> RateLimit:
        return RateLimit(per_minute=self.per_minute * factor, burst=self.burst * factor)


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets keyed by client; `acquire` says how long to wait (0.0: go ahead, a token was used)."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic, max_clients: int = 10_000):
        if limit.per_minute <= 0 or limit.burst <= 0:
            raise ValueError("A rate limit needs a positive rate and burst.")
        self.limit = limit
        self.clock = clock
        self.max_clients = max_clients
        self._per_second = limit.per_minute / 60.0
        # Seconds an untouched bucket takes to refill: after that it is the same as a new one, so it can go.
        self._idle_after = limit.burst / self._per_second
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()  # least recently used first

    def __len__(self) -> int:
        return len(self._buckets)

    def acquire(self, client: str) -> float:
        now = self.clock()
        self._evict(now)
        bucket = self._buckets.pop(client, None) or _Bucket(tokens=float(self.limit.burst), updated=now)
        bucket.tokens = min(float(self.limit.burst), bucket.tokens + (now - bucket.updated) * self._per_second)
        bucket.updated = now
        self._buckets[client] = bucket  # now the most recently used
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            return 0.0
        return (1.0 - bucket.tokens) / self._per_second

    def _evict(self, now: float) -> None:
        while self._buckets:
            oldest = next(iter(self._buckets.values()))
            if now - oldest.updated < self._idle_after and len(self._buckets) < self.max_clients:
                return
            self._buckets.popitem(last=False)


def client_address(request: web.Request, trust_proxy: bool) -> str:
    """Who is asking. Behind our own proxy, the address it saw: the last X-Forwarded-For entry (it adds that
    one; earlier entries come from the client and could be anything)."""
    if trust_proxy:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.remote or "unknown"


def too_many_requests(wait_seconds: float) -> web.Response:
    # Same shape as the gateway's other errors ({"error": ...}), so the widget shows it like them.
    retry_after = str(max(1, math.ceil(wait_seconds)))
    return web.json_response({"error": TOO_FAST}, status=429, headers={"Retry-After": retry_after})


def rate_limit_middleware(
    limit: RateLimit, trust_proxy: bool = False, clock: Callable[[], float] = time.monotonic
):
    """Limits POST /api/*: /api/chat at `limit`, the other routes together at OTHER_ROUTES_FACTOR times it;
    and every request to the public directory API (/oruk) at OTHER_ROUTES_FACTOR times it, separately."""
    chat = RateLimiter(limit, clock)
    other = RateLimiter(limit.scaled(OTHER_ROUTES_FACTOR), clock)
    directory = RateLimiter(limit.scaled(OTHER_ROUTES_FACTOR), clock)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == ORUK_PREFIX or request.path.startswith(ORUK_PREFIX + "/"):
            limiter = directory
        elif request.method != "POST" or not request.path.startswith(API_PREFIX):
            return await handler(request)
        else:
            limiter = chat if request.path == CHAT_PATH else other
        wait = limiter.acquire(client_address(request, trust_proxy))
        if wait > 0:
            log.info("Rate limit: refused %s %s", request.method, request.path)  # never the address or message
            refused = too_many_requests(wait)
            if limiter is directory:  # any site may read the open API, so it may read "slow down" too
                refused.headers["Access-Control-Allow-Origin"] = "*"
            return refused
        return await handler(request)

    return middleware
