"""The read side of Homeward's public Open Referral UK 3.0 API (the web views are in
``bot/web/oruk.py``): pages and records as the UK profile's openapi.json describes them.

Every record is the published UK-profile form (``exporters/oruk_json.py``), so each response
validates against the UK profile and HSDS 3.0. Service lists come from the directory's own
search (``DirectoryRepository.search``): the same order (by name) and the same indexes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from bot.directory import taxonomies
from bot.directory.exporters.oruk_json import iter_stored_services, published_document
from bot.directory.exporters.profiles import UK_FIELDS, UK_SERVICE_LIST_FIELDS, publish_ids, to_uk_profile
from bot.directory.models import (
    ORUK_STATUS_FOR,
    STATUSES,
    ExcludedEntry,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceFacet,
)
from bot.directory.postcodes import resolve_postcode
from bot.directory.public_ids import is_uuid
from bot.directory.repository import MAX_PAGE_SIZE, DirectoryRepository, SearchRequest

PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"
OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"
HSDS_VERSION = "3.0"
DEFAULT_PER_PAGE = 20
ORGANIZATION_LIST_FIELDS = UK_FIELDS["organization"][:8]  # one-to-one fields (compiled organization_list.json)
UNSUPPORTED_FILTERS = ("minimum_age", "maximum_age", "start_time", "end_time", "day", "proximity")


class BadRequest(ValueError):
    """A query the API cannot answer; the message says why (sent as a 400)."""


@dataclass(frozen=True)
class ServiceQuery:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    text: str | None = None
    need: str | None = None
    pathway: int | None = None
    statuses: tuple[str, ...] = STATUSES
    council: str | None = None
    modified_after: str | None = None
    nothing: bool = False  # a filter no service can match (e.g. an unknown taxonomy term)


def metadata() -> dict[str, Any]:
    return {"version": HSDS_VERSION, "profile": PROFILE_URL, "openapi_url": OPENAPI_URL}


def page(contents: list[Any], total: int, number: int, per_page: int) -> dict[str, Any]:
    total_pages = max(1, math.ceil(total / per_page))
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


def _integer(params: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be from {low} to {high}")
    return value


def paging(params: dict[str, str]) -> tuple[int, int]:
    return (
        _integer(params, "page", 1, 1, 1_000_000),
        _integer(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PAGE_SIZE),
    )


def _modified_after(raw: str) -> str:
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        raise BadRequest("modified_after must be a date-time like 2026-12-01T00:00:00Z") from None
    return moment.isoformat() if moment.tzinfo else moment.isoformat() + "+00:00"


def service_query(params: dict[str, str], council_of: Callable[[str], str | None]) -> ServiceQuery:
    """The query a /services request asks for. ``council_of`` turns a postcode into our council."""
    for name in UNSUPPORTED_FILTERS:
        if params.get(name):
            raise BadRequest(f"{name} is not supported by this API")
    number, per_page = paging(params)
    query: dict[str, Any] = {"page": number, "per_page": per_page}
    text = (params.get("search") or "").strip()
    if text:
        query["text"] = text
    term_id = (params.get("taxonomy_term_id") or "").strip()
    if term_id:
        term = taxonomies.find_term(term_id)
        if term is None:
            query["nothing"] = True
        elif term.taxonomy in (taxonomies.FIELD, taxonomies.SCOPE):
            raise BadRequest("filtering by this taxonomy term is not supported")
        elif term.taxonomy == taxonomies.NEED:
            query["need"] = term.code
        elif term.taxonomy == taxonomies.PATHWAY:
            query["pathway"] = int(term.code)
        elif term.taxonomy == taxonomies.STATUS:
            query["statuses"] = (term.code,)
    taxonomy_id = (params.get("taxonomy_id") or "").strip()
    if taxonomy_id and taxonomy_id not in {t.id for t in taxonomies.all_taxonomies()}:
        query["nothing"] = True  # every service has terms of each of Homeward's taxonomies
    postcode = (params.get("postcode") or "").strip()
    if postcode:
        council = council_of(postcode)
        if council is None:
            query["nothing"] = True
        else:
            query["council"] = council
    if params.get("modified_after"):
        if text:
            raise BadRequest("search and modified_after cannot be used together")
        query["modified_after"] = _modified_after(params["modified_after"])
    return ServiceQuery(**query)


class OrukApi:
    """Answers the API's requests from one directory database."""

    def __init__(self, repository: DirectoryRepository) -> None:
        self.repository = repository

    # ----- services ------------------------------------------------------------------------

    def council_of(self, postcode: str) -> str | None:
        """Our council for a postcode (ONSPD table if loaded); None if outside, unknown or split."""
        with self.repository.session() as session:
            found = resolve_postcode(postcode, session)
        return found.councils[0] if found.kind == "council" and len(found.councils) == 1 else None

    def services(self, query: ServiceQuery) -> dict[str, Any]:
        if query.nothing:
            return page([], 0, query.page, query.per_page)
        if query.modified_after:
            ids, total = self._modified_ids(query)
        elif query == ServiceQuery(page=query.page, per_page=query.per_page):
            ids, total = self._all_ids(query)
        elif not query.council and not query.text:
            ids, total = self._facet_ids(query)
        else:  # by area (the council's own services first) or by words: as the directory search
            request = SearchRequest(
                need=query.need,
                council=query.council,
                text=query.text,
                pathway=query.pathway,
                statuses=query.statuses,
                page=query.page,
                page_size=query.per_page,
            )
            ids, total, _more = self.repository.search_ids(request)
        return page(self._service_list_items(ids), total, query.page, query.per_page)

    def _all_ids(self, query: ServiceQuery) -> tuple[list[str], int]:
        """No filters: every service by public id, which has an index (counting the facet rows
        of the whole directory, as a search does, takes far longer). Names on the excluded list
        (boards, strategies) are left out, as everywhere; they are counted through the index
        on lower(name) (migration 0006), so the total costs two index reads."""
        excluded = select(ExcludedEntry.name_key)
        with self.repository.engine.connect() as connection:
            total = connection.execute(select(func.count()).select_from(Service)).scalar_one()
            # The names as values (a short list), not a subquery: then both databases use the index.
            names = list(connection.execute(excluded).scalars())
            if names:
                total -= connection.execute(
                    select(func.count()).select_from(Service).where(func.lower(Service.name).in_(names))
                ).scalar_one()
            ids = connection.execute(
                select(Service.id)
                .where(func.lower(Service.name).notin_(excluded))
                .order_by(Service.uuid)
                .limit(query.per_page)
                .offset((query.page - 1) * query.per_page)
            ).scalars()
            return list(ids), total

    def _facet_ids(self, query: ServiceQuery) -> tuple[list[str], int]:
        """By need, pathway or status, anywhere: in the facet index's own order (status, tier,
        name), so a page reads only its own rows; the count reads the one index range."""
        facet = ServiceFacet.__table__
        conditions = [facet.c.council == "", facet.c.need == (query.need or "")]
        if set(query.statuses) != set(STATUSES):
            conditions.append(facet.c.status.in_(query.statuses))
        if query.pathway is not None:
            conditions.append(facet.c.pathways.op("&")(1 << query.pathway) != 0)
        conditions.append(func.lower(facet.c.sort_name).notin_(select(ExcludedEntry.name_key)))
        matching = select(facet.c.service_id).where(*conditions)
        with self.repository.engine.connect() as connection:
            total = connection.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
            ids = connection.execute(
                matching.order_by(facet.c.status, facet.c.tier, facet.c.sort_name, facet.c.service_id)
                .limit(query.per_page)
                .offset((query.page - 1) * query.per_page)
            ).scalars()
            return list(ids), total

    def _modified_ids(self, query: ServiceQuery) -> tuple[list[str], int]:
        facet = ServiceFacet.__table__
        conditions = [
            facet.c.council.in_([query.council, "*"] if query.council else [""]),
            facet.c.need == (query.need or ""),
            facet.c.status.in_(query.statuses),
            Service.last_modified >= query.modified_after,
            func.lower(facet.c.sort_name).notin_(select(ExcludedEntry.name_key)),
        ]
        if query.pathway is not None:
            conditions.append(facet.c.pathways.op("&")(1 << query.pathway) != 0)
        matching = select(facet.c.service_id).join(Service, Service.id == facet.c.service_id).where(*conditions)
        with self.repository.engine.connect() as connection:
            total = connection.execute(select(func.count()).select_from(matching.subquery())).scalar_one()
            ids = connection.execute(
                matching.order_by(Service.last_modified, facet.c.service_id)
                .limit(query.per_page)
                .offset((query.page - 1) * query.per_page)
            ).scalars()
            return list(ids), total

    def _service_list_items(self, ids: Sequence[str]) -> list[dict[str, Any]]:
        if not ids:
            return []
        with self.repository.session() as session:
            rows = {s.id: s for s in session.execute(select(Service).where(Service.id.in_(ids))).scalars()}
            items = []
            for service_id in ids:
                service = rows.get(service_id)
                if service is not None:
                    items.append(_service_list_item(service))
            return items

    def service(self, public_id: str) -> dict[str, Any] | None:
        internal = self._internal_id(Service, public_id)
        if internal is None:
            return None
        for stored in iter_stored_services(self.repository, [internal]):
            return published_document(stored)
        return None

    def _internal_id(self, model: type, public_id: str) -> str | None:
        if not is_uuid(public_id):
            return None
        with self.repository.session() as session:
            return session.execute(select(model.id).where(model.uuid == public_id.lower())).scalar_one_or_none()

    # ----- organisations and services at locations -----------------------------------------

    def organizations(self, number: int, per_page: int) -> dict[str, Any]:
        with self.repository.session() as session:
            total = session.execute(select(func.count()).select_from(Organization)).scalar_one()
            rows = session.execute(
                select(Organization).order_by(Organization.name, Organization.id)
                .limit(per_page).offset((number - 1) * per_page)
            ).scalars()
            contents = [to_uk_profile(_organization(o), "organization", ORGANIZATION_LIST_FIELDS) for o in rows]
        return page(contents, total, number, per_page)

    def organization(self, public_id: str) -> dict[str, Any] | None:
        internal = self._internal_id(Organization, public_id)
        if internal is None:
            return None
        with self.repository.session() as session:
            found = session.get(Organization, internal)
            return to_uk_profile(_organization(found), "organization") if found else None

    def service_at_locations(self, number: int, per_page: int) -> dict[str, Any]:
        """Every service at a location, by public id (filters are not supported here)."""
        with self.repository.session() as session:
            total = session.execute(select(func.count()).select_from(ServiceAtLocation)).scalar_one()
            rows = session.execute(
                select(ServiceAtLocation.service_id, ServiceAtLocation.uuid)
                .order_by(ServiceAtLocation.uuid)
                .limit(per_page)
                .offset((number - 1) * per_page)
            ).all()
        by_service = {
            stored.service.id: published_document(stored)
            for stored in iter_stored_services(self.repository, {r.service_id for r in rows})
        }
        contents = [
            item
            for service_id, public_id in rows
            if (item := _service_at_location_item(by_service.get(service_id), public_id)) is not None
        ]
        return page(contents, total, number, per_page)

    def service_at_location(self, public_id: str) -> dict[str, Any] | None:
        """The service offered there, in full (the profile's openapi.json gives service.json here)."""
        internal = self._internal_id(ServiceAtLocation, public_id)
        if internal is None:
            return None
        with self.repository.session() as session:
            service_id = session.execute(
                select(ServiceAtLocation.service_id).where(ServiceAtLocation.id == internal)
            ).scalar_one()
        for stored in iter_stored_services(self.repository, [service_id]):
            return published_document(stored)
        return None


def _organization(organization: Organization) -> dict[str, Any]:
    overrides = {("organization", organization.id): organization.uuid}
    data = publish_ids(organization.fields_as_json(), "organization", overrides)
    data.setdefault("description", "")  # required by the profile; some publishers leave it out
    return data


def _service_list_item(service: Service) -> dict[str, Any]:
    document = service.fields_as_json()
    document["status"] = service.oruk_status or ORUK_STATUS_FOR[service.status]
    if service.last_checked:
        document["assured_date"] = service.last_checked.isoformat()
    overrides = {("service", service.id): service.uuid}
    if service.organization is not None:
        document["organization_id"] = service.organization_id
        document["organization"] = _organization(service.organization)
        overrides[("organization", service.organization_id)] = service.organization.uuid
    published = publish_ids(document, "service", overrides)
    item = to_uk_profile(published, "service", UK_SERVICE_LIST_FIELDS)
    if "organization" in item:
        item["organization"] = to_uk_profile(item["organization"], "organization", ORGANIZATION_LIST_FIELDS)
    return item


def _service_at_location_item(service: dict[str, Any] | None, public_id: str) -> dict[str, Any] | None:
    """The list entry (one-to-one fields, with its location and service) of one service at a location."""
    for item in (service or {}).get("service_at_locations") or []:
        if item.get("id") != public_id:
            continue
        entry = {key: item[key] for key in ("id", "service_id", "location_id") if key in item}
        if "location" in item:
            entry["location"] = to_uk_profile(item["location"], "location", UK_FIELDS["location"][:8])
        summary = {key: service[key] for key in UK_SERVICE_LIST_FIELDS if key in service}
        if "organization" in summary:
            summary["organization"] = to_uk_profile(summary["organization"], "organization", ORGANIZATION_LIST_FIELDS)
        entry["service"] = summary
        return entry
    return None


# ----- taxonomies (Homeward's own, held in code) ------------------------------------------


def taxonomy_list(number: int, per_page: int) -> dict[str, Any]:
    everything = [taxonomies.taxonomy_json(t) for t in taxonomies.all_taxonomies()]
    start = (number - 1) * per_page
    return page(everything[start : start + per_page], len(everything), number, per_page)


def taxonomy(public_id: str) -> dict[str, Any] | None:
    for found in taxonomies.all_taxonomies():
        if found.id == public_id:
            return taxonomies.taxonomy_json(found)
    return None


def taxonomy_term_list(number: int, per_page: int) -> dict[str, Any]:
    everything = [t for found in taxonomies.all_taxonomies() for t in found.terms]
    start = (number - 1) * per_page
    contents = [taxonomies.term_json(t, with_code=False) for t in everything[start : start + per_page]]
    return page(contents, len(everything), number, per_page)


def taxonomy_term(public_id: str) -> dict[str, Any] | None:
    found = taxonomies.find_term(public_id) if is_uuid(public_id) else None
    return taxonomies.term_json(found, with_code=False) if found else None
