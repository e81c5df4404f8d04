"""Read input documents: text files, JSONL feeds, HTML pages, folders and standard input.

Every input either yields a :class:`Document` or a :class:`ReadError`, never
nothing: the run accounts for each one.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.io.documents import MAX_DOCUMENT_BYTES, Document, Item, ReadError
from pipeline.io.html import html_to_document
from pipeline.text.normalize import DecodeError, decode_bytes, normalize_text, replace_surrogates

SUPPORTED_SUFFIXES = {".txt", ".jsonl", ".html", ".htm"}


def _stem_id(path: Path) -> str:
    return path.stem


def read_text_file(path: Path, data: bytes | None = None, doc_id: str | None = None) -> Item:
    """Read one ``.txt`` file as one document."""
    doc_id = doc_id or _stem_id(path)
    try:
        data = path.read_bytes() if data is None else data
        text = normalize_text(decode_bytes(data))
    except (OSError, DecodeError) as exc:
        return ReadError(str(path), str(exc), doc_id)
    if not text.strip():
        return ReadError(str(path), "empty document: no text", doc_id)
    return Document(doc_id=doc_id, text=text, source=str(path))


def read_html(path: Path, data: bytes | None = None, doc_id: str | None = None) -> Item:
    """Read one HTML page: its main text, title, date and author, boilerplate removed."""

    doc_id = doc_id or _stem_id(path)
    try:
        data = path.read_bytes() if data is None else data
        markup = decode_bytes(data)
    except (OSError, DecodeError) as exc:
        return ReadError(str(path), str(exc), doc_id)
    return html_to_document(markup, doc_id=doc_id, source=str(path))


def read_jsonl(path: Path, lines: Iterable[bytes] | None = None) -> Iterator[Item]:
    """Read a JSONL feed: one document per non-empty line."""
    stem = path.stem if str(path) != "-" else "stdin"
    try:
        handle = open(path, "rb") if lines is None else None
    except OSError as exc:
        yield ReadError(str(path), f"cannot open: {exc}", None)
        return
    source_lines = handle if handle is not None else lines
    try:
        for number, raw in enumerate(source_lines, 1):
            fallback_id = f"{stem}:{number}"
            if not raw.strip():
                continue
            try:
                record = json.loads(decode_bytes(raw.rstrip(b"\r\n")))
            except DecodeError as exc:
                yield ReadError(f"{path}:{number}", f"line {number}: {exc}", fallback_id)
                continue
            except json.JSONDecodeError as exc:
                yield ReadError(f"{path}:{number}", f"line {number} is not a JSON object: {exc}", fallback_id)
                continue
            if not isinstance(record, dict):
                yield ReadError(f"{path}:{number}", f"line {number} is not a JSON object", fallback_id)
                continue
            doc_id = _field(record.get("id")) or fallback_id
            text = record.get("text")
            if not isinstance(text, str) or not text.strip():
                yield ReadError(f"{path}:{number}", f"line {number} has no \"text\"", doc_id)
                continue
            text = normalize_text(text)
            yield Document(
                doc_id=doc_id,
                text=text,
                source=_field(record.get("url")) or f"{path}:{number}",
                title=_field(record.get("title")),
                published=_field(record.get("published")),
                url=_field(record.get("url")),
            )
    finally:
        if handle is not None:
            handle.close()


def _printable(name: str) -> str:
    """A name that can be written as UTF-8: bytes of a non-UTF-8 file name shown as ``\\xff``."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
        except UnicodeEncodeError:
            return replace_surrogates(name)


def _field(value) -> str | None:
    """A JSONL metadata field as one clean line of text, or None (ids may be numbers; lists and objects are not kept)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return " ".join(normalize_text(str(value)).split()) or None


def is_input_file(path: Path) -> bool:
    """Whether a file found in a folder is an article to read (gold annotations and hidden files are not)."""
    name = path.name.lower()
    return (path.suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith(".")
            and not name.endswith(".gold.jsonl"))


def iter_files(path: Path) -> Iterator[Path]:
    """Every supported file below ``path``, sorted, or ``path`` itself."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and is_input_file(child):
                yield child
    else:
        yield path


def read_path(path: Path) -> Iterator[Item]:
    """Read one file by its suffix."""
    suffix = path.suffix.lower()
    if not path.exists():
        yield ReadError(str(path), "no such file or folder", None)
        return
    if suffix == ".jsonl":
        yield from read_jsonl(path)
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield ReadError(str(path), f"cannot read: {exc}", _stem_id(path))
        return
    if size > MAX_DOCUMENT_BYTES:
        yield ReadError(str(path), f"file is {size:,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte limit for one article;"
                        " split it into articles (one per file, or one JSONL line each)",
                        _stem_id(path))
    elif suffix in (".html", ".htm"):
        yield read_html(path)
    elif suffix == ".txt":
        yield read_text_file(path)
    else:
        yield ReadError(str(path), f"unsupported file type {suffix or '(none)'}; use .txt, .jsonl, .html", _stem_id(path))


def read_stdin(jsonl: bool = False) -> Iterator[Item]:
    """Read standard input: one text document, or JSONL with ``jsonl=True``."""
    stream = sys.stdin.buffer
    if jsonl:
        yield from read_jsonl(Path("-"), lines=stream)
    else:
        yield read_text_file(Path("stdin"), data=stream.read(), doc_id="stdin")


def read_inputs(inputs: Iterable[str | Path], jsonl_stdin: bool = False) -> Iterator[Item]:
    """Read every input (paths, folders, or ``-``) in order, yielding documents and errors.

    Document ids are made unique within the run: a repeated id gets a ``#2``,
    ``#3`` suffix rather than overwriting another document's rows.
    """
    seen: dict[str, int] = {}
    for item in _read_all(inputs, jsonl_stdin):
        item.source = _printable(item.source)  # a file name that is not UTF-8
        if item.doc_id is not None:
            item.doc_id = _printable(item.doc_id)
            count = seen.get(item.doc_id, 0) + 1
            seen[item.doc_id] = count
            if count > 1:
                item.doc_id = f"{item.doc_id}#{count}"
        yield item


def _read_all(inputs, jsonl_stdin):
    for raw in inputs:
        if str(raw) == "-":
            yield from read_stdin(jsonl_stdin)
            continue
        path = Path(raw)
        if not path.exists():
            yield ReadError(str(path), "no such file or folder", None)
            continue
        for file in iter_files(path):
            yield from read_path(file)
