"""A chunk function for the worker-crash test: it kills its own process on a marked document.

It lives in a module of its own so that worker processes can import it by name.
"""
from __future__ import annotations

import os

from pipeline.runner.chunks import ChunkResult
from pipeline.schema import empty_tables


def crash_on_marker(items) -> ChunkResult:
    """A document whose text holds CRASH ends its worker at once, as a crash in native code would."""
    result = ChunkResult()
    for item in items:
        if "CRASH" in item.text:
            os._exit(3)
        rows = empty_tables()
        rows["documents"].append({"doc_id": item.doc_id, "source": item.source, "status": "ok"})
        result.add(rows, (item.doc_id, item.text))
    return result
