"""Who is signed in to the staff console, and the checks every staff route makes.

The API other gateway features build on (see docs/integration/console-auth-api.md):

    staff = current_staff(request)            # Staff or None; never raises
    staff = require_staff(request)            # any staff role; else redirect to sign-in
    staff = require_staff(request, roles=("helpline",))   # admins pass every role check
    form = await read_form(request)           # POST form, CSRF token checked (403 if wrong)
    check_csrf_header(request)                # for fetch()/JSON POSTs: X-CSRF-Token header

A session is a signed cookie (sessions.py) naming the account and its session epoch; the
account is read from the database on each request, so disabling it or changing its password
ends its sessions at once.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from aiohttp import web
from multidict import MultiDictProxy

from bot.accounts.models import ROLE_LABELS, ROLES
from bot.accounts.store import Account
from bot.web.console.sessions import SessionData, decode_session, encode_session
from bot.web.console.state import console_of

SESSION_COOKIE = "homeward_staff"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
SIGN_IN_PATH = "/console/sign-in"
HOME_PATH = "/console/directory"
ANONYMOUS_SESSION_SECONDS = 2 * 60 * 60  # long enough to fill in the sign-in form
_STAFF_KEY = "homeward_console_staff"
_SESSION_KEY = "homeward_console_session"


@dataclass(frozen=True)
class Staff:
    """A signed-in member of staff."""

    id: int
    username: str
    display_name: str
    role: str  # "ward" | "helpline" | "admin"
    csrf_token: str  # put in every form (CSRF_FIELD) or fetch header (CSRF_HEADER)

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def has_role(self, roles: Sequence[str]) -> bool:
        return self.is_admin or self.role in roles


def session_of(request: web.Request) -> SessionData | None:
    """The request's valid session cookie (signed in or not), or None."""
    if _SESSION_KEY not in request:
        settings = console_of(request).settings
        cookie = request.cookies.get(SESSION_COOKIE)
        request[_SESSION_KEY] = decode_session(cookie, settings.session_secret, time.time())
    return request[_SESSION_KEY]


def current_staff(request: web.Request) -> Staff | None:
    """The signed-in member of staff, or None (no cookie, bad or expired cookie, account disabled or signed out)."""
    if _STAFF_KEY in request:
        return request[_STAFF_KEY]
    staff = None
    session = session_of(request)
    if session is not None and session.account_id is not None:
        account = console_of(request).accounts.get(session.account_id)
        if account is not None and account.active and account.session_epoch == session.epoch:
            staff = Staff(account.id, account.username, account.display_name, account.role, session.csrf)
    request[_STAFF_KEY] = staff
    return staff


def safe_next(target: str | None) -> str:
    """A path on this site to go to after signing in; anything else (another site, odd schemes) goes home."""
    if not target or not target.startswith("/console") or target.startswith("//") or "\\" in target:
        return HOME_PATH
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else HOME_PATH


def require_staff(request: web.Request, roles: Sequence[str] = ROLES, *, redirect: bool = True) -> Staff:
    """The signed-in member of staff with one of ``roles`` (admins always pass).

    Not signed in: HTTPFound to the sign-in page (coming back here afterwards), or with
    ``redirect=False`` (for fetch()/JSON routes) HTTPUnauthorized. Signed in without the role:
    HTTPForbidden.
    """
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")
    staff = current_staff(request)
    if staff is None:
        if not redirect:
            raise web.HTTPUnauthorized(
                text='{"error": "Sign in to the staff console first."}', content_type="application/json"
            )
        target = request.path_qs if request.method == "GET" else request.path
        raise web.HTTPFound(f"{SIGN_IN_PATH}?next={quote(safe_next(target), safe='/')}")
    if not staff.has_role(roles):
        raise web.HTTPForbidden(text="Your account cannot use this part of the console.")
    return staff


def _same_origin(request: web.Request) -> bool:
    """A POST naming another site in its Origin header is refused (a second CSRF defence).

    "null" is let through to the token check: with our Referrer-Policy "no-referrer", browsers send
    Origin: null on our own form posts. The token and the SameSite=Strict cookie still protect them.
    """
    origin = request.headers.get("Origin")
    if origin is None or origin == "null":
        return True
    return urlsplit(origin).netloc == request.host


def _token_matches(request: web.Request, given: str | None) -> bool:
    session = session_of(request)
    return bool(session and given) and hmac.compare_digest(session.csrf.encode(), str(given).encode())


async def read_form(request: web.Request) -> MultiDictProxy[str]:
    """The POSTed form after checking its CSRF token against the session's; HTTPForbidden if it does not match."""
    form = await request.post()
    token = form.get(CSRF_FIELD)
    if not _same_origin(request) or not _token_matches(request, token if isinstance(token, str) else None):
        raise web.HTTPForbidden(
            text="This form has expired or did not come from the console. Go back, reload the page and try again."
        )
    return form  # type: ignore[return-value]


def check_csrf_header(request: web.Request) -> None:
    """For JSON POSTs: the X-CSRF-Token header must carry the session's token."""
    if not _same_origin(request) or not _token_matches(request, request.headers.get(CSRF_HEADER)):
        raise web.HTTPForbidden(
            text='{"error": "Your console session has changed. Reload the page."}', content_type="application/json"
        )


def _secure(request: web.Request) -> bool:
    return console_of(request).settings.secure_cookies or request.secure


def _set_cookie(request: web.Request, response: web.StreamResponse, session: SessionData) -> None:
    settings = console_of(request).settings
    response.set_cookie(
        SESSION_COOKIE,
        encode_session(session, settings.session_secret),
        max_age=max(0, int(session.expires - time.time())),
        path="/",
        httponly=True,
        samesite="Strict",
        secure=_secure(request),
    )
    request[_SESSION_KEY] = session


def anonymous_csrf_token(request: web.Request, response: web.StreamResponse) -> str:
    """The CSRF token for a form shown before sign-in; starts a not-signed-in session if there is none."""
    session = session_of(request)
    if session is None:
        session = SessionData.new(None, 0, int(time.time()) + ANONYMOUS_SESSION_SECONDS)
        _set_cookie(request, response, session)
    return session.csrf


def start_session(request: web.Request, response: web.StreamResponse, account: Account) -> None:
    """Signs ``account`` in: a new session and CSRF token (never the one from before sign-in)."""
    hours = console_of(request).settings.session_hours
    session = SessionData.new(account.id, account.session_epoch, int(time.time() + hours * 3600))
    _set_cookie(request, response, session)
    request.pop(_STAFF_KEY, None)


def end_session(request: web.Request, response: web.StreamResponse) -> None:
    response.del_cookie(SESSION_COOKIE, path="/")
    request.pop(_STAFF_KEY, None)
    request[_SESSION_KEY] = None
