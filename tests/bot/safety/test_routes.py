"""What a red flag route says: the right number for the group, calm plain words, the user's
council named (never a made-up contact), staff wording for staff, and sources for every fact."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.directory.areas import all_councils
from bot.knowledge.loader import default_knowledge
from bot.knowledge.readability import flesch_kincaid_grade
from bot.safety.messages import MessageError
from bot.safety.offline import offline_replies
from bot.safety.out_of_scope import (
    KINDS,
    default_out_of_scope,
    load_out_of_scope,
    out_of_scope_text,
    retrieval_responses,
)
from bot.safety.routes import (
    GENERAL,
    ROUTE_GROUPS,
    ROUTES_FILE,
    carry_on_text,
    council_label,
    default_routes,
    load_routes,
    route_text,
)

AUDIENCES = ("family", "staff")


@pytest.mark.parametrize(
    ("group", "must_say"),
    [
        ("emergency", ["999"]),
        ("urgent", ["NHS 111", "999"]),
        ("suicide_self_harm", ["Samaritans", "116 123", "999"]),
        ("safeguarding", ["safeguarding concern", "999", "101"]),
        ("missing_person", ["999", "police", "Herbert Protocol"]),
        ("carer_crisis", ["Samaritans", "116 123", "NHS 111", "GP", "carer's assessment"]),
    ],
)
def test_families_are_told_the_right_number_for_each_group(group: str, must_say: list[str]) -> None:
    text = route_text(group, "family")
    for words in must_say:
        assert words in text, (group, words)


def test_only_the_call_now_routes_stop_before_the_answer() -> None:
    book = default_routes()
    assert not book.answers_after("emergency") and not book.answers_after("missing_person")
    for group in ("urgent", "safeguarding", "suicide_self_harm", "carer_crisis"):
        assert book.answers_after(group), group
    assert not book.answers_after("general")


def test_an_unknown_stop_and_call_group_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    data["stop_and_call"] = ["emergency", "panic"]
    path = tmp_path / "routes.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(MessageError, match="stop_and_call: unknown group 'panic'"):
        load_routes(path)


def test_a_samaritans_number_is_never_given_for_a_physical_emergency() -> None:
    assert "116 123" not in route_text("emergency", "family")
    assert "116 123" not in route_text("urgent", "family")


@pytest.mark.parametrize("group", ["emergency", "urgent", "suicide_self_harm", "safeguarding", "general"])
def test_staff_are_told_to_escalate_to_the_nurse_in_charge(group: str) -> None:
    text = route_text(group, "staff")
    assert "nurse in charge" in text
    assert text != route_text(group, "family")


def test_staff_safeguarding_follows_the_trust_procedure() -> None:
    assert "follow your trust's safeguarding procedure" in route_text("safeguarding", "staff")


@pytest.mark.parametrize("council", all_councils(), ids=lambda c: c.code)
def test_safeguarding_names_the_users_council_and_no_contact_details(council) -> None:
    text = route_text("safeguarding", "family", council.code)
    assert council_label(council.code) in text
    assert "adult social care team" in text and "safeguarding concern" in text
    assert "If anyone is in danger now, or a crime is happening, call 999" in text
    # Only the national numbers (999, police 101): no council number, web address or email is invented.
    assert set(default_routes().message("safeguarding", "family").phone_numbers()) <= {"999", "101"}
    assert "www" not in text and "http" not in text and "@" not in text and ".gov" not in text


def test_council_names_read_naturally() -> None:
    assert council_label("bcp") == "BCP Council"
    assert council_label("herefordshire") == "Herefordshire Council"
    assert council_label("havering") == "the London Borough of Havering"
    assert council_label(None) is None and council_label("atlantis") is None


def test_without_an_area_safeguarding_says_the_council_where_the_person_lives() -> None:
    text = route_text("safeguarding", "family", None)
    assert "the council where the person lives" in text
    assert "{" not in text


def test_an_unknown_group_or_audience_still_gets_a_safe_message() -> None:
    assert "999" in route_text("something_new", "family")
    assert route_text("emergency", "visitor") == route_text("emergency", "family")


@pytest.mark.parametrize("group", ROUTE_GROUPS)
def test_family_routes_are_plain_english(group: str) -> None:
    # The content guide's ceiling for any family answer is Flesch-Kincaid grade 8.
    assert flesch_kincaid_grade(route_text(group, "family", "dorset")) <= 8.0


@pytest.mark.parametrize("group", ROUTE_GROUPS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_route_cites_sources_that_exist_and_was_checked(group: str, audience: str) -> None:
    message = default_routes().message(group, audience)
    sources = default_knowledge().sources
    assert message.citations
    assert all(c.source.id in sources and c.where for c in message.citations)
    assert message.last_checked in {"2026-11-24", "2026-12-07"}  # the two reviews of this data


def test_every_phone_number_said_is_registered_with_a_source_that_states_it() -> None:
    book = default_routes()
    said = {n for m in book.messages.values() for n in m.phone_numbers()}
    assert said == {"999", "111", "116 123", "101"}
    assert book.numbers["116 123"] == ("nat_samaritans_contact", "nat_samaritans_open_24_hours")
    for source_ids in book.numbers.values():
        assert all(default_knowledge().sources[s].url for s in source_ids)


def test_an_invented_number_or_missing_source_is_rejected(tmp_path: Path) -> None:
    data = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    data["routes"]["urgent"]["family"]["text"] += " Or ring the council on 0300 123 4567."
    data["routes"]["emergency"]["staff"]["sources"] = [{"id": "no_such_source", "where": "x"}]
    del data["routes"]["suicide_self_harm"]["staff"]
    broken = tmp_path / "routes.yml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(MessageError) as error:
        load_routes(broken)
    problems = "\n".join(error.value.problems)
    assert "0300 123 4567 is not registered" in problems
    assert "unknown source id 'no_such_source'" in problems
    assert "routes.suicide_self_harm.staff" in problems


def test_a_number_must_be_cited_where_it_is_said(tmp_path: Path) -> None:
    data = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    data["routes"]["safeguarding"]["staff"]["sources"] = [
        {"id": "nat_ncvo_safeguarding_duties", "where": "s42"}
    ]
    broken = tmp_path / "routes.yml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(MessageError, match="says 999 but cites none of"):
        load_routes(broken)


def test_the_offer_to_carry_on_is_for_the_audience() -> None:
    assert "leaving hospital" in carry_on_text("family")
    assert "discharge questions" in carry_on_text("staff")


# --- out of scope


@pytest.mark.parametrize(
    ("kind", "must_say"),
    [
        ("medical_advice", ["can't give medical advice", "NHS 111", "999"]),
        ("legal_advice", ["can't give legal advice", "Citizens Advice", "solicitor"]),
        ("benefits_calculation", ["can't work out benefits", "Turn2us", "who pays for care"]),
        ("other_nations", ["only cover England", "Scotland, Wales and Northern Ireland"]),
        ("unrelated", ["can't help with that", "999"]),
    ],
)
def test_out_of_scope_says_what_it_cannot_do_and_where_to_go(kind: str, must_say: list[str]) -> None:
    text = out_of_scope_text(kind, "family")
    for words in must_say:
        assert words in text


def test_out_of_scope_for_staff_does_not_send_them_to_nhs_111() -> None:
    text = out_of_scope_text("medical_advice", "staff")
    assert "clinical team" in text and "111" not in text


def test_unknown_out_of_scope_kind_gets_the_general_reply() -> None:
    assert out_of_scope_text(None, "family") == out_of_scope_text("unrelated", "family")
    assert out_of_scope_text("astrology", "staff") == out_of_scope_text("unrelated", "staff")


@pytest.mark.parametrize("kind", KINDS)
def test_out_of_scope_replies_are_plain_and_sourced(kind: str) -> None:
    book = default_out_of_scope()
    message = book.message(kind, "family")
    assert flesch_kincaid_grade(message.text) <= 8.0
    assert message.citations or not message.phone_numbers()
    assert book.titles[kind] != kind


def test_out_of_scope_data_is_checked_like_routes(tmp_path: Path) -> None:
    path = tmp_path / "out_of_scope.yml"
    data = yaml.safe_load((Path(__file__).parents[3] / "bot/safety/out_of_scope.yml").read_text())
    data["kinds"]["legal_advice"]["all"]["text"] += " Call 0800 000 000."
    data["kinds"]["horoscopes"] = data["kinds"]["unrelated"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(MessageError) as error:
        load_out_of_scope(path)
    assert any("0800 000 000" in p for p in error.value.problems)
    assert any("horoscopes" in p for p in error.value.problems)


def test_out_of_scope_training_responses_cover_every_kind() -> None:
    responses = retrieval_responses()
    assert set(responses) == {f"utter_out_of_scope/{kind}" for kind in KINDS}
    assert responses["utter_out_of_scope/legal_advice"] == [{"text": "Legal advice"}]


# --- gateway fallback while Rasa is down


def test_offline_a_red_flag_still_gets_its_route() -> None:
    assert offline_replies("HELP my dad cant breathe") == [{"text": route_text("emergency", "family")}]
    assert offline_replies("the carer hit her", audience="staff") == [{"text": route_text("safeguarding", "staff")}]


def test_offline_an_ordinary_question_adds_nothing() -> None:
    assert offline_replies("who pays for care") == []


def test_offline_a_detection_failure_gives_the_general_safety_route_not_silence(monkeypatch, caplog) -> None:
    import bot.safety.offline as offline

    class Broken:
        def detect(self, text: str) -> None:
            raise RuntimeError("pipeline missing")

    monkeypatch.setattr(offline, "default_detector", lambda: Broken())
    assert offline.offline_replies("my chest pain is back") == [{"text": route_text(GENERAL, "family")}]
    assert "detection failed" in caplog.text and "chest pain" not in caplog.text
