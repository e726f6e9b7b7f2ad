"""Directory search latency on 100,000 SYNTHETIC services (not a test; run by hand).

    PYTHONPATH=. .venv/bin/python benchmarks/directory_search.py [--services 100000] [--queries 400]

Builds a throwaway SQLite file in a temporary folder and a throwaway PostgreSQL schema
(dropped afterwards), loads made-up services through the normal repository path, then times
a mix of searches as the assistant and the staff console make them (council + need, council +
common words, council + need + words, council + need + pathway, council + a rare word) and
prints p50/p95 in milliseconds, and how many word searches stopped early ("N or more").
Goal: p95 < 10 ms. Set BENCH_PG_URL to use another PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine

from bot.directory import categories
from bot.directory.areas import council_codes
from bot.directory.db import upgrade_database
from bot.directory.records import Batch, OrganizationRecord, ServiceRecord
from bot.directory.repository import DirectoryRepository

PG_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg2://postgres@127.0.0.1:5432/test")
WORDS = (
    "home care visit support equipment walking frame wheelchair carers advice falls dementia housing repairs "
    "hospital discharge reablement therapy community volunteer befriending night respite nursing alarm"
).split()


def synthetic_batch(count: int, rng: random.Random) -> Batch:
    councils = council_codes()
    codes = categories.codes()
    organizations = [OrganizationRecord({"id": f"synthetic-org-{i}", "name": f"SYNTHETIC Org {i}"}) for i in range(200)]
    services = []
    for i in range(count):
        roll = rng.random()
        scope, served = (
            ("national", ()) if roll < 0.05 else ("county", tuple(rng.sample(councils, 2))) if roll < 0.25
            else ("local", (rng.choice(councils),))
        )
        # Descriptions: mostly filler words from a large made-up vocabulary (as real text is
        # mostly words nobody searches for) plus two of the searchable words.
        words = " ".join([*(f"filler{int(rng.paretovariate(1.2)) % 5000}" for _ in range(20)), *rng.sample(WORDS, 2)])
        services.append(
            ServiceRecord(
                hsds={"id": f"synthetic-{i}", "name": f"SYNTHETIC service {i}", "description": words},
                organization_id=f"synthetic-org-{i % 200}",
                councils=served,
                scope=scope,
                categories=tuple(rng.sample(codes, 2)),
                pathways=tuple(sorted(rng.sample((0, 1, 2, 3), rng.randint(0, 2)))),
                status=rng.choices(("live", "pilot", "planned", "ended"), weights=(80, 5, 5, 10))[0],
                source_id="synthetic-benchmark",
                last_checked=date(2026, 11, 24),
            )
        )
    return Batch(organizations=organizations, services=services)


KINDS = (
    "council + need",
    "council + words",
    "council + need + words",
    "council + need + pathway",
    "council + rare word",
)


def time_searches(
    repository: DirectoryRepository, queries: int, rng: random.Random, capped: dict[str, int] | None = None
) -> dict[str, list[float]]:
    """Milliseconds per search, by kind; ``capped`` counts the searches that said "more than N"."""
    councils, codes = council_codes(), categories.codes()
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for i in range(queries):
        kind = KINDS[i % len(KINDS)]
        kwargs: dict = {
            KINDS[0]: {"council": rng.choice(councils), "need": rng.choice(codes)},
            KINDS[1]: {"council": rng.choice(councils), "text": " ".join(rng.sample(WORDS, 2))},
            KINDS[2]: {"council": rng.choice(councils), "need": rng.choice(codes), "text": rng.choice(WORDS)},
            KINDS[3]: {"council": rng.choice(councils), "need": rng.choice(codes), "pathway": rng.randint(0, 3)},
            # A word in a few dozen services: every tier is read and counted exactly.
            KINDS[4]: {"council": rng.choice(councils), "text": f"filler{rng.randint(50, 400)}"},
        }[kind]
        start = time.perf_counter()
        page = repository.search(**kwargs)
        timings[kind].append((time.perf_counter() - start) * 1000)
        if capped is not None and page.more:
            capped[kind] = capped.get(kind, 0) + 1
    return timings


def percentiles(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms"


def run(name: str, url: str, batch: Batch, queries: int) -> None:
    upgrade_database(url)
    repository = DirectoryRepository(url)
    try:
        start = time.perf_counter()
        repository.store(batch)
        load = time.perf_counter() - start
        rng = random.Random(2)
        time_searches(repository, 40, rng)  # warm caches
        capped: dict[str, int] = {}
        timings = time_searches(repository, queries, rng, capped)
        everything = [t for kind in KINDS for t in timings[kind]]
        print(f"{name}: loaded {len(batch.services):,} in {load:.0f} s; {queries} searches: {percentiles(everything)}")
        for kind in KINDS:
            said_more = f"; {capped[kind]} of {len(timings[kind])} said 'or more'" if capped.get(kind) else ""
            print(f"    {kind}: {percentiles(timings[kind])}{said_more}")
    finally:
        repository.close()


def on_each_database(run_one: Callable[[str, str, Batch, int], None], batch: Batch, count: int,
                     skip_postgres: bool) -> None:
    """Runs ``run_one(name, url, batch, count)`` on a fresh SQLite file, then in a throwaway
    PostgreSQL schema (dropped afterwards)."""
    with tempfile.TemporaryDirectory() as folder:
        run_one("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", batch, count)
    if skip_postgres:
        return
    schema = f"homeward_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, future=True)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        run_one("PostgreSQL", f"{PG_URL}?options=-csearch_path%3D{schema}", batch, count)
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    on_each_database(run, synthetic_batch(args.services, random.Random(1)), args.queries, args.skip_postgres)


if __name__ == "__main__":
    main()
