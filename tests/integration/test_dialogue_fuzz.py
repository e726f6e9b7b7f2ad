"""Dialogue fuzzing: hundreds of seeded random conversations through the real stack, none broken.

Starts `python -m bot run` (real action server, Rasa and gateway, conversations in a temporary
SQLite file) on its own ports, then talks to it the way the widget does (`/api/chat`). A turn is
broken if it gets no reply, an error, the same text twice, more than four messages, or never ends
(Rasa's circuit breaker), or if the turn guard had to stop a loop. A failure prints the seed and
the messages, so the conversation can be replayed and kept as a test in tests/conversations/.

Also: each short message people send ("ok", "no", "?", an emoji...) as the first message and after
an answer gets one sensible reply, and the next question is answered normally.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.integration.dialogue_walks import Turn, tracker_problems, turn_problems, walk

pytestmark = pytest.mark.stack

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"HOMEWARD_RASA_PORT": "35005", "HOMEWARD_ACTION_PORT": "35055", "HOMEWARD_GATEWAY_PORT": "38080"}
GATEWAY = f"http://127.0.0.1:{PORTS['HOMEWARD_GATEWAY_PORT']}"
CONVERSATIONS = int(os.environ.get("HOMEWARD_FUZZ_CONVERSATIONS", "300"))
FIRST_SEED = int(os.environ.get("HOMEWARD_FUZZ_FIRST_SEED", "1"))
PARALLEL = 4  # Rasa, the action server and the gateway share the cores; a few chats at once keep them busy
GOAL_MESSAGES = [
    "ok", "yes", "no", "maybe", "not sure", "go back", "stop", "bye", "hi", "?", "5", "thanks", "great", "help",
    "Poole", "somewhere else", "talk to a person", "start again", "lol", "\N{SMILING FACE WITH SMILING EYES}",
    "okay thanks", "nope", "yes please",
]
FOLLOW_UP = "who pays for care after hospital"


@dataclass
class RunningStack:
    process: subprocess.Popen
    tracker_db: Path
    log: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    if not (ROOT / "models" / "homeward.tar.gz").exists():
        pytest.fail("No trained model: run ./scripts/test (it trains one) or ./scripts/start first.")
    work = tmp_path_factory.mktemp("fuzz")
    tracker_db, log = work / "tracker.db", work / "stack.log"
    env = {**os.environ, **PORTS, "TRACKER_DB_URL": f"sqlite:///{tracker_db}", "RASA_TELEMETRY_ENABLED": "false",
           "PYTHONPATH": str(ROOT), "HOMEWARD_RATE_LIMIT_PER_MINUTE": "0", "TF_CPP_MIN_LOG_LEVEL": "3",
           "DATABASE_URL": f"sqlite:///{ROOT / 'var' / 'directory.db'}"}
    env.pop("HOMEWARD_HELPLINE_HOURS", None)  # nobody is ever available: "talk to a person" gives the route
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
    deadline = time.monotonic() + 400
    while "Homeward is running" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("The stack did not start:\n" + log.read_text()[-3000:])
        time.sleep(1)
    yield RunningStack(process, tracker_db, log)
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def sender_for(sender: str):
    def send(message: str) -> Turn:
        request = urllib.request.Request(
            f"{GATEWAY}/api/chat", data=json.dumps({"sender_id": sender, "message": message}).encode(),
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                body, status = json.load(response), response.status
        except urllib.error.HTTPError as error:
            body, status = json.load(error), error.code
        return Turn(message, body.get("messages") or [], bool(body.get("degraded")), status)

    return send


def stored_events(tracker_db: Path, sender: str) -> list[dict]:
    with sqlite3.connect(tracker_db) as connection:
        rows = connection.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(row[0]) for row in rows]


def broken(stack: RunningStack, seed: int) -> str | None:
    sender = f"fuzz{seed:06d}{uuid.uuid4().hex[:16]}"
    conversation = walk(seed, sender_for(sender))
    problems = [f"turn {n} ({t.sent!r}): {p}" for n, t in enumerate(conversation.turns, 1) for p in turn_problems(t)]
    problems += tracker_problems(stored_events(stack.tracker_db, sender))
    return f"seed {seed}: {conversation.script()}\n    " + "\n    ".join(problems) if problems else None


def test_random_conversations_never_break(stack: RunningStack) -> None:
    seeds = range(FIRST_SEED, FIRST_SEED + CONVERSATIONS)
    started = time.monotonic()
    with ThreadPoolExecutor(PARALLEL) as pool:
        failures = [f for f in pool.map(lambda seed: broken(stack, seed), seeds) if f]
    with sqlite3.connect(stack.tracker_db) as connection:
        turns = connection.execute("SELECT COUNT(*) FROM events WHERE type_name = 'user'").fetchone()[0]
    print(f"\n{CONVERSATIONS} conversations, {turns} turns, {time.monotonic() - started:.0f} s")
    log = stack.log.read_text()
    assert "Circuit breaker tripped" not in log
    assert failures == [], f"{len(failures)} broken conversation(s):\n" + "\n".join(failures[:15])


@pytest.mark.parametrize("message", GOAL_MESSAGES)
def test_a_short_message_gets_one_reply_and_the_next_question_is_answered(stack: RunningStack, message: str) -> None:
    for opening in ([], ["what is reablement"]):
        sender = f"goal{uuid.uuid4().hex}"
        send = sender_for(sender)
        turns = [send(text) for text in [*opening, message, FOLLOW_UP]]
        for turn in turns:
            assert turn_problems(turn) == [], (turn.sent, turn.replies)
        follow_up = "\n".join(r.get("text", "") for r in turns[-1].replies)
        assert "Source:" in follow_up, f"after {message!r} the next question was not answered: {follow_up[:300]}"
        assert tracker_problems(stored_events(stack.tracker_db, sender)) == []
