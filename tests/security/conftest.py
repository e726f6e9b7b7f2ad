"""The real stack for the security probes: `python -m bot run` on its own ports, probed from outside.

Loopback only. SQLite files in a temporary folder; a staff account for the sign-in probes; every
line the three services log is kept, so the last probe can scan it for what was typed.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTS = {"HOMEWARD_RASA_PORT": 36105, "HOMEWARD_ACTION_PORT": 36155, "HOMEWARD_GATEWAY_PORT": 38280}
START_TIMEOUT_S = 400
STAFF_USER, STAFF_PASSWORD = "sec.admin", "a long security test password"


@dataclass
class RealStack:
    gateway: str
    rasa: str
    action_server: str
    rasa_token: str
    action_token: str
    folder: Path
    output: list[str]
    process: subprocess.Popen

    def log_text(self) -> str:
        return "".join(self.output)


def _healthz(url: str) -> int:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status
    except OSError:
        return 0


def _bot(args: list[str], env: dict[str, str], stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, input=stdin, text=True,
                   check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RealStack]:
    if not (ROOT / "models" / "homeward.tar.gz").exists():
        pytest.fail("No trained model in models/: run ./scripts/test (it trains one) or ./scripts/start first.")
    folder = tmp_path_factory.mktemp("security")
    rasa_token, action_token = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    env = {
        **os.environ, **{name: str(port) for name, port in PORTS.items()},
        "RASA_AUTH_TOKEN": rasa_token, "HOMEWARD_ACTION_TOKEN": action_token,
        "DATABASE_URL": f"sqlite:///{folder / 'directory.db'}",
        "TRACKER_DB_URL": f"sqlite:///{folder / 'tracker.db'}",
        "HOMEWARD_FEEDBACK_PATH": str(folder / "feedback.jsonl"),
        "HOMEWARD_SESSION_SECRET": "security-probe-session-secret-" + "z" * 32,
        "HOMEWARD_RATE_LIMIT_PER_MINUTE": "0",  # the probes send many requests from one address
        "RASA_TELEMETRY_ENABLED": "false", "PYTHONPATH": str(ROOT), "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    for name in ("LOCK_STORE_URL", "HOMEWARD_RASA_HOST", "HOMEWARD_ACTION_HOST", "HOMEWARD_GATEWAY_HOST"):
        env.pop(name, None)
    _bot(["directory", "migrate"], env)
    _bot(["accounts", "add", STAFF_USER, "--name", "Security Probe", "--role", "admin", "--password-stdin"], env,
         STAFF_PASSWORD + "\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    output: list[str] = []
    # Read all along, so a full pipe never stalls the services; the lines are the logs the last probe scans.
    threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
    gateway = f"http://127.0.0.1:{PORTS['HOMEWARD_GATEWAY_PORT']}"
    deadline = time.monotonic() + START_TIMEOUT_S
    while not (any("Homeward is running" in line for line in output) and _healthz(gateway) == 200):
        if process.poll() is not None or time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("The stack did not start:\n" + "".join(output[-40:]))
        time.sleep(1)
    yield RealStack(
        gateway=gateway, rasa=f"http://127.0.0.1:{PORTS['HOMEWARD_RASA_PORT']}",
        action_server=f"http://127.0.0.1:{PORTS['HOMEWARD_ACTION_PORT']}",
        rasa_token=rasa_token, action_token=action_token, folder=folder, output=output, process=process,
    )
    os.killpg(process.pid, signal.SIGINT)  # the runner stops the three services
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
