"""How many plainly unrelated messages get discharge content, before and after the
UnrelatedMessageResolver, and how many of our own questions it would wrongly turn away.

Sets: CLINC150 val + oos_val without small talk (tests/evaluation/clinc150_val_unrelated.txt,
never trained on), the held-out NLU test (tests/nlu/test_nlu.yml) and, when present, the
question sets in tests/evaluation/questions_*.yml. "Before" is the trained model's parse;
"after" applies the resolver's decision to that parse (the same code the component runs), so
an older model without the component can be measured without retraining.

    python -m bot unrelated-report --parse   # parse every set through models/homeward.tar.gz first
    python -m bot unrelated-report --sweep   # thresholds, on CLINC150 val and cross-validated data/nlu
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.nlp import unrelated
from bot.nlp.unrelated import (
    OUT_OF_SCOPE,
    SMALL_TALK_INTENTS,
    UNRELATED_QUESTION,
    UnrelatedClassifier,
    may_be_unrelated,
    nlu_examples,
    nlu_file_examples,
    training_set,
)
from bot.nlp.unrelated_data import PROJECT_ROOT, TRAIN_FILE, VAL_FILE, read_requests
from bot.nlp.unrelated_parse import Parse, load, parse_all, save

MODEL = PROJECT_ROOT / "models" / "homeward.tar.gz"
PARSES = PROJECT_ROOT / "results" / "unrelated" / "parses.json"
NLU_TEST = PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml"
# The kept-aside answer questions are measured once at the end, so this report never reads them.
QUESTION_SETS = sorted(
    p for p in (PROJECT_ROOT / "tests" / "evaluation").glob("questions_*.yml") if p.stem != "questions_kept_aside"
)
# Answers that are not discharge content: our out-of-scope replies, "did you mean", red flags.
NOT_DISCHARGE = frozenset({OUT_OF_SCOPE, "nlu_fallback", "red_flag"}) | SMALL_TALK_INTENTS
SWEEP = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
FOLDS = 5


@dataclass(frozen=True)
class Sets:
    unrelated: list[str]  # CLINC150 val + oos_val, no small talk
    held_out: list[tuple[str, str]]  # (text, intent) from the held-out NLU test
    questions: dict[str, list[tuple[str, list[str]]]]  # name -> (question, answers that are right)


def load_sets() -> Sets:
    questions = {
        path.stem: [
            (str(q["text"]), list(q.get("expected") or []))
            for q in (yaml.safe_load(path.read_text(encoding="utf-8")) or {})["questions"]
        ]
        for path in QUESTION_SETS
    }
    return Sets([r.text for r in read_requests(VAL_FILE)], nlu_file_examples(NLU_TEST), questions)


def gets_discharge_content(parse: Parse) -> bool:
    return parse.intent not in NOT_DISCHARGE


def after(parse: Parse, probability: float, threshold: float) -> Parse:
    """The parse as the resolver leaves it."""
    if may_be_unrelated(parse.text, parse.intent, parse.confidence) and probability >= threshold:
        return Parse(parse.text, OUT_OF_SCOPE, 1.0, UNRELATED_QUESTION)
    return parse


def _share(count: int, total: int) -> str:
    return f"{count}/{total} ({100 * count / total:.1f}%)" if total else "0/0"


def cross_validated(everyday: Sequence[str], ours: Sequence[tuple[str, str]]) -> list[float]:
    """P(unrelated) for each of our examples from a model that did not see it (fold i = every
    FOLDS-th example from i, so folds are fixed and every intent is in each)."""
    probabilities = [0.0] * len(ours)
    for fold in range(FOLDS):
        kept = [example for i, example in enumerate(ours) if i % FOLDS != fold]
        model = UnrelatedClassifier.fit(*training_set(everyday, kept))
        held = [i for i in range(len(ours)) if i % FOLDS == fold]
        for i, p in zip(held, model.probabilities([ours[i][0] for i in held]), strict=True):
            probabilities[i] = p
    return probabilities


def sweep() -> None:
    everyday = [r.text for r in read_requests(TRAIN_FILE)]
    ours = nlu_examples()
    in_domain = [(t, i) for t, i in ours if i != UNRELATED_QUESTION]
    cv = cross_validated(everyday, ours)
    cv_in_domain = [p for p, (_, i) in zip(cv, ours, strict=True) if i != UNRELATED_QUESTION]
    val = unrelated.default_classifier().probabilities(load_sets().unrelated)
    print(f"Threshold sweep: CLINC150 val ({len(val)}) caught by P(unrelated) alone; data/nlu in-domain "
          f"examples ({len(in_domain)}, {FOLDS}-fold cross-validated) that would be turned away.")
    for threshold in SWEEP:
        caught = sum(p >= threshold for p in val)
        wrong = sum(p >= threshold for p in cv_in_domain)
        print(f"  {threshold:.2f}: CLINC150 val caught {_share(caught, len(val))}; "
              f"in-domain turned away {_share(wrong, len(cv_in_domain))}")


def parse_sets(model: Path = MODEL) -> None:
    sets = load_sets()
    texts = [*sets.unrelated, *(t for t, _ in sets.held_out), *(q for qs in sets.questions.values() for q, _ in qs)]
    save(PARSES, parse_all(model, list(dict.fromkeys(texts))))


def report(threshold: float = unrelated.THRESHOLD) -> int:
    if not PARSES.exists():
        print(f"No parses in {PARSES}: run with --parse first (needs a trained model).")
        return 1
    parses = load(PARSES)
    sets = load_sets()
    classifier = unrelated.default_classifier()

    def before_after(texts: Sequence[str]) -> tuple[list[Parse], list[Parse]]:
        old = [parses[t] for t in texts]
        probabilities = classifier.probabilities(list(texts))
        return old, [after(p, q, threshold) for p, q in zip(old, probabilities, strict=True)]

    print(f"Threshold {threshold:.2f}. Parses: {PARSES.relative_to(PROJECT_ROOT)}")
    old, new = before_after(sets.unrelated)
    print("CLINC150 val + oos_val (no small talk), answered with discharge content: "
          f"before {_share(sum(map(gets_discharge_content, old)), len(old))}, "
          f"after {_share(sum(map(gets_discharge_content, new)), len(new))}")
    texts = [t for t, _ in sets.held_out]
    old, new = before_after(texts)
    in_domain = [i for i, (_, intent) in enumerate(sets.held_out) if not intent.startswith(OUT_OF_SCOPE)]
    turned = [texts[i] for i in in_domain if new[i].intent == OUT_OF_SCOPE and old[i].intent != OUT_OF_SCOPE]
    print(f"Held-out NLU test: in-domain examples newly turned away {_share(len(turned), len(in_domain))}")
    for text in turned:
        print(f"    {text}")
    unrelated_tests = [i for i, (_, intent) in enumerate(sets.held_out) if intent == UNRELATED_QUESTION]
    answered = [sum(parses[i].question == UNRELATED_QUESTION for i in unrelated_tests) for parses in (old, new)]
    print("Held-out NLU test: out_of_scope/unrelated examples answered as unrelated "
          f"before {_share(answered[0], len(unrelated_tests))}, after {_share(answered[1], len(unrelated_tests))}")
    for name, questions in sets.questions.items():
        old, new = before_after([q for q, _ in questions])
        turned = [(q, o.question in right) for (q, right), o, n in zip(questions, old, new, strict=True)
                  if n.intent != o.intent]
        lost = sum(was_right for _, was_right in turned)
        print(f"{name}: questions newly turned away {_share(len(turned), len(questions))}, "
              f"of which answered right before: {lost}")
        for text, was_right in turned:
            print(f"    {'[was right] ' if was_right else ''}{text}")
    return 0
