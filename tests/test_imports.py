"""What importing the package and its commands brings in: spaCy's command line only when used, no spaCy in a
run's main process (pipeline.spacy_cli, lazy imports)."""
from __future__ import annotations

import subprocess
import sys


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_building_the_pipeline_does_not_import_spacys_command_line():
    out = _run("import sys, pipeline; pipeline.load(); "
               "print(type(sys.modules['spacy.cli']).__name__, 'typer' in sys.modules, 'weasel' in sys.modules)")
    assert out == "_Deferred False False"


def test_spacys_command_line_still_works_when_asked_for():
    out = _run("import pipeline, spacy, sys; info = spacy.info(markdown=False, silent=True); "
               "from spacy.cli import download; "
               "print(sorted(info)[:2], callable(download), type(sys.modules['spacy.cli']).__name__)")
    assert out == "['location', 'pipelines'] True module"


def test_nothing_changes_when_spacy_came_first():
    out = _run("import spacy, sys, pipeline; print(type(sys.modules['spacy.cli']).__name__)")
    assert out == "module"


def test_the_main_process_of_a_run_imports_no_spacy():
    """``vnie extract`` reads, writes and links in its main process; with workers it never processes a
    document there, so neither it nor linking imports spaCy (nor pandas, pyarrow, Dask, FastAPI, DuckDB)."""
    out = _run("import sys, pipeline.apps.extract, pipeline.linking.link; "
               "print(sorted(m for m in ('spacy', 'pandas', 'pyarrow', 'dask', 'fastapi', 'duckdb', 'underthesea') "
               "if m in sys.modules))")
    assert out == "[]"
