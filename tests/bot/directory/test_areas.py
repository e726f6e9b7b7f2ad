"""What people type about where they live, resolved to a council area."""

from __future__ import annotations

import pytest

from bot.directory.areas import council_codes, resolve_area


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("we live in Poole", "bcp"),
        ("BOURNEMOUTH", "bcp"),
        ("my mum's in Weymouth", "dorset"),
        ("Ross on Wye", "herefordshire"),
        ("Ross-on-Wye", "herefordshire"),
        ("near Aylesbury", "buckinghamshire"),
        ("Romford", "havering"),
        ("Ilford", "redbridge"),
        ("Dagenham", "barking_dagenham"),
        ("LBBD", "barking_dagenham"),
        ("Bournemouth, Christchurch & Poole", "bcp"),
    ],
)
def test_places_and_council_names_resolve_to_their_council(text: str, code: str) -> None:
    resolution = resolve_area(text)
    assert resolution.kind == "council"
    assert [c.code for c in resolution.councils] == [code]


def test_a_county_split_between_councils_is_asked_about() -> None:
    resolution = resolve_area("Dorset")
    assert resolution.kind == "ambiguous"
    assert {c.code for c in resolution.councils} == {"dorset", "bcp"}
    assert resolution.question.endswith("?")


def test_the_longest_name_wins() -> None:
    # "dorset council" is the council itself, not the ambiguous county "dorset".
    assert resolve_area("I'm in the Dorset Council area").councils[0].code == "dorset"


@pytest.mark.parametrize("text", ["London", "Milton Keynes", "we're in Scotland"])
def test_places_outside_the_covered_areas_are_recognised(text: str) -> None:
    assert resolve_area(text).kind == "outside"


def test_unknown_text_is_unknown_not_guessed() -> None:
    assert resolve_area("blah blah").kind == "unknown"


def test_every_council_from_the_seed_documents_is_covered() -> None:
    assert set(council_codes()) == {
        "bcp", "dorset", "barking_dagenham", "havering", "redbridge", "herefordshire", "buckinghamshire",
    }


@pytest.mark.parametrize(
    ("text", "kind", "codes"),
    [
        ("our postcode is RM1 3AB", "council", ("havering",)),
        ("HR1", "council", ("herefordshire",)),
        ("BH21", "ambiguous", ("bcp", "dorset")),
    ],
)
def test_postcodes_resolve_when_no_place_is_named(text: str, kind: str, codes: tuple[str, ...]) -> None:
    resolution = resolve_area(text)
    assert resolution.kind == kind
    assert {c.code for c in resolution.councils} == set(codes)
    if kind == "ambiguous":
        assert "split between councils" in resolution.question


def test_a_named_place_wins_over_a_postcode() -> None:
    assert resolve_area("Hereford, HR4 9AA").councils[0].code == "herefordshire"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("sorry, actually she lives in Romford not Poole", "havering"),
        ("not Poole, Romford", "havering"),
        ("she moved from Hereford, she's in Aylesbury now", "buckinghamshire"),
        ("Romford, instead of Poole", "havering"),
    ],
)
def test_a_place_the_user_rules_out_is_never_chosen(text: str, code: str) -> None:
    resolution = resolve_area(text)
    assert resolution.kind == "council"
    assert resolution.councils[0].code == code


@pytest.mark.parametrize("text", ["SW1A 1AA", "M1 1AE", "LS1 4AP", "my postcode is CF10 1EP"])
def test_a_full_postcode_in_a_postcode_area_we_do_not_cover_is_outside(text: str) -> None:
    assert resolve_area(text).kind == "outside"


def test_a_full_postcode_in_a_covered_postcode_area_we_cannot_place_is_still_unknown() -> None:
    # BH25 (New Milton, Hampshire) is in a BH area we cover part of: never guess "outside".
    assert resolve_area("BH25 5AA").kind == "unknown"
