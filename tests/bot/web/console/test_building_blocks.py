"""Signed sessions, the sign-in limiter and the escaping templates, on their own."""

from __future__ import annotations

import pytest

from bot.web.console.auth import safe_next
from bot.web.console.html import Safe, esc, join, render
from bot.web.console.ratelimit import SignInLimiter
from bot.web.console.sessions import SessionData, decode_session, encode_session

SECRET = b"s" * 40


def test_a_session_survives_the_round_trip_until_it_expires() -> None:
    data = SessionData.new(7, 3, expires=2_000)
    cookie = encode_session(data, SECRET)
    assert decode_session(cookie, SECRET, now=1_999) == data
    assert decode_session(cookie, SECRET, now=2_000) is None
    assert decode_session(cookie, b"another secret entirely....", now=1_000) is None


@pytest.mark.parametrize("cookie", ["", "abc", "a.b.c", "x" * 600, "e30.AAAA", "!!!.???"])
def test_malformed_cookies_are_not_sessions(cookie: str) -> None:
    assert decode_session(cookie, SECRET, now=0) is None


def test_a_cookie_cannot_be_edited_to_another_account() -> None:
    import base64
    import json

    cookie = encode_session(SessionData.new(7, 0, expires=2_000), SECRET)
    payload, signature = cookie.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data["a"] = 1
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode() + "." + signature
    assert decode_session(forged, SECRET, now=0) is None


def test_the_limiter_locks_a_name_then_lets_it_try_again() -> None:
    now = [0.0]
    limiter = SignInLimiter(per_name=3, per_address=10, window_seconds=60, clock=lambda: now[0])
    for _ in range(3):
        assert limiter.wait_seconds("ada", "10.0.0.1") == 0
        limiter.failed("ada", "10.0.0.1")
    assert limiter.wait_seconds("ada", "10.0.0.2") == 60, "a new address does not help"
    now[0] = 30
    assert limiter.wait_seconds("ada", "10.0.0.1") == 30
    now[0] = 60.5
    assert limiter.wait_seconds("ada", "10.0.0.1") == 0


def test_the_limiter_locks_an_address_trying_many_names() -> None:
    limiter = SignInLimiter(per_name=3, per_address=5, window_seconds=60, clock=lambda: 0.0)
    for index in range(5):
        limiter.failed(f"name{index}", "10.0.0.9")
    assert limiter.wait_seconds("someone-new", "10.0.0.9") > 0
    assert limiter.wait_seconds("someone-new", "10.0.0.1") == 0


def test_success_clears_the_names_failures() -> None:
    limiter = SignInLimiter(per_name=2, per_address=10, window_seconds=60, clock=lambda: 0.0)
    limiter.failed("ada", "a")
    limiter.succeeded("ada")
    limiter.failed("ada", "a")
    assert limiter.wait_seconds("ada", "a") == 0


def test_values_are_escaped_once_and_our_html_is_not() -> None:
    inner = render("<b>$name</b>", name='<script>"x"</script>')
    assert inner == "<b>&lt;script&gt;&quot;x&quot;&lt;/script&gt;</b>"
    assert render("<p>$inner</p>", inner=inner) == f"<p>{inner}</p>"
    assert join(["<i>", Safe("<i>")]) == "&lt;i&gt;\n<i>"
    assert Safe("<p>") + "<x>" == "<p>&lt;x&gt;" and isinstance(Safe("a") + "b", Safe)
    assert esc(None) == ""


@pytest.mark.parametrize(("target", "expected"), [
    ("/console/directory?q=a", "/console/directory?q=a"),
    ("/console/chat", "/console/chat"),
    ("https://evil.example/console", "/console/directory"),
    ("//evil.example/console", "/console/directory"),
    ("/console\\@evil.example", "/console/directory"),
    ("/api/chat", "/console/directory"),
    (None, "/console/directory"),
])
def test_only_console_paths_are_followed(target, expected) -> None:
    assert safe_next(target) == expected
