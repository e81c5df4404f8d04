"""Write the tables: CSV (UTF-8, RFC 4180) or Parquet, streamed, each file renamed into place when complete."""
from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from .tables import TABLE_COLUMNS

INT_COLUMNS = {"start", "end", "count", "total", "number", "mentions"}
PARTIAL = ".partial"


class OutputError(RuntimeError):
    """The output folder cannot be written; the message says what to do."""


def _parquet_schema(name: str):
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in TABLE_COLUMNS[name]])


class TableWriter:
    """Streams rows into ``OUT/<table>.csv`` (or ``.parquet``) and ``OUT/texts.jsonl``.

    Rows go to ``<file>.partial`` files; :meth:`close` renames them to their
    final names only when everything was written, so a table that looks
    complete is complete.
    """

    def __init__(self, out_dir: str | os.PathLike, fmt: str = "csv", write_texts: bool = True):
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"unknown format {fmt!r}; use csv or parquet")
        self.out = Path(out_dir)
        self.fmt = fmt
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            probe = self.out / f".vnie-write-test{PARTIAL}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise OutputError(f"cannot write to output folder {self.out}: {exc.strerror or exc}") from exc
        self._files = {}
        self._writers = {}
        self._texts = None
        self._closed = False
        try:
            for name, columns in TABLE_COLUMNS.items():
                path = self._partial(f"{name}.{fmt}")
                if fmt == "csv":
                    handle = open(path, "w", encoding="utf-8", newline="")
                    writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
                    writer.writeheader()
                    self._files[name], self._writers[name] = handle, writer
                else:
                    import pyarrow.parquet as pq

                    self._writers[name] = pq.ParquetWriter(path, _parquet_schema(name))
            if write_texts:
                self._texts = open(self._partial("texts.jsonl"), "w", encoding="utf-8")
        except OSError as exc:
            self.abort()
            raise OutputError(f"cannot write to output folder {self.out}: {exc.strerror or exc}") from exc

    def _partial(self, filename: str) -> Path:
        return self.out / (filename + PARTIAL)

    def write(self, rows: dict[str, list[dict]], texts: list[tuple[str, str]] = ()) -> None:
        """Append rows (table name -> list of row dicts) and document texts."""
        try:
            for name, table_rows in rows.items():
                if not table_rows:
                    continue
                if self.fmt == "csv":
                    self._writers[name].writerows(table_rows)
                else:
                    import pyarrow as pa

                    schema = _parquet_schema(name)
                    columns = {c: [r.get(c) for r in table_rows] for c in schema.names}
                    self._writers[name].write_table(pa.table(columns, schema=schema))
            if self._texts is not None:
                for doc_id, text in texts:
                    self._texts.write(json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        except OSError as exc:
            self.abort()
            raise OutputError(f"writing to {self.out} failed: {exc.strerror or exc}") from exc

    def flush(self) -> None:
        for handle in self._files.values():
            handle.flush()
        if self._texts is not None:
            self._texts.flush()

    def close(self) -> None:
        """Finish every file and move it to its final name."""
        if self._closed:
            return
        try:
            for name in TABLE_COLUMNS:
                if self.fmt == "csv":
                    self._files[name].close()
                else:
                    self._writers[name].close()
            if self._texts is not None:
                self._texts.close()
            for name in TABLE_COLUMNS:
                os.replace(self._partial(f"{name}.{self.fmt}"), self.out / f"{name}.{self.fmt}")
            if self._texts is not None:
                os.replace(self._partial("texts.jsonl"), self.out / "texts.jsonl")
        except OSError as exc:
            raise OutputError(f"finishing the tables in {self.out} failed: {exc.strerror or exc}") from exc
        self._closed = True

    def abort(self) -> None:
        """Close and remove every partial file: nothing half-written is left behind."""
        for handle in self._files.values():
            try:
                handle.close()
            except OSError:
                pass
        if self._texts is not None:
            try:
                self._texts.close()
            except OSError:
                pass
        for path in self.out.glob(f"*{PARTIAL}"):
            try:
                path.unlink()
            except OSError:
                pass
        self._closed = True
