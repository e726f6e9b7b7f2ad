"""`rasa data validate`, failing on every warning except the ones we expect and explain.

Rasa warns that the retrieval responses (utter_pathways, utter_funding, utter_out_of_scope,
...) are not used by any rule. That is by design: action_answer_question answers every
knowledge retrieval intent from bot/knowledge, action_out_of_scope answers out_of_scope from
bot/safety, and the responses exist only so the ResponseSelector can train. Responses that
only custom actions utter (bot/dialogue/short_replies.py) are reported unused too. Any other
warning fails the check.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from bot.dialogue.short_replies import ACTION_RESPONSES
from bot.knowledge.loader import default_knowledge
from bot.safety.out_of_scope import OUT_OF_SCOPE_INTENT

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WARNING = re.compile(r"UserWarning: (.*)$")


# Set only by the RedFlagDetector component and never trained: a trained red_flag intent would
# let DIET guess red flags with a confidence, which the deterministic detector exists to avoid.
RED_FLAG_WARNING = "The intent 'red_flag' is listed in the domain file, but is not found in the NLU training data."


def expected_warnings() -> set[str]:
    topics = sorted([*default_knowledge().topics, OUT_OF_SCOPE_INTENT])
    # data/responses/*.yml are read as a second domain file, and Rasa derives the retrieval
    # intents from its responses again, so the topics listed in domain.yml count as "duplicated".
    duplicated = f"The following duplicated intents have been found across multiple domain files: {', '.join(topics)}"
    unused = {f"The utterance 'utter_{topic}' is not used in any story or rule." for topic in topics}
    # Responses only custom actions utter (bot/dialogue/short_replies.py): no rule names them.
    uttered_by_actions = {f"The utterance '{name}' is not used in any story or rule." for name in ACTION_RESPONSES}
    return unused | uttered_by_actions | {RED_FLAG_WARNING, duplicated}


def validate() -> int:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    result = subprocess.run(
        [sys.executable, "-m", "rasa", "data", "validate"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
    )
    output = result.stdout + result.stderr
    warnings = [m.group(1).strip() for line in output.splitlines() if (m := WARNING.search(line))]
    unexpected = [w for w in warnings if w not in expected_warnings()]
    for warning in unexpected:
        print(f"Training data warning: {warning}", file=sys.stderr)
    if result.returncode != 0:
        print(output[-4000:], file=sys.stderr)
        print("rasa data validate failed (output above).", file=sys.stderr)
        return 1
    if unexpected:
        print(f"{len(unexpected)} unexpected warning(s) from rasa data validate.", file=sys.stderr)
        return 1
    print(f"Training data is valid ({len(warnings)} expected warnings about retrieval responses).")
    return 0
