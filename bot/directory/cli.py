"""``python -m bot directory ...``: load, check, search and export the service directory.

``add_directory_commands(subparsers)`` adds the ``directory`` command to the main CLI;
``main(argv)`` runs it on its own (for tests and scripts).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from bot.directory import categories
from bot.directory.db import database_url, upgrade_database
from bot.directory.exporters.oruk_json import export_oruk
from bot.directory.exporters.profiles import PROFILES, UK_PROFILE
from bot.directory.importers.csv_import import read_csv
from bot.directory.importers.oruk_json import (
    ImportDefaults,
    OrukFetchError,
    batch_from_services,
    fetch_oruk_services,
    read_oruk_file,
)
from bot.directory.importers.validation import validate_batch, without_invalid
from bot.directory.models import SCOPES, STATUSES
from bot.directory.postcodes import PostcodeImportError, import_onspd
from bot.directory.present import services_found
from bot.directory.records import Batch
from bot.directory.repository import DEFAULT_STATUSES, DirectoryRepository
from bot.directory.seed import SEED_FILE, seed_database
from bot.directory.tabular import TabularError, read_datapackage, write_datapackage

PROGRESS_EVERY = 1_000
DETAIL_PROGRESS_EVERY = 100  # one request per service: report more often
Handler = Callable[[argparse.Namespace], int]


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _progress(label: str) -> Callable[[int], None]:
    reported = [0]

    def report(count: int) -> None:
        if count // PROGRESS_EVERY > reported[0] // PROGRESS_EVERY:
            _err(f"{label}: {count:,}")
        reported[0] = count

    return report


def _detail_progress(done: int, total: int) -> None:
    if done % DETAIL_PROGRESS_EVERY == 0 or done == total:
        _err(f"Fetched details of {done:,} of {total:,} services")


def _repository(args: argparse.Namespace) -> DirectoryRepository:
    url = database_url(args.database_url)
    upgrade_database(url)
    return DirectoryRepository(url)


def _read_batch(args: argparse.Namespace) -> Batch:
    source = args.source
    defaults = ImportDefaults(
        source_id=args.source_id or source,
        councils=tuple(args.council or ()),
        scope=args.scope,
        checked_on=date.today(),
        source_key=args.source_id
        or (source if source.startswith(("http://", "https://")) else str(Path(source).resolve())),
    )
    if source.startswith(("http://", "https://")):
        services = asyncio.run(
            fetch_oruk_services(
                source,
                on_page=lambda page, total: _err(f"Fetched page {page} of {total}"),
                details=not args.list_only,
                on_detail=_detail_progress,
            )
        )
        return batch_from_services(services, defaults)
    path = Path(source)
    if not path.exists():
        raise FileNotFoundError(f"There is no file {path}. Check the path (or give an http(s) address).")
    file_format = args.format or _format_of(path)
    if file_format == "tabular":
        return batch_from_services(read_datapackage(path), defaults)
    return read_csv(path) if file_format == "csv" else read_oruk_file(path, defaults)


def _format_of(path: Path) -> str:
    if path.is_dir() or path.name == "datapackage.json":
        return "tabular"
    return "csv" if path.suffix.lower() == ".csv" else "oruk"


def _report_problems(problems: list, action: str) -> None:
    for problem in problems:
        _err(f"  {problem}")
    _err(f"{len(problems)} problem(s) found; {action}. Fix them and run the command again.")


def _import(args: argparse.Namespace) -> int:
    batch = _read_batch(args)
    repository = _repository(args)
    try:
        existing = (repository.organization_ids(), repository.excluded_names())
        problems = validate_batch(batch, *existing)
        if problems and not args.skip_invalid:
            _report_problems(problems, "nothing was imported")
            return 1
        listed = len(batch.services)
        if problems:
            batch, problems = without_invalid(batch, *existing)
        repository.use_stored_ids(batch)
        stored = repository.store(batch, progress=_progress("Imported services"))  # one transaction
    finally:
        repository.close()
    if problems:
        for problem in problems:
            _err(f"  {problem}")
        _err(f"Skipped {listed - stored:,} of {listed:,} services for the problems above; the rest were imported.")
    _err(f"Imported {stored:,} services and {len(batch.organizations):,} organisations.")
    return 0


def _validate(args: argparse.Namespace) -> int:
    batch = _read_batch(args)
    problems = validate_batch(batch, **_existing(args))
    if problems:
        _report_problems(problems, "nothing was written (validate never writes)")
        return 1
    print(f"OK: {len(batch.services):,} services and {len(batch.organizations):,} organisations, no problems.")
    return 0


def _existing(args: argparse.Namespace) -> dict:
    """Organisations and excluded names already in the directory, if it exists (validate never creates it)."""
    url = database_url(args.database_url)
    if url.startswith("sqlite") and not Path(url.split("///", 1)[-1]).exists():
        return {}
    repository = DirectoryRepository(url)
    try:
        return {
            "existing_organizations": repository.organization_ids(),
            "existing_excluded": repository.excluded_names(),
        }
    except SQLAlchemyError:
        return {}  # not migrated yet: nothing to compare with
    finally:
        repository.close()


def _export(args: argparse.Namespace) -> int:
    repository = _repository(args)
    try:
        document = export_oruk(repository, args.profile)
    finally:
        repository.close()
    if args.format == "tabular":
        count = write_datapackage(Path(args.output), document["contents"])
        _err(f"Exported {count:,} services to {args.output}/ (datapackage.json and one CSV per table).")
        return 0
    text = json.dumps(document, indent=2, ensure_ascii=False, default=str)
    if args.output == "-":
        print(text)
    else:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        _err(f"Exported {document['total_items']:,} services to {args.output}.")
    return 0


def _search(args: argparse.Namespace) -> int:
    need = args.need
    if need and need not in categories.codes():
        category = categories.resolve(need)
        if category is None:
            _err(f"'{need}' is not a need we know. Try one of: {', '.join(categories.codes())}")
            return 2
        need = category.code
    statuses = tuple(args.status.split(",")) if args.status else DEFAULT_STATUSES
    repository = _repository(args)
    try:
        page = repository.search(
            need=need,
            council=args.council,
            text=args.text,
            pathway=args.pathway,
            statuses=statuses,
            page=args.page,
            page_size=args.page_size,
        )
    finally:
        repository.close()
    print(f"{services_found(page)} (page {page.page} of {page.pages})")
    for view in page.results:
        where = ", ".join(view.councils) or "national"
        print(f"- {view.name} [{view.id}] ({where}; {view.status})")
        print(f"    source: {view.source_id} {view.source_where or ''}; last checked {view.last_checked}")
    return 0


def _stats(args: argparse.Namespace) -> int:
    repository = _repository(args)
    try:
        stats = repository.stats()
    finally:
        repository.close()
    print(f"Services: {stats.services:,} ({stats.national:,} national); organisations: {stats.organizations:,}")
    print(f"Excluded entries (never searchable): {stats.excluded:,}")
    for title, counts in (("status", stats.by_status), ("council", stats.by_council), ("need", stats.by_category)):
        print(f"By {title}: " + (", ".join(f"{k} {v:,}" for k, v in sorted(counts.items())) or "none"))
    print(f"Last checked: oldest {stats.oldest_check}, newest {stats.newest_check}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    path = Path(args.file)
    repository = _repository(args)
    try:
        result = seed_database(repository, path, strict=not args.skip_invalid)
    finally:
        repository.close()
    if result.missing:
        _err(f"There is no seed file at {path} yet; nothing was loaded.")
        return 0
    if result.problems:
        action = "the other services were loaded" if args.skip_invalid else "nothing was loaded"
        _report_problems(result.problems, action)
        if not args.skip_invalid:
            return 1
    _err(f"Loaded {result.stored:,} services from {path}.")
    return 0


def _migrate(args: argparse.Namespace) -> int:
    url = database_url(args.database_url)
    upgrade_database(url)
    _err("The directory database is up to date.")
    return 0


def _import_postcodes(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise FileNotFoundError(f"There is no file {path}. Download the ONSPD CSV and give its path.")
    repository = _repository(args)
    try:
        stored = import_onspd(
            path,
            repository.engine,
            postcode_column=args.postcode_column,
            district_column=args.district_column,
            include_terminated=args.include_terminated,
            progress=_progress("Imported postcodes"),
        )
    finally:
        repository.close()
    _err(f"Imported {stored:,} postcodes.")
    return 0


def _run(handler: Handler) -> Handler:
    """Wraps a command so bad input gives a message saying what to do, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except (FileNotFoundError, OrukFetchError, PostcodeImportError, TabularError) as error:
            _err(str(error))
        except SQLAlchemyError as error:
            _err(f"The database could not be used: {error.__class__.__name__}: {str(error).splitlines()[0]}")
            _err("Check DATABASE_URL (or --database-url) and that the database is running.")
        return 1

    return run


def add_directory_commands(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Adds ``directory`` and its sub-commands to the main CLI."""
    directory = subparsers.add_parser("directory", help="load, check, search and export the service directory")
    directory.add_argument("--database-url", help="database (default: DATABASE_URL or var/directory.db)")
    commands = directory.add_subparsers(dest="directory_command", required=True)

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text)
        parser.set_defaults(func=_run(handler))
        return parser

    for name, handler, help_text in (
        ("import", _import, "import services from ORUK 3.0 JSON (file or API address) or CSV"),
        ("validate", _validate, "check a file and list every problem, without writing"),
    ):
        parser = command(name, handler, help_text)
        parser.add_argument("source", help="a .json or .csv file, or the base address of an ORUK API")
        parser.add_argument(
            "--format",
            choices=("oruk", "csv", "tabular"),
            help="oruk JSON, our simple csv, or HSDS tabular (datapackage.json or its folder); default: from the path",
        )
        parser.add_argument("--council", action="append", help="council code the services are for (repeatable)")
        parser.add_argument("--scope", choices=SCOPES, help="scope for services that do not say")
        parser.add_argument("--source-id", help="source name recorded on each service (default: the file or URL)")
        if name == "import":
            parser.add_argument(
                "--skip-invalid",
                action="store_true",
                help="import the services without problems (in one transaction) and list the others with why",
            )
        parser.add_argument(
            "--list-only",
            action="store_true",
            help="from an ORUK API, use the /services list as it is, without fetching each /services/{id}",
        )

    export = command("export", _export, "export every service as ORUK 3.0 JSON")
    export.add_argument("output", help="file to write, or - for standard output")
    export.add_argument(
        "--format",
        choices=("json", "tabular"),
        default="json",
        help="json (default), or tabular: a folder with datapackage.json and one CSV per HSDS table",
    )
    export.add_argument(
        "--profile",
        choices=PROFILES,
        default=UK_PROFILE,
        help="uk: Open Referral UK 3.0 fields only, valid HSDS 3.0 too (default); hsds: every HSDS 3.0 field",
    )

    search = command("search", _search, "search the directory")
    search.add_argument("text", nargs="?", help="words to look for")
    search.add_argument("--need", help="need category code or words, e.g. 'walking frame'")
    search.add_argument("--council", help="council code, e.g. bcp")
    search.add_argument("--pathway", type=int, choices=(0, 1, 2, 3))
    search.add_argument("--status", help=f"comma-separated statuses (default: live,pilot,planned; all: {STATUSES})")
    search.add_argument("--page", type=int, default=1)
    search.add_argument("--page-size", type=int, default=10)

    command("stats", _stats, "count services by status, council and need")

    seed = command("seed", _seed, "load the seed services file")
    seed.add_argument("--file", default=str(SEED_FILE), help="seed YAML file")
    seed.add_argument("--skip-invalid", action="store_true", help="load the good services even if some have problems")

    command("migrate", _migrate, "create or upgrade the directory database")

    postcodes = command("import-postcodes", _import_postcodes, "load the ONS Postcode Directory CSV")
    postcodes.add_argument("file", help="ONSPD CSV file")
    postcodes.add_argument("--postcode-column", help="postcode column (default: pcds, pcd or pcd2)")
    postcodes.add_argument("--district-column", help="district column (default: oslaua, lad25cd, lad24cd, ...)")
    postcodes.add_argument("--include-terminated", action="store_true", help="keep postcodes no longer in use")
    return directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot")
    add_directory_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
