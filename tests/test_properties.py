"""Property-based tests: for any text the pipeline never raises, offsets hold, values are valid.

Examples mix arbitrary Unicode with fragments of the genre (ranks, names, dates,
counts, titles) so the extractors fire on strange neighbours, not only on noise.
"""
from __future__ import annotations

import calendar
import datetime
import unicodedata

import pytest
import regex
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipeline.text.numbers import parse_cardinal, parse_roman, parse_vn_number
from pipeline.io.documents import Document
from pipeline.text.normalize import canonical, fold_tones, normalize_text

FRAGMENTS = [
    "Chiều 30-11", "Sáng 2/12/2023", "ngày 26 - 27/12", "19/8/1945-19/8/2025", "năm 2020", "giai đoạn 2015-2020",
    "17:25 06/12/2020", "Thứ hai, 28/11/2022", "tháng 11/2024", "29/2", "31/4/2021", "99/99/9999", "6/8 đơn vị",
    "Đại tá", "Thượng tá Mai Thế Quang", "Trung tướng", "đồng chí Nguyễn Văn A", "ông Lê Văn Bình", "Bộ trưởng Tô Lâm",
    "Phó Giám đốc Công an tỉnh", "Chủ tịch UBND tỉnh", "Cụm thi đua số III", "Khối ANND", "gồm Công an 5 tỉnh:",
    "Cờ thi đua của Bộ Công an", "Huân chương Bảo vệ Tổ quốc hạng Ba", "Bằng khen", "danh hiệu Chiến sĩ thi đua",
    "178 lượt tập thể", "2 tập thể và 4 cá nhân", "1.027", "02 lần", "50%", "(", ")", ":", ",", ".", "\n", "\n\n",
    " ", "“", "”", "Ảnh: Hồng Nhung", "Tin, ảnh:", "|", "-", "/", "số 12/QĐ-BCA",
]
pieces = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12))
texts = st.lists(pieces, max_size=40).map(lambda parts: " ".join(parts))

DAY = r"(?:\d{4}-\d{2}-\d{2}|--\d{2}-\d{2})"
VALUE_RE = regex.compile(rf"\d{{4}}|\d{{4}}/\d{{4}}|\d{{4}}-\d{{2}}|--\d{{2}}|{DAY}(?:T\d{{2}}:\d{{2}}(?::\d{{2}})?)?|{DAY}/{DAY}")


def valid_date_value(value: str) -> bool:
    """Whether ``value`` is one of the contract's ISO forms and names real calendar days and times."""
    if not VALUE_RE.fullmatch(value):
        return False
    for day in regex.findall(DAY, value):
        year, month, dd = day.rsplit("-", 2) if not day.startswith("--") else ("2000", *day[2:].split("-"))
        if not (1 <= int(month) <= 12 and 1 <= int(dd) <= calendar.monthrange(int(year), int(month))[1]):
            return False
    if "T" in value:
        hour, minute = value.split("T")[1].split(":")[:2]
        if not (int(hour) < 24 and int(minute) < 60):
            return False
    for month in regex.findall(r"(?<=^\d{4}-|^--)(\d{2})$", value):
        if not 1 <= int(month) <= 12:
            return False
    if regex.fullmatch(r"\d{4}/\d{4}", value):
        start, end = value.split("/")
        return start <= end
    if regex.fullmatch(rf"\d{{4}}-\d{{2}}-\d{{2}}/\d{{4}}-\d{{2}}-\d{{2}}", value):
        start, end = value.split("/")
        return start <= end
    return True


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
@example("")
@example("\x00\ufeff\u200b")
@example("Đại tá " * 50)
@example("(" * 300 + "Ngày 1/1/2020")
def test_the_pipeline_never_raises_and_every_offset_holds(nlp, text):
    from pipeline.runner.process import process
    from pipeline.runner.tables import doc_rows

    text = normalize_text(text)
    doc = process(nlp, Document("p", text, "<hypothesis>"))  # no try: an exception fails the test
    rows = doc_rows(doc)
    assert "".join(t.text_with_ws for t in doc) == text
    for m in rows["mentions"]:
        assert 0 <= m["start"] <= m["end"] <= len(text)
        assert text[m["start"]:m["end"]] == m["text"]
    for table in ("officials", "dates", "titles"):
        for row in rows[table]:
            if row.get("start") is not None:
                assert 0 <= row["start"] < row["end"] <= len(text)
    for row in rows["dates"]:
        assert text[row["start"]:row["end"]] == row["text"]
        assert valid_date_value(row["value"]), row
    for row in rows["award_counts"]:
        assert isinstance(row["count"], int) and row["count"] >= 0
    for row in rows["clusters"]:
        assert row["number"] is None or (isinstance(row["number"], int) and row["number"] > 0)
    for value in (doc._.published, doc._.event_date):
        assert value is None or valid_date_value(value), value


@SETTINGS
@given(st.text())
def test_normalize_text_is_idempotent_nfc_and_has_no_cr(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert "\r" not in once and "\u200b" not in once and "\ufeff" not in once


@SETTINGS
@given(st.text())
def test_fold_tones_keeps_length_and_canonical_is_stable(text):
    assert len(fold_tones(text)) == len(text)
    assert canonical(canonical(text)) == canonical(text)


@given(st.integers(min_value=0, max_value=10**12))
def test_vietnamese_thousands_read_back(n):
    assert parse_vn_number(f"{n:,}".replace(",", ".")) == n
    assert parse_vn_number(str(n)) == n
    assert parse_vn_number(f"{n:02d}") == n


@given(st.integers(min_value=0, max_value=999), st.lists(st.integers(min_value=0, max_value=999), min_size=1, max_size=4),
       st.sampled_from(".,"))
def test_groups_of_three_after_a_separator_are_one_integer(head, groups, separator):
    text = str(head) + "".join(f"{separator}{g:03d}" for g in groups)
    assert parse_vn_number(text) == int(text.replace(separator, ""))


@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=5), min_size=2, max_size=4), st.sampled_from(".,"))
def test_a_separator_between_other_groups_is_not_a_number(groups, separator):
    """"1.02" or "10.27" is a decimal or a date, never an integer: only whole groups of three follow a separator."""
    if len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:]):
        return
    with pytest.raises(ValueError):
        parse_vn_number(separator.join(groups))


@given(st.text(alphabet=st.sampled_from("0123456789.,  ab-/") | st.characters(), max_size=12))
def test_parse_vn_number_reads_exactly_the_digits_or_says_why(text):
    """Whatever it accepts is digits and separators only, and its value is those digits read as one number."""
    try:
        value = parse_vn_number(text)
    except ValueError:
        return
    digits = regex.sub(r"[.,\s]", "", text)
    assert digits.isdigit() and value == int(digits)


def _roman(n: int) -> str:
    out = ""
    for value, numeral in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]:
        while n >= value:
            out, n = out + numeral, n - value
    return out


@given(st.integers(min_value=1, max_value=3999))
def test_roman_numerals_read_back(n):
    assert parse_roman(_roman(n)) == n
    assert parse_roman(_roman(n).lower()) == n


@given(st.text(alphabet="IVXLCDMivxlcdm", max_size=8))
def test_parse_roman_accepts_only_numerals_in_their_one_written_form(text):
    """"IIII" and "VX" are refused; anything read is exactly how its value is written."""
    try:
        value = parse_roman(text)
    except ValueError:
        return
    assert _roman(value) == text.upper()


@given(st.integers(min_value=1, max_value=3999))
def test_parse_cardinal_reads_arabic_and_roman_alike(n):
    assert parse_cardinal(str(n)) == parse_cardinal(f"{n:03d}") == parse_cardinal(_roman(n)) == n


@SETTINGS
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31)),  # the years read
       st.sampled_from(["Ngày {d}/{m}/{y}", "ngày {d}-{m}-{y}", "Sáng {d}/{m}/{y}", "(ngày {d}.{m}.{y})"]))
def test_a_written_date_normalises_to_its_calendar_day(nlp, date, template):
    from pipeline.nlp.extractors.dates import DateFinder
    from pipeline.rules import load_rules

    finder = _finder(DateFinder, load_rules)
    text = template.format(d=date.day, m=date.month, y=date.year) + ", Công an tỉnh tổ chức hội nghị."
    assert [m.value for m in finder.find(text)] == [date.isoformat()]


@SETTINGS
@given(st.integers(1, 40), st.integers(1, 15), st.integers(1900, 2100))
def test_an_impossible_date_is_never_a_date(nlp, day, month, year):
    from pipeline.nlp.extractors.dates import DateFinder
    from pipeline.rules import load_rules

    finder = _finder(DateFinder, load_rules)
    for m in finder.find(f"Ngày {day}/{month}/{year}, đoàn công tác làm việc tại tỉnh."):
        assert valid_date_value(m.value), m.value


_FINDER = []


def _finder(cls, load_rules):
    if not _FINDER:
        _FINDER.append(cls(load_rules(None)))
    return _FINDER[0]
