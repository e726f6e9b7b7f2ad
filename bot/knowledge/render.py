"""Turns a knowledge entry into the text the assistant says, for one audience and area."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from bot.directory.areas import council
from bot.knowledge.model import Answer, Citation, Entry


@dataclass(frozen=True)
class RenderedAnswer:
    text: str
    # True when the answer has local versions for this audience and we do not know the area yet.
    ask_for_area: bool


def date_label(value: str) -> str:
    """'2021-01-18' -> '18 January 2021'; '2023-09' -> 'September 2023'."""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return dt.date.fromisoformat(value).strftime("%-d %B %Y")
        if len(parts) == 2:
            return dt.date(int(parts[0]), int(parts[1]), 1).strftime("%B %Y")
    except ValueError:
        pass
    return value


def source_line(citations: list[Citation], last_checked: str, audience: str) -> str:
    seen: list[str] = []
    for citation in citations:
        s = citation.source
        label = f"{s.title}, {s.publisher}, {date_label(s.date)}"
        if audience == "staff":
            label += f" ({citation.where})"
        if label not in seen:
            seen.append(label)
    return f"Source: {'; '.join(seen)}. Last checked {date_label(last_checked)}."


def _pick(answers: list[Answer], audience: str) -> list[Answer]:
    """Audience-specific answers win over 'all' ones for the same areas."""
    specific = [a for a in answers if a.audience == audience]
    return specific or [a for a in answers if a.audience == "all"]


def _with_sources(paragraphs: list[str], shown: list[Answer], audience: str) -> str:
    citations = [c for a in shown for c in a.citations]
    last_checked = min(a.last_checked for a in shown)
    return "\n\n".join([*paragraphs, source_line(citations, last_checked, audience)])


def _local(entry: Entry, audience: str, area: str) -> tuple[list[str], list[Answer]]:
    """The paragraphs for one council area and the answers they came from.

    A local answer that only says what a plan aimed at is left out: the national answer stands.
    """
    place = council(area)
    local = _pick([a for a in entry.answers if area in a.areas and a.actionable], audience)
    if local and place:
        return [f"In the {place.name} area: {a.text}" for a in local], local
    if entry.area_sensitive and place:
        return [
            f"I don't hold anything specific to the {place.name} area on this. "
            "The hospital ward team or the council's adult social care team can tell you what happens locally."
        ], []
    return [], []


def render_answer(entry: Entry, audience: str, area: str | None) -> RenderedAnswer:
    """The national answer, then the user's local version when there is one."""
    national = _pick([a for a in entry.answers if a.is_national], audience)
    local_text, local = _local(entry, audience, area) if area else ([], [])
    text = _with_sources([a.text for a in national] + local_text, national + local, audience)
    # Asked only where the content says areas differ and some area has words worth showing.
    ask = not area and entry.area_sensitive and has_local_versions(entry, audience)
    return RenderedAnswer(text=text, ask_for_area=ask)


def has_local_versions(entry: Entry, audience: str) -> bool:
    """Whether knowing the area would change this answer for this audience: some council has its own
    text worth showing (an answer that only states an aim does not count)."""
    return bool(_pick([a for a in entry.answers if not a.is_national and a.actionable], audience))


def render_local_answer(entry: Entry, audience: str, area: str) -> str | None:
    """Only the local version, for when the user tells us their area after an answer."""
    local_text, local = _local(entry, audience, area)
    if not local_text:
        return None
    return _with_sources(local_text, local, audience) if local else local_text[0]


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def summary(entry: Entry, audience: str) -> tuple[str, list[Answer]]:
    """The gist of the national answer for this audience: its own summary, else its first sentence."""
    national = _pick([a for a in entry.answers if a.is_national], audience)
    first = national[0]
    return first.summary or _SENTENCE_END.split(first.text, maxsplit=1)[0], [first]


def render_several(entries: list[Entry], audience: str) -> str:
    """One short reply covering a few questions asked together: the gist of each, with the sources.

    Area-free on purpose: the gist is the national answer, and the full answer (one button each)
    is where the local version and the question about the area belong."""
    lines, shown = [SEVERAL_INTRO], []
    for entry in entries:
        gist, answers = summary(entry, audience)
        lines.append(f"{entry.title}\n{gist}")
        shown.extend(answers)
    lines.append(SEVERAL_OUTRO)
    return _with_sources(lines, shown, audience)


SEVERAL_INTRO = "You asked about a few things. In short:"
SEVERAL_OUTRO = "Pick one below for the full answer."
