"""Files only the user running Homeward can read: the var/ folder, its databases and secrets.

var/ holds conversations (tracker.db), staff password hashes (directory.db) and the secrets the
services share, so it is made 0700 and what is in it 0600. ``python -m bot run`` also sets the
umask to 077, so every file a service creates later (SQLite journals, feedback) starts private.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
VAR_DIR = PROJECT_ROOT / "var"
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
PRIVATE_UMASK = 0o077
MIN_SECRET_CHARS = 32


def make_private_dir(path: Path) -> Path:
    """``path`` (and missing parents) as a folder only its owner can enter."""
    path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != PRIVATE_DIR_MODE:
        path.chmod(PRIVATE_DIR_MODE)
    return path


def make_private_file(path: Path) -> Path:
    """``path`` as a file only its owner can read and write; made empty if missing (its folder is left as is)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE)
    os.close(fd)
    if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE_MODE:
        path.chmod(PRIVATE_FILE_MODE)
    return path


def restrict_var_dir(path: Path = VAR_DIR) -> Path:
    """var/ made 0700 and every file directly in it 0600 (older installs made them 0644)."""
    make_private_dir(path)
    for child in path.iterdir():
        if child.is_file() and not child.is_symlink() and stat.S_IMODE(child.stat().st_mode) != PRIVATE_FILE_MODE:
            child.chmod(PRIVATE_FILE_MODE)
    return path


def write_private_text(path: Path, text: str) -> Path:
    """Writes ``text`` to ``path`` (0600) in a private folder."""
    make_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE_MODE:
        path.chmod(PRIVATE_FILE_MODE)
    return path


def load_or_create_secret(path: Path) -> tuple[str, bool]:
    """(the secret kept in ``path``, whether it was just made). Made random and private the first time."""
    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret) >= MIN_SECRET_CHARS:
            if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE_MODE:
                path.chmod(PRIVATE_FILE_MODE)
            return secret, False
    secret = secrets.token_urlsafe(48)
    write_private_text(path, secret + "\n")
    return secret, True
