"""Loads ``data/seed_services.yml``: the services named in our source documents.

The file may be absent or half-written while it is being researched: an absent file loads
nothing, and missing optional fields are fine. Every problem is reported with where it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.directory.importers.validation import validate_batch, without_invalid
from bot.directory.records import Batch, OrganizationRecord, Problem, ServiceRecord, parse_date
from bot.directory.repository import DirectoryRepository

SEED_FILE = Path(__file__).parent / "data" / "seed_services.yml"

SERVICE_FIELDS = frozenset(
    {
        "id",
        "name",
        "organization",
        "description",
        "councils",
        "scope",
        "categories",
        "pathways",
        "status",
        "eligibility",
        "how_to_access",
        "hours",
        "contact_note",
        "source",
        "as_of",
        "last_checked",
    }
)


@dataclass
class SeedResult:
    stored: int = 0
    problems: list[Problem] = field(default_factory=list)
    missing: bool = False  # no seed file yet


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip() or None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _service(item: Any, index: int) -> ServiceRecord:
    where = f"services[{index}]"
    if not isinstance(item, dict):
        return ServiceRecord(hsds={}, where=where, extra_problems=[("", "is not a mapping of field: value")])
    problems: list[tuple[str, str]] = [(key, "is not a field we know") for key in item if key not in SERVICE_FIELDS]
    service_id = _text(item.get("id")) or ""
    hsds: dict[str, Any] = {"id": service_id, "name": _text(item.get("name")) or ""}
    for key, hsds_key in (
        ("description", "description"),
        ("how_to_access", "application_process"),
        ("eligibility", "eligibility_description"),
    ):
        if _text(item.get(key)):
            hsds[hsds_key] = _text(item.get(key))
    if _text(item.get("hours")):
        hsds["schedules"] = [{"id": f"{service_id}:hours", "description": _text(item.get("hours"))}]

    pathways: list[int] = []
    for value in _as_list(item.get("pathways")):
        try:
            pathways.append(int(value))
        except (TypeError, ValueError):
            problems.append(("pathways", f"'{value}' is not a number from 0 to 3"))
    source = item.get("source")
    source_id, source_where = (
        (_text(source.get("id")), _text(source.get("where"))) if isinstance(source, dict) else (_text(source), None)
    )
    last_checked, date_problem = parse_date(item.get("last_checked"))
    if date_problem:
        problems.append(("last_checked", date_problem))
    for required in ("status", "scope"):
        if not _text(item.get(required)):
            problems.append((required, "is missing"))
    return ServiceRecord(
        hsds=hsds,
        organization_id=_text(item.get("organization")),
        councils=tuple(str(c) for c in _as_list(item.get("councils"))),
        scope=_text(item.get("scope")) or "local",
        categories=tuple(str(c) for c in _as_list(item.get("categories"))),
        pathways=tuple(pathways),
        status=_text(item.get("status")) or "live",
        contact_note=_text(item.get("contact_note")),
        source_id=source_id,
        source_where=source_where,
        as_of=_text(item.get("as_of")),
        last_checked=last_checked,
        where=where,
        extra_problems=problems,
    )


def read_seed(path: Path = SEED_FILE) -> Batch:
    """The seed file as a batch (empty if the file is absent); parse problems are in ``problems``."""
    batch = Batch()
    if not path.exists():
        return batch
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path.name} line {mark.line + 1}" if mark else path.name
        batch.problems.append(Problem(where, "", f"is not valid YAML ({getattr(error, 'problem', error)})"))
        return batch
    if data is None:
        return batch
    if not isinstance(data, dict):
        batch.problems.append(Problem(path.name, "", "should be a mapping with organizations, services, excluded"))
        return batch
    for index, item in enumerate(_as_list(data.get("organizations"))):
        if isinstance(item, dict):
            hsds = {k: v for k, v in item.items() if v is not None}
            hsds["id"], hsds["name"] = _text(item.get("id")) or "", _text(item.get("name")) or ""
            batch.organizations.append(OrganizationRecord(hsds=hsds))
        else:
            batch.problems.append(Problem(f"organizations[{index}]", "", "is not a mapping of field: value"))
    batch.services = [_service(item, index) for index, item in enumerate(_as_list(data.get("services")))]
    if "excluded" in data:
        batch.excluded = []
        for index, item in enumerate(_as_list(data.get("excluded"))):
            if isinstance(item, dict):
                batch.excluded.append({"name": _text(item.get("name")) or "", "reason": _text(item.get("reason"))})
            else:
                batch.problems.append(Problem(f"excluded[{index}]", "", "is not a mapping of name and reason"))
    return batch


def seed_database(repository: DirectoryRepository, path: Path = SEED_FILE, strict: bool = True) -> SeedResult:
    """Loads the seed file into the directory.

    ``strict``: any problem means nothing is written. Otherwise the services without problems
    are loaded and the problems are still reported.
    """
    if not path.exists():
        return SeedResult(missing=True)
    batch = read_seed(path)
    problems = validate_batch(batch, repository.organization_ids(), repository.excluded_names())
    if problems and strict:
        return SeedResult(problems=problems)
    batch, problems = without_invalid(batch, repository.organization_ids(), repository.excluded_names())
    stored = repository.store(batch)
    return SeedResult(stored=stored, problems=problems)
