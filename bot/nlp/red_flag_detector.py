"""Rasa NLU component: a detected red flag overrides whatever intent was predicted.

Placed last in the pipeline (after FallbackClassifier), so it acts whatever the classifier's
confidence, including on ``nlu_fallback``. When ``bot.safety.red_flags.detect`` fires it sets
the intent to ``red_flag`` with confidence 1.0, keeps the earlier ranking below it (so the
action can still offer the question the user asked), and adds a ``red_flag`` entity whose
value is the group (one of ``bot.safety.groups.GROUPS``; ``general`` if detection failed, so a
message that could not be checked still gets the safety route).

    - name: bot.nlp.red_flag_detector.RedFlagDetector
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import ENTITY_ATTRIBUTE_CONFIDENCE_TYPE
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.safety.red_flags import default_detector
from bot.safety.routes import GENERAL

RED_FLAG_INTENT = "red_flag"
RED_FLAG_ENTITY = "red_flag"
log = logging.getLogger(__name__)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class RedFlagDetector(GraphComponent, IntentClassifier):
    """Deterministic red-flag override: the same text always gets the same flag. Nothing is
    trained by Rasa; detection's own small classifier is fitted when it loads."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {}

    def __init__(self, config: dict[str, Any]) -> None:
        self.component_config = config
        # Load now, not on the first message: a missing pipeline or bad trigger data must
        # stop Rasa starting rather than silently let red flags through.
        self._detector = default_detector()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RedFlagDetector:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            try:
                flag = self._detector.detect(text)
            except Exception:  # the message text is not logged, only that detection failed
                log.exception("Red-flag detection failed for one message; giving the general safety route")
                _mark(message, GENERAL)
                continue
            if flag is not None:
                # Which group and rule or score fired; never the message text.
                log.info("Red flag: %s", flag.log_fields())
                _mark(message, flag.group)
        return messages


def _mark(message: Message, group: str) -> None:
    """The message becomes ``red_flag`` with ``group`` (GENERAL: a message we could not check)."""
    override = {INTENT_NAME_KEY: RED_FLAG_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
    previous = message.get(INTENT) or {}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != RED_FLAG_INTENT]
    if previous.get(INTENT_NAME_KEY) and (not ranking or ranking[0].get(INTENT_NAME_KEY) != previous[INTENT_NAME_KEY]):
        ranking.insert(0, previous)
    message.set(INTENT, override, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [override, *ranking], add_to_output=True)
    entity = {
        ENTITY_ATTRIBUTE_TYPE: RED_FLAG_ENTITY,
        ENTITY_ATTRIBUTE_VALUE: group,
        # The flag belongs to the whole message; the matched words are in the normalised text.
        ENTITY_ATTRIBUTE_START: 0,
        ENTITY_ATTRIBUTE_END: len(message.get(TEXT)),
        ENTITY_ATTRIBUTE_CONFIDENCE_TYPE: 1.0,
        EXTRACTOR: "RedFlagDetector",
    }
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
