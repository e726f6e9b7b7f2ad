"""The route for a red flag: what to say, for the user's audience and area (``routes.yml``).

    >>> route_text("safeguarding", "family", "havering")
    'It sounds like someone may not be safe. ... contact the adult social care team at the
    London Borough of Havering and say it is a safeguarding concern. ...'

Council contact details are never given: the council is named, and the user is told to say
it is a safeguarding concern.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.directory.areas import council
from bot.knowledge.loader import default_knowledge
from bot.knowledge.model import AUDIENCES, Source
from bot.safety.groups import GROUPS
from bot.safety.messages import MessageError, SafetyMessage, parse_message, parse_numbers

ROUTES_FILE = Path(__file__).parent / "routes.yml"
GENERAL = "general"  # the route when the group is not known
ROUTE_GROUPS = (*GROUPS, GENERAL)
CARRY_ON_KEYS = ("family", "staff", "question_button", "topics_button", "finder_stopped", "form_stopped")


@dataclass(frozen=True)
class RouteBook:
    messages: dict[tuple[str, str], SafetyMessage]  # (group, audience) -> message
    numbers: dict[str, tuple[str, ...]]  # phone number -> ids of the sources that state it
    adult_social_care: dict[str, str]  # "known" (with {council}) and "unknown"
    carry_on: dict[str, str]
    stop_and_call: frozenset[str] = frozenset()  # groups whose route is not followed by an answer

    def answers_after(self, group: str) -> bool:
        """Whether the user's own question is answered straight after this group's route."""
        return group in GROUPS and group not in self.stop_and_call

    def message(self, group: str, audience: str) -> SafetyMessage:
        group = group if group in GROUPS else GENERAL
        audience = audience if audience in AUDIENCES else "family"
        return self.messages[(group, audience)]


def load_routes(path: Path = ROUTES_FILE, sources: dict[str, Source] | None = None) -> RouteBook:
    """Reads and checks the routes; raises MessageError listing every problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sources = default_knowledge().sources if sources is None else sources
    problems: list[str] = []
    numbers = parse_numbers(data.get("numbers"), sources, problems)
    messages = {}
    for group in ROUTE_GROUPS:
        for audience in AUDIENCES:
            raw = ((data.get("routes") or {}).get(group) or {}).get(audience)
            message = parse_message(raw, f"routes.{group}.{audience}", sources, numbers, problems)
            if message is not None:
                messages[(group, audience)] = message
    adult_social_care = data.get("adult_social_care") or {}
    if "{council}" not in str(adult_social_care.get("known")) or not adult_social_care.get("unknown"):
        problems.append("adult_social_care: needs 'known' (with {council}) and 'unknown'")
    carry_on = data.get("carry_on") or {}
    problems += [f"carry_on: missing {key}" for key in CARRY_ON_KEYS if not carry_on.get(key)]
    stop_and_call = frozenset(data.get("stop_and_call") or ())
    problems += [f"stop_and_call: unknown group {g!r}" for g in sorted(stop_and_call - set(GROUPS))]
    if problems:
        raise MessageError(problems)
    return RouteBook(messages, numbers, adult_social_care, carry_on, stop_and_call)


@lru_cache(maxsize=1)
def default_routes() -> RouteBook:
    return load_routes()


def council_label(code: str | None) -> str | None:
    """'bcp' -> 'BCP Council'; 'havering' -> 'the London Borough of Havering'; unknown -> None."""
    place = council(code) if code else None
    if place is None:
        return None
    return place.name if place.name.endswith("Council") else f"the {place.long_name}"


def adult_social_care_team(area: str | None, book: RouteBook | None = None) -> str:
    book = book or default_routes()
    label = council_label(area)
    if label is None:
        return book.adult_social_care["unknown"]
    return book.adult_social_care["known"].format(council=label)


def route_text(group: str, audience: str, area: str | None = None, book: RouteBook | None = None) -> str:
    """The calm message for this red-flag group, audience (family/staff) and council area."""
    book = book or default_routes()
    text = book.message(group, audience).text
    return text.replace("{adult_social_care}", adult_social_care_team(area, book))


def carry_on_text(audience: str, book: RouteBook | None = None) -> str:
    book = book or default_routes()
    return book.carry_on["staff" if audience == "staff" else "family"]
