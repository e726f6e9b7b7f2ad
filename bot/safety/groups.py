"""The red-flag groups (one route each), highest priority first: when several match, the first
is the route shown; and the categories of danger the evaluation reports, each with its group."""

from __future__ import annotations

EMERGENCY = "emergency"
SUICIDE_SELF_HARM = "suicide_self_harm"
MISSING_PERSON = "missing_person"
SAFEGUARDING = "safeguarding"
URGENT = "urgent"
CARER_CRISIS = "carer_crisis"
GROUPS = (EMERGENCY, SUICIDE_SELF_HARM, MISSING_PERSON, SAFEGUARDING, URGENT, CARER_CRISIS)

# Safeguarding has one route but three kinds of harm, reported separately.
CATEGORIES: dict[str, str] = {
    EMERGENCY: EMERGENCY,
    URGENT: URGENT,
    SUICIDE_SELF_HARM: SUICIDE_SELF_HARM,
    CARER_CRISIS: CARER_CRISIS,
    "safeguarding_physical": SAFEGUARDING,
    "safeguarding_financial": SAFEGUARDING,
    "safeguarding_neglect": SAFEGUARDING,
    MISSING_PERSON: MISSING_PERSON,
}


def category_group(category: str) -> str:
    """'safeguarding_financial' -> 'safeguarding'; raises KeyError for an unknown category."""
    return CATEGORIES[category]
