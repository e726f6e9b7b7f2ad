"""Loading the seed services file: tolerant of a file still being written, strict about bad data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.directory.importers.validation import validate_batch
from bot.directory.repository import DirectoryRepository
from bot.directory.seed import SEED_FILE, read_seed, seed_database

from .conftest import SMALL_SEED

GOOD_SERVICE = """
  - id: {id}
    name: "{name}"
    councils: [bcp]
    scope: local
    status: live
    source: {{id: test_source, where: "para 1"}}
    last_checked: "2026-11-24"
"""


def test_an_absent_seed_file_loads_nothing(repository: DirectoryRepository, tmp_path: Path) -> None:
    result = seed_database(repository, tmp_path / "nothing-here.yml")
    assert result.missing and result.stored == 0
    assert repository.stats().services == 0


def test_a_partly_written_file_loads_what_it_has(repository: DirectoryRepository, tmp_path: Path) -> None:
    path = tmp_path / "seed.yml"
    path.write_text("services:" + GOOD_SERVICE.format(id="a", name="Service A"), encoding="utf-8")
    result = seed_database(repository, path)
    assert (result.stored, result.problems) == (1, [])
    assert repository.get("a") is not None


def test_every_problem_is_reported_with_where_and_field(repository: DirectoryRepository, tmp_path: Path) -> None:
    path = tmp_path / "seed.yml"
    bad = GOOD_SERVICE.format(id="b", name="Service B").replace("status: live", "status: open")
    bad = bad.replace("councils: [bcp]", "councils: [bcp, atlantis]").replace('"2026-11-24"', '"2099-01-01"')
    path.write_text("services:" + GOOD_SERVICE.format(id="a", name="Service A") + bad, encoding="utf-8")
    result = seed_database(repository, path)
    found = {(p.where, p.field) for p in result.problems}
    assert found == {("services[1] (b)", field) for field in ("status", "councils", "last_checked")}
    assert result.stored == 0 and repository.stats().services == 0  # strict: nothing written
    assert any("'atlantis' is not a council code" in str(p) for p in result.problems)


def test_skip_invalid_loads_the_good_services(repository: DirectoryRepository, tmp_path: Path) -> None:
    path = tmp_path / "seed.yml"
    bad = GOOD_SERVICE.format(id="b", name="Service B").replace("scope: local", "scope: galactic")
    path.write_text("services:" + GOOD_SERVICE.format(id="a", name="Service A") + bad, encoding="utf-8")
    result = seed_database(repository, path, strict=False)
    assert result.stored == 1 and len(result.problems) == 1
    assert repository.get("a") is not None and repository.get("b") is None


def test_a_service_named_like_an_excluded_board_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.yml"
    path.write_text(
        "services:"
        + GOOD_SERVICE.format(id="hwb", name="Health and  Wellbeing Board")
        + "excluded:\n  - name: Health and Wellbeing Board\n    reason: governance board\n",
        encoding="utf-8",
    )
    problems = validate_batch(read_seed(path))
    assert [(p.field, "excluded list" in p.message) for p in problems] == [("name", True)]


def test_broken_yaml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "seed.yml"
    path.write_text("services:\n  - id: a\n    name: [unclosed\n", encoding="utf-8")
    problems = read_seed(path).problems
    assert len(problems) == 1 and "line" in problems[0].where


def test_the_fixture_seed_is_valid() -> None:
    assert validate_batch(read_seed(SMALL_SEED)) == []


def test_the_real_seed_file_is_valid_when_present() -> None:
    if not SEED_FILE.exists():
        pytest.skip("bot/directory/data/seed_services.yml is not written yet")
    problems = validate_batch(read_seed(SEED_FILE))
    assert problems == [], "\n".join(str(p) for p in problems)
