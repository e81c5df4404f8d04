"""Web archives: every HTTP response record of a WARC file whose body is HTML is one document.

Records are read with warcio, one at a time, so a file of any size streams.
Requests, metadata, WARC info and responses that are not HTML (images,
scripts) are skipped by design and counted in ``stats``. A broken record (a
bad header, a body shorter than its Content-Length, a gzip member cut short)
is an error naming its offset; reading goes on at the next record found after
it, so one bad record never costs the rest of the file.
"""
from __future__ import annotations

import contextlib
import gzip
import io
import zlib
from collections import Counter
from pathlib import Path
from typing import BinaryIO, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from pipeline.io.documents import MAX_DOCUMENT_BYTES, Document, Item, ReadError
from pipeline.io.html import html_to_document
from pipeline.text.normalize import DecodeError, decode_bytes

HTML_TYPES = ("text/html", "application/xhtml+xml")
GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/1."
# A gzip member longer than this is taken for a whole file compressed at once, not one record.
MEMBER_PROBE = 64 * 1024 * 1024
_BLOCK = 1 << 20
_BROKEN = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, IndexError, KeyError)


def warc_stem(path: Path) -> str:
    """``crawl.warc.gz`` -> ``crawl``: the file name without ``.warc`` and ``.gz``."""
    name = path.name
    for suffix in (".gz", ".warc"):
        if name.lower().endswith(suffix):
            name = name[: -len(suffix)]
    return name


def read_warc(path: Path, stats: Counter | None = None) -> Iterator[Item]:
    """Every HTML response of the WARC at ``path`` (plain, gzipped per record, or gzipped whole)."""
    stats = stats if stats is not None else Counter()
    try:
        handle = _open(path)
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadError(str(path), f"cannot read the web archive: {exc}", None)
        return
    with handle:
        reader = _WarcReader(handle, path, stats)
        yield from reader.records()


def _open(path: Path) -> BinaryIO:
    handle = open(path, "rb")
    if handle.read(3) != GZIP_MAGIC or _per_record_gzip(handle):
        handle.seek(0)
        return handle
    handle.close()
    return gzip.open(path, "rb")  # one gzip stream around the whole WARC: read it uncompressed


def _per_record_gzip(handle: BinaryIO) -> bool:
    """Whether the first gzip member ends before the file does (a WARC gzipped record by record)."""
    handle.seek(0)
    decompressor = zlib.decompressobj(31)
    read = 0
    while not decompressor.eof and read < MEMBER_PROBE:
        block = handle.read(_BLOCK)
        if not block:
            return True  # a single short member: both readings agree
        read += len(block)
        try:
            decompressor.decompress(block, _BLOCK)
            while decompressor.unconsumed_tail and not decompressor.eof:
                decompressor.decompress(decompressor.unconsumed_tail, _BLOCK)
        except zlib.error:
            return True  # broken at once: the record reader reports it with its offset
    return decompressor.eof and (bool(decompressor.unused_data) or bool(handle.read(1)))


class _WarcReader:
    """Walks the records of one open WARC, starting again after each broken one."""

    def __init__(self, handle: BinaryIO, path: Path, stats: Counter):
        self.handle, self.path, self.stats = handle, path, stats
        self.stem = warc_stem(path)
        self.number = 0
        self.gzipped = isinstance(handle, io.BufferedReader) and _starts_with(handle, GZIP_MAGIC)

    def records(self) -> Iterator[Item]:
        start, quiet = 0, False
        while start is not None:
            start, quiet = yield from self._read_from(start, quiet)

    def _read_from(self, start: int, quiet: bool):
        """Records from offset ``start``; returns where to start again after a broken one (None: done)."""
        self.handle.seek(start)
        iterator = ArchiveIterator(self.handle)
        while True:
            offset = iterator.offset
            try:
                with _silenced():
                    record = next(iterator, None)
            except _BROKEN as exc:
                if not quiet:  # after a resync, a false start is not another broken record
                    self.number += 1
                    yield self._broken(offset, f"cannot be read ({_reason(exc)})", None)
                return self._next_start(offset), True
            if record is None:
                return None, False
            self.number += 1
            quiet = False
            item, broken = self._record(iterator, record, offset)
            if item is not None:
                yield item
            if broken:
                return self._next_start(offset), True

    def _record(self, iterator, record, offset: int) -> tuple[Item | None, bool]:
        """The document of one record (or None when it is skipped), and whether the record is broken."""
        kind = record.rec_type
        content_type = (record.http_headers.get_header("Content-Type") or "") if record.http_headers else ""
        is_html = kind == "response" and content_type.split(";")[0].strip().lower() in HTML_TYPES
        doc_id = f"{self.stem}:{self.number}"
        try:
            body = record.content_stream().read(MAX_DOCUMENT_BYTES + 1) if is_html else b""
            while record.raw_stream.read(_BLOCK):
                pass
            errors = iterator.err_count
            with _silenced():
                iterator.read_to_end()
        except _BROKEN as exc:
            return self._broken(offset, f"cannot be read ({_reason(exc)})", doc_id if is_html else None), True
        if record.raw_stream.limit > 0 or iterator.err_count > errors:
            how = "is cut short" if record.raw_stream.limit > 0 else "is longer or shorter than its Content-Length"
            return self._broken(offset, how, doc_id if is_html else None), True
        if not is_html:
            self.stats[_skip_reason(kind, content_type)] += 1
            return None, False
        return self._document(record, body, doc_id), False

    def _document(self, record, body: bytes, doc_id: str) -> Item:
        url = record.rec_headers.get_header("WARC-Target-URI") or None
        source = url or f"{self.path}:{self.number}"
        if len(body) > MAX_DOCUMENT_BYTES:
            return ReadError(source, f"the page is over the {MAX_DOCUMENT_BYTES:,}-byte limit for one article", doc_id)
        try:
            markup = decode_bytes(body)
        except DecodeError as exc:
            return ReadError(source, str(exc), doc_id)
        item = html_to_document(markup, doc_id=doc_id, source=source)
        if url and isinstance(item, Document):
            item.url = url
        return item

    def _broken(self, offset: int, how: str, doc_id: str | None) -> ReadError:
        where = "uncompressed offset" if isinstance(self.handle, gzip.GzipFile) else "offset"
        return ReadError(f"{self.path}:{self.number}", f"WARC record {self.number} at {where} {offset} {how}; "
                         "the records after it are read", doc_id)

    def _next_start(self, offset: int) -> int | None:
        """The offset of the next record (a gzip member or a ``WARC/1.`` line) after ``offset``."""
        # A cut-short record is followed at once by the next one, mid-line: no line start to look for.
        # A false start (the marker inside a body) fails quietly and the search goes on from there.
        marker = GZIP_MAGIC if self.gzipped else WARC_MAGIC
        position = offset + 1
        self.handle.seek(position)
        tail = b""
        while block := self.handle.read(_BLOCK):
            data = tail + block
            found = data.find(marker)
            if found >= 0:
                return position - len(tail) + found
            tail = data[-len(marker):]
            position += len(block)
        return None


def _starts_with(handle: BinaryIO, magic: bytes) -> bool:
    position = handle.tell()
    handle.seek(0)
    head = handle.read(len(magic))
    handle.seek(position)
    return head == magic


def _skip_reason(kind: str, content_type: str) -> str:
    if kind != "response":
        return f"WARC {kind} records"
    return "WARC responses that are not HTML"


def _reason(exc: BaseException) -> str:
    text = str(exc).split(", first line")[0]  # warcio quotes the bytes it could not parse
    return " ".join(text.split())[:200] or type(exc).__name__


@contextlib.contextmanager
def _silenced():
    """warcio writes its warnings to standard error; here they become error rows instead."""
    with contextlib.redirect_stderr(io.StringIO()):
        yield
