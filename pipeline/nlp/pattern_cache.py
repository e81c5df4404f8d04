"""The rules' regular expressions, compiled once and kept on disk.

Building the pipeline compiles about 150 expressions from the rule files, some of them
alternations of thousands of names; the ``regex`` module parses them in Python, which
takes most of a second at every start. A compiled ``regex`` pattern pickles as its compiled
code (unpickling does not parse it again), so while the pipeline is built,
:func:`cached_patterns` answers ``regex.compile`` from a pickle of the patterns the last
build compiled. Entries are looked up by the pattern's own text and flags, so an edited rule
file can never get a stale pattern: it is compiled afresh and the file rewritten.
"""
from __future__ import annotations

import pickle
import sys
from contextlib import contextmanager

import regex

from pipeline.nlp.case_patterns import VERSION as CASE_REWRITE_VERSION, without_ignore_case
from pipeline.nlp.model_cache import cached_path, write_pickle


def _cache_name(group: str = "pipeline") -> str:
    # Compiled code is only valid for the regex build that made it.
    return (f"regex-patterns-{regex.__version__}-{regex.DEFAULT_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}"
            f"-case{CASE_REWRITE_VERSION}" + ("" if group == "pipeline" else f"-{group}"))


def _read(path) -> dict:
    try:
        with open(path, "rb") as handle:
            patterns = pickle.load(handle)
        return patterns if isinstance(patterns, dict) else {}
    except Exception:  # a missing, partial or incompatible cache only means compiling again
        return {}


@contextmanager
def cached_patterns(group: str = "pipeline"):
    """Within the block, ``regex.compile(pattern, flags)`` returns the cached compiled pattern when there is one,
    else compiles it, a ``(?i)`` pattern as the case-sensitive one that matches the same
    (:mod:`pipeline.nlp.case_patterns`; its ``.pattern`` is the rewritten text). Each ``group`` (the
    pipeline's stages, linking) has its own file, holding what its last build compiled."""
    path = cached_path(_cache_name(group))
    known = _read(path)
    used: dict = {}
    compile_ = regex.compile

    def compile_cached(pattern, flags=0, ignore_unused=False, cache_pattern=None, **kwargs):
        if kwargs or not isinstance(pattern, str):  # named lists: not cached
            return compile_(pattern, flags, ignore_unused=ignore_unused, cache_pattern=cache_pattern, **kwargs)
        key = (pattern, flags)
        compiled = known.get(key)
        if compiled is None:
            exact = without_ignore_case(pattern) if flags == 0 else None
            compiled = compile_(exact or pattern, flags, ignore_unused=ignore_unused, cache_pattern=cache_pattern)
        used[key] = compiled
        return compiled

    regex.compile = compile_cached
    try:
        yield
    finally:
        regex.compile = compile_
    if used.keys() != known.keys():
        write_pickle(path, used)
