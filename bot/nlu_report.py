"""Runs the held-out NLU test and reports intent and question (response selection) F1.

The test set (tests/nlu/test_nlu.yml) is never trained on; a pytest check keeps it apart
from data/nlu. The floors catch a regression; they are not targets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEST_FILE = "tests/nlu/test_nlu.yml"
OUT_DIR = PROJECT_ROOT / "results" / "nlu"
FLOORS = {"intent": 0.80, "question": 0.75}


def run_test() -> None:
    command = [
        sys.executable, "-m", "rasa", "test", "nlu", "--nlu", TEST_FILE,
        "--model", "models/homeward.tar.gz", "--out", str(OUT_DIR), "--no-plot",
    ]
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    subprocess.run(command, cwd=PROJECT_ROOT, env=env, check=True)


def _weighted_f1(report_file: Path) -> tuple[float, int] | None:
    if not report_file.exists():
        return None
    report = json.loads(report_file.read_text())
    weighted = report["weighted avg"]
    return weighted["f1-score"], int(weighted["support"])


def report(run: bool) -> int:
    if run:
        run_test()
    scores = {
        "intent": _weighted_f1(OUT_DIR / "intent_report.json"),
        "question": _weighted_f1(OUT_DIR / "response_selection_report.json"),
    }
    failed = False
    for name, score in scores.items():
        if score is None:
            print(f"No {name} report in {OUT_DIR}: run with --run first.", file=sys.stderr)
            return 1
        f1, support = score
        ok = f1 >= FLOORS[name]
        failed |= not ok
        label = "intent" if name == "intent" else "question (retrieval intent)"
        print(f"Held-out {label} F1 (weighted): {f1:.3f} on {support} examples "
              f"[floor {FLOORS[name]:.2f}: {'ok' if ok else 'BELOW'}]")
    mistakes = OUT_DIR / "intent_errors.json"
    if mistakes.exists():
        print(f"Misclassified examples: {mistakes.relative_to(PROJECT_ROOT)}")
    return 1 if failed else 0
