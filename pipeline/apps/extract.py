"""Batch runs: stream documents through the pipeline in chunks, on one or many processes, and write the tables.

The data flow of ``vnie extract``:

    read_inputs (a generator)  ->  chunks of CHUNK items  ->  engine (this process, a process
    pool, or a Dask cluster; results in input order)  ->  TableWriter (append, fsync)  ->  checkpoint

Only a few chunks exist at any time, so memory does not grow with the corpus.
After each chunk the checkpoint records what is durably written, so a killed
run continues with ``resume=True`` and ends with exactly the tables of an
uninterrupted one.
"""
from __future__ import annotations

import sys
from itertools import chain, islice
from pathlib import Path

from pipeline.io.checkpoint import Checkpoint, Progress, run_fingerprint
from pipeline.engines.local import SerialEngine, cpu_count, make_local_engine
from pipeline.apps.progress import ProgressBar, count_documents
from pipeline.io.read import read_inputs
from pipeline.io.write import TableWriter, publish
from pipeline.runner.chunks import chunked

CHUNK = 64
ENGINES = ("local", "dask")


def run_extract(inputs, out: Path, fmt: str = "csv", jsonl_stdin: bool = False, quiet: bool = True, *,
                workers: int | None = None, engine: str = "local", scheduler: str | None = None,
                resume: bool = False, chunk_size: int = CHUNK, notify=None) -> dict:
    """Extract ``inputs`` into ``out``; returns counts of documents ok and in error.

    ``workers``: processes on this machine (default: every core), or Dask
    workers to start when ``engine="dask"`` and no ``scheduler`` address is
    given. ``resume``: continue the interrupted run whose checkpoint is in
    ``out`` (same inputs and format) instead of starting over. ``notify``
    receives one-line notes for the user (default: standard error unless
    ``quiet``). The result also says how many items a resumed run skipped.

    Worker processes are spawned: a script that calls this with ``workers``
    above 1 needs the usual ``if __name__ == "__main__":`` guard.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use {' or '.join(ENGINES)}")
    if notify is None:
        notify = (lambda message: None) if quiet else (lambda message: print(f"vnie: {message}", file=sys.stderr))
    workers = workers or cpu_count()
    out = Path(out)
    partitioned = engine == "dask" and fmt == "parquet"
    fingerprint = run_fingerprint(inputs, fmt, jsonl_stdin, partitioned)
    checkpoint = Checkpoint(out)
    checkpoint.lock()
    try:
        progress = _starting_point(checkpoint, fingerprint, resume, notify)
        if progress.finishing:  # killed while renaming the finished files
            publish(out, fmt, partitioned)
            checkpoint.remove()
            return {"ok": progress.ok, "errors": progress.errors, "skipped": progress.items}
        summary = _run(inputs, out, fmt, jsonl_stdin, quiet, workers, engine, scheduler, chunk_size,
                       partitioned, fingerprint, checkpoint, progress)
        checkpoint.remove()
        return summary
    finally:
        checkpoint.unlock()


def _starting_point(checkpoint: Checkpoint, fingerprint: dict, resume: bool, notify) -> Progress:
    if resume:
        progress = checkpoint.load(fingerprint)
        if progress is not None:
            notify(f"resuming: {progress.items} input documents already done")
            return progress
        notify(f"no interrupted run in {checkpoint.out} to resume; starting a new one")
    elif checkpoint.exists():
        notify(f"an interrupted run in {checkpoint.out} is discarded (add --resume to continue one)")
    checkpoint.clear()
    return Progress()


def _run(inputs, out, fmt, jsonl_stdin, quiet, workers, engine, scheduler, chunk_size, partitioned,
         fingerprint, checkpoint, progress: Progress) -> dict:
    skipped = progress.items
    resumed = bool(progress.writer)
    writer = TableWriter(out, fmt, partitioned=partitioned, resume_state=progress.writer if resumed else None)
    try:
        if not resumed:
            # Recorded before any chunk, so even a run killed at once can be resumed.
            progress.writer = writer.commit()
            checkpoint.save(fingerprint, progress)
        # The committed items are read again (cheap next to processing them) so that document
        # ids made unique by the reader come out the same as in an uninterrupted run.
        items = islice(read_inputs(inputs, jsonl_stdin=jsonl_stdin), skipped, None)
        chunks = chunked(items, chunk_size)
        show = not quiet and sys.stderr.isatty()
        total = count_documents(inputs) if show else None
        with _EngineFor(engine, workers, scheduler, chunks) as (runner, chunks), \
                ProgressBar(total, done=skipped, enabled=show) as bar:
            for result in runner.map(chunks):
                writer.write(result.rows, result.texts)
                progress.chunks += 1
                progress.items += result.ok + result.errors
                progress.ok += result.ok
                progress.errors += result.errors
                progress.writer = writer.commit()
                checkpoint.save(fingerprint, progress)
                bar.advance(result.ok + result.errors)
        writer.prepare()
        progress.finishing = True
        checkpoint.save(fingerprint, progress)
        writer.publish()
    except BaseException:
        # Keep the partial files and the checkpoint: `--resume` continues from the last chunk.
        writer.release()
        raise
    return {"ok": progress.ok, "errors": progress.errors, "skipped": skipped}


class _EngineFor:
    """The engine for this run, entered as a context manager with the chunks it will be given.

    A local run whose whole input fits in one chunk stays in this process:
    starting workers would cost more than it saves.
    """

    def __init__(self, engine: str, workers: int, scheduler: str | None, chunks):
        self.engine, self.workers, self.scheduler, self.chunks = engine, workers, scheduler, chunks
        self._runner = None

    def __enter__(self):
        chunks = self.chunks
        if self.engine == "dask":
            from pipeline.engines.dask_cluster import DaskEngine

            self._runner = DaskEngine(scheduler=self.scheduler, workers=self.workers)
        else:
            head = list(islice(chunks, 2))
            chunks = chain(head, chunks)
            self._runner = make_local_engine(self.workers) if len(head) > 1 else SerialEngine()
        return self._runner.__enter__(), chunks

    def __exit__(self, *exc):
        return self._runner.__exit__(*exc)
