"""Vietnamese text in the encodings that came before Unicode: detect, convert, or say which.

Three legacy encodings still turn up in old archives:

* **Windows-1258** (cp1258): vowel letters precomposed, tone marks as combining characters.
* **TCVN3** (TCVN 5712:1993 VN3, the ".Vn" / ABC fonts): one byte per toned lowercase letter;
  read as Latin-1 it is the familiar "C«ng an tØnh", "®ång chÝ".
* **VNI** (VNI-Windows fonts): a base letter followed by one byte for the diacritics;
  read as Windows-1252 it is "Coâng an tænh", "Vieät Nam".

Nothing in the bytes says which one a file uses, so each is tried and the one whose
words are real Vietnamese syllables wins. The caller gets Unicode text, or a reason.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

from pipeline.text.syllables import TONE_MARKS as _TONE_MARKS
from pipeline.text.syllables import is_syllable


# --- TCVN3 -------------------------------------------------------------------
_TCVN3_HIGH = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
_TCVN3_TABLE = {byte: _TCVN3_HIGH.get(byte, chr(byte)) for byte in range(256)}


def decode_tcvn3(data: bytes) -> str:
    """Decode TCVN3 bytes; bytes outside its Vietnamese letters read as Latin-1."""
    return "".join(_TCVN3_TABLE[byte] for byte in data)


# --- VNI ---------------------------------------------------------------------
# VNI writes a base letter, then one byte (read here as its Windows-1252 character)
# for the vowel mark and tone together. Which mark a byte means depends on the base:
# after a/e/o the "â" series adds a circumflex, after a the "ê" series adds a breve.
_TONE_BY = {"": "", "huyền": "\u0300", "sắc": "\u0301", "hỏi": "\u0309", "ngã": "\u0303", "nặng": "\u0323"}
_PLAIN = {"ù": "sắc", "ø": "huyền", "û": "hỏi", "õ": "ngã", "ï": "nặng"}
_CIRCUMFLEX = {"â": "", "á": "sắc", "à": "huyền", "å": "hỏi", "ã": "ngã", "ä": "nặng"}
_BREVE = {"ê": "", "é": "sắc", "è": "huyền", "ú": "hỏi", "ü": "ngã", "ë": "nặng"}
_VNI_LETTERS = {  # bytes that are whole letters on their own
    "ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
    "Ô": "Ơ", "Ö": "Ư", "Ñ": "Đ", "Í": "Í", "Ì": "Ì", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ",
}


def _vni_marks(table: dict[str, str]) -> dict[str, str]:
    return {**table, **{k.upper(): v for k, v in table.items()}}


_PLAIN_ANY = _vni_marks(_PLAIN)
_CIRCUMFLEX_ANY = _vni_marks(_CIRCUMFLEX)
_BREVE_ANY = _vni_marks(_BREVE)


def _compose(base: str, mark: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + mark + _TONE_BY[tone])


def decode_vni(data: bytes) -> str:
    """Decode VNI-Windows bytes to Unicode text."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        text = data.decode("latin-1")
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        base = ch if ch not in _VNI_LETTERS else _VNI_LETTERS[ch]
        lower = base.lower()
        if lower in "aeo" and nxt in _CIRCUMFLEX_ANY:
            out.append(_compose(base, "\u0302", _CIRCUMFLEX_ANY[nxt]))
            i += 2
        elif lower == "a" and nxt in _BREVE_ANY:
            out.append(_compose(base, "\u0306", _BREVE_ANY[nxt]))
            i += 2
        elif lower in "aeouyơư" and nxt in _PLAIN_ANY:
            out.append(_compose(base, "", _PLAIN_ANY[nxt]))
            i += 2
        else:
            out.append(base)
            i += 1
    return "".join(out)


# --- Windows-1258 ------------------------------------------------------------
def decode_cp1258(data: bytes) -> str | None:
    try:
        return unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None


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


# --- Which one is it? ----------------------------------------------------------
_WORD_RE = regex.compile(r"\S+")
_EDGE_PUNCT = "\"'“”‘’()[]{}.,;:!?-–—…/«»*"
_VIETNAMESE_MARK_RE = regex.compile(r"[ăâđêôơư\u0300\u0301\u0303\u0309\u0323]")


@dataclass(frozen=True)
class Reading:
    """One way of decoding some bytes, and how Vietnamese it reads."""

    encoding: str
    text: str
    syllables: float  # share of words that are Vietnamese syllables
    marked: float  # share of words that carry a Vietnamese letter or tone


def read_as(encoding: str, text: str) -> Reading:
    """How well ``text``, decoded as ``encoding``, reads as Vietnamese."""
    words = [w.strip(_EDGE_PUNCT) for w in _WORD_RE.findall(text)]
    words = [w for w in words if w and not w.isdigit()]
    if not words:
        return Reading(encoding, text, 0.0, 0.0)
    nfd = [unicodedata.normalize("NFD", w.lower()) for w in words]
    syllables = sum(is_syllable(w) for w in words) / len(words)
    marked = sum(_VIETNAMESE_MARK_RE.search(w) is not None for w in nfd) / len(words)
    return Reading(encoding, text, syllables, marked)


ENCODINGS = {"cp1258": decode_cp1258, "TCVN3": decode_tcvn3, "VNI": decode_vni}
MIN_SYLLABLES = 0.8  # real Vietnamese prose scores above 0.9; mojibake and other languages far below
MIN_MARKED = 0.15  # most Vietnamese words carry a diacritic; English in Latin-1 does not


def detect_legacy(data: bytes, sample_bytes: int = 65536) -> Reading | None:
    """The legacy encoding under which ``data`` reads best as Vietnamese, or None.

    Only the first ``sample_bytes`` are weighed; the text returned is the whole of ``data``.
    """
    sample = data[:sample_bytes]
    readings = []
    for name, decode in ENCODINGS.items():
        text = decode(sample)
        if text is not None:
            readings.append(read_as(name, text))
    best = max(readings, key=lambda r: (r.syllables, r.marked), default=None)
    if best is None or best.syllables < MIN_SYLLABLES or best.marked < MIN_MARKED:
        return None
    text = ENCODINGS[best.encoding](data) if len(data) > sample_bytes else best.text
    if text is None:  # a byte past the sample that the encoding does not define
        return None
    return Reading(best.encoding, text, best.syllables, best.marked)


def decode_legacy(data: bytes) -> str | None:
    """Unicode (NFC) text of ``data`` in whichever legacy encoding fits, or None when none does."""
    reading = detect_legacy(data)
    return None if reading is None else unicodedata.normalize("NFC", reading.text)


# --- Text decoded with the wrong code page ----------------------------------------------------
# "CÃ´ng an tá»‰nh" (UTF-8 read as Windows-1252), "C«ng an tØnh" (TCVN3 read as Latin-1),
# "Coâng an tænh" (VNI read as Windows-1252): what scraped archives often hold, already as Unicode.
# Characters of Windows-1252 that Vietnamese text has no use for (not its quotes and dashes).
# A class of code points only: the re module reads it as regex does, and scans for it ten times faster (every
# document is checked).
_SUSPECT_RE = re.compile(r"[\u0080-\u009f\u00a1-\u00bf\u00c4-\u00c7\u00cb\u00ce-\u00d1\u00d6-\u00d8"
                         r"\u00db\u00dc\u00de\u00df\u00e4-\u00e7\u00eb\u00ee-\u00f1\u00f6-\u00f8\u00fb\u00fc\u00fe\u00ff"
                         r"\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2020\u2021\u2030\u2039"
                         r"\u203a\u20ac\u2122]")
_LETTER_RE = regex.compile(r"\p{L}")


_CP1252_GAPS = (0x90, 0x81, 0x8D, 0x8F, 0x9D)  # bytes Windows-1252 has no character for


def _as_bytes(text: str) -> bytes | None:
    """The bytes a Western code page would have shown as ``text`` (cp1252, its gaps as Latin-1).

    A U+FFFD stands for one of the five bytes cp1252 leaves undefined (the "Đ" of "Ä\ufffd"
    was C4 90): the one that completes a UTF-8 letter is put back.
    """
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1252")
        except UnicodeEncodeError:
            if ch == "\ufffd":
                out.append(_lost_byte(out))
            elif ord(ch) > 0xFF:
                return None
            else:
                out.append(ord(ch))
    return bytes(out)


def _vietnamese_letters() -> set[str]:
    letters = {"đ", "Đ"}
    for base in "aăâeêioôơuưy":
        for tone in ("", *_TONE_MARKS):
            char = unicodedata.normalize("NFC", base + tone)
            letters.update({char, char.upper()})
    return letters


_VIETNAMESE_LETTERS = _vietnamese_letters()


def _lost_byte(before: bytearray) -> int:
    """The undefined cp1252 byte that completes a Vietnamese letter here, in the case of its neighbour."""
    found = []
    for lead in (1, 2):  # the byte ends a 2- or 3-byte UTF-8 sequence
        if len(before) < lead:
            continue
        for byte in _CP1252_GAPS:
            try:
                char = bytes(before[-lead:] + bytes([byte])).decode("utf-8")
            except UnicodeDecodeError:
                continue
            if char in _VIETNAMESE_LETTERS:
                found.append((byte, char, lead))
    if not found:
        return 0x81
    for byte, char, lead in found:
        prev = before[-lead - 1:-lead] if len(before) > lead else b""
        lower_context = prev.isalpha() and prev.islower()
        if char.islower() == lower_context:
            return byte
    return found[0][0]


def repair_mojibake(text: str) -> tuple[str, str] | None:
    """(repaired text, what it was) when ``text`` is Vietnamese decoded with the wrong code page, else None."""
    sample = text[:20000]
    suspects = len(_SUSPECT_RE.findall(sample))
    if suspects < 3 or suspects / (len(_LETTER_RE.findall(sample)) or 1) < 0.01:
        return None
    original = read_as("text", text[:20000])
    if original.syllables >= MIN_SYLLABLES:
        return None
    data = _as_bytes(text)
    if data is None:
        return None
    candidates = []
    try:
        candidates.append(("UTF-8 read as Windows-1252",
                           unicodedata.normalize("NFC", data.decode("utf-8", errors="replace"))))
    except UnicodeDecodeError:  # pragma: no cover - errors="replace" does not raise
        pass
    legacy = detect_legacy(data)
    if legacy is not None:
        candidates.append((f"{legacy.encoding} read as Windows-1252", unicodedata.normalize("NFC", legacy.text)))
    best = None
    for what, fixed in candidates:
        reading = read_as(what, fixed[:20000])
        if reading.syllables >= MIN_SYLLABLES and reading.syllables > original.syllables + 0.2:
            if best is None or reading.syllables > best[2]:
                best = (fixed, what, reading.syllables)
    return (best[0], best[1]) if best else None
