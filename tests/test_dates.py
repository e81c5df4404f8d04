"""Dates: finding, normalising, year resolution, published and event dates."""
import pytest

from pipeline.nlp.extractors.dates import (DateFinder, ascending_days, bare_day_month_stands, find_published,
                                           find_published_at_end, is_calendar_day, plausible_period,
                                           reported_year, resolve_years)
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def finder():
    return DateFinder(load_rules())


def values(finder, text, ref_year=None):
    found = finder.find(text)
    if ref_year:
        for d in found:
            if d.year is None and d.kind not in ("year", "period"):
                d.year = ref_year
                if d.kind == "daterange":
                    d.end_year = ref_year
    return [(d.text, d.value, d.granularity, d.part_of_day) for d in found]


@pytest.mark.parametrize("text, expected", [
    ("Chiều 30-11, tại TP Hạ Long", [("Chiều 30-11", "2020-11-30", "date", "afternoon")]),
    ("Sáng ngày 16/11, tại hội trường", [("Sáng ngày 16/11", "2020-11-16", "date", "morning")]),
    ("Ngày 4-3, tại Công an huyện", [("Ngày 4-3", "2020-03-04", "date", None)]),
    ("Tối 2/9 tại quảng trường", [("Tối 2/9", "2020-09-02", "date", "evening")]),
    ("Trưa 15/7, đoàn công tác", [("Trưa 15/7", "2020-07-15", "date", "noon")]),
    ("Đêm 31/12, lực lượng", [("Đêm 31/12", "2020-12-31", "date", "night")]),
    ("Chiều 05/6/2020, Công an tỉnh", [("Chiều 05/6/2020", "2020-06-05", "date", "afternoon")]),
    ("ngày 8 tháng 11 năm 2015", [("ngày 8 tháng 11 năm 2015", "2015-11-08", "date", None)]),
    ("17:25 06/12/2020 Chiều", [("17:25 06/12/2020", "2020-12-06T17:25", "datetime", None)]),
    ("15/11/2024, 18:22:20", [("15/11/2024, 18:22:20", "2024-11-15T18:22:20", "datetime", None)]),
    ("Phan Tân| 18/12/2020 08:54", [("18/12/2020 08:54", "2020-12-18T08:54", "datetime", None)]),
    ("Thứ hai,  28/11/2022", [("Thứ hai,  28/11/2022", "2022-11-28", "date", None)]),
    ("diễn ra trong 2 ngày (26 - 27/12).", [("26 - 27/12", "2020-12-26/2020-12-27", "period", None)]),
    ("diễn ra trong 2 ngày 3 và 4/4, với", [("ngày 3 và 4/4", "2020-04-03/2020-04-04", "period", None)]),
    ("Ngày truyền thống (19/8/1945-19/8/2025)", [("19/8/1945-19/8/2025", "1945-08-19/2025-08-19", "period", None)]),
    ("giai đoạn 2015 - 2020", [("giai đoạn 2015 - 2020", "2015/2020", "period", None)]),
    ("Đại hội Thi đua Quyết thắng giai đoạn 2013-2018.", [("giai đoạn 2013-2018", "2013/2018", "period", None)]),
    ("tổng kết công tác năm 2020", [("2020", "2020", "year", None)]),
    ("theo Luật Công an nhân dân 2018; Thượng tướng", [("2018", "2018", "year", None)]),
    ("trong tháng 11/2023, đơn vị", [("tháng 11/2023", "2023-11", "month", None)]),
    ("date 2025-08-17 (VTC News)", [("2025-08-17", "2025-08-17", "date", None)]),
    ("Cập nhật lúc 10:25, Thứ Năm, 14/12/2023", [("lúc 10:25, Thứ Năm, 14/12/2023", "2023-12-14T10:25", "datetime", None)]),
    ("Cập nhật 2023-12-14 10:25:00", [("2023-12-14 10:25:00", "2023-12-14T10:25:00", "datetime", None)]),
    ("Sáng nay (15/3), tại trụ sở", [("15/3", "2020-03-15", "date", "morning")]),
    ("Ngày 15-12-2023, Công an tỉnh", [("Ngày 15-12-2023", "2023-12-15", "date", None)]),
])
def test_dates_found_and_normalised(finder, text, expected):
    assert values(finder, text, ref_year=2020) == expected


@pytest.mark.parametrize("text", [
    "6/8 đơn vị được suy tôn danh hiệu Đơn vị Tiên tiến",
    "4/8 đơn vị được suy tôn",
    "thực hiện Chỉ thị số 03/CT-BCA-X11 của Bộ",
    "Nghị quyết 12-NQ/TW của Bộ Chính trị",
    "Chỉ thị số 48-CT/TW",
    "kỷ niệm 70 năm giải phóng",
    "tỷ lệ điều tra khám phá án đạt 91,9%",
    "trong 9 tháng đầu năm, các đơn vị",
    "Hội nghị điển hình tiên tiến lần thứ VIII",
    "trên 3000 lượt tập thể",
    "có 2000 người tham dự",
    "Quyết định số 999 của Chủ tịch nước",
])
def test_not_dates(finder, text):
    assert [d.text for d in finder.find(text)] == []


def test_year_from_publication_line(finder):
    text = "17:25 06/12/2020 Chiều 30-11, tại TP Hạ Long, hội nghị"
    found = finder.find(text)
    published = find_published(found, text, None, finder)
    assert published.value == "2020-12-06T17:25"
    resolve_years(found, published, None)
    assert [d.value for d in found if d is not published] == ["2020-11-30"]


def test_december_event_published_in_january_is_the_year_before(finder):
    text = "05/01/2021\nNgày 30-12, Công an tỉnh tổng kết"
    found = finder.find(text)
    published = find_published(found, text, None, finder)
    resolve_years(found, published, None)
    assert [d.value for d in found] == ["2021-01-05", "2020-12-30"]


def test_year_from_page_metadata_month(finder):
    text = " date 2024-12 Hội nghị diễn ra trong 2 ngày (26 - 27/12)."
    found = finder.find(text)
    resolve_years(found, None, "2024-12")
    assert [d.value for d in found if d.kind == "daterange"] == ["2024-12-26/2024-12-27"]


def test_year_from_the_reported_year_never_the_clock(finder):
    text = "Ngày 28-11, Bộ Chỉ huy BĐBP tỉnh tổ chức Đại hội giai đoạn 2013-2018."
    found = finder.find(text)
    assert reported_year(found) == 2018
    resolve_years(found, None, None, text_year=reported_year(found))
    assert found[0].value == "2018-11-28"


def test_january_summary_of_a_year_is_the_next_year(finder):
    text = "Ngày 15/1, Công an tỉnh tổ chức hội nghị tổng kết công tác năm 2023."
    found = finder.find(text)
    resolve_years(found, None, None, summary_year=True, text_year=2023)
    assert found[0].value == "2024-01-15"


def test_unknown_year_stays_unknown(finder):
    found = finder.find("Sáng 16/11, hội nghị diễn ra.")
    resolve_years(found, None, None)
    assert found[0].value == "--11-16"


@pytest.mark.parametrize("text, published, event", [
    ("17:25 06/12/2020 Chiều 30-11, tại TP Hạ Long, khối thi đua tổ chức hội nghị năm 2020.", "2020-12-06T17:25", "2020-11-30"),
    ("Tiêu đề bài\n\n15/11/2024, 18:22:20\nIn trang\n\nNgày 14/11, Cụm thi đua số 5 tổ chức hội nghị năm 2024.", "2024-11-15T18:22:20", "2024-11-14"),
    (" date 2025-08-17 (VTC News) -\n\nSáng 17/8, Lễ kỷ niệm 80 năm Ngày truyền thống (19/8/1945-19/8/2025).", "2025-08-17", "2025-08-17"),
    ("Nhân dịp kỷ niệm 77 năm Ngày truyền thống (19/8/1945 – 19/8/2022), chiều ngày 18/8, đồng chí Bí thư đến thăm.", None, "2022-08-18"),
    ("Đường dây nóng: 0983449277 Chủ nhật, 08/09/2024 07:07 GMT+7\n\nTiêu đề\n\nNgày 28-11, BĐBP tỉnh tổ chức Đại hội giai đoạn 2013-2018.", None, "2018-11-28"),
    ("Phan Tân| 18/12/2020 08:54\nSáng 17/12, Công an tỉnh tổ chức hội nghị.", "2020-12-18T08:54", "2020-12-17"),
    ("Tiêu đề\nCập nhật: 08:30 | 19/08/2019\nSáng 18/8/2019, Công an tỉnh tổ chức lễ kỷ niệm (19/8/1945 - 19/8/2019).",
     "2019-08-19T08:30", "2019-08-18"),
    ("Tiêu đề\nThứ sáu, 22/12/2023 - 09:15\nSáng 21/12, Bộ Chỉ huy Quân sự tỉnh tổng kết năm 2023.", "2023-12-22T09:15", "2023-12-21"),
    ("Tiêu đề\nThứ Ba, 14/01/2025 16:40 (GMT+7)\nNgày 13/1, Cụm thi đua số II tổ chức hội nghị năm 2024.",
     "2025-01-14T16:40", "2025-01-13"),
    # A hotline named inside a paragraph does not make the paragraph page furniture.
    ("Tiêu đề\nSáng 3/3/2025, Công an tỉnh họp.\nTừ ngày 1/7/2025, đường dây nóng 069.2342.608 tiếp nhận phản ánh.",
     None, "2025-03-03"),
    # At the bottom, after the byline: the prefix says what it is.
    ("Tiêu đề\nChiều 2-9, Đồn Biên phòng tổ chức lễ kỷ niệm.\n\nMinh Hà\n\nCập nhật lúc 20:15 ngày 02/09/2022",
     "2022-09-02T20:15", "2022-09-02"),
    ("Tiêu đề\nNgày 5/6/2021, Công an huyện họp.\nĐoạn cuối.\n\nSáng 6/6/2021 đoàn về thăm.", None, "2021-06-05"),
])
def test_published_and_event_dates(rows, text, published, event):
    doc = rows(text)["documents"][0]
    assert doc["published"] == published
    assert doc["event_date"] == event


def test_a_date_in_a_paragraph_naming_a_hotline_is_found(rows):
    text = "Tiêu đề\nSáng 3/3/2025, Công an tỉnh họp.\nTừ ngày 1/7/2025, đường dây nóng 069.2342.608 tiếp nhận phản ánh."
    assert "2025-07-01" in [d["value"] for d in rows(text)["dates"]]


def test_site_clock_is_not_a_date(rows):
    r = rows("Đường dây nóng: 0983449277 Chủ nhật, 08/09/2024 07:07 GMT+7\n\nNgày 28-11, hội nghị năm 2018.")
    assert "2024-09-08" not in {d["value"][:10] for d in r["dates"]}


# Each named check of DateFinder, accepting and rejecting.
@pytest.mark.parametrize("year, month, day, ok", [
    (2020, 12, 31, True),  # "31/12/2020"
    (None, 2, 29, True),  # "29/2" with no year: stands
    (2024, 2, 29, True),
    (2023, 2, 29, False),  # "29/2/2023"
    (None, 4, 31, False),  # "31/4"
    (None, 5, 0, False),  # "0/5"
    (None, 13, 1, False),  # "1/13"
])
def test_is_calendar_day(year, month, day, ok):
    assert is_calendar_day(year, month, day) is ok


@pytest.mark.parametrize("year, end_year, ok", [
    (2015, 2020, True),  # "giai đoạn 2015 - 2020"
    (1975, 2025, True),  # fifty years
    (2020, 2015, False),  # backwards
    (2020, 2020, False),
    (1945, 2025, False),  # "1945 - 2025": two years, not a period
])
def test_plausible_period(year, end_year, ok):
    assert plausible_period(year, end_year) is ok


@pytest.mark.parametrize("day, end_day, ok", [
    (26, 27, True),  # "26 - 27/12"
    (3, 4, True),  # "3 và 4/4"
    (27, 26, False),
    (5, 5, False),
])
def test_ascending_days(day, end_day, ok):
    assert ascending_days(day, end_day) is ok


@pytest.mark.parametrize("text, ok", [
    ("Sáng nay (15/3), tại trụ sở", True),
    ("kỷ niệm Ngày truyền thống (19/8) của lực lượng", True),
    ("6/8 đơn vị được suy tôn", False),  # a fraction
    ("thắng với tỷ số 2/1 (hiệp phụ)", False),
    ("(15/3 tại trụ sở", False),
    ("hưởng ứng ngày thế giới tôn vinh người hiến máu 14/6. Tại buổi lễ", True),  # closes a sentence after a noun
    ("đội chủ nhà đánh bại Thể Công Viettel 2/1. Đây là", False),  # a score after a name
    ("kết thúc với tỷ số 2/1.", False),
    ("đạt 6/8.", False),  # a fraction after a verb
])
def test_bare_day_month_stands(text, ok):
    m = __import__("regex").search(r"\d+/\d+", text)
    not_after = DateFinder(load_rules()).bare_not_after_re
    assert bare_day_month_stands(text, *m.span(), not_after) is ok


@pytest.mark.parametrize("text, expected", [
    ("Sáng nay (15/3), tại trụ sở", [("15/3", "morning")]),  # a bare day in parentheses, its part of day before
    ("Trong số đó (15/3) là", [("15/3", None)]),
    ("Có 6/8 đơn vị", []),  # vetoed: a fraction
    ("giai đoạn 2020 - 2015", []),  # vetoed: backwards
    ("ngày 27 - 26/12", []),  # vetoed: backwards (and a bare "26/12" after "- " is not led)
    ("ngày 26 - 27/12", [("ngày 26 - 27/12", None)]),
    ("ngày 31/4/2020", []),  # vetoed: no such day
])
def test_checks_in_the_finder(finder, text, expected):
    assert [(d.text, d.part_of_day) for d in finder.find(text)] == expected


# Publication lines, with the prefixes of the production rules (rules/dates.json).
@pytest.mark.parametrize("text, published", [
    ("Tiêu đề\nThời gian đăng: 08:30 19/08/2019\nSáng 18/8, hội nghị.", "2019-08-19T08:30"),
    ("Tiêu đề\nUpdated: 19/08/2019\nSáng 18/8, hội nghị.", "2019-08-19"),
    ("Tiêu đề\nChủ nhật, 08/09/2024\nSáng 7/9, hội nghị.", "2024-09-08"),
    ("Tiêu đề\nNgày 5/6/2021, Công an huyện họp.", None),  # prose, not a publication line
    ("Tiêu đề\nTừ ngày 1/7/2025, đường dây nóng tiếp nhận.", None),
])
def test_publication_line_with_production_prefixes(finder, text, published):
    found = finder.find(text)
    d = find_published(found, text, None, finder)
    assert (d.value if d else None) == published


@pytest.mark.parametrize("text, published", [
    ("Tiêu đề\nNội dung.\n\nCập nhật lúc 19:40 ngày 03/10/2021", "2021-10-03T19:40"),
    ("Tiêu đề\nNội dung.\n\nNgày cập nhật: 03/10/2021", "2021-10-03"),
    ("Tiêu đề\nNội dung.\n\nHà Nội, 03/10/2021", None),  # no prefix: not a publication line
])
def test_publication_line_at_the_end(finder, text, published):
    d = find_published_at_end(finder, text)
    assert (d.value if d else None) == published


def test_production_rules_name_the_publication_prefixes():
    prefixes = load_rules().settings("dates")["published_prefixes"]
    assert {"cập nhật", "ngày đăng", "thời gian đăng", "xuất bản"} <= set(prefixes)
