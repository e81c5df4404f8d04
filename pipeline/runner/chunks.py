"""Chunks of documents: the unit of work an engine hands to a worker, and what comes back."""
from __future__ import annotations

import gc
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Iterable, Iterator

from pipeline.io.documents import Document, Item
from pipeline.linking.link import article_provinces
from pipeline.linking.provinces import Province
from pipeline.runner.duplicates import DuplicateIndex, signature
from pipeline.runner.process import process_item
from pipeline.runner.tables import error_rows
from pipeline.schema import empty_tables

WORKER_DIED = "the worker process died while processing this document"


@dataclass
class ChunkResult:
    """Every table's rows for one chunk, the texts of its documents and the province each plainly reports
    from, and how many were ok or failed."""

    rows: dict[str, list[dict]] = field(default_factory=empty_tables)
    texts: list[tuple[str, str]] = field(default_factory=list)
    provinces: dict[str, Province | None] = field(default_factory=dict)  # linking at the end of a run reads them
    ok: int = 0
    errors: int = 0
    duplicates: int = 0   # left out of the tables: the output holds their text
    # (position of the documents row, doc_id, MinHash signature) of each document marked needs_signature:
    # made in the worker, looked up in the run's index by the main process (mark_near_duplicates)
    signatures: list[tuple[int, str, object]] = field(default_factory=list)

    def add(self, rows: dict[str, list[dict]], text: tuple[str, str] | None) -> None:
        """Append one document's rows; ``text`` is None for a document that failed or was left out."""
        for name, table_rows in rows.items():
            self.rows[name].extend(table_rows)
        if text is None and any(row.get("status") == "duplicate" for row in rows["documents"]):
            self.duplicates += 1
        elif text is None:
            self.errors += 1
        else:
            self.texts.append(text)
            self.ok += 1

    def sign(self, item: Item) -> None:
        """Make the signature of the document whose rows are added next, if it is marked needs_signature."""
        if isinstance(item, Document) and item.needs_signature:
            self.signatures.append((len(self.rows["documents"]), item.doc_id, signature(item.text)))

    def extend(self, other: "ChunkResult") -> None:
        """Append another result's documents after this one's."""
        offset = len(self.rows["documents"])
        self.signatures.extend((offset + at, doc_id, sig) for at, doc_id, sig in other.signatures)
        for name, table_rows in other.rows.items():
            self.rows[name].extend(table_rows)
        self.texts.extend(other.texts)
        self.provinces.update(other.provinces)
        self.ok += other.ok
        self.errors += other.errors
        self.duplicates += other.duplicates


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of ``size`` consecutive items (the last one shorter), read lazily."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


@lru_cache(maxsize=1)
def batch_pipeline():
    """The pipeline of a batch run, loaded once per process (in a worker, not at import).

    Everything alive once it is built (spaCy, the models, the compiled rules: tens of thousands of
    containers that live as long as the process) is then set aside from the cyclic garbage collector
    (``gc.freeze``), which would otherwise walk all of it again and again as documents make and drop
    their objects: 5-10% of the time of a document in alternated runs.
    """
    from pipeline.nlp.language import load

    nlp = load()
    gc.freeze()
    return nlp


def process_chunk(items: list[Item], nlp=None) -> ChunkResult:
    """Run the pipeline over one chunk; a failing document becomes error rows, never an exception."""
    if nlp is None:
        nlp = batch_pipeline()
    result = ChunkResult()
    # The strings and lexemes the chunk's documents add to the vocabulary are freed when it is
    # done (the rows hold plain values): a worker's memory would otherwise grow with every new
    # word of an endless feed.
    with nlp.memory_zone():
        for item in items:
            result.sign(item)
            result.add(*process_item(nlp, item))
    # here, in the worker, rather than in a run's main process, which has every document to read and write
    result.provinces = article_provinces(result.texts)
    return result


def died_result(item: Item, reason: str = WORKER_DIED) -> ChunkResult:
    """The rows for an item whose worker died: an error, so the document is still accounted for."""
    result = ChunkResult()
    source = getattr(item, "source", "-")
    result.sign(item)  # an original all the same, as it would have been in the worker
    result.add(error_rows(source, item.doc_id, "process", reason), None)
    return result


def mark_near_duplicates(result: ChunkResult, index: DuplicateIndex) -> int:
    """Look the chunk's signatures up in the run's ``index``, in input order (as ``mark_duplicates`` would
    have before processing): each near copy of an earlier original is named in its documents row's
    ``duplicate_of``, every other document becomes an original. Returns how many copies were found."""
    found = 0
    for at, doc_id, sig in result.signatures:
        original = index.add_signature(doc_id, sig)
        if original is not None:
            result.rows["documents"][at]["duplicate_of"] = original
            found += 1
    result.signatures = []
    return found
