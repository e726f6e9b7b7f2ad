"""Run-time settings, from the environment with defaults for a local run."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bot.private_files import VAR_DIR, load_or_create_secret

# The secrets the services share, made once (0600, in the 0700 var/) unless the environment gives them.
RASA_TOKEN_FILE = VAR_DIR / "rasa-token"
ACTION_TOKEN_FILE = VAR_DIR / "action-token"
# Rasa's input channel for the gateway and the terminal chat (bot/rasa_channel.py), and the header
# that must carry the Rasa token there: Rasa's own REST channel takes no token at all.
RASA_WEBHOOK_PATH = "/webhooks/homeward/webhook"
CHANNEL_TOKEN_HEADER = "Authorization"
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def channel_headers(token: str | None) -> dict[str, str]:
    """The headers Rasa's Homeward channel needs on every message."""
    return {CHANNEL_TOKEN_HEADER: f"Bearer {token}"} if token else {}


def _secret(env_value: str | None, path: Path) -> str:
    return (env_value or "").strip() or load_or_create_secret(path)[0]


@dataclass(frozen=True)
class Settings:
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    # Rasa's HTTP API and our channel need it. from_env always sets one (made once in var/).
    rasa_auth_token: str | None = None
    action_host: str = "127.0.0.1"
    action_port: int = 5055
    # Rasa sends it to the action server with every action call (endpoints.yml `token`).
    action_token: str | None = None
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8080
    tracker_db_url: str | None = None  # e.g. postgresql://user@host/db; default SQLite var/tracker.db
    lock_store_url: str | None = None  # e.g. redis://127.0.0.1:6379/1, needed with more than one Rasa
    model_path: str = "models"

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            rasa_host=env.get("HOMEWARD_RASA_HOST", cls.rasa_host),
            rasa_port=int(env.get("HOMEWARD_RASA_PORT", cls.rasa_port)),
            rasa_auth_token=_secret(env.get("RASA_AUTH_TOKEN"), RASA_TOKEN_FILE),
            action_host=env.get("HOMEWARD_ACTION_HOST", cls.action_host),
            action_port=int(env.get("HOMEWARD_ACTION_PORT", cls.action_port)),
            action_token=_secret(env.get("HOMEWARD_ACTION_TOKEN"), ACTION_TOKEN_FILE),
            gateway_host=env.get("HOMEWARD_GATEWAY_HOST", cls.gateway_host),
            gateway_port=int(env.get("HOMEWARD_GATEWAY_PORT", cls.gateway_port)),
            tracker_db_url=env.get("TRACKER_DB_URL") or None,
            lock_store_url=env.get("LOCK_STORE_URL") or None,
            model_path=env.get("HOMEWARD_MODEL_PATH", cls.model_path),
        )

    def check(self) -> list[str]:
        """Settings that would be unsafe; each says what to do."""
        problems = []
        if not self.rasa_auth_token:
            problems.append("Rasa would run with its HTTP API open: set RASA_AUTH_TOKEN to a long random value.")
        if not self.action_token:
            problems.append("The action server would run actions for anyone: set HOMEWARD_ACTION_TOKEN.")
        return problems

    def service_env(self) -> dict[str, str]:
        """What the three services need in their environment (never on a command line, which `ps` shows)."""
        return {"RASA_AUTH_TOKEN": self.rasa_auth_token or "", "HOMEWARD_ACTION_TOKEN": self.action_token or ""}
