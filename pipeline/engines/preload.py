"""Imported once by the fork server that starts a run's worker processes (see :class:`ProcessEngine`).

The pipeline is built there, once: every worker forked from the server starts
with it built, instead of each importing spaCy and compiling the rules again
(half a second of a core per worker).
"""
from pipeline.runner.chunks import batch_pipeline

try:
    batch_pipeline()
except Exception:  # noqa: BLE001 - each worker then builds it itself, and reports what fails as it would alone
    pass
