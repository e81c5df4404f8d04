"""Write the tables: CSV (UTF-8, RFC 4180) or Parquet, streamed, each file renamed into place when complete.

Rows are appended chunk by chunk. :meth:`TableWriter.commit` makes what was
written so far durable and returns a small state (file sizes, part counts)
that a checkpoint records; a writer reopened with that state continues
exactly there, dropping anything written after it (see ``checkpoint.py``).

CSV tables and ``texts.jsonl`` grow as ``<file>.partial``. Parquet tables
are written as one part file per chunk in ``OUT/.vnie-run/parts/<table>/``;
closing either merges the parts into one ``<table>.parquet`` or, with
``partitioned=True``, moves the folder of parts to ``<table>.parquet/``
(the layout Dask and Spark write). Final names appear only when the whole
run is written, so a table that looks complete is complete.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

from pipeline.schema import INT_COLUMNS, TABLE_COLUMNS

PARTIAL = ".partial"
TEXTS = "texts.jsonl"
PARTS = "parts"
# Everything a run keeps between its chunks (checkpoint, lock, Parquet parts); removed when it finishes.
RUN_DIR = ".vnie-run"
# Rows gathered before a merged Parquet file gets a new row group: big enough for fast scans,
# small enough to keep memory flat.
MERGE_ROWS = 64_000


class OutputError(RuntimeError):
    """The output folder cannot be written; the message says what to do."""


def _parquet_schema(name: str):
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in TABLE_COLUMNS[name]])


def _part_name(number: int) -> str:
    return f"part.{number:08d}.parquet"


# What a user can do when the disk fills up or permissions change midway.
RESUME_HINT = ("; what was written is kept under *.partial names (no table looks complete):"
               " fix this, then run the same command with --resume")

def _part_number(path: Path) -> int:
    return int(path.name.split(".")[1])


class TableWriter:
    """Streams rows into ``OUT/<table>.csv`` (or ``.parquet``) and ``OUT/texts.jsonl``.

    ``resume_state`` is a state returned by :meth:`commit` in an earlier,
    interrupted run: the files are cut back to it and appended to.
    ``append``: the tables already in ``out_dir`` are copied to the temporary
    files first, so the new rows follow them (the finished tables stay as they
    are until the run publishes its own).
    """

    def __init__(self, out_dir: str | os.PathLike, fmt: str = "csv", write_texts: bool = True, *,
                 partitioned: bool = False, resume_state: dict | None = None, append: bool = False):
        if fmt not in ("csv", "parquet"):
            raise ValueError(f"unknown format {fmt!r}; use csv or parquet")
        self.out = Path(out_dir)
        self.fmt = fmt
        self.partitioned = partitioned and fmt == "parquet"
        self.parts_dir = self.out / RUN_DIR / PARTS
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            probe = self.out / f".vnie-write-test{PARTIAL}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise OutputError(f"cannot write to output folder {self.out}: {exc.strerror or exc}") from exc
        self._files: dict[str, object] = {}     # file name -> open text handle (CSV tables, texts.jsonl)
        self._csv: dict[str, csv.DictWriter] = {}
        self._unsynced: list[Path] = []         # Parquet parts written since the last commit
        self._part = 0
        self._closed = False
        self.append = append
        names = [f"{name}.csv" for name in TABLE_COLUMNS] if fmt == "csv" else []
        if write_texts:
            names.append(TEXTS)
        try:
            if resume_state is None:
                self._start(names)
            else:
                self._reopen(names, resume_state)
        except OSError as exc:
            self._close_handles()
            raise OutputError(f"cannot write to output folder {self.out}: {exc.strerror or exc}") from exc

    def _partial(self, filename: str) -> Path:
        return self.out / (filename + PARTIAL)

    def _start(self, names: list[str]) -> None:
        if self.fmt == "parquet":
            shutil.rmtree(self.parts_dir, ignore_errors=True)
            for name in TABLE_COLUMNS:
                (self.parts_dir / name).mkdir(parents=True, exist_ok=True)
        for filename in names:
            held = self.out / filename
            if self.append and held.is_file():
                _copy_held(held, self._partial(filename), filename)
                handle = open(self._partial(filename), "a", encoding="utf-8", newline="")
            else:
                handle = open(self._partial(filename), "w", encoding="utf-8", newline="")
            self._files[filename] = handle
            table = filename[:-4]
            if filename.endswith(".csv"):
                self._csv[table] = csv.DictWriter(handle, fieldnames=TABLE_COLUMNS[table], extrasaction="ignore")
                if handle.tell() == 0:
                    self._csv[table].writeheader()
        if self.append and self.fmt == "parquet":
            self._part = max((_adopt_parts(self.out / f"{name}.parquet", self.parts_dir / name, name)
                              for name in TABLE_COLUMNS), default=0)

    def _reopen(self, names: list[str], state: dict) -> None:
        sizes = state.get("sizes", {})
        for filename in names:
            path = self._partial(filename)
            size = sizes.get(filename)
            if size is None or not path.exists() or path.stat().st_size < size:
                raise OutputError(f"{path} does not hold what the checkpoint recorded; "
                                  "run again without --resume to start over")
            # Bytes after the recorded size belong to a chunk that was never committed.
            os.truncate(path, size)
            handle = open(path, "a", encoding="utf-8", newline="")
            self._files[filename] = handle
            if filename.endswith(".csv"):
                table = filename[:-4]
                self._csv[table] = csv.DictWriter(handle, fieldnames=TABLE_COLUMNS[table], extrasaction="ignore")
        if self.fmt == "parquet":
            self._part = state.get("parts", 0)
            for name in TABLE_COLUMNS:
                folder = self.parts_dir / name
                folder.mkdir(parents=True, exist_ok=True)
                for part in folder.glob("part.*.parquet*"):
                    if part.suffix != ".parquet" or _part_number(part) >= self._part:
                        part.unlink()

    def write(self, rows: dict[str, list[dict]], texts: list[tuple[str, str]] = ()) -> None:
        """Append rows (table name -> list of row dicts) and document texts."""
        try:
            if self.fmt == "csv":
                for name, table_rows in rows.items():
                    if table_rows:
                        self._csv[name].writerows(table_rows)
            else:
                self._write_parts(rows)
            handle = self._files.get(TEXTS)
            if handle is not None:
                for doc_id, text in texts:
                    handle.write(json.dumps({"doc_id": doc_id, "text": text}, ensure_ascii=False) + "\n")
        except OSError as exc:
            self._close_handles()
            raise OutputError(f"writing to {self.out} failed: {exc.strerror or exc}{RESUME_HINT}") from exc

    def _write_parts(self, rows: dict[str, list[dict]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        for name, table_rows in rows.items():
            if not table_rows:
                continue
            schema = _parquet_schema(name)
            columns = {c: [r.get(c) for r in table_rows] for c in schema.names}
            path = self.parts_dir / name / _part_name(self._part)
            pq.write_table(pa.table(columns, schema=schema), path)
            self._unsynced.append(path)
        # One number per write, whichever tables had rows, so a checkpoint is a single count.
        self._part += 1

    def flush(self) -> None:
        """Hand buffered rows to the operating system."""
        for handle in self._files.values():
            handle.flush()

    def commit(self) -> dict:
        """Make everything written so far durable; returns the state to resume from."""
        try:
            sizes = {}
            for filename, handle in self._files.items():
                handle.flush()
                os.fsync(handle.fileno())
                sizes[filename] = os.fstat(handle.fileno()).st_size
            for path in self._unsynced:
                fd = os.open(path, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            self._unsynced = []
        except OSError as exc:
            self._close_handles()
            raise OutputError(f"writing to {self.out} failed: {exc.strerror or exc}{RESUME_HINT}") from exc
        state = {"sizes": sizes}
        if self.fmt == "parquet":
            state["parts"] = self._part
        return state

    def prepare(self) -> None:
        """Finish every file under its temporary name (merging Parquet parts); nothing is renamed yet."""
        try:
            self.commit()
            self._close_handles()
            if self.fmt == "parquet":
                for name in TABLE_COLUMNS:
                    if self.partitioned:
                        self._ensure_one_part(name)
                    else:
                        self._merge_parts(name)
        except OSError as exc:
            raise OutputError(f"finishing the tables in {self.out} failed: {exc.strerror or exc}{RESUME_HINT}") from exc

    def _ensure_one_part(self, name: str) -> None:
        # A reader of an empty folder cannot know the columns: an empty table is one empty part.
        import pyarrow.parquet as pq

        folder = self.parts_dir / name
        if not any(folder.glob("part.*.parquet")):
            pq.write_table(_parquet_schema(name).empty_table(), folder / _part_name(0))

    def _merge_parts(self, name: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        schema = _parquet_schema(name)
        target = self._partial(f"{name}.parquet")
        pending, count = [], 0
        with pq.ParquetWriter(target, schema) as writer:
            for part in sorted((self.parts_dir / name).glob("part.*.parquet"), key=_part_number):
                table = pq.read_table(part, schema=schema)
                pending.append(table)
                count += table.num_rows
                if count >= MERGE_ROWS:
                    writer.write_table(pa.concat_tables(pending))
                    pending, count = [], 0
            if pending:
                writer.write_table(pa.concat_tables(pending))
        with open(target, "rb") as handle:
            os.fsync(handle.fileno())

    def publish(self) -> None:
        """Rename every finished file to its final name (see :func:`publish`)."""
        publish(self.out, self.fmt, self.partitioned)
        self._closed = True

    def close(self) -> None:
        """Finish every file and move it to its final name."""
        if self._closed:
            return
        self.prepare()
        self.publish()

    def _close_handles(self) -> None:
        for handle in self._files.values():
            try:
                handle.close()
            except OSError:
                pass

    def release(self) -> None:
        """Close the files without finishing them: an interrupted run leaves them for ``--resume``."""
        self._close_handles()
        self._closed = True


def _copy_held(held: Path, partial: Path, filename: str) -> None:
    """Start ``partial`` with the rows of the finished ``held`` file (an older table gets the new columns)."""
    table = filename[:-4] if filename.endswith(".csv") else None
    if table is not None:
        with open(held, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
        if header != TABLE_COLUMNS[table]:
            with open(held, encoding="utf-8", newline="") as source, \
                    open(partial, "w", encoding="utf-8", newline="") as target:
                writer = csv.DictWriter(target, fieldnames=TABLE_COLUMNS[table], extrasaction="ignore")
                writer.writeheader()
                writer.writerows(csv.DictReader(source))
            return
    shutil.copyfile(held, partial)


def _adopt_parts(held: Path, folder: Path, name: str) -> int:
    """Copy a held Parquet table into the run's parts (a merged file becomes part 0); returns the next part number."""
    import pyarrow.parquet as pq

    schema = _parquet_schema(name)
    sources = sorted(held.glob("part.*.parquet"), key=_part_number) if held.is_dir() else [held]
    following = 0
    for number, source in enumerate(sources):
        if not source.exists():
            continue
        part = _part_number(source) if held.is_dir() else number
        pq.write_table(_conform(pq.read_table(source), schema), folder / _part_name(part))
        following = max(following, part + 1)
    return following


def _conform(table, schema):
    """``table`` with the columns of ``schema`` in order: a column an older output lacks is empty."""
    import pyarrow as pa

    columns = [table.column(f.name).cast(f.type) if f.name in table.column_names else pa.nulls(len(table), f.type)
               for f in schema]
    return pa.table(columns, schema=schema)


def publish(out: str | os.PathLike, fmt: str, partitioned: bool = False) -> None:
    """Move the finished files of a run in ``out`` to their final names.

    Files already moved are left alone, so a run killed in the middle of this
    step finishes it when resumed.
    """
    out = Path(out)
    parts_dir = out / RUN_DIR / PARTS
    try:
        for name in TABLE_COLUMNS:
            final = out / f"{name}.{fmt}"
            if fmt == "parquet" and partitioned:
                folder = parts_dir / name
                if folder.is_dir():
                    _remove(final)
                    os.replace(folder, final)
            else:
                partial = out / f"{name}.{fmt}{PARTIAL}"
                if partial.exists():
                    if final.is_dir():
                        shutil.rmtree(final)
                    os.replace(partial, final)
        texts = out / (TEXTS + PARTIAL)
        if texts.exists():
            os.replace(texts, out / TEXTS)
    except OSError as exc:
        raise OutputError(f"finishing the tables in {out} failed: {exc.strerror or exc}") from exc


def remove_tables(out: str | os.PathLike, fmt: str) -> None:
    """Remove the finished tables of format ``fmt`` from ``out`` (an output replaced by one in the other format)."""
    for name in TABLE_COLUMNS:
        _remove(Path(out) / f"{name}.{fmt}")


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
