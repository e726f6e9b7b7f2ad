"""Builds the project's own spaCy pipeline, which Rasa's SpacyNLP loads from a path.

No official English model can be downloaded here, so the pipeline starts from
``spacy.blank("en")`` and adds what does real work for us:
- a lookup lemmatizer (tables from spacy-lookups-data), so "going"/"went" count as "go"
  in the CountVectors features;
- an EntityRuler that tags domain terms: pathway names ("P1", "pathway two") and the place
  and council names the area resolver knows.
The pipeline is a build product (``build/spacy/homeward_en``), never committed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from importlib.resources import files
from pathlib import Path

import spacy
from spacy.lookups import Lookups

from bot.directory.areas import place_names
from bot.nlp.pathway_names import PATHWAY_WORDS

PIPELINE_NAME = "homeward_en"
DEFAULT_PATH = Path("build/spacy") / PIPELINE_NAME



def pathway_patterns() -> list[dict]:
    patterns = []
    for number, words in PATHWAY_WORDS.items():
        for word in words:
            patterns.append({"label": "pathway", "id": number, "pattern": [{"LOWER": "pathway"}, {"LOWER": word}]})
        patterns.append({"label": "pathway", "id": number, "pattern": [{"LOWER": f"p{number}"}]})
    return patterns


def place_patterns() -> list[dict]:
    return [{"label": "place", "pattern": name.lower()} for name in place_names()]


def entity_patterns() -> list[dict]:
    return pathway_patterns() + place_patterns()


def patterns_fingerprint() -> str:
    """Changes whenever the pipeline would be built differently (used to skip rebuilds)."""
    payload = json.dumps(
        {"spacy": spacy.__version__, "patterns": entity_patterns(), "lemmas": "lookup+capitalised"}, sort_keys=True
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def _lemma_lookups() -> Lookups:
    """English lemma table, plus capitalised keys: Rasa keeps the user's casing (so entity
    values match what they typed) and the lookup is case-sensitive ("Going" -> "go")."""
    with gzip.open(files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz", "rt", encoding="utf-8") as f:
        entries: dict[str, str] = json.load(f)
    entries.update({k.capitalize(): v for k, v in list(entries.items()) if k.islower()})
    lookups = Lookups()
    lookups.add_table("lemma_lookup", entries)
    return lookups


def build_pipeline(path: Path = DEFAULT_PATH) -> Path:
    nlp = spacy.blank("en")
    nlp.meta["name"] = PIPELINE_NAME
    nlp.meta["description"] = "Homeward: blank English + lookup lemmatizer + domain EntityRuler"
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    lemmatizer.initialize(lookups=_lemma_lookups())
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(entity_patterns())
    path.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    (path / "fingerprint.txt").write_text(patterns_fingerprint())
    return path


def is_current(path: Path = DEFAULT_PATH) -> bool:
    stamp = path / "fingerprint.txt"
    return stamp.exists() and stamp.read_text() == patterns_fingerprint()
