"""Process chunks of documents in this process or in a pool of worker processes, in input order.

An engine turns a stream of chunks (lists of reader items) into a stream of
:class:`ChunkResult`, one per chunk and in the same order, whichever worker
finished first. Only a few chunks are in flight at a time, so memory stays
bounded however long the input is. Each worker process builds the pipeline
once (``language.load`` is cached per process) and keeps it for every chunk.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Callable, Iterable, Iterator

from .reader import Item
from .tables import empty_tables, error_rows

# Chunks in flight per worker: one being processed, one waiting, so no worker idles
# while the main process writes.
IN_FLIGHT_PER_WORKER = 2
WORKER_DIED = "the worker process died while processing this document"


class EngineError(RuntimeError):
    """The engine cannot run (a cluster that cannot be reached); the message says what to check."""


@dataclass
class ChunkResult:
    """Every table's rows for one chunk, the texts of its documents, and how many were ok or failed."""

    rows: dict[str, list[dict]] = field(default_factory=empty_tables)
    texts: list[tuple[str, str]] = field(default_factory=list)
    ok: int = 0
    errors: int = 0

    def add(self, rows: dict[str, list[dict]], text: tuple[str, str] | None) -> None:
        """Append one document's rows; ``text`` is None for a document that failed."""
        for name, table_rows in rows.items():
            self.rows[name].extend(table_rows)
        if text is None:
            self.errors += 1
        else:
            self.texts.append(text)
            self.ok += 1

    def extend(self, other: "ChunkResult") -> None:
        """Append another result's documents after this one's."""
        for name, table_rows in other.rows.items():
            self.rows[name].extend(table_rows)
        self.texts.extend(other.texts)
        self.ok += other.ok
        self.errors += other.errors


def chunked(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """Lists of ``size`` consecutive items (the last one shorter), read lazily."""
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def process_chunk(items: list[Item], nlp=None) -> ChunkResult:
    """Run the pipeline over one chunk; a failing document becomes error rows, never an exception."""
    from .language import load
    from .run import process_item

    nlp = nlp if nlp is not None else load()
    result = ChunkResult()
    # The strings and lexemes the chunk's documents add to the vocabulary are freed when it is
    # done (the rows hold plain values): a worker's memory would otherwise grow with every new
    # word of an endless feed.
    with nlp.memory_zone():
        for item in items:
            result.add(*process_item(nlp, item))
    return result


def died_result(item: Item, reason: str = WORKER_DIED) -> ChunkResult:
    """The rows for an item whose worker died: an error, so the document is still accounted for."""
    result = ChunkResult()
    source = getattr(item, "source", "-")
    result.add(error_rows(source, item.doc_id, "process", reason), None)
    return result


def cpu_count() -> int:
    """The cores this process may run on (what ``--workers`` defaults to)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class SerialEngine:
    """Every chunk in this process, one after another."""

    workers = 1

    def __init__(self, chunk_fn: Callable[[list[Item]], ChunkResult] = process_chunk):
        self.chunk_fn = chunk_fn

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[ChunkResult]:
        """Results in input order."""
        for chunk in chunks:
            yield self.chunk_fn(chunk)


def _init_worker(warm_up: bool) -> None:
    """Run once in each worker process as it starts."""
    _exit_with_parent()
    if warm_up:
        # Build the pipeline now, not inside the worker's first chunk.
        from .language import load

        load()


def _exit_with_parent() -> None:
    # A pool's workers wait for work forever: if the main process is killed (SIGKILL, OOM)
    # nobody would tell them to stop. The parent's sentinel becomes ready when it dies.
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch():
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="vnie-exit-with-parent", daemon=True).start()


class ProcessEngine:
    """Chunks spread over ``workers`` processes, results in input order.

    A chunk whose worker dies (a crash in native code, the OOM killer) is run
    again one document per task in a fresh pool; the document that kills its
    worker again becomes an error row, and the run goes on. Workers end when
    the main process does, however it ends.
    """

    def __init__(self, workers: int, chunk_fn: Callable[[list[Item]], ChunkResult] = process_chunk,
                 warm_up: bool = True):
        self.workers = max(1, workers)
        self.chunk_fn = chunk_fn
        self.warm_up = warm_up
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> None:
        # spawn, not fork: a fork would copy this process's threads (progress bar, Dask client)
        # mid-lock; and a spawned worker can tell when its parent is gone (see _exit_with_parent).
        self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init_worker, initargs=(self.warm_up,))

    def _restart(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._start()

    def __enter__(self):
        self._start()
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        return False

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[ChunkResult]:
        """Results in input order, with at most a few chunks per worker in flight."""
        window = self.workers * IN_FLIGHT_PER_WORKER
        pending: deque = deque()
        chunks = iter(chunks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    pending.append([chunk, self._pool.submit(self.chunk_fn, chunk)])
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                result = future.result()
            except BrokenProcessPool:
                self._restart()
                result = self._isolate(chunk)
                for entry in pending:  # they died with the pool: submit them again
                    entry[1] = self._pool.submit(self.chunk_fn, entry[0])
            yield result

    def _isolate(self, chunk: list[Item]) -> ChunkResult:
        result = ChunkResult()
        for item in chunk:
            try:
                result.extend(self._pool.submit(self.chunk_fn, [item]).result())
            except BrokenProcessPool:
                self._restart()
                result.extend(died_result(item))
        return result


def make_local_engine(workers: int, chunk_fn: Callable[[list[Item]], ChunkResult] = process_chunk):
    """The engine for ``--workers N`` on this machine."""
    if workers <= 1:
        return SerialEngine(chunk_fn)
    return ProcessEngine(workers, chunk_fn)
