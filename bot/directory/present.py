"""How directory results read in a chat: result lists, service details, and 'nothing found'.

The words live here (not in the actions) so the chat and the staff console say the same thing.
Contact details are shown only when the directory holds them; otherwise we say so plainly and
say where to get them. Nothing here invents a number or address.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.directory import categories
from bot.directory.areas import council
from bot.directory.repository import SearchPage, ServiceView
from bot.knowledge.loader import default_knowledge
from bot.knowledge.render import date_label

STATUS_NOTES = {
    "pilot": "This was a pilot when the document was written.",
    "planned": "This was planned, not yet running, when the document was written.",
    "ended": "This service has ended.",
}
NO_CONTACT_DETAILS = (
    "We don't hold contact details for this service. The hospital ward team, or the council's adult "
    "social care team, can tell you how to reach it. You can also search the council's website."
)


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[dict[str, str], ...] = ()


def services_found(page: SearchPage) -> str:
    """'1 service', '12 services', or '200 or more services' when a word search stopped counting."""
    if page.more:
        return f"{page.total} or more services"
    return f"{page.total} service{'s' if page.total != 1 else ''}"


def need_label(code: str | None, pathway: int | None = None) -> str:
    if code == categories.ANY_NEED and pathway is not None:
        return f"Services linked to Pathway {pathway}"
    category = categories.get(code) if code else None
    return category.label if category else "Local services"


def area_label(area: str | None) -> str:
    place = council(area) if area else None
    return place.name if place else "England (national services)"


def _source(view: ServiceView, audience: str) -> str:
    source = default_knowledge().sources.get(view.source_id or "")
    if source is None:
        return ""
    label = f"{source.title}, {source.publisher}, {date_label(source.date)}"
    if audience == "staff" and view.source_where:
        label += f" ({view.source_where})"
    checked = f" Last checked {date_label(view.last_checked.isoformat())}." if view.last_checked else ""
    return f"Source: {label}.{checked}"


WHICH_SERVICE = "Which service do you mean? Pick one from a list of results, or search again."
NO_SERVICE_CONTACT = (
    "I don't hold contact details for most local services: the reports they come from rarely give them. "
    "The hospital ward team, or the council's adult social care team, can tell you how to reach local "
    "services. The council's website lists how to contact its adult social care team."
)
NO_SEARCH_YET = "There's no list to show more of yet. What kind of help are you looking for? Pick one, or type it."


def results_reply(
    page: SearchPage,
    need: str | None,
    area: str | None,
    details_payload: Callable[[str], str],
    more_payload: str,
    wrapped: bool = False,
    pathway: int | None = None,
) -> Reply:
    """Up to a page of services as buttons (``details_payload(id)``), and 'show more' when there are more.

    ``wrapped``: the user asked for more after the last page, so this is the first page again.
    """
    first = (page.page - 1) * page.page_size + 1
    last = first + len(page.results) - 1
    if wrapped:
        text = (
            f"That's all: I found {services_found(page)} ({need_label(need, pathway).lower()}, {area_label(area)}). "
            f"Here is the list again from the start. Pick one to see what it does and how to get it."
        )
    else:
        text = (
            f"{need_label(need, pathway)} for {area_label(area)}: {page.total} found. "
            f"Showing {first} to {last}. Pick one to see what it does and how to get it."
        )
    buttons = [{"title": view.name, "payload": details_payload(view.id)} for view in page.results]
    if page.page < page.pages:
        buttons.append({"title": "Show more", "payload": more_payload})
    return Reply(text=text, buttons=tuple(buttons))


def pathway_services_reply(
    page: SearchPage, area: str, pathway: int, details_payload: Callable[[str], str]
) -> Reply:
    """Local services the source documents link to one discharge pathway."""
    text = (
        f"Services in the {area_label(area)} area that our sources link to Pathway {pathway} "
        f"({page.total} in all). Pick one for details."
    )
    buttons = [{"title": view.name, "payload": details_payload(view.id)} for view in page.results]
    return Reply(text=text, buttons=tuple(buttons))


def nothing_found_reply(
    need: str | None, area: str | None, national: SearchPage | None, pathway: int | None = None
) -> Reply:
    """No match: say so, widen to national services, and say who to ask."""
    lines = [f"I couldn't find {need_label(need, pathway).lower()} for {area_label(area)} in our directory."]
    if national and national.results:
        names = ", ".join(view.name for view in national.results)
        lines.append(f"These national services may help: {names}.")
    lines.append(
        "Our directory only holds services named in the council and NHS reports we use, so it is not "
        "complete. The hospital ward team, the council's adult social care team, or your GP practice "
        "can tell you what is available near you."
    )
    return Reply(text=" ".join(lines))


def _contact_lines(view: ServiceView) -> list[str]:
    contacts = [*view.phones, *([view.url] if view.url else [])]
    lines = ["Contact: " + "; ".join(contacts) if contacts else NO_CONTACT_DETAILS]
    if view.contact_note:
        lines.append(view.contact_note)
    return lines


def contact_text(view: ServiceView | None) -> str:
    """How to reach one service, only as the directory holds it; or who can tell you."""
    if view is None:
        return NO_SERVICE_CONTACT
    return "\n\n".join([view.name, *_contact_lines(view)])


def details_text(view: ServiceView, audience: str) -> str:
    """Everything we hold about one service, ending with its source and when it was checked."""
    parts = [view.name + (f" ({view.organization})" if view.organization else "")]
    if view.description:
        parts.append(view.description)
    if view.status in STATUS_NOTES:
        parts.append(STATUS_NOTES[view.status])
    if view.eligibility:
        parts.append(f"Who it is for: {view.eligibility}")
    if view.how_to_access:
        parts.append(f"How to get it: {view.how_to_access}")
    if view.hours:
        parts.append("When: " + "; ".join(view.hours))
    parts.extend(_contact_lines(view))
    if view.as_of:
        parts.append(f"This is what the source said in {date_label(view.as_of)}: things may have changed since.")
    source = _source(view, audience)
    if source:
        parts.append(source)
    return "\n\n".join(parts)
