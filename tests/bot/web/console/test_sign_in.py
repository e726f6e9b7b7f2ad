"""Signing in and out: sessions, cookie flags, CSRF, rate limiting, redirects."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from urllib.parse import parse_qs, urlsplit

from aiohttp.test_utils import TestClient

from bot.accounts.store import AccountStore
from bot.directory.db import make_engine
from bot.web.config import WebSettings
from tests.bot.web.console.conftest import PASSWORD, USERS, csrf_from, page_token, sign_in_as


async def test_pages_need_sign_in_and_come_back_after_it(client: TestClient) -> None:
    response = await client.get("/console/directory?need=carers_support&area=bcp", allow_redirects=False)
    assert response.status == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/console/sign-in"
    next_path = parse_qs(location.query)["next"][0]
    assert next_path == "/console/directory?need=carers_support&area=bcp"
    form = await (await client.get(response.headers["Location"])).text()
    assert 'name="next" value="/console/directory?need=carers_support&amp;area=bcp"' in form
    signed = await sign_in_as(client, USERS["ward"], next_path=next_path)
    assert signed.status == 303
    assert signed.headers["Location"] == "/console/directory?need=carers_support&area=bcp"
    page = await client.get("/console/directory")
    assert page.status == 200
    assert "Wendy Test" in await page.text()


async def test_the_session_cookie_is_httponly_strict_and_expires(client: TestClient) -> None:
    response = await sign_in_as(client, USERS["ward"])
    cookie = response.cookies["homeward_staff"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/"
    assert 11 * 3600 < int(cookie["max-age"]) <= 12 * 3600
    assert not cookie["secure"], "plain http in tests: a Secure cookie would never come back"


async def test_the_cookie_is_secure_when_configured_for_https(make_client, console_settings) -> None:
    client = await make_client(replace(console_settings, secure_cookies=True))
    response = await client.get("/console/sign-in")
    assert response.cookies["homeward_staff"]["secure"] is True
    assert response.cookies["homeward_staff"]["samesite"] == "Strict"


async def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client: TestClient) -> None:
    for username in (USERS["ward"], "nobody-by-this-name"):
        response = await sign_in_as(client, username, password="not the password at all")
        assert response.status == 401
        text = await response.text()
        assert "The user name or password is not right" in text
        assert "nhsuk-error-summary" in text
    assert (await client.get("/console/directory", allow_redirects=False)).status == 302


async def test_empty_fields_are_named_in_the_error_summary(client: TestClient) -> None:
    _, token = await page_token(client, "/console/sign-in")
    response = await client.post("/console/sign-in", data={"csrf_token": token, "username": "", "password": ""})
    assert response.status == 400
    text = await response.text()
    assert '<a href="#username">Enter your user name</a>' in text
    assert '<a href="#password">Enter your password</a>' in text
    assert "<title>Error: Sign in" in text


async def test_sign_in_needs_the_forms_csrf_token(client: TestClient) -> None:
    await client.get("/console/sign-in")
    response = await client.post(
        "/console/sign-in", data={"csrf_token": "made-up", "username": USERS["admin"], "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status == 403
    assert (await client.get("/console/directory", allow_redirects=False)).status == 302


async def test_a_post_from_another_site_is_refused_even_with_a_token(client: TestClient) -> None:
    _, token = await page_token(client, "/console/sign-in")
    response = await client.post(
        "/console/sign-in", data={"csrf_token": token, "username": USERS["admin"], "password": PASSWORD},
        headers={"Origin": "https://evil.example"}, allow_redirects=False,
    )
    assert response.status == 403


async def test_signing_in_gives_a_new_csrf_token(client: TestClient) -> None:
    _, before = await page_token(client, "/console/sign-in")
    await sign_in_as(client, USERS["ward"])
    _, after = await page_token(client, "/console/directory")
    assert before != after


async def test_repeated_failures_make_the_name_wait_a_while(client: TestClient) -> None:
    for _ in range(5):
        assert (await sign_in_as(client, USERS["admin"], password="wrong password guess")).status == 401
    response = await sign_in_as(client, USERS["admin"])  # even the right password waits
    assert response.status == 429
    assert "Too many failed sign-ins. Try again in 1 minute" in await response.text()
    assert (await sign_in_as(client, USERS["ward"])).status == 303, "other people can still sign in"


async def test_wrong_passwords_sent_at_once_cannot_all_be_tried(client: TestClient) -> None:
    # Each attempt counts before scrypt runs, so ten at once are not all checked against a count of 0.
    pages = [await client.get("/console/sign-in") for _ in range(10)]
    tokens = [csrf_from(await page.text()) for page in pages]
    cookie = client.session.cookie_jar.filter_cookies(client.make_url("/"))

    async def attempt(token: str) -> int:
        response = await client.post(
            "/console/sign-in", allow_redirects=False,
            data={"csrf_token": token, "username": USERS["admin"], "password": "wrong password guess", "next": ""},
        )
        return response.status

    assert cookie  # one anonymous session: its token is the last page's
    statuses = await asyncio.gather(*(attempt(tokens[-1]) for _ in range(10)))
    assert sorted(statuses) == [401] * 5 + [429] * 5


async def test_behind_a_trusted_proxy_each_staff_members_address_counts_separately(
    make_client, console_settings, tmp_path
) -> None:
    app_client = await make_client(console_settings, WebSettings(feedback_path=tmp_path / "f.jsonl", trust_proxy=True))
    page = await app_client.get("/console/sign-in")
    token = csrf_from(await page.text())

    async def attempt(address: str) -> int:
        response = await app_client.post(
            "/console/sign-in", allow_redirects=False, headers={"X-Forwarded-For": address},
            data={"csrf_token": token, "username": USERS["admin"], "password": "wrong password guess", "next": ""},
        )
        return response.status

    assert [await attempt("203.0.113.9") for _ in range(6)][-1] == 429
    assert await attempt("198.51.100.7") == 401, "another address is still checked, not made to wait"


async def test_only_paths_in_the_console_are_followed_after_sign_in(client: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "/api/chat"):
        response = await sign_in_as(client, USERS["ward"], next_path=target)
        assert response.headers["Location"] == "/console/directory", target


async def test_a_changed_or_forged_cookie_is_not_a_session(client: TestClient) -> None:
    response = await sign_in_as(client, USERS["ward"])
    value = response.cookies["homeward_staff"].value
    payload, signature = value.split(".")
    forged = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    client.session.cookie_jar.update_cookies({"homeward_staff": forged})
    assert (await client.get("/console/directory", allow_redirects=False)).status == 302


async def test_signing_out_ends_the_session_even_for_a_copied_cookie(client: TestClient) -> None:
    response = await sign_in_as(client, USERS["ward"])
    copied = response.cookies["homeward_staff"].value
    _, token = await page_token(client, "/console/directory")
    out = await client.post("/console/sign-out", data={"csrf_token": token}, allow_redirects=False)
    assert out.status == 303
    signed_out = await client.get(out.headers["Location"])
    assert "You have signed out." in await signed_out.text()
    client.session.cookie_jar.update_cookies({"homeward_staff": copied})
    assert (await client.get("/console/directory", allow_redirects=False)).status == 302


async def test_disabling_an_account_ends_its_sessions_at_once(client: TestClient, console_url: str) -> None:
    await sign_in_as(client, USERS["helpline"])
    assert (await client.get("/console/directory")).status == 200
    engine = make_engine(console_url)
    AccountStore(engine).disable(USERS["helpline"])
    engine.dispose()
    assert (await client.get("/console/directory", allow_redirects=False)).status == 302
    assert (await sign_in_as(client, USERS["helpline"])).status == 401


async def test_console_pages_are_not_cached(client: TestClient) -> None:
    await sign_in_as(client, USERS["ward"])
    response = await client.get("/console/directory")
    assert response.headers["Cache-Control"] == "no-store"
    assert "Content-Security-Policy" in response.headers


async def test_the_sign_in_page_has_labelled_fields(client: TestClient) -> None:
    html = await (await client.get("/console/sign-in")).text()
    assert '<label class="nhsuk-label" for="username">User name</label>' in html
    assert 'autocomplete="current-password"' in html
    assert csrf_from(html)
