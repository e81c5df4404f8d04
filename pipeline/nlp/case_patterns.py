"""Case-insensitive patterns written out as case-sensitive ones: the same matches, three times faster.

The ``regex`` module compares every character of a ``(?i)`` pattern through its case
folding, which makes a long word list under ``(?i)`` about three times slower to scan
than the same list matched exactly. :func:`without_ignore_case` rewrites a pattern
that opens with ``(?i)``: each letter becomes the class of the characters ``(?i)`` lets
it match (``B`` → ``[Bb]``, ``k`` → ``[Kk\u212a]``), found by asking ``regex`` itself,
and the flag is dropped. A pattern holding anything whose meaning under ``(?i)`` is not
so plain (a case property such as ``\\p{Lu}``, a range, a back reference, another inline
flag) is left as it is (None). ``tests/test_case_patterns.py`` checks that every
rewritten pattern of the pipeline finds what the original finds.
"""
from __future__ import annotations

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
    if not pattern.startswith("(?i)") or regex.search(r"\(\?[a-zA-Z-]*[:)]", pattern[4:].replace("(?:", "")):
        return None
    out, i, body = [], 0, pattern[4:]
    try:
        while i < len(body):
            piece, i = _next_piece(body, i)
            out.append(piece)
    except _Unsafe:
        return None
    return "".join(out)


def _next_piece(body: str, i: int) -> tuple[str, int]:
    """The rewritten piece of the pattern at ``i``, and where the next one starts."""
    char = body[i]
    if char == "\\":
        return _escape(body, i)
    if char == "[":
        return _char_class(body, i)
    if char == "(":
        opening = next((o for o in _GROUP_OPENINGS if body.startswith(o, i)), None)
        named = _NAMED_GROUP.match(body, i)
        if opening or named:
            text = opening or named.group()
            return text, i + len(text)
        if body.startswith("(?", i):
            raise _Unsafe(body[i:i + 4])
        return char, i + 1
    if char == "{":
        quantifier = _QUANTIFIER.match(body, i)
        if quantifier:
            return quantifier.group(), quantifier.end()
    return _letter_class(char), i + 1


_META = set(".^$|()*+?{}[]\\")


def _escape(body: str, i: int) -> tuple[str, int]:
    """An escape: a property, a class shorthand or an escaped sign, as it is; a letter escape is unsafe."""
    if i + 1 >= len(body):
        raise _Unsafe("\\")
    char = body[i + 1]
    if char in "pP":
        end = body.find("}", i)
        if body[i + 2:i + 3] != "{" or end < 0 or body[i + 3:end] not in _SAFE_PROPERTIES:
            raise _Unsafe(body[i:end + 1])
        return body[i:end + 1], end + 1
    if char.isalnum() and char not in _SAFE_ESCAPES:
        raise _Unsafe(body[i:i + 2])  # \x41, \N{...}, \1, \g<...>: what they stand for is not read here
    return body[i:i + 2], i + 2


def _char_class(body: str, i: int) -> tuple[str, int]:
    """``[...]`` with each letter's case variants added; a range or a nested set is unsafe."""
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
            if not _caseless_range(body[j - 1], body[j + 1]):
                raise _Unsafe(body[i:j + 2])  # "[a-z]": (?i) makes it take "A-Z" too
            out.append(body[j:j + 2])
            j += 2
        elif body[j] == "\\":
            piece, j = _escape(body, j)
            out.append(piece)
        else:
            out.append(_variants(body[j]))
            j += 1
        first = False
    if j >= len(body):
        raise _Unsafe(body[i:])
    out.append("]")
    return "".join(out), j + 1


def _caseless_range(first: str, last: str) -> bool:
    """Whether no character from ``first`` to ``last`` has a case variant ("0-9": none has)."""
    return ord(last) - ord(first) < 2000 and all(_case_variants(chr(c)) == (chr(c),)
                                                 for c in range(ord(first), ord(last) + 1))


def _letter_class(char: str) -> str:
    """A character outside a class: itself, or the class of its case variants."""
    if char in _META:
        return char
    variants = _case_variants(char)
    return char if variants == (char,) else "[" + "".join(regex.escape(v) for v in variants) + "]"


def _variants(char: str) -> str:
    """A character inside a class: itself, or its case variants."""
    variants = _case_variants(char)
    return char if variants == (char,) else "".join(regex.escape(v) for v in variants)


@lru_cache(maxsize=None)
def _case_variants(char: str) -> tuple[str, ...]:
    """Every character ``(?i)`` lets ``char`` match, itself included, as ``regex`` decides."""
    if char == char.lower() == char.upper() == char.casefold() and not char.isalpha():
        return (char,)
    found = regex.findall("(?i)" + regex.escape(char, special_only=False), _cased_characters())
    return tuple(sorted(set(found) | {char}))


@lru_cache(maxsize=1)
def _cased_characters() -> str:
    """The characters a case-insensitive match can involve: the cased letters as ``regex`` knows them, and
    every character with a case mapping (circled letters, Roman numerals, combining ypogegrammeni)."""
    every = "".join(chr(c) for c in range(_LAST_CASED) if not 0xD800 <= c < 0xE000)
    mapped = (c for c in every if c.lower() != c or c.upper() != c or c.casefold() != c)
    return "".join(sorted(set(regex.findall(r"(?i)[\p{Lu}\p{Ll}\p{Lt}]", every)) | set(mapped)))
