"""What people type never reaches the logs of Rasa, the action server or our own processes."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from bot.privacy.logging import MessageTextFilter, install, scrub, write_logging_config

ROOT = Path(__file__).resolve().parents[3]
# A message nobody else logs: its words must not show up anywhere, personal or not.
TYPED = "my xylophone-playing dad is on ward 7, call 07700 900123"


def _record(message: str, level: int = logging.INFO, name: str = "rasa.core.processor", *args: object,
            exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord(name, level, __file__, 1, message, args, exc_info)


def test_debug_records_are_dropped_whoever_sends_them() -> None:
    log_filter = MessageTextFilter()
    assert not log_filter.filter(_record(f"Received user message '{TYPED}'", logging.DEBUG))
    assert not log_filter.filter(_record("harmless", logging.DEBUG, "sqlalchemy.engine"))
    assert log_filter.filter(_record("Rasa server is up and running.", logging.INFO))


def test_structured_json_records_have_personal_fields_withheld() -> None:
    message = json.dumps({"text": TYPED, "event": "rest.message.received.timeout", "level": "error"})
    assert json.loads(scrub(message)) == {"text": "[withheld]", "event": "rest.message.received.timeout",
                                          "level": "error"}


def test_traceback_local_variables_in_json_records_are_withheld() -> None:
    # As structlog's dict_tracebacks writes an exception: every frame with its local variables.
    frame = {"filename": "rasa/core/channels/rest.py", "lineno": 162, "name": "receive",
             "locals": {"text": repr(TYPED), "sender_id": "'abcdef0123456789'", "self": "<RestInput>"}}
    message = json.dumps({"event": "rest.message.received.failure", "level": "error", "exception": [
        {"exc_type": "UnicodeEncodeError", "exc_value": "surrogates not allowed", "frames": [frame]}]})
    scrubbed = scrub(message)
    assert "xylophone" not in scrubbed and "abcdef0123456789" not in scrubbed
    frames = json.loads(scrubbed)["exception"][0]["frames"]
    assert frames == [{**frame, "locals": "[withheld]"}]  # where it failed is kept


def test_structured_console_records_are_cut_before_personal_fields() -> None:
    # As Rasa's HumanConsoleRenderer writes to a terminal, colours and all.
    message = ("[\x1b[31m\x1b[1merror    \x1b[0m] \x1b[1mrest.message.received.timeout \x1b[0m "
               f"\x1b[36mtext\x1b[0m=\x1b[35m{TYPED}\x1b[0m")
    assert scrub(message) == "[error    ] rest.message.received.timeout [details withheld]"


def test_personal_details_anywhere_else_are_redacted() -> None:
    record = _record("Could not reach %s: %s", logging.ERROR, "bot.web.app", "the tracker store",
                     "value 943 476 5919 rejected")
    assert MessageTextFilter().filter(record)
    assert record.getMessage() == "Could not reach the tracker store: value [NHS number] rejected"


def test_exception_text_is_redacted() -> None:
    try:
        raise ValueError("unexpected email jo@example.com")
    except ValueError:
        record = _record("Action failed", logging.ERROR, "rasa_sdk.executor", exc_info=sys.exc_info())
    assert MessageTextFilter().filter(record)
    text = logging.Formatter().format(record)
    assert "jo@example.com" not in text and "unexpected email [email address]" in text


def test_lowest_level_can_be_given_by_name() -> None:
    assert not MessageTextFilter(lowest_level="WARNING").filter(_record("ok", logging.INFO))


def test_install_filters_existing_handlers_and_sanic_loggers(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    handler = logging.StreamHandler(sys.stderr)
    root.addHandler(handler)
    sanic_error = logging.getLogger("sanic.error")
    showwarning = warnings.showwarning
    try:
        install()
        install()  # twice is harmless
        assert sum(isinstance(f, MessageTextFilter) for f in handler.filters) == 1
        assert any(isinstance(f, MessageTextFilter) for f in sanic_error.filters)
        logging.getLogger("bot.test").error("sender 07700 900123")
        assert "sender [phone number]" in capsys.readouterr().err
    finally:
        root.removeHandler(handler)
        sanic_error.filters = [f for f in sanic_error.filters if not isinstance(f, MessageTextFilter)]
        warnings.showwarning = showwarning


def _run_python(script: str, tmp_path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "3"}
    config = write_logging_config(tmp_path / "logging.yml")
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script).replace("CONFIG", str(config)).replace("TYPED", repr(TYPED))],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return completed.stdout + completed.stderr


@pytest.mark.parametrize("debug", [False, True])
def test_rasa_run_with_the_config_keeps_message_text_out(tmp_path: Path, debug: bool) -> None:
    # Rasa's own start-up (argument parsing, logging set-up, structlog, coloured logs), with the
    # server replaced by the kinds of log calls Rasa makes while handling a message.
    output = _run_python(f"""
        import logging, sys
        import structlog
        import rasa.cli.run

        def handle_messages(args):
            processor = structlog.get_logger()
            processor.debug("processor.message.parse", parse_data_text=TYPED, parse_data_intent={{"name": "x"}})
            processor.error("rest.message.received.timeout", text=TYPED)
            logging.getLogger("rasa.core.processor").debug("Received user message '%s'", TYPED)
            logging.getLogger("rasa.core.run").info("Rasa server is up and running.")
            try:
                raise ValueError("slot value 943 476 5919 is not allowed")
            except ValueError:
                logging.getLogger("sanic.error").exception("Exception occurred while handling uri")

        rasa.cli.run.run = handle_messages
        sys.argv = ["rasa", "run", "--logging-config-file", "CONFIG"] + {["--debug"] if debug else []}
        from rasa.__main__ import main
        main()
    """, tmp_path)
    assert "Rasa server is up and running." in output  # logging still works
    assert "rest.message.received.timeout" in output  # the event is logged, its text is not
    assert "xylophone" not in output and "900123" not in output and "943 476 5919" not in output
    assert "Received user message" not in output
    assert "slot value [NHS number] is not allowed" in output


def test_rasa_started_by_bot_rasa_server_keeps_message_text_out_of_tracebacks(tmp_path: Path) -> None:
    # What Rasa logged when spaCy failed on a message: structlog's exception with the frames' locals.
    output = _run_python("""
        import os, sys
        import structlog
        import rasa.cli.run

        def handle_messages(args):
            import rasa.shared.utils.io
            # As Rasa warns about a "/command" it cannot parse, quoting the whole message.
            rasa.shared.utils.io.raise_warning(f"Failed to parse arguments in line '/{TYPED}'.")

            def parse(text, sender_id):
                raise UnicodeEncodeError("utf-8", text, 0, 1, "surrogates not allowed")
            try:
                parse(TYPED, "abcdef0123456789")
            except UnicodeEncodeError:
                structlog.get_logger().exception("rest.message.received.failure", text=TYPED)

        rasa.cli.run.run = handle_messages
        os.environ["RASA_AUTH_TOKEN"] = "t" * 40
        sys.argv = ["bot.rasa_server", "run", "--logging-config-file", "CONFIG"]
        import bot.rasa_server
        bot.rasa_server.main()
    """, tmp_path)
    assert "rest.message.received.failure" in output and "UnicodeEncodeError" in output
    assert "UserWarning at" in output  # the warning is logged, its text is not
    assert "xylophone" not in output and "900123" not in output and "abcdef0123456789" not in output


def test_action_server_with_the_config_keeps_message_text_out(tmp_path: Path) -> None:
    output = _run_python("""
        import logging
        import rasa_sdk.__main__ as action_server
        from rasa_sdk.endpoint import create_argument_parser

        def handle_actions(*args, **kwargs):
            executor = logging.getLogger("rasa_sdk.executor")
            executor.debug("Contents of ignored event: '%s'", {"event": "user", "text": TYPED})
            executor.info("Registered function for 'action_answer_question'.")
            logging.getLogger("actions.answers").error("Could not answer: %s", TYPED)

        action_server.run = handle_actions
        # rasa_sdk 3.6 spells the option with an underscore: --logging-config_file.
        args = create_argument_parser().parse_args(["--actions", "actions", "--debug",
                                                    "--logging-config_file", "CONFIG"])
        action_server.main_from_args(args)
    """, tmp_path)
    assert "Registered function for 'action_answer_question'." in output
    assert "Contents of ignored event" not in output  # rasa_sdk's DEBUG dump of events
    # Our own code must never log what was typed; if it did, personal details would still be redacted.
    assert "900123" not in output and "call [phone number]" in output
