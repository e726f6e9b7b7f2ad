"""Text people send, made safe to process once, where it enters the gateway and Rasa.

JSON may carry half of a surrogate pair ("\\ud800", half an emoji): Python accepts it in a str,
but spaCy, SQL drivers and log handlers fail on encoding it, which once turned a crisis message
into "Sorry, something went wrong". Control characters (NUL and the like) are refused by
PostgreSQL text columns. Both are replaced here; everything else (any script, emoji) is kept.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
# C0 and C1 controls except tab, line feed and carriage return; DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """``text`` with unpaired surrogates replaced by U+FFFD and control characters by a space.

    A correctly paired surrogate (as some JSON encoders write an emoji) becomes that one character.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # Through UTF-16, pairs join up into one character and only the unpaired halves are replaced.
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return _CONTROL.sub(" ", text)
