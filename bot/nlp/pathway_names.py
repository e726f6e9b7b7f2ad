"""Pathway names as people write them ("P1", "pathway two"): plain Python, no spaCy, so the
action server can read them without loading the NLP pipeline."""

from __future__ import annotations

PATHWAY_WORDS = {"0": ["0", "zero", "nought"], "1": ["1", "one"], "2": ["2", "two"], "3": ["3", "three"]}


def pathway_number(mention: str) -> str | None:
    """'P1', 'pathway two', 'Pathway 0' -> '1', '2', '0' (None if it is not a pathway name)."""
    words = mention.lower().split()
    if len(words) == 1 and len(words[0]) == 2 and words[0][0] == "p":
        words = ["pathway", words[0][1]]
    if len(words) != 2 or words[0] != "pathway":
        return None
    return next((number for number, names in PATHWAY_WORDS.items() if words[1] in names), None)
