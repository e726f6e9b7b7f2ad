"""python -m bot.rasa_server run [rasa run options]: `rasa run` with its API token from the environment.

Rasa takes its token only as `--auth-token`, and a command line is readable by every local user
(`ps`). The runner puts the token in RASA_AUTH_TOKEN (a process's environment is private to its
user); this adds it to Rasa's arguments inside the process, so it never appears in `ps`. Rasa
refuses to start without one: its HTTP API would let anyone read and write conversations.

It also makes Rasa log JSON, never its terminal format: that one prints tracebacks with every
local variable (the user's message among them), and bot/privacy/logging.py withholds those only
from JSON records. Python warnings, which Rasa uses to quote a command it could not parse, are
logged without their text.
"""

from __future__ import annotations

import os
import sys

from bot.privacy.logging import withhold_warning_text

FORCE_JSON_LOGGING = "FORCE_JSON_LOGGING"  # read by rasa.utils.log_utils when it is imported


def rasa_arguments(argv: list[str], token: str) -> list[str]:
    if not token:
        raise SystemExit("Not starting Rasa: RASA_AUTH_TOKEN is not set (python -m bot run sets it).")
    if any(arg == "--auth-token" or arg.startswith("--auth-token=") for arg in argv):
        raise SystemExit("Give Rasa's token in RASA_AUTH_TOKEN, not on the command line, where `ps` shows it.")
    return [*argv, "--auth-token", token]


def json_logging_only() -> None:
    """Rasa logs JSON even to a terminal (it reads the setting when rasa.utils.log_utils is imported)."""
    os.environ[FORCE_JSON_LOGGING] = "1"
    import rasa.utils.log_utils as log_utils

    log_utils.FORCE_JSON_LOGGING = "1"  # in case it was imported before the variable was set


def main() -> None:
    arguments = rasa_arguments(sys.argv[1:], os.environ.get("RASA_AUTH_TOKEN", "").strip())
    json_logging_only()
    withhold_warning_text()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *arguments]  # changes what Rasa parses, not /proc/<pid>/cmdline
    rasa_main()


if __name__ == "__main__":
    main()
