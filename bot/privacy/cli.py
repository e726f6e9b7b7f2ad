"""``python -m bot privacy ...``: purge old conversations, export or delete one, clean old rows.

``add_privacy_commands(subparsers)`` adds the ``privacy`` command to the main parser; each
sub-command sets ``func`` to a function taking the parsed arguments and returning an exit code.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy.engine import Engine

from bot.privacy import retention
from bot.settings import Settings


@contextlib.contextmanager
def _tracker_db(args: argparse.Namespace) -> Iterator[Engine | None]:
    """The tracker database, or None (after saying so) if its SQLite file doesn't exist yet."""
    url = retention.tracker_db_url(args.db_url or Settings.from_env().tracker_db_url)
    path = retention.sqlite_file(url)
    if path is not None and not path.exists():
        print(f"No conversations are stored: {path} does not exist.", file=sys.stderr)
        yield None
        return
    engine = retention.connect(url)
    try:
        yield engine
    finally:
        engine.dispose()


def _purge(args: argparse.Namespace) -> int:
    try:
        days = args.older_than_days or retention.retention_days_from_env()
    except retention.RetentionSettingError as error:
        print(error, file=sys.stderr)
        return 2
    if days < 1:
        print("--older-than-days must be 1 or more.", file=sys.stderr)
        return 2
    with _tracker_db(args) as engine:
        if engine is None:
            return 0
        result = retention.purge(engine, days)
    print(f"Deleted {result.conversations} conversation(s) with no messages in the last {days} days "
          f"({result.events} stored events).")
    return 0


def _export(args: argparse.Namespace) -> int:
    with _tracker_db(args) as engine:
        document = retention.export_conversation(engine, args.conversation) if engine else None
    if document is None:
        print(f"No conversation is stored with the id {args.conversation!r}.", file=sys.stderr)
        return 1
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"Wrote {len(document['messages'])} message(s) to {args.output}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _delete(args: argparse.Namespace) -> int:
    with _tracker_db(args) as engine:
        deleted = retention.delete_conversation(engine, args.conversation) if engine else 0
    if not deleted:
        print(f"No conversation is stored with the id {args.conversation!r}.", file=sys.stderr)
        return 1
    print(f"Deleted conversation {args.conversation!r} ({deleted} stored events).")
    return 0


def _redact_stored(args: argparse.Namespace) -> int:
    with _tracker_db(args) as engine:
        changed = retention.redact_stored(engine) if engine else 0
    print(f"Redacted personal details in {changed} stored event(s).")
    return 0


def _add_db_url(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db-url",
        help="tracker database (default: TRACKER_DB_URL, or the SQLite file var/tracker.db)",
    )


def _positive_int(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_privacy_commands(subparsers: argparse._SubParsersAction) -> None:
    privacy = subparsers.add_parser("privacy", help="delete old conversations; export or delete one on request")
    commands = privacy.add_subparsers(dest="privacy_command", required=True)

    purge = commands.add_parser("purge", help="delete conversations with no messages for a number of days")
    purge.add_argument(
        "--older-than-days", type=_positive_int, default=None,
        help=f"default: {retention.RETENTION_DAYS_ENV}, or {retention.DEFAULT_RETENTION_DAYS}",
    )
    _add_db_url(purge)
    purge.set_defaults(func=_purge)

    export = commands.add_parser("export", help="print one conversation as JSON (personal details removed)")
    export.add_argument("--conversation", required=True, help="the conversation (sender) id")
    export.add_argument("--output", help="write to this file instead of printing")
    _add_db_url(export)
    export.set_defaults(func=_export)

    delete = commands.add_parser("delete", help="delete one conversation")
    delete.add_argument("--conversation", required=True, help="the conversation (sender) id")
    _add_db_url(delete)
    delete.set_defaults(func=_delete)

    redact_stored = commands.add_parser(
        "redact-stored", help="remove personal details from conversations stored before redaction was on"
    )
    _add_db_url(redact_stored)
    redact_stored.set_defaults(func=_redact_stored)
