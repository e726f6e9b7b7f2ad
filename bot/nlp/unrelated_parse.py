"""Parses messages through a trained model and keeps what the unrelated-message measure needs.

The model's own pipeline may not contain the UnrelatedMessageResolver (an older model), so the
report applies the resolver's decision to these parses: no retraining needed to measure it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Parse:
    text: str
    intent: str
    confidence: float
    question: str | None  # the ResponseSelector's retrieval intent, e.g. "funding/who_pays"


def parse_from_output(output: dict) -> Parse:
    intent = output.get("intent") or {}
    selected = ((output.get("response_selector") or {}).get("default") or {}).get("response") or {}
    return Parse(
        text=output.get("text") or "",
        intent=intent.get("name") or "",
        confidence=float(intent.get("confidence") or 0.0),
        question=selected.get("intent_response_key"),
    )


async def _parse_all(model: Path, texts: Sequence[str]) -> list[Parse]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    return [parse_from_output(await agent.parse_message(text)) for text in texts]


def parse_all(model: Path, texts: Sequence[str]) -> list[Parse]:
    return asyncio.run(_parse_all(model, texts))


def save(path: Path, parses: Sequence[Parse]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(p) for p in parses], indent=0), encoding="utf-8")


def load(path: Path) -> dict[str, Parse]:
    return {p["text"]: Parse(**p) for p in json.loads(path.read_text(encoding="utf-8"))}
