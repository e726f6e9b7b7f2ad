"""'Talk to a person': asks the web gateway whether a helpline staff member can take the chat.

If so, says it is passing the user on and sends {"handoff": "requested", "area": ...}, which the
gateway recognises and acts on (queues the conversation; see bot/handoff/gateway.py). If not (out of
hours, nobody free, or the gateway can't be reached), says so and gives the contact route for the
user's area. The words are in bot/handoff/messages.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions import conversation
from actions.area import ELSEWHERE
from bot.handoff import messages as say
from bot.handoff.config import gateway_url

AVAILABILITY_PATH = "/api/handoff/availability"
TIMEOUT = aiohttp.ClientTimeout(total=3)
log = logging.getLogger(__name__)


async def helpline_availability(base_url: str | None = None) -> dict[str, Any]:
    """{"available", "reason", "hours"} from the gateway; 'unavailable' if it can't be asked."""
    try:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session, session.get(
            (base_url or gateway_url()) + AVAILABILITY_PATH
        ) as response:
            response.raise_for_status()
            found = await response.json()
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
        log.warning("Could not ask the gateway whether the helpline is available: %s", type(error).__name__)
        return {"available": False, "reason": say.UNAVAILABLE, "hours": None}
    if not isinstance(found, dict):
        return {"available": False, "reason": say.UNAVAILABLE, "hours": None}
    return found


class ActionRequestHuman(Action):
    def name(self) -> str:
        return "action_request_human"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        area = conversation.area(tracker)
        area = None if area == ELSEWHERE else area
        found = await helpline_availability()
        if found.get("available") is True:
            dispatcher.utter_message(text=say.PASSING_ON, json_message={"handoff": "requested", "area": area})
        else:
            hours = found.get("hours") if isinstance(found.get("hours"), str) else None
            reason = str(found.get("reason"))
            dispatcher.utter_message(text=say.nobody_available(reason, area, hours, conversation.audience(tracker)))
        return []
