"""Questions that may be what a short follow-up means ("how long does it last?" after reablement).

The classifier reads one message at a time, so a follow-up with "it" or "they" in it is often not
understood. The last answer's topic is the best clue: its other questions, ranked by the words
they share with the follow-up, are offered as "did you mean" choices.
"""

from __future__ import annotations

import re

from bot.knowledge.model import Entry, KnowledgeBase

# Words too common to tell two questions apart.
STOP_WORDS = frozenset(
    "a an and are be can do does for from get how i if in is it its me my of on or our she so the "
    "their them they this to we what when where which who will with you your he his her".split()
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOP_WORDS}


def related_questions(knowledge: KnowledgeBase, last_key: str | None, text: str, limit: int = 3) -> list[Entry]:
    """Other questions in the last answer's topic, those sharing most words with ``text`` first."""
    last = knowledge.entry(last_key) if last_key else None
    if last is None:
        return []
    said = _words(text)
    others = [e for e in knowledge.topics[last.topic].entries if e.key != last.key]
    ranked = sorted(others, key=lambda e: -len(said & _words(e.title)))  # stable: topic order on ties
    return ranked[:limit]
