"""Deterministic red-flag detection: does this message say someone may need help now?

It runs before, and regardless of, intent classification and its confidence (the Rasa
component in ``bot/nlp/red_flag_detector.py`` and the gateway's offline fallback both call
``detect``). Trigger phrases are data (``data/red_flags.yml``), matched with spaCy's Matcher on
lemmas from the project's own spaCy pipeline, after typo correction. Matches framed as a
hypothetical, a health event long past, or a missing person already found are dropped
(``bot/safety/framing.py``), and so is a health condition named as background in a message
that is about something else ("sent home alone at 2am; she has had a stroke"). When no rule
matches, a trained classifier (``bot/safety/classifier.py``) may still find a danger category
above its threshold.

    >>> detect("mum cant breath properly")
    RedFlag(group='emergency', phrase='can not breathe', rule='breathing', source='rule', score=None)
"""

from __future__ import annotations

import gzip
import json
import logging
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import spacy
import yaml
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot.directory.areas import place_names
from bot.nlp.pipeline import DEFAULT_PATH, PIPELINE_NAME, build_pipeline
from bot.safety.classifier import RedFlagClassifier, load_examples, nlu_questions, training_set
from bot.safety.framing import Framing
from bot.safety.groups import EMERGENCY, GROUPS, MISSING_PERSON, URGENT, category_group
from bot.safety.normalise import Shorthand, normalise
from bot.safety.patterns import BIG_NUMBER, compile_phrase, literal_words
from bot.safety.typos import TypoCorrector, TypoSettings
from bot.text_input import clean_text

DATA_FILE = Path(__file__).parent / "data" / "red_flags.yml"
PROJECT_ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = PROJECT_ROOT / "data" / "nlu"
CLASSIFIER_RULE = "classifier"
# Groups about a health event: one long past ("had a stroke in 2019") is not a danger now.
HEALTH_EVENT_GROUPS = frozenset({EMERGENCY, URGENT})
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RedFlag:
    group: str  # one of GROUPS
    phrase: str  # the words that matched, as normalised ("can't breathe" -> "can not breathe"); "" from the classifier
    rule: str  # the rule id in red_flags.yml, e.g. "breathing", or "classifier"
    source: str = "rule"  # "rule" or "classifier"
    score: float | None = None  # the classifier's probability for the category, if it decided

    def log_fields(self) -> str:
        """What may be logged: the group and what fired, never the words of the message."""
        score = f" score={self.score:.2f}" if self.score is not None else ""
        return f"group={self.group} source={self.source} rule={self.rule}{score}"


@dataclass(frozen=True)
class _Exclusion:
    applies_to: frozenset[str]  # rule ids or group names; empty means every rule

    def covers(self, group: str, rule: str) -> bool:
        return not self.applies_to or group in self.applies_to or rule in self.applies_to


def load_pipeline(path: Path | None = None) -> Language:
    """The project's spaCy pipeline (tokenizer + lookup lemmas); built to a temp dir if absent."""
    path = path or PROJECT_ROOT / DEFAULT_PATH
    if not (path / "meta.json").exists():
        log.info("spaCy pipeline not built at %s; building a private copy for red-flag detection", path)
        path = build_pipeline(Path(tempfile.mkdtemp(prefix="homeward-spacy-")) / PIPELINE_NAME)
    return spacy.load(path, exclude=["entity_ruler"])


def _lookups_data(name: str) -> Any:
    """A table from spacy-lookups-data, the package the pipeline's lemma table is built from
    (the pipeline stores its keys as hashes, so word lists are read from the source)."""
    with gzip.open(files("spacy_lookups_data") / "data" / name, "rt", encoding="utf-8") as f:
        return json.load(f)


def _known_english_words(lemma_forms: dict[str, str]) -> set[str]:
    """Words never treated as typos: every form in the lemma tables, plus WordNet base forms."""
    words = set(lemma_forms) | set(lemma_forms.values())
    for base_forms in _lookups_data("en_lemma_index.json.gz").values():
        words.update(base_forms)
    for forms in _lookups_data("en_lemma_exc.json.gz").values():
        words.update(forms)
    words |= STOP_WORDS  # "everyone", "anyway": in no lemma table, yet never a typo
    return {w for w in words if isinstance(w, str) and w.isalpha() and w.islower()}


class RedFlagDetector:
    def __init__(
        self, nlp: Language, data: dict[str, Any], classifier: RedFlagClassifier | None = None
    ) -> None:
        self._nlp = nlp
        self._lemmas = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        settings = data.get("settings") or {}
        max_gap = int(settings.get("max_gap", 3))
        sets: dict[str, list[str]] = data.get("sets") or {}
        self._shorthand = tuple(Shorthand.from_data(raw) for raw in data.get("shorthand") or [])

        self._matcher = Matcher(nlp.vocab)
        self._rule_group: dict[str, str] = {}
        targets: set[str] = set()
        groups = data.get("groups") or {}
        if set(groups) != set(GROUPS):
            raise ValueError(f"red flag groups must be exactly {GROUPS}, not {sorted(groups)}")
        for group in GROUPS:
            for rule in groups[group]:
                rule_id = rule["id"]
                if rule_id in self._rule_group:
                    raise ValueError(f"red flag rule id {rule_id!r} is used twice")
                self._rule_group[rule_id] = group
                phrases = rule["patterns"]
                self._matcher.add(rule_id, [compile_phrase(p, self.lemma, sets, max_gap) for p in phrases])
                targets |= {w for p in phrases for w in literal_words(p, sets)}

        self._exclusion_matcher = Matcher(nlp.vocab)
        self._exclusions: dict[str, _Exclusion] = {}
        for number, raw in enumerate(data.get("exclusions") or []):
            key = f"exclusion_{number}"
            unknown = set(raw.get("applies_to") or ()) - set(self._rule_group) - set(GROUPS)
            if unknown:
                raise ValueError(f"exclusion {raw['phrase']!r} applies to unknown rules {sorted(unknown)}")
            self._exclusion_matcher.add(key, [compile_phrase(raw["phrase"], self.lemma, sets, max_gap)])
            self._exclusions[key] = _Exclusion(frozenset(raw.get("applies_to") or ()))
            targets |= literal_words(raw["phrase"], sets)

        typo = TypoSettings(**(settings.get("typo") or {}))
        protected = set(data.get("never_correct") or ()) | {w.lower() for n in place_names() for w in n.split()}
        lemma_forms: dict[str, str] = _lookups_data("en_lemma_lookup.json.gz")
        self._corrector = TypoCorrector(
            _with_inflections(targets, lemma_forms, self.lemma), _known_english_words(lemma_forms), protected, typo
        )
        self._framing = Framing.from_data(data["framing"])
        self.classifier = classifier

    def lemma(self, word: str) -> str:
        return self._lemmas.get(word, word)

    def corrected(self, word: str) -> str:
        """What the typo corrector makes of one lower-case word ("brething" -> "breathing")."""
        return self._corrector.correct(word)

    def _doc(self, text: str) -> Doc:
        doc = self._nlp.make_doc(normalise(clean_text(text), self._shorthand))
        for token in doc:
            corrected = self._corrector.correct(token.lower_)
            token.lemma_ = self.lemma(corrected)
            token.norm_ = BIG_NUMBER if _is_big_number(token.text) else corrected
        return doc

    def classifier_text(self, text: str) -> str:
        """The message as the classifier sees it: normalised, typo-corrected words."""
        return " ".join(token.norm_ for token in self._doc(text))

    def detect_all(self, text: str) -> list[RedFlag]:
        """The best match in each group that matched, highest priority first; if no rule
        matched, the classifier's category (when it reaches its threshold)."""
        doc = self._doc(text)
        if self._framing.is_hypothetical(doc.text):
            return []
        flags, explained_away = self._rule_flags(doc)
        if flags or self.classifier is None:
            return flags
        predicted = self.classifier.predict(" ".join(token.norm_ for token in doc))
        if predicted is None:
            return []
        category, score = predicted
        group = category_group(category)
        # A rule of this group matched and a reviewed exclusion says why it is no danger
        # ("bruises easily because of her aspirin"): the classifier does not overrule it.
        if group in explained_away:
            return []
        if group == MISSING_PERSON and self._framing.is_resolved_missing(doc.text):
            return []
        return [RedFlag(group, "", CLASSIFIER_RULE, source="classifier", score=round(score, 4))]

    def rule_flags(self, text: str) -> list[RedFlag]:
        """What the rules alone find (no framing of the whole message, no classifier)."""
        return self._rule_flags(self._doc(text))[0]

    def _rule_flags(self, doc: Doc) -> tuple[list[RedFlag], frozenset[str]]:
        """The flags per group, and the groups whose matches an exclusion removed."""
        excluded = [
            (self._exclusions[self._nlp.vocab.strings[key]], start, end)
            for key, start, end in self._exclusion_matcher(doc)
        ]
        candidates: list[tuple[int, int, RedFlag]] = []
        explained_away: set[str] = set()
        for key, start, end in self._matcher(doc):
            rule = self._nlp.vocab.strings[key]
            group = self._rule_group[rule]
            if any(e.covers(group, rule) and start < e_end and e_start < end for e, e_start, e_end in excluded):
                explained_away.add(group)
                continue
            if self._framed_away(group, doc.text, doc[start:end].text):
                continue
            candidates.append((end - start, start, RedFlag(group, doc[start:end].text, rule)))
        # In a message about something else (a neglect story), a condition named as background
        # ("she's 84 and has had a stroke") is no emergency; alone, it still routes.
        if any(flag.group not in HEALTH_EVENT_GROUPS for _, _, flag in candidates):
            candidates = [
                c
                for c in candidates
                if c[2].group not in HEALTH_EVENT_GROUPS or not self._framing.is_history(doc.text, c[2].phrase)
            ]
        best: dict[str, tuple[int, int, RedFlag]] = {}
        for candidate in candidates:
            # The shortest match is the most specific phrase to report.
            group = candidate[2].group
            if group not in best or candidate[:2] < best[group][:2]:
                best[group] = candidate
        return [best[group][2] for group in GROUPS if group in best], frozenset(explained_away)

    def _framed_away(self, group: str, text: str, matched: str) -> bool:
        if group in HEALTH_EVENT_GROUPS and self._framing.is_past(text, matched):
            return True
        return group == MISSING_PERSON and self._framing.is_resolved_missing(text)

    def detect(self, text: str) -> RedFlag | None:
        flags = self.detect_all(text)
        return flags[0] if flags else None


def _is_big_number(word: str) -> bool:
    """10 or more, written with or without thousands commas ("20", "50,000")."""
    digits = word.replace(",", "")
    return digits.isdigit() and not word.startswith(",") and int(digits) >= 10


def _with_inflections(words: Iterable[str], lemma_forms: dict[str, str], lemma: Callable[[str], str]) -> set[str]:
    """'breathe' -> also 'breathing', 'breathed': a typo is of the form the user meant."""
    wanted = {lemma(w) for w in words}
    found = set(words) | {form for form, base in lemma_forms.items() if base in wanted}
    return {w for w in found if w.isalpha() and w.islower()}


def load_data(path: Path = DATA_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def fit_classifier(detector: RedFlagDetector, nlu_dir: Path = NLU_DIR) -> RedFlagClassifier:
    """Fits the classifier on the examples file and the NLU questions the rules leave alone
    (a training question the rules flag, like "the carers didn't turn up", is no ordinary example)."""
    examples = load_examples()
    ordinary = [q for q in nlu_questions(nlu_dir) if not detector.rule_flags(q)] if nlu_dir.is_dir() else []
    texts, labels = training_set(examples, ordinary)
    return RedFlagClassifier.fit(
        [detector.classifier_text(t) for t in texts], labels, examples.threshold, examples.min_words
    )


@lru_cache(maxsize=1)
def default_detector() -> RedFlagDetector:
    """Loaded once per process (a few seconds: the spaCy pipeline, word lists, classifier fit)."""
    detector = RedFlagDetector(load_pipeline(), load_data())
    detector.classifier = fit_classifier(detector)
    return detector


def detect(text: str) -> RedFlag | None:
    """The highest-priority red flag in ``text``, or None."""
    return default_detector().detect(text)
