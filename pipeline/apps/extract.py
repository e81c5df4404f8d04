"""Batch runs: stream documents through the pipeline in chunks, on one or many processes, and write the tables.

The data flow of ``vnie extract``:

    read_inputs (a generator)  ->  duplicates marked, in input order  ->  chunks of CHUNK items  ->
    engine (this process, a process pool, or a Dask cluster; results in input order)  ->
    TableWriter (append, fsync)  ->  checkpoint  ->  ...  ->  tables renamed into place  ->
    people, units and cluster members linked over the whole output  ->  manifest.json

Only a few chunks exist at any time, so memory does not grow with the corpus.
After each chunk the checkpoint records what is durably written, so a killed
run continues with ``resume=True`` and ends with exactly the tables of an
uninterrupted one. An output folder that holds a run, finished or not, is
never replaced silently: a new run there needs ``resume``, ``append`` or
``overwrite``.
"""
from __future__ import annotations

import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Callable

from pipeline.apps.progress import ProgressBar, count_documents
from pipeline.engines.local import SerialEngine, cpu_count, make_local_engine
from pipeline.io.checkpoint import Checkpoint, Progress, ResumeError, run_fingerprint
from pipeline.io.held import HeldOutput, seed_index
from pipeline.io.manifest import MANIFEST, describe_inputs, first_change, now, read_manifest, rules_hash, \
    write_manifest
from pipeline.io.read import UNSUPPORTED, read_inputs
from pipeline.io.write import TableWriter, publish, remove_tables
from pipeline.linking.link import link_output
from pipeline.runner.chunks import chunked, mark_near_duplicates
from pipeline.runner.duplicates import FLAGGED, DuplicateIndex, mark_duplicates

CHUNK = 64
ENGINES = ("local", "dask")


@dataclass
class Run:
    """One ``vnie extract``: what it reads, how, and where it writes."""

    inputs: list
    out: Path
    fmt: str = "csv"
    jsonl_stdin: bool = False
    quiet: bool = True
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None
    chunk_size: int = CHUNK
    append: bool = False
    skip_duplicates: bool = False
    notify: Callable[[str], None] = print
    partitioned: bool = False
    held: HeldOutput | None = None
    manifest: dict = field(default_factory=dict)   # this run's entry: mode, start, inputs, rules
    provinces: dict = field(default_factory=dict)  # doc_id -> the province its text reports from (for linking)

    @property
    def fingerprint(self) -> dict:
        return run_fingerprint(self.inputs, self.fmt, self.jsonl_stdin, self.partitioned, self.append,
                               self.skip_duplicates)


def run_extract(inputs, out: Path, fmt: str = "csv", jsonl_stdin: bool = False, quiet: bool = True, *,
                workers: int | None = None, engine: str = "local", scheduler: str | None = None,
                resume: bool = False, chunk_size: int = CHUNK, notify=None, append: bool = False,
                overwrite: bool = False, skip_duplicates: bool = False) -> dict:
    """Extract ``inputs`` into ``out``; returns counts of documents ok, in error and left out.

    ``workers``: processes on this machine (default: every core), or Dask
    workers to start when ``engine="dask"`` and no ``scheduler`` address is
    given. ``resume``: continue the interrupted run whose checkpoint is in
    ``out`` (same inputs, unchanged, and same format). ``append``: add the
    inputs to the output in ``out``; texts it already holds become documents
    rows with status ``duplicate``. ``overwrite``: replace what ``out`` holds;
    without one of these three, a folder that holds a run is refused.
    ``skip_duplicates``: leave exact and near duplicates of earlier documents
    out of the tables. ``notify`` receives one-line notes for the user
    (default: standard error unless ``quiet``).

    Worker processes start the script afresh (as spawned ones do): one that calls this with ``workers``
    above 1 needs the usual ``if __name__ == "__main__":`` guard.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use {' or '.join(ENGINES)}")
    if overwrite and (resume or append):
        raise ValueError("overwrite replaces the output; it cannot be combined with resume or append")
    if notify is None:
        notify = (lambda message: None) if quiet else (lambda message: print(f"vnie: {message}", file=sys.stderr))
    run = Run(list(inputs), Path(out), fmt, jsonl_stdin, quiet, workers or cpu_count(), engine, scheduler,
              chunk_size, append, skip_duplicates, notify)
    checkpoint = Checkpoint(run.out)
    checkpoint.lock()
    try:
        return _extract(run, checkpoint, resume, overwrite)
    finally:
        checkpoint.unlock()


def _extract(run: Run, checkpoint: Checkpoint, resume: bool, overwrite: bool) -> dict:
    run.held = HeldOutput.find(run.out)
    if run.append and run.held is not None and run.held.fmt != run.fmt:
        raise ResumeError(f"{run.out} holds {run.held.fmt} tables; append with --format {run.held.fmt}")
    appending = run.append and run.held is not None
    run.partitioned = run.held.partitioned if appending else (run.engine == "dask" and run.fmt == "parquet")
    run.manifest = {"id": uuid.uuid4().hex, "mode": "append" if appending else "new", "start": now(), "rules_sha256": rules_hash(),
                    "inputs": describe_inputs(run.inputs)}
    progress = _starting_point(run, checkpoint, resume, overwrite)
    if progress is None:  # --resume on a finished output made from these very inputs
        counts = run.held.counts()
        return {"ok": counts["ok"], "errors": counts["error"], "skipped": counts["documents"],
                "duplicates": counts["duplicate"]}
    if not progress.finishing:
        _stream(run, checkpoint, progress)
    # else: killed while renaming the finished files; only that is left to do
    _finish(run, checkpoint, progress)
    return _summary(progress)


def _starting_point(run: Run, checkpoint: Checkpoint, resume: bool, overwrite: bool) -> Progress | None:
    """Where the run starts: a resumed checkpoint, nothing (already complete), or a new start."""
    if checkpoint.exists() and resume:
        return _resumed(run, checkpoint)
    if checkpoint.exists() and not overwrite:
        raise ResumeError(f"{run.out} holds an interrupted run; add --resume to continue it (the same command), "
                          "or --overwrite to discard it")
    if resume and run.held is not None:
        return _already_complete(run)
    if resume:
        run.notify(f"no interrupted run in {run.out} to resume; starting a new one")
    elif run.held is not None and not run.append and not overwrite:
        raise ResumeError(f"{run.out} already holds the tables of a run ({_describe_held(run.held)}); add --append "
                          "to add these inputs to it, --overwrite to replace it, or choose another -o folder")
    elif overwrite and (checkpoint.exists() or run.held is not None):
        run.notify(f"the run in {run.out} is replaced (--overwrite)")
    elif run.append and run.held is None:
        run.notify(f"{run.out} holds no output yet; --append starts a new one")
    if run.append and run.held is not None and run.held.manifest and \
            run.held.manifest.get("rules_sha256") != run.manifest["rules_sha256"]:
        run.notify("the rules (rules/) changed since this output was made; its earlier documents keep their rows")
    checkpoint.clear()
    write_manifest(checkpoint.dir / MANIFEST, run.manifest)
    return Progress()


def _resumed(run: Run, checkpoint: Checkpoint) -> Progress:
    progress = checkpoint.load(run.fingerprint)
    recorded = read_manifest(checkpoint.dir / MANIFEST) or {}
    change = first_change(recorded, run.manifest)
    if change:
        raise ResumeError(f"cannot resume the run in {run.out}: {change} since it started, so the documents "
                          "already written may not be the ones it would read now; run again with --overwrite "
                          "to start over")
    run.manifest = recorded
    run.notify(f"resuming: {progress.items} input documents already done")
    return progress


def _already_complete(run: Run) -> None:
    manifest = run.held.manifest or {}
    last = (manifest.get("runs") or [{}])[-1]
    change = first_change(last, run.manifest) if last else "it has no manifest.json"
    if change:
        raise ResumeError(f"nothing to resume in {run.out}: its run is complete, and {change}; add --append to "
                          "add new inputs to it, or --overwrite to replace it")
    run.notify(f"the run in {run.out} is already complete; nothing to resume")
    return None


def _describe_held(held: HeldOutput) -> str:
    manifest = held.manifest or {}
    documents = (manifest.get("counts") or {}).get("documents")
    when = manifest.get("end")
    parts = [f"{documents} documents" if documents is not None else f"{held.fmt} tables"]
    if when:
        parts.append(f"finished {when}")
    return ", ".join(parts)


def _items(run: Run, stats: Counter, index: DuplicateIndex, done: int = 0):
    """The documents and errors of the inputs after the first ``done`` (those of a resumed run already
    written), each marked with its hash and what it duplicates. Near copies are looked for in the main
    process only for the ``done`` ones and with --skip-duplicates (which leaves them out): otherwise the
    workers make the signatures and :func:`mark_near_duplicates` looks them up."""
    appending = run.append and run.held is not None
    held_ids = seed_index(run.held, index) if appending else []
    items = iter(read_inputs(run.inputs, jsonl_stdin=run.jsonl_stdin, stats=stats, held_ids=held_ids))
    # The items already written are read again (cheap next to processing them) so that document ids made
    # unique by the reader, and duplicates, come out the same as in an uninterrupted run.
    for _ in mark_duplicates(islice(items, done), index, skip_exact=appending, stats=stats):
        pass
    yield from mark_duplicates(items, index, skip_exact=appending, skip_near=run.skip_duplicates, stats=stats,
                               near_later=not run.skip_duplicates)


def _stream(run: Run, checkpoint: Checkpoint, progress: Progress) -> None:
    skipped = progress.items
    resumed = bool(progress.writer)
    writer = TableWriter(run.out, run.fmt, partitioned=run.partitioned,
                         resume_state=progress.writer if resumed else None,
                         append=run.append and run.held is not None)
    stats = Counter()
    try:
        if not resumed:
            # Recorded before any chunk, so even a run killed at once can be resumed.
            progress.writer = writer.commit()
            checkpoint.save(run.fingerprint, progress)
        index = DuplicateIndex()
        chunks = chunked(_items(run, stats, index, done=skipped), run.chunk_size)
        show = not run.quiet and sys.stderr.isatty()
        total = count_documents(run.inputs) if show else None
        with _EngineFor(run.engine, run.workers, run.scheduler, chunks) as (runner, chunks), \
                ProgressBar(total, done=skipped, enabled=show) as bar:
            for result in runner.map(chunks):
                stats[FLAGGED] += mark_near_duplicates(result, index)
                writer.write(result.rows, result.texts)
                run.provinces.update(result.provinces)  # found by the workers: linking at the end reads no text
                _count(progress, result, stats)
                progress.writer = writer.commit()
                checkpoint.save(run.fingerprint, progress)
                bar.advance(result.ok + result.errors + result.duplicates)
        writer.prepare()
        progress.stats = dict(stats)
        progress.finishing = True
        checkpoint.save(run.fingerprint, progress)
    except BaseException:
        # Keep the partial files and the checkpoint: `--resume` continues from the last chunk.
        writer.release()
        raise
    progress.skipped = skipped


def _count(progress: Progress, result, stats: Counter) -> None:
    progress.chunks += 1
    progress.items += result.ok + result.errors + result.duplicates
    progress.ok += result.ok
    progress.errors += result.errors
    progress.duplicates += result.duplicates
    progress.stats = dict(stats)


def _finish(run: Run, checkpoint: Checkpoint, progress: Progress) -> None:
    """Rename the finished tables into place, write manifest.json, and remove the run's folder."""
    publish(run.out, run.fmt, run.partitioned)
    # People, units and cluster members over the whole output, ids kept (an --append links again).
    link_output(run.out, provinces=run.provinces)
    other = "csv" if run.fmt == "parquet" else "parquet"
    remove_tables(run.out, other)  # an --overwrite in the other format leaves no stale table behind
    write_manifest(run.out / MANIFEST, _final_manifest(run, progress))
    checkpoint.remove()


def _final_manifest(run: Run, progress: Progress) -> dict:
    from pipeline import __version__

    entry = dict(run.manifest, end=now(), counts=_run_counts(progress))
    held = read_manifest(run.out / MANIFEST) if entry.get("mode") == "append" else None
    runs = [r for r in (held or {}).get("runs", []) if r.get("id") != entry.get("id")] + [entry]
    inputs = [i for r in runs for i in r.get("inputs", [])]
    counts = HeldOutput(run.out, run.fmt, run.partitioned).counts()
    return {"version": __version__, "format": run.fmt, "rules_sha256": entry.get("rules_sha256"),
            "inputs": inputs, "start": runs[0].get("start"), "end": entry["end"], "counts": counts, "runs": runs}


def _run_counts(progress: Progress) -> dict:
    stats = dict(progress.stats)
    unsupported = stats.pop(UNSUPPORTED, 0)
    flagged = stats.pop(FLAGGED, 0)
    return {"documents ok": progress.ok, "errors": progress.errors - unsupported,
            "duplicates left out": progress.duplicates, "duplicates found": flagged,
            UNSUPPORTED: unsupported, "skipped by design": stats}


def _summary(progress: Progress) -> dict:
    counts = _run_counts(progress)
    return {"ok": progress.ok, "errors": counts["errors"], "skipped": getattr(progress, "skipped", progress.items),
            "duplicates": progress.duplicates, "flagged": counts["duplicates found"],
            "unsupported": counts[UNSUPPORTED], "skipped_records": counts["skipped by design"]}


def summary_line(summary: dict, seconds: float, out) -> str:
    """The one line a run ends with."""
    done = summary["ok"] + summary["errors"] + summary.get("duplicates", 0) - summary.get("skipped", 0)
    parts = [f"{summary['ok']} documents ok", f"{summary['errors']} errors"]
    if summary.get("flagged"):
        parts.append(f"{summary['flagged']} duplicates found ({summary.get('duplicates', 0)} left out)")
    elif summary.get("duplicates"):
        parts.append(f"{summary['duplicates']} duplicates left out")
    skipped = summary.get("skipped_records") or {}
    if skipped:
        kinds = ", ".join(f"{n} {k.removeprefix('WARC ').removesuffix(' records')}" for k, n in sorted(skipped.items()))
        parts.append(f"{sum(skipped.values())} WARC records skipped by design ({kinds})")
    if summary.get("unsupported"):
        parts.append(f"{summary['unsupported']} {UNSUPPORTED} (in errors.csv)")
    rate = max(done, 0) / seconds if seconds else 0
    return f"{', '.join(parts)}, {seconds:.1f} s ({rate:.1f} documents/s) -> {out}"


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
