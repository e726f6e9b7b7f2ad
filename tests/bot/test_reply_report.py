"""The reply report counts a right answer wherever the reply shows it."""

from __future__ import annotations

from bot.answer_report import Question
from bot.reply_report import NOT_ANSWERED, PATHWAY_FINDER, parse_record, reply_for

LONG = "my dad is coming home next week, he can barely walk and I work full time, what help is there for us?"


def _question(text: str, *expected: str) -> Question:
    return Question(id="q", text=text, source="", asked_by="family", expected=expected)


def _parse(intent: str, ranking: list[tuple[str, float]], entities: list[dict] | None = None) -> dict:
    return {
        "intent": {"name": intent},
        "entities": entities or [],
        "response_selector": {"default": {
            "response": {"intent_response_key": ranking[0][0], "confidence": ranking[0][1]},
            "ranking": [{"intent_response_key": k, "confidence": c} for k, c in ranking],
        }},
    }


def test_a_right_answer_covered_in_a_reply_on_several_needs_is_shown() -> None:
    record = parse_record(_parse("carers", [("carers/working_carers", 0.2), ("services/reablement", 0.1)]))
    kind, keys = reply_for(_question(LONG, "services/reablement"), record)
    assert kind == "several" and "services/reablement" in keys


def test_a_fallback_shows_no_answer() -> None:
    record = parse_record(_parse("nlu_fallback", [("services/reablement", 0.3)]))
    assert reply_for(_question("hmm", "services/reablement"), record) == (NOT_ANSWERED, ())


def test_a_family_asking_a_pathway_for_someone_gets_who_decides() -> None:
    record = parse_record(_parse("pathways", [("pathways/pathway_3", 0.9)]))
    assert reply_for(_question("which pathway will mum get?"), record) == (PATHWAY_FINDER, ("pathways/who_decides",))


def test_the_selected_question_leads_the_ranking_as_the_actions_read_it() -> None:
    parsed = _parse("pathways", [("pathways/pathway_3", 0.5), ("pathways/pathway_2", 0.4)])
    parsed["response_selector"]["default"]["response"]["intent_response_key"] = "pathways/pathway_2"
    assert parse_record(parsed)["ranking"][0][0] == "pathways/pathway_2"
