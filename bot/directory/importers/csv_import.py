"""Reads services from a CSV file, one service a row (layout in docs/directory.md)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from bot.directory.records import Batch, OrganizationRecord, Problem, ServiceRecord, parse_date

LIST_SEPARATOR = ";"
REQUIRED_COLUMNS = ("id", "name", "scope", "status", "source_id", "last_checked")
OPTIONAL_COLUMNS = (
    "organization_id",
    "organization_name",
    "description",
    "councils",
    "categories",
    "pathways",
    "eligibility",
    "how_to_access",
    "hours",
    "phone",
    "email",
    "url",
    "contact_note",
    "source_where",
    "as_of",
)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS


def _list(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip())


def _service(row: dict[str, str], where: str) -> ServiceRecord:
    cell = {key: (value or "").strip() for key, value in row.items() if key}
    service_id = cell.get("id", "")
    hsds: dict[str, Any] = {"id": service_id, "name": cell.get("name", "")}
    for column, key in (
        ("description", "description"),
        ("how_to_access", "application_process"),
        ("eligibility", "eligibility_description"),
        ("email", "email"),
        ("url", "url"),
    ):
        if cell.get(column):
            hsds[key] = cell[column]
    if cell.get("hours"):
        hsds["schedules"] = [{"id": f"{service_id}:hours", "description": cell["hours"]}]
    if cell.get("phone"):
        hsds["phones"] = [{"id": f"{service_id}:phone", "number": cell["phone"]}]
    problems: list[tuple[str, str]] = []
    pathways = []
    for value in _list(cell.get("pathways")):
        if value.isdigit():
            pathways.append(int(value))
        else:
            problems.append(("pathways", f"'{value}' is not a number from 0 to 3"))
    last_checked, date_problem = parse_date(cell.get("last_checked"))
    if date_problem:
        problems.append(("last_checked", date_problem))
    return ServiceRecord(
        hsds=hsds,
        organization_id=cell.get("organization_id") or None,
        councils=_list(cell.get("councils")),
        scope=cell.get("scope", ""),
        categories=_list(cell.get("categories")),
        pathways=tuple(pathways),
        status=cell.get("status", ""),
        contact_note=cell.get("contact_note") or None,
        source_id=cell.get("source_id") or None,
        source_where=cell.get("source_where") or None,
        as_of=cell.get("as_of") or None,
        last_checked=last_checked,
        where=where,
        extra_problems=problems,
    )


def read_csv(path: Path) -> Batch:
    batch = Batch()
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            reader.fieldnames = header
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            unknown = [c for c in header if c and c not in COLUMNS]
            if missing:
                batch.problems.append(Problem("row 1 (header)", "", f"missing columns: {', '.join(missing)}"))
            if unknown:
                batch.problems.append(Problem("row 1 (header)", "", f"unknown columns: {', '.join(unknown)}"))
            if missing:
                return batch
            organizations: dict[str, OrganizationRecord] = {}
            for row in reader:
                record = _service(row, f"row {reader.line_num}")
                batch.services.append(record)
                name = (row.get("organization_name") or "").strip()
                if record.organization_id and name:
                    organizations.setdefault(
                        record.organization_id, OrganizationRecord(hsds={"id": record.organization_id, "name": name})
                    )
            batch.organizations = list(organizations.values())
    except UnicodeDecodeError:
        batch.problems.append(Problem(path.name, "", "is not UTF-8 text; save the spreadsheet as 'CSV UTF-8'"))
    except csv.Error as error:
        batch.problems.append(Problem(path.name, "", f"is not a readable CSV file ({error})"))
    return batch
