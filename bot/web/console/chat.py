"""Chat in staff mode: the public widget on a console page, relayed with audience "staff".

The public /api/chat always says "family". Only this route says "staff", and only for a signed-in
member of staff whose request carries the session's CSRF token, so nobody can claim the staff
audience by editing a request.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.app import relay_chat
from bot.web.console.auth import check_csrf_header, require_staff
from bot.web.console.html import console_page, render

CHAT_PAGE = """
<h1>Staff chat</h1>
<p>The assistant answers for staff here, in staff terms, with the discharge pathway finder first.
  Type a question, or "pathway finder" to work out which discharge pathway may fit a patient.</p>
<div class="nhsuk-inset-text">
  <span class="nhsuk-u-visually-hidden">Information: </span>
  <p>The pathway finder is a prompt for the multidisciplinary team, not a decision. Do not type a
    patient's name, NHS number or other details that identify them.</p>
</div>
<div data-homeward-chat data-audience="staff" data-csrf-token="$csrf">
  <noscript><p>The chat needs JavaScript. The <a href="/console/directory">directory search</a> works without it.</p>
  </noscript>
</div>
"""


async def chat_page(request: web.Request) -> web.Response:
    staff = require_staff(request)
    return console_page(
        request,
        staff,
        title="Staff chat",
        body=render(CHAT_PAGE, csrf=staff.csrf_token),
        head=render('<script src="/static/widget.js" defer></script>'),
    )


async def staff_chat(request: web.Request) -> web.Response:
    require_staff(request, redirect=False)
    check_csrf_header(request)
    return await relay_chat(request, audience="staff")


def add_chat_routes(app: web.Application) -> None:
    app.router.add_get("/console/chat", chat_page)
    app.router.add_post("/console/api/chat", staff_chat)
