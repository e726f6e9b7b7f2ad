"""CORS for the gateway's API, so the widget embedded on an allowed council or NHS page can call it.

Only origins named in HOMEWARD_ALLOWED_ORIGINS get CORS headers; a request from any other site that
carries an Origin header is refused outright, so the API cannot be driven from pages we did not approve.
The gateway's own pages (same origin) need no configuration. Static files (the widget's script and
styles) also carry the header for allowed origins, so tools that read stylesheets (axe-core) work there.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web

API_PREFIX = "/api/"
STATIC_PREFIX = "/static/"
PREFLIGHT_MAX_AGE = "600"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _is_same_origin(request: web.Request, origin: str) -> bool:
    # Compare host:port only: behind a TLS-terminating proxy the gateway itself sees http.
    return urlsplit(origin).netloc.lower() == request.host.lower()


def _refuse() -> web.Response:
    return web.json_response({"error": "This website is not allowed to use the Homeward chat."}, status=403)


def _allow(response: web.StreamResponse, origin: str) -> web.StreamResponse:
    response.headers["Access-Control-Allow-Origin"] = origin
    response.headers["Vary"] = "Origin"
    return response


def cors_middleware(allowed_origins: frozenset[str]):
    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is None or _is_same_origin(request, origin):
            return await handler(request)
        if request.path.startswith(STATIC_PREFIX):
            response = await handler(request)
            return _allow(response, origin) if origin in allowed_origins else response
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        if origin not in allowed_origins:
            return _refuse()
        if request.method == "OPTIONS":
            preflight = web.Response(status=204)
            preflight.headers["Access-Control-Allow-Methods"] = "POST"
            preflight.headers["Access-Control-Allow-Headers"] = "Content-Type"
            preflight.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            return _allow(preflight, origin)
        try:
            response = await handler(request)
        except web.HTTPException as error:  # e.g. 404/405: the page must still be able to read the status
            return _allow(web.json_response({"error": error.reason}, status=error.status), origin)
        return _allow(response, origin)

    return middleware
