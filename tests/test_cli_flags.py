"""The command line as a new user meets it: flags without values, -h, --version, honest help, a sensible rate."""
from __future__ import annotations

import time
from types import SimpleNamespace

from test_batch import vnie

from pipeline import __version__


def test_version_and_short_help():
    assert vnie("--version").stdout.strip() == f"vnie {__version__}"
    for command in ([], ["extract"], ["evaluate"], ["query"]):
        result = vnie(*command, "-h")
        assert result.returncode == 0 and "Usage:" in result.stdout, command


def test_flags_take_no_value_and_help_shows_none():
    help_text = vnie("extract", "--help").stdout
    assert "<bool>" not in help_text
    for flag in ("--quiet", "--strict", "--resume", "--append", "--overwrite", "--skip-duplicates", ".warc"):
        assert flag in help_text
    result = vnie("extract", "--quiet", "true", "-o", "/nonexistent/x")
    assert result.returncode == 2 and "take no value" in result.stderr


def test_extract_without_inputs_is_an_error_with_a_hint(tmp_path):
    result = vnie("extract", "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "no input given" in result.stderr and "corpus" in result.stderr
    assert not (tmp_path / "out").exists()


def test_evaluate_help_names_its_arguments_as_they_are():
    help_text = vnie("evaluate", "--help").stdout
    assert "PRED" in help_text and "GOLD" in help_text and " OUT" not in help_text


def test_the_first_rate_reading_is_not_a_burst(monkeypatch):
    from pipeline.apps import progress

    clock = [100.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    column = progress._rate_column()
    task = SimpleNamespace(completed=0)
    assert str(column.render(task)) == "? docs/s"
    clock[0] += 3.0           # start-up, then two chunks of 16 arrive together
    task.completed = 32
    assert str(column.render(task)) == "10.7 docs/s"
    clock[0] += 0.01
    task.completed = 48
    assert float(str(column.render(task)).split()[0]) < 20
    for _ in range(30):       # later, 16 documents a second
        clock[0] += 1.0
        task.completed += 16
        reading = str(column.render(task))
    assert reading == "16.0 docs/s"
    assert time.monotonic  # the real clock is back after the test
