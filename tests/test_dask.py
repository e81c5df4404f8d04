"""The Dask engine: a real distributed cluster of worker processes writes the tables of a local run."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dask
import pyarrow.parquet as pq
import pytest
from batch_corpus import write_feed
from conftest import CORPUS, SHARED_DEV
from distributed import Client, LocalCluster

from pipeline.apps.extract import run_extract
from pipeline.engines.dask_cluster import PLUGIN, DaskEngine
from pipeline.io.documents import Document
from pipeline.schema import TABLE_COLUMNS

FILES = [f"{name}.csv" for name in TABLE_COLUMNS] + ["texts.jsonl"]


def vnie(*args):
    exe = Path(sys.executable).with_name("vnie")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def cluster():
    # A worker that dies takes its task down with it at once (no retries on other workers),
    # so the crash test below is quick.
    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as running:
            yield running


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    path = tmp_path_factory.mktemp("dask_feed") / "feed.jsonl"
    write_feed(path, 60, seed=11, bad_every=23)
    return path


@pytest.fixture(scope="module")
def local(feed, tmp_path_factory):
    """The same feed through the local engine, as CSV and as Parquet."""
    outs = {}
    for fmt in ("csv", "parquet"):
        outs[fmt] = tmp_path_factory.mktemp(f"local_{fmt}")
        run_extract([feed], outs[fmt], fmt=fmt, workers=1, chunk_size=8)
    return outs


def test_existing_cluster_writes_the_tables_of_a_local_run(cluster, feed, local, tmp_path):
    result = vnie("extract", feed, "-o", tmp_path, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                  "--chunk-size", 8)
    assert result.returncode == 0, result.stderr
    assert "58 documents ok, 2 errors" in result.stderr
    for filename in FILES:
        assert (tmp_path / filename).read_bytes() == (local["csv"] / filename).read_bytes(), filename


def test_parquet_on_dask_is_partitioned_and_holds_the_local_rows(cluster, feed, local, tmp_path):
    summary = run_extract([feed], tmp_path, fmt="parquet", engine="dask", scheduler=cluster.scheduler_address,
                          chunk_size=8)
    assert (summary["ok"], summary["errors"]) == (58, 2)
    for name in TABLE_COLUMNS:
        folder = tmp_path / f"{name}.parquet"
        assert folder.is_dir()
        parts = sorted(p.name for p in folder.iterdir())
        assert parts and all(p.startswith("part.") and p.endswith(".parquet") for p in parts)
        assert pq.read_table(folder).to_pylist() == pq.read_table(local["parquet"] / f"{name}.parquet").to_pylist()
    assert len(list((tmp_path / "documents.parquet").iterdir())) == 8  # 60 documents in chunks of 8
    assert (tmp_path / "texts.jsonl").read_bytes() == (local["parquet"] / "texts.jsonl").read_bytes()


def test_each_worker_builds_the_pipeline_once(cluster, feed, tmp_path):
    run_extract([feed], tmp_path, engine="dask", scheduler=cluster.scheduler_address, chunk_size=4)

    def builds(dask_worker):
        from pipeline.nlp.language import load

        return load.cache_info().misses, dask_worker.plugins[PLUGIN].nlp is not None

    with Client(cluster.scheduler_address) as client:
        per_worker = client.run(builds)
    assert len(per_worker) == 2
    assert all(found == (1, True) for found in per_worker.values()), per_worker


def test_dask_engine_starts_its_own_cluster_without_a_scheduler(tmp_path):
    articles = sorted(SHARED_DEV.glob("d0*.txt"))[:4]
    local_out = tmp_path / "local"
    run_extract(articles, local_out, workers=1)
    result = vnie("extract", *articles, "-o", tmp_path / "dask", "--engine", "dask", "--workers", 2,
                  "--chunk-size", 1)
    assert result.returncode == 0, result.stderr
    for filename in FILES:
        assert (tmp_path / "dask" / filename).read_bytes() == (local_out / filename).read_bytes(), filename


def test_a_document_that_kills_its_dask_worker_becomes_an_error(cluster):
    from batch_crash import crash_on_marker

    chunks = [[Document(doc_id="d0", text="Trung tá Mai Thế Quang.", source="s0"),
               Document(doc_id="d1", text="CRASH", source="s1")],
              [Document(doc_id="d2", text="Đại tá Nguyễn Văn A.", source="s2")]]
    with DaskEngine(scheduler=cluster.scheduler_address, task=crash_on_marker) as engine:
        results = list(engine.map(chunks))
    documents = [row for result in results for row in result.rows["documents"]]
    assert [(d["doc_id"], d["status"]) for d in documents] == [("d0", "ok"), ("d1", "error"), ("d2", "ok")]
    assert "worker process died" in results[0].rows["errors"][0]["error"]


def test_an_unreachable_scheduler_is_a_clear_error():
    from pipeline.engines.base import EngineError

    with pytest.raises(EngineError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        with DaskEngine(scheduler="tcp://127.0.0.1:9", connect_timeout=1):
            pass
