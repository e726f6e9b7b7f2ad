"""Only the sites named in HOMEWARD_ALLOWED_ORIGINS can use the API from their pages."""

from __future__ import annotations

import pytest

from bot.web.config import OriginError, WebSettings, parse_origin
from tests.bot.web.conftest import SENDER

ALLOWED = "https://council.example"
CHAT = {"sender_id": SENDER, "message": "hello"}


async def test_an_allowed_site_passes_the_preflight(gateway) -> None:
    response = await gateway.options("/api/chat", headers={
        "Origin": ALLOWED, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
    })
    assert response.status == 204
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]
    assert response.headers["Vary"] == "Origin"


async def test_an_allowed_site_can_read_the_reply(gateway, rasa) -> None:
    response = await gateway.post("/api/chat", json=CHAT, headers={"Origin": ALLOWED})
    assert response.status == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert len(rasa.webhook_calls) == 1


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://council.example", "https://council.example:8443"])
async def test_any_other_site_is_refused_and_reaches_nothing(gateway, rasa, origin) -> None:
    preflight = await gateway.options("/api/chat", headers={"Origin": origin, "Access-Control-Request-Method": "POST"})
    assert preflight.status == 403
    assert "Access-Control-Allow-Origin" not in preflight.headers
    response = await gateway.post("/api/chat", json=CHAT, headers={"Origin": origin})
    assert response.status == 403
    assert "not allowed" in (await response.json())["error"]
    assert rasa.webhook_calls == []


async def test_the_gateways_own_pages_need_no_configuration(gateway, rasa) -> None:
    own = f"http://{gateway.server.host}:{gateway.server.port}"
    response = await gateway.post("/api/chat", json=CHAT, headers={"Origin": own})
    assert response.status == 200
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_the_widget_files_carry_cors_headers_for_allowed_sites_only(gateway) -> None:
    allowed = await gateway.get("/static/widget.js", headers={"Origin": ALLOWED})
    assert allowed.status == 200 and allowed.headers["Access-Control-Allow-Origin"] == ALLOWED
    other = await gateway.get("/static/widget.js", headers={"Origin": "https://evil.example"})
    assert other.status == 200 and "Access-Control-Allow-Origin" not in other.headers


@pytest.mark.parametrize(
    ("raw", "origin"),
    [("https://www.Example.org/", "https://www.example.org"), ("http://127.0.0.1:8000", "http://127.0.0.1:8000")],
)
def test_origins_are_normalised(raw, origin) -> None:
    assert parse_origin(raw) == origin


@pytest.mark.parametrize("raw", ["*", "www.example.org", "https://example.org/page", "ftp://example.org",
                                 "https://user:pw@example.org"])
def test_anything_but_a_plain_origin_is_refused_with_a_clear_message(raw) -> None:
    with pytest.raises(OriginError, match="HOMEWARD_ALLOWED_ORIGINS"):
        parse_origin(raw)


def test_allowed_origins_come_from_the_environment(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("HOMEWARD_ALLOWED_ORIGINS", "https://a.example, https://b.example:8443/")
    monkeypatch.setenv("HOMEWARD_FEEDBACK_PATH", str(tmp_path / "f.jsonl"))
    settings = WebSettings.from_env()
    assert settings.allowed_origins == {"https://a.example", "https://b.example:8443"}
    assert settings.feedback_path == tmp_path / "f.jsonl"
    monkeypatch.delenv("HOMEWARD_ALLOWED_ORIGINS")
    assert WebSettings.from_env().allowed_origins == frozenset()
