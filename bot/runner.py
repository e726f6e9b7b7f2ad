"""Runs the assistant: the action server, Rasa and the web gateway, as one supervised group.

Each service runs in its own process group so Ctrl-C (or SIGTERM) stops it and everything
it started; if any service dies, the others are stopped too, so nothing is left orphaned.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from sqlalchemy.exc import SQLAlchemyError

from bot.privacy.logging import write_logging_config
from bot.privacy.retention import RetentionJob, RetentionSettingError, retention_days_from_env, tracker_db_url
from bot.private_files import PRIVATE_UMASK, VAR_DIR, restrict_var_dir, write_private_text
from bot.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_S = 300  # Rasa loads TensorFlow and the model: about a minute on 2 cores


@dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    process: subprocess.Popen | None = None


def write_endpoints(settings: Settings, path: Path) -> Path:
    """endpoints.yml for this run: the committed defaults plus environment overrides."""
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text())
    endpoints["action_endpoint"]["url"] = settings.action_url
    # Rasa fills this in from its environment (the runner's HOMEWARD_ACTION_TOKEN), so the file holds
    # no secret; Rasa sends it to the action server as ?token=.
    endpoints["action_endpoint"]["token"] = "${HOMEWARD_ACTION_TOKEN}"
    if settings.tracker_db_url:
        # Rasa's SQL store takes a whole database URL in `url`: any dialect, password and options kept.
        endpoints["tracker_store"] = {
            "type": endpoints["tracker_store"]["type"],
            "url": tracker_db_url(settings.tracker_db_url),
        }
    if settings.lock_store_url:
        url = urlsplit(settings.lock_store_url)
        endpoints["lock_store"] = {
            "type": "redis",
            "url": url.hostname,
            "port": url.port or 6379,
            "db": int(url.path.lstrip("/") or 0),
            "password": url.password,
        }
    return write_private_text(path, yaml.safe_dump(endpoints, sort_keys=False))  # may hold a database password


def services(settings: Settings, endpoints: Path, logging_config: Path) -> list[Service]:
    python = sys.executable
    rasa = [
        # bot.rasa_server adds --auth-token from RASA_AUTH_TOKEN (see service_env) inside the process.
        python, "-m", "bot.rasa_server", "run",
        "--enable-api",
        "--interface", settings.rasa_host,
        "--port", str(settings.rasa_port),
        "--credentials", "credentials.yml",
        "--endpoints", str(endpoints),
        "--model", settings.model_path,
        "--logging-config-file", str(logging_config),  # keeps message text out of Rasa's logs
    ]
    return [
        Service(
            "action server",
            [python, "-m", "bot.action_server", "--host", settings.action_host, "--port", str(settings.action_port)],
            f"http://{settings.action_host}:{settings.action_port}/health",
        ),
        Service("Rasa", rasa, f"{settings.rasa_url}/"),
        Service(
            "web gateway",
            [python, "-m", "bot.web", "--host", settings.gateway_host, "--port", str(settings.gateway_port)],
            f"http://{settings.gateway_host}:{settings.gateway_port}/healthz",
        ),
    ]


def service_env(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    """The services' environment: ``base`` (the runner's own) with the tokens they share."""
    return {**(os.environ if base is None else base), "RASA_TELEMETRY_ENABLED": "false",
            "PYTHONPATH": str(PROJECT_ROOT), **settings.service_env()}


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _stop(group: list[Service]) -> None:
    for service in reversed(group):
        if service.process and service.process.poll() is None:
            os.killpg(service.process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for service in reversed(group):
        if service.process is None:
            continue
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(service.process.pid, signal.SIGKILL)
            service.process.wait()


def _purge_if_due(job: RetentionJob) -> None:
    try:
        result = job.run_if_due()
    except SQLAlchemyError as error:
        print(f"Could not delete old conversations ({type(error).__name__}); will try again in an hour.",
              file=sys.stderr, flush=True)
        return
    if result and result.conversations:
        print(f"Deleted {result.conversations} conversation(s) older than {job.older_than_days} days.", flush=True)
    if result is not None:  # the job ran: chats with staff follow the same retention period
        _purge_closed_handoffs(job.older_than_days)


def _purge_closed_handoffs(older_than_days: int) -> None:
    from bot.directory.db import database_url
    from bot.handoff.store import utc_now
    from bot.handoff.web import open_store

    try:
        store = open_store(database_url())
        try:
            removed = store.purge_closed_before(utc_now() - timedelta(days=older_than_days))
        finally:
            store.engine.dispose()
    except SQLAlchemyError as error:
        print(f"Could not delete old chats with staff ({type(error).__name__}); will try again in an hour.",
              file=sys.stderr, flush=True)
        return
    if removed:
        print(f"Deleted {removed} closed chat(s) with staff older than {older_than_days} days.", flush=True)


def run(settings: Settings) -> int:
    problems = settings.check()
    try:
        retention = RetentionJob(tracker_db_url(settings.tracker_db_url), retention_days_from_env())
    except RetentionSettingError as error:
        problems.append(str(error))
    if problems:
        for problem in problems:
            print(f"Not starting: {problem}", file=sys.stderr)
        return 2
    if not any(Path(PROJECT_ROOT, settings.model_path).glob("*.tar.gz")):
        print("No trained model in models/. Run ./scripts/start, which trains one.", file=sys.stderr)
        return 2
    # Every file the services make from here on (conversations, journals, feedback) is the user's only.
    os.umask(PRIVATE_UMASK)
    restrict_var_dir(VAR_DIR)
    # One file per gateway port, so two stacks (say, a dev run and the tests) never share one.
    endpoints = write_endpoints(settings, VAR_DIR / f"endpoints-{settings.gateway_port}.yml")
    logging_config = write_logging_config(VAR_DIR / "logging.yml")
    env = service_env(settings)
    group = services(settings, endpoints, logging_config)
    stopping = False

    def on_signal(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        for service in group:
            print(f"Starting the {service.name}…", flush=True)
            service.process = subprocess.Popen(service.command, cwd=PROJECT_ROOT, env=env, start_new_session=True)
            started = time.monotonic()
            while not _healthy(service.health_url):
                if stopping:
                    return 130
                if service.process.poll() is not None:
                    print(f"The {service.name} stopped while starting (exit code {service.process.returncode}). "
                          "Its messages are above.", file=sys.stderr)
                    return 1
                if time.monotonic() - started > STARTUP_TIMEOUT_S:
                    print(f"The {service.name} did not answer {service.health_url} within "
                          f"{STARTUP_TIMEOUT_S} s.", file=sys.stderr)
                    return 1
                time.sleep(1)
            print(f"  {service.name} ready ({time.monotonic() - started:.0f} s)", flush=True)
        print(
            f"\nHomeward is running.\n  Chat in your browser: http://{settings.gateway_host}:{settings.gateway_port}/\n"
            f"  Chat in this terminal: open another terminal and run  .venv/bin/python -m bot chat\n"
            "Press Ctrl-C to stop.",
            flush=True,
        )
        while not stopping:
            for service in group:
                if service.process.poll() is not None:
                    print(f"The {service.name} stopped unexpectedly (exit code {service.process.returncode}); "
                          "stopping the others.", file=sys.stderr)
                    return 1
            _purge_if_due(retention)  # at start-up, then hourly
            time.sleep(0.5)
        return 0
    finally:
        print("Stopping…", flush=True)
        _stop(group)
        print("Stopped.", flush=True)
