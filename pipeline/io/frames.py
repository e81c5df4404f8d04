"""An output folder's tables as typed pandas DataFrames, and whole tables written back.

Counts, numbers and offsets are nullable integers (``Int64``), never floats,
whether the table is CSV or Parquet; days (``event_date``, ``first_day``, ...)
and ``published`` (a day or a datetime) become datetimes when asked.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

from pipeline.schema import INT_COLUMNS, TABLE_COLUMNS

# Columns whose values are whole days (YYYY-MM-DD), or unknown-year days ("--11-16") that stay empty as dates.
DAY_COLUMNS = {"event_date", "first_day", "last_day"}
# A day or a datetime ("2020-12-06", "2020-12-06T17:25").
DATETIME_COLUMNS = {"published"}


def table_path(out: str | os.PathLike, name: str) -> Path | None:
    """The file (or Parquet folder) of table ``name`` in ``out``, Parquet first; None when absent."""
    for fmt in ("parquet", "csv"):
        path = Path(out) / f"{name}.{fmt}"
        if path.exists():
            return path
    return None


def read_table(out: str | os.PathLike, name: str, dates: bool = False):
    """Table ``name`` of the output in ``out`` as a DataFrame with the contract's types.

    Text columns are strings (a doc_id "2020" stays text), integers ``Int64``;
    with ``dates=True`` the day columns and ``published`` are datetimes too.
    A table the folder lacks is empty, with its columns.
    """
    import pandas as pd

    columns = TABLE_COLUMNS.get(name)
    path = table_path(out, name)
    if path is None:
        frame = pd.DataFrame(columns=columns or [])
    elif path.suffix == ".parquet":
        frame = pd.read_parquet(path)
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    return typed(frame, columns, dates)


def typed(frame, columns: list[str] | None = None, dates: bool = False):
    """``frame`` with its columns in contract order (missing ones empty) and the contract's types."""
    import pandas as pd

    if columns is not None:
        frame = frame.reindex(columns=columns)
    for column in frame.columns:
        if column in INT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
        elif dates and column in DAY_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        elif dates and column in DATETIME_COLUMNS:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601", errors="coerce")
        else:
            frame[column] = frame[column].astype("string")
    return frame


def read_rows(out: str | os.PathLike, name: str) -> list[dict]:
    """Table ``name`` as row dicts (None for empty cells, ints for integer columns)."""
    path = table_path(out, name)
    if path is not None and path.suffix == ".csv" and name in TABLE_COLUMNS:
        return _read_csv_rows(path, TABLE_COLUMNS[name])  # without pandas: a CSV run starts faster
    frame = read_table(out, name)
    return [{c: (None if _missing(v) else (int(v) if c in INT_COLUMNS else str(v))) for c, v in row.items()}
            for row in frame.to_dict("records")]


def _read_csv_rows(path: Path, columns: list[str]) -> list[dict]:
    """The rows of a CSV table as :func:`read_rows` gives them: the contract's columns, None for an empty
    cell, ints for integer columns (None where a cell is no number, as pandas' ``to_numeric`` coerces)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [{c: _csv_value(c, row.get(c)) for c in columns} for row in csv.DictReader(handle)]


def _csv_value(column: str, value: str | None):
    if value is None or value == "":
        return None
    if column not in INT_COLUMNS:
        return value
    try:
        return int(value)
    except ValueError:
        try:
            number = float(value)
        except ValueError:
            return None
        return int(number) if number == number and number not in (float("inf"), float("-inf")) else None


def _missing(value) -> bool:
    import pandas as pd

    return value is None or value is pd.NA or (isinstance(value, float) and value != value) or bool(pd.isna(value))


def read_texts(out: str | os.PathLike, only: set[str] | None = None) -> dict[str, str]:
    """The texts of ``texts.jsonl`` by doc_id (empty when the run did not write them); with ``only``, the
    texts of those documents alone (the file is not read when it is empty)."""
    path = Path(out) / "texts.jsonl"
    if not path.exists() or only is not None and not only:
        return {}
    with open(path, encoding="utf-8") as handle:
        records = map(json.loads, filter(str.strip, handle))
        return {r["doc_id"]: r["text"] for r in records if only is None or r["doc_id"] in only}


def write_rows(out: str | os.PathLike, name: str, rows: list[dict], fmt: str) -> None:
    """Replace table ``name`` in ``out`` with ``rows`` (CSV or one Parquet file), atomically."""
    out = Path(out)
    columns = TABLE_COLUMNS[name]
    final = out / f"{name}.{fmt}"
    partial = out / f"{name}.{fmt}.linking"
    if final.is_dir():  # a partitioned table (Dask's layout) stays a folder, of one part now
        partial.mkdir(exist_ok=True)
        _write_parquet(partial / "part.00000000.parquet", columns, rows)
        shutil.rmtree(final)
        os.replace(partial, final)
        return
    if fmt == "csv":
        with open(partial, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
    else:
        _write_parquet(partial, columns, rows)
    os.replace(partial, final)


def _write_parquet(path: Path, columns: list[str], rows: list[dict]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.int64() if c in INT_COLUMNS else pa.string()) for c in columns])
    pq.write_table(pa.table({c: [r.get(c) for r in rows] for c in columns}, schema=schema), path)
