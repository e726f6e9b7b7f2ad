"""The red-flag groups, highest priority first: when several match, the first is the route shown."""

from __future__ import annotations

EMERGENCY = "emergency"
SUICIDE_SELF_HARM = "suicide_self_harm"
SAFEGUARDING = "safeguarding"
URGENT = "urgent"
GROUPS = (EMERGENCY, SUICIDE_SELF_HARM, SAFEGUARDING, URGENT)
