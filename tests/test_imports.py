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


def test_the_vnie_executable_exits_with_mains_code_and_keeps_its_output(tmp_path):
    """``vnie`` leaves by ``os._exit`` after the exit handlers (cli.run): the exit code is main's, what
    it printed is all there, and the tables it wrote are whole."""
    import shutil
    from pathlib import Path

    vnie = shutil.which("vnie") or str(Path(sys.executable).with_name("vnie"))
    article = tmp_path / "a.txt"
    article.write_text("Trung tá Mai Thế Quang, Phó Giám đốc Công an tỉnh chủ trì hội nghị ngày 12/3/2020.\n",
                       encoding="utf-8")
    ok = subprocess.run([vnie, "extract", str(article), "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert ok.returncode == 0 and "1 documents ok, 0 errors" in ok.stderr, ok.stdout + ok.stderr
    assert "Mai Thế Quang" in (tmp_path / "out" / "officials.csv").read_text(encoding="utf-8")
    refused = subprocess.run([vnie, "extract", str(article), "-o", str(tmp_path / "out")], capture_output=True,
                             text=True)
    assert refused.returncode == 2 and "--overwrite" in refused.stdout + refused.stderr
