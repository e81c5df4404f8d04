"""vnie: Vietnamese news-text information extraction.

>>> import pipeline
>>> nlp = pipeline.load()                      # the spaCy Language, built once
>>> tables = pipeline.extract("corpus/dev")    # dict of pandas DataFrames
>>> tables["officials"][["name", "rank"]]
"""
from __future__ import annotations

__version__ = "0.1.0"

from pipeline.spacy_cli import defer as _defer_spacy_cli  # noqa: E402

_defer_spacy_cli()  # spaCy's command line (a fifth of a second to import) only if something uses it


def load(rules_path: str | None = None):
    """The whole pipeline as a spaCy ``Language`` (segmentation and every extraction stage)."""
    from pipeline.nlp.language import load as _load

    return _load(rules_path)


def extract(texts_or_paths, nlp=None) -> dict:
    """Extract every table from texts, file paths or folders.

    Returns a dict of pandas DataFrames keyed by table name (``"documents"``,
    ``"officials"``, ``"dates"``, ``"clusters"``, ``"titles"``,
    ``"award_counts"``, ``"mentions"``, ``"errors"``, and across the documents
    ``"people"``, ``"units"``, ``"cluster_members"``); integer columns are
    nullable integers.
    """
    import pandas as pd

    from pipeline.io.frames import typed
    from pipeline.linking.link import link_rows
    from pipeline.runner.process import extract_tables
    from pipeline.schema import TABLE_COLUMNS

    nlp = nlp or load()
    texts: dict[str, str] = {}
    rows = link_rows(extract_tables(nlp, texts_or_paths, texts), texts)
    return {name: typed(pd.DataFrame(rows[name], columns=cols), cols) for name, cols in TABLE_COLUMNS.items()}


__all__ = ["load", "extract", "__version__"]
