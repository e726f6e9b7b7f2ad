"""Importing services from a CSV file (layout in docs/directory.md)."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.directory.importers.csv_import import COLUMNS, read_csv
from bot.directory.importers.validation import validate_batch
from bot.directory.repository import DirectoryRepository

ROW = {
    "id": "csv-1",
    "name": "CSV Handyperson Scheme",
    "organization_id": "csv-org",
    "organization_name": "CSV Test Org",
    "description": "Small repairs and fitting grab rails.",
    "councils": "havering",
    "scope": "local",
    "categories": "handyperson; falls",
    "pathways": "0;1",
    "status": "pilot",
    "source_id": "test_csv_source",
    "source_where": "table 2",
    "last_checked": "2026-11-24",
}


def write_csv(path: Path, rows: list[dict[str, str]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_csv_row_becomes_a_searchable_service(repository: DirectoryRepository, tmp_path: Path) -> None:
    batch = read_csv(write_csv(tmp_path / "s.csv", [ROW]))
    assert validate_batch(batch) == []
    repository.store(batch)
    view = repository.get("csv-1")
    assert view is not None
    assert (view.status, view.councils, view.pathways) == ("pilot", ("havering",), (0, 1))
    assert view.organization == "CSV Test Org"
    assert view.categories == ("handyperson", "falls")
    assert [v.id for v in repository.search(council="havering", need="falls").results] == ["csv-1"]


def test_problems_name_the_row_and_the_field(tmp_path: Path) -> None:
    bad = {**ROW, "id": "csv-2", "pathways": "1;four", "categories": "gardening", "last_checked": "yesterday"}
    problems = validate_batch(read_csv(write_csv(tmp_path / "s.csv", [ROW, bad])))
    assert {(p.where, p.field) for p in problems} == {
        ("row 3 (csv-2)", "pathways"),
        ("row 3 (csv-2)", "categories"),
        ("row 3 (csv-2)", "last_checked"),
    }


def test_a_header_without_required_columns_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", [{"id": "x", "name": "y"}], columns=("id", "name", "colour"))
    problems = read_csv(path).problems
    assert [p.where for p in problems] == ["row 1 (header)", "row 1 (header)"]
    assert "scope" in problems[0].message and "colour" in problems[1].message
