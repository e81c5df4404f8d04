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
    text's word is the first word of one of them.

    A word is a run of the characters of ``letters`` (letters and marks by default: the class the
    pattern's own word boundaries use). A match of "Phó Giám đốc" starts where the text's word is
    "phó", case folded; the few words that can start a match are a set, so the places to try a long
    alternation are found with one look-up per word of the text instead of the regex engine stepping
    through every character. ``glued`` are the words a pattern lets the next one follow with no space
    (``kind\s*place``: "tỉnhBình Định"): a text word that starts with one of them may start a match too.
    :meth:`starts` finds those words in a text; :meth:`among` keeps, of the places a stage asks about
    (its words' starts), those where the text goes on with a first word, a few more than can match.
    """

    def __init__(self, words: Iterable[str], letters: str = r"\p{L}\p{M}", glued: Iterable[str] = ()):
        self.letters = letters
        self._run = _words_pattern(letters)
        self.firsts = frozenset(self._first(w) for w in words)
        self.glued = tuple(sorted({self._first(w) for w in glued} - {""}))
        # for among(): the first words by their first two characters, and those of one character
        self._by_opening: dict[str, tuple[str, ...]] = {}
        for word in sorted(self.firsts | set(self.glued)):
            if len(word) > 1:
                self._by_opening[word[:2]] = (*self._by_opening.get(word[:2], ()), word)
        self._single = frozenset(w for w in self.firsts | set(self.glued) if len(w) == 1)

    def _first(self, word: str) -> str:
        m = self._run.match(fold_tones(word).casefold())  # the words as alternation spells them
        return m.group() if m else ""

    def _can_start(self, word: str) -> bool:
        return word in self.firsts or (bool(self.glued) and word.startswith(self.glued))

    def starts(self, text: str) -> list[int] | None:
        """Every place in ``text`` a word starts (no letter before it) that can start a match, in order;
        None (any place) when case folding changes the length of the text."""
        folded = casefolded(text)
        if folded is None:
            return None
        return [at for at, word in text_words(folded, self.letters).items() if self._can_start(word)]

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

@lru_cache(maxsize=2)
def text_words(folded: str, letters: str) -> dict[int, str]:
    """Each word of ``folded`` (a run of ``letters``) by where it starts, once for the patterns that ask."""
    return {m.start(): m.group() for m in _words_pattern(letters).finditer(folded)}


@lru_cache(maxsize=None)
def _words_pattern(letters: str) -> regex.Pattern:
    return regex.compile(rf"[{letters}]+")
