"""Exports checked against the Open Referral standard's own schemas, in the spec's strict mode."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.directory.cli import main
from bot.directory.exporters.oruk_json import export_oruk
from bot.directory.records import Batch, ServiceRecord
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import seed_database
from tests.standards.schemas import ROOT, both_standards_errors, errors

HSDS_EXAMPLE = ROOT / "hsds-3.0" / "examples" / "service_full.json"
UK_EXAMPLE = ROOT / "uk-profile-3.0" / "examples" / "service_full.json"


@pytest.fixture
def fully_seeded(repository: DirectoryRepository) -> DirectoryRepository:
    result = seed_database(repository)  # the real seed file: every kind of service we publish
    assert result.problems == []
    return repository


def test_every_exported_service_passes_both_standards(fully_seeded: DirectoryRepository) -> None:
    contents = export_oruk(fully_seeded)["contents"]
    assert len(contents) > 100
    problems = [f"{s['name']}: {e}" for s in contents for e in both_standards_errors("service", s)]
    assert problems == []


def test_the_full_hsds_export_passes_hsds_and_keeps_phones(fully_seeded: DirectoryRepository) -> None:
    fully_seeded.store(Batch(services=[ServiceRecord(
        hsds={"id": "with-phone", "name": "Test service with a phone", "status": "active",
              "phones": [{"id": "p1", "number": "0000 000 0000", "extension": 123}]},
        councils=("bcp",), scope="local", status="live", source_id="test", last_checked=date(2026, 11, 1),
    )]))
    contents = export_oruk(fully_seeded, "hsds")["contents"]
    assert [f"{s['name']}: {e}" for s in contents for e in errors("hsds", "service", s)] == []
    [with_phone] = [s for s in contents if s["name"] == "Test service with a phone"]
    assert with_phone["phones"][0]["extension"] == 123, "an extension stays a number, as HSDS has it"
    uk = next(s for s in export_oruk(fully_seeded)["contents"] if s["name"] == "Test service with a phone")
    assert "phones" not in uk, "the UK profile has no phones"


def test_ids_are_stable_uuids_and_facts_are_named_terms(fully_seeded: DirectoryRepository) -> None:
    first = export_oruk(fully_seeded)["contents"]
    seed_database(fully_seeded)  # stored again: the same public ids
    again = {s["id"]: s for s in export_oruk(fully_seeded)["contents"]}
    assert set(again) == {s["id"] for s in first}
    home_first = next(s for s in first if s["name"] == "Home First – getting you home (planned discharge model)")
    pathways = [a["taxonomy_term"] for a in home_first["attributes"] if a["link_type"] == "pathway"]
    assert [t["name"] for t in pathways] == ["Pathway 0", "Pathway 1", "Pathway 2", "Pathway 3"]
    assert all(t["taxonomy"] == "homeward-discharge-pathway" and t["description"] for t in pathways)
    assert sorted(a["uri"].rsplit("/", 1)[1] for a in home_first["service_areas"]) == [
        "E09000002", "E09000016", "E09000026"
    ]


def _import(database_url: str, path: Path, *extra: str) -> int:
    return main(["directory", "--database-url", database_url, "import", str(path), *extra])


def _export(database_url: str, path: Path, profile: str = "uk") -> int:
    return main(["directory", "--database-url", database_url, "export", "--profile", profile, str(path)])


def test_the_spec_example_imports_and_exports_unchanged(database_url: str, tmp_path: Path) -> None:
    assert _import(database_url, HSDS_EXAMPLE, "--council", "bcp") == 0
    assert _export(database_url, tmp_path / "out.json", "hsds") == 0
    [exported] = json.loads((tmp_path / "out.json").read_text())["contents"]
    original = json.loads(HSDS_EXAMPLE.read_text())
    assert errors("hsds", "service", exported) == []
    for key, value in original.items():
        if key != "attributes":  # ours are added to theirs
            assert exported[key] == value, key
    by_id = {a["id"]: a for a in exported["attributes"]}
    for attribute in original["attributes"]:
        assert {k: by_id[attribute["id"]].get(k) for k in attribute} == attribute


def test_two_publishers_with_the_same_id_are_both_kept(database_url: str, tmp_path: Path) -> None:
    hsds, uk = json.loads(HSDS_EXAMPLE.read_text()), json.loads(UK_EXAMPLE.read_text())
    assert hsds["id"] == uk["id"], "the official examples share one id"
    assert _import(database_url, HSDS_EXAMPLE, "--council", "bcp") == 0
    assert _import(database_url, UK_EXAMPLE, "--council", "dorset") == 0
    with DirectoryRepository(database_url) as repository:
        exported = export_oruk(repository)["contents"]
    assert sorted(s["name"] for s in exported) == sorted([hsds["name"], uk["name"]])
    assert len({s["id"] for s in exported}) == 2
    assert hsds["id"] in {s["id"] for s in exported}, "the first keeps its published id"


def test_an_export_imported_again_replaces_rather_than_duplicates(
    fully_seeded: DirectoryRepository, database_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "directory.json"
    assert _export(database_url, out, "hsds") == 0
    before = export_oruk(fully_seeded, "hsds")
    assert _import(database_url, out) == 0
    after = export_oruk(fully_seeded, "hsds")
    assert after["total_items"] == before["total_items"]
    assert [s["id"] for s in after["contents"]] == [s["id"] for s in before["contents"]]


def _lost(original: Any, exported: Any, path: str = "") -> list[str]:
    """Where a field of ``original`` is missing or different in ``exported`` (lists matched by id)."""
    if isinstance(original, dict) and isinstance(exported, dict):
        lost = []
        for key, value in original.items():
            lost += [f"{path}.{key}"] if key not in exported else _lost(value, exported[key], f"{path}.{key}")
        return lost
    if isinstance(original, list) and isinstance(exported, list):
        by_id = {item.get("id"): item for item in exported if isinstance(item, dict)}
        lost = []
        for item in original:
            if isinstance(item, dict) and item.get("id") in by_id:
                lost += _lost(item, by_id[item["id"]], f"{path}[]")
            elif item not in exported:
                lost.append(f"{path}[]")
        return lost
    return [] if original == exported else [f"{path} changed"]


def test_the_uk_profile_example_keeps_every_field_in_the_hsds_form(database_url: str, tmp_path: Path) -> None:
    original = json.loads(UK_EXAMPLE.read_text())
    assert _import(database_url, UK_EXAMPLE, "--council", "bcp") == 0
    assert _export(database_url, tmp_path / "hsds.json", "hsds") == 0
    assert _export(database_url, tmp_path / "uk.json") == 0
    [as_received] = json.loads((tmp_path / "hsds.json").read_text())["contents"]
    [uk] = json.loads((tmp_path / "uk.json").read_text())["contents"]
    assert _lost(original, as_received) == []
    # The UK form is valid under both standards, so it leaves out the three fields only the UK
    # profile has (HSDS 3.0 in strict mode refuses them).
    assert both_standards_errors("service", uk) == []
    assert sorted(_lost(original, uk)) == [
        ".attributes[].taxonomy_term.term",
        ".service_areas[].service_area",
        ".service_at_locations[].location.accessibility[].accessibility",
    ]
