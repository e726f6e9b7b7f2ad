"""Headers and checks every gateway response and request gets, errors and redirects included.

- Security headers (CSP, nosniff, frame and referrer policies) on every response: aiohttp's
  HTTPException (401, 403, 404, 405, 413, redirects) is raised past an ordinary middleware, so
  it is caught here, given the headers and raised on.
- A Host allow-list: loopback names, the gateway's own listening host and HOMEWARD_PUBLIC_HOSTS.
  Any other Host is what a DNS-rebinding page sends (its own name resolved to 127.0.0.1), or a
  request meant for another site: refused with 421 before any handler runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
UNKNOWN_HOST = "This address is not served here."
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def security_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        response = await handler(request)
    except web.HTTPException as error:
        error.headers.update(SECURITY_HEADERS)
        raise
    response.headers.update(SECURITY_HEADERS)
    return response


def host_name(host: str) -> str:
    """The name in a Host header, lower case, without the port: '[::1]:8080' -> '::1'."""
    host = host.strip().lower().rstrip(".")
    if host.startswith("["):
        return host[1:].split("]", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_check_middleware(allowed_hosts: frozenset[str]):
    allowed = frozenset(host_name(h) for h in allowed_hosts)

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if host_name(request.headers.get("Host", "")) not in allowed:
            return web.json_response({"error": UNKNOWN_HOST}, status=421)
        return await handler(request)

    return middleware
