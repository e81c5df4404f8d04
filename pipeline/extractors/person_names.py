"""Person names found by a statistical model (placeholder until the CRF is trained)."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..docs import register_extensions


class PersonNameTagger:
    def __init__(self, rules_path: str | None = None):
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc.spans["person_names"] = []
        return doc


@Language.factory("vnie_person_names", default_config={"rules_path": None})
def make_person_names(nlp: Language, name: str, rules_path: str | None):
    return PersonNameTagger(rules_path)
