"""Read input documents: text files, JSONL feeds, HTML pages, folders and standard input.

Every input either yields a :class:`Document` or a :class:`ReadError`, never
nothing: the run accounts for each one.
"""
from __future__ import annotations

import gzip
import json
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from pipeline.io.documents import MAX_DOCUMENT_BYTES, Document, Item, ReadError
from pipeline.io.html import html_to_document
from pipeline.text.normalize import DecodeError, decode_bytes, normalize_text, replace_surrogates

SUPPORTED_SUFFIXES = {".txt": "txt", ".jsonl": "jsonl", ".html": "html", ".htm": "html", ".warc": "warc"}
# The reader's count of files it did not read because of their type (each also an error row).
UNSUPPORTED = "files of an unsupported type"


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


def read_jsonl(path: Path, lines: Iterable[bytes] | None = None, stem: str | None = None) -> Iterator[Item]:
    """Read a JSONL feed: one document per non-empty line."""
    stem = stem or (path.stem if str(path) != "-" else "stdin")
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


def input_kind(path: Path) -> str | None:
    """What a file holds, by its name: ``txt``, ``jsonl``, ``html``, ``warc``, or None (unsupported).

    ``.gz`` of any of them is read as the uncompressed file.
    """
    suffixes = [suffix.lower() for suffix in path.suffixes[-2:]]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return SUPPORTED_SUFFIXES.get(suffixes[-1]) if suffixes else None


def is_compressed(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def is_annotation(path: Path) -> bool:
    """Gold annotations and hidden files sit beside articles; they are not inputs."""
    name = path.name.lower()
    return name.startswith(".") or name.endswith(".gold.jsonl") or name.endswith(".gold.jsonl.gz")


def is_input_file(path: Path) -> bool:
    """Whether a file found in a folder is an article file this reader reads."""
    return input_kind(path) is not None and not is_annotation(path)


def iter_files(path: Path) -> Iterator[Path]:
    """Every file below ``path`` (sorted) but annotations and hidden files, or ``path`` itself.

    Files of an unsupported type are included: the reader turns each into an error row.
    """
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not is_annotation(child) and not _hidden(child, path):
                yield child
    else:
        yield path


def _hidden(child: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in child.relative_to(root).parts)


def read_path(path: Path, stats: Counter | None = None, in_folder: bool = False) -> Iterator[Item]:
    """Read one file by its type; ``in_folder``: found in a folder, not named by the user."""
    stats = stats if stats is not None else Counter()
    kind = input_kind(path)
    if not path.exists():
        yield ReadError(str(path), "no such file or folder", None)
    elif kind is None:
        if in_folder:  # skipped by design, with a row; a file the user named is an error
            stats[UNSUPPORTED] += 1
        yield ReadError(str(path), f"unsupported file type {path.suffix or '(none)'}; use .txt, .jsonl, .html, "
                        ".warc, or any of them .gz", None)
    elif kind == "warc":
        from pipeline.io.warc import read_warc  # warcio (and fsspec) only when a WARC file is read

        yield from read_warc(path, stats)
    elif kind == "jsonl":
        yield from _read_jsonl_file(path)
    else:
        yield _read_article(path, kind)


def _read_jsonl_file(path: Path) -> Iterator[Item]:
    if not is_compressed(path):
        yield from read_jsonl(path)
        return
    try:
        with gzip.open(path, "rb") as lines:
            yield from read_jsonl(path, lines=lines, stem=Path(path.stem).stem)
    except (OSError, EOFError, zlib.error) as exc:
        yield ReadError(str(path), f"the gzip file cannot be read: {exc}", None)


def _read_article(path: Path, kind: str) -> Item:
    """One ``.txt`` or ``.html`` file (or its ``.gz``) as one document."""
    stem = Path(path.stem).stem if is_compressed(path) else path.stem
    try:
        if is_compressed(path):
            with gzip.open(path, "rb") as handle:
                data = handle.read(MAX_DOCUMENT_BYTES + 1)
            size = len(data)
        else:
            data, size = None, path.stat().st_size
    except (OSError, EOFError, zlib.error) as exc:
        return ReadError(str(path), f"cannot read: {exc}", stem)
    if size > MAX_DOCUMENT_BYTES:
        return ReadError(str(path), f"file is {size:,} bytes, over the {MAX_DOCUMENT_BYTES:,}-byte limit for one "
                         "article; split it into articles (one per file, or one JSONL line each)", stem)
    if kind == "html":
        return read_html(path, data, doc_id=stem)
    return read_text_file(path, data, doc_id=stem)


def read_stdin(jsonl: bool = False) -> Iterator[Item]:
    """Read standard input: one text document, or JSONL with ``jsonl=True``."""
    stream = sys.stdin.buffer
    if jsonl:
        yield from read_jsonl(Path("-"), lines=stream)
    else:
        yield read_text_file(Path("stdin"), data=stream.read(), doc_id="stdin")


def read_inputs(inputs: Iterable[str | Path], jsonl_stdin: bool = False, *, stats: Counter | None = None,
                held_ids: Iterable[str] = ()) -> Iterator[Item]:
    """Read every input (paths, folders, or ``-``) in order, yielding documents and errors.

    Document ids are made unique within the output: a repeated id gets a
    ``#2``, ``#3`` suffix rather than overwriting another document's rows;
    ``held_ids`` are the ids an output already holds (``--append``). ``stats``
    counts what is skipped by design (WARC requests, files of another type).
    """
    ids = UniqueIds(held_ids)
    for item in _read_all(inputs, jsonl_stdin, stats if stats is not None else Counter()):
        item.source = _printable(item.source)  # a file name that is not UTF-8
        if item.doc_id is not None:
            item.doc_id = ids.claim(_printable(item.doc_id))
        yield item


class UniqueIds:
    """Hands out ids unique within an output: the n-th use of an id becomes ``id#n``."""

    def __init__(self, held: Iterable[str] = ()):
        self.taken: set[str] = set()
        self.count: dict[str, int] = {}
        for doc_id in held:
            self.taken.add(doc_id)
            base, _, number = doc_id.rpartition("#")
            if base and number.isdigit():
                self.count[base] = max(self.count.get(base, 1), int(number))
            else:
                self.count[doc_id] = max(self.count.get(doc_id, 0), 1)

    def claim(self, doc_id: str) -> str:
        count = self.count.get(doc_id, 0) + 1
        unique = doc_id if count == 1 else f"{doc_id}#{count}"
        while unique in self.taken:  # an id written as "x#2" in the input itself
            count += 1
            unique = f"{doc_id}#{count}"
        self.count[doc_id] = count
        self.taken.add(unique)
        return unique


def _read_all(inputs, jsonl_stdin, stats: Counter):
    for raw in inputs:
        if str(raw) == "-":
            yield from read_stdin(jsonl_stdin)
            continue
        path = Path(raw)
        if not path.exists():
            yield ReadError(str(path), "no such file or folder", None)
            continue
        in_folder = path.is_dir()
        for file in iter_files(path):
            yield from read_path(file, stats, in_folder)
