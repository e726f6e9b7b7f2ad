"""Open Referral UK 3.0: import from a file or an API with paging, export, and back without loss."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.directory.exporters.oruk_json import BATCH_SIZE, export_oruk, iter_oruk_services
from bot.directory.importers.oruk_json import (
    DETAIL_CONCURRENCY,
    ImportDefaults,
    OrukFetchError,
    batch_from_services,
    fetch_oruk_services,
    read_oruk_file,
)
from bot.directory.importers.validation import validate_batch
from bot.directory.public_ids import scoped_id
from bot.directory.repository import DirectoryRepository

from .conftest import FIXTURES
from .test_cli import run

ORUK_FILE = FIXTURES / "oruk_services.json"
DEFAULTS = ImportDefaults(source_id="test-council-directory", councils=("bcp",))


def assert_contains(expected: Any, actual: Any, path: str = "") -> None:
    """Every field of ``expected`` is in ``actual`` with the same value (lists matched by id)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), path
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} missing"
            assert_contains(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) >= len(expected), path
        by_id = {item.get("id"): item for item in actual if isinstance(item, dict)}
        for index, item in enumerate(expected):
            other = by_id.get(item.get("id")) if isinstance(item, dict) else actual[index]
            assert_contains(item, other, f"{path}[{index}]")
    else:
        assert expected == actual, f"{path}: {expected!r} != {actual!r}"


def test_a_council_directory_loads_and_exports_without_loss(repository: DirectoryRepository) -> None:
    batch = read_oruk_file(ORUK_FILE, DEFAULTS)
    assert validate_batch(batch) == []
    repository.store(batch)
    exported = list(iter_oruk_services(repository))  # as stored: the publisher's ids, every field
    original = json.loads(ORUK_FILE.read_text())["contents"]
    assert [s["id"] for s in exported] == [s["id"] for s in original]
    for before, after in zip(original, exported, strict=False):
        assert_contains(before, after, before["id"])


def test_imported_services_get_the_defaults_and_a_homeward_status(repository: DirectoryRepository) -> None:
    repository.store(read_oruk_file(ORUK_FILE, DEFAULTS))
    live = repository.get("7a0c2f4e-test-0001")
    assert live is not None
    assert (live.status, live.councils, live.scope) == ("live", ("bcp",), "local")
    assert live.source_id == "test-council-directory"
    assert live.last_checked.isoformat() == "2026-10-01"  # from assured_date
    assert repository.get("7a0c2f4e-test-0002").status == "ended"  # defunct: not offered
    assert [v.id for v in repository.search(council="bcp").results] == ["7a0c2f4e-test-0001"]


def test_export_then_import_gives_the_same_directory(seeded: DirectoryRepository, tmp_path: Path) -> None:
    first = export_oruk(seeded, "hsds")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(first, default=str))
    batch = read_oruk_file(path, ImportDefaults(source_id="unused", source_key=str(path)))
    assert validate_batch(batch) == []
    seeded.use_stored_ids(batch)  # published UUIDs back to the ids they are stored under
    seeded.store(batch)  # replaces each service with itself
    assert seeded.stats().services == 5
    assert export_oruk(seeded, "hsds") == first
    view = seeded.get("pan-dorset-equipment")
    assert view is not None and view.councils == ("bcp", "dorset") and view.scope == "county"
    assert view.pathways == (1, 2) and view.source_id == "test_source_dorset"


def test_exporting_chosen_ids_gives_only_those_services(seeded: DirectoryRepository) -> None:
    everything = {service["id"]: service for service in iter_oruk_services(seeded)}
    chosen = list(iter_oruk_services(seeded, ids=["pan-dorset-equipment", "no-such-service", "bcp-reablement"]))
    assert chosen == [everything["bcp-reablement"], everything["pan-dorset-equipment"]]  # whole, in id order
    assert list(iter_oruk_services(seeded, ids=["no-such-service"])) == []
    assert list(iter_oruk_services(seeded, ids=[])) == []
    many = ["national-carers-line", *(f"no-such-service-{i}" for i in range(BATCH_SIZE))]
    assert list(iter_oruk_services(seeded, ids=many)) == [everything["national-carers-line"]]


def test_reimporting_is_idempotent(repository: DirectoryRepository) -> None:
    for _ in range(2):
        repository.store(read_oruk_file(ORUK_FILE, DEFAULTS))
    assert repository.stats().services == 2
    assert repository.stats().organizations == 1


def test_validate_reports_every_problem_with_its_record_and_field(tmp_path: Path) -> None:
    document = json.loads(ORUK_FILE.read_text())
    document["contents"][0]["status"] = "sort of open"
    document["contents"][1]["name"] = ""
    document["contents"].append({"id": "7a0c2f4e-test-0001", "name": "Duplicate", "status": "active"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    problems = validate_batch(read_oruk_file(path, DEFAULTS))
    found = {(p.where, p.field) for p in problems}
    assert ("services[0] (7a0c2f4e-test-0001)", "status") in found
    assert ("services[1] (7a0c2f4e-test-0002)", "name") in found
    assert ("services[2] (7a0c2f4e-test-0001)", "id") in found


def test_a_file_that_is_not_json_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"contents": [')
    problems = read_oruk_file(path, DEFAULTS).problems
    assert len(problems) == 1 and "not valid JSON" in problems[0].message


async def test_services_are_fetched_page_by_page_from_an_oruk_api() -> None:
    pages = {
        n: [{"id": f"s{n}-{i}", "name": f"Service {n}.{i}", "status": "active"} for i in range(2)] for n in (1, 2, 3)
    }
    requested: list[str] = []

    async def services(request: web.Request) -> web.Response:
        page = int(request.query.get("page", "1"))
        requested.append(request.query.get("page", ""))
        return web.json_response({"total_pages": 3, "page_number": page, "contents": pages[page]})

    app = web.Application()
    app.router.add_get("/api/services", services)
    async with TestServer(app) as server:
        seen: list[tuple[int, int]] = []
        fetched = await fetch_oruk_services(
            str(server.make_url("/api")), on_page=lambda p, t: seen.append((p, t)), details=False
        )
    assert requested == ["1", "2", "3"]
    assert seen == [(1, 3), (2, 3), (3, 3)]
    batch = batch_from_services(fetched, DEFAULTS)
    assert [s.id for s in batch.services] == ["s1-0", "s1-1", "s2-0", "s2-1", "s3-0", "s3-1"]
    assert validate_batch(batch) == []


async def test_an_api_that_is_not_oruk_says_so() -> None:
    async def not_found(_: web.Request) -> web.Response:
        return web.Response(status=404)

    app = web.Application()
    app.router.add_get("/services", not_found)
    async with TestServer(app) as server:
        with pytest.raises(OrukFetchError, match="HTTP 404"):
            await fetch_oruk_services(str(server.make_url("")))


class FakeOrukApi:
    """An ORUK API whose list pages carry only each service's own fields (the spec allows that):
    phones, organisation, locations and attributes come only from ``/services/{id}``."""

    def __init__(self, services: list[dict[str, Any]], page_size: int = 1, missing: tuple[str, ...] = ()) -> None:
        self.services = services
        self.page_size = page_size
        self.missing = set(missing)
        self.requested: list[str] = []
        self.in_flight = self.peak = 0
        self.app = web.Application()
        self.app.router.add_get("/api/services", self.list_page)
        self.app.router.add_get("/api/services/{id}", self.detail)

    def detail_requests(self) -> list[str]:
        return sorted(path for path in self.requested if "?" not in path)

    async def list_page(self, request: web.Request) -> web.Response:
        self.requested.append(request.path_qs)
        page = int(request.query.get("page", "1"))
        listed = self.services[(page - 1) * self.page_size : page * self.page_size]
        summaries = [{k: v for k, v in s.items() if not isinstance(v, dict | list)} for s in listed]
        total_pages = -(-len(self.services) // self.page_size)
        return web.json_response({"total_pages": total_pages, "page_number": page, "contents": summaries})

    async def detail(self, request: web.Request) -> web.Response:
        self.requested.append(request.path)
        service_id = request.match_info["id"]
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0.02)  # long enough for concurrent requests to overlap
        finally:
            self.in_flight -= 1
        if service_id in self.missing:
            return web.Response(status=404)
        return web.json_response(next(s for s in self.services if s["id"] == service_id))


def stored_view(database_url: str, service_id: str, source: str | None = None):
    """The stored service a source published as ``service_id`` (ids are kept per source)."""
    with DirectoryRepository(database_url) as repository:
        return repository.get(scoped_id(source, service_id) if source else service_id)


async def test_each_listed_service_is_fetched_in_full_a_few_at_a_time() -> None:
    services = [
        {"id": f"s{i:02}", "name": f"Service {i}", "status": "active",
         "phones": [{"id": f"ph-{i}", "number": f"01000 0000{i:02}"}]}
        for i in range(3 * DETAIL_CONCURRENCY)
    ]
    api = FakeOrukApi(services, page_size=5)
    async with TestServer(api.app) as server:
        progress: list[tuple[int, int]] = []
        fetched = await fetch_oruk_services(
            str(server.make_url("/api")), on_detail=lambda done, total: progress.append((done, total))
        )
    assert fetched == services  # the full services (with phones), in list order
    assert api.detail_requests() == [f"/api/services/{s['id']}" for s in services]
    assert 1 < api.peak <= DETAIL_CONCURRENCY
    assert progress == [(done, len(services)) for done in range(1, len(services) + 1)]


async def test_an_api_import_stores_what_only_the_service_details_hold(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api = FakeOrukApi(json.loads(ORUK_FILE.read_text())["contents"])
    async with TestServer(api.app) as server:
        base = str(server.make_url("/api"))
        assert await asyncio.to_thread(run, database_url, "import", base, "--council", "bcp") == 0
    assert len(api.detail_requests()) == 2
    err = capsys.readouterr().err
    assert "Fetched page 2 of 2" in err and "Fetched details of 2 of 2 services" in err
    view = stored_view(database_url, "7a0c2f4e-test-0001", base)
    assert view is not None
    assert (view.phones, view.organization, view.hours) == (("01000 000000",), "Test Volunteers", ("Weekdays",))


async def test_list_only_imports_the_list_as_it_is(database_url: str) -> None:
    api = FakeOrukApi(json.loads(ORUK_FILE.read_text())["contents"])
    async with TestServer(api.app) as server:
        base = str(server.make_url("/api"))
        assert await asyncio.to_thread(run, database_url, "import", base, "--council", "bcp", "--list-only") == 0
    assert api.detail_requests() == []
    view = stored_view(database_url, "7a0c2f4e-test-0001", base)
    assert view is not None and view.name == "Test Befriending Service"
    assert (view.phones, view.organization) == ((), None)  # the list never had them


async def test_a_service_whose_details_cannot_be_read_fails_the_import(
    database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    api = FakeOrukApi(json.loads(ORUK_FILE.read_text())["contents"], missing=("7a0c2f4e-test-0002",))
    async with TestServer(api.app) as server:
        base = str(server.make_url("/api"))
        assert await asyncio.to_thread(run, database_url, "import", base) == 1
    err = capsys.readouterr().err
    assert f"{base}/services/7a0c2f4e-test-0002 answered HTTP 404" in err and "--list-only" in err
    assert stored_view(database_url, "7a0c2f4e-test-0001", base) is None  # the service that was read is not written
