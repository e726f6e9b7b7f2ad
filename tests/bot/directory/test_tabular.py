"""HSDS tabular (datapackage.json + one CSV per table): the spec's example imports, and an
export reads back as the same directory."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from bot.directory.cli import main
from bot.directory.exporters.oruk_json import export_oruk
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import seed_database
from bot.directory.tabular import TABLES, read_datapackage
from tests.standards.schemas import ROOT, errors

SPEC_TABULAR = ROOT / "hsds-3.0" / "examples" / "csv"
SPEC_JSON = ROOT / "hsds-3.0" / "examples" / "service_full.json"


def cli(database_url: str, *args: str) -> int:
    return main(["directory", "--database-url", database_url, *args])


def test_the_spec_tabular_example_nests_as_its_json_example() -> None:
    [service] = read_datapackage(SPEC_TABULAR)
    expected = json.loads(SPEC_JSON.read_text())
    # The same service, typed as the JSON has it (numbers stay numbers).
    for key in ("id", "name", "minimum_age", "phones", "schedules", "service_areas", "languages", "cost_options",
                "program", "required_documents", "funding", "contacts"):
        assert service[key] == expected[key], key
    assert service["service_at_locations"][0]["location"] == expected["service_at_locations"][0]["location"]
    assert service["phones"][0]["extension"] == 100


def test_the_spec_tabular_example_imports(database_url: str, tmp_path: Path) -> None:
    assert cli(database_url, "import", str(SPEC_TABULAR / "datapackage.json"), "--council", "bcp") == 0
    assert cli(database_url, "export", "--profile", "hsds", str(tmp_path / "out.json")) == 0
    [exported] = json.loads((tmp_path / "out.json").read_text())["contents"]
    assert exported["id"] == "ac148810-d857-441c-9679-408f346de14b"
    assert exported["phones"][0]["extension"] == 100
    assert errors("hsds", "service", exported) == []


def test_a_tabular_export_reads_back_as_the_same_directory(seeded: DirectoryRepository, tmp_path: Path) -> None:
    url = seeded.engine.url.render_as_string(hide_password=False)
    seed_database(seeded)
    before = export_oruk(seeded, "hsds")
    folder = tmp_path / "package"
    assert cli(url, "export", "--format", "tabular", "--profile", "hsds", str(folder)) == 0
    assert sorted(p.name for p in folder.iterdir()) == sorted(["datapackage.json", *(f"{t}.csv" for t in TABLES)])
    with (folder / "services.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == before["total_items"]
    assert cli(url, "import", str(folder)) == 0
    after = export_oruk(seeded, "hsds")
    assert after == before
