"""Loads and checks the knowledge base from ``bot/knowledge/{sources,content}/*.yml``.

Every problem is collected and reported together, with the file and entry it is in, so a
content reviewer can fix them in one pass.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from bot.directory import categories
from bot.directory.areas import council_codes
from bot.knowledge.model import (
    AUDIENCES,
    NATIONAL,
    Answer,
    Citation,
    Entry,
    KnowledgeBase,
    Source,
    Topic,
)

KNOWLEDGE_DIR = Path(__file__).parent
# UK phone numbers (01/02/03/07/08 + 8-9 digits, spaced or not) and the short prefixes alone.
UK_PHONE = re.compile(r"\b0\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b|\b(?:0800|0300|0345)\b")


def _digits(number: str) -> str:
    return re.sub(r"\D", "", number)


class ContentError(ValueError):
    """The content files have problems; ``problems`` lists each with where it is."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Content problems:\n  " + "\n  ".join(problems))


def _read_yaml(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        problems.append(f"{path.name}: not valid YAML ({error})")
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path.name}: expected a mapping at the top")
        return {}
    return data


def _is_iso_date(value: Any) -> bool:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _load_sources(directory: Path, problems: list[str]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    for path in sorted(directory.glob("*.yml")):
        for raw in _read_yaml(path, problems).get("sources") or []:
            where = f"{path.name}: source {raw.get('id', '?')}"
            missing = [k for k in ("id", "title", "publisher", "date") if not raw.get(k)]
            if missing:
                problems.append(f"{where}: missing {', '.join(missing)}")
                continue
            if raw["id"] in sources:
                problems.append(f"{where}: id used twice")
            if not raw.get("url") and not raw.get("file"):
                problems.append(f"{where}: needs a url (national) or a file (seed)")
            sources[raw["id"]] = Source(
                id=raw["id"],
                title=str(raw["title"]),
                publisher=str(raw["publisher"]),
                date=str(raw["date"]),
                url=raw.get("url"),
                file=raw.get("file"),
                areas=tuple(raw.get("areas") or ()),
                checked_against=raw.get("checked_against"),
                contacts=tuple(str(c) for c in raw.get("contacts") or ()),
            )
    return sources


def parse_citations(
    cited_list: list[dict[str, Any]], sources: dict[str, Source], where: str, problems: list[str]
) -> list[Citation]:
    """The cited sources of one piece of content; unknown ids and missing 'where' go to ``problems``."""
    citations = []
    for cited in cited_list:
        source = sources.get(cited.get("id"))
        if source is None:
            problems.append(f"{where}: unknown source id {cited.get('id')!r}")
        elif not cited.get("where"):
            problems.append(f"{where}: source {source.id} needs a 'where' (section, lines)")
        else:
            citations.append(Citation(source=source, where=str(cited["where"])))
    return citations


def _parse_answer(
    raw: dict[str, Any], where: str, sources: dict[str, Source], problems: list[str]
) -> Answer | None:
    audience = raw.get("audience")
    if audience not in (*AUDIENCES, "all"):
        problems.append(f"{where}: audience must be family, staff or all, not {audience!r}")
    areas = tuple(raw.get("areas") or ())
    known_areas = {NATIONAL, *council_codes()}
    if not areas or not set(areas) <= known_areas:
        problems.append(f"{where}: areas {list(areas)} must be 'national' or council codes")
    text = (raw.get("text") or "").strip()
    if not text:
        problems.append(f"{where}: empty text")
    if not _is_iso_date(raw.get("last_checked")):
        problems.append(f"{where}: last_checked must be a date like 2026-11-23")
    citations = parse_citations(raw.get("sources") or [], sources, where, problems)
    if not citations:
        problems.append(f"{where}: every answer needs at least one source")
    # A number is stated only when a cited source gives it: never from memory.
    quoted = {_digits(c) for cite in citations for c in cite.source.contacts}
    for number in UK_PHONE.findall(text):
        if _digits(number) not in quoted:
            problems.append(
                f"{where}: phone number {number!r} is not given by any of its sources (add it to the source's contacts)"
            )
    actionable = raw.get("actionable", True)
    if not isinstance(actionable, bool) or (not actionable and NATIONAL in areas):
        problems.append(f"{where}: actionable must be true or false, and only a local answer can be false")
    summary = " ".join(str(raw.get("summary") or "").split()) or None
    if summary is not None and summary not in " ".join(text.split()):
        problems.append(f"{where}: summary must be sentences copied from the answer's text")
    if any(p.startswith(where) for p in problems):
        return None
    return Answer(
        audience=audience,
        areas=areas,
        text=text,
        citations=tuple(citations),
        last_checked=str(raw["last_checked"]),
        actionable=actionable,
        summary=summary,
    )


def _load_topic(
    path: Path, sources: dict[str, Source], problems: list[str]
) -> Topic | None:
    data = _read_yaml(path, problems)
    name = data.get("topic")
    if name != path.stem:
        problems.append(f"{path.name}: 'topic' must match the file name ({path.stem})")
        return None
    entries = []
    for raw_entry in data.get("entries") or []:
        key = raw_entry.get("key")
        where = f"{path.name}: {name}/{key}"
        if not key or not raw_entry.get("title"):
            problems.append(f"{where}: needs a key and a title")
            continue
        answers = [
            _parse_answer(raw, f"{where} answer {i + 1}", sources, problems)
            for i, raw in enumerate(raw_entry.get("answers") or [])
        ]
        answers = [a for a in answers if a is not None]
        for audience in AUDIENCES:
            if not any(a.serves(audience) and a.is_national for a in answers):
                problems.append(f"{where}: no national answer for the {audience} audience")
        offers = raw_entry.get("offers_services", data.get("offers_services"))
        if offers is not None and categories.get(offers) is None:
            problems.append(f"{where}: offers_services '{offers}' is not a directory need category")
        entries.append(
            Entry(
                topic=name,
                key=key,
                title=str(raw_entry["title"]),
                area_sensitive=bool(raw_entry.get("area_sensitive", False)),
                answers=tuple(answers),
                offers_services=offers,
            )
        )
    keys = [e.key for e in entries]
    for duplicate in {k for k in keys if keys.count(k) > 1}:
        problems.append(f"{path.name}: key {duplicate} used twice")
    return Topic(name=name, title=str(data.get("title") or name), entries=tuple(entries))


def load_knowledge(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Reads every source and topic file; raises ContentError listing all problems."""
    problems: list[str] = []
    sources = _load_sources(directory / "sources", problems)
    topics = {}
    for path in sorted((directory / "content").glob("*.yml")):
        topic = _load_topic(path, sources, problems)
        if topic is not None:
            topics[topic.name] = topic
    if problems:
        raise ContentError(problems)
    return KnowledgeBase(topics=topics, sources=sources)


@lru_cache(maxsize=1)
def default_knowledge() -> KnowledgeBase:
    """The shipped knowledge base, loaded once per process."""
    return load_knowledge()
