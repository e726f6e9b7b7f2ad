"""Training data and content agree, generated files are current, and test data stays held out."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import yaml

from bot.knowledge.loader import default_knowledge
from bot.safety.out_of_scope import KINDS, OUT_OF_SCOPE_INTENT
from bot.training_data import PROJECT_ROOT, stale_files

NLU_DIR = PROJECT_ROOT / "data" / "nlu"
TEST_FILE = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]+\)|\[([^\]]+)\]\{[^}]+\}")


def _examples(path: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
        if "intent" in item:
            lines = [line[2:].strip() for line in item["examples"].splitlines() if line.startswith("- ")]
            found.setdefault(item["intent"], []).extend(lines)
    return found


def _plain(example: str) -> str:
    text = ANNOTATION.sub(lambda m: m.group(1) or m.group(2), example)
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def _training_examples() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for path in sorted(NLU_DIR.glob("*.yml")):
        for intent, examples in _examples(path).items():
            merged.setdefault(intent, []).extend(examples)
    return merged


def test_generated_files_are_current() -> None:
    assert stale_files() == [], "run `python -m bot build-data` and commit the result"


def test_every_question_in_the_content_has_at_least_15_training_examples() -> None:
    training = _training_examples()
    thin = {
        e.retrieval_intent: len(training.get(e.retrieval_intent, []))
        for e in default_knowledge().entries()
        if len(training.get(e.retrieval_intent, [])) < 15
    }
    assert thin == {}


def test_every_kind_of_out_of_scope_question_has_at_least_15_training_examples() -> None:
    training = _training_examples()
    counts = {kind: len(training.get(f"{OUT_OF_SCOPE_INTENT}/{kind}", [])) for kind in KINDS}
    assert {kind: n for kind, n in counts.items() if n < 15} == {}


def test_every_trained_question_has_an_answer() -> None:
    knowledge = default_knowledge()
    out_of_scope = {f"{OUT_OF_SCOPE_INTENT}/{kind}" for kind in KINDS}
    retrieval = [i for i in _training_examples() if "/" in i]
    assert [i for i in retrieval if knowledge.entry(i) is None and i not in out_of_scope] == []


def test_no_example_is_trained_under_two_intents() -> None:
    owners: dict[str, set[str]] = {}
    for intent, examples in _training_examples().items():
        for example in examples:
            owners.setdefault(_plain(example), set()).add(intent)
    assert {text: sorted(i) for text, i in owners.items() if len(i) > 1} == {}


def test_the_nlu_test_set_is_never_trained_on() -> None:
    trained = {_plain(e) for examples in _training_examples().values() for e in examples}
    tested = [e for examples in _examples(TEST_FILE).values() for e in examples]
    assert [e for e in tested if _plain(e) in trained] == []


def test_the_nlu_test_set_covers_every_question_and_intent() -> None:
    tested = _examples(TEST_FILE)
    trained_intents = set(_training_examples())
    assert trained_intents - set(tested) == set()
    assert Counter(len(v) >= 3 for v in tested.values())[False] == 0
