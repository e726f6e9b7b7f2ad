"""The assistant never asks who someone is: no names, NHS numbers, dates of birth or contact details.

It needs none of them to give information and signposting. The nearest it comes is asking
for the council area (or a nearby town), to show the local version of an answer.
``asks_for_personal_details`` finds wording that requests such details, so a test can check
every reply the assistant can send.
"""

from __future__ import annotations

import re

_REQUEST = (
    r"(?:what(?:'s|\s+is|\s+are)|tell\s+(?:me|us)|let\s+(?:me|us)\s+know|"
    r"(?:could|can|would|will)\s+you\s+(?:please\s+)?(?:give|tell|share|send|type|enter|provide|confirm)|"
    r"(?:please\s+)?(?:give|share|send|type(?:\s+in)?|enter|provide|confirm)|"
    r"i(?:'ll|\s+will)?\s+need|we(?:'ll|\s+will)?\s+need)"
)
# Whose detail: "your", "the patient's", "your mum's"... A named role ("the discharge
# co-ordinator's name") is a contact to ask the hospital for, not the user's own details.
_WHOSE = (
    r"(?:(?:your|their|his|her|the)\s+)?"
    r"(?:(?:patient|person|relative|mum|mom|dad|mother|father|husband|wife|partner|son|daughter)(?:'s|\u2019s)\s+)?"
)
_DETAIL = (
    r"(?:(?:full|first|last|sur)\s*)?name|nhs\s+number|hospital\s+number|date\s+of\s+birth|d\.?o\.?b\b|"
    r"birthday|(?:home\s+)?address|(?:full\s+)?postcode|(?:phone|mobile|telephone)\s+number|email(?:\s+address)?"
)
_ASKS = re.compile(rf"\b{_REQUEST}\s+(?:(?:me|us)\s+)?(?:please\s+)?{_WHOSE}(?:{_DETAIL})\b", re.IGNORECASE)

# "Please don't share your NHS number" protects privacy; it isn't a request.
_NEGATION = re.compile(r"\b(?:don't|do\s+not|never|no\s+need\s+to|without|won't|will\s+not|not)\b[^.?!\n]*$",
                       re.IGNORECASE)


def asks_for_personal_details(text: str) -> str | None:
    """The words in ``text`` that ask for a personal detail, or None."""
    for found in _ASKS.finditer(text):
        sentence_so_far = re.split(r"[.?!\n]", text[: found.start()])[-1]
        if not _NEGATION.search(sentence_so_far + " " + found[0]):
            return found[0]
    return None
