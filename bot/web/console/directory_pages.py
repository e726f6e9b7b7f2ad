"""Directory search and service details for staff: server-rendered HTML, no JavaScript needed.

Made to be used during a phone call: one GET per search, filters that stay as chosen, results
that link straight to details, and details that say what the chat would say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from aiohttp import web
from multidict import MultiMapping

from bot.directory import categories
from bot.directory.areas import all_councils, council
from bot.directory.models import PATHWAYS, STATUSES
from bot.directory.present import NO_CONTACT_DETAILS, details_text, services_found
from bot.directory.repository import DEFAULT_STATUSES, SearchPage, ServiceView
from bot.knowledge.loader import default_knowledge
from bot.knowledge.render import date_label
from bot.web.console.audit_page import service_history
from bot.web.console.auth import Staff, require_staff
from bot.web.console.html import Safe, attr_if, console_page, join, render
from bot.web.console.state import console_of

PAGE_SIZE = 20
MAX_QUERY_CHARS = 200
STATUS_LABELS = {"live": "Running", "pilot": "Pilot", "planned": "Planned", "ended": "Ended"}
STATUS_TAGS = {"live": "green", "pilot": "yellow", "planned": "grey", "ended": "red"}
SCOPE_LABELS = {"local": "One council", "county": "Several councils or county-wide", "national": "National"}


@dataclass(frozen=True)
class SearchFilters:
    text: str = ""
    need: str | None = None
    area: str | None = None
    pathway: int | None = None
    statuses: tuple[str, ...] = DEFAULT_STATUSES
    page: int = 1

    @classmethod
    def from_query(cls, query: MultiMapping[str]) -> SearchFilters:
        """Filters from the page's address; values not offered by the form are ignored, never an error."""
        need = query.get("need") or None
        area = query.get("area") or None
        pathway = query.get("pathway") or ""
        ticked = set(query.getall("status", []))
        statuses = tuple(s for s in STATUSES if s in ticked)
        page = query.get("page") or "1"
        return cls(
            text=(query.get("q") or "").strip()[:MAX_QUERY_CHARS],
            need=need if need in categories.codes() else None,
            area=area if area and council(area) else None,
            pathway=int(pathway) if pathway.isdigit() and int(pathway) in PATHWAYS else None,
            statuses=statuses or DEFAULT_STATUSES,
            page=int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1,
        )

    def query_string(self, page: int | None = None) -> str:
        pairs: list[tuple[str, str]] = [("q", self.text)] if self.text else []
        pairs += [("need", self.need)] if self.need else []
        pairs += [("area", self.area)] if self.area else []
        pairs += [("pathway", str(self.pathway))] if self.pathway is not None else []
        pairs += [("status", s) for s in self.statuses]
        pairs += [("page", str(page))] if page and page > 1 else []
        return urlencode(pairs)


def status_tag(status: str) -> Safe:
    return render(
        '<strong class="nhsuk-tag nhsuk-tag--$colour">$label</strong>',
        colour=STATUS_TAGS.get(status, "grey"),
        label=STATUS_LABELS.get(status, status),
    )


def council_names(codes: Sequence[str]) -> str:
    return ", ".join((council(c).name if council(c) else c) for c in codes)  # type: ignore[union-attr]


def need_names(codes: Sequence[str]) -> str:
    return ", ".join((categories.get(c).label if categories.get(c) else c) for c in codes)  # type: ignore[union-attr]


def pathway_names(pathways: Sequence[int]) -> str:
    return ", ".join(f"Pathway {p}" for p in pathways) or "Not linked to a pathway"


def areas_text(view: ServiceView) -> str:
    return "National (all areas)" if view.scope == "national" else council_names(view.councils)


# ----- the search form ----------------------------------------------------------------------


def _select(name: str, label: str, options: list[tuple[str, str]], chosen: str | None, any_label: str) -> Safe:
    items = [render('<option value="">$label</option>', label=any_label)] + [
        render('<option value="$value"$selected>$label</option>', value=v, label=text,
               selected=attr_if(v == chosen, "selected"))
        for v, text in options
    ]
    return render(
        '<div class="nhsuk-form-group"><label class="nhsuk-label" for="$name">$label</label>'
        '<select class="nhsuk-select" id="$name" name="$name">$items</select></div>',
        name=name,
        label=label,
        items=join(items, ""),
    )


def _status_checkboxes(chosen: Sequence[str]) -> Safe:
    items = [
        render(
            '<div class="nhsuk-checkboxes__item"><input class="nhsuk-checkboxes__input" id="status-$value" '
            'name="status" type="checkbox" value="$value"$checked>'
            '<label class="nhsuk-label nhsuk-checkboxes__label" for="status-$value">$label</label></div>',
            value=status,
            label=STATUS_LABELS[status],
            checked=attr_if(status in chosen, "checked"),
        )
        for status in STATUSES
    ]
    return render(
        '<div class="nhsuk-form-group"><fieldset class="nhsuk-fieldset" aria-describedby="status-hint">'
        '<legend class="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Status</legend>'
        '<div class="nhsuk-hint" id="status-hint">Ended services are left out unless you tick Ended.</div>'
        '<div class="nhsuk-checkboxes nhsuk-checkboxes--small">$items</div></fieldset></div>',
        items=join(items, ""),
    )


def search_form(filters: SearchFilters) -> Safe:
    needs = [(c.code, c.label) for c in sorted(categories.all_categories(), key=lambda c: c.label)]
    areas = [(c.code, c.name) for c in sorted(all_councils(), key=lambda c: c.name)]
    pathways = [(str(p), f"Pathway {p}") for p in PATHWAYS]
    return render(
        """<form class="hw-filters" action="/console/directory" method="get" role="search"
  aria-label="Directory">
  <div class="nhsuk-form-group">
    <label class="nhsuk-label" for="q">Search words</label>
    <div class="nhsuk-hint" id="q-hint">For example: walking frame, carers, reablement</div>
    <input class="nhsuk-input" id="q" name="q" type="search" value="$text" aria-describedby="q-hint"
      autocomplete="off" spellcheck="false">
  </div>
  <div class="nhsuk-grid-row">
    <div class="nhsuk-grid-column-one-third">$need</div>
    <div class="nhsuk-grid-column-one-third">$area</div>
    <div class="nhsuk-grid-column-one-third">$pathway</div>
  </div>
  $statuses
  <button class="nhsuk-button" type="submit">Search</button>
</form>""",
        text=filters.text,
        need=_select("need", "Need", needs, filters.need, "Any need"),
        area=_select("area", "Area (council)", areas, filters.area, "Any area"),
        pathway=_select(
            "pathway", "Discharge pathway", pathways,
            str(filters.pathway) if filters.pathway is not None else None, "Any pathway",
        ),
        statuses=_status_checkboxes(filters.statuses),
    )


# ----- results ------------------------------------------------------------------------------


def _result(view: ServiceView) -> Safe:
    return render(
        """<li class="hw-result">
  <h3 class="nhsuk-heading-s"><a class="nhsuk-link" href="/console/directory/services/$id">$name</a></h3>
  <p>$status $organization</p>
  $description
  <p class="hw-meta nhsuk-body-s">Areas: $areas. $pathways. Needs: $needs.</p>
</li>""",
        id=view.id,
        name=view.name,
        status=status_tag(view.status),
        organization=view.organization or "",
        description=render('<p class="nhsuk-body-s">$d</p>', d=view.description) if view.description else Safe(""),
        areas=areas_text(view),
        pathways=pathway_names(view.pathways),
        needs=need_names(view.categories) or "none listed",
    )


def _pagination(filters: SearchFilters, results: SearchPage) -> Safe:
    if results.pages <= 1:
        return Safe("")
    links = []
    if results.page > 1:
        links.append(render(
            '<li class="nhsuk-pagination-item--previous"><a class="nhsuk-pagination__link '
            'nhsuk-pagination__link--prev" href="/console/directory?$qs"><span class="nhsuk-pagination__title">'
            'Previous</span><span class="nhsuk-u-visually-hidden">:</span><span class="nhsuk-pagination__page">'
            "Page $n of $total</span></a></li>",
            qs=filters.query_string(results.page - 1), n=results.page - 1, total=results.pages,
        ))
    if results.page < results.pages:
        links.append(render(
            '<li class="nhsuk-pagination-item--next"><a class="nhsuk-pagination__link '
            'nhsuk-pagination__link--next" href="/console/directory?$qs"><span class="nhsuk-pagination__title">'
            'Next</span><span class="nhsuk-u-visually-hidden">:</span><span class="nhsuk-pagination__page">'
            "Page $n of $total</span></a></li>",
            qs=filters.query_string(results.page + 1), n=results.page + 1, total=results.pages,
        ))
    return render(
        '<nav class="nhsuk-pagination" role="navigation" aria-label="Pagination">'
        '<ul class="nhsuk-list nhsuk-pagination__list">$links</ul></nav>',
        links=join(links, ""),
    )


def results_html(filters: SearchFilters, results: SearchPage) -> Safe:
    if not results.total:
        return render(
            '<h2 id="results">No services found</h2><p>Try fewer words, another need, or include ended services.</p>'
            "<p>$note</p>",
            note="The directory only holds services named in our source documents and imports, so it is not "
            "complete. The council's adult social care team can say what else is available.",
        )
    first = (results.page - 1) * results.page_size + 1
    last = first + len(results.results) - 1
    return render(
        '<h2 id="results">$total found</h2><p class="nhsuk-body-s">Showing $first to $last.$narrow</p>'
        '<ul class="hw-results">$items</ul>$pagination',
        total=services_found(results),
        narrow=" There may be more: add words or choose a need to narrow the search."
        if results.more
        else "",
        first=first,
        last=last,
        items=join(_result(v) for v in results.results),
        pagination=_pagination(filters, results),
    )


async def search_page(request: web.Request) -> web.Response:
    staff = require_staff(request)
    filters = SearchFilters.from_query(request.query)
    results = console_of(request).directory.search(
        need=filters.need,
        council=filters.area,
        text=filters.text or None,
        pathway=filters.pathway,
        statuses=filters.statuses,
        page=filters.page,
        page_size=PAGE_SIZE,
    )
    admin_link = (
        Safe('<p><a class="nhsuk-link" href="/console/directory/new">Add a directory entry</a></p>')
        if staff.is_admin else Safe("")
    )
    body = render(
        "<h1>Find a service</h1>$admin$form$results",
        admin=admin_link,
        form=search_form(filters),
        results=results_html(filters, results),
    )
    searched = bool(request.query)
    title = f"{services_found(results)} found – Find a service" if searched else "Find a service"
    return console_page(request, staff, title=title, body=body)


# ----- details ------------------------------------------------------------------------------


def _row(key: str, value: Safe | str) -> Safe:
    return render(
        '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">$key</dt>'
        '<dd class="nhsuk-summary-list__value">$value</dd></div>',
        key=key,
        value=value,
    )


def _lines(values: Sequence[str]) -> Safe:
    return join((render("$v", v=v) for v in values), "<br>")


def _source_text(view: ServiceView) -> str:
    source = default_knowledge().sources.get(view.source_id or "")
    title = f"{source.title}, {source.publisher}, {date_label(source.date)}" if source else (view.source_id or "")
    return f"{title} ({view.source_where})" if view.source_where else title


def details_html(view: ServiceView, staff: Staff, history: Safe) -> Safe:
    contacts = [*view.phones, *([view.url] if view.url else [])]
    rows = [
        _row("Organisation", view.organization or "Not recorded"),
        _row("What it does", view.description or "Not recorded"),
        _row("Status", status_tag(view.status)),
        _row("Who it is for", view.eligibility or "Not recorded"),
        _row("How to get it", view.how_to_access or "Not recorded"),
        _row("When", _lines(view.hours) if view.hours else "Not recorded"),
        _row("Contact", _lines(contacts) if contacts else NO_CONTACT_DETAILS),
        *([_row("Contact note", view.contact_note)] if view.contact_note else []),
        _row("Areas", f"{areas_text(view)} ({SCOPE_LABELS.get(view.scope, view.scope)})"),
        _row("Discharge pathways", pathway_names(view.pathways)),
        _row("Needs", need_names(view.categories) or "None listed"),
        _row("Source", _source_text(view) or "Not recorded"),
        _row("Source date", date_label(view.as_of) if view.as_of else "Not recorded"),
        _row("Last checked", date_label(view.last_checked.isoformat()) if view.last_checked else "Not recorded"),
    ]
    actions = Safe("")
    if staff.is_admin:
        retire = (
            render('<a class="nhsuk-button nhsuk-button--warning" href="/console/directory/services/$id/retire">'
                   "Retire this entry</a>", id=view.id)
            if view.status != "ended" else Safe("")
        )
        actions = render(
            '<div class="nhsuk-button-group"><a class="nhsuk-button nhsuk-button--secondary" '
            'href="/console/directory/services/$id/edit">Edit this entry</a> $retire</div>',
            id=view.id,
            retire=retire,
        )
    chat_words = join((render("<p>$p</p>", p=p) for p in details_text(view, "staff").split("\n\n")), "")
    return render(
        """<a class="nhsuk-back-link" href="/console/directory">Back to search</a>
<h1>$name</h1>
<dl class="nhsuk-summary-list">$rows</dl>
$actions
<h2>What the chat says about it</h2>
<div class="nhsuk-inset-text"><span class="nhsuk-u-visually-hidden">The chat's words: </span>$chat</div>
$history""",
        name=view.name,
        rows=join(rows, ""),
        actions=actions,
        chat=chat_words,
        history=history,
    )


async def details_page(request: web.Request) -> web.Response:
    staff = require_staff(request)
    console = console_of(request)
    view = console.directory.get(request.match_info["service_id"])
    if view is None:
        body = Safe('<h1>Service not found</h1><p>There is no directory entry at this address. '
                    '<a class="nhsuk-link" href="/console/directory">Search the directory</a>.</p>')
        return console_page(request, staff, title="Service not found", body=body, status=404)
    history = service_history(request, view.id)
    banner = saved_banner(request.query.get("saved", ""))
    return console_page(request, staff, title=view.name, body=banner + details_html(view, staff, history))


SAVED_MESSAGES = {
    "added": "Entry added.",
    "edited": "Changes saved.",
    "retired": "Entry retired: its status is now Ended.",
    "unchanged": "Nothing was changed.",
}


def saved_banner(saved: str) -> Safe:
    if saved not in SAVED_MESSAGES:
        return Safe("")
    return render(
        '<div class="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" '
        'aria-labelledby="saved-title"><div class="nhsuk-notification-banner__header">'
        '<h2 class="nhsuk-notification-banner__title" id="saved-title">Success</h2></div>'
        '<div class="nhsuk-notification-banner__content"><p class="nhsuk-notification-banner__heading">$message</p>'
        "</div></div>",
        message=SAVED_MESSAGES[saved],
    )


def add_directory_routes(app: web.Application) -> None:
    app.router.add_get("/console/directory", search_page)
    app.router.add_get("/console/directory/services/{service_id}", details_page)

