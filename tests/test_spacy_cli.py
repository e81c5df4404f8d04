"""spaCy's command line is imported only when something uses it (pipeline.spacy_cli)."""
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
