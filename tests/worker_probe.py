"""A chunk function that tells how its worker process was started (workers import it by name)."""
from __future__ import annotations

import multiprocessing
import sys

from pipeline.runner.chunks import ChunkResult


def how_started(items) -> ChunkResult:
    """One text per item: the worker's start method, and whether it began with the pipeline built."""
    from pipeline.runner.chunks import batch_pipeline

    built = "pipeline.engines.preload" in sys.modules and batch_pipeline.cache_info().currsize == 1
    result = ChunkResult()
    for item in items:
        result.texts.append((item.doc_id, f"{multiprocessing.get_start_method()} built={built}"))
    return result
