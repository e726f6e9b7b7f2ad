"""Per-client rate limit: a flood gets a calm 429 with Retry-After and never reaches Rasa (issue 5)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import Settings
from bot.web.app import create_app
from bot.web.config import WebSettings, rate_limit_from_env
from bot.web.rate_limit import TOO_FAST, RateLimit, RateLimiter
from tests.bot.web.conftest import LONG_SENDER, SENDER, TOKEN, Rasa


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_burst_then_must_wait() -> None:
    limiter = RateLimiter(RateLimit(per_minute=30, burst=3), clock=Clock())
    assert [limiter.acquire("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.acquire("a")
    assert wait == pytest.approx(2.0)  # 30 a minute: one more every 2 seconds


def test_clients_are_limited_separately() -> None:
    limiter = RateLimiter(RateLimit(per_minute=30, burst=1), clock=Clock())
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0
    assert limiter.acquire("b") == 0.0


def test_a_client_recovers_as_time_passes() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(per_minute=60, burst=2), clock=clock)
    limiter.acquire("a"), limiter.acquire("a")
    assert limiter.acquire("a") > 0
    clock.now += 1.0
    assert limiter.acquire("a") == 0.0
    assert limiter.acquire("a") > 0
    clock.now += 10.0
    assert [limiter.acquire("a") for _ in range(2)] == [0.0, 0.0]  # back to a full burst, no more


def test_memory_stays_bounded() -> None:
    clock = Clock()
    limiter = RateLimiter(RateLimit(per_minute=60, burst=2), clock=clock, max_clients=100)
    for n in range(1000):
        limiter.acquire(f"10.0.{n // 256}.{n % 256}")
    assert len(limiter) == 100
    clock.now += 2.0  # long enough for every bucket to refill: idle clients are dropped
    limiter.acquire("new")
    assert len(limiter) == 1


def test_limit_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert rate_limit_from_env(None) == RateLimit(per_minute=30, burst=10)
    assert rate_limit_from_env("90") == RateLimit(per_minute=90, burst=30)
    assert rate_limit_from_env("0") is None
    with pytest.raises(ValueError, match="HOMEWARD_RATE_LIMIT_PER_MINUTE"):
        rate_limit_from_env("lots")
    monkeypatch.setenv("HOMEWARD_TRUST_PROXY", "1")
    monkeypatch.setenv("HOMEWARD_RATE_LIMIT_PER_MINUTE", "12")
    settings = WebSettings.from_env()
    assert settings.trust_proxy and settings.rate_limit == RateLimit(per_minute=12, burst=4)
    monkeypatch.delenv("HOMEWARD_TRUST_PROXY")
    assert WebSettings.from_env().trust_proxy is False


MakeGateway = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def limited_gateway(rasa: Rasa, tmp_path) -> AsyncIterator[MakeGateway]:
    made: list[TestClient] = []

    async def make(trust_proxy: bool = False) -> TestClient:
        web_settings = WebSettings(
            feedback_path=tmp_path / "feedback.jsonl", rate_limit=RateLimit(per_minute=6, burst=2),
            trust_proxy=trust_proxy,
        )
        settings = Settings(rasa_port=rasa.server.port, rasa_auth_token=TOKEN)
        client = TestClient(TestServer(create_app(settings, web_settings), host="127.0.0.1"))
        await client.start_server()
        made.append(client)
        return client

    yield make
    for client in made:
        await client.close()


def _message(n: int) -> dict[str, str]:
    return {"sender_id": SENDER, "message": f"message {n}"}


async def test_over_the_limit_gets_429_with_retry_after_and_nothing_reaches_rasa(limited_gateway, rasa) -> None:
    gateway = await limited_gateway()
    statuses = [(await gateway.post("/api/chat", json=_message(n))).status for n in range(2)]
    assert statuses == [200, 200]
    refused = await gateway.post("/api/chat", json=_message(2))
    assert refused.status == 429
    assert refused.headers["Retry-After"] == "10"  # 6 a minute: the next one in 10 seconds
    assert await refused.json() == {"error": TOO_FAST}
    assert [call["message"] for call in rasa.webhook_calls] == ["message 0", "message 1"]


async def test_feedback_over_the_limit_is_not_stored(limited_gateway, tmp_path) -> None:
    gateway = await limited_gateway()
    body = {"sender_id": SENDER, "message_id": "m1", "helpful": True}
    statuses = [(await gateway.post("/api/feedback", json=body)).status for _ in range(9)]
    assert statuses == [200] * 8 + [429]  # the other routes get 4 times the chat's burst
    assert len((tmp_path / "feedback.jsonl").read_text().splitlines()) == 8


async def test_the_public_directory_api_has_its_own_budget(limited_gateway) -> None:
    gateway = await limited_gateway()
    statuses = [(await gateway.get("/oruk/")).status for _ in range(9)]
    assert statuses == [200] * 8 + [429]  # 4 times the chat's burst, like the other routes
    refused = await gateway.get("/oruk/")
    assert refused.headers["Access-Control-Allow-Origin"] == "*" and "Retry-After" in refused.headers
    assert (await gateway.post("/api/chat", json=_message(0))).status == 200, "chat is not used up"


async def test_polling_for_staff_replies_does_not_use_up_the_users_messages(limited_gateway) -> None:
    gateway = await limited_gateway()
    for _ in range(5):
        await gateway.post("/api/transcript", json={"sender_id": LONG_SENDER})
    assert (await gateway.post("/api/chat", json=_message(0))).status == 200


async def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted(limited_gateway) -> None:
    gateway = await limited_gateway()
    statuses = [
        (await gateway.post("/api/chat", json=_message(n), headers={"X-Forwarded-For": f"203.0.113.{n}"})).status
        for n in range(3)
    ]
    assert statuses == [200, 200, 429]  # a made-up address per request does not get round the limit


async def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_limit(limited_gateway) -> None:
    gateway = await limited_gateway(trust_proxy=True)

    async def send(address: str) -> int:
        # The proxy appends the address it saw; the client's own claim (first) is ignored.
        headers = {"X-Forwarded-For": f"198.51.100.99, {address}"}
        return (await gateway.post("/api/chat", json=_message(0), headers=headers)).status

    assert [await send("203.0.113.1") for _ in range(3)] == [200, 200, 429]
    assert await send("203.0.113.2") == 200


async def test_pages_and_staff_routes_are_not_limited(limited_gateway) -> None:
    gateway = await limited_gateway()
    for _ in range(3):
        await gateway.post("/api/chat", json=_message(0))
    assert (await gateway.get("/healthz")).status == 200
    assert (await gateway.get("/")).status == 200
