"""Detection of legacy Vietnamese encodings for text that is not UTF-8."""
from __future__ import annotations

import unicodedata

import regex

_VIETNAMESE_RE = regex.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]|[\u0300-\u0303\u0309\u0323]")


def _vietnamese_score(text: str) -> float:
    """Share of letters that carry Vietnamese diacritics: high for real Vietnamese text."""
    text = unicodedata.normalize("NFD", text)
    letters = sum(ch.isalpha() for ch in text)
    if not letters:
        return 0.0
    return len(_VIETNAMESE_RE.findall(text)) / letters


def decode_legacy(data: bytes) -> str | None:
    """Decode ``data`` as cp1258 when it reads as Vietnamese, else return None."""
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError:
        return None
    if _vietnamese_score(text) < 0.05:
        return None
    return unicodedata.normalize("NFC", text)


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Encode Vietnamese text as Windows-1258 writes it: vowel letters precomposed, tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in _TONE_MARKS)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)
