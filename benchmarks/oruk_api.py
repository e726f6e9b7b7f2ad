"""Public ORUK API latency on 100,000 SYNTHETIC services (not a test; run by hand).

    PYTHONPATH=. .venv/bin/python benchmarks/oruk_api.py [--services 100000] [--requests 300]

Loads the same made-up services as benchmarks/directory_search.py into a throwaway SQLite
file and PostgreSQL schema, then times ``GET /oruk/services`` (20 a page) through the real
aiohttp app in this process (routing, database, JSON and ETag included): pages 1 to 50 of
everything, by a need's taxonomy term, by words, and ``GET /oruk/services/{id}``.
Goal: p95 under 20 ms for a 20-item page. Set BENCH_PG_URL to use another PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time

from aiohttp.test_utils import TestClient, TestServer

from benchmarks.directory_search import WORDS, on_each_database, percentiles, synthetic_batch
from bot.directory import taxonomies
from bot.directory.db import upgrade_database
from bot.directory.records import Batch
from bot.directory.repository import DirectoryRepository
from bot.web.oruk import OrukDirectory, create_oruk_app

KINDS = ("all, pages 1-50", "need term", "words", "one service")


async def time_requests(url: str, requests: int, rng: random.Random) -> dict[str, list[float]]:
    app = create_oruk_app(OrukDirectory(url))
    needs = [t.id for t in next(t for t in taxonomies.all_taxonomies() if t.name == taxonomies.NEED).terms]
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    async with TestClient(TestServer(app)) as client:
        first = await (await client.get("/services?per_page=100")).json()
        ids = [s["id"] for s in first["contents"]]
        for i in range(requests + 40):
            kind = KINDS[i % len(KINDS)]
            path = {
                KINDS[0]: f"/services?per_page=20&page={rng.randint(1, 50)}",
                KINDS[1]: f"/services?per_page=20&taxonomy_term_id={rng.choice(needs)}&page={rng.randint(1, 5)}",
                KINDS[2]: f"/services?per_page=20&search={rng.choice(WORDS)}",
                KINDS[3]: f"/services/{rng.choice(ids)}",
            }[kind]
            start = time.perf_counter()
            response = await client.get(path)
            await response.read()
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status == 200, (path, response.status)
            if i >= 40:  # the first ones warm the caches
                timings[kind].append(elapsed)
    return timings


def run(name: str, url: str, batch: Batch, requests: int) -> None:
    upgrade_database(url)
    with DirectoryRepository(url) as repository:
        start = time.perf_counter()
        repository.store(batch)
        load = time.perf_counter() - start
    timings = asyncio.run(time_requests(url, requests, random.Random(3)))
    everything = [t for kind in KINDS for t in timings[kind]]
    print(f"{name}: loaded {len(batch.services):,} in {load:.0f} s; {requests} requests: {percentiles(everything)}")
    for kind in KINDS:
        print(f"    {kind}: {percentiles(timings[kind])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    on_each_database(run, synthetic_batch(args.services, random.Random(1)), args.requests, args.skip_postgres)


if __name__ == "__main__":
    main()
