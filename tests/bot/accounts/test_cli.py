"""python -m bot accounts ...: passwords from standard input or a hidden prompt, never the command line."""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import pytest

from bot.accounts.cli import add_account_commands
from bot.accounts.store import AccountStore
from bot.directory.db import make_engine


def run(argv: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    add_account_commands(parser.add_subparsers(dest="command", required=True))
    if monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'directory.db'}"


def test_add_list_disable_and_set_password(url: str, monkeypatch, capsys) -> None:
    base = ["accounts", "--database-url", url]
    assert run([*base, "add", "ada", "--name", "Ada Admin", "--role", "admin", "--password-stdin"],
               "correct horse battery staple\n", monkeypatch) == 0
    assert "Added ada (Admin)" in capsys.readouterr().out
    assert run([*base, "list"]) == 0
    listing = capsys.readouterr().out
    assert "ada" in listing and "Admin" in listing and "active" in listing and "correct horse" not in listing
    assert run([*base, "set-password", "ada", "--password-stdin"], "another long password\n", monkeypatch) == 0
    engine = make_engine(url)
    assert AccountStore(engine).authenticate("ada", "another long password") is not None
    assert run([*base, "disable", "ada"]) == 0
    assert AccountStore(engine).authenticate("ada", "another long password") is None
    engine.dispose()


def test_problems_are_explained_and_change_nothing(url: str, monkeypatch, capsys) -> None:
    base = ["accounts", "--database-url", url]
    assert run([*base, "add", "bob", "--name", "Bob", "--role", "ward", "--password-stdin"], "short\n",
               monkeypatch) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    assert run([*base, "set-password", "nobody", "--password-stdin"], "long enough password\n", monkeypatch) == 1
    assert "no account called nobody" in capsys.readouterr().err
    # No terminal and no --password-stdin: refuse rather than hang or read a password from a pipe by surprise.
    assert run([*base, "add", "bob", "--name", "Bob", "--role", "ward"], "", monkeypatch) == 1
    assert "--password-stdin" in capsys.readouterr().err
    assert run([*base, "list"]) == 0
    assert "No accounts yet" in capsys.readouterr().out


def test_there_is_no_password_option() -> None:
    with pytest.raises(SystemExit):
        run(["accounts", "add", "ada", "--name", "Ada", "--role", "admin", "--password", "x"])
