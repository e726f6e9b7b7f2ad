"""How often the trained assistant picks an answer that answers a real question.

Question sets live in ``tests/evaluation/``: ``questions_real.yml`` and ``questions_real_2.yml``
(quoted from public forums and FAQ pages, never trained or tuned on), ``questions_kept_aside.yml``
(quoted the same way, measured once at the end, so it is not in the default run) and
``questions_dev.yml`` (our own wording, for tuning). ``--run`` parses every question with the
trained model's NLU pipeline (the same components the assistant runs, through Rasa's Agent) and
stores the predictions; the report then says, per set, what share got an answer whose key is one of the expected ones.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.knowledge.loader import default_knowledge

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "real": PROJECT_ROOT / "tests" / "evaluation" / "questions_real.yml",
    "real_2": PROJECT_ROOT / "tests" / "evaluation" / "questions_real_2.yml",
    "kept_aside": PROJECT_ROOT / "tests" / "evaluation" / "questions_kept_aside.yml",
    "dev": PROJECT_ROOT / "tests" / "evaluation" / "questions_dev.yml",
}
# Measured on every run; kept_aside only when named, so it stays unseen until the end.
DEFAULT_SETS = ("real", "real_2", "dev")
OUT_DIR = PROJECT_ROOT / "results" / "answers"
MODEL = PROJECT_ROOT / "models" / "homeward.tar.gz"
MISSING = "missing"
FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    source: str
    asked_by: str
    expected: tuple[str, ...]
    # What the official answer says (from the FAQ's own answer or a national page) and where,
    # so a reader can judge an answer beyond its key; topic is a free-text label.
    key_facts: tuple[str, ...] = ()
    key_facts_source: str = ""
    topic: str = ""

    @property
    def in_scope(self) -> bool:
        return MISSING not in self.expected


@dataclass(frozen=True)
class Prediction:
    """What the assistant would do with the message: an answer key, or another intent."""

    intent: str
    answer: str | None  # the knowledge entry it would show, e.g. "funding/who_pays"
    confidence: float
    top3: tuple[str, ...]

    @property
    def outcome(self) -> str:
        """answer | fallback | out_of_scope | other (greeting, service search, red flag, ...)."""
        if self.answer:
            return "answer"
        if self.intent == FALLBACK:
            return "fallback"
        if self.intent.startswith(OUT_OF_SCOPE):
            return "out_of_scope"
        return "other"


def load_questions(path: Path) -> list[Question]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        Question(
            id=str(q["id"]),
            text=str(q["text"]),
            source=str(q.get("source") or ""),
            asked_by=str(q.get("asked_by") or "unknown"),
            expected=tuple(q.get("expected") or ()),
            key_facts=tuple(str(f) for f in q.get("key_facts") or ()),
            key_facts_source=str(q.get("key_facts_source") or ""),
            topic=str(q.get("topic") or ""),
        )
        for q in raw.get("questions") or []
    ]


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def is_near_copy(a: str, b: str) -> bool:
    """Same words, or a lightly trimmed or padded copy: the shorter text's words almost all
    inside the longer one's, and the two of similar length (a short phrase inside a long
    message is not a copy of it)."""
    wa, wb = set(words(a)), set(words(b))
    if not wa or not wb:
        return False
    if words(a) == words(b):
        return True
    small, large = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    # Short texts ("what is reablement") are legitimately shared; only longer ones count as copies.
    similar_length = len(small) / len(large) >= 0.6
    return len(small) >= 6 and similar_length and len(small & large) / len(small) >= 0.85


def prediction_from_parse(parsed: dict[str, Any], topics: set[str]) -> Prediction:
    """Mirrors how the assistant acts on a parse: topic intents answer the selector's choice."""
    intent = (parsed.get("intent") or {}).get("name") or ""
    confidence = float((parsed.get("intent") or {}).get("confidence") or 0.0)
    selector = (parsed.get("response_selector") or {}).get("default") or {}
    ranking = [r.get("intent_response_key") for r in selector.get("ranking") or []]
    chosen = (selector.get("response") or {}).get("intent_response_key")
    answer = chosen if intent in topics and chosen else None
    if answer:
        confidence = float((selector.get("response") or {}).get("confidence") or confidence)
    top3 = tuple(k for k in ([answer] if answer else []) + ranking if k)
    return Prediction(intent=intent, answer=answer, confidence=confidence, top3=tuple(dict.fromkeys(top3))[:3])


def run(questions_by_set: dict[str, list[Question]], model: Path = MODEL) -> None:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # one debug line per parsed message otherwise
    agent = Agent.load(str(model))
    topics = set(default_knowledge().topics)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, questions in questions_by_set.items():
        predictions = {}
        for q in questions:
            parsed = asyncio.run(agent.parse_message(q.text))
            predictions[q.id] = prediction_from_parse(parsed, topics).__dict__
        (OUT_DIR / f"{name}.json").write_text(json.dumps(predictions, indent=1), encoding="utf-8")


@dataclass(frozen=True)
class Scores:
    top1: float
    top3: float
    wrong: float
    fallback: float
    declined: float
    other: float
    count: int


def score(pairs: list[tuple[Question, Prediction]]) -> Scores:
    n = len(pairs) or 1
    top1 = sum(p.answer in q.expected for q, p in pairs)
    top3 = sum(any(k in q.expected for k in p.top3) for q, p in pairs)
    outcomes = Counter(p.outcome for _, p in pairs)
    wrong = sum(p.outcome == "answer" and p.answer not in q.expected for q, p in pairs)
    return Scores(
        top1=top1 / n, top3=top3 / n, wrong=wrong / n, fallback=outcomes["fallback"] / n,
        declined=outcomes["out_of_scope"] / n, other=outcomes["other"] / n, count=len(pairs),
    )


def _line(label: str, s: Scores) -> str:
    return (f"  {label:<22} n={s.count:<4} right first {s.top1:6.1%}  in top 3 {s.top3:6.1%}  "
            f"other answer {s.wrong:6.1%}  fallback {s.fallback:6.1%}  declined {s.declined:6.1%}  "
            f"other intent {s.other:6.1%}")


def report_set(name: str, questions: list[Question], predictions: dict[str, dict[str, Any]], worst: int) -> float:
    pairs = [(q, Prediction(**{**predictions[q.id], "top3": tuple(predictions[q.id]["top3"])}))
             for q in questions if q.id in predictions]
    in_scope = [(q, p) for q, p in pairs if q.in_scope]
    missing = [(q, p) for q, p in pairs if not q.in_scope]
    print(f"{name} set ({len(pairs)} questions, {len(in_scope)} with an expected answer, "
          f"{len(missing)} with none yet):")
    overall = score(in_scope)
    print(_line("in scope", overall))
    by_audience: dict[str, list[tuple[Question, Prediction]]] = defaultdict(list)
    by_topic: dict[str, list[tuple[Question, Prediction]]] = defaultdict(list)
    for q, p in in_scope:
        by_audience[q.asked_by].append((q, p))
        by_topic[q.expected[0].split("/")[0]].append((q, p))
    for audience, group in sorted(by_audience.items()):
        print(_line(f"asked by {audience}", score(group)))
    for topic, group in sorted(by_topic.items()):
        print(_line(f"topic {topic}", score(group)))
    if missing:
        got = Counter(p.outcome for _, p in missing)
        print(f"  no answer yet: {dict(got)}")
    wrong = sorted(((q, p) for q, p in in_scope if p.answer not in q.expected), key=lambda qp: -qp[1].confidence)
    if worst and wrong:
        print(f"  worst {min(worst, len(wrong))} (most confident misses):")
        for q, p in wrong[:worst]:
            got = p.answer or p.intent
            print(f"    {q.id} {p.confidence:.2f} got {got}; expected {', '.join(q.expected)}: {q.text[:90]!r}")
    return overall.top1


def report_stored(
    sets: list[str],
    out_dir: Path,
    report_one: Callable[[str, list[Question], dict[str, dict[str, Any]], int], object],
    worst: int,
    run_first: Callable[[dict[str, list[Question]]], None] | None = None,
) -> int:
    """Loads the question sets, parses them first if asked, then reports each set's stored parses."""
    questions_by_set = {name: load_questions(SETS[name]) for name in sets}
    if run_first is not None:
        run_first(questions_by_set)
    for name, questions in questions_by_set.items():
        path = out_dir / f"{name}.json"
        if not path.exists():
            print(f"No parses in {path}: run with --run first.", file=sys.stderr)
            return 1
        report_one(name, questions, json.loads(path.read_text(encoding="utf-8")), worst)
    return 0


def report(run_first: bool, sets: list[str], worst: int = 10, model: Path = MODEL) -> int:
    parse = (lambda questions: run(questions, model)) if run_first else None
    return report_stored(sets, OUT_DIR, report_set, worst, parse)
