"""Flesch-Kincaid grade of plain-English text.

A guardrail for family answers (aim: reading age about 11, i.e. FK grade ~6). The syllable
counter is a heuristic (vowel groups, silent final 'e'), good to about one syllable in ten,
which is plenty for catching long sentences and long words.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*[-*]\s|\n\n")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    word = word.lower()
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    return max(1, len(_VOWEL_GROUP.findall(word)))


def flesch_kincaid_grade(text: str) -> float:
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]))
    syllables = sum(count_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


if __name__ == "__main__":
    import sys

    print(round(flesch_kincaid_grade(sys.stdin.read()), 1))
