"""The service directory behind a database URL: search, details, statistics and storing.

One object per process (like the financial-demo ``ProfileDB``); it owns its engine.
Writes happen in one transaction per call, so a failed import changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from functools import cache
from typing import Any

from sqlalchemy import (
    Text,
    bindparam,
    cast,
    column,
    delete,
    func,
    literal,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from bot.directory import categories
from bot.directory.db import make_engine
from bot.directory.models import (
    ORUK_STATUS_FOR,
    STATUSES,
    Attribute,
    Contact,
    ExcludedEntry,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceCouncil,
    ServiceFacet,
    ServicePathway,
    TaxonomyTerm,
    name_key,
)
from bot.directory.public_ids import derived_id, is_uuid, public_id
from bot.directory.records import SERVICE_CHILD_KEYS, Batch, ServiceRecord

DEFAULT_STATUSES = ("live", "pilot", "planned")  # "ended" only when asked for
MAX_PAGE_SIZE = 100
WRITE_CHUNK = 500
OWN_COLUMN_FIELDS = ("status", "assured_date", "organization_id")
WORD_SEARCH_LIMIT = 200  # a word search reads at most this many services per tier; beyond, "or more"
TIERS = (0, 1, 2)  # local, county-wide or several councils, national
STOP_WORDS = frozenset("a an and are at be by can for from help i in is it me my of on or the to we with".split())

_service = Service.__table__
_fts = table("service_fts", column("rowid"), column("rank"))
ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class ServiceView:
    """A service as the assistant shows it."""

    id: str
    name: str
    organization: str | None
    description: str | None
    status: str
    scope: str
    councils: tuple[str, ...]
    categories: tuple[str, ...]
    pathways: tuple[int, ...]
    how_to_access: str | None
    eligibility: str | None
    hours: tuple[str, ...]
    phones: tuple[str, ...]
    contact_note: str | None
    url: str | None
    source_id: str | None
    source_where: str | None
    as_of: str | None
    last_checked: date | None


@dataclass(frozen=True)
class SearchPage:
    results: tuple[ServiceView, ...]
    total: int
    page: int
    page_size: int
    more: bool = False  # a word search stopped counting: ``total`` is a lower bound

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass
class DirectoryStats:
    services: int = 0
    organizations: int = 0
    excluded: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_council: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    national: int = 0
    oldest_check: date | None = None
    newest_check: date | None = None


# Service columns a ServiceView shows under the same name, and all the columns it reads.
VIEW_FIELDS = (
    "id", "name", "description", "status", "scope", "contact_note", "url", "source_id", "source_where", "as_of",
    "last_checked",
)
VIEW_COLUMNS = (*VIEW_FIELDS, "application_process", "eligibility_description")


def _list_order(row: Any) -> tuple[str, str, int]:
    return (row[0], row[1], row[3] if row[3] is not None else 0)


def search_terms(text: str) -> list[str]:
    """The words of a free-text query that are worth matching."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return [w for w in words if w not in STOP_WORDS]


def _chunks(items: Sequence[Any], size: int = WRITE_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row(model: type, data: dict[str, Any], skip: tuple[str, ...] = (), **columns: Any) -> dict[str, Any]:
    """A full row for ``model``'s table: fields from an HSDS object (except ``skip``), then explicit columns."""
    instance = model()
    instance.set_from_json(data, skip=skip)
    row = {c.name: getattr(instance, c.name, None) for c in model.__table__.columns}
    row.update(columns)
    return row


def _with_id(item: dict[str, Any], default: str) -> dict[str, Any]:
    """HSDS requires ids on every object; a source without one gets a stable made-up one."""
    return item if item.get("id") else {**item, "id": default}


def _upsert(connection: Connection, model: type, rows: Iterable[dict[str, Any]]) -> None:
    """Inserts new rows and updates existing ones, by primary key ``id``."""
    by_id = {row["id"]: row for row in rows}
    if not by_id:
        return
    target = model.__table__
    existing: set[str] = set()
    for chunk in _chunks(list(by_id)):
        existing.update(connection.execute(select(target.c.id).where(target.c.id.in_(chunk))).scalars())
    inserts = [row for key, row in by_id.items() if key not in existing]
    updates = [{**row, "_id": key} for key, row in by_id.items() if key in existing]
    if inserts:
        connection.execute(target.insert(), inserts)
    if updates:
        values = {c.name: bindparam(c.name) for c in target.columns if c.name != "id"}
        connection.execute(target.update().where(target.c.id == bindparam("_id")).values(values), updates)


def _assign_public_ids(connection: Connection, model: type, kind: str, rows: list[dict[str, Any]]) -> None:
    """Sets each row's ``uuid``: its public id, unless another record already has that UUID
    (two publishers used the same one), in which case one derived from our own id."""
    target = model.__table__
    wanted = {row["id"]: public_id(kind, row["id"]) for row in rows}
    taken: dict[str, str] = {}
    for chunk in _chunks(sorted(set(wanted.values()))):
        taken.update(connection.execute(select(target.c.uuid, target.c.id).where(target.c.uuid.in_(chunk))).all())
    for row in rows:
        uuid = wanted[row["id"]]
        if taken.get(uuid, row["id"]) != row["id"]:
            uuid = derived_id(kind, row["id"])
        taken[uuid] = row["id"]
        row["uuid"] = uuid


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _tier(record: ServiceRecord) -> int:
    tier = {"local": 0, "county": 1}.get(record.scope, 2)
    return 1 if tier == 0 and len(record.councils) > 1 else tier


def pathway_bits(pathways: Iterable[int]) -> int:
    """Pathways as one number (bit n for pathway n), so a facet row can answer "serves pathway 2?"."""
    return sum(1 << p for p in set(pathways))


def _facets(record: ServiceRecord) -> list[dict[str, Any]]:
    """The search index rows of a service (see ``ServiceFacet``)."""
    councils = ("", *(dict.fromkeys(record.councils) or ("*",)))
    needs = ("", *dict.fromkeys(record.categories))
    shared = {"service_id": record.id, "status": record.status, "tier": _tier(record), "sort_name": record.name,
              "pathways": pathway_bits(record.pathways)}
    return [{**shared, "council": council, "need": need} for council in councils for need in needs]


# Filters as words of the text index (migration 0005): "qx" starts no English word, and codes
# lose their underscores so that both databases keep each one as a single word.
FILTER_PREFIX = "qx"


def _filter_word(kind: str, code: str | int) -> str:
    return f"{FILTER_PREFIX}{kind}{str(code).replace('_', '')}"


def council_word(council: str, tier: int) -> str:
    """A council and the tier a service has there ("qxcbcpt0"; "qxcnationalt2" for a national
    service): a search for one tier reads one short list in the index, not two long ones."""
    return _filter_word("c", f"{'national' if council == '*' else council}t{tier}")


def search_filter_words(record: ServiceRecord) -> str:
    """The filter words stored with a service (``service.search_facets``)."""
    tier = _tier(record)
    words = [council_word(c, tier) for c in dict.fromkeys(record.councils) or ("*",)]
    words += [_filter_word("n", code) for code in dict.fromkeys(record.categories)]
    words.append(_filter_word("s", record.status))
    words += [_filter_word("p", p) for p in dict.fromkeys(record.pathways)]
    return " ".join(words)


@dataclass(frozen=True)
class SearchRequest:
    """One directory search: its filters and which page. Out-of-range pages are clamped (the
    first page, 1 to MAX_PAGE_SIZE results), so every caller pages the same way."""

    need: str | None = None
    council: str | None = None
    text: str | None = None
    pathway: int | None = None
    statuses: Sequence[str] = DEFAULT_STATUSES
    page: int = 1
    page_size: int = 10

    def __post_init__(self) -> None:
        object.__setattr__(self, "page", max(1, self.page))
        object.__setattr__(self, "page_size", min(max(1, self.page_size), MAX_PAGE_SIZE))

    @property
    def limit(self) -> int:
        return self.page_size

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass(frozen=True)
class SearchFilters:
    """A word search's filters as filter words: a service must have one word of each group
    in ``required`` and none of ``excluded``."""

    required: tuple[tuple[str, ...], ...]
    excluded: tuple[str, ...] = ()

    @classmethod
    def of(cls, need: str | None, pathway: int | None, statuses: Sequence[str]) -> SearchFilters:
        required: list[tuple[str, ...]] = []
        excluded: tuple[str, ...] = ()
        missing = [s for s in STATUSES if s not in statuses]
        if set(statuses) - set(STATUSES) or len(missing) > len(STATUSES) // 2:
            required.append(tuple(_filter_word("s", status) for status in statuses))
        else:  # "not ended" reads one short list; "live or pilot or planned" reads nearly all
            excluded = tuple(_filter_word("s", status) for status in missing)
        if need:
            required.append((_filter_word("n", need),))
        if pathway is not None:
            required.append((_filter_word("p", pathway),))
        return cls(tuple(required), excluded)

    def with_group(self, words: tuple[str, ...]) -> SearchFilters:
        return SearchFilters((*self.required, words), self.excluded)


def _search_document(record: ServiceRecord, organization_name: str | None) -> str:
    hsds = record.hsds
    parts = [hsds.get(key) for key in ("name", "alternate_name", "description", "eligibility_description")]
    parts.append(hsds.get("application_process"))
    parts.append(organization_name)
    for code in record.categories:
        category = categories.get(code)
        if category:
            parts.extend((category.label, *category.synonyms))
    return " ".join(str(part) for part in parts if part)


# Read queries are built once, with bind parameters: building and caching a statement on every
# search costs about as much as running it.
@cache
def _facet_queries(ranked: bool, with_pathway: bool) -> tuple[Any, Any]:
    """(page of ids with the total, count alone) for a search without words."""
    facet = ServiceFacet.__table__
    conditions = [
        facet.c.council.in_(bindparam("councils", expanding=True)),
        facet.c.need == bindparam("need"),
        facet.c.status.in_(bindparam("statuses", expanding=True)),
        func.lower(facet.c.sort_name).notin_(select(ExcludedEntry.name_key)),
    ]
    if with_pathway:
        conditions.append(facet.c.pathways.op("&")(bindparam("pathway_bit")) != 0)
    order = [facet.c.tier] if ranked else []
    # One query gives the page and (through a window) the total number of matches.
    page = (
        select(facet.c.service_id, func.count().over().label("total"))
        .where(*conditions)
        .order_by(*order, facet.c.sort_name, facet.c.service_id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    count = select(func.count()).select_from(select(facet.c.service_id).where(*conditions).subquery())
    return page, count


@cache
def _view_queries() -> tuple[Any, Any]:
    """(the services' own columns with their organisation's name, and their councils,
    pathways, hours, phones and need categories as (kind, service id, value, position) rows
    in one UNION ALL) for the ids in bind parameter ``ids``."""
    ids = bindparam("ids", expanding=True)
    organization = Organization.__table__
    services = (
        select(*(_service.c[name] for name in VIEW_COLUMNS), organization.c.name.label("organization"))
        .outerjoin(organization, organization.c.id == _service.c.organization_id)
        .where(_service.c.id.in_(ids))
    )

    def part(kind: str, key: Any, value: Any, position: Any = None) -> Any:
        return select(
            literal(kind).label("kind"),
            key.label("service_id"),
            cast(value, Text).label("value"),
            (position if position is not None else literal(0)).label("position"),
        ).where(key.in_(ids))

    lists = union_all(
        part("council", ServiceCouncil.service_id, ServiceCouncil.council),
        part("pathway", ServicePathway.service_id, ServicePathway.pathway),
        part("hours", Schedule.service_id, Schedule.description, Schedule.position),
        part("phone", Phone.service_id, Phone.number, Phone.position),
        part("need", Attribute.link_id, TaxonomyTerm.code, Attribute.position)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .where(TaxonomyTerm.taxonomy == categories.VOCABULARY),
    )
    return services, lists


def _fts_match(terms: list[str], filters: SearchFilters) -> str:
    """An FTS5 query: every word in the document column, the filter words in the facets column."""
    match = " AND ".join(
        [
            "document: (" + " AND ".join(f'"{t}"' for t in terms) + ")",
            *("facets: (" + " OR ".join(f'"{w}"' for w in group) + ")" for group in filters.required),
        ]
    )
    if filters.excluded:
        match = f"({match}) NOT facets: (" + " OR ".join(f'"{w}"' for w in filters.excluded) + ")"
    return match


def _tsquery_filters(filters: SearchFilters) -> str:
    """The filter words as a PostgreSQL tsquery ('simple' configuration)."""
    return " & ".join(
        [*("(" + " | ".join(group) + ")" for group in filters.required), *(f"!{w}" for w in filters.excluded)]
    )


@cache
def _word_query(dialect: str, with_filters: bool) -> Any:
    """Up to ``limit`` services matching the words and filters (bind parameters ``match`` on
    SQLite; ``words`` and ``facets`` on PostgreSQL), by name, each with how many were found."""
    columns = (_service.c.id, _service.c.name)
    if dialect == "sqlite":
        hits = (
            select(*columns)
            .select_from(_fts.join(_service, literal_column("service.rowid") == _fts.c.rowid))
            .where(literal_column("service_fts").op("MATCH")(bindparam("match")))
        )
    else:
        vector = literal_column("service.search_vector")
        # Words that are all stop words make an empty query, which matches nothing.
        conditions = [vector.op("@@")(func.to_tsquery("english", bindparam("words")))]
        if with_filters:
            conditions.append(vector.op("@@")(func.to_tsquery("simple", bindparam("facets"))))
        hits = select(*columns).where(*conditions)
    limited = hits.limit(bindparam("limit")).subquery("hits")
    return (
        select(limited.c.id, func.count().over().label("found"))
        .where(func.lower(limited.c.name).notin_(select(ExcludedEntry.name_key)))
        .order_by(limited.c.name, limited.c.id)
    )


class DirectoryRepository:
    def __init__(self, url: str | None = None, engine: Engine | None = None) -> None:
        self.engine = engine or make_engine(url)
        self.dialect = self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> DirectoryRepository:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def session(self) -> Iterator[Session]:
        with Session(self.engine, future=True) as session:
            yield session

    # ----- reading -------------------------------------------------------------------------

    def search(
        self,
        need: str | None = None,
        council: str | None = None,
        text: str | None = None,
        pathway: int | None = None,
        statuses: Sequence[str] = DEFAULT_STATUSES,
        page: int = 1,
        page_size: int = 10,
    ) -> SearchPage:
        """Services matching every filter given, ranked for ``council``.

        With a council: that council's own services first, then county-wide or multi-council
        services that include it, then national ones; by name within each. Ended services only
        if asked for, and entries on the excluded list (boards, strategies) never. Words match
        whole words (with their endings: "frames" finds "frame"). A word search may stop
        counting once the page is full (``more``: ``total`` is then a lower bound).
        """
        request = SearchRequest(need, council, text, pathway, statuses, page, page_size)
        with self.engine.connect() as connection:  # one connection for the whole search
            ids, total, more = self._search_ids(connection, request)
            views = self._views(connection, ids)
        return SearchPage(results=tuple(views), total=total, page=request.page, page_size=request.page_size, more=more)

    def search_ids(self, request: SearchRequest) -> tuple[list[str], int, bool]:
        """As ``search``, but only (the page's ids, the total, whether the total is a lower bound),
        for callers that read the services themselves (the public API)."""
        with self.engine.connect() as connection:
            return self._search_ids(connection, request)

    def _search_ids(self, connection: Connection, request: SearchRequest) -> tuple[list[str], int, bool]:
        terms = search_terms(request.text or "")
        if terms:
            return self._word_search(connection, terms, request)
        ids, total = self._facet_search(connection, request)
        return ids, total, False

    def _facet_search(self, connection: Connection, request: SearchRequest) -> tuple[list[str], int]:
        """A search without words: one narrow range of the facet index, counted exactly."""
        council, pathway = request.council, request.pathway
        page_query, count_query = _facet_queries(council is not None, pathway is not None)
        values = {
            "councils": [council, "*"] if council else [""],
            "need": request.need or "",
            "statuses": list(request.statuses),
            "pathway_bit": pathway_bits([pathway] if pathway is not None else []),
        }
        rows = connection.execute(page_query, {**values, "limit": request.limit, "offset": request.offset}).all()
        if rows:
            return [row.service_id for row in rows], rows[0].total
        # Past the last page (or no matches): count on its own.
        return [], connection.execute(count_query, values).scalar_one()

    def _word_search(
        self, connection: Connection, terms: list[str], request: SearchRequest
    ) -> tuple[list[str], int, bool]:
        """(the page's ids, how many match, whether that count is only a lower bound).

        The text index applies the words and the filters together. For a council, its tiers
        (its own services, then county-wide, then national) are read one at a time, each up to
        WORD_SEARCH_LIMIT services, and only as far as the page needs: the council's own
        services come first and a broad search costs one read of the index, not three.
        """
        filters = SearchFilters.of(request.need, request.pathway, request.statuses)
        council, page = request.council, slice(request.offset, request.offset + request.limit)
        # No statuses asked for, or a typed word that is really a filter word: nothing matches
        # (SQLite keeps the two apart by column; PostgreSQL has one vector, so check here).
        if not all(filters.required) or any(term.startswith(FILTER_PREFIX) for term in terms):
            return [], 0, False
        if not council:
            ids, more = self._word_candidates(connection, terms, filters)
            return ids[page], len(ids), more
        ids, more = [], False
        for tier in TIERS:
            if len(ids) > page.stop:  # the page is full and there is a next one
                return ids[page], len(ids), True
            tier_filters = filters.with_group((council_word(council, tier), council_word("*", tier)))
            tier_ids, tier_more = self._word_candidates(connection, terms, tier_filters)
            ids += tier_ids
            more = more or tier_more
        return ids[page], len(ids), more

    def _word_candidates(
        self, connection: Connection, terms: list[str], filters: SearchFilters
    ) -> tuple[list[str], bool]:
        """Up to WORD_SEARCH_LIMIT matching ids by name, and whether the index had more."""
        if self.dialect == "sqlite":
            query, values = _word_query("sqlite", True), {"match": _fts_match(terms, filters)}
        else:
            facets = _tsquery_filters(filters)
            query, values = _word_query(self.dialect, bool(facets)), {"words": " & ".join(terms), "facets": facets}
        rows = connection.execute(query, {**values, "limit": WORD_SEARCH_LIMIT + 1}).all()
        more = bool(rows) and rows[0].found > WORD_SEARCH_LIMIT
        return [row.id for row in rows[:WORD_SEARCH_LIMIT]], more

    def get(self, service_id: str) -> ServiceView | None:
        with self.engine.connect() as connection:
            views = self._views(connection, [service_id])
        return views[0] if views else None

    def _views(self, connection: Connection, ids: list[str]) -> list[ServiceView]:
        """The services with these ids, in that order, in two queries (a search page is read
        on every message, so round trips matter more than anything else here)."""
        if not ids:
            return []
        services_query, lists_query = _view_queries()
        services = {row["id"]: row for row in connection.execute(services_query, {"ids": ids}).mappings()}
        lists: dict[tuple[str, str], list[Any]] = {}
        for kind, service_id, value, _position in sorted(
            connection.execute(lists_query, {"ids": ids}), key=_list_order
        ):
            lists.setdefault((kind, service_id), []).append(value)

        def listed(kind: str, service_id: str) -> tuple[Any, ...]:
            return tuple(value for value in lists.get((kind, service_id), ()) if value)

        return [
            ServiceView(
                **{name: row[name] for name in VIEW_FIELDS},
                organization=row["organization"],
                how_to_access=row["application_process"],
                eligibility=row["eligibility_description"],
                councils=tuple(sorted(listed("council", service_id))),
                categories=listed("need", service_id),
                pathways=tuple(sorted(int(p) for p in listed("pathway", service_id))),
                hours=listed("hours", service_id),
                phones=listed("phone", service_id),
            )
            for service_id in ids
            if (row := services.get(service_id)) is not None
        ]

    def stats(self) -> DirectoryStats:
        stats = DirectoryStats()
        with self.session() as session:
            stats.services = session.execute(select(func.count()).select_from(Service)).scalar_one()
            stats.organizations = session.execute(select(func.count()).select_from(Organization)).scalar_one()
            stats.excluded = session.execute(select(func.count()).select_from(ExcludedEntry)).scalar_one()
            stats.by_status = dict(session.execute(select(Service.status, func.count()).group_by(Service.status)).all())
            stats.by_council = dict(
                session.execute(select(ServiceCouncil.council, func.count()).group_by(ServiceCouncil.council)).all()
            )
            stats.national = session.execute(
                select(func.count()).select_from(Service).where(Service.scope == "national")
            ).scalar_one()
            stats.by_category = dict(
                session.execute(
                    select(TaxonomyTerm.code, func.count())
                    .join(Attribute, Attribute.taxonomy_term_id == TaxonomyTerm.id)
                    .where(TaxonomyTerm.taxonomy == categories.VOCABULARY)
                    .group_by(TaxonomyTerm.code)
                ).all()
            )
            stats.oldest_check, stats.newest_check = session.execute(
                select(func.min(Service.last_checked), func.max(Service.last_checked))
            ).one()
        return stats

    def organization_ids(self) -> set[str]:
        with self.session() as session:
            return set(session.execute(select(Organization.id)).scalars())

    def use_stored_ids(self, batch: Batch) -> None:
        """Gives services and organisations Homeward published (so known by their public UUIDs)
        the internal ids they are stored under, so importing an export replaces, not duplicates."""
        services = self._stored_ids(Service, [r.id for r in batch.services])
        organizations = self._stored_ids(
            Organization, [o.id for o in batch.organizations] + [r.organization_id or "" for r in batch.services]
        )
        for record in batch.services:
            record.hsds["id"] = services.get(record.id, record.id)
            if record.organization_id:
                record.organization_id = organizations.get(record.organization_id, record.organization_id)
        for organization in batch.organizations:
            organization.hsds["id"] = organizations.get(organization.id, organization.id)

    def _stored_ids(self, model: type, public_ids: list[str]) -> dict[str, str]:
        """Public UUID -> internal id, for those of ``public_ids`` that are stored."""
        wanted = sorted({i for i in public_ids if is_uuid(i)})
        known: dict[str, str] = {}
        with self.session() as session:
            for chunk in _chunks(wanted):
                known.update(session.execute(select(model.uuid, model.id).where(model.uuid.in_(chunk))).all())
        return known

    def excluded_names(self) -> list[str]:
        with self.session() as session:
            return list(session.execute(select(ExcludedEntry.name)).scalars())

    # ----- writing -------------------------------------------------------------------------

    def store(self, batch: Batch, progress: ProgressCallback | None = None) -> int:
        """Upserts a validated batch in one transaction; returns the number of services stored.

        Services are replaced whole (by id), so importing the same data twice changes nothing.
        """
        stored = 0
        with self.engine.begin() as connection:
            self._store_categories(connection)
            organizations = [_row(Organization, o.hsds) for o in batch.organizations]
            _assign_public_ids(connection, Organization, "organization", organizations)
            _upsert(connection, Organization, organizations)
            if batch.excluded is not None:
                connection.execute(delete(ExcludedEntry))
                rows = {name_key(e["name"]): {"name": e["name"], "reason": e.get("reason")} for e in batch.excluded}
                if rows:
                    connection.execute(
                        ExcludedEntry.__table__.insert(), [{"name_key": k, **v} for k, v in rows.items()]
                    )
            organization_names = self._organization_names(connection)  # once, not per chunk
            for chunk in _chunks(batch.services):
                self._store_services(connection, chunk, organization_names)
                stored += len(chunk)
                if progress:
                    progress(stored)
        self._refresh_statistics()
        return stored

    def _refresh_statistics(self) -> None:
        """Tells the query planner how big the tables are now: without it, PostgreSQL plans a
        freshly loaded directory as if it were empty and a search can take seconds."""
        tables = (
            "service", "service_facet", "service_council", "service_pathway", "attribute", "taxonomy_term",
            "schedule", "phone", "organization", "excluded_entry",
        )
        if self.dialect == "postgresql":
            # VACUUM also marks pages all-visible, which lets searches read the facet index alone.
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(tables)}")
        elif self.dialect == "sqlite":
            with self.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")

    def store_services(self, connection: Connection, records: Sequence[ServiceRecord]) -> None:
        """Upserts validated services (each replaced whole, by id) inside the caller's transaction.

        For callers that write something else in the same transaction (e.g. an audit row), so both
        or neither are kept. Makes sure the need category terms exist and looks up the services'
        organisation names itself; the organisations must already be stored. Does not refresh the
        planner statistics (``store`` does that after a bulk import).
        """
        self._store_categories(connection)
        self._store_services(connection, records, self._organization_names(connection))

    @staticmethod
    def _organization_names(connection: Connection) -> dict[str, str]:
        """Organisation id -> name, for the services' search documents."""
        return dict(connection.execute(select(Organization.id, Organization.name)).all())

    @staticmethod
    def _store_categories(connection: Connection) -> None:
        rows = [
            _row(
                TaxonomyTerm,
                {"id": c.term_id, "code": c.code, "name": c.label, "taxonomy": categories.VOCABULARY},
            )
            for c in categories.all_categories()
        ]
        _upsert(connection, TaxonomyTerm, rows)

    @staticmethod
    def _store_services(
        connection: Connection, records: Sequence[ServiceRecord], organization_names: dict[str, str]
    ) -> None:
        ids = [r.id for r in records]
        for model, key in (
            (Phone, Phone.service_id),
            (Contact, Contact.service_id),
            (Schedule, Schedule.service_id),
            (ServiceArea, ServiceArea.service_id),
            (ServiceAtLocation, ServiceAtLocation.service_id),
            (Attribute, Attribute.link_id),
            (ServiceCouncil, ServiceCouncil.service_id),
            (ServicePathway, ServicePathway.service_id),
            (ServiceFacet, ServiceFacet.service_id),
        ):
            connection.execute(delete(model).where(key.in_(ids)))
        services, locations, terms = [], [], []
        stored_at = _now()
        bare_terms: set[str] = set()
        children: dict[type, list[dict[str, Any]]] = {m: [] for m in (Phone, Contact, Schedule, ServiceArea)}
        at_locations, attributes, councils, pathways, facets = [], [], [], [], []
        for record in records:
            sid = record.id
            services.append(
                _row(
                    Service,
                    record.hsds,
                    skip=(*SERVICE_CHILD_KEYS, "organization"),
                    organization_id=record.organization_id,
                    oruk_status=record.hsds.get("status") or ORUK_STATUS_FOR.get(record.status),
                    status=record.status,
                    scope=record.scope,
                    contact_note=record.contact_note,
                    source_id=record.source_id,
                    source_where=record.source_where,
                    as_of=record.as_of,
                    last_checked=record.last_checked,
                    search_document=_search_document(record, organization_names.get(record.organization_id or "")),
                    search_facets=search_filter_words(record),
                    last_modified=record.hsds.get("last_modified") or stored_at,
                )
            )
            # These HSDS fields are columns of their own, not extras.
            services[-1]["extra"] = {
                k: v for k, v in (services[-1]["extra"] or {}).items() if k not in OWN_COLUMN_FIELDS
            } or None
            for model, key in (
                (Phone, "phones"),
                (Contact, "contacts"),
                (Schedule, "schedules"),
                (ServiceArea, "service_areas"),
            ):
                children[model].extend(
                    _row(model, _with_id(item, f"{sid}:{key}:{i}"), service_id=sid, position=i)
                    for i, item in enumerate(record.hsds.get(key) or [])
                )
            for i, item in enumerate(record.hsds.get("service_at_locations") or []):
                item = _with_id(item, f"{sid}:service_at_locations:{i}")
                location = item.get("location")
                if location:
                    locations.append(_row(Location, location))
                at_locations.append(
                    _row(
                        ServiceAtLocation,
                        item,
                        skip=("location",),
                        service_id=sid,
                        location_id=(location or {}).get("id") or item.get("location_id"),
                    )
                )
            position = 0
            for code in record.categories:
                attributes.append(
                    _row(
                        Attribute,
                        {"id": f"{sid}:{categories.term_id(code)}", "link_type": "need", "link_entity": "service"},
                        link_id=sid,
                        taxonomy_term_id=categories.term_id(code),
                        position=position,
                    )
                )
                position += 1
            for i, item in enumerate(record.hsds.get("attributes") or []):
                term = item.get("taxonomy_term") or {}
                term_id = term.get("id") or item.get("taxonomy_term_id")
                if len(term) > 1:
                    terms.append(_row(TaxonomyTerm, term))
                else:  # only an id: the term is defined elsewhere (or by an earlier import)
                    bare_terms.add(term_id)
                attributes.append(
                    _row(
                        Attribute,
                        _with_id(
                            {k: v for k, v in item.items() if k not in ("taxonomy_term", "taxonomy_term_id")},
                            f"{sid}:attributes:{i}",
                        ),
                        link_id=sid,
                        link_entity=item.get("link_entity") or "service",
                        taxonomy_term_id=term_id,
                        position=position,
                    )
                )
                position += 1
            councils.extend({"service_id": sid, "council": c} for c in dict.fromkeys(record.councils))
            pathways.extend({"service_id": sid, "pathway": p} for p in dict.fromkeys(record.pathways))
            facets.extend(_facets(record))
        _assign_public_ids(connection, Service, "service", services)
        _assign_public_ids(connection, ServiceAtLocation, "service_at_location", at_locations)
        _upsert(connection, Service, services)
        _upsert(connection, Location, locations)
        _upsert(connection, TaxonomyTerm, terms)
        known_terms = {row["id"] for row in terms}
        for chunk in _chunks(sorted(bare_terms - known_terms)):
            known_terms.update(
                connection.execute(select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(chunk))).scalars()
            )
        missing_terms = bare_terms - known_terms
        if missing_terms:
            connection.execute(TaxonomyTerm.__table__.insert(), [_row(TaxonomyTerm, {"id": t}) for t in missing_terms])
        for model, rows in (
            *children.items(),
            (ServiceAtLocation, at_locations),
            (Attribute, attributes),
            (ServiceCouncil, councils),
            (ServicePathway, pathways),
            (ServiceFacet, facets),
        ):
            if rows:
                connection.execute(model.__table__.insert(), rows)
