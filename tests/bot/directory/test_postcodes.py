"""Postcodes to council areas: the cautious outward-code table and the ONS Postcode Directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.directory.areas import council_codes
from bot.directory.postcodes import (
    AMBIGUOUS_OUTWARD_CODES,
    COUNCIL_FOR_DISTRICT,
    SINGLE_COUNCIL_OUTWARD_CODES,
    PostcodeImportError,
    import_onspd,
    normalise_postcode,
    resolve_postcode,
)
from bot.directory.repository import DirectoryRepository


@pytest.mark.parametrize(
    ("text", "council"),
    [("BH1 1AA", "bcp"), ("my postcode is bh151aa", "bcp"), ("DT1", "dorset"), ("RM1 3AB", "havering"),
     ("IG1", "redbridge"), ("IG11 7AB", "barking_dagenham"), ("HR1 2AB", "herefordshire"), ("HP20", "buckinghamshire")],
)
def test_outward_codes_inside_one_council(text: str, council: str) -> None:
    resolution = resolve_postcode(text)
    assert (resolution.kind, resolution.councils) == ("council", (council,))


@pytest.mark.parametrize("text", ["BH21 1AA", "BH22", "BH16 6AA", "RM7 0AB", "HR3 5AA", "SL7"])
def test_outward_codes_that_cross_a_council_boundary_are_ambiguous(text: str) -> None:
    assert resolve_postcode(text).kind == "ambiguous"


def test_bh21_may_be_dorset_or_bcp() -> None:
    assert set(resolve_postcode("BH21").councils) == {"dorset", "bcp"}


@pytest.mark.parametrize("text", ["", "no postcode here", "M1", "BH25 5AA"])
def test_postcodes_we_know_nothing_about_are_unknown(text: str) -> None:
    assert resolve_postcode(text).kind == "unknown"


def test_the_tables_use_our_council_codes_and_never_list_a_code_twice() -> None:
    ours = set(council_codes())
    assert set(SINGLE_COUNCIL_OUTWARD_CODES.values()) <= ours
    assert {c for codes in AMBIGUOUS_OUTWARD_CODES.values() for c in codes} <= ours
    assert set(COUNCIL_FOR_DISTRICT.values()) == ours
    assert not set(SINGLE_COUNCIL_OUTWARD_CODES) & set(AMBIGUOUS_OUTWARD_CODES)


def test_normalise_postcode() -> None:
    assert normalise_postcode(" bh23  1aa ") == "BH23 1AA"
    assert normalise_postcode("BH231AA") == "BH23 1AA"
    assert normalise_postcode("BH23") is None


def onspd_file(path: Path, district_column: str = "lad23cd") -> Path:
    # Made-up postcodes in real outward codes, for tests only.
    path.write_text(
        f"pcd,pcds,doterm,{district_column}\n"
        "BH211AA,BH21 1AA,,E06000059\n"
        "BH211AB,BH21 1AB,,E06000058\n"
        "BH211AC,BH21 1AC,201001,E06000059\n"
        "SW1A1AA,SW1A 1AA,,E09000033\n",
        encoding="utf-8",
    )
    return path


def test_a_full_postcode_in_the_ons_directory_is_exact(repository: DirectoryRepository, tmp_path: Path) -> None:
    stored = import_onspd(onspd_file(tmp_path / "onspd.csv"), repository.engine)
    assert stored == 3  # the terminated postcode is left out
    with Session(repository.engine) as session:
        assert resolve_postcode("bh21 1aa", session).councils == ("dorset",)
        assert resolve_postcode("BH21 1AB", session).councils == ("bcp",)
        outside = resolve_postcode("SW1A 1AA", session)
        assert (outside.kind, outside.district) == ("outside", "E09000033")
        assert resolve_postcode("BH21 1AC", session).kind == "ambiguous"  # not in the table: outward code
    assert import_onspd(onspd_file(tmp_path / "onspd.csv"), repository.engine) == 3  # re-import replaces


def test_onspd_columns_can_be_named(repository: DirectoryRepository, tmp_path: Path) -> None:
    path = onspd_file(tmp_path / "onspd.csv", district_column="my_district")
    with pytest.raises(PostcodeImportError, match="district column"):
        import_onspd(path, repository.engine)
    assert import_onspd(path, repository.engine, district_column="my_district") == 3
