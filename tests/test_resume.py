"""Resumable runs: a run killed with SIGKILL and resumed writes exactly the tables of an uninterrupted one."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from batch_corpus import write_feed
from conftest import CORPUS, SHARED_DEV

from pipeline.apps.extract import run_extract
from pipeline.io.checkpoint import ResumeError
from pipeline.schema import TABLE_COLUMNS
from pipeline.io.write import RUN_DIR, TableWriter

CHUNK = 4


def vnie_cmd(*args) -> list[str]:
    exe = Path(sys.executable).with_name("vnie")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline"]
    return cmd + [str(a) for a in args]


def files(fmt: str) -> list[str]:
    return [f"{name}.{fmt}" for name in TABLE_COLUMNS] + ["texts.jsonl"]


def committed_chunks(out: Path) -> int:
    try:
        return json.loads((out / RUN_DIR / "checkpoint.json").read_text(encoding="utf-8"))["progress"]["chunks"]
    except (OSError, ValueError, KeyError):
        return 0


def kill_midway(args: list, out: Path, after_chunks: int = 3) -> int:
    """Start ``vnie extract``, SIGKILL it once ``after_chunks`` chunks are committed; return them."""
    process = subprocess.Popen(vnie_cmd(*args), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while committed_chunks(out) < after_chunks:
        assert process.poll() is None, f"the run ended before it could be killed: {process.stderr.read()}"
        assert time.monotonic() < deadline, "no chunk was committed in time"
        time.sleep(0.02)
    workers = psutil.Process(process.pid).children(recursive=True)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    process.stderr.close()
    # Worker processes must not outlive a killed run.
    _, alive = psutil.wait_procs(workers, timeout=30)
    assert not alive, alive
    return committed_chunks(out)


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    path = tmp_path_factory.mktemp("resume_feed") / "feed.jsonl"
    write_feed(path, 100, seed=7, bad_every=29)
    return path


@pytest.fixture(scope="module")
def reference(feed, tmp_path_factory):
    """Uninterrupted runs, one per format."""
    outs = {}
    for fmt in ("csv", "parquet"):
        out = tmp_path_factory.mktemp(f"reference_{fmt}")
        result = subprocess.run(vnie_cmd("extract", feed, "-o", out, "--format", fmt, "--workers", 1,
                                         "--chunk-size", CHUNK, "--quiet"), capture_output=True, text=True,
                                timeout=300)
        assert result.returncode == 0, result.stderr
        outs[fmt] = out
    return outs


def assert_same_tables(out: Path, reference: Path, fmt: str):
    import pyarrow.parquet as pq

    for filename in files(fmt):
        if filename.endswith(".parquet"):
            assert pq.read_table(out / filename).equals(pq.read_table(reference / filename)), filename
        else:
            assert (out / filename).read_bytes() == (reference / filename).read_bytes(), filename
    assert not (out / RUN_DIR).exists()
    assert not list(out.glob("*.partial"))


@pytest.mark.parametrize("fmt,workers", [("csv", 1), ("parquet", 2)])
def test_killed_run_resumed_gives_the_uninterrupted_tables(feed, reference, tmp_path, fmt, workers):
    args = ["extract", feed, "-o", tmp_path, "--format", fmt, "--workers", workers, "--chunk-size", CHUNK]
    done = kill_midway(args, tmp_path)
    assert done >= 3
    # Killed midway: nothing looks finished.
    assert not (tmp_path / f"documents.{fmt}").exists()
    assert (tmp_path / RUN_DIR / "checkpoint.json").exists()

    resumed = subprocess.run(vnie_cmd(*args, "--resume"), capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming:" in resumed.stderr and "input documents already done" in resumed.stderr, resumed.stderr
    assert_same_tables(tmp_path, reference[fmt], fmt)


def test_a_run_killed_while_renaming_finishes_on_resume(feed, reference, tmp_path, monkeypatch):
    import pipeline.io.write as writer_module

    real_replace = os.replace
    moved = []

    def replace_then_die(src, dst):
        if str(dst).endswith(".csv"):
            if len(moved) == 3:  # three tables are in place, the rest are not
                raise KeyboardInterrupt
            moved.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(writer_module.os, "replace", replace_then_die)
    with pytest.raises(KeyboardInterrupt):
        run_extract([feed], tmp_path, workers=1, chunk_size=40)
    monkeypatch.setattr(writer_module.os, "replace", real_replace)
    assert len(list(tmp_path.glob("*.csv"))) == 3
    summary = run_extract([feed], tmp_path, workers=1, chunk_size=40, resume=True)
    assert summary["ok"] + summary["errors"] == summary["skipped"] > 0
    assert_same_tables(tmp_path, reference["csv"], "csv")


def test_an_interrupted_run_is_never_discarded_silently_only_with_overwrite(feed, reference, tmp_path):
    kill_midway(["extract", feed, "-o", tmp_path, "--workers", 1, "--chunk-size", CHUNK], tmp_path, after_chunks=1)
    with pytest.raises(ResumeError, match="holds an interrupted run; add --resume .* or --overwrite"):
        run_extract([feed], tmp_path, workers=1, chunk_size=CHUNK)
    refused = subprocess.run(vnie_cmd("extract", feed, "-o", tmp_path), capture_output=True, text=True, timeout=300)
    assert refused.returncode == 2 and "--overwrite" in refused.stderr
    notes = []
    run_extract([feed], tmp_path, workers=1, chunk_size=CHUNK, notify=notes.append, overwrite=True)
    assert any("replaced (--overwrite)" in note for note in notes)
    assert_same_tables(tmp_path, reference["csv"], "csv")


def test_resume_with_nothing_to_resume_runs_from_the_start(tmp_path):
    notes = []
    article = SHARED_DEV / "d11_hanam_tham_2022.txt"
    summary = run_extract([article], tmp_path, workers=1, resume=True, notify=notes.append)
    assert (summary["ok"], summary["skipped"]) == (1, 0)
    assert any("no interrupted run" in note for note in notes)
    assert (tmp_path / "documents.csv").exists()


def interrupt_after_chunks(monkeypatch, chunks: int):
    """Make the next run raise KeyboardInterrupt (as Ctrl-C would) once ``chunks`` chunks are committed."""
    real_commit = TableWriter.commit
    calls = []

    def commit(self):
        calls.append(1)
        if len(calls) == chunks + 2:  # the commit before any chunk, then one per chunk
            raise KeyboardInterrupt
        return real_commit(self)

    monkeypatch.setattr(TableWriter, "commit", commit)
    return lambda: monkeypatch.setattr(TableWriter, "commit", real_commit)


def test_resume_refuses_other_inputs(feed, tmp_path, monkeypatch):
    restore = interrupt_after_chunks(monkeypatch, 1)
    with pytest.raises(KeyboardInterrupt):
        run_extract([feed], tmp_path, workers=1, chunk_size=40)
    restore()
    assert (tmp_path / RUN_DIR / "checkpoint.json").exists()
    with pytest.raises(ResumeError, match="other inputs or another format"):
        run_extract([CORPUS / "dev"], tmp_path, workers=1, resume=True)
    with pytest.raises(ResumeError, match="other inputs or another format"):
        run_extract([feed], tmp_path, fmt="parquet", workers=1, resume=True)
    result = subprocess.run(vnie_cmd("extract", CORPUS / "dev", "-o", tmp_path, "--resume"), capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2
    assert "other inputs or another format" in result.stderr
    # The checkpoint is still there for the right command.
    summary = run_extract([feed], tmp_path, workers=1, chunk_size=40, resume=True)
    assert summary["skipped"] == 40


def test_writer_resumes_at_the_committed_state_and_drops_the_rest(tmp_path):
    rows = {name: [] for name in TABLE_COLUMNS}
    first = dict(rows, documents=[{"doc_id": "a", "status": "ok"}])
    second = dict(rows, documents=[{"doc_id": "b", "status": "ok"}])
    for fmt in ("csv", "parquet"):
        out = tmp_path / fmt
        writer = TableWriter(out, fmt)
        writer.write(first, [("a", "text a")])
        state = writer.commit()
        writer.write(second, [("b", "text b")])  # written, never committed: a kill came first
        writer.flush()
        writer.release()
        resumed = TableWriter(out, fmt, resume_state=state)
        resumed.write(second, [("b", "text b")])
        resumed.close()
        texts = [json.loads(line)["doc_id"] for line in (out / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
        assert texts == ["a", "b"]
        if fmt == "csv":
            lines = (out / "documents.csv").read_text(encoding="utf-8").splitlines()
            assert [line.split(",")[0] for line in lines] == ["doc_id", "a", "b"]
        else:
            import pyarrow.parquet as pq

            assert pq.read_table(out / "documents.parquet").column("doc_id").to_pylist() == ["a", "b"]


def test_writer_refuses_files_shorter_than_the_checkpoint(tmp_path):
    from pipeline.io.write import OutputError

    writer = TableWriter(tmp_path, "csv")
    state = writer.commit()
    writer.release()
    state["sizes"]["documents.csv"] += 100
    with pytest.raises(OutputError, match="does not hold what the checkpoint recorded"):
        TableWriter(tmp_path, "csv", resume_state=state)
