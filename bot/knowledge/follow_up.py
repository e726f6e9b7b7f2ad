"""Reading a short follow-up ("and who pays for that?") in the light of the last answer.

The classifier reads one message at a time, so "who pays for that?" after the reablement answer
looks like the general "who pays" question. The last answer is the best clue to what "that"
means: questions that share its subject ("When reablement ends: ... who pays") are moved up the
ranking. When the classifier understood nothing, the last answer's topic gives the "did you mean"
choices instead (``related_questions``).
"""

from __future__ import annotations

import re

from bot.knowledge.model import Entry, KnowledgeBase, Ranked

# Words too common to tell two questions apart.
STOP_WORDS = frozenset(
    "a an and are be can do does for from get how i if in is it its me my of on or our she so the "
    "their them they this to we what when where which who will with you your he his her that there "
    "these those about then than any all just not no yes us was were been has have had would should "
    "could much many".split()
)
# A follow-up points back at the last answer ("is it free?", "who pays for that?"), or is a
# few words carrying on from it ("and after?"). "What about equipment?" names a new subject and
# is left to the classifier.
_POINTS_BACK = re.compile(r"\b(it|that|this|those|these|them|they|one)\b", re.I)
_CONTINUES = re.compile(r"^\s*(and|but|so|then)\b", re.I)
FOLLOW_UP_MAX_WORDS = 10
CONTINUES_MAX_WORDS = 4
# A word of an entry's key names its subject ("after_reablement": reablement) unless more than
# this share of all answers use it ("after", "care").
SUBJECT_MAX_SHARE = 0.25


def _words(text: str) -> set[str]:
    """Content words, with a plural or verb "s" taken off ("lasts" and "last" are one word)."""
    words = re.findall(r"[a-z]+", text.lower())
    return {w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
            for w in words if w not in STOP_WORDS}


def is_follow_up(text: str) -> bool:
    """A short message that leans on the last answer rather than asking something new."""
    words = len(text.split())
    if text.startswith("/") or words > FOLLOW_UP_MAX_WORDS:
        return False
    return bool(_POINTS_BACK.search(text)) or (words <= CONTINUES_MAX_WORDS and bool(_CONTINUES.search(text)))


def _about(entry: Entry) -> set[str]:
    """Every word of an entry's key, title and national answers."""
    text = " ".join([entry.key.replace("_", " "), entry.title, *(a.text for a in entry.answers if a.is_national)])
    return _words(text)


def _subject(knowledge: KnowledgeBase, entry: Entry) -> set[str]:
    """The words of an entry's key that few answers use: what it is about ("reablement", "dfg")."""
    entries = knowledge.entries()
    about = [_about(e) for e in entries]
    return {w for w in _words(entry.key.replace("_", " "))
            if sum(w in words for words in about) <= SUBJECT_MAX_SHARE * len(entries)}


def in_context(knowledge: KnowledgeBase, ranking: list[Ranked], last_key: str, text: str) -> list[Ranked]:
    """The ranking with a question on the last answer's subject first, when the follow-up's own
    words are in its title ("who pays for that?" after reablement: "When reablement ends: ... who
    pays"); otherwise the ranking as it was."""
    last = knowledge.entry(last_key)
    if last is None:
        return ranking
    subject, said = _subject(knowledge, last), _words(text)
    confidence = {r.key: r.confidence for r in ranking}
    scored: list[tuple[int, bool, float, Ranked]] = []
    for entry in knowledge.entries():
        if entry.key == last.key or not (entry.topic == last.topic or subject & _about(entry)):
            continue
        named = _words(entry.title) | _words(entry.key.replace("_", " "))
        shared = said & named - subject
        if shared:
            key = entry.retrieval_intent
            # Most shared words; then a title on the same subject; then the classifier's view.
            scored.append((len(shared), bool(subject & named), confidence.get(key, 0.0), Ranked(key, 0.0)))
    if not scored:
        return ranking
    best = max(scored, key=lambda s: s[:3])[3]  # the first in knowledge order on ties
    return [best, *(r for r in ranking if r.key != best.key)]


def question_meant(knowledge: KnowledgeBase, last_key: str | None, text: str) -> str | None:
    """The question a follow-up the classifier could not place at all is about, from the last
    answer alone ("how long does it last?" after reablement), or None."""
    if not last_key or not is_follow_up(text):
        return None
    placed = in_context(knowledge, [], last_key, text)
    return placed[0].key if placed else None


def related_questions(knowledge: KnowledgeBase, last_key: str | None, text: str, limit: int = 3) -> list[Entry]:
    """Other questions in the last answer's topic, those sharing most words with ``text`` first."""
    last = knowledge.entry(last_key) if last_key else None
    if last is None:
        return []
    said = _words(text)
    others = [e for e in knowledge.topics[last.topic].entries if e.key != last.key]
    ranked = sorted(others, key=lambda e: -len(said & _words(e.title)))  # stable: topic order on ties
    return ranked[:limit]
