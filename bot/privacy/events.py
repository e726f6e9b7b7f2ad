"""Which parts of a Rasa conversation event hold what a person typed, and redacting them.

Works on events as Rasa serialises them (``Event.as_dict()``), which is also how the SQL
tracker store keeps them, so the same function serves saving, exporting and cleaning up
rows stored before redaction was switched on.

Redacted: the text of user messages (``text`` and ``parse_data.text``), entity values picked
out of them, slot values, and string values in the metadata a channel attaches to a message
or session. Not redacted: the assistant's own replies (reviewed content, with helpline
numbers that must stay) and identifiers such as ``message_id``, which are random hex and could
otherwise look like a 10-digit number.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from bot.privacy.redact import redact


def _redact_value(value: Any) -> Any:
    """Strings redacted, lists and mappings walked, anything else as it is."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_redact_value(item) for item in value]
    if isinstance(value, dict):
        return {key: _redact_value(item) for key, item in value.items()}
    return value


def _is_identifier(key: Any) -> bool:
    return isinstance(key, str) and (key.lower() == "id" or key.lower().endswith("_id"))


def _redact_metadata(metadata: Any) -> Any:
    if isinstance(metadata, dict):
        return {
            key: value if _is_identifier(key) else _redact_metadata(value) for key, value in metadata.items()
        }
    if isinstance(metadata, list):
        return [_redact_metadata(item) for item in metadata]
    return _redact_value(metadata)


def _redact_entities(entities: Any) -> Any:
    if not isinstance(entities, list):
        return entities
    redacted = []
    for entity in entities:
        if isinstance(entity, dict):
            entity = {**entity}
            for key in ("value", "text"):
                if key in entity:
                    entity[key] = _redact_value(entity[key])
        redacted.append(entity)
    return redacted


def _redact_user_message(event: dict[str, Any]) -> None:
    if isinstance(event.get("text"), str):
        event["text"] = redact(event["text"])
    if "entities" in event:
        event["entities"] = _redact_entities(event["entities"])
    parse_data = event.get("parse_data")
    if isinstance(parse_data, dict):
        if isinstance(parse_data.get("text"), str):
            parse_data["text"] = redact(parse_data["text"])
        if "entities" in parse_data:
            parse_data["entities"] = _redact_entities(parse_data["entities"])
        if "metadata" in parse_data:
            parse_data["metadata"] = _redact_metadata(parse_data["metadata"])


def redact_event_data(data: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of one serialised event with personal details taken out of what the user gave."""
    event = copy.deepcopy(dict(data))
    kind = event.get("event")
    if kind == "user":
        _redact_user_message(event)
    elif kind == "slot":
        event["value"] = _redact_value(event.get("value"))
    elif kind == "entities":
        event["entities"] = _redact_entities(event.get("entities"))
    if kind in ("user", "session_started") and "metadata" in event:
        event["metadata"] = _redact_metadata(event["metadata"])
    return event
