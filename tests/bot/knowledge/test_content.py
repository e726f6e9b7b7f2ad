"""The shipped content: every answer sourced, dated, readable, and free of invented contacts."""

from __future__ import annotations

import re

import pytest

from bot.knowledge.loader import UK_PHONE, default_knowledge
from bot.knowledge.readability import flesch_kincaid_grade

KNOWLEDGE = default_knowledge()
ANSWERS = [(e.retrieval_intent, i, a) for e in KNOWLEDGE.entries() for i, a in enumerate(e.answers)]
FAMILY_ANSWERS = [(k, i, a) for k, i, a in ANSWERS if a.audience in ("family", "all")]
# E-mail and web addresses (the source line gives where to read more).
CONTACT = re.compile(r"https?://|www\.|@[a-z0-9-]+\.[a-z]", re.IGNORECASE)


def test_content_covers_the_issue_topics() -> None:
    pathway_guidance = {"pathways", "discharge_process", "services", "funding", "chc", "care_homes", "rights"}
    assert pathway_guidance <= set(KNOWLEDGE.topics)
    assert len([e for e in KNOWLEDGE.entries() if e.topic in pathway_guidance]) >= 30
    carers_and_equipment = [e for e in KNOWLEDGE.entries() if e.topic in ("carers", "equipment")]
    assert len(carers_and_equipment) >= 25


@pytest.mark.parametrize(("key", "index", "answer"), ANSWERS, ids=[f"{k}#{i}" for k, i, _ in ANSWERS])
def test_every_answer_has_a_source_and_a_checked_date(key: str, index: int, answer) -> None:
    assert answer.citations, key
    assert all(c.where.strip() for c in answer.citations)
    assert answer.last_checked >= "2026-01-01"


@pytest.mark.parametrize(("key", "index", "answer"), ANSWERS, ids=[f"{k}#{i}" for k, i, _ in ANSWERS])
def test_no_answer_states_a_web_address_or_a_phone_number_its_sources_do_not_give(
    key: str, index: int, answer
) -> None:
    given = {re.sub(r"\D", "", c) for cite in answer.citations for c in cite.source.contacts}
    stated = {re.sub(r"\D", "", n) for n in UK_PHONE.findall(answer.text)}
    assert stated <= given, f"{key}: phone number no cited source gives"
    assert not CONTACT.search(answer.text), f"{key}: web or e-mail address in answer"


@pytest.mark.parametrize(
    ("key", "index", "answer"), FAMILY_ANSWERS, ids=[f"{k}#{i}" for k, i, _ in FAMILY_ANSWERS]
)
def test_family_answers_are_plain_english(key: str, index: int, answer) -> None:
    # Reading age about 11 is Flesch-Kincaid grade 6; 8 is the ceiling for any one answer.
    assert flesch_kincaid_grade(answer.text) <= 8.0, key


def test_family_answers_read_at_about_age_eleven_overall() -> None:
    grades = sorted(flesch_kincaid_grade(a.text) for _, _, a in FAMILY_ANSWERS)
    assert grades[len(grades) // 2] <= 7.0


def test_national_sources_say_how_they_were_checked() -> None:
    for source in KNOWLEDGE.sources.values():
        if source.file is None:
            assert source.url and source.checked_against, source.id
