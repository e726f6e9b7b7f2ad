"""Only signed-in staff chat as the staff audience; nobody can claim it from the public chat."""

from __future__ import annotations

from aiohttp.test_utils import TestClient

from tests.bot.web.conftest import LONG_SENDER, Rasa
from tests.bot.web.console.conftest import page_token

MESSAGE = {"sender_id": LONG_SENDER, "message": "pathway finder", "client_message_id": "msg-00000001"}


async def test_the_public_chat_is_family_even_when_the_request_claims_staff(client: TestClient, rasa: Rasa) -> None:
    claimed = {**MESSAGE, "audience": "staff", "metadata": {"audience": "staff"}}
    response = await client.post("/api/chat", json=claimed)
    assert response.status == 200
    assert rasa.webhook_calls[-1]["metadata"]["audience"] == "family"


async def test_the_public_chat_stays_family_for_signed_in_staff(client: TestClient, rasa: Rasa, signed_in) -> None:
    await signed_in("ward")
    await client.post("/api/chat", json=MESSAGE)
    assert rasa.webhook_calls[-1]["metadata"]["audience"] == "family"


async def test_the_staff_route_needs_a_session(client: TestClient, rasa: Rasa) -> None:
    response = await client.post("/console/api/chat", json=MESSAGE, headers={"X-CSRF-Token": "x" * 43})
    assert response.status == 401
    assert "Sign in" in (await response.json())["error"]
    assert rasa.webhook_calls == []


async def test_the_staff_route_needs_the_csrf_token(client: TestClient, rasa: Rasa, signed_in) -> None:
    await signed_in("ward")
    response = await client.post("/console/api/chat", json=MESSAGE)
    assert response.status == 403
    assert rasa.webhook_calls == []


async def test_signed_in_staff_chat_as_staff(client: TestClient, rasa: Rasa, signed_in) -> None:
    await signed_in("helpline")
    html, token = await page_token(client, "/console/chat")
    assert 'data-audience="staff"' in html and "/static/widget.js" in html
    response = await client.post("/console/api/chat", json=MESSAGE, headers={"X-CSRF-Token": token})
    assert response.status == 200
    assert (await response.json())["messages"][0]["text"] == "You said pathway finder"
    sent = rasa.webhook_calls[-1]
    assert sent["metadata"] == {"audience": "staff", "client_message_id": "msg-00000001"}
    assert sent["sender"] == LONG_SENDER


async def test_the_staff_route_checks_messages_like_the_public_one(client: TestClient, signed_in) -> None:
    await signed_in("ward")
    _, token = await page_token(client, "/console/chat")
    response = await client.post(
        "/console/api/chat", json={**MESSAGE, "message": "x" * 2001}, headers={"X-CSRF-Token": token}
    )
    assert response.status == 413
