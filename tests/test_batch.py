"""Batch runs: streaming in chunks, worker processes, the progress bar, the folder lock."""
from __future__ import annotations

import csv
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from batch_corpus import write_feed
from conftest import CORPUS, SHARED_DEV

from pipeline.apps.extract import run_extract
from pipeline.io.checkpoint import Checkpoint, ResumeError
from pipeline.engines.local import ProcessEngine, SerialEngine
from pipeline.runner.chunks import ChunkResult, chunked, process_chunk
from pipeline.apps.progress import count_documents
from pipeline.io.documents import Document
from pipeline.schema import TABLE_COLUMNS

FILES = [f"{name}.csv" for name in TABLE_COLUMNS] + ["texts.jsonl"]


def vnie(*args, **kwargs):
    exe = Path(sys.executable).with_name("vnie")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=300, **kwargs)


def read_rows(out: Path, name: str) -> list[dict]:
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    path = tmp_path_factory.mktemp("feed") / "feed.jsonl"
    write_feed(path, 120)
    return path


@pytest.fixture(scope="module")
def one_worker(feed, tmp_path_factory):
    out = tmp_path_factory.mktemp("one_worker")
    result = vnie("extract", feed, "-o", out, "--workers", 1, "--chunk-size", 16)
    assert result.returncode == 0, result.stderr
    return out


def test_two_workers_write_the_same_tables_as_one(feed, one_worker, tmp_path):
    result = vnie("extract", feed, "-o", tmp_path, "--workers", 2, "--chunk-size", 16)
    assert result.returncode == 0, result.stderr
    for filename in FILES:
        assert (tmp_path / filename).read_bytes() == (one_worker / filename).read_bytes(), filename
    assert not (tmp_path / ".vnie-run").exists()
    assert not list(tmp_path.glob("*.partial"))


def test_every_line_of_the_feed_is_accounted_for_in_input_order(one_worker):
    documents = read_rows(one_worker, "documents")
    errors = read_rows(one_worker, "errors")
    assert len(documents) + sum(1 for e in errors if not e["doc_id"]) == 120
    assert len({d["doc_id"] for d in documents}) == len(documents)
    # Input order: line numbers of the feed's sources never go back.
    lines = [int(d["source"].rsplit("/", 1)[-1].rsplit(":", 1)[-1]) for d in documents]
    assert lines == sorted(lines)
    assert {e["doc_id"] for e in errors} == {d["doc_id"] for d in documents if d["status"] == "error"}
    assert len(errors) == 3  # lines 37, 74, 111 of write_feed
    assert sum(d["status"] == "ok" for d in documents) == 117


def test_parquet_with_two_workers_holds_the_csv_rows(feed, one_worker, tmp_path):
    import pyarrow.parquet as pq

    result = vnie("extract", feed, "-o", tmp_path, "--workers", 2, "--chunk-size", 16, "--format", "parquet",
                  "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    for name in TABLE_COLUMNS:
        table = pq.read_table(tmp_path / f"{name}.parquet")
        assert table.column_names == TABLE_COLUMNS[name]
        got = [{k: "" if v is None else str(v) for k, v in row.items()} for row in table.to_pylist()]
        assert got == read_rows(one_worker, name), name
    assert not (tmp_path / ".vnie-run").exists()


class CountingChunks:
    """Chunks of one document, counting how many the engine has taken so far."""

    def __init__(self, n: int):
        self.n, self.taken = n, 0

    def __iter__(self):
        for number in range(self.n):
            self.taken += 1
            yield [Document(doc_id=f"d{number}", text="Trung tá Mai Thế Quang chủ trì.", source="-")]


@pytest.mark.parametrize("engine", [SerialEngine(), ProcessEngine(2)], ids=["serial", "processes"])
def test_engines_take_chunks_as_they_go_not_all_at_once(engine):
    chunks = CountingChunks(1000)
    with engine:
        results = engine.map(chunks)
        first = [next(results) for _ in range(3)]
        assert chunks.taken <= 3 + 2 * engine.workers  # a bounded window, not the whole stream
        results.close()
    assert [r.texts[0][0] for r in first] == ["d0", "d1", "d2"]


def test_chunked_reads_lazily():
    consumed = []

    def items():
        for number in range(10):
            consumed.append(number)
            yield number

    chunks = chunked(items(), 4)
    assert next(chunks) == [0, 1, 2, 3]
    assert consumed == [0, 1, 2, 3]
    assert list(chunks) == [[4, 5, 6, 7], [8, 9]]


def test_a_document_that_kills_its_worker_becomes_an_error_and_the_run_goes_on():
    from batch_crash import crash_on_marker

    texts = ["Trung tá Mai Thế Quang chủ trì.", "CRASH here", "Đại tá Nguyễn Văn A phát biểu."]
    chunks = [[Document(doc_id=f"d{i}", text=t, source=f"s{i}")] for i, t in enumerate(texts)]
    chunks.append([Document(doc_id="d3", text="Thượng tá Lê B dự.", source="s3"),
                   Document(doc_id="d4", text="CRASH again", source="s4")])
    with ProcessEngine(2, chunk_fn=crash_on_marker, warm_up=False) as engine:
        results = list(engine.map(chunks))
    documents = [row for result in results for row in result.rows["documents"]]
    assert [d["doc_id"] for d in documents] == ["d0", "d1", "d2", "d3", "d4"]
    assert [d["status"] for d in documents] == ["ok", "error", "ok", "ok", "error"]
    errors = [row for result in results for row in result.rows["errors"]]
    assert [e["doc_id"] for e in errors] == ["d1", "d4"]
    assert all("worker process died" in e["error"] for e in errors)


def test_workers_are_forked_from_a_server_that_built_the_pipeline_once():
    from worker_probe import how_started

    chunks = [[Document(doc_id=f"d{i}", text="x", source="-")] for i in range(4)]
    with ProcessEngine(2, chunk_fn=how_started) as engine:
        texts = [text for result in engine.map(chunks) for _, text in result.texts]
    assert texts == ["forkserver built=True"] * 4


def test_process_chunk_turns_a_failing_document_into_an_error(nlp):
    result = process_chunk([Document(doc_id="x", text="Trung tá Mai Thế Quang chủ trì.", source="-"),
                            Document(doc_id="y", text=None, source="-")], nlp)
    assert isinstance(result, ChunkResult)
    assert (result.ok, result.errors) == (1, 1)
    assert [d["status"] for d in result.rows["documents"]] == ["ok", "error"]


def test_a_chunk_leaves_no_new_words_in_the_vocabulary(nlp):
    before = len(nlp.vocab.strings)
    words = " ".join(f"Xyzabc{number}" for number in range(50))
    result = process_chunk([Document(doc_id="v", text=f"Trung tá Mai Thế Quang chủ trì. {words}", source="-")], nlp)
    assert result.ok == 1
    assert len(nlp.vocab.strings) == before
    assert "Xyzabc7" not in nlp.vocab.strings


def test_count_documents(tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "a"}\n\n{"text": "b"}\n  \n{broken\n', encoding="utf-8")
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.txt").write_text("x", encoding="utf-8")
    (folder / "b.gold.jsonl").write_text('{"doc_id": "a"}\n', encoding="utf-8")
    assert count_documents([feed]) == 3
    assert count_documents([folder, feed, tmp_path / "missing.txt"]) == 5
    assert count_documents([CORPUS / "dev"]) == 5
    assert count_documents([feed, "-"]) is None


def run_on_terminal(*args) -> str:
    """Run ``vnie`` with standard error on a pseudo-terminal; return what it drew there."""
    exe = Path(sys.executable).with_name("vnie")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline"]
    main, secondary = pty.openpty()
    env = dict(os.environ, TERM="xterm", COLUMNS="160")
    env.pop("CI", None)
    process = subprocess.Popen(cmd + [str(a) for a in args], stdout=subprocess.DEVNULL, stderr=secondary,
                               stdin=subprocess.DEVNULL, env=env)
    os.close(secondary)
    output = b""
    while True:
        try:
            data = os.read(main, 65536)
        except OSError:  # the other end is closed: the process is done
            break
        if not data:
            break
        output += data
    os.close(main)
    assert process.wait(timeout=300) == 0, output.decode("utf-8", "replace")
    return output.decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_with_rate_and_summary(tmp_path):
    drawn = run_on_terminal("extract", CORPUS / "dev", "-o", tmp_path, "--workers", 1, "--chunk-size", 4)
    assert "docs/s" in drawn
    assert "5/5" in drawn
    assert "5 documents ok, 0 errors" in drawn


def test_no_progress_bar_with_quiet_even_on_a_terminal(tmp_path):
    drawn = run_on_terminal("extract", SHARED_DEV / "d11_hanam_tham_2022.txt", "-o", tmp_path, "--quiet")
    assert drawn.strip() == ""


def test_no_progress_bar_when_not_a_terminal_only_the_summary(tmp_path):
    result = vnie("extract", SHARED_DEV / "d11_hanam_tham_2022.txt", "-o", tmp_path)
    assert result.returncode == 0
    assert "docs/s" not in result.stderr
    assert result.stderr.strip().startswith("1 documents ok, 0 errors,")
    assert "documents/s" in result.stderr


def test_a_second_run_on_the_same_folder_is_refused(tmp_path):
    holder = Checkpoint(tmp_path)
    holder.lock()
    try:
        with pytest.raises(ResumeError, match="another `vnie extract` is writing"):
            run_extract([SHARED_DEV / "d11_hanam_tham_2022.txt"], tmp_path, workers=1)
        result = vnie("extract", SHARED_DEV / "d11_hanam_tham_2022.txt", "-o", tmp_path)
        assert result.returncode == 2
        assert "another `vnie extract` is writing" in result.stderr
    finally:
        holder.unlock()
    assert run_extract([SHARED_DEV / "d11_hanam_tham_2022.txt"], tmp_path, workers=1)["ok"] == 1


def test_scheduler_without_dask_engine_is_a_usage_error(tmp_path):
    result = vnie("extract", CORPUS / "dev", "-o", tmp_path, "--scheduler", "tcp://127.0.0.1:1")
    assert result.returncode == 2
    assert "--scheduler needs --engine dask" in result.stderr


def test_python_api_keeps_its_signature(tmp_path):
    summary = run_extract([SHARED_DEV / "d11_hanam_tham_2022.txt"], tmp_path, fmt="csv", jsonl_stdin=False,
                          quiet=True)
    assert (summary["ok"], summary["errors"]) == (1, 0)
    assert read_rows(tmp_path, "documents")[0]["doc_id"] == "d11_hanam_tham_2022"


def test_a_batch_process_sets_its_pipeline_aside_from_the_garbage_collector():
    """The pipeline a run (or a worker) loads is frozen out of the cyclic collector's passes; a document
    processed after that still gives its rows."""
    import subprocess
    import sys

    code = ("import gc; from pipeline.runner.chunks import batch_pipeline, process_chunk; "
            "from pipeline.io.documents import Document; "
            "before = gc.get_freeze_count(); nlp = batch_pipeline(); "
            "r = process_chunk([Document(doc_id='a', text='Trung tá Mai Thế Quang chủ trì hội nghị.', source='-')]); "
            "print(before, gc.get_freeze_count() > 10000, batch_pipeline() is nlp, r.ok, r.rows['officials'][0]['name'])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "True", "True", "1", "Mai", "Thế", "Quang"]
