"""What users are told about reaching a person: passing them on, nobody free, out of hours.

The contact route never invents a number or address: the council is named and the user is
told to find its adult social care team through the council's website; NHS 111 and 999 are
the national numbers the rest of the assistant uses too (bot/safety/routes.yml cites them).
"""

from __future__ import annotations

from bot.safety.routes import council_label

CLOSED, NOBODY_FREE, UNAVAILABLE = "closed", "nobody_free", "unavailable"

PASSING_ON = (
    "I'm passing you to a member of our helpline team. Please keep this page open: their replies "
    "will appear here. While you wait, you can type what you'd like help with."
)
QUEUED_NOTICE = "You're waiting for a member of our helpline team. They'll reply here."
STILL_WAITING = "Your message has been passed on. A member of staff will reply here."
HEALTH_SAFETY_LINE = "For urgent health worries, call NHS 111. In an emergency, call 999."


def first_name(staff_name: str | None) -> str | None:
    words = (staff_name or "").split()
    return words[0] if words else None


def talking_to(staff_name: str | None) -> str:
    """'Sam' or 'a member of staff': how the user sees who they are talking to."""
    return first_name(staff_name) or "a member of staff"


def joined_notice(staff_name: str | None) -> str:
    who = first_name(staff_name)
    if who:
        return f"{who} from the helpline team has joined the chat."
    return "A member of the helpline team has joined the chat."


def handed_back_notice(staff_name: str | None) -> str:
    who = first_name(staff_name) or "The member of staff"
    return f"{who} has handed you back to the Homeward assistant. You can keep asking me questions."


def ended_notice(staff_name: str | None) -> str:
    who = first_name(staff_name) or "The member of staff"
    return f"{who} has ended the chat with the helpline team. You can keep asking me questions, or start again."


USER_LEFT_NOTICE = "You left the queue for the helpline team. You're talking to the Homeward assistant again."


def adult_social_care_route(area: str | None) -> str:
    """'contact BCP Council's adult social care team through the council website'."""
    label = council_label(area)
    if label is None:
        return (
            "contact the adult social care team at the council where the person lives, "
            "through the council's website"
        )
    return f"contact {label}'s adult social care team through the council website"


def contact_route(area: str | None, audience: str = "family") -> str:
    if audience == "staff":  # ward and helpline staff are the ward team: point them at the discharge route
        return (
            f"For advice on a patient's discharge, use your hospital's discharge team or transfer of care hub, "
            f"or {adult_social_care_route(area)}. In an emergency, call 999."
        )
    return (
        f"For help with care after leaving hospital, {adult_social_care_route(area)}. "
        f"If the person is still in hospital, the ward team can help too. {HEALTH_SAFETY_LINE}"
    )


def why_nobody(reason: str, hours: str | None) -> str:
    if reason == CLOSED:
        when = f" The team answers chats {hours} (UK time)." if hours else ""
        return f"Our helpline team isn't available to chat right now.{when}"
    if reason == NOBODY_FREE:
        return "Sorry, nobody from our helpline team is free to chat right now."
    return "Sorry, I can't connect you to a person from this chat right now."


def nobody_available(reason: str, area: str | None, hours: str | None, audience: str = "family") -> str:
    """Out of hours, nobody free, or the handoff service is down: say so, and give the route."""
    return f"{why_nobody(reason, hours)} {contact_route(area, audience)}"


def nobody_came_notice(area: str | None, hours: str | None, closed: bool) -> str:
    reason = CLOSED if closed else NOBODY_FREE
    return f"{why_nobody(reason, hours)} You're talking to the Homeward assistant again. {contact_route(area)}"


def staff_left_notice(staff_name: str | None, area: str | None) -> str:
    who = first_name(staff_name) or "The member of staff"
    return (
        f"{who} has had to leave the chat. You're talking to the Homeward assistant again. {contact_route(area)}"
    )


# ---- when a part of the assistant fails (the gateway says these; see docs/handoff.md) ----------

PERSON_ROUTE = (
    "To talk to a person, choose \"Talk to a person\". If you need help now, contact the hospital ward team, "
    "or call NHS 111. In an emergency, call 999."
)
NO_REPLY = (
    "Sorry, something went wrong on our side and I couldn't answer that. Please try again in a minute or two, "
    f"or ask in a different way. {PERSON_ROUTE}"
)
TIMED_OUT = (
    "Sorry, I'm taking too long to answer. Please wait a minute, then send your message again. "
    f"{PERSON_ROUTE}"
)
