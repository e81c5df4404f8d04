"""Engines on this machine: every chunk in this process, or spread over a pool of worker processes.

The pipeline is built once, in the fork server the workers are forked from,
and each worker keeps it for every chunk.
"""
from __future__ import annotations

import atexit
import functools
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from pipeline.engines.base import IN_FLIGHT_PER_WORKER, BoundedEngine
from pipeline.io.documents import Item
from pipeline.runner.chunks import ChunkResult, process_chunk

PRELOAD = "pipeline.engines.preload"  # imported by the fork server: builds the pipeline


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
        from pipeline.runner.chunks import batch_pipeline

        batch_pipeline()


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


def _context(warm_up: bool) -> multiprocessing.context.BaseContext:
    """How workers are started: forked from a fork server that built the pipeline once (where there is one).

    Not forked from the main process: a fork would copy its threads (progress bar, Dask client) mid-lock.
    Not spawned afresh each: every worker would import spaCy and build the pipeline again. Either way a
    worker can tell when its parent is gone (see _exit_with_parent). The server is started with the first
    pool and serves every later one of the process (a pool started again after a crash starts at once).
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if warm_up:
        context.set_forkserver_preload([PRELOAD])
    _stop_fork_server_at_exit()
    return context


@functools.lru_cache(maxsize=1)
def _stop_fork_server_at_exit() -> None:
    # The server would end by itself once this process is gone; stopped and waited for at exit, it ends
    # first, and the CPU time of the workers it started is counted in this process's (as `time` shows it).
    from multiprocessing import forkserver

    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        atexit.register(stop)


class ProcessEngine(BoundedEngine):
    """Chunks spread over ``workers`` processes, results in input order.

    A dead worker (a crash in native code, the OOM killer) breaks the whole
    pool: it is started again and the chunks in flight are submitted again.
    Workers end when the main process does, however it ends.
    """

    crash_errors = (BrokenProcessPool,)
    crash_loses_pending = True

    def __init__(self, workers: int, chunk_fn: Callable[[list[Item]], ChunkResult] = process_chunk,
                 warm_up: bool = True):
        self.workers = max(1, workers)
        self.chunk_fn = chunk_fn
        self.warm_up = warm_up
        self._pool: ProcessPoolExecutor | None = None

    def _start(self) -> None:
        self._pool = ProcessPoolExecutor(self.workers, mp_context=_context(self.warm_up), initializer=_init_worker,
                                         initargs=(self.warm_up,))

    def _recover(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._start()

    def _window(self) -> int:
        return self.workers * IN_FLIGHT_PER_WORKER

    def _submit(self, chunk: list[Item]):
        return self._pool.submit(self.chunk_fn, chunk)

    def __enter__(self):
        self._start()
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        return False


def make_local_engine(workers: int, chunk_fn: Callable[[list[Item]], ChunkResult] = process_chunk):
    """The engine for ``--workers N`` on this machine."""
    if workers <= 1:
        return SerialEngine(chunk_fn)
    return ProcessEngine(workers, chunk_fn)
