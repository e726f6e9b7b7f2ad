"""How an answer reads for each audience and area."""

from __future__ import annotations

from bot.knowledge.model import Answer, Citation, Entry, Source
from bot.knowledge.render import SEVERAL_INTRO, date_label, render_answer, render_local_answer, render_several, summary

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


def test_no_area_question_when_the_content_says_areas_do_not_differ() -> None:
    # Local notes exist, but the entry is not area_sensitive: knowing the area changes nothing
    # worth asking about, so the answer never stops to ask.
    entry = Entry(topic="carers", key="carers_allowance", title="Carer's Allowance", area_sensitive=False,
                  answers=ENTRY.answers)
    assert not render_answer(entry, "family", None).ask_for_area
    assert "In the Havering area" in render_answer(entry, "family", "havering").text  # still shown when known


TWO_SENTENCES = Entry(
    topic="services", key="reablement", title="Reablement", area_sensitive=True,
    answers=(
        _answer("family", ("national",), "Reablement is short-term help at home. Workers help the person learn again."),
        _answer("staff", ("national",), "Reablement: time-limited, goal-focused support. Usually up to 6 weeks."),
        _answer("all", ("havering",), "Havering's team visits daily.", BHR),
    ),
)


def test_several_questions_get_the_gist_of_each_with_every_source_and_no_local_text() -> None:
    text = render_several([ENTRY, TWO_SENTENCES], "family")
    assert text.startswith(SEVERAL_INTRO)
    assert "Pathway 0\nPathway 0 means going home with no new help." in text
    assert "Reablement\nReablement is short-term help at home." in text
    assert "Workers help" not in text, "only the first sentence when there is no summary"
    assert "Havering" not in text and "Better Care Fund" not in text
    assert text.endswith("Last checked 23 November 2026.") and "Source: Home First Programme" in text
    assert "Reablement\nReablement: time-limited" in render_several([TWO_SENTENCES], "staff")


def test_a_written_summary_is_used_instead_of_the_first_sentence() -> None:
    answer = Answer("all", ("national",), "Here is what happens. Nobody is sent home before the help is ready.",
                    (Citation(SEED, "p1"),), "2026-11-23", summary="Nobody is sent home before the help is ready.")
    entry = Entry(topic="discharge_process", key="what_happens", title="Leaving hospital", area_sensitive=False,
                  answers=(answer,))
    assert summary(entry, "family")[0] == "Nobody is sent home before the help is ready."
