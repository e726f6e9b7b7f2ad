"""The directory entry form: what an admin can change, to and from a directory record.

Editing goes through the directory's own path: the stored service is read back as ORUK JSON
(exporter), parsed into a record (importer), changed with the form's fields, checked with the
directory's validation and stored whole. So fields the form does not show (phones, locations,
other directories' attributes) are kept as they were.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from bot.directory import categories
from bot.directory.areas import council_codes
from bot.directory.exporters.oruk_json import iter_oruk_services
from bot.directory.importers.oruk_json import ImportDefaults, service_from_oruk
from bot.directory.models import ORUK_STATUS_FOR, PATHWAYS
from bot.directory.records import ServiceRecord, parse_date
from bot.directory.repository import DirectoryRepository

MAX_TEXT_CHARS = 4000
HSDS_TEXT_FIELDS = {
    "description": "description",
    "eligibility": "eligibility_description",
    "how_to_access": "application_process",
}


@dataclass(frozen=True)
class ServiceForm:
    """The form's fields as text and lists of codes, exactly as shown to the admin."""

    id: str = ""
    name: str = ""
    organization: str = ""
    description: str = ""
    eligibility: str = ""
    how_to_access: str = ""
    hours: str = ""  # one time per line
    contact_note: str = ""
    scope: str = "local"
    councils: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    pathways: tuple[str, ...] = ()
    status: str = "live"
    source_id: str = ""
    source_where: str = ""
    as_of: str = ""
    last_checked: str = ""

    @classmethod
    def from_record(cls, record: ServiceRecord) -> ServiceForm:
        hsds = record.hsds
        return cls(
            id=record.id,
            name=record.name,
            organization=record.organization_id or "",
            **{key: str(hsds.get(hsds_key) or "") for key, hsds_key in HSDS_TEXT_FIELDS.items()},
            hours="\n".join(str(s["description"]) for s in hsds.get("schedules") or [] if s.get("description")),
            contact_note=record.contact_note or "",
            scope=record.scope,
            councils=tuple(record.councils),
            categories=tuple(record.categories),
            pathways=tuple(str(p) for p in record.pathways),
            status=record.status,
            source_id=record.source_id or "",
            source_where=record.source_where or "",
            as_of=record.as_of or "",
            last_checked=record.last_checked.isoformat() if record.last_checked else "",
        )

    @classmethod
    def from_post(cls, form: Any, service_id: str | None = None) -> ServiceForm:
        """The posted form; ``service_id`` for an edit (the id is not editable), None when adding."""

        def text(name: str) -> str:
            value = form.get(name)
            return str(value).replace("\r\n", "\n").strip()[:MAX_TEXT_CHARS] if isinstance(value, str) else ""

        def chosen(name: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
            picked = {v for v in form.getall(name, []) if isinstance(v, str)}
            return tuple(v for v in allowed if v in picked)

        return cls(
            id=service_id if service_id is not None else text("id").lower(),
            name=text("name"),
            organization=text("organization"),
            description=text("description"),
            eligibility=text("eligibility"),
            how_to_access=text("how_to_access"),
            hours=text("hours"),
            contact_note=text("contact_note"),
            scope=text("scope"),
            councils=chosen("councils", council_codes()),
            categories=chosen("categories", categories.codes()),
            pathways=chosen("pathways", tuple(str(p) for p in PATHWAYS)),
            status=text("status"),
            source_id=text("source_id"),
            source_where=text("source_where"),
            as_of=text("as_of"),
            last_checked=text("last_checked"),
        )

    def hours_lines(self) -> list[str]:
        return [line.strip() for line in self.hours.split("\n") if line.strip()]

    def as_json(self) -> dict[str, Any]:
        return {key: list(value) if isinstance(value, tuple) else value for key, value in asdict(self).items()}


def changes(before: ServiceForm | None, after: ServiceForm) -> dict[str, list[Any]]:
    """{field: [before, after]} for every field that differs (all fields when adding)."""
    old = before.as_json() if before else {}
    new = after.as_json()
    return {
        f.name: [old.get(f.name), new[f.name]]
        for f in fields(ServiceForm)
        if _comparable(old.get(f.name)) != _comparable(new[f.name])
        and (before is not None or new[f.name] not in ("", []))
    }


def _comparable(value: Any) -> Any:
    """Lists of codes are sets to a person: the order the boxes are ticked in is not a change."""
    return sorted(value) if isinstance(value, list) else value


def _keep_order(chosen: tuple[Any, ...], stored: tuple[Any, ...]) -> tuple[Any, ...]:
    return stored if set(chosen) == set(stored) else chosen


def load_record(repository: DirectoryRepository, service_id: str) -> ServiceRecord | None:
    """The stored service as a record, read back through the ORUK exporter (nothing lost)."""
    for document in iter_oruk_services(repository, ids=[service_id]):
        record, _organization = service_from_oruk(document, f"service {service_id}", ImportDefaults(source_id=""))
        return record
    return None


def to_record(form: ServiceForm, base: ServiceRecord | None) -> ServiceRecord:
    """The record to validate and store: ``base`` (the stored service) with the form's changes."""
    hsds: dict[str, Any] = dict(base.hsds) if base else {}
    hsds["id"], hsds["name"] = form.id, form.name
    for key, hsds_key in HSDS_TEXT_FIELDS.items():
        value = getattr(form, key)
        if value:
            hsds[hsds_key] = value
        else:
            hsds.pop(hsds_key, None)
    shown_before = ServiceForm.from_record(base).hours if base else ""
    if form.hours != shown_before:  # only then replace the schedules (which may hold more than the text)
        hsds["schedules"] = [
            {"id": f"{form.id}:hours:{i}", "description": line} for i, line in enumerate(form.hours_lines())
        ] or None
        if hsds["schedules"] is None:
            del hsds["schedules"]
    # Keep the ORUK status in step with ours when the status changes (e.g. retiring -> defunct).
    if base is None or form.status != base.status:
        hsds["status"] = ORUK_STATUS_FOR.get(form.status, hsds.get("status"))
    last_checked, date_problem = parse_date(form.last_checked)
    if last_checked:
        hsds["assured_date"] = last_checked.isoformat()
    return ServiceRecord(
        hsds=hsds,
        organization_id=form.organization or None,
        councils=_keep_order(form.councils, base.councils) if base else form.councils,
        scope=form.scope,
        categories=_keep_order(form.categories, base.categories) if base else form.categories,
        pathways=tuple(int(p) for p in form.pathways),
        status=form.status,
        contact_note=form.contact_note or None,
        source_id=form.source_id or None,
        source_where=form.source_where or None,
        as_of=form.as_of or None,
        last_checked=last_checked,
        where="form",
        extra_problems=[("last_checked", date_problem)] if date_problem else [],
    )


FIELD_LABELS = {
    "id": "Entry id",
    "name": "Name",
    "organization": "Organisation",
    "description": "What it does",
    "eligibility": "Who it is for",
    "how_to_access": "How to get it",
    "hours": "When it runs",
    "contact_note": "Contact note",
    "scope": "Who it serves",
    "councils": "Councils",
    "categories": "Needs",
    "pathways": "Discharge pathways",
    "status": "Status",
    "source_id": "Source document id",
    "source_where": "Where in the source",
    "as_of": "Source date",
    "last_checked": "Last checked",
    # Names the directory's validation uses for the same fields.
    "source": "Source document id",
}
