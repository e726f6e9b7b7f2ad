"""Staff console page response times on the seeded directory (not a test; run by hand).

    PYTHONPATH=. .venv/bin/python benchmarks/console_search.py [--requests 300] [--database-url URL]

Makes a throwaway SQLite directory (or uses --database-url, which must be empty or disposable),
loads bot/directory/data/seed_services.yml, adds one account, starts the real gateway with the
console on a loopback port, signs in over HTTP, then times whole page requests as a helpline call
would make them: searches with each kind of filter (need, area, pathway, status, words, and
combinations) and service details pages. Prints p50/p95/max in milliseconds per kind.
Goal: p95 < 100 ms for a search page on one core, so a search fits in a pause on the phone.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.accounts.store import AccountStore
from bot.directory import categories
from bot.directory.areas import council_codes
from bot.directory.db import make_engine, upgrade_database
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import seed_database
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.config import WebSettings
from bot.web.console.config import ConsoleSettings

PASSWORD = "benchmark password, not a real one"
WORDS = ["carers", "equipment", "reablement", "walking frame", "care home", "money", "transport"]


def _searches(rng: random.Random) -> dict[str, str]:
    need = rng.choice(categories.codes())
    area = rng.choice(council_codes())
    return {
        "search: no filters": "",
        "search: need": f"need={need}",
        "search: area": f"area={area}",
        "search: area + need": f"area={area}&need={need}",
        "search: area + pathway": f"area={area}&pathway={rng.randint(0, 3)}",
        "search: words": f"q={rng.choice(WORDS).replace(' ', '+')}",
        "search: area + words + all statuses": (
            f"area={area}&q={rng.choice(WORDS).replace(' ', '+')}&status=live&status=pilot&status=planned&status=ended"
        ),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(requests: int, database_url: str, folder: Path) -> None:
    upgrade_database(database_url)
    repository = DirectoryRepository(database_url)
    result = seed_database(repository)
    service_ids = [s.id for s in repository.search(page_size=100).results]
    repository.close()
    print(f"Seeded {result.stored} services into {database_url}")
    engine = make_engine(database_url)
    AccountStore(engine).add("bench", "Benchmark", "helpline", PASSWORD)
    engine.dispose()

    app = create_app(
        Settings(),
        WebSettings(feedback_path=folder / "feedback.jsonl"),
        ConsoleSettings(database_url=database_url, session_secret=b"benchmark-secret-" * 3),
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    timings: dict[str, list[float]] = {}
    rng = random.Random(6)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as client:
        form = await (await client.get(f"{base}/console/sign-in")).text()
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        signed = await client.post(f"{base}/console/sign-in",
                                   data={"csrf_token": token, "username": "bench", "password": PASSWORD})
        assert signed.status == 200 and "Find a service" in await signed.text(), "signed in"
        for _ in range(requests):
            pages = {**_searches(rng), "details page": None}
            for kind, query in pages.items():
                path = f"/console/directory?{query}" if query is not None else (
                    f"/console/directory/services/{rng.choice(service_ids)}"
                )
                started = time.perf_counter()
                async with client.get(base + path) as response:
                    await response.read()
                    assert response.status == 200, (path, response.status)
                timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
    await runner.cleanup()
    print(f"{'page':<40} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in timings.items():
        print(f"{kind:<40} {len(values):>5} {statistics.median(values):>8.1f} "
              f"{_percentile(values, 0.95):>8.1f} {max(values):>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="rounds of every kind of page")
    parser.add_argument("--database-url", help="an empty, disposable database (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'directory.db'}"
        asyncio.run(run(args.requests, url, Path(folder)))


if __name__ == "__main__":
    main()
