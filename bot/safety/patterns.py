"""Compiles the red-flag phrase language (see bot/safety/data/red_flags.yml) into spaCy
Matcher token patterns.

    word   a|b   =exact   @set   word?   *   *6   #

Words match on LEMMA, exact words on NORM (the detector sets both from the lower-cased,
typo-corrected word), a gap ``*`` is up to ``max_gap`` optional wildcard tokens, and ``#``
is a number of 10 or more (the detector gives such tokens the norm ``BIG_NUMBER``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

TokenPattern = dict[str, object]
BIG_NUMBER = "#big-number"


class PatternError(ValueError):
    """A phrase in the red-flag data cannot be compiled; the message says which and why."""


def _words(alternatives: str, sets: Mapping[str, Sequence[str]], phrase: str) -> list[str]:
    words: list[str] = []
    for alternative in alternatives.split("|"):
        if alternative.startswith("@"):
            name = alternative[1:]
            if name not in sets:
                raise PatternError(f"{phrase!r}: unknown set @{name}")
            words.extend(w.lower() for w in sets[name])
        elif alternative:
            words.append(alternative.lower())
        else:
            raise PatternError(f"{phrase!r}: empty alternative in {alternatives!r}")
    return words


def compile_phrase(
    phrase: str,
    lemma: Callable[[str], str],
    sets: Mapping[str, Sequence[str]],
    max_gap: int,
) -> list[TokenPattern]:
    pattern: list[TokenPattern] = []
    for part in phrase.split():
        if part.startswith("*"):
            gap = int(part[1:]) if part[1:] else max_gap
            pattern.extend({"OP": "?"} for _ in range(gap))
            continue
        if part == "#":
            pattern.append({"NORM": BIG_NUMBER})
            continue
        optional = part.endswith("?") and len(part) > 1
        part = part.rstrip("?") if optional else part
        if not part.startswith("=") and "|=" in part:
            # A leading "=" makes every alternative exact; a later one alone would silently never match.
            raise PatternError(f"{phrase!r}: in {part!r} only a leading '=' makes words exact; split the phrase")
        if part.startswith("="):
            exact = part.replace("=", "")  # "=fit|=fits" and "=fit|fits" mean the same
            token: TokenPattern = {"NORM": {"IN": sorted(set(_words(exact, sets, phrase)))}}
        else:
            token = {"LEMMA": {"IN": sorted({lemma(w) for w in _words(part, sets, phrase)})}}
        if optional:
            token["OP"] = "?"
        pattern.append(token)
    if not pattern or all(t.get("OP") == "?" for t in pattern):
        raise PatternError(f"{phrase!r}: needs at least one word that must be there")
    if pattern[0].get("OP") == "?" or pattern[-1].get("OP") == "?":
        raise PatternError(f"{phrase!r}: must start and end with a word that must be there")
    return pattern


def literal_words(phrase: str, sets: Mapping[str, Sequence[str]]) -> set[str]:
    """Every word a phrase names, for the typo corrector's target list."""
    words: set[str] = set()
    for part in phrase.split():
        if part.startswith("*") or part == "#":
            continue
        words.update(_words(part.rstrip("?").replace("=", ""), sets, phrase))
    return words
