"""A Rasa policy that ends a turn which has started to go round in circles.

Rasa keeps predicting actions until one of them is ``action_listen``; if the policies keep
choosing the same action (or too many), its circuit breaker stops the turn after ten, the
user has seen ten copies of one message, and the conversation is left in a state no rule or
story knows. This policy watches the actions taken since the user's latest message and, when
one is about to repeat or the turn is too long, ends the turn: first with
``action_turn_recovered`` (which tells the user plainly and lets them carry on), then with
``action_listen``. It never fires in a turn that behaves, so it changes nothing else.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

RECOVERY_ACTION = "action_turn_recovered"
# Actions that legitimately run twice in one turn: a form runs once to start and once per slot
# it validates, and the ask action it calls is not logged separately.
REPEATABLE_PREFIXES = ("validate_",)
# Rasa's circuit breaker stops at 10; the longest turn our rules make is about 6 actions.
DEFAULT_MAX_ACTIONS_PER_TURN = 7


@dataclass(frozen=True)
class TurnVerdict:
    """What the guard decided for the next action of this turn."""

    action: str | None  # None: let the other policies decide
    reason: str = ""


def actions_this_turn(events: list[Any]) -> list[str]:
    """The actions run since the user's latest message, oldest first."""
    actions: list[str] = []
    for event in reversed(events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, ActionExecuted) and event.action_name:
            actions.append(event.action_name)
    return list(reversed(actions))


def judge_turn(actions: list[str], forms: frozenset[str], max_actions: int) -> TurnVerdict:
    """Whether the turn must end now, given the actions it has run so far (pure, for tests)."""
    if not actions or actions[-1] == ACTION_LISTEN_NAME:
        return TurnVerdict(None)
    if actions[-1] == RECOVERY_ACTION:
        return TurnVerdict(ACTION_LISTEN_NAME, "recovered")
    counted = [a for a in actions if a not in forms and not a.startswith(REPEATABLE_PREFIXES)]
    if len(actions) >= max_actions:
        return TurnVerdict(RECOVERY_ACTION, "too many actions in one turn")
    if counted and counted[-1] in counted[:-1]:
        return TurnVerdict(RECOVERY_ACTION, f"{counted[-1]} ran twice in one turn")
    return TurnVerdict(None)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.POLICY_WITH_END_TO_END_SUPPORT, is_trainable=True)
class TurnGuardPolicy(Policy):
    """Ends a looping turn (see the module docstring). Nothing to learn: training is a no-op."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # Above RulePolicy (6), so a triggered guard wins over every other prediction.
        return {"priority": 7, "max_actions_per_turn": DEFAULT_MAX_ACTIONS_PER_TURN}

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_DATA

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Any = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self.max_actions = int(config.get("max_actions_per_turn", DEFAULT_MAX_ACTIONS_PER_TURN))

    def train(self, training_trackers: list[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        verdict = judge_turn(actions_this_turn(list(tracker.events)), frozenset(domain.form_names), self.max_actions)
        probabilities = self._default_predictions(domain)
        if verdict.action is None:
            return self._prediction(probabilities)
        # Logged without any message text: the reason names actions only.
        logger.warning("Turn guard ended a turn: %s.", verdict.reason)
        probabilities[domain.index_for_action(verdict.action)] = 1.0
        # A "no user" prediction outranks even a form's happy path, which could be the loop.
        return self._prediction(probabilities, is_no_user_prediction=True)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> TurnGuardPolicy:
        return cls(config, model_storage, resource, execution_context)
