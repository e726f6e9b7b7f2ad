"""The knowledge base: topics of questions, each answered per audience and area, with sources."""

from __future__ import annotations

from dataclasses import dataclass, field

AUDIENCES = ("family", "staff")
NATIONAL = "national"


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None
    file: str | None = None
    areas: tuple[str, ...] = ()
    checked_against: str | None = None
    # Phone numbers this source itself gives (e.g. a helpline); answers may quote only these.
    contacts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Citation:
    source: Source
    where: str


@dataclass(frozen=True)
class Answer:
    audience: str  # "family", "staff" or "all"
    areas: tuple[str, ...]  # ("national",) or council codes
    text: str
    citations: tuple[Citation, ...]
    last_checked: str
    # False for a local answer that only says what a plan aimed at, with nothing a person can
    # act on (a service, how to reach it, what it does): it is never shown, the national stands.
    actionable: bool = True
    # The one or two sentences of ``text`` that say the most, for a reply covering several
    # questions at once; None: the first sentence. Always words of ``text`` (the loader checks),
    # so the answer's sources hold for it.
    summary: str | None = None

    def serves(self, audience: str) -> bool:
        return self.audience in ("all", audience)

    @property
    def is_national(self) -> bool:
        return NATIONAL in self.areas


@dataclass(frozen=True)
class Entry:
    topic: str
    key: str
    title: str
    area_sensitive: bool
    answers: tuple[Answer, ...]
    # A directory need category (e.g. "carers_support") to offer local services for after the answer.
    offers_services: str | None = None

    @property
    def retrieval_intent(self) -> str:
        """The name Rasa trains and predicts, e.g. ``pathways/pathway_1``."""
        return f"{self.topic}/{self.key}"


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Ranked:
    """One question as the NLU ranked it for a message."""

    key: str  # a retrieval intent, e.g. "funding/who_pays"
    confidence: float


@dataclass
class KnowledgeBase:
    topics: dict[str, Topic] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)

    def entry(self, retrieval_intent: str) -> Entry | None:
        topic_name, _, key = retrieval_intent.partition("/")
        topic = self.topics.get(topic_name)
        if topic is None:
            return None
        return next((e for e in topic.entries if e.key == key), None)

    def entries(self) -> list[Entry]:
        return [e for t in self.topics.values() for e in t.entries]
