"""Officials' positions from the office layer: where an office ends, and whose it is (sentences written for this test)."""
import pytest


@pytest.mark.parametrize("text, expected", [
    # an office after the name ends where the sentence goes on with a verb
    ("Ông Cao Văn Tâm, Chủ tịch Hội đồng TĐKT tỉnh giao Thường trực Hội đồng thực hiện.",
     {"Cao Văn Tâm": "Chủ tịch Hội đồng TĐKT tỉnh"}),
    # a parenthesis between the name and the office
    ("Ông Lê Văn Bảy (54 tuổi), Giám đốc Sở Tư pháp, phát biểu.", {"Lê Văn Bảy": "Giám đốc Sở Tư pháp"}),
    # two offices of one person, before the name
    ("Ủy viên Bộ Chính trị, Thủ tướng Chính phủ Phạm Minh Quân dự lễ.",
     {"Phạm Minh Quân": "Ủy viên Bộ Chính trị; Thủ tướng Chính phủ"}),
    # an office before another office is someone else's
    ("Bằng khen của Chủ tịch nước, Thứ trưởng Bộ Y tế Đinh Văn Lâm trao cho bệnh viện.",
     {"Đinh Văn Lâm": "Thứ trưởng Bộ Y tế"}),
    # "kiêm" joins two offices
    ("Bà Hà Thị Nga, Bí thư Tỉnh ủy kiêm Chủ tịch HĐND tỉnh, chủ trì.",
     {"Hà Thị Nga": "Bí thư Tỉnh ủy; Chủ tịch HĐND tỉnh"}),
    # the next person's office is not this person's
    ("Chủ tịch nước Trần Văn Quang, Thủ tướng Nguyễn Văn Phúc dự lễ.",
     {"Trần Văn Quang": "Chủ tịch nước", "Nguyễn Văn Phúc": "Thủ tướng"}),
    # lower-case words of a unit's name go on; a person's name ends it
    ("Thứ trưởng Bộ Y tế Đinh Khắc Lâm chủ trì hội nghị.", {"Đinh Khắc Lâm": "Thứ trưởng Bộ Y tế"}),
    ("Ông Lê Quang Vỹ, nguyên Phó Giám đốc Sở Giao thông vận tải và ông Trần Đình Nam nhận huân chương.",
     {"Lê Quang Vỹ": "nguyên Phó Giám đốc Sở Giao thông vận tải", "Trần Đình Nam": None}),
    ("Đại tá Mạc Đình Tuấn, Phó Cục trưởng Cục Cảnh sát hình sự, trao quyết định.",
     {"Mạc Đình Tuấn": "Phó Cục trưởng Cục Cảnh sát hình sự"}),
    # foreign people: a name no Vietnamese name is made of, vouched for by an office or a role
    ("HLV Park Hang-seo và HLV Simon McMenemy bắt tay trước trận đấu.",
     {"Park Hang-seo": "HLV", "Simon McMenemy": "HLV"}),
    ("Chủ tịch nước Trần Văn Quang đón Tổng thống Hoa Kỳ Donald Trump.",
     {"Trần Văn Quang": "Chủ tịch nước", "Donald Trump": "Tổng thống Hoa Kỳ"}),
    ("Thủ tướng Trung Quốc Ôn Gia Bảo hội đàm với đoàn.", {"Ôn Gia Bảo": "Thủ tướng Trung Quốc"}),
    # countries, seas and districts are never people
    ("Đội tuyển Thái Lan gặp Hàn Quốc ở bán kết; bão từ Thái Bình Dương đổ bộ.", {}),
    ("Bà Nông Thị Mai, Chủ tịch Hội LHPN huyện Cao Lộc, phát biểu.",
     {"Nông Thị Mai": "Chủ tịch Hội LHPN huyện Cao Lộc"}),
    # a brand with foreign words is no person
    ("Công ty TNHH Want Want Việt Nam ký hợp đồng với Tập đoàn Fuji Fresh.", {}),
    # people the story is about take part too: a defendant, a rare surname
    ("Bị cáo Lê Văn Tư khai nhận hành vi; ông Uông Đình Khải làm chứng.", {"Lê Văn Tư": None, "Uông Đình Khải": None}),
    # a lower-case typo after a middle name is the name's own syllable
    ("Ông Đỗ Văn hùng, Phó Cục trưởng Cục Thuế tỉnh, nhận bằng khen.", {"Đỗ Văn hùng": "Phó Cục trưởng Cục Thuế tỉnh"}),
    # "ông" before the surname Ông
    ("Bằng khen được trao cho ông Ông Văn Thành.", {"Ông Văn Thành": None}),
    # a verb glued on by the segmenter ends the office
    ("Bà Lê Thị Hà, Trưởng khoa Hồi sức tích cực vinh dự nhận bằng khen.", {"Lê Thị Hà": "Trưởng khoa Hồi sức tích cực"}),
    # a dash glued to the name, or a comma and a dash, before the office
    ("Thiếu tướng Lê Xuân Hòa-Giám đốc Công an tỉnh trao tặng Huân chương.", {"Lê Xuân Hòa": "Giám đốc Công an tỉnh"}),
    ("Đại tá Nguyễn Văn Thú, -Chính ủy BĐBP tỉnh phát biểu.", {"Nguyễn Văn Thú": "Chính ủy BĐBP tỉnh"}),
    # a dotted abbreviation is no foreign name: the office goes on
    ("Thượng tá Nguyễn Trung Hòa, Phó trưởng Công an TP.Thủ Đức có mặt.",
     {"Nguyễn Trung Hòa": "Phó trưởng Công an TP.Thủ Đức"}),
    # a nationality between the office or role and a foreign name
    ("Đây là trận ra mắt của HLV trưởng người Hàn Quốc Park Jin-woo.", {"Park Jin-woo": "HLV trưởng"}),
    ("Bàn thắng của tiền đạo người Nhật Bản Tanaka Ryota.", {"Tanaka Ryota": None}),
    # the places of a list with a head marked in parentheses are no people
    ("Cụm thi đua số 2 gồm UBND các huyện: Kim Sơn (Cụm trưởng), Yên Khánh, Yên Mô và Hoa Lư.", {}),
    # "chị" starts the next person: the office before it is the first person's
    ("Bà Nông Thị Mai, Chủ tịch Hội LHPN huyện Cao Lộc và chị Lường Thị Phấn phát biểu.",
     {"Nông Thị Mai": "Chủ tịch Hội LHPN huyện Cao Lộc", "Lường Thị Phấn": None}),
    # people a crime or accident report is about take part in it, birth year or not
    ("Xe khách đâm vào xe máy do anh La Ngọc Đường (SN 1986) điều khiển.", {"La Ngọc Đường": None}),
    ("Nghi phạm là Phạm Đức Anh (SN 1989), trú xóm Vũ Chấn, xã Thượng Đình.", {"Phạm Đức Anh": None}),
    # institutions and hamlets that carry a name are no people
    ("Trường Sĩ quan lục quân 2 (Đại học Nguyễn Huệ) tổ chức lễ.", {}),
    ("Công ty Cổ phần Tập đoàn Thái Bình Seed ký hợp đồng.", {}),
])
def test_officials_and_their_positions(rows, text, expected):
    """Each row: a text and exactly the officials it has, each with its position (or None)."""
    found = {r["name"]: r["position"] for r in rows(text)["officials"]}
    assert found == expected
