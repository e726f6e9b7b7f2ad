"""The whole assistant as users reach it: real action server, Rasa, gateway, PostgreSQL, Redis.

Starts `python -m bot run` on spare ports with conversations stored in PostgreSQL and the
Redis lock store, talks to it through the web gateway, then stops it with Ctrl-C (SIGINT)
and checks nothing is left running.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"HOMEWARD_RASA_PORT": "15005", "HOMEWARD_ACTION_PORT": "15055", "HOMEWARD_GATEWAY_PORT": "18080"}
DATABASE_URL = os.environ.get("HOMEWARD_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("HOMEWARD_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
GATEWAY = f"http://127.0.0.1:{PORTS['HOMEWARD_GATEWAY_PORT']}"


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return 0


def chat(sender: str, message: str) -> list[dict]:
    request = urllib.request.Request(
        f"{GATEWAY}/api/chat",
        data=json.dumps({"sender_id": sender, "message": message}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["messages"]


@pytest.fixture(scope="module")
def stack() -> Iterator[subprocess.Popen]:
    if not (ROOT / "models" / "homeward.tar.gz").exists():
        pytest.fail("No trained model: run ./scripts/test (it trains one) or ./scripts/start first.")
    env = {**os.environ, **PORTS, "TRACKER_DB_URL": DATABASE_URL, "LOCK_STORE_URL": REDIS_URL,
           "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    output: list[str] = []
    deadline = time.monotonic() + 400
    for line in process.stdout:
        output.append(line)
        if "Homeward is running" in line:
            break
        if time.monotonic() > deadline:
            break
    if _get(f"{GATEWAY}/healthz") != 200:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("The stack did not start:\n" + "".join(output[-40:]))
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)


def test_a_family_conversation_through_the_gateway(stack) -> None:
    sender = uuid.uuid4().hex
    greeting = chat(sender, "hello")
    assert "Homeward" in greeting[0]["text"] and greeting[0]["buttons"]
    # Rasa's REST channel sends each paragraph as its own message: the source line is one of them.
    answer = "\n\n".join(m.get("text", "") for m in chat(sender, "what does pathway 1 mean"))
    assert "Pathway 1" in answer
    assert "Source: " in answer and "Last checked" in answer
    local = "\n\n".join(m.get("text", "") for m in chat(sender, "we live in Poole"))
    assert "In the BCP Council area:" in local


def stored_events(sender: str) -> list[dict]:
    """The events Rasa stored in PostgreSQL for one conversation."""
    engine = sa.create_engine(DATABASE_URL, future=True)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
        ).scalars().all()
    engine.dispose()
    return [json.loads(row) for row in rows]


def test_conversations_are_stored_in_postgresql(stack) -> None:
    sender = uuid.uuid4().hex
    chat(sender, "hi there")
    assert [e["event"] for e in stored_events(sender)].count("user") == 1


def test_personal_details_are_not_stored(stack) -> None:
    sender = uuid.uuid4().hex
    chat(sender, "My dad's NHS number is 943 476 5919, call me on 07700 900123. Who pays for care?")
    events = stored_events(sender)
    stored = json.dumps(events)
    # An empty result would mean Rasa could not load our tracker store and fell back to memory.
    assert events and "943 476 5919" not in stored and "07700 900123" not in stored
    assert "[NHS number]" in stored and "[phone number]" in stored


def test_ctrl_c_stops_every_service(stack) -> None:
    stack.send_signal(signal.SIGINT)
    stack.wait(timeout=60)
    assert stack.returncode == 0
    time.sleep(1)
    assert _get(f"{GATEWAY}/healthz") == 0
    assert _get(f"http://127.0.0.1:{PORTS['HOMEWARD_RASA_PORT']}/") == 0
    assert _get(f"http://127.0.0.1:{PORTS['HOMEWARD_ACTION_PORT']}/health") == 0
    # Each service runs in its own process group; find any by the ports on their command lines.
    pattern = "--port (" + "|".join(PORTS.values()) + ")"
    leftovers = subprocess.run(["pgrep", "-f", "--", pattern], capture_output=True, text=True).stdout
    assert leftovers.strip() == ""
