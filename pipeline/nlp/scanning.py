"""A pattern tried only where one of its matches can start: the same matches as scanning the whole text.

The ``regex`` module tries a pattern at every place of a text, which for a long alternation costs far
more than finding the few places a match can start (a digit, the first word of a list, found with
``str.find``) and trying the pattern there. The stages use these helpers for that; each says what it
gives in terms of ``finditer`` or ``match``, and each use is tested against the plain scan.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable, Iterator

import regex

WORD_START = r"(?<![\p{L}\p{M}])"  # no letter or mark just before


def finditer_at(pattern, text: str, starts: Iterable[int] | None) -> Iterator:
    """The matches of ``pattern.finditer(text)``, trying ``pattern`` only at ``starts`` (in order, every
    place a match may start; None: any place), each time after the last match."""
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for at in starts:
        if at >= end and (m := pattern.match(text, at)) is not None:
            yield m
            end = m.end()


def match_at_each(text: str, starts: list[int], scan: regex.Pattern, pattern: regex.Pattern) -> dict:
    """``pattern.match(text, start)`` for each of ``starts`` that has a match, by one scan of the text:
    ``scan`` is ``pattern`` after :data:`WORD_START`, found with ``finditer(overlapped=True)``, and
    ``pattern`` is matched directly at the few starts that follow something other than a space (a dash, a
    bracket, a letter)."""
    found = {m.start(): m for m in scan.finditer(text, overlapped=True)}
    for start in starts:
        if start and not text[start - 1].isspace():
            m = pattern.match(text, start)
            if m:
                found[start] = m
    return found


def word_starts(text: str, words: Iterable[str]) -> list[int]:
    """Every place in ``text`` one of ``words`` starts, in order (one inside another included)."""
    starts = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            starts.add(at)
            at = text.find(word, at + 1)
    return sorted(starts)


def word_starts_ignoring_case(text: str, folded_words: Iterable[str]) -> list[int] | None:
    """:func:`word_starts` as a ``(?i)`` pattern finds ``folded_words`` (case-folded), looked for in the
    case-folded text; None (any place) when case folding changes the length of the text ("ß" -> "ss")."""
    folded = casefolded(text)
    return None if folded is None else word_starts(folded, folded_words)


@lru_cache(maxsize=1)
def casefolded(text: str) -> str | None:
    """``text`` case-folded, once for the several patterns and stages that ask for it; None if that
    changes its length (offsets in it would not be the text's)."""
    folded = text.casefold()
    return folded if len(folded) == len(text) else None
