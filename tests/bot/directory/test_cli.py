"""``python -m bot directory ...`` as someone running it would see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.directory.cli import main

from .conftest import FIXTURES, SMALL_SEED
from .test_csv_import import ROW, write_csv


def run(database_url: str, *args: str) -> int:
    return main(["directory", "--database-url", database_url, *args])


def test_seed_search_and_stats(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(database_url, "seed", "--file", str(SMALL_SEED)) == 0
    assert "Loaded 5 services" in capsys.readouterr().err
    assert run(database_url, "search", "--council", "bcp", "--need", "walking frame") == 0
    out = capsys.readouterr().out
    assert "Pan-Dorset Community Equipment Service [pan-dorset-equipment]" in out
    assert "source: test_source_dorset para 2; last checked 2026-11-24" in out
    assert run(database_url, "stats") == 0
    assert "Services: 5 (1 national)" in capsys.readouterr().out


def test_import_reports_progress_and_a_final_count(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [{**ROW, "id": f"csv-{i}", "name": f"Synthetic test service {i}"} for i in range(2_500)]
    assert run(database_url, "import", str(write_csv(tmp_path / "many.csv", rows))) == 0
    err = capsys.readouterr().err
    assert "Imported services: 1,000" in err and "Imported services: 2,000" in err
    assert "Imported 2,500 services and 1 organisations." in err


def test_a_bad_file_changes_nothing_and_says_what_to_do(
    database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_csv(tmp_path / "bad.csv", [ROW, {**ROW, "id": "csv-2", "status": "closed"}])
    assert run(database_url, "import", str(bad)) == 1
    err = capsys.readouterr().err
    assert "row 3 (csv-2), field 'status'" in err and "nothing was imported" in err
    assert "Traceback" not in err
    run(database_url, "stats")
    assert "Services: 0" in capsys.readouterr().out


def test_validate_never_writes(database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = write_csv(tmp_path / "good.csv", [ROW])
    assert run(database_url, "validate", str(good)) == 0
    assert "OK: 1 services" in capsys.readouterr().out
    run(database_url, "stats")
    assert "Services: 0" in capsys.readouterr().out


def test_a_missing_file_is_a_message_not_a_traceback(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(database_url, "import", "/no/such/file.json") == 1
    assert "There is no file /no/such/file.json" in capsys.readouterr().err


def test_export_writes_oruk_json(database_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(database_url, "import", str(FIXTURES / "oruk_services.json"), "--council", "bcp", "--source-id", "t")
    output = tmp_path / "out.json"
    assert run(database_url, "export", str(output)) == 0
    document = json.loads(output.read_text())
    assert document["total_items"] == 2 and document["contents"][0]["name"] == "Test Befriending Service"


def test_an_unknown_need_lists_the_known_ones(database_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(database_url, "search", "--need", "spaceship") == 2
    assert "community_equipment" in capsys.readouterr().err


def test_migrate_and_an_unreachable_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(f"sqlite:///{tmp_path / 'new.db'}", "migrate") == 0
    assert (tmp_path / "new.db").exists()
    assert run("postgresql+psycopg2://nobody@127.0.0.1:1/none", "stats") == 1
    err = capsys.readouterr().err
    assert "Check DATABASE_URL" in err and "Traceback" not in err
