import pytest

from pipeline.text.normalize import DecodeError, canonical, decode_bytes, fold_tones, normalize_text


@pytest.mark.parametrize("text, expected", [
    ("Đại uý", "Đại úy"),
    ("Uỷ viên", "Ủy viên"),
    ("Hoà Bình", "Hòa Bình"),
    ("Thanh Hoá", "Thanh Hóa"),
    ("thuỷ", "thủy"),
    ("khuyên", "khuyên"),  # 'uy' inside a syllable is left alone
    ("Nguyễn", "Nguyễn"),
])
def test_fold_tones(text, expected):
    assert fold_tones(text) == expected
    assert len(fold_tones(text)) == len(text)


def test_normalize_text_nfc_crlf_bom_zero_width():
    nfd = "Nguye\u0302\u0303n"  # NFD
    raw = "\ufeffTrung tá Mai\u200b Thế Quang\r\n" + nfd
    assert normalize_text(raw) == "Trung tá Mai Thế Quang\nNguyễn"


def test_canonical_collapses_space():
    assert canonical("  Phó  Giám đốc\nCông an ") == "Phó Giám đốc Công an"


def test_decode_utf8_with_bom():
    assert decode_bytes("\ufeffCông an".encode("utf-8")) == "Công an"


def test_decode_cp1258():
    text = "Công an tỉnh Lạng Sơn tổ chức hội nghị tổng kết"
    from pipeline.text.legacy_encodings import encode_cp1258

    legacy = encode_cp1258(text)
    with pytest.raises(UnicodeDecodeError):
        legacy.decode("utf-8")
    assert canonical(decode_bytes(legacy)) == text


def test_decode_binary_is_an_error():
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(b"\x00\x01\x02PNG")
