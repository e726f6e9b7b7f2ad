"""Keeps what people type out of the logs of Rasa, the action server and the gateway.

Rasa and rasa_sdk log message text, parse results, slot values and whole events at DEBUG,
and a few structured records at higher levels carry the text too (for example Rasa's REST
channel logs the text of a message that timed out). ``MessageTextFilter``, attached to the
log handlers:

- drops every DEBUG record, whichever library sent it (DEBUG is where they dump payloads);
- in Rasa's structured records, replaces the fields Rasa itself lists as holding personal data
  (``text``, ``parse_data_text``, ``rasa_events``, ...) with "[withheld]";
- passes every remaining message, and any exception text, through ``redact``, in case a
  personal detail turns up somewhere unexpected (an error message quoting a value).

Rasa and the action server take it through ``--logging-config-file`` (see ``write_logging_config``);
in our own processes call ``install()``.
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from pathlib import Path
from typing import Any

import yaml

from bot.privacy.redact import redact
from bot.private_files import write_private_text

WITHHELD = "[withheld]"
DETAILS_WITHHELD = "[details withheld]"

# The keys Rasa 3.6's own log anonymiser (rasa.utils.log_utils._anonymizer) treats as personal data.
RASA_PERSONAL_KEYS = frozenset({
    "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
    "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
    "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
    "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
    "json_message",
})
SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.access")
TRACEBACK_LOCALS = "locals"  # structlog's dict_tracebacks: each frame's local variables
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_CONSOLE_PERSONAL_FIELD = re.compile(rf"\s(?:{'|'.join(sorted(RASA_PERSONAL_KEYS))})=")


def _withhold_json_fields(message: str) -> str | None:
    """A structured (JSON) record with personal fields withheld, or None if it isn't one."""
    if not (message.startswith("{") and message.endswith("}")):
        return None
    try:
        record = json.loads(message)
    except ValueError:
        return None
    if not isinstance(record, dict) or "event" not in record:
        return None
    return json.dumps(_withheld(record))


def _withheld(value: Any) -> Any:
    """``value`` with personal fields and tracebacks' local variables withheld, at any depth.

    Rasa logs JSON with structlog's dict_tracebacks, which lists every frame's local variables:
    the sender id, the message, the tracker. Only the frames' file, line and function are kept.
    """
    if isinstance(value, dict):
        return {
            key: WITHHELD if key in RASA_PERSONAL_KEYS or key == TRACEBACK_LOCALS else _withheld(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_withheld(item) for item in value]
    return value


def _withhold_console_fields(message: str) -> str:
    """A structured record rendered for a terminal ("event  key=value ..."), cut before personal fields."""
    plain = _ANSI.sub("", message)
    found = _CONSOLE_PERSONAL_FIELD.search(plain)
    if not found:
        return message
    return f"{plain[: found.start()].rstrip()} {DETAILS_WITHHELD}"


def scrub(message: str) -> str:
    """A log message with personal fields withheld and personal details redacted."""
    withheld = _withhold_json_fields(message)
    if withheld is None:
        withheld = _withhold_console_fields(message)
    return redact(withheld)


class MessageTextFilter(logging.Filter):
    """Drops DEBUG records and scrubs the rest; attach to handlers, so records from every logger pass it."""

    def __init__(self, name: str = "", lowest_level: int | str = logging.INFO) -> None:
        super().__init__(name)
        # A config file may give the level by name ("INFO").
        self.lowest_level = lowest_level if isinstance(lowest_level, int) else logging.getLevelName(lowest_level)
        if not isinstance(self.lowest_level, int):
            raise ValueError(f"Unknown log level {lowest_level!r}")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < self.lowest_level:
            return False
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that don't fit the format: keep neither
            message = str(record.msg)
        record.msg, record.args = scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` that writes to stderr through ``MessageTextFilter``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"message_text": {"()": f"{__name__}.MessageTextFilter"}},
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)-8s %(name)s  - %(message)s"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "plain",
                "filters": ["message_text"],
            }
        },
        # Sanic's loggers don't pass records to the root logger, and Rasa's API server gives them
        # handlers of their own after this config is applied; a filter on the logger itself stays.
        "loggers": {name: {"filters": ["message_text"]} for name in SANIC_LOGGERS},
        "root": {"level": level, "handlers": ["console"]},
    }


def write_logging_config(path: Path, level: str = "INFO") -> Path:
    """Writes the config for ``rasa run`` ``--logging-config-file``."""
    return write_private_text(path, yaml.safe_dump(logging_config(level), sort_keys=False))


def _add_once(filterer: logging.Filterer, message_filter: MessageTextFilter) -> None:
    if not any(isinstance(f, MessageTextFilter) for f in filterer.filters):
        filterer.addFilter(message_filter)


def _log_warning_without_text(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                              file: Any = None, line: str | None = None) -> None:
    logging.getLogger("py.warnings").warning(
        "%s at %s:%s (text withheld: it can quote a message)", category.__name__, Path(filename).name, lineno
    )


def withhold_warning_text() -> None:
    """Python warnings are logged by kind and place only, never their text.

    Rasa warns about a command it cannot parse ("/unknown_intent{...}") by quoting the whole message,
    and Python prints warnings straight to stderr, past every log filter.
    """
    warnings.showwarning = _log_warning_without_text


def install() -> MessageTextFilter:
    """Filters the root logger's handlers and Sanic's loggers. Call after logging is configured."""
    message_filter = MessageTextFilter()
    for handler in logging.getLogger().handlers:
        _add_once(handler, message_filter)
    for name in SANIC_LOGGERS:
        _add_once(logging.getLogger(name), message_filter)
    withhold_warning_text()
    return message_filter
