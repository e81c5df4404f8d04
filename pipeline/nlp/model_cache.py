"""Models read once and kept on disk as one pickle, so a process starts without re-reading them.

underthesea's word list (a joblib pickle of 72,547 strings), the word CRF's weights
(a gzipped JSON) and its syllable regex (which needs all of underthesea imported) take
about a second to read at every start; their pickle reads in a tenth of that. A cache
entry is keyed by what it was built from (file sizes and modification times, a version),
so a new underthesea or new shipped weights build a new entry; a folder that cannot be
written only means the models are read the slow way.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import pickle
import tempfile
from pathlib import Path
from typing import Callable

CACHE_VERSION = 1


def cache_dir() -> Path:
    """``$VNIE_CACHE_DIR``, else ``$XDG_CACHE_HOME/vnie``, else ``~/.cache/vnie``."""
    if os.environ.get("VNIE_CACHE_DIR"):
        return Path(os.environ["VNIE_CACHE_DIR"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vnie"


def package_dir(name: str) -> Path:
    """Where package ``name`` is installed, found without importing it (underthesea's
    ``__init__`` imports every one of its pipelines)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {name} is not installed")
    return Path(list(spec.submodule_search_locations)[0])


def file_stamp(*paths: str | os.PathLike) -> tuple:
    """What identifies the contents of ``paths`` cheaply: each one's path, size and modification time."""
    stamps = []
    for path in paths:
        stat = os.stat(path)
        stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(stamps)


def cached_path(name: str) -> Path:
    """The cache file of entry ``name``."""
    return cache_dir() / f"{name}.pickle"


def cached(name: str, key: tuple, build: Callable[[], object]):
    """``build()``, or what it returned last time for the same ``key``, read from the cache folder."""
    digest = hashlib.sha256(repr((CACHE_VERSION, key)).encode("utf-8")).hexdigest()[:20]
    path = cached_path(f"{name}-{digest}")
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        pass
    value = build()
    write_pickle(path, value)
    return value


def write_pickle(path: Path, value) -> None:
    """Pickle ``value`` to ``path`` atomically (never a half-written entry, even with two processes at once);
    a folder that cannot be written is no error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.stem}-", delete=False) as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError:
        pass
