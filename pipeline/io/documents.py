"""What the reader hands on: a :class:`Document`, or a :class:`ReadError` saying why there is none."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Union

# One article, however long, is processed whole; past this it is a dump, not an article.
# An 8 MB article takes about 75 s and 450 MB (benchmarks/bench_extract.py --long-article 8).
MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


@dataclass
class Document:
    """One article, its text normalised, with what its container said about it."""

    doc_id: str
    text: str
    source: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    url: str | None = None
    content_hash: str | None = None   # sha256 of ``text``; set before processing
    duplicate_of: str | None = None   # the earliest document of the output with the same or nearly the same text
    skip: bool = False                # a duplicate left out of the tables (a documents row with status duplicate)
    needs_signature: bool = False     # its near copies are looked for after processing (mark_duplicates' near_later)


@dataclass
class ReadError:
    """An input that could not be turned into a document, and why."""

    source: str
    error: str
    doc_id: str | None = None
    stage: str = "read"


Item = Union[Document, ReadError]
