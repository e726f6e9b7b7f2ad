"""A Rasa NLU component: a message that only says where someone lives is ``inform_area``.

Replies to "Which council area?" are short and varied ("RM1", "RM3 7HE", "my postcode is
HR1 2AB", "Manchester", "sorry, she lives in Romford not Poole", "somewhere else"), and the
classifier, trained on sentences, sends many of them to the fallback. The gazetteer and the
postcode rules already know every place we can answer for, so this component decides
deterministically: when everything in the message is a place, a postcode or a filler word, the
intent becomes ``inform_area``. A sentence that also asks something ("I live in Hereford, what
help is there for carers") keeps its intent; the actions read the place from it.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.directory.areas import normalise, place_mentions
from bot.directory.postcodes import UK_POSTCODE_AREAS, postcode_area
from bot.nlp.stateless import StatelessComponent

INFORM_AREA = "inform_area"
ELSEWHERE = "elsewhere"
# Words people put around a place when they say where they live; none of them asks anything.
FILLER_WORDS = frozenset(
    """
    a about actually am an and area around at based borough but by called close code council county city
    currently dad district erm father for from he her how his i im in instead is it its just live lives living
    lol m me mother mum mom my near nearby no not now of oh ok okay our place please pls post postcode
    rather re s she sorry than thanks that the their them they this to town um village we well what yes
    """.split()
)
SOMEWHERE_ELSE = re.compile(
    r"^\s*(?:somewhere else|elsewhere|none of (?:these|those|them)|not (?:listed|there|on the list)|other|"
    r"another (?:area|place|council))\s*[.!]?\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
# A full postcode, or an outward code on its own ("RM1", "SW1A").
_POSTCODE_TOKEN = re.compile(r"\b([a-z]{1,2}[0-9][a-z0-9]?)(?:\s*([0-9][a-z]{2}))?\b")


def _without_postcodes(text: str) -> tuple[str, bool]:
    found = False

    def drop(match: re.Match[str]) -> str:
        nonlocal found
        if postcode_area(match.group(1).upper()) in UK_POSTCODE_AREAS:
            found = True
            return " "
        return match.group(0)

    return _POSTCODE_TOKEN.sub(drop, text), found


def is_area_message(text: str) -> bool:
    """True when the text says only where someone is: places, postcodes and filler words."""
    if SOMEWHERE_ELSE.match(text):
        return True
    mentions = place_mentions(text)
    rest = normalise(text)
    for mention in mentions:
        rest = rest.replace(mention.entry[0], " ", 1)
    rest, has_postcode = _without_postcodes(rest)
    if not mentions and not has_postcode:
        return False
    return all(word in FILLER_WORDS for word in _WORD.findall(rest))


def mark_area_message(message: Message) -> bool:
    """Sets ``inform_area`` on an area-only message (and the ``council`` entity for "somewhere
    else"); returns whether it did."""
    text = message.get("text") or ""
    if not text or text.startswith("/") or not is_area_message(text):
        return False
    previous = message.get("intent") or {}
    if previous.get("name") == INFORM_AREA and (previous.get("confidence") or 0) >= 1.0:
        return True
    ranking = [r for r in message.get("intent_ranking") or [] if r.get("name") != INFORM_AREA]
    message.set("intent", {"name": INFORM_AREA, "confidence": 1.0}, add_to_output=True)
    message.set("intent_ranking", [{"name": INFORM_AREA, "confidence": 1.0}, *ranking], add_to_output=True)
    if SOMEWHERE_ELSE.match(text):
        entities: list[dict[str, Any]] = list(message.get("entities") or [])
        entities.append({"entity": "council", "value": ELSEWHERE, "start": 0, "end": len(text),
                         "extractor": "AreaMessageResolver"})
        message.set("entities", entities, add_to_output=True)
    return True


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class AreaMessageResolver(StatelessComponent):
    def process_message(self, message: Message) -> None:
        mark_area_message(message)
