import pytest

from pipeline.text.numbers import parse_cardinal, parse_roman, parse_vn_number


@pytest.mark.parametrize("text, expected", [
    ("1.027", 1027),
    ("8.296", 8296),
    ("02", 2),
    ("01", 1),
    ("3000", 3000),
    ("7200", 7200),
    ("1.000.000", 1000000),
    ("8,296", 8296),
    ("13", 13),
    (" 107 ", 107),
])
def test_parse_vn_number(text, expected):
    assert parse_vn_number(text) == expected


@pytest.mark.parametrize("text", ["", "1.02", "abc", "12.5%", "1.0270", "-3"])
def test_parse_vn_number_rejects(text):
    with pytest.raises(ValueError):
        parse_vn_number(text)


@pytest.mark.parametrize("text, expected", [
    ("I", 1), ("II", 2), ("III", 3), ("IV", 4), ("V", 5), ("VIII", 8), ("IX", 9), ("XIII", 13), ("XIV", 14),
    ("xii", 12), ("XL", 40),
])
def test_parse_roman(text, expected):
    assert parse_roman(text) == expected


@pytest.mark.parametrize("text", ["", "IIII", "VV", "ABC", "IC"])
def test_parse_roman_rejects(text):
    with pytest.raises(ValueError):
        parse_roman(text)


@pytest.mark.parametrize("text, expected", [("8", 8), ("08", 8), ("III", 3), ("VIII", 8)])
def test_parse_cardinal(text, expected):
    assert parse_cardinal(text) == expected
