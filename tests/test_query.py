"""`vnie query`: DuckDB SQL over the output tables, CSV or Parquet, as views named after them."""
from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime

import pandas as pd
import pytest
from typer.testing import CliRunner

from pipeline.apps.cli import app
from pipeline.apps.query import QueryError, format_csv, format_json, query, table_files
from pipeline.io.documents import Document
from pipeline.runner.process import merge, process
from pipeline.schema import TABLE_COLUMNS, empty_tables
from pipeline.runner.tables import doc_rows
from pipeline.io.write import TableWriter

from conftest import CORPUS

runner = CliRunner()
SEED = CORPUS / "dev" / "000_a16c13a7aae6f99c.txt"


@pytest.fixture(scope="module")
def small_out(nlp, tmp_path_factory):
    """The same two documents written as CSV and as Parquet; one has a doc_id that looks like a number."""
    rows, texts = empty_tables(), []
    for doc_id, text in [("2020", SEED.read_text(encoding="utf-8")),
                         ("b", "Thiếu tướng Lê Hồng Hiệp, Phó Tổng cục trưởng dự hội nghị ngày 16/11/2020.")]:
        doc = process(nlp, Document(doc_id=doc_id, text=text, source=f"{doc_id}.txt"))
        merge(rows, doc_rows(doc))
        texts.append((doc_id, text))
    outs = {}
    for fmt in ("csv", "parquet"):
        out = tmp_path_factory.mktemp(f"query_{fmt}")
        writer = TableWriter(out, fmt)
        writer.write(rows, texts)
        writer.close()
        outs[fmt] = out
    return outs


def test_every_table_is_a_view(corpus_out):
    assert set(table_files(corpus_out)) == set(TABLE_COLUMNS) | {"texts"}
    for name, columns in TABLE_COLUMNS.items():
        got, _ = query(corpus_out, f"select * from {name} limit 0")
        assert got == columns


def test_counts_match_pandas(corpus_out):
    officials = pd.read_csv(corpus_out / "officials.csv")
    _, rows = query(corpus_out, "select count(*), count(distinct doc_id) from officials")
    assert rows == [(len(officials), officials["doc_id"].nunique())]
    _, rows = query(corpus_out, "select rank, count(*) from officials where rank is not null group by rank")
    assert dict(rows) == officials["rank"].value_counts().to_dict()


def test_join_across_tables_and_texts(corpus_out):
    _, rows = query(corpus_out, """
        select o.name, d.event_date, substr(t.text, o.start + 1, o."end" - o.start)
        from officials o join documents d using (doc_id) join texts t using (doc_id)
        where o.name = 'Mai Thế Quang'""")
    assert rows == [("Mai Thế Quang", date(2020, 11, 30), "Mai Thế Quang")]


@pytest.mark.parametrize("sql, expected", [
    # Whole days are DATE, publication times TIMESTAMP: year() and date arithmetic work.
    ("select year(event_date) from documents where doc_id = '000_a16c13a7aae6f99c'", [(2020,)]),
    ("select published from documents where doc_id = '000_a16c13a7aae6f99c'", [(datetime(2020, 12, 6, 17, 25),)]),
    ("select date_diff('day', first_day, last_day) from dates where value = '2020' limit 1",
     [(365,)]),
    ("select typeof(number), typeof(count) from clusters, award_counts limit 1", [("BIGINT", "BIGINT")]),
])
def test_typed_views(corpus_out, sql, expected):
    assert query(corpus_out, sql)[1] == expected


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_give_the_same_answers(small_out, fmt):
    sql = "select doc_id, name, rank, mentions, start from officials order by doc_id, start"
    assert query(small_out[fmt], sql) == query(small_out["csv"], sql)
    _, rows = query(small_out[fmt], "select doc_id, count(*) from titles group by doc_id")
    assert rows == [("2020", 3)]


def test_contract_types_not_guesses(small_out):
    # A doc_id such as "2020" stays text; offsets and counts are integers.
    _, rows = query(small_out["csv"], "select typeof(doc_id), typeof(start), typeof(count) from award_counts limit 1")
    assert rows == [("VARCHAR", "BIGINT", "BIGINT")]


def test_cli_table_output(corpus_out):
    result = runner.invoke(app, ["query", str(corpus_out),
                                 "select name, rank from officials where name = 'Mai Thế Quang'"])
    assert result.exit_code == 0, result.output
    assert "Mai Thế Quang" in result.output and "Trung tá" in result.output and "1 row" in result.output


def test_cli_csv_output(corpus_out):
    result = runner.invoke(app, ["query", str(corpus_out), "select doc_id, total from award_counts order by doc_id",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    parsed = list(csv.DictReader(io.StringIO(result.output)))
    expected = pd.read_csv(corpus_out / "award_counts.csv", dtype=str, keep_default_na=False)
    assert len(parsed) == len(expected)
    assert sorted(r["total"] for r in parsed) == sorted(expected["total"])  # NULL is an empty cell


def test_cli_json_output(corpus_out):
    result = runner.invoke(app, ["query", str(corpus_out),
                                 "select name, rank, mentions from officials where name = 'Mai Thế Quang'",
                                 "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"name": "Mai Thế Quang", "rank": "Trung tá", "mentions": 3}]


@pytest.mark.parametrize("columns, rows, expected", [
    (["a", "b"], [(1, None), ("x,y", "z")], 'a,b\n1,\n"x,y",z\n'),
    (["a"], [], "a\n"),
])
def test_format_csv(columns, rows, expected):
    assert format_csv(columns, rows) == expected


def test_format_json_keeps_types_and_text_of_others():
    import datetime

    assert json.loads(format_json(["n", "s", "d", "z"], [(1, "Đại tá", datetime.date(2020, 11, 30), None)])) == [
        {"n": 1, "s": "Đại tá", "d": "2020-11-30", "z": None}]


def test_bad_sql_names_the_views(corpus_out):
    result = runner.invoke(app, ["query", str(corpus_out), "select * from nowhere"])
    assert result.exit_code == 2
    assert "vnie: error: query failed" in result.output
    assert "nowhere" in result.output and "officials" in result.output


def test_missing_folder(tmp_path):
    result = runner.invoke(app, ["query", str(tmp_path / "nope"), "select 1"])
    assert result.exit_code == 2
    assert "is not a folder" in result.output


def test_folder_without_tables(tmp_path):
    with pytest.raises(QueryError, match="holds no tables"):
        query(tmp_path, "select 1")


def test_empty_sql(corpus_out):
    with pytest.raises(QueryError, match="empty"):
        query(corpus_out, "  ")


def test_table_reference_describes_every_column():
    """docs/tables.md has a section for each table with a row for each of its columns."""
    import re

    from conftest import ROOT

    reference = (ROOT / "docs" / "tables.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^## (\w+)\.csv[^\n]*\n(.*?)(?=^## |\Z)", reference, re.S | re.M))
    assert set(sections) == set(TABLE_COLUMNS)
    for name, columns in TABLE_COLUMNS.items():
        described = set(re.findall(r"`(\w+)`", " ".join(re.findall(r"^\| ([^|]+) \|", sections[name], re.M))))
        assert set(columns) <= described, f"{name}: {set(columns) - described} not described"
        assert f"```csv\n{','.join(columns)}\n" in sections[name], f"{name}: no example rows"
