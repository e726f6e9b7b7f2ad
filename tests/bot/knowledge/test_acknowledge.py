"""A writer who says they are struggling is acknowledged; a plain question is not."""

from __future__ import annotations

import pytest

from bot.knowledge.acknowledge import acknowledgement


@pytest.mark.parametrize(
    "message",
    [
        "I want him home but just don't think I will be able to cope",
        "mum is at the end of her tether and I'm exhausted",
        "Life is becoming unbearable... what can I do?",
        "I have no idea what to do, any help would be appreciated",
        "I'm so worried about dad coming home on friday",
        "honestly I can't manage him on my own",
        "I'm worried about mum coming home, what help is there?",
        "we're scared he will fall again at home",
        "feeling quite anxious about the discharge meeting",
    ],
)
def test_struggle_is_acknowledged(message: str) -> None:
    assert acknowledgement(message) is not None


@pytest.mark.parametrize(
    "message",
    [
        "how long does reablement last",
        "what is pathway 1",
        "who pays for the care home",
        "pt medically fit, lives alone, which pathway",
        "is mum too tired to go home",  # about the patient, not the writer
        "she is anxious about going home, who can help her?",  # the patient's feeling, not the writer's
    ],
)
def test_a_plain_question_gets_no_acknowledgement(message: str) -> None:
    assert acknowledgement(message) is None
