"""Every red-flag message gets its route whatever characters surround it (fuzzed): half an emoji,
control characters, other scripts. Once, "I want to end my life\\ud800" lost its crisis route."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.safety.offline import offline_replies
from bot.safety.red_flags import default_detector
from bot.safety.routes import route_text
from tests.bot.safety.test_red_flags import POSITIVES
from tests.hostile_text import hostile_text

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(case=st.sampled_from(POSITIVES), before=hostile_text, after=hostile_text)
def test_a_red_flag_keeps_its_group_whatever_surrounds_it(case: tuple[str, str], before: str, after: str) -> None:
    text, group = case
    flag = default_detector().detect(f"{before} {text} {after}")
    assert flag is not None and flag.group == group, (before, text, after, flag)


@FUZZ
@given(case=st.sampled_from(POSITIVES), after=hostile_text)
def test_the_gateways_offline_route_is_given_whatever_follows(case: tuple[str, str], after: str) -> None:
    text, group = case
    assert offline_replies(f"{text} {after}") == [{"text": route_text(group, "family")}]
