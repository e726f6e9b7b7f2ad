"""How to reply to one typed question, from the NLU's ranking of our questions.

The classifier ranks every question in the knowledge base for the whole message. That ranking,
not only its top line, says what kind of reply fits:

- one question clearly first: answer it;
- a long message whose ranking holds strong questions from different topics ("she can barely
  walk and I work full time, what help can we get?"): a short reply covering each, up to three;
- no clear winner: "did you mean" with the best three questions;
- a short follow-up ("and who pays for that?"): ranked again in the light of the last answer
  (bot/knowledge/follow_up.py).

Pure functions on typed data; the actions read the ranking from Rasa's parse data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.knowledge import follow_up
from bot.knowledge.model import KnowledgeBase, Ranked

MAX_SEVERAL = 3
# Chosen with `python -m bot reply-report` on the shipped model (dev and real sets; figures in
# the README). A classifier that ranks on another scale needs them chosen again.
# The top question is clear when it has this much confidence, or this lead over the next one;
# a long message whose top question is not clear may ask several things.
SURE = 0.3
CLEAR_LEAD = 2.0
# A question counts as a need of its own when it has this share of the top one's confidence.
SEVERAL_SHARE = 0.3
SEVERAL_MIN_WORDS = 14  # shorter messages rarely ask two things; their runner-up is noise
# The person leaving hospital and the plan for them come before the carer's own rights: a
# family asking everything at once needs to know first that discharge waits for a plan.
TOPIC_ORDER = ("rights", "discharge_process", "pathways", "services", "funding", "equipment",
               "chc", "care_homes", "carers")


class Kind(str, Enum):
    ANSWER = "answer"
    SEVERAL = "several"
    DID_YOU_MEAN = "did_you_mean"


@dataclass(frozen=True)
class ReplyPlan:
    kind: Kind
    keys: tuple[str, ...]  # the question to answer, or the questions to cover or offer, in order


def _parts(text: str) -> list[str]:
    """Clauses of a message: split at sentence ends, commas, semicolons and 'and'/'but'/'also'."""
    pieces = re.split(r"[.?!;,]+|\b(?:and|but|also|plus)\b", text.lower())
    return [p for p in (piece.strip() for piece in pieces) if len(p.split()) >= 2]


def _topic(key: str) -> str:
    return key.partition("/")[0]


def _several(ranking: list[Ranked], text: str) -> list[str]:
    """The best question of each topic that is a need of its own in a long message, else []."""
    if len(text.split()) < SEVERAL_MIN_WORDS or len(_parts(text)) < 2 or not ranking:
        return []
    if ranking[0].confidence >= SURE:  # a long message that still plainly asks one thing
        return []
    floor = ranking[0].confidence * SEVERAL_SHARE
    best: dict[str, str] = {}
    for ranked in ranking:
        if ranked.confidence >= floor and _topic(ranked.key) not in best:
            best[_topic(ranked.key)] = ranked.key
    if len(best) < 2:
        return []
    chosen = list(best.values())[:MAX_SEVERAL]  # the strongest three, then shown in topic order
    order = {topic: i for i, topic in enumerate(TOPIC_ORDER)}
    return sorted(chosen, key=lambda key: order.get(_topic(key), len(order)))


def _unclear(ranking: list[Ranked]) -> bool:
    if len(ranking) < 2:
        return False
    top, second = ranking[0].confidence, ranking[1].confidence
    return top < SURE and top < CLEAR_LEAD * second


def plan_reply(
    knowledge: KnowledgeBase, ranking: list[Ranked], text: str, last_key: str | None = None
) -> ReplyPlan | None:
    """What to say for a typed question, or None when the ranking names nothing we hold."""
    ranking = [r for r in ranking if knowledge.entry(r.key) is not None]
    if follow_up.is_follow_up(text) and last_key:
        in_context = follow_up.in_context(knowledge, ranking, last_key, text)
        if in_context[:1] != ranking[:1]:  # the last answer settled what "that" means
            return ReplyPlan(Kind.ANSWER, (in_context[0].key,))
    if not ranking:
        return None
    several = _several(ranking, text)
    if several:
        return ReplyPlan(Kind.SEVERAL, tuple(several))
    if _unclear(ranking):
        return ReplyPlan(Kind.DID_YOU_MEAN, tuple(r.key for r in ranking[:MAX_SEVERAL]))
    return ReplyPlan(Kind.ANSWER, (ranking[0].key,))
