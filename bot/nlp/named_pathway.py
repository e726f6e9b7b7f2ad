"""A Rasa NLU component: when the user names one pathway ("what is P2"), answer about that one.

The four "what is pathway N" questions differ by a single token, and the ResponseSelector
confuses them. The EntityRuler finds the named pathway deterministically, so this component
(placed after the ResponseSelector) moves the selection to the pathway the user named.
It only acts when the selector already chose a "what is a pathway" question and exactly one
pathway is named: "P2 or P3?" and "who pays for P1" keep the selector's choice.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.training_data.message import Message

from bot.nlp.pathway_names import pathway_number
from bot.nlp.stateless import StatelessComponent

PATHWAY_QUESTIONS = frozenset({"pathways/overview", *(f"pathways/pathway_{n}" for n in "0123")})
SELECTOR_KEY = "default"


def named_pathway_question(selected: str | None, pathway_mentions: list[str]) -> str | None:
    """The question to answer: the named pathway's, when the rule applies; else None."""
    if selected not in PATHWAY_QUESTIONS:
        return None
    numbers = {pathway_number(mention) for mention in pathway_mentions} - {None}
    if len(numbers) != 1:
        return None
    named = f"pathways/pathway_{numbers.pop()}"
    return named if named != selected else None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class NamedPathwayResolver(StatelessComponent):
    def process_message(self, message: Message) -> None:
        selector = (message.get("response_selector") or {}).get(SELECTOR_KEY)
        if not selector:
            return
        prediction = selector["response"]
        mentions = [e["value"] for e in message.get("entities") or [] if e.get("entity") == "pathway"]
        named = named_pathway_question(prediction.get("intent_response_key"), mentions)
        if named is None:
            return
        prediction["intent_response_key"] = named
        prediction["utter_action"] = f"utter_{named}"
        # The selector's stored responses belong to the old key; the words come from bot.knowledge.
        prediction["responses"] = [{"text": named}]
        prediction["corrected_by"] = "NamedPathwayResolver"
        ranking = selector.get("ranking") or []
        selector["ranking"] = sorted(ranking, key=lambda label: label.get("intent_response_key") != named)
