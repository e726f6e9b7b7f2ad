"""Scores red-flag detection on an evaluation set: recall per category and the false-alarm rate.

    python -m bot redflag-report                 # the first real set (a development set since round three)
    python -m bot redflag-report --set real_2    # the second real set (a development set since round three)
    python -m bot redflag-report --set dev       # our own wording the rules were tuned on
    python -m bot redflag-report --set answers   # false alarms on the held-out NLU questions

A message is right when the route it gets is its category's route group (or one of its
``also_ok`` groups); a ``none`` message is a false alarm when it gets any route.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from bot.safety.groups import GROUPS, category_group

EVALUATION_DIR = Path(__file__).resolve().parents[2] / "tests" / "evaluation"
SETS = {
    "real": EVALUATION_DIR / "red_flags_real.yml",
    "real_2": EVALUATION_DIR / "red_flags_real_2.yml",
    "kept_aside": EVALUATION_DIR / "red_flags_kept_aside.yml",
    "dev": EVALUATION_DIR / "red_flags_dev.yml",
    # Third real set and its kept-aside part, and hard negatives from real questions, all
    # collected before the third round of red-flag work and never used to tune it.
    "real_3": EVALUATION_DIR / "red_flags_real_3.yml",
    "kept_aside_2": EVALUATION_DIR / "red_flags_kept_aside_2.yml",
    "negatives": EVALUATION_DIR / "red_flags_negatives.yml",
    "negatives_kept_aside": EVALUATION_DIR / "red_flags_negatives_kept_aside.yml",
}
# The held-out NLU test: ordinary questions the assistant answers, each a must-not-route case.
ANSWER_SET = EVALUATION_DIR.parent / "nlu" / "test_nlu.yml"
NONE = "none"


@dataclass(frozen=True)
class Case:
    text: str
    category: str  # a category of bot.safety.groups.CATEGORIES, or "none"
    also_ok: tuple[str, ...] = ()
    kind: str = ""  # for "none": ordinary, past_event, staff_training, hard_negative, ...

    def accepts(self, group: str | None) -> bool:
        if self.category == NONE:
            return group is None
        return group is not None and (group == category_group(self.category) or group in self.also_ok)


@dataclass
class Report:
    totals: dict[str, int] = field(default_factory=dict)
    right: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[Case, str | None]] = field(default_factory=list)

    def add(self, case: Case, group: str | None) -> None:
        key = case.category if case.category != NONE else f"none:{case.kind or 'ordinary'}"
        self.totals[key] = self.totals.get(key, 0) + 1
        if case.accepts(group):
            self.right[key] = self.right.get(key, 0) + 1
        else:
            self.misses.append((case, group))

    def recall(self, category: str) -> float:
        return self.right.get(category, 0) / self.totals[category]

    def false_alarms(self) -> tuple[int, int]:
        keys = [k for k in self.totals if k.startswith("none:")]
        total = sum(self.totals[k] for k in keys)
        return total - sum(self.right.get(k, 0) for k in keys), total

    def lines(self) -> list[str]:
        out = []
        for key in sorted(k for k in self.totals if not k.startswith("none:")):
            out.append(f"  {key:<24} recall {self.right.get(key, 0):>3}/{self.totals[key]:<3} {self.recall(key):6.1%}")
        wrong, total = self.false_alarms()
        for key in sorted(k for k in self.totals if k.startswith("none:")):
            alarms = self.totals[key] - self.right.get(key, 0)
            out.append(f"  {key:<24} false alarms {alarms}/{self.totals[key]}")
        if total:
            out.append(f"  false-alarm rate {wrong}/{total} = {wrong / total:.1%}")
        return out


def load_cases(path: Path) -> list[Case]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cases = []
    for item in raw.get("messages") or []:
        also_ok = tuple(item.get("also_ok") or ())
        unknown = [g for g in also_ok if g not in GROUPS]
        if unknown:
            raise ValueError(f"{path.name}: {item['text']!r} has unknown also_ok groups {unknown}")
        category_group(item["category"]) if item["category"] != NONE else None  # raises if unknown
        cases.append(Case(str(item["text"]), item["category"], also_ok, str(item.get("kind") or "")))
    return cases


def answer_set_cases(path: Path = ANSWER_SET) -> list[Case]:
    """Every held-out NLU question as a `none` case, except carers at breaking point."""
    from bot.safety.classifier import CRISIS_INTENTS, nlu_file_questions

    return [Case(text, NONE, kind="answer_evaluation") for text in nlu_file_questions(path, CRISIS_INTENTS)]


def evaluate(cases: list[Case], route_group: Callable[[str], str | None]) -> Report:
    report = Report()
    for case in cases:
        report.add(case, route_group(case.text))
    return report


def report_command(set_name: str, show_misses: bool = True) -> int:
    from bot.safety.red_flags import default_detector

    detector = default_detector()
    path = ANSWER_SET if set_name == "answers" else SETS[set_name]
    cases = answer_set_cases() if set_name == "answers" else load_cases(path)

    def route_group(text: str) -> str | None:
        flag = detector.detect(text)
        return flag.group if flag else None

    report = evaluate(cases, route_group)
    print(f"Red-flag evaluation: {set_name} set, {len(cases)} messages ({path.name})")
    print("\n".join(report.lines()))
    if show_misses and report.misses:
        print(f"\nMisses ({len(report.misses)}):")
        for case, group in report.misses:
            print(f"  [{case.category}] got {group or 'no route'}: {case.text}")
    return 0


def explain_command(text: str) -> int:
    """What detection makes of one message: the flag per group and the classifier's scores."""
    from bot.safety.red_flags import default_detector

    detector = default_detector()
    flags = detector.detect_all(text)
    print("route:", flags[0].log_fields() if flags else "none")
    for flag in flags:
        print(f"  {flag.log_fields()} phrase={flag.phrase!r}")
    if detector.classifier is not None:
        scores = detector.classifier.scores(detector.classifier_text(text))
        best = sorted(scores.items(), key=lambda kv: -kv[1])[:3]
        print("classifier:", ", ".join(f"{k} {v:.2f}" for k, v in best), f"(threshold {detector.classifier.threshold})")
    return 0
