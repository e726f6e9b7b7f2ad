"""What the assistant says never uses the project's internal words for its sources."""

from __future__ import annotations

import re

import pytest

from bot.directory.areas import council_codes
from bot.knowledge.loader import default_knowledge
from bot.knowledge.model import AUDIENCES
from bot.knowledge.render import render_answer

# "seed" is this project's word for the five council and NHS reports; users never heard it.
INTERNAL_WORDS = re.compile(r"\b(seeds?|seed-digest|digest)\b", re.IGNORECASE)


@pytest.mark.parametrize("audience", sorted(AUDIENCES))
def test_no_answer_uses_internal_words(audience: str) -> None:
    found = []
    for entry in default_knowledge().entries():
        for area in (None, *council_codes()):
            text = render_answer(entry, audience, area).text
            if INTERNAL_WORDS.search(text):
                found.append((entry.retrieval_intent, area, INTERNAL_WORDS.search(text).group(0)))
    assert found == []
