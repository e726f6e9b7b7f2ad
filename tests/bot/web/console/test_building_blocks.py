"""Signed sessions, the sign-in limiter and the escaping templates, on their own."""

from __future__ import annotations

import pytest

from bot.web.console.auth import safe_next
from bot.web.console.html import Safe, esc, join, render
from bot.web.console.ratelimit import Attempt, SignInLimiter
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


def _limiter(now: list[float], pair: int = 3, name: int = 6, address: int = 10) -> SignInLimiter:
    return SignInLimiter(per_name_and_address=pair, per_name=name, per_address=address, window_seconds=600,
                         clock=lambda: now[0], backoff_seconds=60)


def _fail(limiter: SignInLimiter, username: str, address: str) -> None:
    attempt = limiter.begin(username, address)
    assert isinstance(attempt, Attempt), f"{username} from {address} had to wait {attempt} s"


def test_past_the_limit_a_name_backs_off_doubling_rather_than_locking() -> None:
    now = [0.0]
    limiter = _limiter(now)
    for _ in range(3):
        _fail(limiter, "ada", "10.0.0.1")
    assert limiter.begin("ada", "10.0.0.1") == 60
    now[0] = 60.5
    _fail(limiter, "ada", "10.0.0.1")  # one more try after the back-off...
    assert limiter.begin("ada", "10.0.0.1") == 120  # ...and the next wait is twice as long


def test_someone_elses_wrong_guesses_do_not_lock_out_the_real_user() -> None:
    now = [0.0]
    limiter = _limiter(now)
    for _ in range(3):
        _fail(limiter, "ada", "10.6.6.6")  # an attacker
    assert limiter.wait_seconds("ada", "10.6.6.6") > 0
    assert limiter.wait_seconds("ada", "10.0.0.1") == 0, "Ada, from her own address, can still sign in"


def test_guessing_one_name_from_many_addresses_backs_off_the_name() -> None:
    now = [0.0]
    limiter = _limiter(now)
    for index in range(6):
        _fail(limiter, "ada", f"10.0.1.{index}")
    assert limiter.wait_seconds("ada", "10.0.2.1") == 60


def test_the_limiter_backs_off_an_address_trying_many_names() -> None:
    now = [0.0]
    limiter = _limiter(now, address=5)
    for index in range(5):
        _fail(limiter, f"name{index}", "10.0.0.9")
    assert limiter.wait_seconds("someone-new", "10.0.0.9") > 0
    assert limiter.wait_seconds("someone-new", "10.0.0.1") == 0


def test_an_attempt_counts_before_its_password_is_checked_and_a_success_takes_it_back() -> None:
    now = [0.0]
    limiter = _limiter(now, pair=2)
    first = limiter.begin("ada", "a")
    second = limiter.begin("ada", "a")  # sent at the same time: the first is not checked yet
    assert isinstance(first, Attempt) and isinstance(second, Attempt)
    assert limiter.begin("ada", "a") == 60, "a third attempt in flight waits"
    limiter.succeeded(first)
    assert limiter.wait_seconds("ada", "a") == 0  # the name's count from this address is cleared


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
