"""Run the pipeline's chunks on a Dask distributed cluster.

This process reads the inputs and writes the tables, as in a local run; the
chunks (partitions of documents) go to the cluster's workers. A worker plugin
builds the pipeline once in each worker process, when it joins, and every
chunk that worker runs uses it. Results come back in input order with only a
few chunks in flight, so the tables, the checkpoint and ``--resume`` are the
same as in a local run.

Workers must have ``vnie`` installed (the same version). Start them with one
thread each (``dask worker tcp://HOST:8786 --nthreads 1``): the pipeline is
pure Python, so more threads in a process add no speed; a lock makes them
safe all the same.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, get_worker

from pipeline.engines.base import IN_FLIGHT_PER_WORKER, BoundedEngine, EngineError
from pipeline.io.documents import Item
from pipeline.runner.chunks import ChunkResult, process_chunk

PLUGIN = "vnie-pipeline"


class PipelinePlugin(WorkerPlugin):
    """Builds the pipeline once per worker process and keeps it there."""

    name = PLUGIN

    def __init__(self, rules_path: str | None = None):
        self.rules_path = rules_path
        self.nlp = None
        self.lock = None

    def setup(self, worker):
        """Called by Dask in each worker as it starts or joins."""
        from pipeline.nlp.language import load

        self.lock = threading.Lock()
        self.nlp = load(self.rules_path)

    def __getstate__(self):
        # Only the configuration travels to the workers; each builds its own pipeline.
        return {"rules_path": self.rules_path}

    def __setstate__(self, state):
        self.__init__(state["rules_path"])


def run_partition(items: list[Item]) -> ChunkResult:
    """The task run on a worker: one partition of documents through the worker's pipeline."""
    plugin = get_worker().plugins[PLUGIN]
    # Tasks of one worker share its pipeline; a worker started with several threads runs them one at a time.
    with plugin.lock:
        return process_chunk(items, plugin.nlp)


class DaskEngine(BoundedEngine):
    """Chunks run on a Dask cluster: the one at ``scheduler``, or a local one of ``workers`` processes.

    Dask retries a chunk whose worker died on other workers; when it gives up
    (``KilledWorker``) the chunk is isolated one document per task.
    """

    crash_errors = (KilledWorker,)

    def __init__(self, scheduler: str | None = None, workers: int = 2, rules_path: str | None = None,
                 task: Callable[[list[Item]], ChunkResult] = run_partition, connect_timeout: float = 20):
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self.workers = max(1, workers)
        self.rules_path = rules_path
        self.task = task
        self._cluster = None
        self._client = None

    def __enter__(self):
        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout=self.connect_timeout)
            except (OSError, TimeoutError, ValueError) as exc:
                raise EngineError(f"cannot reach the Dask scheduler at {self.scheduler} ({exc}); "
                                  "check the address and that `dask scheduler` runs there") from exc
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None, silence_logs=logging.ERROR)
            self._client = Client(self._cluster)
        self._client.register_plugin(PipelinePlugin(self.rules_path), name=PLUGIN)
        return self

    def __exit__(self, *exc):
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None
        return False

    def _window(self) -> int:
        threads = sum(self._client.nthreads().values()) or 1
        return threads * IN_FLIGHT_PER_WORKER

    def _submit(self, chunk: list[Item]):
        # pure=False: two chunks with equal documents are still two tasks, and hashing them would cost time.
        return self._client.submit(self.task, chunk, pure=False)

    def _release(self, future) -> None:
        future.release()
