"""Resumable runs: a checkpoint in the output folder records which documents are safely written.

A run reads its inputs in chunks. After each chunk's rows are appended to the
``*.partial`` tables and fsynced, the checkpoint is replaced (atomically) by
one that records how many input items are done and how large each partial
file was at that moment. A run killed at any instant therefore leaves files
whose first bytes, up to the recorded sizes, hold exactly the committed
chunks; ``--resume`` cuts each file back to those sizes and carries on after
the committed items. Nothing committed is lost, nothing is written twice.

Everything lives under ``OUT/.vnie-run/``, which a finished run removes.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.io.write import RUN_DIR, OutputError

CHECKPOINT = "checkpoint.json"
LOCK = "lock"
VERSION = 2


class ResumeError(OutputError):
    """A checkpoint cannot be resumed, or another run holds the folder; the message says why and what to do."""


@dataclass
class Progress:
    """What the last committed chunk left behind."""

    chunks: int = 0          # chunks committed
    items: int = 0           # input items (documents and read errors) done, in input order
    ok: int = 0
    errors: int = 0
    duplicates: int = 0      # documents left out as duplicates
    stats: dict = field(default_factory=dict)   # what the reader skipped by design, duplicates found
    writer: dict = field(default_factory=dict)  # TableWriter.commit() state: file sizes or part counts
    finishing: bool = False  # every chunk is written; only the final renames may be missing


def run_fingerprint(inputs, fmt: str, jsonl_stdin: bool, partitioned: bool, append: bool = False,
                    skip_duplicates: bool = False) -> dict:
    """What must be the same for a run to be resumed: the inputs (resolved), the output layout and the mode.

    The inputs' contents and the rules are compared too, from the run's manifest (see ``manifest.py``).
    """
    resolved = ["-" if str(x) == "-" else str(Path(x).resolve()) for x in inputs]
    return {"version": VERSION, "inputs": resolved, "format": fmt, "jsonl_stdin": bool(jsonl_stdin),
            "partitioned": bool(partitioned), "append": bool(append), "skip_duplicates": bool(skip_duplicates)}


class Checkpoint:
    """The checkpoint of one output folder; also holds the folder's lock while a run writes to it."""

    def __init__(self, out_dir: str | os.PathLike):
        self.out = Path(out_dir)
        self.dir = self.out / RUN_DIR
        self.path = self.dir / CHECKPOINT
        self._lock_handle = None

    def lock(self) -> None:
        """Take the output folder for this run; a second run on the same folder is refused."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            handle = open(self.dir / LOCK, "a+")
        except OSError as exc:
            raise OutputError(f"cannot write to output folder {self.out}: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            raise ResumeError(f"another `vnie extract` is writing to {self.out}; wait for it, or use another -o folder")
        self._lock_handle = handle

    def unlock(self) -> None:
        """Release the folder (also released by the OS if the process dies)."""
        if self._lock_handle is not None:
            self._lock_handle.close()
            self._lock_handle = None

    def load(self, fingerprint: dict) -> Progress | None:
        """The committed progress of an interrupted run with the same fingerprint, or None if there is none."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise ResumeError(f"the checkpoint {self.path} cannot be read ({exc}); run again without --resume") from exc
        if data.get("run") != fingerprint:
            raise ResumeError(f"the interrupted run in {self.out} had other inputs or another format "
                              f"({_describe(data.get('run'))}); give the same ones, or run without --resume to start over")
        return Progress(**data["progress"])

    def save(self, fingerprint: dict, progress: Progress) -> None:
        """Record ``progress`` durably: written to a temporary file, fsynced, then renamed over the old one."""
        tmp = self.path.with_name(CHECKPOINT + ".tmp")
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump({"run": fingerprint, "progress": asdict(progress)}, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        _fsync_dir(self.dir)

    def exists(self) -> bool:
        """Whether an interrupted run left a checkpoint here."""
        return self.path.exists()

    def clear(self) -> None:
        """Forget any interrupted run: remove the run folder (checkpoint and staged parts), keep the lock."""
        if not self.dir.exists():
            return
        for child in self.dir.iterdir():
            if child.name == LOCK:
                continue
            if child.is_dir():
                shutil.rmtree(child)
            else:
                child.unlink()

    def remove(self) -> None:
        """The run is finished: remove the run folder altogether."""
        self.unlock()
        shutil.rmtree(self.dir, ignore_errors=True)


def _describe(run) -> str:
    if not isinstance(run, dict):
        return "unknown"
    mode = " --append" if run.get("append") else ""
    mode += " --skip-duplicates" if run.get("skip_duplicates") else ""
    return f"inputs {', '.join(run.get('inputs', []))}; format {run.get('format')}{mode}"


def _fsync_dir(path: Path) -> None:
    # The rename itself must survive a power cut, not only the file's bytes.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
