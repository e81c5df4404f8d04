"""What a Vietnamese syllable is: an onset, then a rhyme (a vowel nucleus and a coda), one tone at most.

Used to tell Vietnamese text from mojibake (``legacy_encodings``) and a foreign name from a
Vietnamese one ("Park Hang-seo", "Simon McMenemy").
"""
from __future__ import annotations

import unicodedata

import regex

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
_ONSETS = "ngh ng gh gi kh nh ph qu th tr ch b c d đ g h k l m n p r s t v x".split()
_NUCLEI = ("a ă â e ê i o ô ơ u ư y ia iê ya yê ua uô ưa ươ oa oă oe uâ uê uy uyê uya uơ oo").split()
_CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "y", "o", "u"]
_SYLLABLE_RE = regex.compile(
    "(?:" + "|".join(sorted(_ONSETS, key=len, reverse=True)) + ")?"
    + "(?:" + "|".join(sorted(_NUCLEI, key=len, reverse=True)) + ")"
    + "(?:" + "|".join(sorted(_CODAS, key=len, reverse=True)) + ")"
)


def is_syllable(word: str) -> bool:
    """Whether ``word`` is one Vietnamese syllable ("Quang", "nghiêng"; not "Park", "Trump")."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(decomposed.count(mark) for mark in TONE_MARKS) > 1:
        return False
    toneless = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
    return _SYLLABLE_RE.fullmatch(toneless) is not None


def is_foreign_word(word: str) -> bool:
    """A capitalised word no Vietnamese name is made of: hyphen-joined ("Hang-seo") or not a
    syllable ("Trump", "McMenemy"); an abbreviation in capitals ("UBND") is not one."""
    if (word.isupper() and len(word) > 1) or "." in word:
        return False  # an abbreviation: "UBND", "TP.Thủ"
    return any(not is_syllable(part) for part in word.replace("’", "'").split("-") if part) or "-" in word
