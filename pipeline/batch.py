"""Batch runs: stream documents through the pipeline in chunks and write the tables."""
from __future__ import annotations

from pathlib import Path

from .reader import read_inputs
from .run import iter_rows, merge
from .tables import empty_tables
from .writer import TableWriter

CHUNK = 64


def run_extract(inputs, out: Path, fmt: str = "csv", jsonl_stdin: bool = False, quiet: bool = True) -> dict:
    """Extract ``inputs`` into ``out``; returns counts of documents ok and in error."""
    from .language import load

    nlp = load()
    writer = TableWriter(out, fmt)
    ok = errors = 0
    try:
        pending, texts = empty_tables(), []
        for rows, text in iter_rows(nlp, read_inputs(inputs, jsonl_stdin=jsonl_stdin)):
            merge(pending, rows)
            if text is not None:
                texts.append(text)
                ok += 1
            else:
                errors += 1
            if len(pending["documents"]) + len(pending["errors"]) >= CHUNK:
                writer.write(pending, texts)
                pending, texts = empty_tables(), []
        writer.write(pending, texts)
        writer.close()
    except BaseException:
        writer.abort()
        raise
    return {"ok": ok, "errors": errors}
