"""Rasa's Homeward channel: only the gateway (token, loopback Host, no Origin) reaches the assistant."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
import pytest_asyncio
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic, response

from bot.rasa_channel import GatewayInput
from bot.settings import RASA_WEBHOOK_PATH, channel_headers

TOKEN = "channel-test-token-" + "x" * 20


@dataclass
class Server:
    url: str
    port: int
    received: list[UserMessage] = field(default_factory=list)


# One server for the module: Sanic 21.12 cannot start a second app in one process.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(unused_tcp_port_factory) -> AsyncIterator[Server]:
    port = unused_tcp_port_factory()
    app = Sanic("channel_test", configure_logging=False)
    state = Server(url=f"http://127.0.0.1:{port}", port=port)

    class Agent:  # what rasa.core.channels.channel.register calls
        async def handle_message(self, message: UserMessage) -> None:
            state.received.append(message)
            await message.output_channel.send_text_message(message.sender_id, "hello")

    app.ctx.agent = Agent()

    @app.get("/other")
    async def other(_request):  # a route outside the channel is left alone
        return response.text("other")

    register([GatewayInput(TOKEN, frozenset({"127.0.0.1", "localhost"}))], app, route="/webhooks/")
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True)
    await server.startup()
    await server.start_serving()
    yield state
    server.close()
    await server.wait_closed()


@pytest.fixture
def server(running: Server) -> Server:
    running.received.clear()
    return running


async def post(server: Server, body: object, headers: dict[str, str] | None = None, raw: bytes | None = None):
    data = raw if raw is not None else json.dumps(body).encode()
    async with aiohttp.ClientSession() as session, session.post(
        f"{server.url}{RASA_WEBHOOK_PATH}", data=data,
        headers={"Content-Type": "application/json", **(headers or {})},
    ) as reply:
        return reply.status, await reply.text()


MESSAGE = {"sender": "abc12345", "message": "hi", "metadata": {"audience": "staff"}}


async def test_the_gateway_with_the_token_is_answered(server: Server) -> None:
    status, text = await post(server, MESSAGE, channel_headers(TOKEN))
    assert status == 200 and json.loads(text) == [{"recipient_id": "abc12345", "text": "hello"}]
    assert server.received[0].metadata == {"audience": "staff"}


@pytest.mark.parametrize("headers", [{}, channel_headers("wrong"), {"Authorization": TOKEN}])
async def test_without_the_token_nothing_reaches_the_assistant(server: Server, headers: dict[str, str]) -> None:
    status, _ = await post(server, MESSAGE, headers)
    assert status == 401 and server.received == []


async def test_a_web_page_is_refused_even_with_the_token(server: Server) -> None:
    status, _ = await post(server, MESSAGE, {**channel_headers(TOKEN), "Origin": "https://evil.example"})
    assert status == 403 and server.received == []


async def test_a_foreign_host_header_is_refused(server: Server) -> None:
    # DNS rebinding: the browser sends the attacker's name as Host.
    status, _ = await post(server, MESSAGE, {**channel_headers(TOKEN), "Host": f"evil.example:{server.port}"})
    assert status == 403 and server.received == []


@pytest.mark.parametrize("raw", [b"[1]", b'{"sender": 1, "message": "x"}', b"\xff\xfe", b"{" * 10])
async def test_malformed_bodies_are_a_400(server: Server, raw: bytes) -> None:
    status, _ = await post(server, None, channel_headers(TOKEN), raw=raw)
    assert status == 400 and server.received == []


async def test_a_huge_body_is_a_413(server: Server) -> None:
    status, _ = await post(server, {**MESSAGE, "message": "x" * 70_000}, channel_headers(TOKEN))
    assert status == 413 and server.received == []


async def test_unpaired_surrogates_and_controls_are_replaced_before_rasa_sees_them(server: Server) -> None:
    raw = b'{"sender": "abc12345", "message": "end my life\\ud800\\u0000", "metadata": {"shown": "a\\udc00"}}'
    status, _ = await post(server, None, channel_headers(TOKEN), raw=raw)
    assert status == 200
    assert server.received[0].text == "end my life\ufffd"  # Rasa strips the space left for the NUL
    assert server.received[0].metadata == {"shown": "a\ufffd"}


async def test_routes_outside_the_channel_are_not_guarded(server: Server) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"{server.url}/other") as reply:
        assert reply.status == 200
