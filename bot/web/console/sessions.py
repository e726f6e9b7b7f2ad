"""Signed session cookies: the data is readable by the server only through its HMAC check.

A cookie is ``<payload>.<signature>``: the payload is base64url JSON
{"a": account id or null, "e": account session epoch, "c": CSRF token, "x": expiry (Unix time)},
the signature HMAC-SHA256 over it with the session secret. Nothing secret is in the payload;
the signature stops anyone making or changing one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

MAX_COOKIE_CHARS = 512
_PURPOSE = b"homeward-staff-session:v1:"


@dataclass(frozen=True)
class SessionData:
    account_id: int | None  # None: not signed in yet (the sign-in form's session, for its CSRF token)
    epoch: int
    csrf: str
    expires: int

    @classmethod
    def new(cls, account_id: int | None, epoch: int, expires: int) -> SessionData:
        return cls(account_id=account_id, epoch=epoch, csrf=secrets.token_urlsafe(32), expires=expires)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(payload: str, secret: bytes) -> str:
    return _b64(hmac.new(secret, _PURPOSE + payload.encode("ascii"), hashlib.sha256).digest())


def encode_session(data: SessionData, secret: bytes) -> str:
    payload = _b64(
        json.dumps({"a": data.account_id, "e": data.epoch, "c": data.csrf, "x": data.expires}, separators=(",", ":"))
        .encode("utf-8")
    )
    return f"{payload}.{_signature(payload, secret)}"


def decode_session(cookie: str | None, secret: bytes, now: float) -> SessionData | None:
    """The session in a cookie, or None if it is missing, tampered with, malformed or expired."""
    if not cookie or len(cookie) > MAX_COOKIE_CHARS or cookie.count(".") != 1:
        return None
    payload, signature = cookie.split(".")
    try:
        if not hmac.compare_digest(signature.encode("ascii"), _signature(payload, secret).encode("ascii")):
            return None
        data = json.loads(_unb64(payload))
    except (ValueError, UnicodeError):
        return None
    if not isinstance(data, dict):
        return None
    account_id, epoch, csrf, expires = data.get("a"), data.get("e"), data.get("c"), data.get("x")
    if not (account_id is None or type(account_id) is int) or type(epoch) is not int or type(expires) is not int:
        return None
    if not isinstance(csrf, str) or len(csrf) < 32 or expires <= now:
        return None
    return SessionData(account_id=account_id, epoch=epoch, csrf=csrf, expires=expires)
