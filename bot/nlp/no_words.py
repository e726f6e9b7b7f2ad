"""A Rasa NLU component: a message with no words in it ("5", "?", "👍", "...") is not understood.

The classifier always picks its nearest intent, so a lone digit or emoji could be answered with a
discharge topic (a "5" once got the Home First answer). A message without a single word (two or more
letters or digits, one of them a letter) cannot ask anything, so it becomes ``nlu_fallback`` and gets the "did you mean"
reply. Button payloads ("/affirm") and forms' typed answers are left alone: they have words.
"""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.stateless import StatelessComponent

FALLBACK = "nlu_fallback"
# A word: two or more letters or digits with at least one letter ("ok", "P1", "RM1"), in any alphabet.
_WORD = re.compile(r"\b(?=\w*[^\W\d_])\w{2,}\b")


def has_words(text: str) -> bool:
    return bool(_WORD.search(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NoWordsResolver(StatelessComponent):
    def process_message(self, message: Message) -> None:
        text = message.get("text") or ""
        if text and not text.startswith("/") and not has_words(text):
            # No guesses either: the "did you mean" reply would offer topics picked from noise.
            message.set("intent", {"name": FALLBACK, "confidence": 1.0}, add_to_output=True)
            message.set("intent_ranking", [{"name": FALLBACK, "confidence": 1.0}], add_to_output=True)
            message.set("response_selector", {}, add_to_output=True)
