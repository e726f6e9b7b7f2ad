"""Run-time settings, from the environment with defaults for a local run."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    rasa_auth_token: str | None = None
    action_host: str = "127.0.0.1"
    action_port: int = 5055
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
            rasa_auth_token=env.get("RASA_AUTH_TOKEN") or None,
            action_host=env.get("HOMEWARD_ACTION_HOST", cls.action_host),
            action_port=int(env.get("HOMEWARD_ACTION_PORT", cls.action_port)),
            gateway_host=env.get("HOMEWARD_GATEWAY_HOST", cls.gateway_host),
            gateway_port=int(env.get("HOMEWARD_GATEWAY_PORT", cls.gateway_port)),
            tracker_db_url=env.get("TRACKER_DB_URL") or None,
            lock_store_url=env.get("LOCK_STORE_URL") or None,
            model_path=env.get("HOMEWARD_MODEL_PATH", cls.model_path),
        )

    def check(self) -> list[str]:
        """Settings that would be unsafe; each says what to do."""
        problems = []
        if self.rasa_host not in ("127.0.0.1", "localhost", "::1") and not self.rasa_auth_token:
            problems.append(
                f"Rasa would listen on {self.rasa_host} with its HTTP API open to the network. "
                "Set RASA_AUTH_TOKEN to a long random value, or leave HOMEWARD_RASA_HOST unset."
            )
        return problems
