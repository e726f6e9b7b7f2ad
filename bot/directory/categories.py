"""Need categories for the directory, and what people type for them.

Categories live in ``data/categories.yml``; in the database they are taxonomy terms of the
vocabulary ``homeward-need`` (ids ``homeward-need:<code>``), linked to services through
HSDS ``attribute`` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CATEGORIES_FILE = Path(__file__).parent / "data" / "categories.yml"
VOCABULARY = "homeward-need"


@dataclass(frozen=True)
class Category:
    code: str
    label: str
    synonyms: tuple[str, ...]
    generic: bool = False

    @property
    def term_id(self) -> str:
        return term_id(self.code)


def term_id(code: str) -> str:
    """The taxonomy_term id of a need category."""
    return f"{VOCABULARY}:{code}"


def _words(text: str) -> tuple[str, ...]:
    """Lower-case words, apostrophes dropped and simple plurals made singular."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words)


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, Category], tuple[tuple[tuple[str, ...], str], ...]]:
    raw = yaml.safe_load(CATEGORIES_FILE.read_text(encoding="utf-8"))
    categories: dict[str, Category] = {}
    phrases: dict[tuple[str, ...], str] = {}
    for item in raw["categories"]:
        category = Category(
            code=item["code"],
            label=item["label"],
            synonyms=tuple(item.get("synonyms") or ()),
            generic=bool(item.get("generic", False)),
        )
        if category.code in categories:
            raise ValueError(f"{CATEGORIES_FILE}: category {category.code!r} is listed twice")
        categories[category.code] = category
        for phrase in (category.code.replace("_", " "), category.label, *category.synonyms):
            key = _words(phrase)
            owner = phrases.setdefault(key, category.code)
            if owner != category.code and phrase in category.synonyms:
                raise ValueError(f"{CATEGORIES_FILE}: {phrase!r} is a synonym of both {owner} and {category.code}")
    ordered = tuple(sorted(phrases.items(), key=lambda item: len(item[0]), reverse=True))
    return categories, ordered


# The service search's need when the user asked for a pathway's services, not one kind of help.
ANY_NEED = "any"


def need_filter(code: str | None) -> str | None:
    """The directory's need filter for a search's need slot (``ANY_NEED``: no filter)."""
    return None if code == ANY_NEED else code


def all_categories() -> tuple[Category, ...]:
    return tuple(_load()[0].values())


def codes() -> tuple[str, ...]:
    return tuple(_load()[0])


def get(code: str) -> Category | None:
    return _load()[0].get(code)


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))


def resolve(text: str) -> Category | None:
    """The need category that ``text`` names, or None.

    The longest matching phrase wins; a generic category (e.g. "information") only wins
    when no specific one is named, so "information about wheelchairs" is equipment.
    """
    categories, phrases = _load()
    haystack = _words(text)
    if not haystack:
        return None
    generic_match: Category | None = None
    for phrase, code in phrases:
        if phrase and _contains(haystack, phrase):
            category = categories[code]
            if not category.generic:
                return category
            generic_match = generic_match or category
    return generic_match
