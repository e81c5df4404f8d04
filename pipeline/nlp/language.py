"""The one spaCy ``Language`` that holds the whole pipeline."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.util import registry

from pipeline.io.documents import MAX_DOCUMENT_BYTES
from pipeline.nlp.extensions import register_extensions

# Importing the modules registers their factories with spaCy.
from pipeline.nlp import layout, organisations  # noqa: F401
from pipeline.nlp.extractors import award_counts, clusters, dates, officials, person_names, titles  # noqa: F401
from pipeline.nlp.pattern_cache import cached_patterns
from pipeline.nlp.segment import UndertheseaTokenizer

STAGES = ["vnie_layout", "vnie_dates", "vnie_person_names", "vnie_organisations", "vnie_officials", "vnie_clusters", "vnie_titles",
          "vnie_award_counts"]


@registry.tokenizers("vnie.underthesea_tokenizer.v1")
def create_tokenizer():
    def make(nlp: Language) -> UndertheseaTokenizer:
        return UndertheseaTokenizer(nlp.vocab)

    return make


def build(rules_path: str | None = None) -> Language:
    """Build a fresh pipeline: underthesea segmentation, then every extraction stage."""
    register_extensions()
    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "vnie.underthesea_tokenizer.v1"}}})
    with cached_patterns():  # the rules' expressions compiled by an earlier start, read from disk
        for stage in STAGES:
            nlp.add_pipe(stage, config={"rules_path": rules_path})
    # spaCy's 1M-character guard is for its parser and NER, which this pipeline does not use;
    # segmentation runs in bounded batches, so the reader's per-article limit is the one that counts.
    nlp.max_length = MAX_DOCUMENT_BYTES
    return nlp


@lru_cache(maxsize=2)
def load(rules_path: str | None = None) -> Language:
    """The pipeline, built once per process and shared."""
    return build(rules_path)
