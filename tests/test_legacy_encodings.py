"""Legacy Vietnamese encodings: cp1258, TCVN3 and VNI are recognised and converted; others refused."""
from pathlib import Path

import pytest

from pipeline.text.legacy_encodings import detect_legacy, encode_cp1258
from pipeline.text.normalize import DecodeError, decode_bytes

# How these encodings look when a Western code page reads them: the mojibake every
# Vietnamese archivist knows, typed here from that knowledge, not produced by our code.
TCVN3_AS_LATIN1 = "C«ng an tØnh tæ chøc héi nghÞ tæng kÕt phong trµo thi ®ua n¨m 2020. §ång chÝ ViÖt, Hµ Néi"
VNI_AS_CP1252 = ("Coâng an tænh toå chöùc hoäi nghò toång keát phong traøo thi ñua naêm 2020. "
                 "Ñoàng chí Vieät, Haø Noäi; Thuû töôùng trao Baèng khen ñaëc bieät")
UNICODE_TCVN3 = "Công an tỉnh tổ chức hội nghị tổng kết phong trào thi đua năm 2020. Đồng chí Việt, Hà Nội"
UNICODE_VNI = ("Công an tỉnh tổ chức hội nghị tổng kết phong trào thi đua năm 2020. "
               "Đồng chí Việt, Hà Nội; Thủ tướng trao Bằng khen đặc biệt")


def test_tcvn3_is_recognised_and_converted():
    data = TCVN3_AS_LATIN1.encode("latin-1")
    assert detect_legacy(data).encoding == "TCVN3"
    assert decode_bytes(data) == UNICODE_TCVN3


def test_vni_is_recognised_and_converted():
    data = VNI_AS_CP1252.encode("cp1252")
    assert detect_legacy(data).encoding == "VNI"
    assert decode_bytes(data) == UNICODE_VNI


@pytest.mark.parametrize("vni, expected", [
    ("VIEÄT NAM", "VIỆT NAM"),
    ("ÑAÛNG", "ĐẢNG"),
    ("AÊ", "Ă"),
    ("thaéng lôïi", "thắng lợi"),
    ("Thöôïng taù", "Thượng tá"),
    ("Nguyeãn", "Nguyễn"),
    ("tyû leä", "tỷ lệ"),
])
def test_vni_letters(vni, expected):
    from pipeline.text.legacy_encodings import decode_vni

    assert decode_vni(vni.encode("cp1252")) == expected


def test_cp1258_is_recognised():
    text = "Công an tỉnh Lạng Sơn tổ chức hội nghị tổng kết phong trào thi đua"
    assert detect_legacy(encode_cp1258(text)).encoding == "cp1258"


def test_a_whole_article_in_tcvn3_reads_back():
    """Every lowercase letter of a real article survives TCVN3 (its fonts carry case, not its bytes)."""
    from pipeline.text.legacy_encodings import _TCVN3_HIGH

    inverse = {char: bytes([byte]) for byte, char in _TCVN3_HIGH.items()}
    text = (Path(__file__).parent.parent / "corpus" / "dev" / "000_a16c13a7aae6f99c.txt").read_text(encoding="utf-8").lower()
    data = b"".join(inverse.get(ch) or ch.encode("latin-1", errors="replace") for ch in text)
    decoded = decode_bytes(data)
    assert decoded.count("công an") == text.count("công an") > 0
    assert decoded.count("thi đua") == text.count("thi đua") > 0


@pytest.mark.parametrize("data", [
    "The café owner said the naïve plan was déjà vu all over again".encode("cp1252"),
    "Größere Straßen führen über die Brücke".encode("latin-1"),
    bytes(range(128, 256)) * 4,
])
def test_text_that_is_not_vietnamese_is_refused_by_name(data):
    with pytest.raises(DecodeError, match=r"not valid UTF-8 .*cp1258, TCVN3, VNI.*re-save the file as UTF-8"):
        decode_bytes(data)


def test_broken_utf16_is_a_decode_error():
    with pytest.raises(DecodeError, match="UTF-16"):
        decode_bytes(b"\xff\xfeC\x00\xf4")


GOOD = ("Công an tỉnh Lạng Sơn tổ chức hội nghị tổng kết phong trào thi đua năm 2020. "
        "Đại tá Mai Thế Quang, Phó Giám đốc Công an tỉnh chủ trì hội nghị.")


@pytest.mark.parametrize("garbled, what", [
    (GOOD.encode("utf-8").decode("latin-1"), "UTF-8 read as Windows-1252"),
    ("C«ng an tØnh L¹ng S¬n tæ chøc héi nghÞ tæng kÕt phong trµo thi ®ua n¨m 2020.", "TCVN3 read as Windows-1252"),
    ("Coâng an tænh Laïng Sôn toå chöùc hoäi nghò toång keát phong traøo thi ñua naêm 2020.",
     "VNI read as Windows-1252"),
])
def test_text_garbled_by_a_wrong_code_page_is_repaired(garbled, what):
    from pipeline.text.legacy_encodings import repair_mojibake
    from pipeline.text.normalize import normalize_text

    repaired, found = repair_mojibake(garbled)
    assert found == what
    assert repaired.startswith("Công an tỉnh L") and "phong trào thi đua năm 2020" in repaired
    assert normalize_text(garbled) == normalize_text(repaired)


def test_a_lost_byte_of_the_d_with_stroke_is_put_back():
    """Windows-1252 has no character for 0x90, the second byte of "Đ": a decoder left U+FFFD."""
    from pipeline.text.legacy_encodings import repair_mojibake

    garbled = GOOD.encode("utf-8").decode("cp1252", errors="replace")
    assert "\ufffd" in garbled
    assert repair_mojibake(garbled)[0] == GOOD


@pytest.mark.parametrize("text", [
    GOOD,
    "Café crème brûlée — déjà vu, naïve façade, the «best» in Zürich for €5™",
    "Chỉ số CPI tăng 3,5% — theo Tổng cục Thống kê; giá vàng ở mức 7.200.000 đồng/chỉ.",
])
def test_text_that_is_fine_is_left_alone(text):
    from pipeline.text.legacy_encodings import repair_mojibake

    assert repair_mojibake(text) is None
