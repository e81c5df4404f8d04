"""Titles and award counts on real press layouts (issue 11): open-ended conferrers from the
organisation layer, open-ended title names, and counts in other layouts. Positive and negative rows."""
import pytest


def titles(rows, text):
    return [t["title"] for t in rows(text)["titles"]]


def counts(rows, text):
    return [(a["count"], a["unit"], a["title"]) for a in rows(text)["award_counts"]]


@pytest.mark.parametrize("text, expected", [
    # Any body confers, named before its verb with a count between ...
    ("Sở Tài chính đã được Ban Chỉ đạo 389 Quốc gia tặng 3 bằng khen.", ["Bằng khen của Ban Chỉ đạo 389 Quốc gia"]),
    # a named Kỷ niệm chương keeps the body the sentence names after it, and stays bare without one
    ("Tỉnh ủy trao Kỷ niệm chương “Vì chủ quyền an ninh biên giới” của Bộ Tư lệnh BĐBP cho 5 đồng chí.",
     ["Kỷ niệm chương Vì chủ quyền an ninh biên giới của Bộ Tư lệnh Bộ đội Biên phòng"]),
    ("Ông Lê Văn Tám được trao Kỷ niệm chương Vì sự nghiệp Khuyến học.", ["Kỷ niệm chương Vì sự nghiệp Khuyến học"]),
    # a person's offices before "trao" hand the award over: no conferrer
    ("Trung tướng Nguyễn Xuân Sơn, Bí thư Đảng ủy, Chính ủy nhà trường trao Bằng khen cho 3 tập thể.", ["Bằng khen"]),
    # a list goes on with the same giver only for awards that take one
    ("Bộ Tư lệnh Quân đoàn 4 tặng cờ thi đua, danh hiệu “Đơn vị quyết thắng” cho 3 đơn vị.",
     ["Cờ thi đua của Bộ Tư lệnh Quân đoàn 4", "Đơn vị Quyết thắng"]),
    ("Năm qua, Bộ Quốc phòng tặng 2 cờ thi đua, 7 bằng khen.",
     ["Cờ thi đua của Bộ Quốc phòng", "Bằng khen của Bộ Quốc phòng"]),
    ("Ban Thường vụ Hội LHPN tỉnh tặng bằng khen cho 4 tập thể.",
     ["Bằng khen của Ban Thường vụ Hội Liên hiệp Phụ nữ tỉnh"]),
    ("Dịp này, Thủ tướng Chính phủ quyết định tặng Bằng khen cho 3 cá nhân.", ["Bằng khen của Thủ tướng Chính phủ"]),
    # ... or after "của", ending at the body, abbreviations spelled out.
    ("Đơn vị được tặng Giấy khen của Cục Thuế tỉnh.", ["Giấy khen của Cục Thuế tỉnh"]),
    ("Chị được tặng Bằng khen của Tổng Giám đốc BHXH Việt Nam.",
     ["Bằng khen của Tổng Giám đốc Bảo hiểm xã hội Việt Nam"]),
    # Two conferrers, two titles; a parallel award shares the giver named after it.
    ("12 tập thể được tặng bằng khen của Bộ trưởng Bộ Công an và Chủ tịch UBND tỉnh Ninh Bình.",
     ["Bằng khen của Bộ trưởng Bộ Công an", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh Ninh Bình"]),
    ("Trong đó, 6 đơn vị nhận Cờ thi đua và 11 đơn vị nhận bằng khen của Bộ Tài chính.",
     ["Cờ thi đua của Bộ Tài chính", "Bằng khen của Bộ Tài chính"]),
    # Open-ended names.
    ("Bệnh viện có 3 bác sĩ được trao tặng danh hiệu Thầy thuốc ưu tú.", ["Thầy thuốc ưu tú"]),
    ("Xí nghiệp được phong tặng danh hiệu Anh hùng Lao động thời kỳ đổi mới.", ["Anh hùng Lao động thời kỳ đổi mới"]),
    ("Đơn vị từng nhận Huân chương Ăng-Co của nước bạn.", ["Huân chương Ăng-Co"]),
    ("Anh được tặng Huy hiệu Tuổi trẻ sáng tạo.", ["Huy hiệu Tuổi trẻ sáng tạo"]),
    ("Chi hội nhận Cờ dẫn đầu phong trào thi đua.", ["Cờ dẫn đầu phong trào thi đua"]),
    ("Ông trao tặng Huân chương Lao động hạng Nhì và hạng Ba cho 2 cá nhân.",
     ["Huân chương Lao động hạng Nhì", "Huân chương Lao động hạng Ba"]),
    ("Ông được tặng Kỷ niệm chương Vì sự nghiệp bảo vệ ANTQ.", ["Kỷ niệm chương Vì sự nghiệp bảo vệ an ninh Tổ quốc"]),
    # Not conferrers: a named person's office, a presenter acting for someone.
    ("Đồng chí Nguyễn Văn Nam, Phó Chủ tịch UBND tỉnh tặng bằng khen cho các tập thể.", ["Bằng khen"]),
    ("Thừa ủy quyền của Thủ trưởng Bộ Tư lệnh, Đại tá Lê Văn An trao Bằng khen cho các cá nhân.", ["Bằng khen"]),
    # Not titles.
    ("Các đội bóng phát huy hiệu quả lối chơi phòng ngự.", []),
    ("Trời nắng nóng, nhiệt độ cao nhất 38 độ.", []),
])
def test_open_ended_titles(rows, text, expected):
    assert titles(rows, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Bộ Quốc phòng tặng 1 cờ thi đua, 12 bằng khen.",
     [(1, "cờ thi đua", "Cờ thi đua của Bộ Quốc phòng"), (12, "bằng khen", "Bằng khen của Bộ Quốc phòng")]),
    ("Có 48 tập thể và cá nhân được tặng Bằng khen của UBND tỉnh.",
     [(48, "tập thể và cá nhân", "Bằng khen của Ủy ban nhân dân tỉnh")]),
    ("Năm nay, 482 tổ chức, cá nhân nhận giấy khen của Cục Thuế tỉnh.",
     [(482, "tổ chức cá nhân", "Giấy khen của Cục Thuế tỉnh")]),
    ("Kết quả: Cờ thi đua của UBND tỉnh: 41 tập thể; Chiến sĩ thi đua cấp tỉnh: 57 cá nhân.",
     [(41, "tập thể", "Cờ thi đua của Ủy ban nhân dân tỉnh"), (57, "cá nhân", "Chiến sĩ thi đua cấp tỉnh")]),
    ("Trong đó 30 cá nhân hiến máu 25 lần được tặng bằng khen của UBND tỉnh.",
     [(30, "cá nhân", "Bằng khen của Ủy ban nhân dân tỉnh")]),
    ("Ông trao tặng Huân chương Lao động hạng Nhất, Nhì, Ba cho 4 cá nhân.", [(4, "cá nhân", "Huân chương Lao động")]),
    ("UBND tỉnh tặng Bằng khen cho 5 tập thể.\nUBND tỉnh tặng Bằng khen cho 5 tập thể.",
     [(5, "tập thể", "Bằng khen của Ủy ban nhân dân tỉnh")]),  # one statement, said twice
    # Not award counts.
    ("Đội tuyển giành 3 huy chương vàng tại giải đấu.", []),
    ("Giá vàng tăng 2 lần trong tuần qua.", []),
    ("Tòa tuyên phạt bị cáo 5 năm tù giam.", []),
])
def test_counts_in_other_layouts(rows, text, expected):
    assert counts(rows, text) == expected
