"""Polite replies for what the assistant does not do, per kind (``out_of_scope.yml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from bot.knowledge.loader import default_knowledge
from bot.knowledge.model import AUDIENCES, Source
from bot.safety.messages import MessageError, SafetyMessage, parse_message, parse_numbers

OUT_OF_SCOPE_FILE = Path(__file__).parent / "out_of_scope.yml"
KINDS = ("medical_advice", "legal_advice", "benefits_calculation", "other_nations", "unrelated")
DEFAULT_KIND = "unrelated"
OUT_OF_SCOPE_INTENT = "out_of_scope"  # the retrieval intent out_of_scope/<kind>


@dataclass(frozen=True)
class OutOfScopeBook:
    titles: dict[str, str]
    messages: dict[tuple[str, str], SafetyMessage]  # (kind, audience) -> message

    def message(self, kind: str, audience: str) -> SafetyMessage:
        kind = kind if kind in KINDS else DEFAULT_KIND
        return self.messages[(kind, audience if audience in AUDIENCES else "family")]


def load_out_of_scope(path: Path = OUT_OF_SCOPE_FILE, sources: dict[str, Source] | None = None) -> OutOfScopeBook:
    """Reads and checks the replies; raises MessageError listing every problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    sources = default_knowledge().sources if sources is None else sources
    kinds = data.get("kinds") or {}
    problems = [f"kinds: {k} is not one of {KINDS}" for k in kinds if k not in KINDS]
    numbers = parse_numbers(data.get("numbers"), sources, problems)
    titles, messages = {}, {}
    for kind in KINDS:
        raw_kind = kinds.get(kind) or {}
        titles[kind] = str(raw_kind.get("title") or kind)
        for audience in AUDIENCES:
            raw = raw_kind.get(audience) or raw_kind.get("all")
            message = parse_message(raw, f"kinds.{kind}.{audience}", sources, numbers, problems)
            if message is not None:
                messages[(kind, audience)] = message
    if problems:
        raise MessageError(problems)
    return OutOfScopeBook(titles, messages)


@lru_cache(maxsize=1)
def default_out_of_scope() -> OutOfScopeBook:
    return load_out_of_scope()


def out_of_scope_text(kind: str | None, audience: str) -> str:
    """What to say for a question of this kind ('medical_advice', ...); unknown kinds get the general reply."""
    return default_out_of_scope().message(kind or DEFAULT_KIND, audience).text


def retrieval_responses() -> dict[str, list[dict[str, str]]]:
    """``utter_out_of_scope/<kind>`` responses (the titles), which Rasa needs to train the
    ResponseSelector on out_of_scope/<kind>; what users see comes from action_out_of_scope."""
    book = default_out_of_scope()
    return {f"utter_{OUT_OF_SCOPE_INTENT}/{kind}": [{"text": book.titles[kind]}] for kind in KINDS}
