"""Which domain response answers a message that asks nothing ("ok", "no", "hi", "thanks").

Pure rules, used by ``actions/small_talk.py``; the words themselves are responses in
``domain.yml``. Kept here so the set of responses the actions utter is known in one place
(``bot/validate_data.py`` expects Rasa to call them unused: no rule names them).
"""

from __future__ import annotations

# intent -> the response outside a form; "<response>_staff" is used for staff when it exists.
OUTSIDE_FORM = {
    "greet": "utter_greet",
    "goodbye": "utter_goodbye",
    "thank": "utter_you_are_welcome",
    "affirm": "utter_short_affirm",
    "deny": "utter_short_deny",
    "unsure": "utter_short_unsure",
    "go_back": "utter_short_go_back",
    "stop": "utter_short_stop",
    "bot_challenge": "utter_iamabot",
    "i_am_staff": "utter_staff_mode",
    "i_am_family": "utter_family_mode",
}
# "I'm a ward nurse" typed in the public chat: its answers stay for families (only the signed-in
# console gives staff answers), so the reply says so instead of promising staff answers.
STAFF_MODE_IN_PUBLIC_CHAT = "utter_staff_mode_in_public_chat"
# Inside a form the form asks its question again straight after, so the reply only acknowledges.
IN_FORM = {
    "greet": "utter_hello_in_form",
    "thank": "utter_you_are_welcome_in_form",
    "bot_challenge": "utter_iamabot",
}
OUTSIDE_FORM_DEFAULT = "utter_short_affirm"
IN_FORM_DEFAULT = "utter_please_answer_in_form"
DENY_AFTER_ANSWER = "utter_short_deny_after_answer"  # "no, that's not what I asked"
CORE_FALLBACK = "utter_core_fallback"
TURN_RECOVERED = "utter_turn_recovered"
# Said without next-step buttons: the user is leaving.
ENDS_CONVERSATION = frozenset({"utter_goodbye"})
STAFF_SUFFIX = "_staff"
STAFF_VARIANTS = frozenset({"utter_greet_staff"})

# Every response only the actions utter (for the data validator).
ACTION_RESPONSES = frozenset(
    {*OUTSIDE_FORM.values(), *IN_FORM.values(), OUTSIDE_FORM_DEFAULT, IN_FORM_DEFAULT, DENY_AFTER_ANSWER,
     CORE_FALLBACK, TURN_RECOVERED, STAFF_MODE_IN_PUBLIC_CHAT, *STAFF_VARIANTS}
)


def short_reply(intent: str | None, in_form: bool, audience: str, after_answer: bool) -> str:
    """The response for this intent, where the conversation is, and who is asking."""
    if in_form:
        response = IN_FORM.get(intent or "", IN_FORM_DEFAULT)
    elif intent == "deny" and after_answer:
        response = DENY_AFTER_ANSWER
    elif intent == "i_am_staff" and audience != "staff":
        response = STAFF_MODE_IN_PUBLIC_CHAT
    else:
        response = OUTSIDE_FORM.get(intent or "", OUTSIDE_FORM_DEFAULT)
    staff_variant = response + STAFF_SUFFIX
    return staff_variant if audience == "staff" and staff_variant in STAFF_VARIANTS else response
