"""How a message frames what it describes: a staff or student hypothetical, a health event long
past, a missing person already found. Red-flag matches in such a frame get no "call now" route.

Works on the normalised text (bot/safety/normalise.py: lower case, contractions expanded).
The markers are data (``framing`` in data/red_flags.yml), so reviewers see and test them.

    >>> framing = Framing.from_data(load_data()["framing"])
    >>> framing.is_hypothetical("for our ward induction pack: what is the safeguarding referral process?")
    True
    >>> framing.is_past("dad had a heart attack back in may", "heart attack")
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# Clause boundaries: a past marker only speaks for the clause it is in ("he had a stroke
# years ago, and now his speech is slurred" has a live sign in the second clause).
_CLAUSE_SPLIT = re.compile(r"[.;:!?,\n]+|\b(?:and|but|so|because|though|although|now that|then)\b")


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + "|".join(words) + r")(?![\w'])")


@dataclass(frozen=True)
class Framing:
    hypothetical: re.Pattern[str]  # training, study, "what should happen if a patient..."
    live: re.Pattern[str]  # "right now", "please help": the situation is happening
    past: re.Pattern[str]  # "back in May", "years ago", "used to", "in 2019"
    recent: re.Pattern[str]  # "this morning", "again", "still": the event is not over
    resolved_missing: re.Pattern[str]  # "found her", "brought him home"

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> Framing:
        return cls(
            hypothetical=_alternation(raw["hypothetical"]),
            live=_alternation(raw["live"]),
            past=_alternation(raw["past"]),
            recent=_alternation(raw["recent"]),
            resolved_missing=_alternation(raw["resolved_missing"]),
        )

    def is_hypothetical(self, text: str) -> bool:
        """A training, study or 'what should happen if a patient...' question, not a live case."""
        return bool(self.hypothetical.search(text)) and not self.live.search(text)

    def is_past(self, text: str, matched: str) -> bool:
        """The clause holding ``matched`` tells of an event long past and nothing current."""
        for clause in _CLAUSE_SPLIT.split(text):
            if clause and matched in clause:
                return bool(self.past.search(clause)) and not self.recent.search(clause)
        return False

    def is_resolved_missing(self, text: str) -> bool:
        return bool(self.resolved_missing.search(text))
