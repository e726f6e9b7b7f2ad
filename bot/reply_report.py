"""python -m bot reply-report: what kind of reply real and dev questions get, and whether a right
answer is in it.

The answer report scores the classifier's first choice. This scores what the user would see once
bot.knowledge.reply_plan has read the whole ranking: one answer, a short reply covering several
needs, or "did you mean" with three questions (plus the pathway finder for a patient described).
"Right shown" counts a right answer anywhere in that reply; "other answer" is a single answer
to another question, the reply that misleads most.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path
from typing import Any

from bot import pathway_hints
from bot.answer_report import MODEL, PROJECT_ROOT, Question, report_stored
from bot.knowledge.loader import default_knowledge
from bot.knowledge.model import Ranked
from bot.knowledge.reply_plan import Kind, plan_reply

OUT_DIR = PROJECT_ROOT / "results" / "replies"
NOT_ANSWERED = "not answered"  # a fallback, out of scope or another intent
PATHWAY_FINDER = "pathway finder"


def parse_record(parsed: dict[str, Any]) -> dict[str, Any]:
    """What the reply depends on, from one parse: the intent, the ranking, a named pathway."""
    selector = (parsed.get("response_selector") or {}).get("default") or {}
    chosen = (selector.get("response") or {}).get("intent_response_key")
    ranking = [[r["intent_response_key"], float(r.get("confidence") or 0.0)]
               for r in selector.get("ranking") or [] if r.get("intent_response_key")]
    response = selector.get("response") or {}
    if chosen and (response.get("corrected_by") or not ranking or ranking[0][0] != chosen):
        # As actions/conversation.py reads it: the selected question leads; sure when set by rule.
        confidence = 1.0 if response.get("corrected_by") else float(response.get("confidence") or 0.0)
        ranking = [[chosen, confidence], *(r for r in ranking if r[0] != chosen)]
    return {
        "intent": (parsed.get("intent") or {}).get("name") or "",
        "ranking": ranking,
        "named_pathway": any(e.get("entity") == "pathway" for e in parsed.get("entities") or []),
    }


def reply_for(question: Question, record: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """(kind of reply, the questions it shows) for a family user with no earlier answer."""
    knowledge = default_knowledge()
    if record["intent"] not in knowledge.topics:
        return NOT_ANSWERED, ()
    if pathway_hints.asks_pathway_for_someone(question.text) and not record["named_pathway"]:
        return PATHWAY_FINDER, ("pathways/who_decides",)  # what a family is shown
    plan = plan_reply(knowledge, [Ranked(k, c) for k, c in record["ranking"]], question.text)
    if plan is None:
        return NOT_ANSWERED, ()
    return plan.kind.value, plan.keys


def run(questions_by_set: dict[str, list[Question]], model: Path = MODEL) -> None:
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for name, questions in questions_by_set.items():
        records = {q.id: parse_record(asyncio.run(agent.parse_message(q.text))) for q in questions}
        (OUT_DIR / f"{name}.json").write_text(json.dumps(records, indent=1), encoding="utf-8")


def report_set(name: str, questions: list[Question], records: dict[str, dict[str, Any]], worst: int) -> None:
    in_scope = [q for q in questions if q.in_scope and q.id in records]
    n = len(in_scope) or 1
    kinds: Counter[str] = Counter()
    right_shown = right_answered = other_answer = 0
    misses = []
    for q in in_scope:
        kind, keys = reply_for(q, records[q.id])
        kinds[kind] += 1
        shown = any(k in q.expected for k in keys)
        right_shown += shown
        right_answered += kind == Kind.ANSWER.value and shown
        if kind == Kind.ANSWER.value and not shown:
            other_answer += 1
        if kind != Kind.ANSWER.value or not shown:
            misses.append((q, kind, keys))
    print(f"{name} set ({len(in_scope)} questions with an expected answer):")
    print(f"  right answer shown {right_shown / n:6.1%}  answered right {right_answered / n:6.1%}  "
          f"other answer {other_answer / n:6.1%}")
    print("  replies: " + ", ".join(f"{kind} {count} ({count / n:.1%})" for kind, count in kinds.most_common()))
    for q, kind, keys in misses[:worst]:
        print(f"    {q.id} {kind}: {', '.join(keys) or '-'}; expected {', '.join(q.expected)}: {q.text[:80]!r}")


def report(run_first: bool, sets: list[str], worst: int = 10, model: Path = MODEL) -> int:
    parse = (lambda questions: run(questions, model)) if run_first else None
    return report_stored(sets, OUT_DIR, report_set, worst, parse)
