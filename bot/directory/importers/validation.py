"""Checks every record of a batch and reports each problem with where it is; writes nothing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from bot.directory import categories
from bot.directory.areas import council_codes
from bot.directory.models import PATHWAYS, SCOPES, STATUSES, name_key
from bot.directory.public_ids import publisher_id
from bot.directory.records import Batch, Problem, ServiceRecord

AS_OF_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
MAX_ID_LENGTH = 255


def _service_problems(
    record: ServiceRecord, known_organizations: set[str], excluded_names: set[str], today: date
) -> Iterable[tuple[str, str]]:
    yield from record.extra_problems
    if not record.id:
        yield "id", "is missing"
    elif len(record.id) > MAX_ID_LENGTH:
        yield "id", f"is longer than {MAX_ID_LENGTH} characters"
    if not record.name.strip():
        yield "name", "is missing"
    elif name_key(record.name) in excluded_names:
        yield "name", "is on the excluded list (a board or strategy, not a service); remove it from services"
    if record.organization_id and record.organization_id not in known_organizations:
        yield "organization", f"'{record.organization_id}' is not an organisation in this file or the directory"
    if record.status not in STATUSES:
        yield "status", f"'{record.status}' is not one of: {', '.join(STATUSES)}"
    if record.scope not in SCOPES:
        yield "scope", f"'{record.scope}' is not one of: {', '.join(SCOPES)}"
    known_councils = set(council_codes())
    for council in record.councils:
        if council not in known_councils:
            yield "councils", f"'{council}' is not a council code; use one of: {', '.join(sorted(known_councils))}"
    if record.scope == "local" and len(record.councils) != 1:
        yield "councils", f"a local service serves exactly one council, this lists {len(record.councils)}"
    if record.scope == "county" and not record.councils:
        yield "councils", "a county-wide service lists the councils it serves"
    if record.scope == "national" and record.councils:
        yield "councils", "a national service lists no councils (use [])"
    known_categories = set(categories.codes())
    for code in record.categories:
        if code not in known_categories:
            yield "categories", f"'{code}' is not a need category (see bot/directory/data/categories.yml)"
    for pathway in record.pathways:
        if pathway not in PATHWAYS:
            yield "pathways", f"'{pathway}' is not a discharge pathway (0 to 3)"
    if not record.source_id:
        yield "source", "is missing: every service says which document it comes from"
    if record.as_of is not None and not AS_OF_PATTERN.match(record.as_of):
        yield "as_of", f"'{record.as_of}' is not a date like 2021, 2021-01 or 2021-01-31"
    if record.last_checked is None:
        yield "last_checked", "is missing: say when the source was last checked (YYYY-MM-DD)"
    elif record.last_checked > today:
        yield "last_checked", f"{record.last_checked.isoformat()} is in the future"


def validate_batch(
    batch: Batch,
    existing_organizations: Iterable[str] = (),
    existing_excluded: Iterable[str] = (),
    today: date | None = None,
) -> list[Problem]:
    """Every problem in ``batch``, including those its parser found. An empty list means it can be stored."""
    today = today or date.today()
    problems = list(batch.problems)
    organization_ids: set[str] = set(existing_organizations)
    seen_organizations: set[str] = set()
    for index, organization in enumerate(batch.organizations):
        where = f"organizations[{index}]"
        if not organization.id:
            problems.append(Problem(where, "id", "is missing"))
        elif organization.id in seen_organizations:
            problems.append(Problem(f"{where} ({organization.id})", "id", "is used by another organisation too"))
        if not organization.name.strip():
            problems.append(Problem(f"{where} ({organization.id})", "name", "is missing"))
        seen_organizations.add(organization.id)
    organization_ids |= seen_organizations

    excluded = {name_key(n) for n in existing_excluded}
    if batch.excluded is not None:
        excluded = set()
        for index, entry in enumerate(batch.excluded):
            if not str(entry.get("name") or "").strip():
                problems.append(Problem(f"excluded[{index}]", "name", "is missing"))
            else:
                excluded.add(name_key(str(entry["name"])))

    seen_services: set[str] = set()
    for record in batch.services:
        # The id as its publisher wrote it, without the source prefix it is stored with.
        where = f"{record.where} ({publisher_id(record.id)})" if record.id else record.where
        if record.id and record.id in seen_services:
            problems.append(Problem(where, "id", "is used by another service too"))
        seen_services.add(record.id)
        for field_name, message in _service_problems(record, organization_ids, excluded, today):
            problems.append(Problem(where, field_name, message))
    return problems


def without_invalid(
    batch: Batch, existing_organizations: Iterable[str] = (), existing_excluded: Iterable[str] = ()
) -> tuple[Batch, list[Problem]]:
    """The part of ``batch`` that can be stored, and every problem of the part left out."""
    existing_organizations, existing_excluded = list(existing_organizations), list(existing_excluded)
    problems = validate_batch(batch, existing_organizations, existing_excluded)
    remaining = problems
    while remaining:  # leaving out a bad organisation can make its services bad too
        bad = {p.where.split(" ")[0] for p in remaining}
        batch.organizations = [o for i, o in enumerate(batch.organizations) if f"organizations[{i}]" not in bad]
        batch.services = [s for s in batch.services if s.where not in bad]
        batch.problems = []
        remaining = validate_batch(batch, existing_organizations, existing_excluded)
        problems += [p for p in remaining if p not in problems]
    return batch, problems
