"""Safety messages as data: text, the sources it cites, and when someone last checked it.

Shared by the red-flag routes and the out-of-scope replies. Citations are checked against the
knowledge base's source registry (``bot/knowledge/sources/*.yml``), and every phone number in
a text must be one the data registers with the source that states it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from bot.knowledge.loader import parse_citations
from bot.knowledge.model import Citation, Source

# "999", "111", "116 123", "0300 123 4567": three or more digits, optionally in spaced groups.
PHONE_NUMBER = re.compile(r"(?<![\d.])\d{3,}(?: \d{3,})*(?!\d|\.\d)")


class MessageError(ValueError):
    """The safety message data has problems; ``problems`` lists each with where it is."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Safety message problems:\n  " + "\n  ".join(problems))


def parse_numbers(raw: Any, sources: dict[str, Source], problems: list[str]) -> dict[str, tuple[str, ...]]:
    """``numbers:`` maps each phone number to the sources (one or a list) that state it."""
    numbers = {}
    for number, ids in (raw or {}).items():
        ids = (ids,) if isinstance(ids, str) else tuple(ids or ())
        problems += [f"numbers: {number} cites unknown source {i!r}" for i in ids if i not in sources]
        if not ids:
            problems.append(f"numbers: {number} needs a source")
        numbers[str(number)] = ids
    return numbers


@dataclass(frozen=True)
class SafetyMessage:
    text: str
    citations: tuple[Citation, ...]
    last_checked: str

    def phone_numbers(self) -> list[str]:
        return PHONE_NUMBER.findall(self.text)


def parse_message(
    raw: Any,
    where: str,
    sources: dict[str, Source],
    numbers: dict[str, tuple[str, ...]],
    problems: list[str],
) -> SafetyMessage | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: expected text, sources and last_checked")
        return None
    text = " ".join(str(raw.get("text") or "").split())
    start = len(problems)
    if not text:
        problems.append(f"{where}: empty text")
    try:
        dt.date.fromisoformat(str(raw.get("last_checked")))
    except ValueError:
        problems.append(f"{where}: last_checked must be a date like 2026-11-24")
    citations = parse_citations(raw.get("sources") or [], sources, where, problems)
    cited_ids = {c.source.id for c in citations}
    for number in PHONE_NUMBER.findall(text):
        if number not in numbers:
            problems.append(f"{where}: phone number {number} is not registered under `numbers`")
        elif not cited_ids & set(numbers[number]):
            problems.append(f"{where}: says {number} but cites none of {', '.join(numbers[number])}, which state it")
    if len(problems) > start:
        return None
    return SafetyMessage(text=text, citations=tuple(citations), last_checked=str(raw["last_checked"]))
