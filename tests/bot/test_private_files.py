"""var/ and what is in it are readable by the user running Homeward only."""

from __future__ import annotations

import stat
from pathlib import Path

from bot.directory.db import make_engine
from bot.private_files import load_or_create_secret, restrict_var_dir, write_private_text


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_old_world_readable_var_folder_is_made_private(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    (var / "tracker.db").write_text("x")
    (var / "tracker.db").chmod(0o644)
    restrict_var_dir(var)
    assert mode(var) == 0o700 and mode(var / "tracker.db") == 0o600


def test_secrets_are_made_once_and_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "rasa-token"
    secret, made = load_or_create_secret(path)
    assert made and len(secret) >= 32
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
    assert load_or_create_secret(path) == (secret, False)


def test_written_files_are_private(tmp_path: Path) -> None:
    path = write_private_text(tmp_path / "conf" / "endpoints.yml", "x: 1")
    assert mode(path) == 0o600 and mode(path.parent) == 0o700


def test_a_new_directory_database_file_is_private(tmp_path: Path) -> None:
    path = tmp_path / "var" / "directory.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x)")
    engine.dispose()
    assert mode(path) == 0o600 and mode(path.parent) == 0o700
