"""The classifier behind the rules: deterministic, thresholded, and only a fallback."""

from __future__ import annotations

from bot.safety.classifier import RedFlagClassifier, load_examples, nlu_questions
from bot.safety.red_flags import CLASSIFIER_RULE, NLU_DIR, default_detector, fit_classifier

# Wording no rule covers, where the classifier is what finds the danger (checked below).
UNRULED = "looking after him round the clock is wrecking my health and i am on my last legs"


def test_fitting_twice_gives_the_same_scores() -> None:
    detector = default_detector()
    first, second = fit_classifier(detector), fit_classifier(detector)
    text = detector.classifier_text(UNRULED)
    assert first.scores(text) == second.scores(text)


def test_a_message_no_rule_matches_can_still_get_a_route_from_the_classifier() -> None:
    detector = default_detector()
    assert detector.rule_flags(UNRULED) == []
    flag = detector.detect(UNRULED)
    assert flag is not None and flag.source == "classifier" and flag.rule == CLASSIFIER_RULE
    assert flag.group == "carer_crisis" and flag.score is not None and flag.score >= detector.classifier.threshold


def test_when_a_rule_matches_the_rule_decides() -> None:
    flag = default_detector().detect("mum has chest pain and i cannot cope")
    assert flag is not None and flag.source == "rule" and flag.group == "emergency"


def test_below_the_threshold_or_under_the_word_minimum_there_is_no_prediction() -> None:
    texts = ["my dad keeps falling and the carers never come", "what is a care home"] * 3
    labels = ["safeguarding_neglect", "none"] * 3
    strict = RedFlagClassifier.fit(texts, labels, threshold=0.999, min_words=1)
    assert strict.predict("my dad keeps falling and the carers never come") is None
    short = RedFlagClassifier.fit(texts, labels, threshold=0.1, min_words=5)
    assert short.predict("carers never come") is None
    assert short.predict("my dad keeps falling and the carers never come") is not None


def test_the_examples_cover_every_category_and_crisis_questions_are_not_ordinary_examples() -> None:
    examples = load_examples()
    assert {"none", "carer_crisis", "missing_person", "suicide_self_harm"} <= set(examples.labels)
    assert "i cant cope with caring anymore" not in nlu_questions(NLU_DIR)


def test_the_log_fields_name_the_group_and_rule_or_score_never_the_words() -> None:
    flag = default_detector().detect(UNRULED)
    assert flag is not None
    fields = flag.log_fields()
    assert "group=carer_crisis" in fields and "source=classifier" in fields and "score=" in fields
    assert "legs" not in fields and "health" not in fields
