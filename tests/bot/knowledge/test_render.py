"""How an answer reads for each audience and area."""

from __future__ import annotations

from bot.knowledge.model import Answer, Citation, Entry, Source
from bot.knowledge.render import date_label, render_answer, render_local_answer

SEED = Source(id="s", title="Home First Programme", publisher="BCP Council", date="2021-01-18", file="x.txt")
BHR = Source(id="b", title="Better Care Fund update", publisher="LBBD", date="2017-09-06", file="y.txt")


def _answer(audience: str, areas: tuple[str, ...], text: str, source: Source = SEED) -> Answer:
    return Answer(audience, areas, text, (Citation(source, "para 15"),), "2026-11-23")


ENTRY = Entry(
    topic="pathways",
    key="pathway_0",
    title="Pathway 0",
    area_sensitive=True,
    answers=(
        _answer("family", ("national",), "Pathway 0 means going home with no new help."),
        _answer("staff", ("national",), "P0: simple discharge."),
        _answer("all", ("barking_dagenham", "havering"), "In 2017 the local plan defined Pathway 0 by risk.", BHR),
    ),
)


def test_family_see_the_national_answer_and_are_asked_their_area() -> None:
    rendered = render_answer(ENTRY, "family", None)
    assert rendered.text.startswith("Pathway 0 means going home")
    assert "P0: simple" not in rendered.text
    assert "Source: Home First Programme, BCP Council, 18 January 2021. Last checked 23 November 2026." in rendered.text
    assert rendered.ask_for_area


def test_the_local_version_follows_the_national_one_with_both_sources() -> None:
    rendered = render_answer(ENTRY, "staff", "havering")
    assert rendered.text.index("P0: simple") < rendered.text.index("In the Havering area: In 2017")
    assert "Better Care Fund update, LBBD, 6 September 2017 (para 15)" in rendered.text
    assert not rendered.ask_for_area


def test_an_area_with_nothing_local_is_told_so_plainly() -> None:
    rendered = render_answer(ENTRY, "family", "herefordshire")
    assert "I don't hold anything specific to the Herefordshire Council area on this" in rendered.text


def test_only_the_local_part_after_the_user_gives_their_area() -> None:
    local = render_local_answer(ENTRY, "family", "barking_dagenham")
    assert local.startswith("In the Barking and Dagenham area:")
    assert "going home with no new help" not in local


def test_dates_read_naturally() -> None:
    assert date_label("2023-09") == "September 2023"
    assert date_label("2015-02-18") == "18 February 2015"


AIM = Answer(
    "all", ("bcp",), "BCP's 2021 report aimed to help carers reach their potential in work.",
    (Citation(SEED, "para 20"),), "2026-11-23", actionable=False,
)
WORKING_CARERS = Entry(
    topic="carers",
    key="working_carers",
    title="Working and caring",
    area_sensitive=True,
    answers=(_answer("family", ("national",), "You have a right to carer's leave from work."), AIM),
)


def test_a_local_aim_is_not_presented_as_the_answer_the_national_one_stands() -> None:
    rendered = render_answer(WORKING_CARERS, "family", "bcp")
    assert rendered.text.startswith("You have a right to carer's leave")
    assert "aimed to help carers" not in rendered.text
    assert "I don't hold anything specific to the BCP Council area" in rendered.text


def test_no_area_question_when_no_area_has_an_answer_worth_showing() -> None:
    assert not render_answer(WORKING_CARERS, "family", None).ask_for_area


def test_after_the_area_is_given_an_aim_is_not_shown_either() -> None:
    local = render_local_answer(WORKING_CARERS, "family", "bcp")
    assert local is not None and "aimed to help carers" not in local
