"""Finding the one service a user names in a sentence ("tell me about Carer Support Dorset")."""

from __future__ import annotations

import re

from bot.directory.repository import DirectoryRepository, ServiceView

CANDIDATES = 10
# Words around a service's name when people ask about it; dropped so the word search sees the name.
ASKING_WORDS = frozenset(
    "about any can details do does find get give how info information is it know like me more "
    "of on please run runs service show tell that the their them they what when where who would you".split()
)


def _words(text: str) -> str:
    return f" {' '.join(re.findall(r'[a-z0-9]+', text.lower().replace(chr(39), '')))} "


def named_service(repository: DirectoryRepository, text: str, council: str | None) -> ServiceView | None:
    """The service whose whole name appears in ``text`` (the longest such name), or None.

    A word search proposes candidates; only a service whose full name the user typed counts, so
    "tell me about carers support" never picks one service out of many.
    """
    said = _words(text)
    name_words = [word for word in said.split() if word not in ASKING_WORDS]
    if len(name_words) < 2:
        return None
    page = repository.search(text=" ".join(name_words), council=council, page_size=CANDIDATES)
    named = [view for view in page.results if _words(view.name) in said]
    return max(named, key=lambda view: len(view.name)) if named else None
