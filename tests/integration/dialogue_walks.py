"""Seeded random conversations, and what makes a turn broken, for the dialogue fuzz test.

A walk mixes what strangers really type (short replies, thanks, greetings, towns and postcodes,
out-of-scope lines, red-flag lines, questions from every topic, the pathway finder and the
service search in and out of order) with presses of the buttons the assistant just offered and
of stale buttons from long ago. The same seed always gives the same walk.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

SHORT_REPLIES = [
    "ok", "yes", "no", "maybe", "not sure", "go back", "stop", "bye", "hi", "?", "5", "thanks", "great",
    "help", "lol", "\N{THUMBS UP SIGN}", "okay thanks", "nope", "yes please", "hmm", "no thanks", "what",
    "sorry", "cheers", "hello again", "that's not what I asked",
]
PLACES = [
    "Poole", "RM1", "RM3 7HE", "BH15", "HP20", "my postcode is HR1 2AB", "Manchester", "SW1A 1AA",
    "somewhere else", "Dorset", "she lives in Romford", "sorry, actually she lives in Romford not Poole",
    "Hereford", "Birmingham", "we live in Ilford", "Scotland",
]
QUESTIONS = [
    "how do I get a carers assessment", "what is CHC", "what if they say no", "what is reablement",
    "who pays for care after hospital", "what is pathway 1", "what does discharge to assess mean",
    "my mum is coming home from hospital on friday, what happens", "can I get a wheelchair",
    "what about respite", "how do I complain about the discharge", "can they make her go to a care home",
    "I live in Hereford, what help is there for carers", "is reablement free",
    "patient is medically fit, lives alone, needs two carers twice a day, which pathway?",
    "what is a care package", "do they have a website", "what is their phone number",
    "which services in Havering take pathway 1 patients", "I need a wheelchair for my dad in Poole",
    "tell me about Carer Support Dorset", "can I talk to a real person", "I said a real person, a human",
    "are you a robot",
]
FLOWS = [
    "find a local service", "pathway finder", "show more", "actually can you look for equipment instead",
    "start again", "help for carers", "a wheelchair", "dementia support",
]
OUT_OF_SCOPE = [
    "what's the weather tomorrow", "can you book me a taxi", "what's the capital of France",
    "how do I claim universal credit", "what dose of paracetamol can I take", "tell me a joke",
]
RED_FLAGS = [
    "my dad fell within an hour of coming home and can't get up",
    "I want to end my life",
    "mum's carer has been taking money from her purse",
    "I can't cope any more, being a carer is killing me",
]
STALE_PAYLOADS = [
    '/service_details{"service_id": "no-such-service"}', "/show_more_services", '/inform_area{"council": "bcp"}',
    '/inform_area{"council": "elsewhere"}', '/help{"topic": "funding"}', "/help",
    '/funding{"answer_key": "funding/who_pays"}', "/start_pathway_finder", "/affirm", "/deny", "/unsure",
    '/find_service{"need": "carers_support"}', '/find_service{"need": "dementia"}', "/request_human",
    "/nlu_fallback", '/carers{"answer_key": "carers/no_such_question"}',
]
POOL: dict[str, list[str]] = {
    "short": SHORT_REPLIES, "place": PLACES, "question": QUESTIONS, "flow": FLOWS,
    "out_of_scope": OUT_OF_SCOPE, "red_flag": RED_FLAGS, "stale": STALE_PAYLOADS,
}
# How often a turn is a press of a button just shown, and how often each pool is drawn from.
PRESS_SHOWN = 0.35
POOL_WEIGHTS = {"short": 4, "place": 2, "question": 4, "flow": 2, "out_of_scope": 1, "red_flag": 1, "stale": 1}
MAX_BOT_MESSAGES = 4


@dataclass
class Turn:
    sent: str
    replies: list[dict[str, Any]]
    degraded: bool = False
    status: int = 200


@dataclass
class Walk:
    seed: int
    turns: list[Turn] = field(default_factory=list)

    def script(self) -> str:
        return " | ".join(turn.sent for turn in self.turns)


def next_message(rng: random.Random, last_replies: list[dict[str, Any]]) -> str:
    buttons = [b for reply in last_replies for b in reply.get("buttons") or []]
    if buttons and rng.random() < PRESS_SHOWN:
        return rng.choice(buttons)["payload"]
    kinds = list(POOL_WEIGHTS)
    kind = rng.choices(kinds, weights=[POOL_WEIGHTS[k] for k in kinds])[0]
    return rng.choice(POOL[kind])


def walk(seed: int, send: Callable[[str], Turn]) -> Walk:
    """One conversation of 6 to 12 turns; ``send`` posts a message and returns what came back."""
    rng = random.Random(seed)
    result = Walk(seed)
    replies: list[dict[str, Any]] = []
    for _ in range(rng.randint(6, 12)):
        turn = send(next_message(rng, replies))
        result.turns.append(turn)
        replies = turn.replies
    return result


def turn_problems(turn: Turn) -> list[str]:
    """What the user would see as broken in one turn's replies."""
    problems = []
    texts = [r["text"] for r in turn.replies if r.get("text")]
    if turn.status != 200 or turn.degraded:
        problems.append(f"error reply (HTTP {turn.status}, degraded={turn.degraded})")
    if not texts:
        problems.append("no reply")
    if len(texts) != len(set(texts)):
        problems.append("the same text twice")
    return problems


def tracker_problems(events: list[dict[str, Any]]) -> list[str]:
    """What Rasa's stored events show: too many messages in a turn, a turn that never ended
    (the circuit breaker), or the turn guard having to step in."""
    problems = []
    turns: list[list[dict[str, Any]]] = []
    for event in events:
        if event.get("event") == "user":
            turns.append([])
        elif turns:
            turns[-1].append(event)
    for number, turn in enumerate(turns, start=1):
        actions = [e.get("name") for e in turn if e.get("event") == "action"]
        bot_messages = [e for e in turn if e.get("event") == "bot"]
        if len(bot_messages) > MAX_BOT_MESSAGES:
            problems.append(f"turn {number}: {len(bot_messages)} messages")
        if "action_listen" not in actions:
            problems.append(f"turn {number}: never ended ({len(actions)} actions: {actions[:4]}...)")
        if "action_turn_recovered" in actions:
            problems.append(f"turn {number}: the turn guard had to end a loop ({actions})")
    return problems
