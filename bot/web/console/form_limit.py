"""Console forms may be larger than the public API's bodies, and a form over the limit gets a page.

The gateway reads at most 16 KB of any request (the public chat needs far less), but a directory
entry has several fields of up to 4,000 characters, and a character can take 12 bytes in a posted
form (an emoji, percent-encoded). Console POSTs are read with FORM_MAX_BYTES instead, and one
over it gets a console page saying what to do, not a bare 413.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web.console.html import page_html, render

CONSOLE_PREFIX = "/console/"
API_PREFIX = "/console/api/"
FORM_MAX_BYTES = 1024 * 1024
TOO_LARGE = """
<h1>That form was too long to save</h1>
<p>Nothing was saved. Go back, shorten the longest fields (each can hold up to 4,000 characters),
  and send the form again.</p>
"""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def console_form_limit(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method != "POST" or not request.path.startswith(CONSOLE_PREFIX) or request.path.startswith(API_PREFIX):
        return await handler(request)  # the console's JSON routes keep the public limit
    try:
        return await handler(request.clone(client_max_size=FORM_MAX_BYTES))
    except web.HTTPRequestEntityTooLarge:
        html = page_html("Error: Form too long", render(TOO_LARGE))
        return web.Response(text=html, status=413, content_type="text/html", headers={"Cache-Control": "no-store"})
