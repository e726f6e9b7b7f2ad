"""The public ORUK API, checked against the UK profile's own openapi.json and schemas (strict),
on SQLite and PostgreSQL, and driven by hypothesis from that openapi.json."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.directory import taxonomies
from bot.directory.public_ids import public_id
from bot.directory.records import Batch
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import read_seed, seed_database
from bot.settings import Settings
from bot.web.app import create_app
from bot.web.config import WebSettings
from bot.web.oruk import OrukDirectory, create_oruk_app
from tests.standards.schemas import both_standards_errors, errors, openapi_validator, uk_openapi

from .conftest import SMALL_SEED

OPENAPI = uk_openapi()
# Ids the seeded directory publishes (they are derived, so known in advance): requests for them
# reach the records themselves, not only "not found".
KNOWN_IDS = sorted(
    [public_id("service", s.id) for s in read_seed(SMALL_SEED).services]
    + [public_id("organization", o.id) for o in read_seed(SMALL_SEED).organizations]
    + [t.id for t in taxonomies.all_taxonomies()]
    + [term.id for t in taxonomies.all_taxonomies() for term in t.terms]
)


@pytest.fixture
async def client(database_url: str) -> AsyncIterator[TestClient]:
    with DirectoryRepository(database_url) as repository:
        assert seed_database(repository, SMALL_SEED).problems == []
    async with TestClient(TestServer(create_oruk_app(OrukDirectory(database_url)))) as test_client:
        yield test_client


def response_schema(path: str) -> dict[str, Any]:
    return OPENAPI["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def schema_errors(path: str, body: Any) -> list[str]:
    return [f"{path} {e.message}" for e in openapi_validator(response_schema(path)).iter_errors(body)]


async def test_every_endpoint_answers_as_the_profile_says(client: TestClient) -> None:
    problems: list[str] = []
    meta = await (await client.get("/")).json()
    assert meta["profile"].startswith("https://") and meta["version"] == "3.0"
    problems += schema_errors("/", meta)
    for path in ("/services", "/taxonomies", "/taxonomy_terms", "/service_at_locations"):
        response = await client.get(path)
        assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
        body = await response.json()
        problems += schema_errors(path, body)
        assert body["total_items"] > 0 or path == "/service_at_locations", path
        for item in body["contents"]:
            one = await client.get(f"{path}/{item['id']}")
            assert one.status == 200, path
            problems += schema_errors(f"{path}/{{id}}", await one.json())
    services = await (await client.get("/services")).json()
    for item in services["contents"]:
        full = await (await client.get(f"/services/{item['id']}")).json()
        problems += both_standards_errors("service", full)
    organizations = await (await client.get("/organizations")).json()
    for item in organizations["contents"]:
        problems += errors("uk", "compiled/organization_list", item) + errors("hsds", "organization", item)
        one = await (await client.get(f"/organizations/{item['id']}")).json()
        problems += both_standards_errors("organization", one)
    assert problems == []


async def test_filters_paging_and_cache(client: TestClient) -> None:
    everything = await (await client.get("/services?per_page=2")).json()
    assert everything["total_items"] == 5 and everything["size"] == 2 and everything["total_pages"] == 3
    one = await (await client.get(f"/services/{everything['contents'][0]['id']}")).json()
    need = next(a["taxonomy_term_id"] for a in one["attributes"] if a["link_type"] == "need")
    found = await (await client.get(f"/services?taxonomy_term_id={need}")).json()
    assert 0 < found["total_items"] < 5
    assert one["id"] in {s["id"] for s in found["contents"]}
    in_bcp = await (await client.get("/services?postcode=BH1 1AA")).json()
    assert 0 < in_bcp["total_items"] < 5
    future = await (await client.get("/services?modified_after=2999-01-01T00:00:00Z")).json()
    assert future["total_items"] == 0 and future["empty"]
    first = await client.get("/services")
    again = await client.get("/services", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status == 304
    assert (await client.get("/services/not-a-uuid")).status == 404
    assert (await client.get("/services?per_page=0")).status == 400


def _value(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    kind = schema.get("type")
    if kind == "integer":
        return st.integers(-5, 10**7).map(str)
    if kind == "number":
        return st.floats(allow_nan=True, allow_infinity=True).map(str)
    if kind == "boolean":
        return st.sampled_from(["true", "false", "1", "yes"])
    return st.text(max_size=40)


def _parameters(path: str) -> list[dict[str, Any]]:
    found = []
    for parameter in OPENAPI["paths"][path]["get"].get("parameters", []):
        if "$ref" in parameter:
            parameter = OPENAPI["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
        found.append(parameter)
    return found


@st.composite
def requests(draw: st.DrawFn) -> tuple[str, str, dict[str, str]]:
    """A request to one of the profile's paths, with parameters drawn from their schemas."""
    template = draw(st.sampled_from(sorted(OPENAPI["paths"])))
    path = template
    if "{id}" in template:
        given_id = draw(st.one_of(st.sampled_from(KNOWN_IDS), st.uuids().map(str), st.text(min_size=1, max_size=40)))
        path = template.replace("{id}", quote(given_id, safe=""))
    query = {}
    for parameter in _parameters(template):
        if draw(st.booleans()):
            query[parameter["name"]] = draw(_value(parameter.get("schema") or {}))
    return template, path, query


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(request=requests())
async def test_the_profiles_openapi_never_gets_a_server_error(client: TestClient, request: Any) -> None:
    template, path, query = request
    response = await client.get(path, params=query, allow_redirects=False)
    assert response.status < 500, (path, query)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if response.status == 200:
        assert schema_errors(template, await response.json()) == []


async def test_the_gateway_serves_the_api_under_oruk(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with DirectoryRepository(database_url) as repository:
        assert seed_database(repository, SMALL_SEED).problems == []
    monkeypatch.setenv("DATABASE_URL", database_url)
    app = create_app(Settings(), WebSettings(feedback_path=tmp_path / "feedback.jsonl"))
    async with TestClient(TestServer(app, host="127.0.0.1")) as gateway:
        response = await gateway.get("/oruk/services", headers={"Origin": "https://another-directory.example"})
        assert response.status == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
        body = await response.json()
        assert body["total_items"] == 5 and schema_errors("/services", body) == []
        assert (await gateway.get("/no-such-page")).status == 404  # other paths are untouched


async def test_names_on_the_excluded_list_are_never_published(client: TestClient, database_url: str) -> None:
    listed = (await (await client.get("/services?per_page=100")).json())["contents"]
    board = listed[0]
    with DirectoryRepository(database_url) as repository:
        repository.store(Batch(excluded=[{"name": board["name"], "reason": "a board, not a service"}]))
    for path in ("/services?per_page=100", "/services?per_page=100&modified_after=2000-01-01T00:00:00Z"):
        body = await (await client.get(path)).json()
        assert body["total_items"] == len(listed) - 1, path
        assert board["id"] not in {s["id"] for s in body["contents"]}, path
