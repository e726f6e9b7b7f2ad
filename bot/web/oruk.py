"""Homeward's public Open Referral UK 3.0 API, read-only, under /oruk/ (see docs/directory.md).

Thin views over ``bot.directory.oruk_api``: public, no key, ``Access-Control-Allow-Origin: *``
(any site or tool may read an open directory), an ETag on every answer so a client that
asks again gets 304 Not Modified, and the gateway's rate limit (bot/web/rate_limit.py).
Database work runs in a worker thread so the gateway keeps serving chat meanwhile.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.directory import oruk_api
from bot.directory.repository import DirectoryRepository

PREFIX = "/oruk"
CACHE_CONTROL = "public, max-age=60"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class OrukDirectory:
    """The API's directory database, opened on first use (the gateway starts without one)."""

    def __init__(self, database_url: str | None) -> None:
        self.database_url = database_url
        self._api: oruk_api.OrukApi | None = None

    def get(self) -> oruk_api.OrukApi:
        if self._api is None:
            self._api = oruk_api.OrukApi(DirectoryRepository(self.database_url))
        return self._api

    def close(self) -> None:
        if self._api is not None:
            self._api.repository.close()
            self._api = None


ORUK_KEY = web.AppKey("oruk_directory", OrukDirectory)


def _json(request: web.Request, body: Any, status: int = 200) -> web.Response:
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str)
    etag = '"' + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    if status == 200 and etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        return web.Response(status=304, headers=headers)
    return web.Response(text=text, status=status, content_type="application/json", headers=headers)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"error": message}, status=status)


def open_to_all(view: Handler) -> Handler:
    """CORS for everyone, and the API's errors as JSON."""

    async def handler(request: web.Request) -> web.StreamResponse:
        try:
            response = await view(request)
        except oruk_api.BadRequest as error:
            response = _error(400, str(error))
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return handler


def _params(request: web.Request) -> dict[str, str]:
    return {key: request.query.get(key, "") for key in request.query}


async def _run(request: web.Request, work: Callable[[oruk_api.OrukApi], Any]) -> Any:
    api = request.app[ORUK_KEY].get()
    return await asyncio.to_thread(work, api)


def _found(request: web.Request, record: dict[str, Any] | None) -> web.Response:
    if record is None:
        return _error(404, "There is no record with that id.")
    return _json(request, record)


async def api_metadata(request: web.Request) -> web.Response:
    return _json(request, oruk_api.metadata())


async def services(request: web.Request) -> web.Response:
    params = _params(request)

    def work(api: oruk_api.OrukApi) -> dict[str, Any]:
        return api.services(oruk_api.service_query(params, api.council_of))

    return _json(request, await _run(request, work))


async def service(request: web.Request) -> web.Response:
    service_id = request.match_info["id"]
    return _found(request, await _run(request, lambda api: api.service(service_id)))


async def organizations(request: web.Request) -> web.Response:
    number, per_page = oruk_api.paging(_params(request))
    return _json(request, await _run(request, lambda api: api.organizations(number, per_page)))


async def organization(request: web.Request) -> web.Response:
    organization_id = request.match_info["id"]
    return _found(request, await _run(request, lambda api: api.organization(organization_id)))


async def service_at_locations(request: web.Request) -> web.Response:
    params = _params(request)
    unsupported = sorted(k for k, v in params.items() if v and k not in ("page", "per_page"))
    if unsupported:
        return _error(400, f"{', '.join(unsupported)}: only page and per_page are supported here")
    number, per_page = oruk_api.paging(params)
    return _json(request, await _run(request, lambda api: api.service_at_locations(number, per_page)))


async def service_at_location(request: web.Request) -> web.Response:
    sal_id = request.match_info["id"]
    return _found(request, await _run(request, lambda api: api.service_at_location(sal_id)))


async def taxonomies(request: web.Request) -> web.Response:
    number, per_page = oruk_api.paging(_params(request))
    return _json(request, oruk_api.taxonomy_list(number, per_page))


async def taxonomy(request: web.Request) -> web.Response:
    return _found(request, oruk_api.taxonomy(request.match_info["id"]))


async def taxonomy_terms(request: web.Request) -> web.Response:
    number, per_page = oruk_api.paging(_params(request))
    return _json(request, oruk_api.taxonomy_term_list(number, per_page))


async def taxonomy_term(request: web.Request) -> web.Response:
    return _found(request, oruk_api.taxonomy_term(request.match_info["id"]))


async def not_found(request: web.Request) -> web.Response:
    if request.method not in ("GET", "HEAD"):
        return _error(405, "This API is read-only: use GET.")
    return _error(404, "There is no such address in this API.")


ROUTES: tuple[tuple[str, Handler], ...] = (
    ("/", api_metadata),
    ("/services", services),
    ("/services/{id}", service),
    ("/organizations", organizations),
    ("/organizations/{id}", organization),
    ("/service_at_locations", service_at_locations),
    ("/service_at_locations/{id}", service_at_location),
    ("/taxonomies", taxonomies),
    ("/taxonomies/{id}", taxonomy),
    ("/taxonomy_terms", taxonomy_terms),
    ("/taxonomy_terms/{id}", taxonomy_term),
)


def add_oruk_routes(app: web.Application, directory: OrukDirectory, prefix: str = PREFIX) -> None:
    """The API's routes on ``app`` itself (not a sub-application: with this aiohttp and yarl, a
    sub-application's prefix check fails on every request that reaches it, a 500)."""
    app[ORUK_KEY] = directory
    for path, view in ROUTES:
        app.router.add_get(prefix + path, open_to_all(view))
    # Anything else under the prefix: a JSON 404 that any site can read, as the API's own are.
    app.router.add_route("*", prefix + "/{tail:.*}", open_to_all(not_found))

    async def close(_: web.Application) -> None:
        directory.close()

    app.on_cleanup.append(close)


def create_oruk_app(directory: OrukDirectory) -> web.Application:
    """The API alone, at the root (for tests and benchmarks)."""
    app = web.Application()
    add_oruk_routes(app, directory, prefix="")
    return app


def setup_oruk(app: web.Application, database_url: str | None) -> None:
    """Adds the API under /oruk/ (``database_url`` None: DATABASE_URL or the default file)."""
    add_oruk_routes(app, OrukDirectory(database_url))
