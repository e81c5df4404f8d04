"""A pattern tried only where one of its matches can start: the same matches as scanning the whole text.

The ``regex`` module tries a pattern at every place of a text, which for a long alternation costs far
more than finding the few places a match can start (a digit, the first word of a list, found with
``str.find``) and trying the pattern there. The stages use these helpers for that; each says what it
gives in terms of ``finditer`` or ``match``, and each use is tested against the plain scan.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Iterator

import regex

from pipeline.rules import alternation
from pipeline.text.normalize import fold_tones


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


class FirstWords:
    r"""Where a match of a ``(?i)`` :func:`pipeline.rules.alternation` of ``words`` can start: only where the
    text goes on with the first word of one of them.

    A word is a run of the characters of ``letters`` (letters and marks by default: the class the
    pattern's own word boundaries use). A match of "Phó Giám đốc" starts where the text, case folded,
    goes on with "phó"; those places are found by the ``re`` module's scan for the few first words
    (:meth:`starts`) or, among the places a stage asks about (its words' starts), by looking the
    text's next two characters up (:meth:`among`), instead of the regex engine trying the long
    alternation at every character. Both give every place a match can start, and a few more (a text
    word "phóng" for "phó") that the pattern itself then turns down, and so also a word a pattern lets
    the next follow with no space (``kind\s*place``: "tỉnhBình Định").
    """

    def __init__(self, words: Iterable[str], letters: str = r"\p{L}\p{M}"):
        self._run = _words_pattern(letters)
        self.firsts = frozenset(self._first(w) for w in words)
        # for among(): the first words by their first two characters, and those of one character
        self._by_opening: dict[str, tuple[str, ...]] = {}
        for word in sorted(self.firsts):
            if len(word) > 1:
                self._by_opening[word[:2]] = (*self._by_opening.get(word[:2], ()), word)
        self._single = frozenset(w for w in self.firsts if len(w) == 1)
        # for starts(): the first words found by the re module (faster at this than regex), where nothing
        # str.isalnum calls a letter or digit comes before (those are within the letters and digits of
        # \p{L}\p{N}, so no place that can start a match is left out)
        self._digits_are_letters = r"\p{N}" in letters
        # (the words as a tree of shared prefixes, which the re module, trying an alternation's branches one by
        # one, reads almost twice as fast as the flat list; the same longest word at each place)
        before = r"(?<![^\W_])" if self._digits_are_letters else ""
        self._scan = re.compile(before + alternation(self.firsts))

    def _first(self, word: str) -> str:
        m = self._run.match(fold_tones(word).casefold())  # the words as alternation spells them
        return m.group() if m else ""

    def starts(self, text: str) -> list[int] | None:
        """The places in ``text`` where no letter comes before (nor a digit, when digits are among the
        ``letters``) and the text, case folded, goes on with a first word, in order: every place a match
        can start, and a few more. None (any place) when case folding changes the length of the text."""
        folded = casefolded(text)
        if folded is None or "" in self.firsts:
            return None
        found = [m.start() for m in self._scan.finditer(folded)]
        if not self._digits_are_letters:  # a digit may come before a match: only a letter may not
            found = [at for at in found if not (at and folded[at - 1].isalpha())]
        return found

    def among(self, text: str, starts: Iterable[int]) -> list[int]:
        """Those of ``starts`` (in order) where a match can start: where the text, case folded, goes on
        with one of the first words (a start inside a word, after a letter, included)."""
        folded = casefolded(text)
        if folded is None or "" in self.firsts:
            return list(starts)
        by_opening, single, startswith = self._by_opening, self._single, folded.startswith
        found = []
        for at in starts:
            words = by_opening.get(folded[at:at + 2])
            if (words and startswith(words, at)) or (single and folded[at:at + 1] in single):
                found.append(at)
        return found


@lru_cache(maxsize=None)
def _words_pattern(letters: str) -> regex.Pattern:
    return regex.compile(rf"[{letters}]+")
