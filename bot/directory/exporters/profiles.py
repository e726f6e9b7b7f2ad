"""Turns a stored HSDS object into what Homeward publishes: public UUIDs in place of internal
ids, and (for the UK profile) only the fields Open Referral UK 3.0 has.

The UK field lists are the properties each UK profile 3.0 schema shares with HSDS 3.0, so a
UK-profile record validates against both standards' schemas, each in strict mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.directory.public_ids import public_id

UK_PROFILE = "uk"
HSDS = "hsds"
PROFILES = (UK_PROFILE, HSDS)

# Key of a nested object or list of objects -> the HSDS kind of those objects.
KIND_OF_KEY = {
    "organization": "organization",
    "program": "program",
    "programs": "program",
    "phones": "phone",
    "schedules": "schedule",
    "service_areas": "service_area",
    "service_at_locations": "service_at_location",
    "location": "location",
    "locations": "location",
    "addresses": "address",
    "accessibility": "accessibility",
    "languages": "language",
    "funding": "funding",
    "cost_options": "cost_option",
    "required_documents": "required_document",
    "contacts": "contact",
    "attributes": "attribute",
    "taxonomy_term": "taxonomy_term",
    "taxonomy_detail": "taxonomy",
    "metadata": "metadata",
    "organization_identifiers": "organization_identifier",
    "service": "service",
    "services": "service",
}
# Reference fields -> the kind of record they point at.
REFERENCE_KIND = {
    "organization_id": "organization",
    "parent_organization_id": "organization",
    "service_id": "service",
    "location_id": "location",
    "service_at_location_id": "service_at_location",
    "contact_id": "contact",
    "phone_id": "phone",
    "program_id": "program",
    "taxonomy_term_id": "taxonomy_term",
    "taxonomy_id": "taxonomy",
}
# Fields of each UK profile 3.0 object that HSDS 3.0 has too.
UK_FIELDS: dict[str, tuple[str, ...]] = {
    "accessibility": ("id", "location_id", "description", "details", "url", "attributes"),
    "address": (
        "id", "location_id", "attention", "address_1", "city", "region", "state_province", "postal_code", "country",
        "address_type", "attributes",
    ),
    "attribute": ("id", "link_id", "taxonomy_term_id", "link_type", "taxonomy_term"),
    "contact": ("id", "service_id", "name", "title", "attributes"),
    "cost_option": ("id", "service_id", "valid_from", "valid_to", "option", "amount", "amount_description"),
    "funding": ("id", "service_id", "source"),
    "language": ("id", "service_id", "phone_id"),
    "location": (
        "id", "location_type", "name", "description", "latitude", "longitude", "external_identifier",
        "external_identifier_type", "addresses", "accessibility", "attributes",
    ),
    "organization": (
        "id", "name", "description", "email", "website", "logo", "uri", "parent_organization_id",
        "organization_identifiers", "attributes",
    ),
    "organization_identifier": (
        "id", "organization_id", "identifier_scheme", "identifier_type", "identifier", "attributes",
    ),
    "phone": ("id", "contact_id", "number", "description", "languages"),
    "schedule": (
        "id", "service_id", "service_at_location_id", "valid_from", "valid_to", "dtstart", "freq", "interval",
        "byday", "bymonthday", "description", "opens_at", "closes_at", "schedule_link", "attending_type", "notes",
    ),
    "service": (
        "id", "organization_id", "name", "description", "url", "email", "status", "fees", "accreditations",
        "minimum_age", "maximum_age", "assured_date", "assurer_email", "alert", "last_modified", "schedules",
        "service_areas", "service_at_locations", "languages", "organization", "funding", "cost_options", "contacts",
        "attributes",
    ),
    "service_area": ("id", "service_id", "name", "extent", "extent_type", "uri"),
    "service_at_location": ("id", "service_id", "location_id", "location"),
    "taxonomy": ("id", "name", "description", "uri", "version"),
    "taxonomy_term": ("id", "name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri"),
}
# The one-to-one fields of a service in a list page (the profile's compiled service_list.json).
UK_SERVICE_LIST_FIELDS = (*UK_FIELDS["service"][:15], "organization")

Overrides = Mapping[tuple[str, str], str]  # (kind, internal id) -> public id, where it is stored


def _public(kind: str, value: Any, overrides: Overrides) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return overrides.get((kind, value)) or public_id(kind, value)


def publish_ids(data: Any, kind: str, overrides: Overrides = {}) -> Any:  # noqa: B006 (never mutated)
    """A copy of ``data`` (an HSDS object of ``kind``) with every id and reference as a UUID."""
    if isinstance(data, list):
        return [publish_ids(item, kind, overrides) for item in data]
    if not isinstance(data, dict):
        return data
    result: dict[str, Any] = {}
    for key, value in data.items():
        if key == "id":
            result[key] = _public(kind, value, overrides)
        elif key == "parent_id" and kind == "taxonomy_term":
            result[key] = _public("taxonomy_term", value, overrides)
        elif key == "link_id":  # the attribute table links services only
            result[key] = _public("service", value, overrides)
        elif key == "resource_id" and kind == "metadata":
            result[key] = _public(str(data.get("resource_type") or "service"), value, overrides)
        elif key in REFERENCE_KIND:
            result[key] = _public(REFERENCE_KIND[key], value, overrides)
        elif key in KIND_OF_KEY and isinstance(value, dict | list):
            result[key] = publish_ids(value, KIND_OF_KEY[key], overrides)
        else:
            result[key] = value
    return result


def to_uk_profile(data: Any, kind: str, fields: tuple[str, ...] | None = None) -> Any:
    """``data`` with only the fields the UK profile (and HSDS) has for ``kind``."""
    if isinstance(data, list):
        return [to_uk_profile(item, kind) for item in data]
    if not isinstance(data, dict):
        return data
    allowed = fields or UK_FIELDS.get(kind, ())
    result = {}
    for key in allowed:
        if key not in data:
            continue
        value = data[key]
        if key in KIND_OF_KEY and isinstance(value, dict | list):
            value = to_uk_profile(value, KIND_OF_KEY[key])
        result[key] = value
    return result
