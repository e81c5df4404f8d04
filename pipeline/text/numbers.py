"""Vietnamese numbers: "1.027" is one thousand and twenty-seven, "02" is two, "III" is three."""
from __future__ import annotations

import regex

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RE = regex.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_GROUPED_RE = regex.compile(r"^\d{1,3}(?:[.,]\d{3})+$")


def parse_vn_number(text: str) -> int:
    """Parse an integer as Vietnamese press writes it.

    A dot or comma between groups of three digits is a thousands separator
    ("1.027" == 1027, "8,296" == 8296); leading zeros are ignored ("02" == 2).
    Raises ValueError for anything else.
    """
    s = text.strip().replace(" ", "")
    if _GROUPED_RE.match(s):
        return int(s.replace(".", "").replace(",", ""))
    if s.isdigit():
        return int(s)
    raise ValueError(f"not a Vietnamese integer: {text!r}")


def parse_roman(text: str) -> int:
    """Parse a Roman numeral ("VIII" == 8). Raises ValueError for anything else."""
    s = text.strip().upper()
    if not s or not _ROMAN_RE.match(s):
        raise ValueError(f"not a Roman numeral: {text!r}")
    total = 0
    for ch, nxt in zip(s, s[1:] + " "):
        value = _ROMAN[ch]
        total += -value if nxt != " " and _ROMAN[nxt] > value else value
    return total


def parse_cardinal(text: str) -> int:
    """Parse an Arabic or Roman number ("8", "08", "VIII")."""
    try:
        return parse_vn_number(text)
    except ValueError:
        return parse_roman(text)
