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


def _clause_of(text: str, matched: str) -> str:
    """The clause holding ``matched`` ("" if the match spans clauses)."""
    return next((clause for clause in _CLAUSE_SPLIT.split(text) if clause and matched in clause), "")


_HAD = frozenset({"had", "having"})
_SENTENCE_END = re.compile(r"[.!?\n]")


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(?:" + "|".join(words) + r")(?![\w'])")


@dataclass(frozen=True)
class Framing:
    hypothetical: re.Pattern[str]  # training, study, "what should happen if a patient..."
    live: re.Pattern[str]  # "right now", "please help": the situation is happening
    past: re.Pattern[str]  # "back in May", "years ago", "used to", "in 2019"
    recent: re.Pattern[str]  # "this morning", "again", "still": the event is not over
    resolved_missing: re.Pattern[str]  # "found her", "brought him home"
    earlier_episode: re.Pattern[str]  # "last time", "previously": a find told from an earlier episode
    history: re.Pattern[str]  # "has had a", "history of", "two": a condition named as background
    general_question: re.Pattern[str]  # "is it normal...", "what are the signs of...": asked in general

    @classmethod
    def from_data(cls, raw: dict[str, Any]) -> Framing:
        return cls(
            hypothetical=_alternation(raw["hypothetical"]),
            live=_alternation(raw["live"]),
            past=_alternation(raw["past"]),
            recent=_alternation(raw["recent"]),
            resolved_missing=_alternation(raw["resolved_missing"]),
            earlier_episode=_alternation(raw["earlier_episode"]),
            history=re.compile("(?:" + "|".join(raw["history"]) + r")\s*$"),
            general_question=re.compile(r"^\s*(?:" + "|".join(raw["general_question"]) + r")(?![\w'])"),
        )

    def is_hypothetical(self, text: str) -> bool:
        """A training, study or 'what should happen if a patient...' question, or one general
        question about a sign ("is it normal to bruise easily?"), not a live case."""
        framed = bool(self.hypothetical.search(text)) or self._is_one_general_question(text)
        return framed and not self.live.search(text)

    def _is_one_general_question(self, text: str) -> bool:
        # Only a message that is that one question: "is it normal...? Dad's face has dropped" is live.
        return bool(self.general_question.match(text)) and not _SENTENCE_END.search(text.strip().rstrip("?"))

    def is_history(self, text: str, matched: str) -> bool:
        """``matched`` is named as background ("she has had a stroke", "two faints"), not as
        something happening: the words just before it say so, and its clause says nothing is
        happening now ("three fits today" is live)."""
        if self.recent.search(_clause_of(text, matched)):
            return False
        at = text.find(matched)
        if at <= 0:
            return False
        before = text[:at]
        first = matched.split()[0]
        if first in _HAD:  # "she has [had a stroke]": the auxiliary is outside the match
            before += first
        return bool(self.history.search(before))

    def is_past(self, text: str, matched: str) -> bool:
        """The clause holding ``matched`` tells of an event long past and nothing current."""
        clause = _clause_of(text, matched)
        return bool(self.past.search(clause)) and not self.recent.search(clause)

    def is_resolved_missing(self, text: str) -> bool:
        """The person has been found: a find in a clause that is not about an earlier time
        ("last time they found him in the car park" says nothing of today)."""
        return any(
            not self.earlier_episode.search(_clause_of(text, found.group()))
            for found in self.resolved_missing.finditer(text)
        )
