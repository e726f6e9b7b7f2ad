"""The base of our deterministic NLU components: nothing Rasa trains, one message at a time."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message


class StatelessComponent(GraphComponent):
    """Rewrites each parsed message in place (subclasses implement ``process_message``).

    Each subclass still registers itself with ``DefaultV1Recipe.register``: Rasa looks
    components up by their own class.
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> StatelessComponent:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.process_message(message)
        return messages

    def process_message(self, message: Message) -> None:
        raise NotImplementedError
