"""Public (HSDS) ids: every record Homeward publishes has a UUID, as HSDS 3.0 requires.

A record keeps its own id inside Homeward (a slug such as ``bcp-one-team``, or a publisher's
id prefixed by its source); its public id is that id if it is already a UUID, otherwise a
UUID5 derived from the record's kind and id. Derived, not random: the same record has the
same public id in every export and on every server, so links and audit history survive.
"""

from __future__ import annotations

import hashlib
import uuid

# Fixed for ever: changing it would change every public id Homeward has published.
NAMESPACE = uuid.UUID("6b1f3c2e-6a53-5d4e-9b0c-2f0d8f1e7a11")
SOURCE_SEPARATOR = "~"  # between a source's prefix and the publisher's own id


def is_uuid(value: object) -> bool:
    if not isinstance(value, str) or len(value) != 36:
        return False
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def publisher_id(internal_id: str) -> str:
    """The id as the source published it (without our source prefix)."""
    return internal_id.rsplit(SOURCE_SEPARATOR, 1)[-1]


def derived_id(kind: str, internal_id: str) -> str:
    """The UUID5 of a record of ``kind`` ("service", "phone", ...) with this internal id."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{internal_id}"))


def public_id(kind: str, internal_id: str) -> str:
    """The id a record is published under: the publisher's UUID if it had one, else derived."""
    original = publisher_id(internal_id)
    return original.lower() if is_uuid(original) else derived_id(kind, internal_id)


def source_prefix(source_key: str) -> str:
    """A short, stable prefix for ids from one source (a file path or API address), so two
    publishers' records with the same id are kept apart."""
    return "src" + hashlib.sha1(source_key.encode("utf-8")).hexdigest()[:10] + SOURCE_SEPARATOR


def scoped_id(source_key: str, original_id: str) -> str:
    """The internal id of a record a source published with ``original_id``."""
    return source_prefix(source_key) + original_id
