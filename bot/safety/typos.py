"""Typo tolerance for red-flag words (spaCy 3.4's Matcher has no FUZZY operator).

A word is corrected only when it is not an English word we know, is long enough, and is
within a small edit distance of a word the red-flag patterns use: "brething" -> "breathing",
"sucidal" -> "suicidal", "siezure" -> "seizure". Candidates are found with a deletion index
(the SymSpell idea) and checked with the optimal-string-alignment distance, which counts a
swapped pair of letters as one edit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class TypoSettings:
    min_length: int = 5  # words this long or longer may have one edit
    long_length: int = 8  # words this long or longer may have two
    max_edits: int = 1
    max_edits_long: int = 2

    def allowed_edits(self, word: str) -> int:
        if len(word) >= self.long_length:
            return self.max_edits_long
        if len(word) >= self.min_length:
            return self.max_edits
        return 0


def osa_distance(a: str, b: str) -> int:
    """Levenshtein distance where swapping two neighbouring letters also costs one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _is_one_swap(a: str, b: str) -> bool:
    differ = [i for i in range(len(a)) if a[i] != b[i]] if len(a) == len(b) else []
    if len(differ) != 2 or differ[1] != differ[0] + 1:
        return False
    first, second = differ
    return a[first] == b[second] and a[second] == b[first]


class TypoCorrector:
    def __init__(
        self,
        targets: Iterable[str],
        known_words: set[str],
        protected: Iterable[str] = (),
        settings: TypoSettings | None = None,
    ) -> None:
        self.settings = settings or TypoSettings()
        self.targets = frozenset(t for t in targets if t.isalpha() and len(t) >= self.settings.min_length - 1)
        self.known_words = known_words
        self.protected = frozenset(w.lower() for w in protected)
        self._index: dict[str, set[str]] = defaultdict(set)
        self._anagrams: dict[str, set[str]] = defaultdict(set)
        for target in self.targets:
            for variant in _deletions(target, self.settings.max_edits_long):
                self._index[variant].add(target)
            self._anagrams["".join(sorted(target))].add(target)
        self.correct = lru_cache(maxsize=4096)(self._correct)

    def _correct(self, word: str) -> str:
        """The trigger word this is a typo of, or the word unchanged."""
        if not word.isalpha() or word in self.targets or word in self.protected or word in self.known_words:
            return word
        if len(word) == self.settings.min_length - 1:
            # Four letters: only a swapped pair ("pian" -> "pain"), anything more is too risky.
            swaps = sorted(t for t in self._anagrams.get("".join(sorted(word)), ()) if _is_one_swap(word, t))
            return swaps[0] if len(swaps) == 1 else word
        allowed = self.settings.allowed_edits(word)
        if not allowed:
            return word
        # Closest first; at equal distance a missing or doubled letter ("confussed" -> "confused")
        # is a likelier slip than a wrong one ("concussed").
        scored = sorted(
            (distance, not _is_subsequence_pair(word, target), target)
            for target in self._candidates(word, allowed)
            if (distance := osa_distance(word, target)) <= allowed
        )
        if not scored:
            return word
        # Two equally likely targets means we cannot tell which was meant: leave it alone.
        if len(scored) > 1 and scored[0][:2] == scored[1][:2] and _lemma_differs(scored[0][2], scored[1][2]):
            return word
        return scored[0][2]

    def _candidates(self, word: str, depth: int) -> set[str]:
        found: set[str] = set()
        for variant in _deletions(word, depth):
            found |= self._index.get(variant, set())
        # A swapped pair needs two deletions to meet in the index; anagrams find it directly.
        return found | self._anagrams.get("".join(sorted(word)), set())


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(letter in letters for letter in short)


def _is_subsequence_pair(a: str, b: str) -> bool:
    return _is_subsequence(a, b) if len(a) <= len(b) else _is_subsequence(b, a)


def _lemma_differs(a: str, b: str) -> bool:
    # "breath"/"breathe" are both fine answers; a tie between unrelated words is not.
    return not (a.startswith(b) or b.startswith(a))
