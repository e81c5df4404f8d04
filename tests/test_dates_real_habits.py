"""Dates as real Vietnamese news pages write them (issue 11): day forms, the reported year, the
event date when the year cannot be known, and publication lines. Sentences are written for these tests."""
import pytest

from pipeline.nlp.extractors.dates import (DateFinder, YearEvidence, closes_line_in_parentheses, dates_a_document,
                                           find_published, in_lead, is_prose_paragraph, reported_later,
                                           reported_year, strong_lead)
from pipeline.rules import load_rules


@pytest.fixture(scope="module")
def finder():
    return DateFinder(load_rules())


@pytest.fixture(scope="module")
def evidence():
    return YearEvidence(load_rules().settings("dates"))


def found(finder, text):
    return [(d.text, d.value) for d in finder.find(text)]


# Class 3: day forms seen on real pages, and the numbers that look like them.
@pytest.mark.parametrize("text, expected", [
    ("Chiều 9.4, đoàn công tác đến thăm trường.", [("Chiều 9.4", "--04-09")]),
    ("Ngày 23.7, tại hội trường tỉnh, hội nghị khai mạc.", [("Ngày 23.7", "--07-23")]),
    ("Tính đến 16 giờ ngày 3.10, lực lượng cứu hộ đã tiếp cận.", [("ngày 3.10", "--10-03")]),
    ("Tối qua, 5-9, nhà văn hóa huyện đông kín người.", [("Tối qua, 5-9", "--09-05")]),
    ("Trưa nay 21/1, lãnh đạo tỉnh đến chúc Tết.", [("Trưa nay 21/1", "--01-21")]),
    ("Sáng nay (8/5), hội thao khai mạc.", [("8/5", "--05-08")]),
    ("kỷ niệm 75 năm Ngày thành lập (7-5-1950/7-5-2025) của đơn vị",
     [("7-5-1950/7-5-2025", "1950-05-07/2025-05-07")]),
    ("chương trình hưởng ứng ngày môi trường thế giới 5-6. Sau đó", [("5-6", "--06-05")]),
    ("dịp Quốc khánh 2/9 năm nay", [("2/9", "--09-02")]),
    ("doanh thu đạt 3.5 tỷ đồng", []),
    ("lãi suất giảm 2.5% so với cùng kỳ", []),
    ("và 2.5 lần so với năm trước", []),  # "và" is no day lead for a dotted day
    ("6/8 đơn vị đạt danh hiệu", []),
    ("đội khách thắng 3-1.", []),  # a score
    ("chung cuộc Hải Phòng 2-1. Trận sau", []),  # a score after a team's name
])
def test_real_day_forms(finder, text, expected):
    assert found(finder, text) == expected


def test_a_holiday_day_is_an_anniversary(finder):
    assert [d.anniversary for d in finder.find("mừng Quốc khánh 2/9 và đón nhận Huân chương")] == [True]


def test_a_full_anniversary_range_is_an_anniversary(finder):
    assert [d.anniversary for d in finder.find("(22-12-1944/22-12-2024)")] == [True]


@pytest.mark.parametrize("text, ok", [
    ("Sáng 18.8", True), ("Ngày 17.1", True), ("17 giờ ngày 22.2", True), ("Thứ hai, 3.6", True),
    ("và 2.5", False), ("từ 3.5", False), ("đến 4.5", False),
])
def test_strong_lead(finder, text, ok):
    digits = text.rindex(" ") + 1
    lead = finder.lead_re.search(text, 0, digits)
    assert strong_lead(lead, finder.day_nouns) is ok


# Class 2: the year the text reports on.
@pytest.mark.parametrize("text, year", [
    ("Ngày 4-6, lái xe Nguyễn Văn A (SN 1990) bị tạm giữ.", None),  # a birth year
    ("Ngày 4-6, đối tượng B, sinh năm 1987, ra đầu thú.", None),
    ("Ngày 9-10, Sở Y tế (thành lập ngày 1-10-1995) tổ chức lễ.", None),  # a founding date
    ("Tối 20/11, đội tuyển thi đấu vòng loại World Cup 2026.", None),  # a year inside a name
    ("Ngày 2-7, theo Luật Công an nhân dân 2018, Bộ hướng dẫn.", None),
    ("Ngày 12-10, Đại hội Hội Nông dân tỉnh nhiệm kỳ 2023 - 2028 khai mạc.", 2023),  # a term: its first year
    ("Ngày 12-10, Đại hội thi đua yêu nước giai đoạn 2020 - 2025 diễn ra.", 2025),  # a summary: its last
    ("Sáng 21-12, kỷ niệm 80 năm Ngày thành lập Quân đội (22-12-1944/22-12-2024).", 2024),
    ("Tối 2/9, tại quảng trường, khai mạc Lễ hội Hoa 2023.", 2023),  # a festival's edition is its year
])
def test_year_evidence_in_the_lead(finder, evidence, text, year):
    mentions = finder.find(text)
    assert reported_year(evidence.select(text, mentions), evidence.opens_term) == year


@pytest.mark.parametrize("text, year", [
    # after the lead, only precise dates count: a day with its year, an anniversary, a summary period
    ("Sáng 22/3, Tỉnh đoàn trao kỷ niệm chương.\nTrước đó, ngày 17/3/2025, Ban Thường vụ họp.", 2025),
    ("Sáng 12/10, đại hội khai mạc.\nĐại hội tổng kết phong trào giai đoạn 2015-2020.", 2020),
    ("Sáng 18/11, Sở đón Huân chương.\nTừ năm 2014 đến năm 2018, ngành có nhiều thành tích.", None),
    ("Sáng 18/11, Sở đón Huân chương.\nTrong 2 năm liền, năm 2018 và năm 2019, tỉnh dẫn đầu.", None),
])
def test_year_evidence_after_the_lead(finder, evidence, text, year):
    mentions = finder.find(text)
    assert reported_year(evidence.select(text, mentions), evidence.opens_term) == year


@pytest.mark.parametrize("text, year", [
    ("Ngày 9/1, Cục Hải quan tổng kết công tác năm 2022, triển khai nhiệm vụ năm 2023.", 2022),
    ("Ngày 9/1, Cục Hải quan triển khai nhiệm vụ năm 2023.", None),
])
def test_the_year_a_summary_reports_on(finder, evidence, text, year):
    d = evidence.summarised(text, evidence.select(text, finder.find(text)))
    assert (d.year if d else None) == year


# Classes 1 and 2 through the pipeline: the event date, known year or not.
@pytest.mark.parametrize("text, event", [
    ("Tiêu đề\nTối 3/4, Công an huyện bắt giữ hai đối tượng.", "--04-03"),  # no year anywhere
    ("Tiêu đề\nSáng 7-8, xe tải (BKS 12C-345) do Trần C (SN 1992) điều khiển gây tai nạn.", "--08-07"),
    ("Tiêu đề\nNgày 16.5, tại Hà Nội, hội nghị năm 2024 khai mạc.", "2024-05-16"),
    ("Tiêu đề\nNgày 10/1, Cục Thuế tổng kết công tác năm 2019, triển khai nhiệm vụ năm 2020.", "2020-01-10"),
    ("Tiêu đề\nNgày 20-10, Đại hội Hội Phụ nữ nhiệm kỳ 2016 - 2021 bế mạc.", "2016-10-20"),
    ("Tiêu đề\nNhân dịp Quốc khánh 2/9, tỉnh tặng quà gia đình chính sách.", None),  # a holiday is no event
    ("Tiêu đề\nTheo Chỉ thị số 05-CT/TW, ngày 15/5/2016 của Bộ Chính trị, các đơn vị thi đua.", None),
    ("Tiêu đề\nSáng 5-11, thông tin từ Bộ Chỉ huy cho biết chiều 4-11, đoàn đã về đến tỉnh.", "--11-04"),
])
def test_event_date(rows, text, event):
    assert rows(text)["documents"][0]["event_date"] == event


@pytest.mark.parametrize("text, ok", [
    ("Căn cứ Quyết định số 123/QĐ-UBND ngày 5/6/2020 của tỉnh", True),
    ("thực hiện Nghị quyết số 12-NQ/TW, ngày 16/1/2012", True),
    ("Ngày 5/6/2020, Công an tỉnh họp", False),
])
def test_dates_a_document(finder, text, ok):
    d = [d for d in finder.find(text) if d.kind == "date"][0]
    assert dates_a_document(text, d) is ok


@pytest.mark.parametrize("text, ok", [
    ("Sáng 5-11, thông tin từ Quân khu cho biết chiều 4-11, lễ đã diễn ra.", True),
    ("Sáng 5-11, Quân khu tổ chức lễ; chiều 4-11, đoàn đã đến.", False),  # no reporting verb
    ("Sáng 5-11, Quân khu cho biết, đơn vị đã về.\nChiều 4-11, đoàn đến.", False),  # another paragraph
])
def test_reported_later(finder, text, ok):
    first, later = finder.find(text)[:2]
    reporting = load_rules().settings("dates")["reporting_verbs"]
    import regex
    assert reported_later(text, first, later, regex.compile("(?i)" + "|".join(reporting))) is ok


def _prose(n):
    return "\n".join(f"Đoạn văn số {i} kể về buổi lễ với nhiều đại biểu đến dự và phát biểu chúc mừng đơn vị." for i in range(n))


@pytest.mark.parametrize("text, ok", [
    ("Tiêu đề\n" + _prose(2) + "\nNgày 19-8, hội nghị.", True),
    ("Tiêu đề\n" + _prose(3) + "\nNgày 19-8, hội nghị.", False),  # three paragraphs of prose before
    ("Tiêu đề\nẢnh: TTXVN\n(Ảnh: Tường Vi - TTXVN)\n" + _prose(1) + "\n" + _prose(1) + "\nNgày 19-8, hội nghị.", True),
])
def test_in_lead(finder, text, ok):
    d = finder.find(text)[0]
    assert in_lead(text, d) is ok


@pytest.mark.parametrize("line, ok", [
    ("Phó Chủ tịch nước trao tặng Huân chương Lao động hạng Nhì cho tập thể nhà trường và các cá nhân.", True),
    ("Phó Chủ tịch nước trao tặng Huân chương Lao động hạng Nhì cho tập thể nhà trường (Ảnh: TTXVN)", False),
    ("Hội nghị thành công tốt đẹp.", False),  # too short to be a paragraph of the story
])
def test_is_prose_paragraph(line, ok):
    assert is_prose_paragraph(line) is ok


# Class 4: publication lines.
@pytest.mark.parametrize("text, published", [
    ("Đại hội Thi đua quyết thắng Trung đoàn 2 (12/9/2019 09:10)\n\nThời gian qua, đơn vị...", "2019-09-12T09:10"),
    ("Tiêu đề\n(12/9/2019 09:10)\nNội dung.", "2019-09-12T09:10"),
    ("Tiêu đề\nThứ bảy, 06/04/2024 07:20\nSáng 5/4, hội nghị.", "2024-04-06T07:20"),
    ("Tiêu đề\nĐã đăng vào 03/03/2023 lúc 15:05\nSáng 3/3, hội nghị.", "2023-03-03T15:05"),
    ("Tiêu đề\nHội nghị diễn ra (12/9/2019 09:10) tại hội trường.", None),  # inside a sentence
    ("Tiêu đề\nKỷ niệm Ngày truyền thống (19/8)\nNội dung.", None),  # a day alone in parentheses
])
def test_publication_lines_of_real_pages(finder, text, published):
    d = find_published(finder.find(text), text, None, finder)
    assert (d.value if d else None) == published


@pytest.mark.parametrize("text, published, event", [
    # a leading metadata date and a time stamp of the same day further on: the time stamp
    (" date 2025-11-05 Thượng tá X được thăng quân hàm 05/11/2025 08:18\n\nChiều 4-11, tại Hà Nội, lễ công bố diễn ra.",
     "2025-11-05T08:18", "2025-11-04"),
    # a time on the line after a date stamp belongs to that line's text, not to the stamp
    ("Tiêu đề\n\n21/03/2019 - 22:13\n\nNgày 21-3-2019, Hội đồng họp.", "2019-03-21T22:13", "2019-03-21"),
])
def test_published_datetime_preferred(rows, text, published, event):
    doc = rows(text)["documents"][0]
    assert (doc["published"], doc["event_date"]) == (published, event)


def test_closes_line_in_parentheses(finder):
    text = "Đại hội (12/9/2019 09:10)\nNội dung"
    assert closes_line_in_parentheses(text, finder.find(text)[0])
