"""Run the pipeline over documents: read → process → rows, every document accounted for."""
from __future__ import annotations

import traceback
from typing import TYPE_CHECKING, Iterable, Iterator

from pipeline.io.documents import Document, ReadError
from pipeline.io.read import read_inputs
from pipeline.schema import empty_tables
from pipeline.runner.duplicates import DuplicateIndex, content_hash, mark_duplicates
from pipeline.runner.tables import doc_rows, duplicate_rows, error_rows

if TYPE_CHECKING:  # spaCy is imported where a document is processed: not in a run's main process with workers
    from spacy.language import Language
    from spacy.tokens import Doc


def make_doc(nlp: Language, document: Document) -> Doc:
    """Segment a document and attach its metadata, before the extraction stages run."""
    doc = nlp.make_doc(document.text)
    doc._.doc_id = document.doc_id
    doc._.source = document.source
    doc._.title = document.title
    doc._.published_hint = document.published
    if document.author:
        doc._.author = document.author
    return doc


def process(nlp: Language, document: Document) -> Doc:
    """Run every stage on one document."""
    doc = make_doc(nlp, document)
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _writable(document: Document) -> Document:
    """The document with any unpaired surrogate replaced, so its rows can be written (API input is not read
    through the reader, which does this)."""
    from dataclasses import replace

    from pipeline.text.normalize import replace_surrogates

    fields = {name: replace_surrogates(getattr(document, name)) for name in
              ("doc_id", "text", "source", "title", "published", "author", "url")
              if isinstance(getattr(document, name), str)}
    changed = {k: v for k, v in fields.items() if v is not getattr(document, k)}
    return replace(document, **changed) if changed else document


def process_item(nlp: Language, item: Document | ReadError) -> tuple[dict[str, list[dict]], tuple[str, str] | None]:
    """Rows for one input item; a failure becomes an error row, never an exception."""
    if isinstance(item, ReadError):
        return error_rows(item.source, item.doc_id, item.stage, item.error), None
    item = _writable(item)
    rows, text = _document_rows(nlp, item)
    for row in rows["documents"]:
        row.update(url=item.url, content_hash=item.content_hash, duplicate_of=item.duplicate_of)
    return rows, text


def _document_rows(nlp: Language, item: Document) -> tuple[dict[str, list[dict]], tuple[str, str] | None]:
    if item.skip:
        return duplicate_rows(item), None
    if not isinstance(item.text, str):
        return error_rows(item.source, item.doc_id, "process", "the document has no text"), None
    if item.content_hash is None:
        item.content_hash = content_hash(item.text)
    if len(item.text) > nlp.max_length:
        reason = (f"article is {len(item.text):,} characters, over the limit of {nlp.max_length:,} for one article;"
                  " split it into articles")
        return error_rows(item.source, item.doc_id, "read", reason), None
    try:
        doc = process(nlp, item)
        return doc_rows(doc), (item.doc_id, item.text)
    except Exception as exc:  # one bad document must not stop the run
        where = traceback.extract_tb(exc.__traceback__)[-1]
        reason = f"{type(exc).__name__}: {exc} (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})"
        return error_rows(item.source, item.doc_id, "process", reason), None


def iter_rows(nlp: Language, items: Iterable[Document | ReadError]) -> Iterator[tuple[dict, tuple[str, str] | None]]:
    for item in items:
        yield process_item(nlp, item)


def merge(into: dict[str, list[dict]], rows: dict[str, list[dict]]) -> None:
    for name, table_rows in rows.items():
        into[name].extend(table_rows)


def extract_tables(nlp: Language, inputs: Iterable, texts: dict[str, str] | None = None) -> dict[str, list[dict]]:
    """All rows for ``inputs`` (paths, folders, ``Document`` objects or strings of text); each document's
    text goes into ``texts`` (doc_id → text) when one is given."""
    tables = empty_tables()
    for rows, text in iter_rows(nlp, mark_duplicates(_as_items(inputs), DuplicateIndex())):
        merge(tables, rows)
        if texts is not None and text is not None:
            texts[text[0]] = text[1]
    return tables


def _as_items(inputs) -> Iterator[Document | ReadError]:
    from pathlib import Path

    from pipeline.text.normalize import normalize_text

    if isinstance(inputs, (str, Path, Document)):
        inputs = [inputs]
    paths = []
    n_text = 0
    for x in inputs:
        if isinstance(x, Document):
            yield x
        elif isinstance(x, Path) or (isinstance(x, str) and "\n" not in x and len(x) < 4096 and Path(x).exists()):
            paths.append(x)
        elif isinstance(x, str):
            n_text += 1
            yield Document(doc_id=f"text:{n_text}", text=normalize_text(x), source="<text>")
        else:
            raise TypeError(f"cannot extract from {type(x).__name__}; give text, a path or a Document")
    if paths:
        yield from read_inputs(paths)
