"""Reads Open Referral UK 3.0 services: from a JSON file or from an ORUK API with paging.

Homeward's own facts travel inside standard HSDS ``attributes``: need categories as terms of
the ``homeward-need`` vocabulary, and the rest (status, scope, councils, pathways, source)
as terms of ``homeward-field`` with the fact in ``value``. A service from another directory
has none of these; the import then uses the defaults given (council, scope, source).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.directory import categories, taxonomies
from bot.directory.postcodes import resolve_postcode
from bot.directory.public_ids import publisher_id, scoped_id
from bot.directory.records import Batch, OrganizationRecord, Problem, ServiceRecord, parse_date
from bot.directory.service_areas import councils_in_areas

FIELD_VOCABULARY = taxonomies.FIELD
# HSDS status -> Homeward status for services that do not carry ours. Anything not running
# now is "ended" so it is not offered; the HSDS status itself is kept for export.
STATUS_FROM_ORUK = {"active": "live", "inactive": "ended", "defunct": "ended", "temporarily closed": "ended"}
MAX_PAGES = 10_000
REQUEST_TIMEOUT_SECONDS = 30
DETAIL_CONCURRENCY = 6  # requests at a time for /services/{id}: quick, without hammering the API
ProgressPair = Callable[[int, int], None]  # (done, total)
NO_AREA = (
    "name no council Homeward covers (by GSS code or name), and no location postcode is in one: "
    "give --council, or --scope national if the service is for all of England"
)
DETAIL_HINT = "The service list names this service but its details could not be read; try again, or use --list-only."


@dataclass(frozen=True)
class ImportDefaults:
    """What to assume for services that do not say (i.e. from other directories)."""

    source_id: str
    councils: tuple[str, ...] = ()
    scope: str | None = None  # None: local for one council, county for several, national for none
    checked_on: date | None = None  # when we read the source; today if None
    # Where the records come from (a file path or API address). Given, another publisher's ids
    # are kept apart from every other source's: two publishers may use the same id.
    source_key: str | None = None

    def default_scope(self) -> str:
        return self.scope or _scope_for(self.councils)


def _scope_for(councils: tuple[str, ...]) -> str:
    return {0: "national", 1: "local"}.get(len(councils), "county")


class OrukFetchError(Exception):
    """The ORUK API could not be read; the message says what to try."""


def field_attribute(service_id: str, name: str, value: str, index: int = 0) -> dict[str, Any]:
    """The HSDS attribute that carries one Homeward fact about a service."""
    return {
        "id": f"{service_id}:{FIELD_VOCABULARY}:{name}:{index}",
        "link_id": service_id,
        "link_type": "homeward",
        "link_entity": "service",
        "taxonomy_term_id": f"{FIELD_VOCABULARY}:{name}",
        "taxonomy_term": {
            "id": f"{FIELD_VOCABULARY}:{name}",
            "code": name,
            "name": name.replace("_", " "),
            "description": taxonomies.FIELD_DESCRIPTIONS[name],
            "taxonomy": FIELD_VOCABULARY,
            "taxonomy_id": taxonomies.taxonomy_id(FIELD_VOCABULARY),
        },
        "value": value,
    }


# Homeward's taxonomies whose terms are facts of a service, by the field they set.
FACT_TAXONOMIES = {taxonomies.PATHWAY: "pathway", taxonomies.STATUS: "status", taxonomies.SCOPE: "scope"}


def _term_taxonomy(attribute: dict[str, Any]) -> tuple[str | None, str | None]:
    """(Homeward taxonomy, term code) of an attribute, or (None, None) for another taxonomy."""
    term = attribute.get("taxonomy_term") or {}
    term_id = str(term.get("id") or attribute.get("taxonomy_term_id") or "")
    known = taxonomies.find_term(term_id)
    if known is not None:
        return known.taxonomy, known.code
    taxonomy = term.get("taxonomy")
    for vocabulary in (FIELD_VOCABULARY, categories.VOCABULARY):
        if taxonomy == vocabulary or term_id.startswith(f"{vocabulary}:"):
            return vocabulary, term.get("code") or term_id.split(":", 1)[1]
    return None, None


def is_homewards(service: dict[str, Any]) -> bool:
    """Whether a service object is one Homeward published (it carries Homeward's taxonomies)."""
    return any(
        isinstance(attribute, dict) and _term_taxonomy(attribute)[0] is not None
        for attribute in service.get("attributes") or []
    )


def scope_ids(data: Any, source_key: str) -> Any:
    """A copy of an HSDS object with every id and reference prefixed by its source."""
    if isinstance(data, list):
        return [scope_ids(item, source_key) for item in data]
    if not isinstance(data, dict):
        return data
    return {
        key: scoped_id(source_key, value)
        if isinstance(value, str) and value and (key == "id" or key.endswith("_id") or key == "link_id")
        else scope_ids(value, source_key)
        for key, value in data.items()
    }


def service_from_oruk(
    data: Any, where: str, defaults: ImportDefaults
) -> tuple[ServiceRecord, OrganizationRecord | None]:
    """One ORUK service object as a record (plus its embedded organisation, if any)."""
    if not isinstance(data, dict):
        return ServiceRecord(hsds={}, where=where, extra_problems=[("", "is not a JSON object")]), None
    if defaults.source_key and not is_homewards(data):
        data = scope_ids(data, defaults.source_key)
    hsds = dict(data)
    organization = hsds.pop("organization", None)
    organization_id = hsds.get("organization_id") or (organization or {}).get("id")
    problems: list[tuple[str, str]] = []
    fields: dict[str, list[str]] = {}
    needs: list[str] = []
    kept_attributes = []
    for attribute in hsds.get("attributes") or []:
        vocabulary, code = _term_taxonomy(attribute) if isinstance(attribute, dict) else (None, None)
        if vocabulary == FIELD_VOCABULARY:
            fields.setdefault(str(code), []).append(str(attribute.get("value") or ""))
        elif vocabulary == categories.VOCABULARY:
            needs.append(str(code))
        elif vocabulary in FACT_TAXONOMIES:
            fields.setdefault(FACT_TAXONOMIES[vocabulary], []).append(str(code))
        elif isinstance(attribute, dict) and (attribute.get("taxonomy_term") or attribute.get("taxonomy_term_id")):
            kept_attributes.append(attribute)
        else:
            problems.append(("attributes", "an attribute has no taxonomy_term or taxonomy_term_id"))
    if "attributes" in hsds:
        hsds["attributes"] = kept_attributes

    def first(name: str) -> str | None:
        return (fields.get(name) or [None])[0] or None

    oruk_status = hsds.get("status")
    status = first("status") or STATUS_FROM_ORUK.get(str(oruk_status or "").lower())
    if status is None:
        problems.append(("status", f"'{oruk_status}' is not an ORUK status (active, inactive, defunct, ...)"))
    last_checked, date_problem = parse_date(hsds.get("assured_date"))
    if date_problem:
        problems.append(("assured_date", date_problem))
    pathways = []
    for value in fields.get("pathway", []):
        try:
            pathways.append(int(value))
        except ValueError:
            problems.append(("attributes", f"pathway '{value}' is not a number from 0 to 3"))
    councils, national = (tuple(fields["council"]), False) if "council" in fields else area_councils(hsds, defaults)
    if national and "scope" not in fields:
        fields["scope"] = ["national"]
    if not (councils or national or "scope" in fields or defaults.scope):
        problems.append(("service_areas", NO_AREA))
    record = ServiceRecord(
        hsds=hsds,
        organization_id=str(organization_id) if organization_id else None,
        councils=councils,
        scope=first("scope") or (_scope_for(councils) if councils != defaults.councils else defaults.default_scope()),
        categories=tuple(needs),
        pathways=tuple(pathways),
        status=status or "",
        contact_note=first("contact_note"),
        source_id=first("source_id") or defaults.source_id,
        source_where=first("source_where")
        or (f"service {publisher_id(str(hsds.get('id')))}" if "source_id" not in fields else None),
        as_of=first("as_of"),
        last_checked=last_checked or defaults.checked_on or date.today(),
        where=where,
        extra_problems=problems,
    )
    organization_record = OrganizationRecord(hsds=dict(organization)) if isinstance(organization, dict) else None
    return record, organization_record


def area_councils(hsds: dict[str, Any], defaults: ImportDefaults) -> tuple[tuple[str, ...], bool]:
    """(councils, national) of a service without our council facts: ``--council`` if given,
    else the councils its service areas name, else those its locations' postcodes are in."""
    if defaults.councils:
        return defaults.councils, False
    councils, england = councils_in_areas(hsds.get("service_areas"))
    if councils or england:
        return councils, england and not councils
    postcodes = [
        str(address.get("postal_code") or "")
        for at_location in hsds.get("service_at_locations") or []
        if isinstance(at_location, dict)
        for address in ((at_location.get("location") or {}).get("addresses") or [])
        if isinstance(address, dict)
    ]
    found = []
    for postcode in postcodes:
        resolution = resolve_postcode(postcode)
        if resolution.kind == "council":
            found.extend(resolution.councils)
    return tuple(dict.fromkeys(found)), False


def services_in(document: Any) -> list[Any] | None:
    """The service objects in an ORUK document: a page ({"contents": [...]}), a list, or one service."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        if isinstance(document.get("contents"), list):
            return document["contents"]
        if "id" in document and "name" in document:
            return [document]
    return None


def batch_from_services(services: list[Any], defaults: ImportDefaults) -> Batch:
    batch = Batch()
    organizations: dict[str, OrganizationRecord] = {}
    for index, item in enumerate(services):
        record, organization = service_from_oruk(item, f"services[{index}]", defaults)
        batch.services.append(record)
        if organization is not None:
            organizations.setdefault(organization.id, organization)
    batch.organizations = list(organizations.values())
    return batch


def read_oruk_file(path: Path, defaults: ImportDefaults) -> Batch:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return Batch(problems=[Problem(f"{path.name} line {error.lineno}", "", f"is not valid JSON ({error.msg})")])
    services = services_in(document)
    if services is None:
        return Batch(
            problems=[Problem(path.name, "", "holds no services: expected {\"contents\": [...]}, a list, or a service")]
        )
    return batch_from_services(services, defaults)


async def _get_json(session: aiohttp.ClientSession, url: str, what: str) -> Any:
    """The JSON at ``url``; ``what`` says what was expected there, for the error message."""
    try:
        async with session.get(url, headers={"Accept": "application/json"}) as response:
            if response.status != 200:
                raise OrukFetchError(f"{url} answered HTTP {response.status}. {what}")
            return await response.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        reason = str(error) or type(error).__name__
        raise OrukFetchError(f"Could not read {url} ({reason}). Is the address right?") from error
    except json.JSONDecodeError as error:
        raise OrukFetchError(f"{url} did not answer with JSON ({error.msg}). Is it an ORUK API?") from error


async def _list_services(
    session: aiohttp.ClientSession, base_url: str, on_page: ProgressPair | None
) -> list[Any]:
    """The services of ``GET {base_url}/services?page=N``, every page until ``total_pages``."""
    services: list[Any] = []
    page, total_pages = 1, 1
    while page <= total_pages and page <= MAX_PAGES:
        url = f"{base_url}/services?page={page}"
        document = await _get_json(session, url, "Check the address and try again.")
        contents = document.get("contents") if isinstance(document, dict) else None
        if not isinstance(contents, list):
            raise OrukFetchError(f"{url} has no \"contents\" list. Is it an ORUK 3.0 /services endpoint?")
        services.extend(contents)
        total_pages = int(document.get("total_pages") or page)
        if on_page:
            on_page(page, total_pages)
        if not contents:
            break
        page += 1
    return services


async def _service_details(
    session: aiohttp.ClientSession, base_url: str, summary: Any, limit: asyncio.Semaphore
) -> Any:
    """The full service for a list entry: ``GET {base_url}/services/{id}``."""
    if not isinstance(summary, dict) or not summary.get("id"):
        return summary  # nothing to ask for; validation reports it
    service_id = str(summary["id"])
    url = f"{base_url}/services/{quote(service_id, safe='')}"
    async with limit:
        service = await _get_json(session, url, DETAIL_HINT)
    if not isinstance(service, dict) or str(service.get("id")) != service_id:
        raise OrukFetchError(f"{url} did not answer with service {service_id}. Is it an ORUK 3.0 API?")
    return service


async def _all_details(
    session: aiohttp.ClientSession, base_url: str, summaries: list[Any], on_detail: ProgressPair | None
) -> list[Any]:
    """Every listed service in full, in list order, at most DETAIL_CONCURRENCY requests at a time."""
    limit = asyncio.Semaphore(DETAIL_CONCURRENCY)
    done = 0

    async def fetch(summary: Any) -> Any:
        nonlocal done
        service = await _service_details(session, base_url, summary, limit)
        done += 1
        if on_detail:
            on_detail(done, len(summaries))
        return service

    tasks = [asyncio.ensure_future(fetch(summary)) for summary in summaries]
    try:
        return list(await asyncio.gather(*tasks))
    finally:
        # After a failure the other requests are pointless: stop them before the session closes.
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def fetch_oruk_services(
    base_url: str,
    on_page: ProgressPair | None = None,
    session: aiohttp.ClientSession | None = None,
    *,
    details: bool = True,
    on_detail: ProgressPair | None = None,
) -> list[Any]:
    """Every service from an ORUK API: ``GET {base_url}/services?page=N`` until ``total_pages``,
    then (with ``details``) ``GET {base_url}/services/{id}`` for each, because a list entry need
    only carry a service's own fields, not its phones, schedules, locations or attributes.

    ``on_page(page, total_pages)`` and ``on_detail(done, total)`` report progress. Any failed
    request raises OrukFetchError naming the address, and nothing is returned.
    """
    base_url = base_url.rstrip("/")
    owned = session is None
    session = session or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_SECONDS))
    try:
        services = await _list_services(session, base_url, on_page)
        if details:
            services = await _all_details(session, base_url, services, on_detail)
    finally:
        if owned:
            await session.close()
    return services
