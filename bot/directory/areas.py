"""Which council area a user means, from what they type.

Covers the councils in the seed documents. Place names come from ``data/places.yml``;
a place that is split between councils is ambiguous and the assistant asks which one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from sqlalchemy.orm import Session

from bot.directory.postcodes import resolve_postcode

PLACES_FILE = Path(__file__).parent / "data" / "places.yml"


@dataclass(frozen=True)
class Council:
    code: str
    name: str
    long_name: str
    aliases: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True)
class AreaResolution:
    """What a piece of text says about the user's area.

    ``kind`` is one of: "council" (``councils`` has exactly one), "ambiguous" (several,
    with a ``question`` to ask), "outside" (a known place we do not cover) or "unknown".
    """

    kind: str
    councils: tuple[Council, ...] = ()
    matched: str = ""
    question: str = ""


@dataclass(frozen=True)
class _Gazetteer:
    councils: dict[str, Council]
    # normalised name -> ("council", codes, question) for matching, longest names first
    names: tuple[tuple[str, str, tuple[str, ...], str], ...]


def normalise(text: str) -> str:
    """Lower case, words separated by single spaces, with a space at each end (for whole-word finds)."""
    text = text.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return f" {' '.join(text.split())} "


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    data = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    councils = {
        raw["code"]: Council(
            code=raw["code"],
            name=raw["name"],
            long_name=raw.get("long_name") or raw["name"],
            aliases=tuple(raw.get("aliases") or ()),
            places=tuple(raw.get("places") or ()),
        )
        for raw in data["councils"]
    }
    names: dict[str, tuple[str, tuple[str, ...], str]] = {}
    for council in councils.values():
        for name in (council.code, council.name, council.long_name, *council.aliases, *council.places):
            names.setdefault(normalise(name), ("council", (council.code,), ""))
    # Ambiguous and outside names override: they are the reason those lists exist.
    for raw in data.get("ambiguous") or []:
        names[normalise(raw["name"])] = ("ambiguous", tuple(raw["councils"]), raw["question"])
    for place in data.get("outside") or []:
        names[normalise(place)] = ("outside", (), "")
    ordered = sorted(names.items(), key=lambda item: len(item[0]), reverse=True)
    return _Gazetteer(
        councils=councils,
        names=tuple((name, kind, codes, question) for name, (kind, codes, question) in ordered),
    )


def council_codes() -> tuple[str, ...]:
    return tuple(_gazetteer().councils)


def council(code: str) -> Council | None:
    return _gazetteer().councils.get(code)


def all_councils() -> tuple[Council, ...]:
    return tuple(_gazetteer().councils.values())


def place_names() -> list[str]:
    """Every name the resolver knows, for the NLU lookup table and the spaCy EntityRuler."""
    gazetteer = _gazetteer()
    names = {n for c in gazetteer.councils.values() for n in (c.name, *c.aliases, *c.places)}
    data = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    names |= {raw["name"] for raw in data.get("ambiguous") or []}
    names |= set(data.get("outside") or [])
    return sorted(names, key=lambda name: (name.lower(), name))


def resolve_area(text: str, session: Session | None = None) -> AreaResolution:
    """The longest known place or council name in ``text``; failing that, a postcode in it.

    With a ``session`` on the directory database, full postcodes are looked up in the ONS
    postcode table when it has been loaded (see ``bot/directory/postcodes.py``).
    """
    gazetteer = _gazetteer()
    mentions = [m for m in place_mentions(text) if not m.negated]
    if mentions:
        # The longest name wins ("Newcastle upon Tyne" over "Newcastle"); a name the user
        # ruled out ("Romford, not Poole") never does.
        name, kind, codes, question = max(mentions, key=lambda m: len(m.entry[0])).entry
        councils = tuple(gazetteer.councils[c] for c in codes)
        return AreaResolution(kind=kind, councils=councils, matched=name.strip(), question=question)
    return _from_postcode(text, session, gazetteer)


# Words that rule out the place named straight after them: "not Poole", "instead of Poole".
_NEGATORS = ("not", "instead of", "rather than", "no longer", "moved from", "used to live in", "used to be in")


@dataclass(frozen=True)
class PlaceMention:
    """One known place name found in a text, where it starts in the normalised text, and
    whether the user ruled it out."""

    entry: tuple[str, str, tuple[str, ...], str]
    start: int
    end: int
    negated: bool


def place_mentions(text: str) -> list[PlaceMention]:
    """Every known place name in ``text``, longest first where names overlap, in text order."""
    haystack = normalise(text)
    taken: list[tuple[int, int]] = []
    found: list[PlaceMention] = []
    for entry in _gazetteer().names:  # longest names first, so a shorter overlapping one is skipped
        name = entry[0]
        start = haystack.find(name)
        while start >= 0:
            end = start + len(name)
            if not any(start < t_end and t_start < end for t_start, t_end in taken):
                taken.append((start, end))
                before = haystack[:start + 1]
                negated = any(before.endswith(f" {negator} ") for negator in _NEGATORS)
                found.append(PlaceMention(entry, start, end, negated))
            start = haystack.find(name, start + 1)
    return sorted(found, key=lambda mention: mention.start)


def _from_postcode(text: str, session: Session | None, gazetteer: _Gazetteer) -> AreaResolution:
    found = resolve_postcode(text, session)
    councils = tuple(gazetteer.councils[c] for c in found.councils if c in gazetteer.councils)
    if found.kind == "council" and councils:
        return AreaResolution(kind="council", councils=councils, matched=found.postcode)
    if found.kind == "ambiguous":
        names = " or ".join(c.name for c in councils) if councils else "which council"
        others = " (or somewhere else)" if len(councils) < len(found.councils) or len(councils) == 1 else ""
        question = f"The {found.postcode} postcode area is split between councils. Is it {names}{others}?"
        return AreaResolution(kind="ambiguous", councils=councils, matched=found.postcode, question=question)
    if found.kind == "outside":
        return AreaResolution(kind="outside", matched=found.postcode)
    return AreaResolution(kind="unknown")
