"""Runs that grow: manifest.json, --resume refused on a changed input, --append, no output discarded silently."""
from __future__ import annotations

import json
import random

import pytest
from batch_corpus import paragraphs
from test_batch import vnie
from test_resume import interrupt_after_chunks

from pipeline.apps.extract import run_extract
from pipeline.io.checkpoint import ResumeError
from pipeline.io.write import RUN_DIR
from pipeline.schema import TABLE_COLUMNS

FILES = [f"{name}.csv" for name in TABLE_COLUMNS] + ["texts.jsonl"]


def article(rng: random.Random, pool: list[str]) -> str:
    return "\n".join(rng.sample(pool, rng.randint(4, 7)))


@pytest.fixture(scope="module")
def days(tmp_path_factory):
    """day1.jsonl (8 articles) and day2.jsonl (6 new, 2 copies of day 1 articles, 1 syndicated copy, an old id)."""
    folder = tmp_path_factory.mktemp("days")
    rng, pool = random.Random(5), paragraphs()
    day1 = [{"id": f"d1-{n}", "text": article(rng, pool), "url": f"https://a.vn/{n}"} for n in range(8)]
    day2 = [{"id": f"d2-{n}", "text": article(rng, pool)} for n in range(6)]
    day2.insert(2, {"id": "d2-copy", "text": day1[3]["text"]})
    day2.insert(4, {"id": "d1-5", "text": day1[5]["text"]})  # the same id and text again
    day2.append({"id": "d2-syndicated", "text": "Trang chủ » Thời sự\n" + day1[6]["text"] + "\nTheo Báo Biên phòng"})
    for name, lines in (("day1", day1), ("day2", day2)):
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines),
                                              encoding="utf-8")
    return folder / "day1.jsonl", folder / "day2.jsonl"


@pytest.fixture(scope="module")
def one_run(days, tmp_path_factory):
    outs = {}
    for fmt in ("csv", "parquet"):
        outs[fmt] = tmp_path_factory.mktemp(f"both_{fmt}")
        run_extract(list(days), outs[fmt], fmt=fmt, workers=1, chunk_size=4, skip_duplicates=True)
    return outs


def rows_of(out, name, fmt):
    import pyarrow.parquet as pq

    if fmt == "parquet":
        return pq.read_table(out / f"{name}.parquet").to_pylist()
    return (out / f"{name}.csv").read_bytes()


def test_append_of_a_second_day_gives_the_tables_of_one_run_over_both(days, one_run, tmp_path):
    day1, day2 = days
    first = run_extract([day1], tmp_path, workers=1, chunk_size=4, skip_duplicates=True)
    assert first["ok"] == 8
    second = run_extract([day2], tmp_path, workers=1, chunk_size=4, append=True, skip_duplicates=True)
    assert (second["ok"], second["duplicates"]) == (6, 3)
    for filename in FILES:
        assert (tmp_path / filename).read_bytes() == (one_run["csv"] / filename).read_bytes(), filename
    documents = (tmp_path / "documents.csv").read_text(encoding="utf-8").splitlines()
    ids = [line.split(",")[0] for line in documents[1:]]
    assert len(ids) == len(set(ids)) == 17 and "d1-5#2" in ids
    held = {line.split(",")[0]: line for line in documents}
    assert ",duplicate," in held["d2-copy"] and held["d2-copy"].endswith(",d1-3")
    assert held["d2-syndicated"].endswith(",d1-6")
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert [run["mode"] for run in manifest["runs"]] == ["new", "append"]
    assert [i["path"] for i in manifest["inputs"]] == [str(day1.resolve()), str(day2.resolve())]
    assert manifest["counts"] == {"documents": 17, "ok": 14, "error": 0, "duplicate": 3, "duplicate_of_set": 3}
    assert manifest["runs"][1]["counts"]["duplicates left out"] == 3


def test_append_without_skip_duplicates_leaves_out_only_texts_the_output_holds(days, tmp_path):
    day1, day2 = days
    run_extract([day1], tmp_path, workers=1, chunk_size=4)
    summary = run_extract([day2], tmp_path, workers=1, chunk_size=4, append=True)
    assert (summary["ok"], summary["duplicates"], summary["flagged"]) == (7, 2, 3)
    status = {line.split(",")[0]: line for line in (tmp_path / "documents.csv").read_text("utf-8").splitlines()}
    assert ",duplicate," in status["d1-5#2"] and ",ok," in status["d2-syndicated"]


def test_append_in_parquet_and_on_dask(days, one_run, tmp_path):
    day1, day2 = days
    run_extract([day1], tmp_path / "local", fmt="parquet", workers=1, chunk_size=4, skip_duplicates=True)
    run_extract([day2], tmp_path / "local", fmt="parquet", workers=1, chunk_size=4, append=True,
                skip_duplicates=True)
    run_extract([day1], tmp_path / "dask", fmt="parquet", engine="dask", workers=1, chunk_size=4,
                skip_duplicates=True)
    run_extract([day2], tmp_path / "dask", fmt="parquet", engine="dask", workers=1, chunk_size=4, append=True,
                skip_duplicates=True)
    assert (tmp_path / "dask" / "documents.parquet").is_dir()
    for name in TABLE_COLUMNS:
        expected = rows_of(one_run["parquet"], name, "parquet")
        assert rows_of(tmp_path / "local", name, "parquet") == expected, name
        assert rows_of(tmp_path / "dask", name, "parquet") == expected, name


def test_a_changed_input_is_not_resumed(days, tmp_path, monkeypatch):
    feed = tmp_path / "feed.jsonl"
    lines = (days[0].read_text(encoding="utf-8") + days[1].read_text(encoding="utf-8")).splitlines(keepends=True)
    feed.write_text("".join(lines), encoding="utf-8")
    restore = interrupt_after_chunks(monkeypatch, 1)
    with pytest.raises(KeyboardInterrupt):
        run_extract([feed], tmp_path / "out", workers=1, chunk_size=4)
    restore()
    feed.write_text("".join(reversed(lines)), encoding="utf-8")  # the same lines, another order
    with pytest.raises(ResumeError, match=f"input {feed.resolve()} changed"):
        run_extract([feed], tmp_path / "out", workers=1, chunk_size=4, resume=True)
    result = vnie("extract", feed, "-o", tmp_path / "out", "--chunk-size", 4, "--resume")
    assert result.returncode == 2 and "feed.jsonl changed" in result.stderr
    assert (tmp_path / "out" / RUN_DIR / "checkpoint.json").exists()  # still there, nothing discarded


def test_an_output_is_never_replaced_silently(days, tmp_path):
    day1 = days[0]
    assert vnie("extract", day1, "-o", tmp_path, "--chunk-size", 4, "-w", 1).returncode == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) >= {"version", "rules_sha256", "inputs", "start", "end", "counts"}
    assert manifest["inputs"][0]["size"] == day1.stat().st_size and len(manifest["inputs"][0]["sha256"]) == 64
    again = vnie("extract", day1, "-o", tmp_path, "-w", 1)
    assert again.returncode == 2
    assert "already holds the tables of a run (8 documents" in again.stderr
    assert "--append" in again.stderr and "--overwrite" in again.stderr
    resumed = vnie("extract", day1, "-o", tmp_path, "-w", 1, "--resume")
    assert resumed.returncode == 0 and "already complete" in resumed.stderr
    replaced = vnie("extract", days[1], "-o", tmp_path, "-w", 1, "--overwrite", "--format", "parquet")
    assert replaced.returncode == 0, replaced.stderr
    assert not (tmp_path / "documents.csv").exists() and (tmp_path / "documents.parquet").exists()
