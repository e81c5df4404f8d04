"""Text normalisation shared by every stage: decoding, NFC, and tone-mark folding.

The normalised text is the reference for every character offset the pipeline
writes, so anything that changes length happens here and only here.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

import regex

# Old-style tone placement ("uỷ", "hoà") and the modern one ("ủy", "hòa") are
# the same word. Both forms are two code points in NFC, so folding keeps every
# offset where it was.
_TONE_PAIRS = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_PAIRS.update({k[0].upper() + k[1]: v[0].upper() + v[1] for k, v in list(_TONE_PAIRS.items())})
_TONE_RE = regex.compile("(" + "|".join(_TONE_PAIRS) + r")(?!\p{L})")

# Characters that are invisible in print but break words apart when matching. (Classes of code points only:
# the re module reads them as regex does, and finds them several times faster in every document.)
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACE_LIKE_RE = re.compile("[\u00a0\u2007\u202f\u3000\t\x0b\x0c]")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# A JSON "\ud800" escape decodes to half a surrogate pair: not a character, and no file can hold it.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


class DecodeError(ValueError):
    """Raised when bytes cannot be turned into Vietnamese text; the message says why."""


def replace_surrogates(text: str) -> str:
    """``text`` with each unpaired surrogate (an undecodable file name, a JSON ``\\ud800``) as U+FFFD.

    The length stays the same, and the result can be written as UTF-8.
    """
    return _SURROGATE_RE.sub("\ufffd", text) if _SURROGATE_RE.search(text) else text


def repair_text(text: str) -> str:
    """``text``, or the Vietnamese it was before a wrong code page garbled it."""
    from pipeline.text.legacy_encodings import repair_mojibake

    repaired = repair_mojibake(text)
    return repaired[0] if repaired else text


def fold_tones(text: str) -> str:
    """Return ``text`` with old-style tone placement rewritten to the modern one.

    The result has exactly the length of ``text``.
    """
    return (_fold_short if len(text) <= _SHORT else _fold)(text)


def _fold(text: str) -> str:
    return _TONE_RE.sub(lambda m: _TONE_PAIRS[m.group(1)], text)


# A word or a name is asked for again and again: the folded and canonical forms of strings up to _SHORT
# characters are remembered (32768 of each kind: ~10 MB at most).
_SHORT = 48
_fold_short = lru_cache(maxsize=1 << 15)(_fold)


def normalize_text(text: str) -> str:
    """Normalise decoded text: NFC, LF line ends, no BOM, no invisible characters.

    Vietnamese that was decoded with the wrong code page ("CÃ´ng an", "C«ng an", "Coâng an")
    is read again the right way. An unpaired surrogate becomes U+FFFD, the replacement character.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = repair_text(text)
    text = _INVISIBLE_RE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACE_LIKE_RE.sub(" ", text)
    text = _CONTROL_RE.sub("", text)
    return replace_surrogates(text)


def canonical(text: str) -> str:
    """Fold tone marks and collapse white space: the form values are written in."""
    return (_canonical_short if len(text) <= _SHORT else _canonical)(text)


def _canonical(text: str) -> str:
    return " ".join(fold_tones(unicodedata.normalize("NFC", text)).split())


_canonical_short = lru_cache(maxsize=1 << 15)(_canonical)


def decode_bytes(data: bytes) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else a detected legacy encoding.

    Raises :class:`DecodeError` with a reason a person can act on.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(f"starts with a UTF-16 byte-order mark but is not valid UTF-16 ({exc.reason}"
                              f" at offset {exc.start}); re-save the file as UTF-8") from None
    if b"\x00" in data[:4096]:
        raise DecodeError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    from pipeline.text.legacy_encodings import decode_legacy

    text = decode_legacy(data)
    if text is None:
        raise DecodeError(
            f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start})"
            " and it does not read as Vietnamese in a legacy encoding (cp1258, TCVN3, VNI) either;"
            " re-save the file as UTF-8"
        )
    return text
