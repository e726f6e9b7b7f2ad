"""The assistant never asks for names, NHS numbers, dates of birth or contact details."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from bot.knowledge.loader import load_knowledge
from bot.pathway_finder import QUESTIONS
from bot.privacy.minimisation import asks_for_personal_details

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "request_text",
    [
        "What is your name?",
        "Can you tell me his NHS number?",
        "What's your date of birth?",
        "Please enter the patient's date of birth.",
        "Could you give me your phone number so we can call?",
        "Tell me your email address and I'll send it.",
        "Please type your full postcode.",
        "I'll need your mum's NHS number first.",
    ],
)
def test_requests_for_personal_details_are_found(request_text: str) -> None:
    assert asks_for_personal_details(request_text)


@pytest.mark.parametrize(
    "ordinary",
    [
        "What is pathway 1?",
        "Could you pick the council area, or type the nearest town?",
        "Please don't share names, NHS numbers or dates of birth here.",
        "You do not need to give your name.",
        "The ward team will use the NHS number on the discharge letter.",
        "What are the names of the pathways?",
        "Which area do you live in?",
        "Give the discharge co-ordinator's name and contact.",  # staff advice: a contact to ask for
    ],
)
def test_other_wording_is_not_taken_for_a_request(ordinary: str) -> None:
    assert asks_for_personal_details(ordinary) is None


def _response_texts(path: Path) -> Iterator[tuple[str, str]]:
    responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
    for name, variants in responses.items():
        for variant in variants:
            yield f"{path.name}:{name}", variant.get("text") or ""
            for button in variant.get("buttons") or []:
                yield f"{path.name}:{name} button", button.get("title") or ""


def _action_strings() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "actions").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.name}:{node.lineno}", node.value


def _everything_the_assistant_says() -> Iterator[tuple[str, str]]:
    yield from _response_texts(ROOT / "domain.yml")
    for path in sorted((ROOT / "data" / "responses").glob("*.yml")):
        yield from _response_texts(path)
    for entry in load_knowledge().entries():
        for answer in entry.answers:
            yield f"knowledge {entry.retrieval_intent} ({answer.audience})", answer.text
    for question in QUESTIONS:
        yield f"pathway finder {question.slot}", question.text
    yield from _action_strings()


def test_nothing_the_assistant_says_asks_for_personal_details() -> None:
    said = list(_everything_the_assistant_says())
    assert len(said) > 50  # the sources were found and read
    requests = {where: asks_for_personal_details(text) for where, text in said if asks_for_personal_details(text)}
    assert requests == {}
