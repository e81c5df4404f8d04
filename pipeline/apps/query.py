"""SQL over an output folder: every table of ``vnie extract`` as a DuckDB view named after it.

>>> from pipeline.apps.query import query
>>> columns, rows = query("out", "select rank, count(*) from officials group by rank")
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pipeline.schema import INT_COLUMNS, TABLE_COLUMNS


class QueryError(ValueError):
    """The folder holds no tables, or the SQL failed; the message says which and why."""


def _quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def table_files(out: str | Path) -> dict[str, Path]:
    """The table files in ``out``, by view name; Parquet wins where a table is there in both formats.

    Every ``*.csv`` and ``*.parquet`` file is a table (so tables added later
    are queryable too); ``texts.jsonl`` is the ``texts`` view.
    """
    out = Path(out)
    if not out.is_dir():
        raise QueryError(f"{out} is not a folder; give the output folder of `vnie extract`")
    files: dict[str, Path] = {}
    for suffix in ("csv", "parquet"):
        for path in sorted(out.glob(f"*.{suffix}")):
            files[path.stem] = path
    texts = out / "texts.jsonl"
    if texts.is_file():
        files.setdefault("texts", texts)
    if not files:
        raise QueryError(f"{out} holds no tables (*.csv, *.parquet); run `vnie extract ... -o {out}` first")
    return files


def _view_source(name: str, path: Path) -> str:
    literal = _quote_literal(str(path))
    if path.suffix == ".parquet":
        return f"read_parquet({literal})"
    if path.suffix == ".jsonl":
        return f"read_json({literal}, format='newline_delimited', columns={{doc_id: 'VARCHAR', text: 'VARCHAR'}})"
    if name in TABLE_COLUMNS:
        # The contract's column types, not DuckDB's guesses: a doc_id such as
        # "2020" stays text, and an empty table still has its columns.
        types = ", ".join(f"{_quote_literal(c)}: {'BIGINT' if c in INT_COLUMNS else 'VARCHAR'}"
                          for c in TABLE_COLUMNS[name])
        return f"read_csv({literal}, header=true, columns={{{types}}})"
    return f"read_csv({literal}, header=true)"


# Columns that hold whole days become DATE, and published (a day or a datetime) TIMESTAMP, so that
# `year(event_date)` and date arithmetic work; a value that is not one ("--11-16", the year unknown) is NULL.
DAY_COLUMNS = ("event_date", "first_day", "last_day")
TIMESTAMP_COLUMNS = ("published",)


def _typed_select(name: str) -> str:
    columns = TABLE_COLUMNS.get(name, [])
    casts = [f"try_cast({_quote_identifier(c)} as DATE) as {_quote_identifier(c)}" for c in DAY_COLUMNS
             if c in columns]
    casts += [f"try_cast({_quote_identifier(c)} as TIMESTAMP) as {_quote_identifier(c)}" for c in TIMESTAMP_COLUMNS
              if c in columns]
    return f"select * replace ({', '.join(casts)})" if casts else "select *"


def connect(out: str | Path):
    """A DuckDB connection (in memory) with one view per table in ``out``, dates typed."""
    import duckdb

    con = duckdb.connect(":memory:")
    for name, path in table_files(out).items():
        try:
            con.execute(f"create view {_quote_identifier(name)} as {_typed_select(name)} "
                        f"from {_view_source(name, path)}")
        except duckdb.Error as exc:
            con.close()
            raise QueryError(f"cannot read {path}: {exc}") from exc
    return con


def query(out: str | Path, sql: str) -> tuple[list[str], list[tuple]]:
    """Run ``sql`` over the tables in ``out``; returns the column names and the rows."""
    import duckdb

    if not sql.strip():
        raise QueryError("the SQL is empty")
    con = connect(out)
    try:
        result = con.execute(sql)
        if result.description is None:
            return [], []
        columns = [d[0] for d in result.description]
        return columns, result.fetchall()
    except duckdb.Error as exc:
        views = ", ".join(table_files(out))
        raise QueryError(f"query failed: {str(exc).strip()}\n(views: {views})") from exc
    finally:
        con.close()


def _jsonable(value):
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)  # dates, decimals, blobs: their text form


def format_csv(columns: list[str], rows: list[tuple]) -> str:
    """The result as CSV (RFC 4180, header row, empty cells for NULL)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buffer.getvalue()


def format_json(columns: list[str], rows: list[tuple]) -> str:
    """The result as a JSON array of objects, one per row."""
    records = [{c: _jsonable(v) for c, v in zip(columns, row)} for row in rows]
    return json.dumps(records, ensure_ascii=False, indent=None)


def result_table(columns: list[str], rows: list[tuple]):
    """The result as a rich table for the terminal."""
    from rich.table import Table
    from rich.text import Text

    table = Table(caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}")
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    return table
