"""HSDS 3.0 tabular form: a ``datapackage.json`` and one CSV per table, as the spec's
``examples/csv``, to and from the nested service objects the JSON importer and exporter use.

Nesting follows the spec's JSON: a table's rows sit under their parent by a foreign key
(``phones.service_id`` under a service, ``phones.contact_id`` under a contact, ...), or are
embedded one-to-one by the parent's key (``services.organization_id``). Those key columns are
implied by the nesting, so the nested objects leave them out, as the spec's examples do.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Columns of each table, as the spec's examples/csv headers have them (HSDS 3.0).
TABLES: dict[str, tuple[str, ...]] = {
    name: tuple(columns.split(","))
    for name, columns in {
        "organizations": "id,name,alternate_name,description,email,website,tax_status,tax_id,year_incorporated,"
        "legal_status,logo,uri,parent_organization_id",
        "programs": "id,organization_id,name,alternate_name,description",
        "services": "id,organization_id,program_id,name,alternate_name,description,url,email,status,"
        "interpretation_services,application_process,fees_description,wait_time,fees,accreditations,"
        "eligibility_description,minimum_age,maximum_age,assured_date,assurer_email,licenses,alert,last_modified",
        "attributes": "id,link_id,taxonomy_term_id,link_type,link_entity,value",
        "service_at_location": "id,service_id,location_id,description",
        "locations": "id,location_type,url,organization_id,name,alternate_name,description,transportation,latitude,"
        "longitude,external_identifier,external_identifier_type",
        "phones": "id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,extension,type,"
        "description",
        "contacts": "id,organization_id,service_id,service_at_location_id,location_id,name,title,department,email",
        "addresses": "id,location_id,attention,address_1,address_2,city,region,state_province,postal_code,country,"
        "address_type",
        "schedules": "id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,timezone,until,"
        "count,wkst,freq,interval,byday,byweekno,bymonthday,byyearday,description,opens_at,closes_at,schedule_link,"
        "attending_type,notes",
        "funding": "id,organization_id,service_id,source",
        "service_areas": "id,service_id,name,description,extent,extent_type,uri",
        "required_documents": "id,service_id,document,uri",
        "languages": "id,service_id,location_id,phone_id,name,code,note",
        "accessibility": "id,location_id,description,details,url",
        "taxonomy_terms": "id,code,name,description,parent_id,taxonomy,language,taxonomy_id,term_uri",
        "metadata": "id,resource_id,resource_type,last_action_date,last_action_type,field_name,previous_value,"
        "replacement_value,updated_by",
        "cost_options": "id,service_id,valid_from,valid_to,option,currency,amount,amount_description",
        "organization_identifiers": "id,organization_id,identifier_scheme,identifier_type,identifier",
        "taxonomies": "id,name,description,uri,version",
    }.items()
}
# Columns the spec's datapackage types as numbers (everything else is text).
NUMBERS = {
    ("organizations", "year_incorporated"), ("services", "minimum_age"), ("services", "maximum_age"),
    ("locations", "latitude"), ("locations", "longitude"), ("phones", "extension"), ("schedules", "timezone"),
    ("schedules", "count"), ("schedules", "interval"), ("cost_options", "amount"),
}


@dataclass(frozen=True)
class Many:
    """``key``: rows of ``table`` whose ``column`` is the parent's id."""

    key: str
    table: str
    column: str


@dataclass(frozen=True)
class One:
    """``key``: the row of ``table`` whose id is the parent's ``column``."""

    key: str
    table: str
    column: str


_PHONES = ("phones", "phones")
RELATIONS: dict[str, tuple[Many | One, ...]] = {
    "services": (
        One("organization", "organizations", "organization_id"), One("program", "programs", "program_id"),
        Many("phones", "phones", "service_id"), Many("schedules", "schedules", "service_id"),
        Many("service_areas", "service_areas", "service_id"),
        Many("service_at_locations", "service_at_location", "service_id"),
        Many("languages", "languages", "service_id"), Many("funding", "funding", "service_id"),
        Many("cost_options", "cost_options", "service_id"),
        Many("required_documents", "required_documents", "service_id"),
        Many("contacts", "contacts", "service_id"), Many("attributes", "attributes", "link_id"),
        Many("metadata", "metadata", "resource_id"),
    ),
    "service_at_location": (
        One("location", "locations", "location_id"), Many("contacts", "contacts", "service_at_location_id"),
        Many("phones", "phones", "service_at_location_id"), Many("schedules", "schedules", "service_at_location_id"),
    ),
    "locations": (
        Many("languages", "languages", "location_id"), Many("addresses", "addresses", "location_id"),
        Many("contacts", "contacts", "location_id"), Many("accessibility", "accessibility", "location_id"),
        Many("phones", "phones", "location_id"), Many("schedules", "schedules", "location_id"),
    ),
    "organizations": (
        Many("funding", "funding", "organization_id"), Many("contacts", "contacts", "organization_id"),
        Many("phones", "phones", "organization_id"), Many("locations", "locations", "organization_id"),
        Many("programs", "programs", "organization_id"),
        Many("organization_identifiers", "organization_identifiers", "organization_id"),
    ),
    "contacts": (Many("phones", "phones", "contact_id"),),
    "phones": (Many("languages", "languages", "phone_id"),),
    "attributes": (One("taxonomy_term", "taxonomy_terms", "taxonomy_term_id"),),
    "taxonomy_terms": (One("taxonomy_detail", "taxonomies", "taxonomy_id"),),
}
Tables = dict[str, dict[str, dict[str, Any]]]  # table -> id -> row


# ----- nested -> tables ----------------------------------------------------------------------


def flatten(services: list[dict[str, Any]]) -> Tables:
    """Every row of every table the services hold (a row met twice is one row, keys merged)."""
    tables: Tables = {name: {} for name in TABLES}
    for service in services:
        _add(tables, "services", service, {})
    return tables


def _add(tables: Tables, table: str, data: dict[str, Any], keys: dict[str, Any]) -> None:
    if not isinstance(data, dict) or not data.get("id"):
        return
    row = {column: data[column] for column in TABLES[table] if column in data and data[column] is not None}
    row.update(keys)
    for relation in RELATIONS.get(table, ()):
        child = data.get(relation.key)
        if isinstance(relation, One) and isinstance(child, dict) and child.get("id"):
            row[relation.column] = child["id"]
            _add(tables, relation.table, child, {})
        elif isinstance(relation, Many) and isinstance(child, list):
            for item in child:
                _add(tables, relation.table, item, {relation.column: data["id"]})
    existing = tables[table].setdefault(str(data["id"]), {})
    existing.update({k: v for k, v in row.items() if v not in (None, "")})


def write_datapackage(folder: Path, services: list[dict[str, Any]], name: str = "homeward-directory") -> int:
    """Writes ``folder/datapackage.json`` and one CSV per table; returns the number of services."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = flatten(services)
    resources = []
    for table, columns in TABLES.items():
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in tables[table].values():
                writer.writerow({c: _cell(row.get(c)) for c in columns})
        fields = [{"name": c, "type": "number" if (table, c) in NUMBERS else "string"} for c in columns]
        resources.append(
            {"name": table, "path": f"{table}.csv", "profile": "tabular-data-resource", "format": "csv",
             "mediatype": "text/csv", "encoding": "utf-8", "schema": {"fields": fields, "primaryKey": "id"}}
        )
    package = {"name": name, "profile": "tabular-data-package", "resources": resources}
    (folder / "datapackage.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    return len(tables["services"])


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ----- tables -> nested ----------------------------------------------------------------------


class TabularError(ValueError):
    """The data package cannot be read; the message says why."""


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def read_tables(package: Path) -> Tables:
    """The rows of a data package (``datapackage.json`` or the folder holding it), typed."""
    descriptor_path = package / "datapackage.json" if package.is_dir() else package
    try:
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise TabularError(f"{descriptor_path} is not a readable datapackage.json ({error})") from error
    tables: Tables = {name: {} for name in TABLES}
    for resource in descriptor.get("resources") or []:
        path = descriptor_path.parent / str(resource.get("path") or "")
        table = path.stem
        if table not in TABLES:
            continue  # e.g. meta_table_descriptions: not part of a service
        fields = (resource.get("schema") or {}).get("fields") or []
        numbers = {f.get("name") for f in fields if isinstance(f, dict) and f.get("type") in ("number", "integer")}
        numbers |= {c for t, c in NUMBERS if t == table}
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for line, row in enumerate(csv.DictReader(handle), start=2):
                typed: dict[str, Any] = {}
                for column, text in row.items():
                    if column is None or text is None or text == "":
                        continue
                    try:
                        typed[column] = _number(text) if column in numbers else text
                    except ValueError:
                        raise TabularError(f"{path.name} line {line}: {column} '{text}' is not a number") from None
                if typed.get("id"):
                    tables[table][str(typed["id"])] = typed
    return tables


def nest(tables: Tables) -> list[dict[str, Any]]:
    """The services of the tables, each with its related rows nested as the spec's JSON has them."""
    index: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}
    for table, rows in tables.items():
        for relation_table, relations in RELATIONS.items():
            for relation in relations:
                if isinstance(relation, Many) and relation.table == table:
                    for row in rows.values():
                        if row.get(relation.column):
                            index.setdefault((relation_table, relation.key), {}).setdefault(
                                str(row[relation.column]), []
                            ).append(row)
    return [_nested(tables, index, "services", row) for row in tables["services"].values()]


def _nested(tables: Tables, index: dict, table: str, row: dict[str, Any]) -> dict[str, Any]:
    relations = RELATIONS.get(table, ())
    implied = {r.column for r in relations if isinstance(r, One)}
    data = {k: v for k, v in row.items() if k not in implied and not _is_parent_key(table, k)}
    for relation in relations:
        if isinstance(relation, One):
            target = tables[relation.table].get(str(row.get(relation.column) or ""))
            if target is not None:
                data[relation.key] = _nested(tables, index, relation.table, target)
            elif row.get(relation.column):
                data[relation.column] = row[relation.column]  # points outside the package: keep the key
        else:
            children = index.get((table, relation.key), {}).get(str(row["id"]), [])
            if children:
                data[relation.key] = [_nested(tables, index, relation.table, child) for child in children]
    return data


def _is_parent_key(table: str, column: str) -> bool:
    """Whether ``column`` of ``table`` only says which parent a row nests under."""
    return any(
        isinstance(r, Many) and r.table == table and r.column == column
        for relations in RELATIONS.values()
        for r in relations
    )


def read_datapackage(package: Path) -> list[dict[str, Any]]:
    return nest(read_tables(package))
