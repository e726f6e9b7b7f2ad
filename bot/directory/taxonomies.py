"""Homeward's named taxonomies, as the HSDS 3.0 / ORUK 3.0 ``taxonomy`` and ``taxonomy_term``
records every export and the public API publish.

Homeward's own facts about a service travel as terms a service's ``attributes`` link to,
because the UK profile's attribute has no ``value``: its need categories
(``homeward-need``), discharge pathways, lifecycle status (live and pilot are both HSDS
"active") and scope. The LGA/ESD service and needs lists the UK profile points to are not
held here (they cannot be checked offline), so needs are Homeward's own named list.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.directory import categories
from bot.directory.models import PATHWAYS, SCOPES, STATUSES
from bot.directory.public_ids import derived_id


@dataclass(frozen=True)
class Term:
    taxonomy: str  # the taxonomy's name, e.g. "homeward-need"
    code: str  # e.g. "falls", "2", "pilot"
    name: str
    description: str

    @property
    def internal_id(self) -> str:
        return f"{self.taxonomy}:{self.code}"

    @property
    def id(self) -> str:
        return derived_id("taxonomy_term", self.internal_id)


@dataclass(frozen=True)
class Taxonomy:
    name: str
    description: str
    version: str
    terms: tuple[Term, ...]

    @property
    def id(self) -> str:
        return derived_id("taxonomy", self.name)


NEED = categories.VOCABULARY
PATHWAY = "homeward-discharge-pathway"
STATUS = "homeward-status"
SCOPE = "homeward-scope"
FIELD = "homeward-field"

# The national 2020 wording of the four pathways, as BCP's January 2021 report quotes the DHSC
# Hospital Discharge Service: Policy and Operating Model (seed_bcp_home_first_2021, para 15-16).
PATHWAY_DESCRIPTIONS = {
    0: "Simple discharge, no formal input from health or social care needed once home.",
    1: "Support to recover at home.",
    2: "Rehabilitation or short-term care in a 24-hour bed-based setting.",
    3: "Ongoing 24-hour nursing care, often in a bedded setting.",
}
STATUS_DESCRIPTIONS = {
    "live": "Running now.",
    "pilot": "Running now as a trial; it may change or stop.",
    "planned": "Announced in the source but not yet running.",
    "ended": "No longer running.",
}
SCOPE_DESCRIPTIONS = {
    "local": "For one council area.",
    "county": "For several council areas, or a whole county.",
    "national": "For anyone in England.",
}
FIELD_DESCRIPTIONS = {
    "source_id": "The document or directory the facts about the service come from (the attribute's value).",
    "source_where": "Where in that source the facts are (the attribute's value).",
    "as_of": "The date of the source (the attribute's value).",
    "contact_note": "How to get in touch, as the source puts it (the attribute's value).",
    "status": "Homeward's status of the service (the attribute's value).",
    "scope": "How widely the service is offered (the attribute's value).",
    "council": "A council area the service is for (the attribute's value).",
    "pathway": "A discharge pathway the service is part of (the attribute's value).",
}


def _need_description(category: categories.Category) -> str:
    if not category.synonyms:
        return category.label
    return f"{category.label}. Also called: {', '.join(category.synonyms)}."


@lru_cache(maxsize=1)
def all_taxonomies() -> tuple[Taxonomy, ...]:
    return (
        Taxonomy(
            NEED,
            "Homeward's list of needs around leaving hospital, with the words people use for them.",
            "1",
            tuple(Term(NEED, c.code, c.label, _need_description(c)) for c in categories.all_categories()),
        ),
        Taxonomy(
            PATHWAY,
            "The four national hospital discharge pathways (0 to 3) a service is part of.",
            "2020",
            tuple(Term(PATHWAY, str(p), f"Pathway {p}", PATHWAY_DESCRIPTIONS[p]) for p in PATHWAYS),
        ),
        Taxonomy(
            STATUS,
            "Whether a service is running, on trial, planned or ended (HSDS status has no pilot or planned).",
            "1",
            tuple(Term(STATUS, s, s.capitalize(), STATUS_DESCRIPTIONS[s]) for s in STATUSES),
        ),
        Taxonomy(
            SCOPE,
            "How widely a service is offered.",
            "1",
            tuple(Term(SCOPE, s, s.capitalize(), SCOPE_DESCRIPTIONS[s]) for s in SCOPES),
        ),
        Taxonomy(
            FIELD,
            "Facts about a service that need a value, carried as attribute values (full HSDS export only).",
            "1",
            tuple(Term(FIELD, f, f.replace("_", " "), d) for f, d in FIELD_DESCRIPTIONS.items()),
        ),
    )


@lru_cache(maxsize=1)
def _by_id() -> dict[str, tuple[Taxonomy, Term]]:
    return {term.id: (taxonomy, term) for taxonomy in all_taxonomies() for term in taxonomy.terms}


@lru_cache(maxsize=1)
def _by_internal_id() -> dict[str, Term]:
    return {term.internal_id: term for taxonomy in all_taxonomies() for term in taxonomy.terms}


def term(taxonomy: str, code: str | int) -> Term:
    return _by_internal_id()[f"{taxonomy}:{code}"]


def find_term(term_id: str) -> Term | None:
    """A Homeward term by its public id or internal id ("homeward-need:falls")."""
    found = _by_id().get(term_id)
    return found[1] if found else _by_internal_id().get(term_id)


def term_json(term: Term, *, with_code: bool) -> dict[str, Any]:
    """The taxonomy_term object (``code`` is HSDS only: the UK profile has no such field)."""
    taxonomy = next(t for t in all_taxonomies() if t.name == term.taxonomy)
    data: dict[str, Any] = {
        "id": term.id,
        "name": term.name,
        "description": term.description,
        "taxonomy": term.taxonomy,
        "taxonomy_id": taxonomy.id,
    }
    if with_code:
        data["code"] = term.code
    return data


def taxonomy_json(taxonomy: Taxonomy) -> dict[str, Any]:
    return {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description, "version": taxonomy.version}


def taxonomy_id(name: str) -> str:
    """The public id of a taxonomy by name (the same for Homeward's and any other)."""
    return derived_id("taxonomy", name)
