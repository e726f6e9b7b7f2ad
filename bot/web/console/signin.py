"""Signing in and out of the staff console."""

from __future__ import annotations

import asyncio
import math

from aiohttp import web

from bot.accounts.store import normalise_username
from bot.web.console.auth import (
    HOME_PATH,
    SIGN_IN_PATH,
    anonymous_csrf_token,
    current_staff,
    end_session,
    read_form,
    safe_next,
    start_session,
)
from bot.web.console.html import Safe, csrf_input, error_summary, page_html, render
from bot.web.console.ratelimit import Attempt
from bot.web.console.state import console_of
from bot.web.rate_limit import client_address

MAX_USERNAME_CHARS = 64
SIGNED_OUT = Safe(
    '<div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" '
    'aria-labelledby="signed-out-title"><div class="nhsuk-notification-banner__header">'
    '<h2 class="nhsuk-notification-banner__title" id="signed-out-title">Success</h2></div>'
    '<div class="nhsuk-notification-banner__content"><p class="nhsuk-notification-banner__heading">'
    "You have signed out.</p></div></div>"
)

SIGN_IN_FORM = """
<div class="nhsuk-grid-row"><div class="nhsuk-grid-column-two-thirds">
$errors
<h1>Sign in</h1>
<p>For ward and helpline staff. Ask your Homeward admin for an account.</p>
<form action="/console/sign-in" method="post" novalidate>
  $csrf
  <input type="hidden" name="next" value="$next">
  <div class="nhsuk-form-group$username_group">
    <label class="nhsuk-label" for="username">User name</label>
    $username_error
    <input class="nhsuk-input nhsuk-u-width-two-thirds$username_class" id="username" name="username" type="text"
      autocomplete="username" spellcheck="false" autocapitalize="none" value="$username"$username_described>
  </div>
  <div class="nhsuk-form-group$password_group">
    <label class="nhsuk-label" for="password">Password</label>
    $password_error
    <input class="nhsuk-input nhsuk-u-width-two-thirds$password_class" id="password" name="password"
      type="password" autocomplete="current-password"$password_described>
  </div>
  <button class="nhsuk-button" type="submit">Sign in</button>
</form>
</div></div>
"""


def _field_error(field: str, message: str | None) -> dict[str, Safe | str]:
    if not message:
        return {f"{field}_group": "", f"{field}_error": "", f"{field}_class": "", f"{field}_described": ""}
    return {
        f"{field}_group": " nhsuk-form-group--error",
        f"{field}_error": render(
            '<span class="nhsuk-error-message" id="$field-error"><span class="nhsuk-u-visually-hidden">Error:</span> '
            "$message</span>",
            field=field,
            message=message,
        ),
        f"{field}_class": " nhsuk-input--error",
        f"{field}_described": render(' aria-describedby="$field-error"', field=field),
    }


def _sign_in_page(
    request: web.Request,
    *,
    next_path: str,
    username: str = "",
    problems: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> web.Response:
    problems = problems or []
    messages = dict(problems)
    response = web.Response(status=status, content_type="text/html")
    response.headers["Cache-Control"] = "no-store"
    values = {**_field_error("username", messages.get("username")),
              **_field_error("password", messages.get("password"))}
    signed_out = not problems and request.query.get("signed_out") == "1"
    body = render(
        SIGN_IN_FORM,
        errors=error_summary(problems) if problems else (SIGNED_OUT if signed_out else Safe("")),
        csrf=csrf_input(anonymous_csrf_token(request, response)),
        next=next_path,
        username=username,
        **values,
    )
    response.text = page_html("Error: Sign in" if problems else "Sign in", body, None, request.path)
    return response


async def console_home(request: web.Request) -> web.Response:
    raise web.HTTPFound(HOME_PATH if current_staff(request) else SIGN_IN_PATH)


async def sign_in_form(request: web.Request) -> web.Response:
    next_path = safe_next(request.query.get("next"))
    if current_staff(request) is not None:
        raise web.HTTPFound(next_path)
    return _sign_in_page(request, next_path=next_path)


def _client_address(request: web.Request) -> str:
    # Imported here: bot.web.app imports this package. Read the same way as the rate limit's.
    from bot.web.app import WEB_SETTINGS_KEY

    return client_address(request, request.app[WEB_SETTINGS_KEY].trust_proxy)


async def sign_in(request: web.Request) -> web.Response:
    form = await read_form(request)
    next_path = safe_next(str(form.get("next") or ""))
    username = normalise_username(str(form.get("username") or ""))[:MAX_USERNAME_CHARS]
    password = str(form.get("password") or "")
    problems = []
    if not username:
        problems.append(("username", "Enter your user name"))
    if not password:
        problems.append(("password", "Enter your password"))
    if problems:
        return _sign_in_page(request, next_path=next_path, username=username, problems=problems, status=400)
    console = console_of(request)
    attempt = console.limiter.begin(username, _client_address(request))  # counted before scrypt runs
    if not isinstance(attempt, Attempt):
        minutes = max(1, math.ceil(attempt / 60))
        message = (
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}, "
            "or ask your Homeward admin to set a new password."
        )
        return _sign_in_page(request, next_path=next_path, username=username, problems=[("username", message)],
                             status=429)
    # scrypt takes tens of milliseconds on purpose: keep it off the event loop.
    account = await asyncio.get_running_loop().run_in_executor(None, console.accounts.authenticate, username, password)
    if account is None:  # the attempt stays counted
        return _sign_in_page(
            request,
            next_path=next_path,
            username=username,
            problems=[("username", "The user name or password is not right. Check them and try again.")],
            status=401,
        )
    console.limiter.succeeded(attempt)
    response = web.HTTPSeeOther(next_path)
    start_session(request, response, account)
    raise response


async def sign_out(request: web.Request) -> web.Response:
    await read_form(request)
    staff = current_staff(request)
    if staff is not None:
        # Ends this account's sessions everywhere, so a copied cookie stops working too.
        console_of(request).accounts.end_sessions(staff.id)
    response = web.HTTPSeeOther("/console/sign-in?signed_out=1")
    end_session(request, response)
    raise response


def add_sign_in_routes(app: web.Application) -> None:
    app.router.add_get("/console", console_home)
    app.router.add_get("/console/", console_home)
    app.router.add_get("/console/sign-in", sign_in_form)
    app.router.add_post("/console/sign-in", sign_in)
    app.router.add_post("/console/sign-out", sign_out)
