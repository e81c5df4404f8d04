"""Ranges of a text asked about again and again: by bisection, so a long article's stages do not read
every range for each match (what made a 4 MB article take minutes)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from itertools import accumulate
from typing import Iterable


class Enclosing:
    """Whether one of many ranges holds a stretch [start, end): by bisection over the ranges in the order
    of their starts, with the furthest end reached so far, instead of reading every range."""

    def __init__(self, ranges: Iterable[tuple[int, int]]):
        ordered = sorted(ranges)
        self._starts = [s for s, _ in ordered]
        self._reach = list(accumulate((e for _, e in ordered), max))

    def holds(self, start: int, end: int, after_start: bool = False) -> bool:
        """Whether a range starts at ``start`` or before (before it, if ``after_start``) and ends at ``end``
        or after."""
        k = (bisect_left if after_start else bisect_right)(self._starts, start)
        return k > 0 and self._reach[k - 1] >= end


class Disjoint:
    """Non-empty ranges no two of which overlap, kept in order as they are taken: whether a stretch
    overlaps one of them is asked of the one that starts last before the stretch ends (of those starting
    before it, it ends last)."""

    def __init__(self, ranges: Iterable[tuple[int, int]] = ()):
        self._ranges: list[tuple[int, int]] = []
        for start, end in ranges:
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        """Take a non-empty range that overlaps none taken."""
        insort(self._ranges, (start, end))

    def overlaps(self, start: int, end: int) -> bool:
        """Whether a taken range (s, e) has s < end and start < e."""
        k = bisect_left(self._ranges, (end,))  # the ranges from k on start at ``end`` or after
        return k > 0 and self._ranges[k - 1][1] > start
