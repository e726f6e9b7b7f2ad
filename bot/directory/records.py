"""What the importers hand to the repository: organisations and services as HSDS objects plus
Homeward's own facts about each service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

# HSDS service keys that become rows of their own tables (not columns or ``extra``).
SERVICE_CHILD_KEYS = ("phones", "contacts", "schedules", "service_areas", "service_at_locations", "attributes")


@dataclass
class OrganizationRecord:
    hsds: dict[str, Any]  # HSDS organization object; needs at least id and name

    @property
    def id(self) -> str:
        return str(self.hsds.get("id") or "")

    @property
    def name(self) -> str:
        return str(self.hsds.get("name") or "")


@dataclass
class ServiceRecord:
    """A service ready to store.

    ``hsds`` is the HSDS 3.0 service object (id, name, description, phones, schedules, ...),
    without its ``organization`` and without Homeward's fields, which are the attributes here.
    """

    hsds: dict[str, Any]
    organization_id: str | None = None
    councils: tuple[str, ...] = ()
    scope: str = "local"
    categories: tuple[str, ...] = ()
    pathways: tuple[int, ...] = ()
    status: str = "live"
    contact_note: str | None = None
    source_id: str | None = None
    source_where: str | None = None
    as_of: str | None = None
    last_checked: date | None = None
    where: str = ""  # where the record came from, for messages: "services[3]", "row 5", ...
    extra_problems: list[tuple[str, str]] = field(default_factory=list)  # (field, message) found while parsing

    @property
    def id(self) -> str:
        return str(self.hsds.get("id") or "")

    @property
    def name(self) -> str:
        return str(self.hsds.get("name") or "")


@dataclass
class Problem:
    """One thing wrong with input data, with where it is."""

    where: str  # "services[3] (bcp-one-team)", "row 5", ...
    field: str
    message: str

    def __str__(self) -> str:
        location = f"{self.where}, field '{self.field}'" if self.field else self.where
        return f"{location}: {self.message}"


@dataclass
class Batch:
    """Everything one import or seed file holds."""

    organizations: list[OrganizationRecord] = field(default_factory=list)
    services: list[ServiceRecord] = field(default_factory=list)
    excluded: list[dict[str, str]] | None = None  # None: leave the excluded list as it is
    problems: list[Problem] = field(default_factory=list)


def parse_date(value: Any) -> tuple[date | None, str | None]:
    """A date from YAML/CSV/JSON input, or an error message."""
    if value is None or value == "":
        return None, None
    if isinstance(value, date):
        return value, None
    try:
        return date.fromisoformat(str(value).strip()[:10]), None
    except ValueError:
        return None, f"'{value}' is not a date like 2026-11-24"
