"""Case-insensitive patterns written out as case-sensitive ones: the same matches, three times faster.

The ``regex`` module compares every character of a ``(?i)`` pattern through its case
folding, which makes a long word list under ``(?i)`` about three times slower to scan
than the same list matched exactly. :func:`without_ignore_case` rewrites a pattern
that opens with ``(?i)``: each letter becomes the class of the characters ``(?i)`` lets
it match (``B`` → ``[Bb]``, ``k`` → ``[Kk\u212a]``), found by asking ``regex`` itself,
and the flag is dropped; inside a ``(?-i:...)`` group letters stay as written. A pattern
holding anything whose meaning under ``(?i)`` is not so plain (where case is ignored: a
case property such as ``\\p{Lu}``, a range of letters; anywhere: a back reference, another
inline flag) is left as it is (None). ``tests/test_case_patterns.py`` checks that every
rewritten pattern of the pipeline finds what the original finds.
"""
from __future__ import annotations

import sys
from functools import lru_cache

import regex

VERSION = 1  # part of the compiled patterns' cache name: a change to the rewriting compiles them afresh
_SAFE_PROPERTIES = {"L", "M", "N", "Nd", "P", "S", "Z"}  # the same characters with and without (?i)
_SAFE_ESCAPES = set("dDsSwWbBAZnrtfv")
_LAST_CASED = 0x1F200  # no character from here on has a case (CJK, symbols, tags, private use)
_QUANTIFIER = regex.compile(r"\{\d*(?:,\d*)?\}")
_GROUP_OPENINGS = ("(?:", "(?=", "(?!", "(?<=", "(?<!", "(?>")
_NAMED_GROUP = regex.compile(r"\(\?P<\w+>")
_SET_OPERATORS = ("&&", "||", "--", "~~", "[:")


class _Unsafe(Exception):
    """The pattern holds something whose meaning under (?i) this rewriting does not keep."""


def without_ignore_case(pattern: str) -> str | None:
    """``pattern`` (which opens with ``(?i)``) as a case-sensitive pattern matching the same, or None."""
    flags = _FLAG_GROUP.findall(pattern[4:])
    if not pattern.startswith("(?i)") or any((letters, end) not in _SCOPED for letters, end in flags):
        return None
    try:
        return _Rewriter(pattern[4:]).run()
    except _Unsafe:
        return None


_FLAG_GROUP = regex.compile(r"\(\?([a-zA-Z-]+)([:)])")  # "(?i)", "(?-i:", "(?x)"; not "(?:", "(?P<"
_SCOPED = {("i", ":"), ("-i", ":")}  # case turned on or off for a group: kept track of


class _Rewriter:
    """Walks a pattern piece by piece, knowing whether case is ignored where it is (``(?-i:...)`` turns it
    off for a group, ``(?i:...)`` on)."""

    def __init__(self, body: str):
        self.body, self.i = body, 0
        self.ignoring = [True]  # one entry per open group

    def run(self) -> str:
        out = []
        while self.i < len(self.body):
            out.append(self._piece())
        if len(self.ignoring) != 1:
            raise _Unsafe("unbalanced parentheses")
        return "".join(out)

    def _piece(self) -> str:
        body, i, ignoring = self.body, self.i, self.ignoring[-1]
        char = body[i]
        if char == "\\":
            piece, self.i = _escape(body, i, ignoring)
        elif char == "[":
            piece, self.i = _char_class(body, i, ignoring)
        elif char == "(":
            piece = self._group(body, i)
        elif char == ")":
            if len(self.ignoring) == 1:
                raise _Unsafe("unbalanced parentheses")
            self.ignoring.pop()
            piece, self.i = char, i + 1
        elif char == "{" and _QUANTIFIER.match(body, i):
            piece = _QUANTIFIER.match(body, i).group()
            self.i = i + len(piece)
        else:
            piece, self.i = (_letter_class(char) if ignoring else char), i + 1
        return piece

    def _group(self, body: str, i: int) -> str:
        for scoped, ignoring in (("(?i:", True), ("(?-i:", False)):
            if body.startswith(scoped, i):
                self.ignoring.append(ignoring)
                self.i = i + len(scoped)
                return "(?:"
        opening = next((o for o in _GROUP_OPENINGS if body.startswith(o, i)), None)
        named = _NAMED_GROUP.match(body, i)
        text = opening or (named.group() if named else None)
        if text is None and body.startswith("(?", i):
            raise _Unsafe(body[i:i + 4])
        text = text or "("
        self.ignoring.append(self.ignoring[-1])
        self.i = i + len(text)
        return text


_META = set(".^$|()*+?{}[]\\")


def _escape(body: str, i: int, ignoring: bool = True) -> tuple[str, int]:
    """An escape: a property, a class shorthand or an escaped sign, as it is; a letter escape is unsafe
    (and a case property where case is ignored)."""
    if i + 1 >= len(body):
        raise _Unsafe("\\")
    char = body[i + 1]
    if char in "pP":
        end = body.find("}", i)
        if body[i + 2:i + 3] != "{" or end < 0 or (ignoring and body[i + 3:end] not in _SAFE_PROPERTIES):
            raise _Unsafe(body[i:end + 1])
        return body[i:end + 1], end + 1
    if char.isalnum() and char not in _SAFE_ESCAPES:
        raise _Unsafe(body[i:i + 2])  # \x41, \N{...}, \1, \g<...>: what they stand for is not read here
    return body[i:i + 2], i + 2


def _char_class(body: str, i: int, ignoring: bool = True) -> tuple[str, int]:
    """``[...]`` with each letter's case variants added where case is ignored; a nested set, or a range of
    letters where case is ignored, is unsafe."""
    j = i + 1
    out = ["["]
    if body[j:j + 1] == "^":
        out.append("^")
        j += 1
    first = True
    while j < len(body) and (body[j] != "]" or first):
        if body.startswith(_SET_OPERATORS, j) or body[j] == "[":
            raise _Unsafe(body[i:j + 2])
        if body[j] == "-" and not first and body[j + 1:j + 2] != "]":
            if ignoring and not _caseless_range(body[j - 1], body[j + 1]):
                raise _Unsafe(body[i:j + 2])  # "[a-z]": (?i) makes it take "A-Z" too
            out.append(body[j:j + 2])
            j += 2
        elif body[j] == "\\":
            piece, j = _escape(body, j, ignoring)
            out.append(piece)
        else:
            out.append(_variants(body[j]) if ignoring else body[j])
            j += 1
        first = False
    if j >= len(body):
        raise _Unsafe(body[i:])
    out.append("]")
    return "".join(out), j + 1


def _caseless_range(first: str, last: str) -> bool:
    """Whether no character from ``first`` to ``last`` has a case variant ("0-9": none has)."""
    return ord(last) - ord(first) < 2000 and all(case_variants(chr(c)) == (chr(c),)
                                                 for c in range(ord(first), ord(last) + 1))


def _letter_class(char: str) -> str:
    """A character outside a class: itself, or the class of its case variants."""
    if char in _META:
        return char
    variants = case_variants(char)
    return char if variants == (char,) else "[" + "".join(regex.escape(v) for v in variants) + "]"


def _variants(char: str) -> str:
    """A character inside a class: itself, or its case variants."""
    variants = case_variants(char)
    return char if variants == (char,) else "".join(regex.escape(v) for v in variants)


@lru_cache(maxsize=None)
def case_variants(char: str) -> tuple[str, ...]:
    """Every character ``(?i)`` lets ``char`` match, itself included, as ``regex`` decides."""
    if char == char.lower() == char.upper() == char.casefold() and not char.isalpha():
        return (char,)
    found = regex.findall("(?i)" + regex.escape(char, special_only=False), _cased_characters())
    return tuple(sorted(set(found) | {char}))


@lru_cache(maxsize=1)
def _cased_characters() -> str:
    """The characters a case-insensitive match can involve: the cased letters as ``regex`` knows them, and
    every character with a case mapping (circled letters, Roman numerals, combining ypogegrammeni).
    Found once per ``regex`` and Python version, then read from the disk cache."""
    from pipeline.nlp.model_cache import cached

    return cached("cased-characters", (regex.__version__, sys.version_info[:2]), _find_cased_characters)


def _find_cased_characters() -> str:
    every = "".join(chr(c) for c in range(_LAST_CASED) if not 0xD800 <= c < 0xE000)
    mapped = (c for c in every if c.lower() != c or c.upper() != c or c.casefold() != c)
    return "".join(sorted(set(regex.findall(r"(?i)[\p{Lu}\p{Ll}\p{Lt}]", every)) | set(mapped)))
