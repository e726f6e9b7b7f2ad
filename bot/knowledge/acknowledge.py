"""One plain sentence that acknowledges a writer who says they are struggling.

Real messages from carers often carry the need and the strain together ("I want him home but
just don't think I will be able to cope"). The answer should still be the information they
asked for, but opening with a bare fact reads as cold. This finds the common ways people say
they are not coping and gives one calm sentence to put before the answer.

It is not a safety check: messages that suggest someone is in danger are the red-flag
detector's (bot/safety), which answers first whatever this finds.
"""

from __future__ import annotations

import re

# Phrases carers use for strain, not danger. Kept to ones whose meaning does not depend on
# context ("tired" alone is often about the patient; "I'm tired of caring" is about the writer).
_STRUGGLING = re.compile(
    r"\b("
    r"(can'?t|cannot|can ?not|won'?t be able to|unable to|not able to|don'?t think i (can|could|will be able to)) "
    r"(cope|manage|carry on|do this|go on like this)"
    r"|not coping|struggling( to cope)?|at the end of my tether|at my wits'? end|on my knees"
    r"|exhausted|worn out|burn(ed|t) out|overwhelm(ed|ing)|unbearable|falling apart"
    r"|(so|really|very|sick with) worr(ied|y)|worried sick|out of my depth"
    # Said of the writer ("I'm worried about mum coming home"), not of the patient ("she's anxious").
    r"|(i'?m|i am|we'?re|we are|i feel|we feel|i'?ve been|feeling) (so |really |very |quite |a bit |just )?"
    r"(worried|scared|frightened|anxious|stressed|terrified|panicking|panicked)"
    r"|no idea what to do|don'?t know what to do|(feel|feeling) (so )?(lost|alone|helpless|desperate)"
    r"|in tears|crying"
    r")\b",
    re.IGNORECASE,
)

ACKNOWLEDGEMENT = "That sounds really hard, and you don't have to sort it all out on your own."


def acknowledgement(message: str) -> str | None:
    """The sentence to say before the answer when the writer says they are struggling, else None."""
    return ACKNOWLEDGEMENT if _STRUGGLING.search(message or "") else None
