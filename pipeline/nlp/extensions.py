"""The custom attributes every stage reads and writes on the spaCy ``Doc`` and ``Span``.

Results live on the Doc: spans in ``doc.spans[<key>]``, each with its
normalised value in ``span._.value`` and its exact character range in
``span._.char_range`` (a rule may match inside a word the segmenter made, so
the token-aligned span can be wider than the text it stands for).

spaCy keys plain span extensions by character offsets, so two spans over the
same words (a title with two recipients) would share one value. Each span we
make gets its own ``span.id`` instead, and its value is stored under it.
"""
from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.nlp.intervals import Enclosing
from pipeline.text.normalize import fold_tones

DOC_ATTRS = {
    "doc_id": None,
    "source": None,
    "title": None,
    "published_hint": None,  # from the container (JSONL field, HTML metadata)
    "author": None,
    "meta_date": None,  # the " date 2023-11" page-metadata prefix, as written
    "body": None,  # list of (start, end) ranges that are the article, not boilerplate
    "reference_year": None,  # the year that dates without one take
    "published": None,
    "event_date": None,
}


def register_extensions() -> None:
    """Register the custom attributes once per process (idempotent)."""
    for name, default in DOC_ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    if not Doc.has_extension("match_text"):
        Doc.set_extension("match_text", getter=_match_text)
    if not Doc.has_extension("text"):
        Doc.set_extension("text", getter=_text)
    for name in ("value", "char_range"):
        if not Span.has_extension(name):
            Span.set_extension(name, getter=_span_getter(name))


def _span_getter(name: str):
    def get(span: Span):
        record = span.doc.user_data.get("vnie_spans", {}).get(span.id)
        return record[name] if record else None

    return get


def _text(doc: Doc) -> str:
    """``doc._.text``, kept once: spaCy rebuilds it from every token on each access."""
    cached = doc.user_data.get("vnie_text")
    if cached is None:
        cached = doc.user_data["vnie_text"] = doc.text
    return cached


def _match_text(doc: Doc) -> str:
    cached = doc.user_data.get("vnie_match_text")
    if cached is None:
        cached = fold_tones(_text(doc))
        doc.user_data["vnie_match_text"] = cached
    return cached


def token_offsets(doc: Doc) -> list[tuple[str, int]]:
    """(text, start) of every token, in order: kept by the tokenizer, since making spaCy's
    ``Token`` objects one by one costs more than most stages' own work."""
    cached = doc.user_data.get("vnie_tokens")
    if cached is None or len(cached) != len(doc):
        cached = doc.user_data["vnie_tokens"] = [(t.text, t.idx) for t in doc]
    return cached


# Where spaCy keeps a Doc extension's value set by assignment (``doc._.body = ...``): read directly by the
# helpers below, which run thousands of times per article; ``doc._`` builds a new object on every access.
_BODY_KEY = ("._.", "body", None, None)


def in_body(doc: Doc, start: int, end: int) -> bool:
    """Whether [start, end) lies inside the article body (not boilerplate)."""
    body = doc.user_data.get(_BODY_KEY)
    if body is None:
        return True
    if len(body) <= 8:
        return any(s <= start and end <= e for s, e in body)
    # a long article's many stretches: looked up by bisection, the index kept with the body it was made of
    kept = doc.user_data.get("vnie_body_index")
    if kept is None or kept[0] is not body:
        kept = doc.user_data["vnie_body_index"] = (body, Enclosing(body))
    return kept[1].holds(start, end)


def make_span(doc: Doc, start: int, end: int, label: str, value=None) -> Span | None:
    """A span over the tokens covering [start, end), holding the exact range and value."""
    records = doc.user_data.setdefault("vnie_spans", {})
    span_id = f"vnie:{len(records)}"
    span = doc.char_span(start, end, label=label, alignment_mode="expand", span_id=span_id)
    if span is None:
        return None
    records[span.id] = {"value": value, "char_range": (start, end)}
    return span


def char_range(span: Span) -> tuple[int, int]:
    """The exact character range a span stands for (``span._.char_range``, read without building ``span._``)."""
    record = span.doc.user_data.get("vnie_spans", {}).get(span.id)
    return (record and record["char_range"]) or (span.start_char, span.end_char)


def span_record(span: Span, records: dict) -> tuple[int, int, object]:
    """(start, end, value) of a span: ``char_range(span)`` and ``span._.value`` in one lookup of ``records``
    (``doc.user_data["vnie_spans"]``), for the loops over every span of a doc."""
    record = records.get(span.id)
    if record is None:
        return span.start_char, span.end_char, None
    start, end = record["char_range"] or (span.start_char, span.end_char)
    return start, end, record["value"]


def doc_text(doc: Doc) -> str:
    """``doc._.text``, read without building ``doc._``."""
    return doc.user_data.get("vnie_text") or _text(doc)


def span_text(span: Span) -> str:
    start, end = char_range(span)
    return doc_text(span.doc)[start:end]
