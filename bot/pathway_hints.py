"""A message that describes one patient and asks which pathway fits ("lives alone, needs two
carers twice a day, which pathway?").

The classifier hears "pathway" and the strongest words of the description ("carers" is near
"care home") and picks one pathway's definition, which reads as a verdict. Such a message is a
case for the pathway finder, whose four questions the team can answer for this patient. When the
description plainly answers exactly one finder question "yes" (care visits at home: question 2),
the reply can say which pathway that question points to, as the finder itself would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.pathway_finder import QUESTIONS, FinderQuestion

# "which pathway", "what pathway would he be", "pathway for this patient?"
_ASKS = re.compile(
    r"\b(which|what)\s+(discharge\s+)?pathway\b"
    r"|\bpathway\s+(for|would|should|will|is)\s+(he|she|they|him|her|them|this|the|my|our)\b"
    r"|\bpathway\s*\?",
    re.I,
)
# Someone in particular: a patient, a pronoun, or their living situation.
_SOMEONE = re.compile(
    r"\b(patient|pt|he|she|him|her|they|gentleman|lady|man|woman|mr|mrs|ms|mum|dad|mother|father"
    r"|lives? (alone|with)|years? old|\d+\s?(yo|y/o))\b",
    re.I,
)
# Plain descriptions that answer one finder question "yes", by the pathway it points to: only
# what the finder's own questions name (care visits at home, a 24-hour recovery bed, ongoing
# 24-hour nursing care). Nothing here decides: the reply points to the finder.
_YES_CUES: dict[int, re.Pattern[str]] = {
    1: re.compile(
        r"\b((two|2|double|one|1)\s+carers?|carers?\s+(once|twice|\d|two|three|four)"
        r"|care\s+(package|visits?|calls?)|package\s+of\s+care|poc|double[- ]?up|reablement"
        r"|(once|twice|three times|four times|qds|tds|bd)\s+(a|per)\s+day|home\s+with\s+(support|carers|help))\b",
        re.I,
    ),
    2: re.compile(
        r"\b(rehab(ilitation)?\s+bed|community\s+hospital|step[- ]down\s+bed|intermediate\s+care\s+bed)\b", re.I
    ),
    3: re.compile(r"\b(nursing\s+home|24[- ]?(hour|hr|h)\s+nursing|long[- ]term\s+(nursing\s+)?care\s+home)\b", re.I),
}
# Care that only restarts as before may be no new help at all (Pathway 0): no hint then.
_AS_BEFORE = re.compile(r"\b(restart|resume|existing|usual|same)\b", re.I)


@dataclass(frozen=True)
class PathwayHint:
    question: FinderQuestion  # the finder question the description answers "yes"
    said: str  # the words that answer it, as the user typed them


def asks_pathway_for_someone(text: str) -> bool:
    """The message asks which pathway fits a particular person."""
    return bool(_ASKS.search(text) and _SOMEONE.search(text))


def hint(text: str) -> PathwayHint | None:
    """The one finder question the description answers "yes", if exactly one."""
    found = {pathway: m for pathway, cue in _YES_CUES.items() if (m := cue.search(text))}
    if len(found) != 1 or _AS_BEFORE.search(text):
        return None
    pathway, match = found.popitem()
    question = next(q for q in QUESTIONS if q.pathway == pathway)
    return PathwayHint(question=question, said=match.group(0))
