"""Award counts: numbers that count awards, and numbers that count something else."""
import pytest


def counts(rows, text):
    return [(a["count"], a["total"], a["unit"], a["qualifier"], a["title"]) for a in rows(text)["award_counts"]]


@pytest.mark.parametrize("text, expected", [
    # counts written in words
    ("Đồng thời, năm tập thể và một cá nhân được nhận Huân chương Bảo vệ Tổ quốc hạng Ba.",
     [(5, None, "tập thể", None, "Huân chương Bảo vệ Tổ quốc hạng Ba"),
      (1, None, "cá nhân", None, "Huân chương Bảo vệ Tổ quốc hạng Ba")]),
    ("Chín thầy thuốc của bệnh viện được trao tặng danh hiệu Thầy thuốc ưu tú.",
     [(9, None, "thầy thuốc", None, "Thầy thuốc ưu tú")]),
    ("Năm qua, toàn Khối có hơn 900 lượt tập thể, 2.400 lượt cá nhân được các cấp khen thưởng, trong đó 2 tập thể "
     "được Chủ tịch nước tặng Huân chương Bảo vệ Tổ quốc hạng Ba.",
     [(900, None, "lượt tập thể", "hơn", "khen thưởng"), (2400, None, "lượt cá nhân", None, "khen thưởng"),
      (2, None, "tập thể", None, "Huân chương Bảo vệ Tổ quốc hạng Ba")]),
    ("Giám đốc Sở tặng Giấy khen cho 20 tập thể; 15 cá nhân được tặng Kỷ niệm chương Vì sự nghiệp giáo dục.",
     [(20, None, "tập thể", None, "Giấy khen của Giám đốc Sở"),
      (15, None, "cá nhân", None, "Kỷ niệm chương Vì sự nghiệp giáo dục")]),
    ("UBND tỉnh tặng Bằng khen cho 12 tập thể và 30 cá nhân điển hình tiên tiến giai đoạn 2016-2020.",
     [(12, None, "tập thể", None, "Bằng khen của Ủy ban nhân dân tỉnh"),
      (30, None, "cá nhân", None, "Bằng khen của Ủy ban nhân dân tỉnh")]),
    ("Theo đó, 6/8 đơn vị được suy tôn danh hiệu Đơn vị Tiên tiến, 4/8 đơn vị được suy tôn danh hiệu Đơn vị Quyết thắng.",
     [(6, 8, "đơn vị", None, "Đơn vị Tiên tiến"), (4, 8, "đơn vị", None, "Đơn vị Quyết thắng")]),
    ("Trong năm, toàn cụm có trên 3000 lượt tập thể và trên 7200 lượt cá nhân các cấp được khen thưởng.",
     [(3000, None, "lượt tập thể", "trên", "khen thưởng"), (7200, None, "lượt cá nhân", "trên", "khen thưởng")]),
    ("Công an tỉnh vinh dự 02 lần được tặng Cờ thi đua của Thủ tướng Chính phủ.",
     [(2, None, "lần", None, "Cờ thi đua của Thủ tướng Chính phủ")]),
    ("Trong giai đoạn, 1.027 tập thể, 8.296 cá nhân được các cấp khen thưởng về thành tích xuất sắc.",
     [(1027, None, "tập thể", None, "khen thưởng"), (8296, None, "cá nhân", None, "khen thưởng")]),
    ("Nhân dịp này, Bộ Tư lệnh BĐBP tặng Bằng khen cho 1 tập thể và 2 cá nhân.",
     [(1, None, "tập thể", None, "Bằng khen của Bộ Tư lệnh Bộ đội Biên phòng"),
      (2, None, "cá nhân", None, "Bằng khen của Bộ Tư lệnh Bộ đội Biên phòng")]),
    ("Dịp này, 2 tập thể, 6 cá nhân có thành tích xuất sắc được Ban Chỉ huy Bộ đội Biên phòng tặng giấy khen.",
     [(2, None, "tập thể", None, "Giấy khen của Ban Chỉ huy Bộ đội Biên phòng"),
      (6, None, "cá nhân", None, "Giấy khen của Ban Chỉ huy Bộ đội Biên phòng")]),
    ("Công an tỉnh vinh danh 13 tập thể, 107 cá nhân điển hình tiên tiến.",
     [(13, None, "tập thể", None, "điển hình tiên tiến"), (107, None, "cá nhân", None, "điển hình tiên tiến")]),
    ("Thứ trưởng trao Huân chương Chiến công hạng Ba và Cờ thi đua của Chính phủ tặng 01 tập thể thuộc Công an tỉnh.",
     [(1, None, "tập thể", None, "Huân chương Chiến công hạng Ba")]),
    ("Có 45 cán bộ, chiến sĩ được tặng Giấy khen của Giám đốc Công an tỉnh.",
     [(45, None, "cán bộ chiến sĩ", None, "Giấy khen của Giám đốc Công an tỉnh")]),
    ("Hơn 200 lượt tập thể được khen thưởng đột xuất.", [(200, None, "lượt tập thể", "hơn", "khen thưởng")]),
    ("Năm 2023, có 12 tập thể đạt danh hiệu Đơn vị Quyết thắng, 235 cá nhân đạt danh hiệu Chiến sĩ thi đua cơ sở.",
     [(12, None, "tập thể", None, "Đơn vị Quyết thắng"), (235, None, "cá nhân", None, "Chiến sĩ thi đua cơ sở")]),
    ("Giám đốc Công an tỉnh khen thưởng 10 tập thể, 25 cá nhân có thành tích xuất sắc.",
     [(10, None, "tập thể", None, "khen thưởng"), (25, None, "cá nhân", None, "khen thưởng")]),
    ("Có 7 cán bộ, chiến sĩ được tặng danh hiệu Chiến sĩ thi đua toàn lực lượng CAND.",
     [(7, None, "cán bộ chiến sĩ", None, "Chiến sĩ thi đua toàn lực lượng Công an nhân dân")]),
])
def test_award_counts(rows, text, expected):
    assert counts(rows, text) == expected


@pytest.mark.parametrize("text", [
    "Tại hội nghị, 8 đơn vị nghiệp vụ trong khối thi đua đã trình bày kết quả và đề xuất danh hiệu thi đua.",
    "Hội thi có sự tham gia của 16 đội dự thi thuộc các đơn vị.",
    "Đoàn đã tặng 10 suất quà cho cán bộ chiến sỹ là thương binh.",
    "Thủ trưởng Bộ CHQS tỉnh đã trao quyết định thăng quân hàm cấp trung tá cho 8 đồng chí.",
    "Cụm thi đua số 3 gồm Công an 8 tỉnh trong khu vực.",
    "Tỷ lệ điều tra khám phá án đạt 91,9%, đã xử lý 120 vụ việc.",
    "Trong 05 năm qua, phong trào có nhiều đổi mới.",
    "Hàng trăm lượt cán bộ chiến sỹ được Đảng, Nhà nước ghi nhận và khen thưởng.",
    "Dịp này, 50 hộ gia đình chính sách được tặng quà.",
    "Đơn vị trao 200 suất quà cho 200 cá nhân có hoàn cảnh khó khăn.",
])
def test_not_award_counts(rows, text):
    assert counts(rows, text) == []


# Each named check, accepting and rejecting.
from pipeline.nlp.extractors.award_counts import AwardCountExtractor, plausible_fraction  # noqa: E402


@pytest.fixture(scope="module")
def extractor():
    return AwardCountExtractor()


@pytest.mark.parametrize("count, total, ok", [
    (6, 8, True),  # "6/8 đơn vị"
    (8, 8, True),
    (12, None, True),  # "12 tập thể"
    (9, 8, False),  # "9/8 đơn vị"
    (3, 0, False),  # "3/0 đơn vị"
])
def test_plausible_fraction(count, total, ok):
    assert plausible_fraction(count, total) is ok


@pytest.mark.parametrize("unit, before, after, ok", [
    ("tập thể", "", " được các cấp khen thưởng", True),
    ("cá nhân", "Năm 2023, có ", " đạt danh hiệu Chiến sĩ thi đua cơ sở", True),
    ("tập thể", "UBND tỉnh tặng Bằng khen cho ", " có thành tích", True),
    ("tập thể", "Công an tỉnh vinh danh ", "", True),
    ("lần", "Công an tỉnh vinh dự ", " được tặng Cờ thi đua", True),
    ("lần", "Trong ", " kiểm tra, đơn vị được khen thưởng", False),  # times, but not "được" right after
    ("đơn vị", "Tại hội nghị, ", " nghiệp vụ đã trình bày kết quả", False),
    ("đội", "có sự tham gia của ", " dự thi", False),
    ("cá nhân", "", " được khen thưởng", True),
])
def test_governed(extractor, unit, before, after, ok):
    assert extractor.governed(unit, before, after) is ok


@pytest.mark.parametrize("clause, ok", [
    ("50 hộ gia đình chính sách được tặng quà", True),
    ("Đơn vị trao 200 suất quà cho 200 cá nhân", True),
    ("hỗ trợ các suất quà cho hộ nghèo", True),
    ("12 tập thể được tặng Bằng khen", False),
    ("vinh danh 13 tập thể điển hình tiên tiến", False),
])
def test_is_gift(extractor, clause, ok):
    assert extractor.is_gift(clause, 0, len(clause)) is ok


@pytest.mark.parametrize("text, sizes", [
    ("1 tập thể và 2 cá nhân", [2]),
    ("13 tập thể, 107 cá nhân", [2]),
    ("12 tập thể, và 30 cá nhân", [2]),
    ("20 tập thể; 15 cá nhân", [1, 1]),  # a new clause
    ("20 tập thể được khen, 15 cá nhân", [1, 1]),
])
def test_consecutive_counts_group(extractor, text, sizes):
    counts = list(extractor.count_re.finditer(text))
    assert [len(g) for g in extractor.groups(text, counts)] == sizes
