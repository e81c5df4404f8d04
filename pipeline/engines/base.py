"""What every engine shares: results in input order, a bounded number of chunks in flight, crash isolation.

An engine turns a stream of chunks (lists of reader items) into a stream of
:class:`~pipeline.runner.chunks.ChunkResult`, one per chunk and in the same
order, whichever worker finished first. Only a few chunks are in flight at a
time, so memory stays bounded however long the input is. A chunk whose
worker dies is run again one document per task; the document that kills its
worker again becomes an error row, and the run goes on.

An implementation says how to submit a chunk, which exceptions mean a worker
died, and what to do after one did.
"""
from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator

from pipeline.io.documents import Item
from pipeline.runner.chunks import ChunkResult, died_result

# Chunks in flight per worker: one being processed, one waiting, so no worker idles
# while the main process writes.
IN_FLIGHT_PER_WORKER = 2


class EngineError(RuntimeError):
    """The engine cannot run (a cluster that cannot be reached); the message says what to check."""


class BoundedEngine:
    """The in-order, bounded map over chunks with crash isolation; subclasses submit the work."""

    #: Exceptions from a future's ``result()`` that mean its worker died.
    crash_errors: tuple[type[BaseException], ...] = ()
    #: Whether a dead worker takes every other pending chunk with it (a broken process pool does).
    crash_loses_pending = False

    def _window(self) -> int:
        raise NotImplementedError

    def _submit(self, chunk: list[Item]):
        raise NotImplementedError

    def _recover(self) -> None:
        """Called after a worker died, before anything is submitted again."""

    def _release(self, future) -> None:
        """Called once a future's result has been taken."""

    def map(self, chunks: Iterable[list[Item]]) -> Iterator[ChunkResult]:
        """Results in input order, with at most a few chunks per worker in flight."""
        window = self._window()
        pending: deque = deque()
        chunks = iter(chunks)
        exhausted = False
        while True:
            while not exhausted and len(pending) < window:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    pending.append([chunk, self._submit(chunk)])
            if not pending:
                return
            chunk, future = pending.popleft()
            yield self._result(chunk, future, pending)

    def _result(self, chunk: list[Item], future, pending: deque) -> ChunkResult:
        try:
            return future.result()
        except self.crash_errors:
            self._recover()
            result = self._isolate(chunk)
            if self.crash_loses_pending:  # they died with the pool: submit them again
                for entry in pending:
                    entry[1] = self._submit(entry[0])
            return result
        finally:
            self._release(future)

    def _isolate(self, chunk: list[Item]) -> ChunkResult:
        result = ChunkResult()
        for item in chunk:
            future = self._submit([item])
            try:
                result.extend(future.result())
            except self.crash_errors:
                self._recover()
                result.extend(died_result(item))
            finally:
                self._release(future)
        return result
