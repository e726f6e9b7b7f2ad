"""Rewrites a message into the plain lower-case form the red-flag patterns are written for.

Contractions are expanded so one pattern ("can not breathe") covers "can't", "cant",
"cannot" and "can’t"; hyphens between letters become spaces ("self-harm"); runs of one
letter are shortened ("painnnn"); shorthand from the red-flag data is expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "“": '"', "”": '"'})

# Negative contractions with and without the apostrophe ("dont", "doesnt" are common in chat).
_CONTRACTIONS: tuple[tuple[str, str], ...] = (
    (r"can'?t|cannot|carn'?t|cnt", "can not"),
    (r"won'?t", "will not"),
    (r"don'?t", "do not"),
    (r"doesn'?t|dosen'?t|doesnt", "does not"),
    (r"didn'?t|didnt", "did not"),
    (r"isn'?t", "is not"),
    (r"aren'?t", "are not"),
    (r"wasn'?t", "was not"),
    (r"weren'?t", "were not"),
    (r"hasn'?t", "has not"),
    (r"haven'?t", "have not"),
    (r"hadn'?t", "had not"),
    (r"couldn'?t", "could not"),
    (r"wouldn'?t", "would not"),
    (r"shouldn'?t", "should not"),
    (r"mustn'?t", "must not"),
    (r"ain'?t", "is not"),
)
_CONTRACTION_RES = tuple((re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), to) for pattern, to in _CONTRACTIONS)
_HYPHEN_BETWEEN_LETTERS = re.compile(r"(?<=[A-Za-z])[-‐–—](?=[A-Za-z])")
_LONG_RUN = re.compile(r"([a-z])\1{2,}")


@dataclass(frozen=True)
class Shorthand:
    pattern: re.Pattern[str]
    replacement: str

    @classmethod
    def from_data(cls, raw: dict) -> Shorthand:
        whole_word = rf"(?<![\w']){re.escape(raw.get('word', ''))}(?![\w'])"
        source = raw.get("regex") or whole_word
        flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
        return cls(re.compile(source, flags), raw["to"])


def normalise(text: str, shorthand: tuple[Shorthand, ...] = ()) -> str:
    """The message, lower-cased and rewritten for matching (never shown to anyone)."""
    text = text.translate(_QUOTES)
    # Case-sensitive shorthand ("SOB") must see the user's own casing, so it runs first.
    for entry in shorthand:
        text = entry.pattern.sub(entry.replacement, text)
    text = _HYPHEN_BETWEEN_LETTERS.sub(" ", text).replace("&", " and ")
    for pattern, replacement in _CONTRACTION_RES:
        text = pattern.sub(replacement, text)
    return _LONG_RUN.sub(r"\1\1", text.lower())
