"""The red-flag evaluation: how it scores, and the figures it must not fall below.

The kept-aside set is held out (never used to write rules or examples). The two real sets were
held out until round three, when their misses were read to find the concepts the rules lacked:
they are development sets now, and their floors guard against losing what was gained. The floors
below are the figures measured when each round was finished, so a change that loses recall or
adds false alarms on real wording fails here. The dev set is our own wording the rules were tuned on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety.evaluation import SETS, Case, answer_set_cases, evaluate, load_cases
from bot.safety.groups import CATEGORIES
from bot.safety.red_flags import RedFlagDetector, default_detector


def _route_group(detector: RedFlagDetector):
    def group(text: str) -> str | None:
        flag = detector.detect(text)
        return flag.group if flag else None

    return group


def test_a_case_is_right_for_its_group_or_an_also_ok_group_and_none_means_no_route() -> None:
    money = Case("cash keeps vanishing", "safeguarding_financial", also_ok=("urgent",))
    assert money.accepts("safeguarding") and money.accepts("urgent")
    assert not money.accepts("emergency") and not money.accepts(None)
    question = Case("what is a carer's assessment", "none", kind="ordinary")
    assert question.accepts(None) and not question.accepts("carer_crisis")


def test_the_report_gives_recall_per_category_and_lists_every_miss() -> None:
    cases = [
        Case("a", "emergency"),
        Case("b", "emergency"),
        Case("c", "none", kind="past_event"),
        Case("d", "none", kind="past_event"),
    ]
    routes = {"a": "emergency", "b": None, "c": "emergency", "d": None}
    report = evaluate(cases, routes.get)
    assert report.recall("emergency") == 0.5
    assert report.false_alarms() == (1, 2)
    assert [case.text for case, _ in report.misses] == ["b", "c"]
    assert any("false-alarm rate 1/2" in line for line in report.lines())


def test_an_unknown_category_or_group_in_a_set_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "set.yml"
    path.write_text('messages:\n  - {text: "x", category: "panic"}\n', encoding="utf-8")
    with pytest.raises(KeyError):
        load_cases(path)
    path.write_text('messages:\n  - {text: "x", category: "urgent", also_ok: [panic]}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="unknown also_ok"):
        load_cases(path)


@pytest.mark.parametrize("name", sorted(SETS))
def test_every_evaluation_message_has_a_known_category_and_real_ones_a_source(name: str) -> None:
    import yaml

    raw = yaml.safe_load(SETS[name].read_text(encoding="utf-8"))["messages"]
    assert all(m["category"] in CATEGORIES or m["category"] == "none" for m in raw)
    if name != "dev":
        assert all(str(m.get("source", "")).startswith("http") for m in raw), "real wording needs its source"


# Real wording: the kept-aside sets, the third real set and the negatives are held out; the first
# two real sets were read for concepts in round three, but their words are never copied into the
# dev set or the classifier's examples.
REAL_WORDING = ("real", "real_2", "kept_aside", "real_3", "kept_aside_2", "negatives", "negatives_kept_aside")


def test_the_real_sets_share_no_message_with_the_dev_set_or_the_classifier_examples() -> None:
    from bot.safety.classifier import load_examples

    held_out = {c.text.lower() for name in REAL_WORDING for c in load_cases(SETS[name])}
    tuned = {c.text.lower() for c in load_cases(SETS["dev"])} | {t.lower() for t in load_examples().texts}
    assert not held_out & tuned


# Floors: (category -> least recall) and the most false alarms, as measured at the end of each
# round (round three for the two real sets, which it used as development sets).
REAL_FLOORS = {category: 1.0 for category in CATEGORIES}
REAL_2_FLOORS = {category: 1.0 for category in CATEGORIES} | {"safeguarding_neglect": 27 / 28}
KEPT_ASIDE_FLOORS = {"carer_crisis": 0.8, "missing_person": 1.0, "safeguarding_physical": 1.0, "suicide_self_harm": 1.0}
# Held out from all tuning (collected before round three, measured at its start and end): these
# floors only stop a change from making wording nobody tuned on worse; they are far from the goals.
REAL_3_FLOORS = {
    "emergency": 40 / 47,
    "urgent": 20 / 27,
    "suicide_self_harm": 24 / 44,
    "carer_crisis": 14 / 29,
    "safeguarding_physical": 18 / 27,
    "safeguarding_financial": 10 / 32,
    "safeguarding_neglect": 12 / 30,
    "missing_person": 16 / 28,
}


@pytest.mark.parametrize(
    ("name", "floors", "most_false_alarms"),
    [
        ("real", REAL_FLOORS, 1),
        ("real_2", REAL_2_FLOORS, 1),
        ("kept_aside", KEPT_ASIDE_FLOORS, 1),
        ("real_3", REAL_3_FLOORS, 0),
        ("negatives", {}, 62),
    ],
)
def test_real_wording_recall_and_false_alarms_do_not_fall_below_the_measured_figures(
    name: str, floors: dict[str, float], most_false_alarms: int
) -> None:
    report = evaluate(load_cases(SETS[name]), _route_group(default_detector()))
    for category, floor in floors.items():
        assert report.recall(category) >= floor - 1e-9, (category, report.lines())
    assert report.false_alarms()[0] <= most_false_alarms, report.lines()


def test_the_dev_set_is_fully_detected_with_at_most_one_false_alarm() -> None:
    report = evaluate(load_cases(SETS["dev"]), _route_group(default_detector()))
    for category in CATEGORIES:
        assert report.recall(category) == 1.0, (category, report.misses)
    assert report.false_alarms()[0] <= 1, report.misses


def test_at_most_one_percent_of_the_held_out_nlu_questions_get_a_route() -> None:
    report = evaluate(answer_set_cases(), _route_group(default_detector()))
    wrong, total = report.false_alarms()
    assert total > 300 and wrong / total <= 0.01, report.misses
