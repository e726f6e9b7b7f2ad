"""Writes the directory as Open Referral UK 3.0 / HSDS 3.0 JSON.

Two forms of each service:

- stored (``iter_oruk_services``): internal ids and Homeward's facts as ``homeward-field``
  attributes with values. ``importers/oruk_json.py`` reads it back without loss; the staff
  console edits services through it.
- published (``iter_published_services``, the export and the public API): public UUIDs,
  ``service_areas`` for the councils served, Homeward's named taxonomies
  (``bot/directory/taxonomies.py``) for needs, pathways, status and scope, and ``last_modified``.
  Profile ``uk`` (the default) keeps only fields the UK profile has, so it validates against
  both the UK profile and HSDS 3.0; profile ``hsds`` keeps every field, phones included, with
  the source facts as attribute values.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from bot.directory import taxonomies
from bot.directory.exporters.profiles import HSDS, UK_PROFILE, publish_ids, to_uk_profile
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
from bot.directory.public_ids import derived_id
from bot.directory.repository import DirectoryRepository
from bot.directory.service_areas import council_service_area, national_service_area

BATCH_SIZE = 500
SOURCE_FIELDS = ("source_id", "source_where", "as_of", "contact_note")


@dataclass
class StoredService:
    """One service as stored: its HSDS object (internal ids, attributes from other taxonomies
    only) and Homeward's facts about it."""

    service: Service
    document: dict[str, Any]
    councils: list[str]
    pathways: list[int]
    needs: list[str]
    public_ids: dict[tuple[str, str], str]  # (kind, internal id) -> stored public id


def _homeward_attributes(stored: StoredService) -> list[dict[str, Any]]:
    service = stored.service
    facts: list[tuple[str, Any]] = [("status", service.status), ("scope", service.scope)]
    facts += [("council", c) for c in stored.councils] + [("pathway", p) for p in stored.pathways]
    facts += [(name, getattr(service, name)) for name in SOURCE_FIELDS if getattr(service, name)]
    counts: dict[str, int] = {}
    attributes = []
    for name, value in facts:
        index = counts[name] = counts.get(name, -1) + 1
        attributes.append(field_attribute(service.id, name, str(value), index))
    return attributes


def _by_service(session: Any, model: type, key: Any, ids: Sequence[str]) -> dict[str, list[Any]]:
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


def _term_json(term: TaxonomyTerm) -> dict[str, Any]:
    return term.fields_as_json()


def iter_stored_services(
    repository: DirectoryRepository, ids: Collection[str] | None = None, *, ordered: bool = True
) -> Iterator[StoredService]:
    """Every service (or those of ``ids``; unknown ids are skipped) as stored, in id order, or
    in the order of ``ids`` when ``ordered`` is False."""
    with repository.session() as session:
        all_ids = _ordered_ids(session, ids) if ordered or ids is None else list(dict.fromkeys(ids))
        for start in range(0, len(all_ids), BATCH_SIZE):
            yield from _stored_batch(session, all_ids[start : start + BATCH_SIZE])


def _stored_batch(session: Any, ids: list[str]) -> Iterator[StoredService]:
    services = {s.id: s for s in session.execute(select(Service).where(Service.id.in_(ids))).scalars()}
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
        loc.id: loc for loc in session.execute(select(Location).where(Location.id.in_(location_ids))).scalars()
    }
    organization_ids = {s.organization_id for s in services.values() if s.organization_id}
    organizations = {
        o.id: o for o in session.execute(select(Organization).where(Organization.id.in_(organization_ids))).scalars()
    }
    attributes = _by_service(session, Attribute, Attribute.link_id, ids)
    term_ids = {a.taxonomy_term_id for rows in attributes.values() for a in rows}
    terms = {t.id: t for t in session.execute(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(term_ids))).scalars()}
    councils = _by_service(session, ServiceCouncil, ServiceCouncil.service_id, ids)
    pathways = _by_service(session, ServicePathway, ServicePathway.service_id, ids)
    for service_id in ids:
        service = services.get(service_id)
        if service is None:
            continue
        public = {("service", service.id): service.uuid} if service.uuid else {}
        document = service.fields_as_json()
        document["status"] = service.oruk_status or ORUK_STATUS_FOR[service.status]
        if service.last_checked:
            document["assured_date"] = service.last_checked.isoformat()
        if service.organization_id:
            organization = organizations[service.organization_id]
            document["organization_id"] = service.organization_id
            document["organization"] = organization.fields_as_json()
            if organization.uuid:
                public[("organization", organization.id)] = organization.uuid
        for key, rows in children.items():
            if rows.get(service.id):
                document[key] = [row.fields_as_json() for row in rows[service.id]]
        if at_locations.get(service.id):
            document["service_at_locations"] = []
            for sal in at_locations[service.id]:
                item = sal.fields_as_json()
                if sal.uuid:
                    public[("service_at_location", sal.id)] = sal.uuid
                if sal.location_id in locations:
                    item["location"] = locations[sal.location_id].fields_as_json()
                document["service_at_locations"].append(item)
        needs, kept = [], []
        for attribute in attributes.get(service.id, []):
            term = terms[attribute.taxonomy_term_id]
            if term.taxonomy == taxonomies.NEED:
                needs.append(str(term.code))
            else:
                kept.append(
                    {
                        **attribute.fields_as_json(),
                        "taxonomy_term_id": attribute.taxonomy_term_id,
                        "taxonomy_term": _term_json(term),
                    }
                )
        if kept:
            document["attributes"] = kept
        yield StoredService(
            service=service,
            document=document,
            councils=sorted(c.council for c in councils.get(service.id, [])),
            pathways=sorted(p.pathway for p in pathways.get(service.id, [])),
            needs=needs,
            public_ids=public,
        )


def stored_document(stored: StoredService) -> dict[str, Any]:
    """The stored form: internal ids, every Homeward fact as an attribute (read back by the importer)."""
    document = dict(stored.document)
    needs = [
        {
            "id": f"{stored.service.id}:{taxonomies.term(taxonomies.NEED, code).internal_id}",
            "link_type": "need",
            "link_entity": "service",
            "taxonomy_term_id": taxonomies.term(taxonomies.NEED, code).internal_id,
            "taxonomy_term": {
                "id": taxonomies.term(taxonomies.NEED, code).internal_id,
                "code": code,
                "name": taxonomies.term(taxonomies.NEED, code).name,
                "taxonomy": taxonomies.NEED,
            },
        }
        for code in stored.needs
    ]
    document["attributes"] = needs + list(document.get("attributes") or []) + _homeward_attributes(stored)
    return document


def iter_oruk_services(
    repository: DirectoryRepository, ids: Collection[str] | None = None
) -> Iterator[dict[str, Any]]:
    """Every service in its stored form (see the module docstring), in id order; with ``ids``,
    only those services (ids not in the directory are skipped)."""
    for stored in iter_stored_services(repository, ids):
        yield stored_document(stored)


def _term_attribute(service_id: str, link_type: str, term: taxonomies.Term, with_code: bool) -> dict[str, Any]:
    attribute = {
        "id": derived_id("attribute", f"{service_id}:{term.internal_id}"),
        "link_id": service_id,
        "link_type": link_type,
        "taxonomy_term_id": term.id,
        "taxonomy_term": taxonomies.term_json(term, with_code=with_code),
    }
    if with_code:
        attribute["link_entity"] = "service"
    return attribute


def _published_term(term: dict[str, Any]) -> dict[str, Any]:
    """A term from another taxonomy as published: HSDS and the UK profile require a description."""
    return {**term, "name": term.get("name") or str(term.get("code") or term.get("id")),
            "description": term.get("description") or term.get("name") or ""}


def published_document(stored: StoredService, profile: str = UK_PROFILE) -> dict[str, Any]:
    """A service as Homeward publishes it (see the module docstring)."""
    service = stored.service
    hsds = profile == HSDS
    document = dict(stored.document)
    if "organization" in document:  # required by both standards; some publishers leave it out
        document["organization"] = {"description": "", **document["organization"]}
    if not document.get("service_areas"):
        areas = [council_service_area(service.id, code) for code in stored.councils]
        document["service_areas"] = [a for a in areas if a] or [national_service_area(service.id)]
    facts = [("need", taxonomies.term(taxonomies.NEED, code)) for code in stored.needs]
    facts += [("pathway", taxonomies.term(taxonomies.PATHWAY, p)) for p in stored.pathways]
    facts += [("status", taxonomies.term(taxonomies.STATUS, service.status))]
    facts += [("scope", taxonomies.term(taxonomies.SCOPE, service.scope))]
    published_id = stored.public_ids.get(("service", service.id))
    attributes = [
        {**a, "taxonomy_term": _published_term(a["taxonomy_term"])} for a in document.get("attributes") or []
    ]
    document["attributes"] = [
        _term_attribute(service.id, link_type, term, hsds) for link_type, term in facts
    ] + attributes
    if hsds:
        document["attributes"] += [
            field_attribute(service.id, name, str(getattr(service, name)), 0)
            for name in SOURCE_FIELDS
            if getattr(service, name)
        ]
    published = publish_ids(document, "service", stored.public_ids)
    if published_id:
        published["id"] = published_id
    return published if hsds else to_uk_profile(published, "service")


def iter_published_services(
    repository: DirectoryRepository, ids: Collection[str] | None = None, profile: str = UK_PROFILE
) -> Iterator[dict[str, Any]]:
    for stored in iter_stored_services(repository, ids):
        yield published_document(stored, profile)


def page_of(contents: list[dict[str, Any]]) -> dict[str, Any]:
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


def export_oruk(repository: DirectoryRepository, profile: str = UK_PROFILE) -> dict[str, Any]:
    """The whole directory as one page of published services."""
    return page_of(list(iter_published_services(repository, profile=profile)))
