"""Red-flag routes when Rasa is down: the web gateway calls this before its "not available" reply.

Detection here needs no Rasa and no trained model, only the spaCy pipeline, so a message like
"mum can't breathe" still gets "call 999" while the assistant is unavailable.

    replies = offline_replies(message, audience="family")   # [] when there is no red flag
    messages = [*replies, {"text": UNAVAILABLE}]
"""

from __future__ import annotations

import logging

from bot.safety.red_flags import default_detector
from bot.safety.routes import GENERAL, route_text

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Load detection at gateway start, so the first offline reply is not a second late."""
    default_detector()


def offline_replies(message: str, audience: str = "family", area: str | None = None) -> list[dict[str, str]]:
    """The red-flag route for ``message`` as gateway replies, or [] when there is no red flag.

    If detection itself fails, the general route (999, NHS 111, Samaritans) is given: a message we
    could not check is treated as one that may need it, never answered with silence.
    """
    try:
        flag = default_detector().detect(message)
    except Exception:  # the message text is never logged, only that detection failed
        log.exception("Red-flag detection failed while Rasa was unavailable")
        return [{"text": route_text(GENERAL, audience, area)}]
    if flag is None:
        return []
    return [{"text": route_text(flag.group, audience, area)}]
