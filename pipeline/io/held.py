"""What an output folder already holds: its format and layout, its documents and their texts (for ``--append``)."""
from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from pipeline.io.manifest import MANIFEST, read_manifest
from pipeline.io.write import TEXTS

csv.field_size_limit(1 << 30)


@dataclass
class HeldOutput:
    """A finished output in a folder."""

    out: Path
    fmt: str
    partitioned: bool = False

    @classmethod
    def find(cls, out: Path) -> "HeldOutput | None":
        """The output in ``out``, or None when it holds none."""
        out = Path(out)
        for fmt in ("csv", "parquet"):
            documents = out / f"documents.{fmt}"
            if documents.exists():
                return cls(out, fmt, documents.is_dir())
        return None

    @property
    def manifest(self) -> dict | None:
        return read_manifest(self.out / MANIFEST)

    def documents(self, columns=("doc_id", "status", "content_hash", "duplicate_of")) -> Iterator[dict]:
        """The documents rows, in order (only ``columns``; a column an older output lacks is None)."""
        if self.fmt == "csv":
            with open(self.out / "documents.csv", encoding="utf-8", newline="") as handle:
                for row in csv.DictReader(handle):
                    yield {c: row.get(c) or None for c in columns}
            return
        import pyarrow.parquet as pq

        table = pq.read_table(self.out / "documents.parquet")
        present = [c for c in columns if c in table.column_names]
        for batch in table.select(present).to_batches():
            for row in batch.to_pylist():
                yield {c: row.get(c) for c in columns}

    def texts(self) -> Iterator[tuple[str, str]]:
        """``(doc_id, text)`` of every processed document, in order."""
        path = self.out / TEXTS
        if not path.exists():
            return
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    yield record["doc_id"], record["text"]

    def counts(self) -> dict:
        """Documents by status, and how many name an earlier one in duplicate_of."""
        status = Counter()
        flagged = 0
        for row in self.documents(("status", "duplicate_of")):
            status[row["status"] or "ok"] += 1
            flagged += bool(row["duplicate_of"])
        return {"documents": sum(status.values()), "ok": status["ok"], "error": status["error"],
                "duplicate": status["duplicate"], "duplicate_of_set": flagged}


def seed_index(held: HeldOutput, index) -> list[str]:
    """Put every held document into the duplicate ``index``, in order; returns their ids."""
    ids = []
    texts = held.texts()
    pending: dict[str, str] = {}
    for row in held.documents():
        doc_id = row["doc_id"]
        ids.append(doc_id)
        if row["status"] == "ok":
            text = _text_of(doc_id, texts, pending)
            if text is not None:
                index.add(doc_id, text)
                continue
        if row["content_hash"]:
            index.add_hash(doc_id, row["content_hash"])
    return ids


def _text_of(doc_id: str, texts: Iterator[tuple[str, str]], pending: dict[str, str]) -> str | None:
    # texts.jsonl holds the processed documents in the order of documents.csv; read both side by side.
    if doc_id in pending:
        return pending.pop(doc_id)
    for other, text in texts:
        if other == doc_id:
            return text
        pending[other] = text
    return None
