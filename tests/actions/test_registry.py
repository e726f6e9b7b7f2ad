"""The action server starts: every custom action registers, and the domain lists each one."""

from __future__ import annotations

from pathlib import Path

import yaml
from rasa_sdk.executor import ActionExecutor

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"


def test_every_custom_action_registers_under_a_name_the_domain_knows() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")  # what `rasa run actions` does; fails on a broken action class
    registered = {name for name in executor.actions if name.startswith(("action_", "validate_"))}
    in_domain = set(yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["actions"])
    assert registered == in_domain
