"""Writes the directory as Open Referral UK 3.0 JSON (one page holding every service).

The output is what ``importers/oruk_json.py`` reads, so export then import gives the same
directory; Homeward's own facts go in ``attributes`` (see that module).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import select

from bot.directory.importers.oruk_json import field_attribute
from bot.directory.models import (
    ORUK_STATUS_FOR,
    Attribute,
    Contact,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCouncil,
    ServicePathway,
    TaxonomyTerm,
)
from bot.directory.repository import DirectoryRepository

BATCH_SIZE = 500


def _homeward_attributes(service: Service, councils: list[str], pathways: list[int]) -> list[dict[str, Any]]:
    facts: list[tuple[str, Any]] = [("status", service.status), ("scope", service.scope)]
    facts += [("council", c) for c in councils] + [("pathway", p) for p in pathways]
    facts += [
        (name, getattr(service, name))
        for name in ("source_id", "source_where", "as_of", "contact_note")
        if getattr(service, name)
    ]
    counts: dict[str, int] = {}
    attributes = []
    for name, value in facts:
        index = counts[name] = counts.get(name, -1) + 1
        attributes.append(field_attribute(service.id, name, str(value), index))
    return attributes


def _by_service(session: Any, model: type, key: Any, ids: list[str]) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    query = select(model).where(key.in_(ids))
    if hasattr(model, "position"):
        query = query.order_by(model.position)
    for row in session.execute(query).scalars():
        grouped.setdefault(getattr(row, key.key), []).append(row)
    return grouped


def _ordered_ids(session: Any, ids: Collection[str] | None) -> list[str]:
    """The stored service ids (all, or those of ``ids`` that exist) in the database's id order."""
    query = select(Service.id).order_by(Service.id)
    if ids is None:
        return list(session.execute(query).scalars())
    if isinstance(ids, str):  # a str is a Collection[str] too: one id would become its letters
        raise TypeError("ids must be a collection of ids, not one id")
    wanted = set(ids)
    if len(wanted) <= BATCH_SIZE:
        return list(session.execute(query.where(Service.id.in_(wanted))).scalars())
    # Many ids: filter the full list rather than bind thousands of parameters (SQLite has a limit).
    return [service_id for service_id in session.execute(query).scalars() if service_id in wanted]


def iter_oruk_services(
    repository: DirectoryRepository, ids: Collection[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every service as an ORUK 3.0 service object, in id order; with ``ids``, only those
    services (ids not in the directory are skipped)."""
    with repository.session() as session:
        all_ids = _ordered_ids(session, ids)
        terms = {t.id: t for t in session.execute(select(TaxonomyTerm)).scalars()}
        organizations = {o.id: o for o in session.execute(select(Organization)).scalars()}
        for start in range(0, len(all_ids), BATCH_SIZE):
            ids = all_ids[start : start + BATCH_SIZE]
            services = session.execute(select(Service).where(Service.id.in_(ids)).order_by(Service.id)).scalars()
            children = {
                key: _by_service(session, model, model.service_id, ids)
                for key, model in (
                    ("phones", Phone),
                    ("contacts", Contact),
                    ("schedules", Schedule),
                    ("service_areas", ServiceArea),
                )
            }
            at_locations = _by_service(session, ServiceAtLocation, ServiceAtLocation.service_id, ids)
            location_ids = {sal.location_id for rows in at_locations.values() for sal in rows if sal.location_id}
            locations = {
                loc.id: loc
                for loc in session.execute(select(Location).where(Location.id.in_(location_ids))).scalars()
            }
            attributes = _by_service(session, Attribute, Attribute.link_id, ids)
            councils = _by_service(session, ServiceCouncil, ServiceCouncil.service_id, ids)
            pathways = _by_service(session, ServicePathway, ServicePathway.service_id, ids)
            for service in services:
                document = service.fields_as_json()
                document["status"] = service.oruk_status or ORUK_STATUS_FOR[service.status]
                if service.last_checked:
                    document["assured_date"] = service.last_checked.isoformat()
                if service.organization_id:
                    document["organization_id"] = service.organization_id
                    document["organization"] = organizations[service.organization_id].fields_as_json()
                for key, rows in children.items():
                    if rows.get(service.id):
                        document[key] = [row.fields_as_json() for row in rows[service.id]]
                if at_locations.get(service.id):
                    document["service_at_locations"] = []
                    for sal in at_locations[service.id]:
                        item = sal.fields_as_json()
                        if sal.location_id in locations:
                            item["location"] = locations[sal.location_id].fields_as_json()
                        document["service_at_locations"].append(item)
                document["attributes"] = [
                    {
                        **attribute.fields_as_json(),
                        "taxonomy_term_id": attribute.taxonomy_term_id,
                        "taxonomy_term": terms[attribute.taxonomy_term_id].fields_as_json(),
                    }
                    for attribute in attributes.get(service.id, [])
                ] + _homeward_attributes(
                    service,
                    sorted(c.council for c in councils.get(service.id, [])),
                    sorted(p.pathway for p in pathways.get(service.id, [])),
                )
                yield document


def export_oruk(repository: DirectoryRepository) -> dict[str, Any]:
    """The whole directory as one ORUK 3.0 page of services."""
    contents = list(iter_oruk_services(repository))
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
