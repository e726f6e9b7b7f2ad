"""The Open Referral schemas in the spec's own strict mode, for tests.

As the spec's ``validate_examples_json_schema.sh`` does: JSON Schema draft 2020-12, format
checking on, and ``additionalProperties: false`` added to every object schema, so a field
the standard does not have is an error.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, RefResolver

ROOT = Path(__file__).parent / "openreferral"
HSDS_DIR = ROOT / "hsds-3.0" / "schema"
UK_DIR = ROOT / "uk-profile-3.0" / "schema"
UK_OPENAPI = UK_DIR / "openapi.json"
# The UK profile's openapi.json names its schemas by these addresses; the copies here are the same files.
UK_REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
STANDARDS = {"hsds": HSDS_DIR, "uk": UK_DIR}
# Formats the schemas use. jsonschema skips a format silently when the package checking it is
# missing (rfc3339-validator, rfc3986-validator: the dev extras), which would make these tests weaker unseen.
CHECKED_FORMATS = ("uuid", "uri", "email", "date-time")


def _format_checker() -> FormatChecker:
    checker = FormatChecker()
    missing = [name for name in CHECKED_FORMATS if name not in checker.checkers]
    if missing:
        raise RuntimeError(f"jsonschema cannot check {missing}: install the dev extras (pip install -e '.[dev]')")
    return checker


def strict(schema: Any) -> Any:
    """A copy of ``schema`` with additionalProperties false on every object with properties."""
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {key: strict(value) for key, value in schema.items()}
    if "properties" in result and isinstance(result["properties"], dict):
        result["additionalProperties"] = False
    return result


@cache
def _store(standard: str) -> dict[str, Any]:
    folder = STANDARDS[standard]
    store = {}
    for path in [*folder.glob("*.json"), *folder.glob("compiled/*.json")]:
        if path.name == "openapi.json":
            continue
        schema = strict(json.loads(path.read_text(encoding="utf-8")))
        relative = path.relative_to(folder).as_posix()
        store[f"{folder.as_uri()}/{relative}"] = schema
        if standard == "uk":
            store[f"{UK_REMOTE}{relative}"] = schema
    if standard == "uk":
        # openapi.json names compiled/service.json (the bundled service.json, not copied here):
        # the unbundled files stand in for it, their relative references resolved from compiled/.
        for path in folder.glob("*.json"):
            if path.name == "openapi.json":
                continue
            store.setdefault(f"{UK_REMOTE}compiled/{path.name}", store[f"{UK_REMOTE}{path.name}"])
    return store


@cache
def validator(standard: str, name: str) -> Draft202012Validator:
    """A strict validator for ``name`` ("service", "compiled/service_list", ...) of ``standard`` ("hsds", "uk")."""
    uri = f"{STANDARDS[standard].as_uri()}/{name}.json"
    schema = _store(standard)[uri]
    resolver = RefResolver(base_uri=uri, referrer=schema, store=_store(standard))
    return Draft202012Validator(schema, resolver=resolver, format_checker=_format_checker())


def errors(standard: str, name: str, document: Any) -> list[str]:
    """Every error in ``document`` against the schema, as "path: message"."""
    found = validator(standard, name).iter_errors(document)
    return [f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}" for error in found]


def both_standards_errors(name: str, document: Any) -> list[str]:
    """Errors against HSDS 3.0 and the UK profile (each strict)."""
    return [f"hsds {e}" for e in errors("hsds", name, document)] + [f"uk {e}" for e in errors("uk", name, document)]


def uk_openapi() -> dict[str, Any]:
    return json.loads(UK_OPENAPI.read_text(encoding="utf-8"))


def openapi_validator(schema: dict[str, Any]) -> Draft202012Validator:
    """A strict validator for a response schema taken from the UK profile's openapi.json."""
    document = uk_openapi()
    # The page wrapper (its own properties plus allOf Page) is strict as a whole: a property in
    # neither is an error. The records inside come from the strict copies in the store.
    full = copy.deepcopy({**schema, "components": document["components"]})
    if "allOf" in full:
        full["unevaluatedProperties"] = False
    elif "properties" in full:
        full["additionalProperties"] = False
    resolver = RefResolver(base_uri=UK_OPENAPI.as_uri(), referrer=full, store=_store("uk"))
    return Draft202012Validator(full, resolver=resolver, format_checker=_format_checker())
