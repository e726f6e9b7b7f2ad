"""The seed directory file is well formed, cites real sources, and holds no contact details.

Read with plain YAML on purpose: these checks hold whatever loader the application uses.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = REPO_ROOT / "bot" / "directory" / "data"
SEED_FILE = DATA_DIR / "seed_services.yml"
PLACES_FILE = DATA_DIR / "places.yml"
SOURCES_FILE = REPO_ROOT / "bot" / "knowledge" / "sources" / "seeds.yml"
# seeds.yml says the seed texts live in ../shared/seeds, next to the repository.
SEED_TEXT_DIR = REPO_ROOT.parent / "shared" / "seeds"

CATEGORIES = {
    "discharge_support", "reablement", "rehabilitation", "urgent_community_response",
    "intermediate_care_beds", "home_care", "care_homes", "carers_support", "young_carers",
    "community_equipment", "assistive_technology", "adaptations_dfg", "handyperson", "housing",
    "dementia", "end_of_life", "mental_health", "falls", "information_advice", "advocacy",
    "voluntary_community", "single_point_of_access",
}  # fmt: skip
STATUSES = {"live", "pilot", "planned", "ended"}
SCOPES = {"local", "county", "national"}
SERVICE_FIELDS = {
    "id", "name", "organization", "description", "councils", "scope", "categories", "pathways",
    "status", "eligibility", "how_to_access", "hours", "contact_note", "source", "as_of", "last_checked",
}  # fmt: skip
REQUIRED_SERVICE_FIELDS = SERVICE_FIELDS - {"eligibility", "how_to_access", "hours", "contact_note"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Contact details the seeds must never be turned into (and that nobody may invent).
PHONE = re.compile(r"(?:\+44\s?|\b0)\d(?:[\s-]?\d){8,9}\b")
URL = re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:co\.uk|org\.uk|gov\.uk|nhs\.uk|com|org|net)\b", re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
CONTACT_PATTERNS = {"phone number": PHONE, "web address": URL, "email": EMAIL, "postcode": POSTCODE}


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    return yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))


def _services() -> list[dict[str, Any]]:
    return _data()["services"]


def _council_codes() -> set[str]:
    places = yaml.safe_load(PLACES_FILE.read_text(encoding="utf-8"))
    return {council["code"] for council in places["councils"]}


def _sources() -> dict[str, dict[str, Any]]:
    registry = yaml.safe_load(SOURCES_FILE.read_text(encoding="utf-8"))
    return {source["id"]: source for source in registry["sources"]}


def _normalised(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def _cited_lines(where: str) -> list[int]:
    """Line numbers cited for the entry's own source (text after "see also" cites another seed)."""
    own_part = where.split("see also")[0]
    numbers: list[int] = []
    for match in re.finditer(r"\blines? ((?:\d+(?:-\d+)?(?:,\s*)?)+)", own_part):
        numbers += [int(n) for n in re.findall(r"\d+", match.group(1))]
    return numbers


def test_the_file_has_organizations_services_and_exclusions() -> None:
    data = _data()
    assert set(data) == {"organizations", "services", "excluded"}
    assert data["organizations"] and data["services"] and data["excluded"]


def test_ids_are_unique_slugs_across_the_file() -> None:
    ids = [org["id"] for org in _data()["organizations"]] + [service["id"] for service in _services()]
    assert all(SLUG.match(identifier) for identifier in ids), [i for i in ids if not SLUG.match(i)]
    duplicates = [identifier for identifier, count in Counter(ids).items() if count > 1]
    assert not duplicates


def test_service_names_are_unique() -> None:
    names = Counter(_normalised(service["name"]) for service in _services())
    assert not [name for name, count in names.items() if count > 1]


def test_organizations_have_a_name_and_only_known_fields() -> None:
    for org in _data()["organizations"]:
        assert set(org) <= {"id", "name", "description"}, org["id"]
        assert org["name"].strip(), org["id"]


def test_services_have_the_required_fields_and_no_others() -> None:
    for service in _services():
        assert set(service) <= SERVICE_FIELDS, (service["id"], set(service) - SERVICE_FIELDS)
        missing = REQUIRED_SERVICE_FIELDS - set(service)
        assert not missing, (service["id"], missing)
        for field in ("name", "description", "eligibility", "how_to_access", "hours", "contact_note"):
            if field in service:
                assert isinstance(service[field], str) and service[field].strip(), (service["id"], field)


def test_every_service_belongs_to_a_listed_organization() -> None:
    org_ids = {org["id"] for org in _data()["organizations"]}
    owners = {service["id"]: service["organization"] for service in _services()}
    assert {sid: org for sid, org in owners.items() if org not in org_ids} == {}


def test_codes_are_from_the_agreed_lists() -> None:
    councils = _council_codes()
    for service in _services():
        sid = service["id"]
        assert set(service["councils"]) <= councils, sid
        assert len(service["councils"]) == len(set(service["councils"])), sid
        assert set(service["categories"]) <= CATEGORIES, (sid, set(service["categories"]) - CATEGORIES)
        assert service["status"] in STATUSES, sid
        assert service["scope"] in SCOPES, sid
        assert set(service["pathways"]) <= {0, 1, 2, 3}, sid


def test_scope_matches_the_number_of_councils() -> None:
    expected_count = {"local": lambda n: n == 1, "county": lambda n: n >= 2, "national": lambda n: n == 0}
    for service in _services():
        assert expected_count[service["scope"]](len(service["councils"])), service["id"]


def test_every_source_is_a_registered_seed_with_a_precise_where() -> None:
    sources = _sources()
    entries = [(s["id"], s["source"]) for s in _services()] + [(e["name"], e["source"]) for e in _data()["excluded"]]
    for label, source in entries:
        assert source["id"] in sources, label
        assert isinstance(source["where"], str) and source["where"].strip(), label
        assert re.search(r"\d", source["where"]), (label, "where should give a line or paragraph")


def test_as_of_is_the_cited_documents_date() -> None:
    sources = _sources()
    for service in _services():
        assert service["as_of"] == str(sources[service["source"]["id"]]["date"])[:7], service["id"]


def test_cited_lines_exist_in_the_seed_text() -> None:
    if not SEED_TEXT_DIR.is_dir():
        pytest.skip(f"seed texts not found at {SEED_TEXT_DIR}")
    sources = _sources()
    line_counts = {
        sid: len((SEED_TEXT_DIR / source["file"]).read_text(encoding="utf-8").splitlines())
        for sid, source in sources.items()
    }
    entries = [(s["id"], s["source"]) for s in _services()] + [(e["name"], e["source"]) for e in _data()["excluded"]]
    for label, source in entries:
        lines = _cited_lines(source["where"])
        assert lines, (label, "where should cite line numbers")
        assert all(1 <= line <= line_counts[source["id"]] for line in lines), (label, lines)


def test_last_checked_is_a_real_date_not_in_the_future() -> None:
    for service in _services():
        value = service["last_checked"]
        checked = value if isinstance(value, date) else date.fromisoformat(value)
        assert checked <= date.today(), service["id"]


@pytest.mark.parametrize(
    ("pattern", "text"),
    [
        (PHONE, "call 020 8227 2875"),
        (PHONE, "ring 01202123456"),
        (URL, "see www.example.org.uk"),
        (URL, "https://local.gov.uk/our-support"),
        (URL, "visit carersupport.org"),
        (EMAIL, "write to someone@lbbd.gov.uk"),
        (POSTCODE, "County Hall, BH15 2RU"),
    ],
)
def test_the_contact_detail_patterns_catch_real_examples(pattern: re.Pattern[str], text: str) -> None:
    assert pattern.search(text)


def test_the_contact_detail_patterns_allow_ordinary_text() -> None:
    ordinary = "24/7, 8am to 8pm, 21:00 to 07:30, 2023-09, up to £45,000, 1,439 people, pathways 0 to 3, S117, P1"
    assert not [kind for kind, pattern in CONTACT_PATTERNS.items() if pattern.search(ordinary)]


def test_no_phone_numbers_web_addresses_emails_or_postcodes_anywhere_in_the_file() -> None:
    text = SEED_FILE.read_text(encoding="utf-8")
    found = {kind: pattern.findall(text) for kind, pattern in CONTACT_PATTERNS.items()}
    assert {kind: hits for kind, hits in found.items() if hits} == {}


def test_every_covered_council_has_at_least_one_service() -> None:
    served = Counter(code for service in _services() for code in service["councils"])
    assert {code for code in _council_codes() if served[code] == 0} == set()


def test_excluded_names_never_appear_as_services() -> None:
    service_names = {_normalised(service["name"]) for service in _services()}
    excluded = [entry["name"] for entry in _data()["excluded"]]
    assert all(entry.get("reason", "").strip() for entry in _data()["excluded"])
    assert [name for name in excluded if _normalised(name) in service_names] == []
    assert len({_normalised(name) for name in excluded}) == len(excluded)
