"""The answer report reads a parse the way the assistant acts on it, and scores it honestly."""

from __future__ import annotations

from bot.answer_report import Prediction, Question, prediction_from_parse, score

TOPICS = {"funding", "chc"}


def _parse(intent: str, chosen: str | None = None, ranking: tuple[str, ...] = ()) -> dict:
    selector = {"response": {"intent_response_key": chosen, "confidence": 0.7}, "ranking": [
        {"intent_response_key": k} for k in ranking
    ]} if chosen else {}
    return {"intent": {"name": intent, "confidence": 0.9}, "response_selector": {"default": selector}}


def test_a_topic_intent_answers_with_the_selectors_choice() -> None:
    p = prediction_from_parse(_parse("funding", "funding/who_pays", ("funding/who_pays", "chc/top_ups")), TOPICS)
    assert (p.outcome, p.answer, p.top3) == ("answer", "funding/who_pays", ("funding/who_pays", "chc/top_ups"))


def test_fallback_and_other_intents_are_not_answers_even_if_the_selector_chose_one() -> None:
    assert prediction_from_parse(_parse("nlu_fallback", "funding/who_pays"), TOPICS).outcome == "fallback"
    assert prediction_from_parse(_parse("out_of_scope", "funding/who_pays"), TOPICS).outcome == "out_of_scope"
    assert prediction_from_parse(_parse("greet"), TOPICS).outcome == "other"


def test_scores_count_right_top3_other_answer_and_fallback() -> None:
    q = Question(id="q", text="t", source="http://x", asked_by="family", expected=("chc/top_ups",))
    right = Prediction("chc", "chc/top_ups", 0.9, ("chc/top_ups",))
    near = Prediction("funding", "funding/who_pays", 0.9, ("funding/who_pays", "chc/top_ups"))
    fallback = Prediction("nlu_fallback", None, 0.45, ())
    s = score([(q, right), (q, near), (q, fallback)])
    assert (round(s.top1, 2), round(s.top3, 2), round(s.wrong, 2), round(s.fallback, 2)) == (0.33, 0.67, 0.33, 0.33)
