"""Searching the directory: ranking for the user's council, filters, paging and full text."""

from __future__ import annotations

from datetime import date

from bot.directory.present import services_found
from bot.directory.records import Batch, ServiceRecord
from bot.directory.repository import DirectoryRepository


def ids(page) -> list[str]:
    return [view.id for view in page.results]


def test_a_councils_own_services_come_first_then_county_wide_then_national(seeded: DirectoryRepository) -> None:
    assert ids(seeded.search(council="bcp")) == ["bcp-reablement", "pan-dorset-equipment", "national-carers-line"]


def test_services_for_other_councils_are_left_out(seeded: DirectoryRepository) -> None:
    found = ids(seeded.search(council="dorset"))
    assert "bcp-reablement" not in found
    assert found[-1] == "national-carers-line"


def test_ended_services_are_left_out_unless_asked_for(seeded: DirectoryRepository) -> None:
    assert "dorset-old-pilot" not in ids(seeded.search(council="dorset"))
    assert ids(seeded.search(council="dorset", need="discharge_support", statuses=("ended",))) == ["dorset-old-pilot"]


def test_planned_services_are_found_with_their_status(seeded: DirectoryRepository) -> None:
    page = seeded.search(need="care_homes")
    assert [(v.id, v.status) for v in page.results] == [("dorset-care-homes", "planned")]


def test_need_and_pathway_filters(seeded: DirectoryRepository) -> None:
    assert ids(seeded.search(need="community_equipment", council="bcp")) == ["pan-dorset-equipment"]
    assert ids(seeded.search(pathway=2)) == ["pan-dorset-equipment"]
    assert ids(seeded.search(pathway=3)) == ["dorset-care-homes"]


def test_full_text_finds_word_forms_and_need_synonyms(seeded: DirectoryRepository) -> None:
    assert ids(seeded.search(text="walking frame")) == ["pan-dorset-equipment"]  # description says "frames"
    assert ids(seeded.search(text="wheelchair")) == ["pan-dorset-equipment"]  # a synonym of its category
    assert ids(seeded.search(text="help for unpaid carers")) == ["national-carers-line"]
    assert seeded.search(text="submarine").total == 0


def test_results_are_paged_with_a_total(seeded: DirectoryRepository) -> None:
    first = seeded.search(council="bcp", page=1, page_size=2)
    second = seeded.search(council="bcp", page=2, page_size=2)
    assert (first.total, first.pages) == (3, 2)
    assert ids(first) + ids(second) == ["bcp-reablement", "pan-dorset-equipment", "national-carers-line"]


def test_details_carry_source_and_last_checked(seeded: DirectoryRepository) -> None:
    view = seeded.get("bcp-reablement")
    assert view is not None
    assert (view.source_id, view.source_where, view.last_checked) == ("test_source_bcp", "para 1", date(2026, 11, 24))
    assert view.hours == ("8am to 8pm, 7 days",)
    assert view.organization == "Test BCP Council"
    assert view.categories == ("reablement", "discharge_support")
    assert seeded.get("no-such-service") is None


def test_governance_boards_never_appear_even_if_stored_as_a_service(seeded: DirectoryRepository) -> None:
    # Validation stops this in every importer; the search guards against it as well.
    board = ServiceRecord(
        hsds={"id": "hwb", "name": "Health and Wellbeing Board", "description": "carers"},
        councils=("bcp",),
        scope="local",
        categories=("carers_support",),
        source_id="x",
        last_checked=date(2026, 11, 24),
    )
    seeded.store(Batch(services=[board]))
    assert "hwb" not in ids(seeded.search(council="bcp", page_size=100))
    assert "hwb" not in ids(seeded.search(text="carers", page_size=100))


def test_storing_again_replaces_a_service_and_its_search_text(seeded: DirectoryRepository) -> None:
    record = ServiceRecord(
        hsds={"id": "bcp-reablement", "name": "BCP Home First", "description": "Renamed service."},
        organization_id="test-bcp-council",
        councils=("bcp",),
        scope="local",
        categories=("reablement",),
        pathways=(1,),
        source_id="test_source_bcp",
        last_checked=date(2026, 11, 24),
    )
    seeded.store(Batch(services=[record]))
    seeded.store(Batch(services=[record]))
    assert seeded.stats().services == 5
    assert ids(seeded.search(text="home first")) == ["bcp-reablement"]
    assert seeded.search(text="back on your feet after hospital").total == 0
    view = seeded.get("bcp-reablement")
    assert view is not None and view.categories == ("reablement",) and view.hours == ()


def test_stats_count_services_by_status_council_and_need(seeded: DirectoryRepository) -> None:
    stats = seeded.stats()
    assert (stats.services, stats.organizations, stats.excluded, stats.national) == (5, 3, 2, 1)
    assert stats.by_status == {"live": 3, "ended": 1, "planned": 1}
    assert stats.by_council == {"bcp": 2, "dorset": 3}
    assert stats.by_category["discharge_support"] == 2


def _kettle_service(service_id: str, name: str, councils: tuple[str, ...], scope: str) -> ServiceRecord:
    return ServiceRecord(
        hsds={"id": service_id, "name": name, "description": "Lends kettles after a hospital stay."},
        councils=councils,
        scope=scope,
        categories=("community_equipment",),
        pathways=(1,),
        source_id="x",
        last_checked=date(2026, 11, 24),
    )


KETTLE_SERVICES = [
    _kettle_service("k-national", "A national kettle loan", (), "national"),
    _kettle_service("k-county", "B county kettle loan", ("bcp", "dorset"), "county"),
    _kettle_service("k-local-z", "Z local kettle loan", ("bcp",), "local"),
    _kettle_service("k-local-y", "Y local kettle loan", ("bcp",), "local"),
    _kettle_service("k-local-x", "X local kettle loan", ("bcp",), "local"),
    _kettle_service("k-elsewhere", "C kettle loan in Havering", ("havering",), "local"),
]


def test_a_word_search_ranks_local_then_county_then_national_by_name(seeded: DirectoryRepository) -> None:
    seeded.store(Batch(services=KETTLE_SERVICES))
    page = seeded.search(text="kettles", council="bcp")
    assert ids(page) == ["k-local-x", "k-local-y", "k-local-z", "k-county", "k-national"]
    assert (page.total, page.more) == (5, False)


def test_words_apply_together_with_need_pathway_and_status(seeded: DirectoryRepository) -> None:
    seeded.store(Batch(services=KETTLE_SERVICES))
    assert ids(seeded.search(text="kettle", council="havering", need="community_equipment", pathway=1)) == [
        "k-elsewhere",
        "k-national",
    ]
    assert seeded.search(text="kettle", council="havering", need="care_homes").total == 0
    assert seeded.search(text="kettle", council="havering", pathway=3).total == 0
    assert seeded.search(text="kettle", statuses=("ended",)).total == 0
    # Filter words live in the index beside the text, but typing one is not a match.
    assert seeded.search(text="qxcbcp").total == 0


def test_a_very_broad_word_search_says_there_are_more_and_still_puts_local_first(
    seeded: DirectoryRepository, monkeypatch
) -> None:
    monkeypatch.setattr("bot.directory.repository.WORD_SEARCH_LIMIT", 2)
    seeded.store(Batch(services=KETTLE_SERVICES))
    page = seeded.search(text="kettle", council="bcp")
    assert page.more
    found = ids(page)
    # At most two per tier are ranked, but every local one shown comes before the rest.
    assert found[:2] == sorted(found[:2]) and set(found[:2]) <= {"k-local-x", "k-local-y", "k-local-z"}
    assert found[2:] == ["k-county", "k-national"]
    assert services_found(page) == f"{page.total} or more services"
    assert services_found(seeded.search(text="kettle", council="havering")) == "2 services"


def test_a_word_search_reads_later_tiers_only_when_the_page_needs_them(seeded: DirectoryRepository) -> None:
    seeded.store(Batch(services=KETTLE_SERVICES))
    first = seeded.search(text="kettle", council="bcp", page_size=2)
    # Three local services fill the page and show there is a next one: county and national are not read yet.
    assert (ids(first), first.total, first.more) == (["k-local-x", "k-local-y"], 3, True)
    assert services_found(first) == "3 or more services"
    second = seeded.search(text="kettle", council="bcp", page=2, page_size=2)
    assert ids(second) == ["k-local-z", "k-county"]
    last = seeded.search(text="kettle", council="bcp", page=3, page_size=2)
    assert (ids(last), last.total, last.more) == (["k-national"], 5, False)
