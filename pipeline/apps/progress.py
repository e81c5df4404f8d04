"""The progress bar of a batch run: documents done, documents/s and time left, on a terminal only."""
from __future__ import annotations

import gzip
import sys
import time
import zlib
from collections import deque
from pathlib import Path
from typing import Iterable, TextIO

from pipeline.io.read import input_kind, is_compressed, iter_files

_BLOCK = 1 << 20


def count_documents(inputs: Iterable[str | Path]) -> int | None:
    """How many items a run over ``inputs`` will read (one per file, one per non-blank JSONL line).

    None when it cannot be known beforehand (standard input, web archives).
    Counting reads JSONL files once, in blocks, without parsing them.
    """
    total = 0
    for raw in inputs:
        if str(raw) == "-":
            return None
        path = Path(raw)
        if not path.exists():
            total += 1  # it becomes one error row
            continue
        for file in iter_files(path):
            kind = input_kind(file)
            if kind == "warc":
                return None
            total += _count_jsonl_lines(file) if kind == "jsonl" else 1
    return total


def _count_jsonl_lines(path: Path) -> int:
    count = 0
    try:
        with (gzip.open(path, "rb") if is_compressed(path) else open(path, "rb")) as handle:
            tail = b""
            while block := handle.read(_BLOCK):
                lines = (tail + block).split(b"\n")
                tail = lines.pop()
                count += sum(1 for line in lines if line.strip())
            if tail.strip():
                count += 1
    except (OSError, EOFError, zlib.error):
        return 1
    return count


class ProgressBar:
    """A rich progress bar on ``stream`` when it is a terminal and ``enabled``; otherwise it does nothing."""

    def __init__(self, total: int | None, done: int = 0, enabled: bool = True, stream: TextIO | None = None):
        stream = stream if stream is not None else sys.stderr
        self._progress = None
        if not enabled or not _is_terminal(stream):
            return
        # rich only for a bar that is drawn: a quiet or piped run does not import it
        from rich.console import Console
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self._progress = Progress(
            TextColumn("extract"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
            _rate_column(), TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
            console=Console(file=stream), transient=False,
        )
        self._task = self._progress.add_task("extract", total=total, completed=done)
        self._progress.start()

    def advance(self, documents: int) -> None:
        """Count ``documents`` more as done."""
        if self._progress is not None:
            self._progress.advance(self._task, documents)

    def close(self) -> None:
        """Draw the bar a last time and give the terminal back."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _rate_column():
    """Documents per second over the last ``WINDOW`` seconds, or since the bar started when that is more recent.

    Results arrive a chunk at a time, often several at once: a rate over the
    last fraction of a second would read thousands of documents per second.
    Documents done before the bar started (a resumed run) do not count.
    """
    from rich.progress import ProgressColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        WINDOW = 20.0

        def __init__(self):
            super().__init__()
            self._samples: deque[tuple[float, float]] = deque()

        def render(self, task):
            now = time.monotonic()
            samples = self._samples
            if not samples:
                samples.append((now, task.completed))
            samples.append((now, task.completed))
            while len(samples) > 2 and now - samples[1][0] >= self.WINDOW:
                samples.popleft()
            (start, done_then), (_, done_now) = samples[0], samples[-1]
            if done_now <= done_then or now - start < 0.5:
                return Text("? docs/s")
            return Text(f"{(done_now - done_then) / (now - start):.1f} docs/s")

    return RateColumn()
