"""The runner starts every service with its token in the environment, never on a command line."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
import yaml

import bot.settings as settings_module
from bot.rasa_server import rasa_arguments
from bot.runner import service_env, services, write_endpoints
from bot.settings import Settings

SETTINGS = Settings(rasa_auth_token="r" * 40, action_token="a" * 40)


def test_no_token_is_on_any_command_line(tmp_path: Path) -> None:
    # Every local user can read a process's command line (ps); only its owner its environment.
    for service in services(SETTINGS, tmp_path / "endpoints.yml", tmp_path / "logging.yml"):
        assert not any("r" * 40 in part or "a" * 40 in part for part in service.command), service.name
    env = service_env(SETTINGS, base={})
    assert env["RASA_AUTH_TOKEN"] == "r" * 40 and env["HOMEWARD_ACTION_TOKEN"] == "a" * 40


def test_the_action_server_listens_on_the_configured_host_only(tmp_path: Path) -> None:
    action = services(SETTINGS, tmp_path / "e.yml", tmp_path / "l.yml")[0]
    assert action.command[action.command.index("--host") + 1] == "127.0.0.1"


def test_the_endpoints_file_names_the_action_token_without_holding_it(tmp_path: Path) -> None:
    path = write_endpoints(SETTINGS, tmp_path / "var" / "endpoints.yml")
    endpoints = yaml.safe_load(path.read_text())
    assert endpoints["action_endpoint"]["token"] == "${HOMEWARD_ACTION_TOKEN}"  # Rasa reads it from its environment
    assert "a" * 40 not in path.read_text()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_tokens_are_made_once_when_the_environment_gives_none(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("RASA_AUTH_TOKEN", raising=False)
    monkeypatch.delenv("HOMEWARD_ACTION_TOKEN", raising=False)
    monkeypatch.setattr(settings_module, "RASA_TOKEN_FILE", tmp_path / "var" / "rasa-token")
    monkeypatch.setattr(settings_module, "ACTION_TOKEN_FILE", tmp_path / "var" / "action-token")
    first, again = Settings.from_env(), Settings.from_env()
    assert first.rasa_auth_token and len(first.rasa_auth_token) >= 32 and first.action_token
    assert first.rasa_auth_token != first.action_token
    assert (again.rasa_auth_token, again.action_token) == (first.rasa_auth_token, first.action_token)
    assert stat.S_IMODE((tmp_path / "var" / "rasa-token").stat().st_mode) == 0o600
    assert first.check() == []


def test_the_environment_token_wins(monkeypatch) -> None:
    monkeypatch.setenv("RASA_AUTH_TOKEN", "from-the-environment-" + "x" * 20)
    monkeypatch.setenv("HOMEWARD_ACTION_TOKEN", "action-from-the-environment")
    settings = Settings.from_env()
    assert settings.rasa_auth_token == "from-the-environment-" + "x" * 20
    assert settings.action_token == "action-from-the-environment"


def test_without_tokens_the_runner_refuses_to_start() -> None:
    assert len(Settings().check()) == 2


def test_rasa_gets_its_token_inside_the_process_and_refuses_to_run_without_one() -> None:
    assert rasa_arguments(["run", "--enable-api"], "t" * 40) == ["run", "--enable-api", "--auth-token", "t" * 40]
    with pytest.raises(SystemExit):
        rasa_arguments(["run", "--enable-api"], "")
    with pytest.raises(SystemExit):
        rasa_arguments(["run", "--auth-token", "visible"], "t" * 40)
