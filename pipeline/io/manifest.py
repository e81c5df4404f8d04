"""``manifest.json``: what an output folder was made from, when, and what it holds.

Every finished run writes it: the version, a hash of ``rules/``, each input
file's path, size and sha256, the first start and last end, the counts over
the whole output, and one entry per run (a new output, then each
``--append``). ``--resume`` compares the inputs and rules of the interrupted
run, recorded when it started, with those it is given now, and refuses to go
on when one changed.
"""
from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path

MANIFEST = "manifest.json"
_BLOCK = 1 << 20


def now() -> str:
    """The time now, ISO 8601 with the offset, to the second."""
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def rules_hash(folder: Path | None = None) -> str:
    """sha256 over every file of ``rules/`` (its relative name and its bytes), in name order."""
    if folder is None:
        from pipeline.rules import rules_dir

        folder = rules_dir()
    digest = hashlib.sha256()
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(file_sha256(path).encode("ascii"))
    return digest.hexdigest()


def describe_inputs(inputs) -> list[dict]:
    """Path, size and sha256 of every file the inputs name (a folder: each file in it; ``-``: standard input)."""
    from pipeline.io.read import iter_files

    described = []
    for raw in inputs:
        if str(raw) == "-":
            described.append({"path": "-", "size": None, "sha256": None})
            continue
        path = Path(raw)
        if not path.exists():
            described.append({"path": str(path.resolve()), "size": None, "sha256": None})
            continue
        for file in iter_files(path):
            described.append(_describe_file(file))
    return described


def _describe_file(path: Path) -> dict:
    name = str(path.resolve()).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    try:
        return {"path": name, "size": path.stat().st_size, "sha256": file_sha256(path)}
    except OSError:
        return {"path": name, "size": None, "sha256": None}


def first_change(recorded: dict, current: dict) -> str | None:
    """What differs between the inputs and rules a run started with and those given now, in words; or None."""
    if recorded.get("rules_sha256") != current.get("rules_sha256"):
        return "the rules (rules/) changed"
    before = {entry["path"]: entry for entry in recorded.get("inputs", [])}
    after = {entry["path"]: entry for entry in current.get("inputs", [])}
    for path, entry in after.items():
        old = before.get(path)
        if old is None:
            return f"input {path} is new"
        if path != "-" and (old.get("size"), old.get("sha256")) != (entry.get("size"), entry.get("sha256")):
            return f"input {path} changed (size {old.get('size')} -> {entry.get('size')}, sha256 " \
                   f"{str(old.get('sha256'))[:12]}... -> {str(entry.get('sha256'))[:12]}...)"
    for path in before:
        if path not in after:
            return f"input {path} is gone"
    return None


def read_manifest(path: Path) -> dict | None:
    """The manifest at ``path`` (a file, or an output folder), or None when there is none or it cannot be read."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_manifest(path: Path, data: dict) -> None:
    """Write ``data`` to ``path`` (a file, or an output folder) atomically."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
