"""Broken content is reported fully, with where each problem is, and never half-loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import ContentError, load_knowledge

SOURCES = """
sources:
  - id: doc
    title: A report
    publisher: A council
    date: "2021-01-18"
    file: doc.txt
"""


def _write(root: Path, content: str) -> Path:
    (root / "sources").mkdir()
    (root / "content").mkdir()
    (root / "sources" / "s.yml").write_text(SOURCES)
    (root / "content" / "pathways.yml").write_text(content)
    return root


def test_a_valid_topic_loads(tmp_path: Path) -> None:
    root = _write(tmp_path, """
topic: pathways
title: Pathways
entries:
  - key: pathway_1
    title: Pathway 1
    answers:
      - audience: all
        areas: [national]
        text: Support at home.
        sources: [{id: doc, where: "para 15"}]
        last_checked: "2026-11-23"
""")
    knowledge = load_knowledge(root)
    entry = knowledge.entry("pathways/pathway_1")
    assert entry is not None and entry.answers[0].citations[0].source.title == "A report"


def test_every_problem_is_reported_with_its_place(tmp_path: Path) -> None:
    root = _write(tmp_path, """
topic: pathways
entries:
  - key: pathway_1
    title: Pathway 1
    answers:
      - audience: everyone
        areas: [narnia]
        text: ""
        sources: [{id: missing, where: "p1"}]
        last_checked: yesterday
""")
    with pytest.raises(ContentError) as raised:
        load_knowledge(root)
    problems = "\n".join(raised.value.problems)
    for expected in ("audience must be", "areas ['narnia']", "empty text", "last_checked", "unknown source id"):
        assert expected in problems
    assert "pathways.yml: pathways/pathway_1" in problems


def test_a_topic_must_answer_both_audiences_nationally(tmp_path: Path) -> None:
    root = _write(tmp_path, """
topic: pathways
entries:
  - key: pathway_1
    title: Pathway 1
    answers:
      - audience: staff
        areas: [national]
        text: P1 = support at home.
        sources: [{id: doc, where: "para 15"}]
        last_checked: "2026-11-23"
""")
    with pytest.raises(ContentError, match="no national answer for the family audience"):
        load_knowledge(root)


def _one_answer(text: str, extra: str = "") -> str:
    return f"""
topic: pathways
title: Pathways
entries:
  - key: pathway_1
    title: Pathway 1
    answers:
      - audience: all
        areas: [national]
        text: "{text}"
        sources: [{{id: doc, where: "para 15"}}]
        last_checked: "2026-11-23"
{extra}"""


def test_a_phone_number_no_cited_source_gives_is_refused(tmp_path: Path) -> None:
    root = _write(tmp_path, _one_answer("Ring the helpline on 0808 808 7777."))
    with pytest.raises(ContentError) as error:
        load_knowledge(root)
    assert any("phone number '0808 808 7777'" in p for p in error.value.problems)


def test_a_phone_number_the_cited_source_gives_is_allowed(tmp_path: Path) -> None:
    root = _write(tmp_path, _one_answer("Ring the helpline on 0808 808 7777."))
    (root / "sources" / "s.yml").write_text(SOURCES + '    contacts: ["0808 808 7777"]\n')
    assert load_knowledge(root).entry("pathways/pathway_1") is not None


def test_only_a_local_answer_can_be_marked_as_not_actionable(tmp_path: Path) -> None:
    root = _write(tmp_path, _one_answer("Support at home.").replace(
        "last_checked", "actionable: false\n        last_checked"))
    with pytest.raises(ContentError) as error:
        load_knowledge(root)
    assert any("only a local answer can be false" in p for p in error.value.problems)


def test_a_summary_must_be_words_of_its_answer(tmp_path: Path) -> None:
    # The summary stands in for the answer in a reply covering several questions, under the same
    # sources: words that are not in the answer would be facts with no source.
    root = _write(tmp_path, """
topic: pathways
title: Pathways
entries:
  - key: pathway_1
    title: Pathway 1
    answers:
      - audience: all
        areas: [national]
        text: >-
          Pathway 1 is going home.
          Care workers may visit.
        summary: "Care workers may visit."
        sources: [{id: doc, where: "para 15"}]
        last_checked: "2026-11-23"
  - key: pathway_2
    title: Pathway 2
    answers:
      - audience: all
        areas: [national]
        text: Pathway 2 is a short stay in a bed.
        summary: "Pathway 2 is free for 6 weeks."
        sources: [{id: doc, where: "para 16"}]
        last_checked: "2026-11-23"
""")
    with pytest.raises(ContentError) as error:
        load_knowledge(root)
    assert "pathways.yml: pathways/pathway_2 answer 1: summary must be sentences copied from the answer's text" in (
        error.value.problems
    )
    assert not [p for p in error.value.problems if "pathway_1" in p], "a summary copied from its answer is fine"
