"""The everyday requests the unrelated-message classifier learns from, and where they come from.

They are CLINC150 (Larson et al., EMNLP 2019; github.com/clinc/oos-eval, CC BY 3.0): 150 kinds of
request to a voice assistant (banking, travel, cooking, ...), none about leaving hospital. The
kinds our own NLU answers (greetings, thanks, yes/no, "what can you do", ...) are left out, so
they are never learnt as unrelated. The files are vendored (a fresh clone has no shared dataset
folder): ``bot/nlp/data/clinc150_train_unrelated.txt`` is what the component trains on and
``tests/evaluation/clinc150_val_unrelated.txt`` is kept for measuring, never trained on.

    python -m bot unrelated-report --vendor ../shared/datasets/clinc150   # rewrites both files
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
TRAIN_FILE = Path(__file__).parent / "data" / "clinc150_train_unrelated.txt"
VAL_FILE = PROJECT_ROOT / "tests" / "evaluation" / "clinc150_val_unrelated.txt"
# CLINC150 intents that our own NLU answers (greet, goodbye, thank, affirm, deny, unsure,
# bot_challenge, help, stop) or that manage the conversation ("say that again"): not unrelated.
SMALL_TALK_INTENTS = frozenset(
    {"greeting", "goodbye", "thank_you", "yes", "no", "maybe", "are_you_a_bot", "what_can_i_ask_you",
     "cancel", "repeat"}
)
HEADER = """\
# CLINC150 {splits}: everyday requests, none about leaving hospital; one "intent<TAB>text" a line.
# Source: github.com/clinc/oos-eval data/data_full.json at commit 828f809 (Larson et al., "An
# Evaluation Dataset for Intent Classification and Out-of-Scope Prediction", EMNLP 2019).
# Licence: Creative Commons Attribution 3.0 (CC BY 3.0), https://creativecommons.org/licenses/by/3.0/
# (full text: bot/nlp/data/CLINC150_LICENSE).
# Changes: only these splits; intents our assistant answers itself left out ({left_out}).
# Written by bot/nlp/unrelated_data.py; do not edit by hand.
"""


@dataclass(frozen=True)
class Request:
    intent: str
    text: str


def read_requests(path: Path) -> list[Request]:
    requests: list[Request] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            intent, text = line.split("\t", 1)
            requests.append(Request(intent, text))
    return requests


def unrelated_requests(pairs: list[list[str]]) -> list[Request]:
    """The dataset's [text, intent] pairs without the small talk, in the dataset's order."""
    return [Request(intent, " ".join(text.split())) for text, intent in pairs if intent not in SMALL_TALK_INTENTS]


def write_requests(path: Path, splits: list[str], requests: list[Request]) -> None:
    header = HEADER.format(splits=" + ".join(splits), left_out=", ".join(sorted(SMALL_TALK_INTENTS)))
    lines = [f"{r.intent}\t{r.text}" for r in requests]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")


def vendor(source_dir: Path) -> list[Path]:
    """Rewrites the vendored train and val files from the dataset's train_val.json."""
    data = json.loads((source_dir / "train_val.json").read_text(encoding="utf-8"))
    train = unrelated_requests(data["train"] + data["oos_train"])
    # A few val requests are word for word in train: measuring on them would flatter the model.
    seen = {r.text for r in train}
    val = [r for r in unrelated_requests(data["val"] + data["oos_val"]) if r.text not in seen]
    write_requests(TRAIN_FILE, ["train", "oos_train"], train)
    write_requests(VAL_FILE, ["val", "oos_val (requests also in train left out)"], val)
    return [TRAIN_FILE, VAL_FILE]
