"""HSDS ``service_area`` records for the councils Homeward covers, and councils read back
from another publisher's service areas.

A council's area is named by its ONS local authority district (GSS) code, as the persistent
``uri`` the ONS statistical geography linked data uses for it; a national service's area is
England (E92000001).
"""

from __future__ import annotations

import re
from typing import Any

from bot.directory import areas
from bot.directory.postcodes import COUNCIL_FOR_DISTRICT
from bot.directory.public_ids import derived_id

GSS_URI = "http://statistics.data.gov.uk/id/statistical-geography/{code}"
ENGLAND_GSS = "E92000001"
DISTRICT_FOR_COUNCIL = {council: code for code, council in COUNCIL_FOR_DISTRICT.items()}
_GSS_CODE = re.compile(r"\b([EWSN]\d{8})\b")


def council_service_area(service_id: str, council: str) -> dict[str, Any] | None:
    """The service_area of one of our councils, or None if unknown. No ``service_id``: it is nested
    in its service (in the tabular form, the nesting gives the key)."""
    found, district = areas.council(council), DISTRICT_FOR_COUNCIL.get(council)
    if found is None or district is None:
        return None
    return {
        "id": derived_id("service_area", f"{service_id}:{council}"),
        "name": found.long_name,
        "uri": GSS_URI.format(code=district),
    }


def national_service_area(service_id: str) -> dict[str, Any]:
    return {
        "id": derived_id("service_area", f"{service_id}:england"),
        "name": "England",
        "uri": GSS_URI.format(code=ENGLAND_GSS),
    }


def councils_in_areas(service_areas: Any) -> tuple[tuple[str, ...], bool]:
    """(our councils the areas name, whether an area is all of England). An area names a
    council by its GSS code (in ``uri``, ``extent`` or the name) or by the council's name."""
    found: list[str] = []
    england = False
    for area in service_areas if isinstance(service_areas, list) else []:
        if not isinstance(area, dict):
            continue
        text = " ".join(str(area.get(key) or "") for key in ("uri", "extent", "name", "service_area"))
        for code in _GSS_CODE.findall(text):
            england = england or code == ENGLAND_GSS
            if code in COUNCIL_FOR_DISTRICT:
                found.append(COUNCIL_FOR_DISTRICT[code])
        name = str(area.get("name") or "")
        if name.strip().lower() == "england":
            england = True
        resolved = areas.resolve_area(name) if name else None
        if resolved is not None and resolved.kind == "council":
            found.extend(c.code for c in resolved.councils)
    return tuple(dict.fromkeys(found)), england
