"""Officials, check by check: each veto and accept check of ``OfficialExtractor`` on its own sentences.

A row names the check, a sentence, a name in it and whether the check holds for that name
(True: the veto rejects it, or the accept check vouches for it). Every check has rows both ways.
"""
import pytest

from pipeline.nlp.extractors.officials import OfficialExtractor
from pipeline.text.normalize import canonical

PROSE = "Sáng 12/3, Công an tỉnh tổ chức hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025."

VETO_ROWS = [
    ("inside_an_organisation", "Học sinh Trường THPT Nguyễn Huệ tổ chức lễ khai giảng.", "Nguyễn Huệ", True),
    ("inside_an_organisation", "Bộ Y tế, Bà Nguyễn Thị Huệ phát biểu.", "Nguyễn Thị Huệ", False),
    ("cut_off", "Bằng khen được trao cho thiếu tướng Lê Đức Th", "Lê Đức Th", True),
    ("cut_off", "Bằng khen được trao cho thiếu tướng Lê Đức Thảo", "Lê Đức Thảo", False),
    ("starts_an_office", "Phó Chính ủy Lữ đoàn phát biểu tại hội nghị.", "Phó Chính", True),
    ("starts_an_office", "Ông Phó Đức Chính phát biểu tại hội nghị.", "Phó Đức Chính", False),
    ("in_boilerplate", f"Tiêu đề\n{PROSE}\nTags: Nguyễn Văn Hùng, Công an tỉnh", "Nguyễn Văn Hùng", True),
    ("in_boilerplate", f"Tiêu đề\n{PROSE} Đại tá Nguyễn Văn Hùng chủ trì.", "Nguyễn Văn Hùng", False),
    ("is_the_author", f"Tiêu đề\n{PROSE}\n\nBài và ảnh: Trịnh Văn Hưng\n", "Trịnh Văn Hưng", True),
    ("is_the_author", f"Tiêu đề\n{PROSE} Ông Trịnh Văn Hưng phát biểu.\n\nLÊ MINH\n", "Trịnh Văn Hưng", False),
    ("is_stoplisted", "Đoàn viên học tập tấm gương anh hùng Võ Thị Sáu.", "Võ Thị Sáu", True),
    ("is_stoplisted", "Thiếu tá Võ Thị Sương nhận Bằng khen.", "Võ Thị Sương", False),
    ("is_a_place", "Đoàn công tác đến làm việc với Công an Phan Thiết.", "Phan Thiết", True),
    ("is_a_place", "Đồng chí Phan Văn Thiết phát biểu.", "Phan Văn Thiết", False),
    ("after_a_credit", "Lãnh đạo tỉnh trao Bằng khen cho các tập thể. Ảnh: Mạc Văn Tú", "Mạc Văn Tú", True),
    ("after_a_credit", "Nguồn - Lê Văn Hải, Công an huyện", "Lê Văn Hải", True),
    ("after_a_credit", "Đại úy Mạc Văn Tú trao Bằng khen cho các tập thể.", "Mạc Văn Tú", False),
    ("after_a_namesake_word", "Học sinh Trường THPT Lê Quý Đôn tham gia hội thi.", "Lê Quý Đôn", True),
    ("after_a_namesake_word", "Công an phường tuần tra trên đường Lê Lợi.", "Lê Lợi", True),
    ("after_a_namesake_word", "Hiệu trưởng Lê Quý Đông phát biểu.", "Lê Quý Đông", False),
    ("after_a_place_word", "Đoàn công tác làm việc tại huyện Lâm Hà trong hai ngày.", "Lâm Hà", True),
    ("after_a_place_word", "Nhiều hộ dân sống ven sông Đồng Nai đã được hỗ trợ.", "Đồng Nai", True),
    ("after_a_place_word", "Chủ tịch UBND huyện Lâm Văn Hà tặng quà cho các gia đình.", "Lâm Văn Hà", False),
    ("in_a_place_list", "Mưa lớn gây ngập các phường Bến Nghé, Đa Kao, Võ Thị Sương và Tân Định.", "Võ Thị Sương", True),
    ("in_a_place_list", "Khen thưởng các đồng chí Lê Văn Dũng, Võ Thị Sương và Trần Minh Tâm.", "Võ Thị Sương", False),
    ("inside_quotes", "Đơn vị phát động phong trào “Noi gương Trần Quốc Toản, lập công dâng Đảng”.", "Trần Quốc Toản", True),
    ("inside_quotes", "Đại tá Trần Quốc Toàn phát động phong trào “Lập công dâng Đảng”.", "Trần Quốc Toàn", False),
    ("glued_to_the_next_word", "Ban Thường vụ Đoàn Thanh niên Công an tỉnh họp phiên thường kỳ.", "Đoàn Thanh", True),
    ("glued_to_the_next_word", "Thượng úy Lê Thị Thu nhận Giấy khen của Giám đốc.", "Lê Thị Thu", False),
    ("glued_to_the_next_word", "Đại tá Lê Hồng Hiệp dự hội nghị.", "Lê Hồng Hiệp", False),
]

ACCEPT_ROWS = [
    ("vouched_by_rank", "Thượng tá Hà Văn Tuấn dự lễ ra quân.", "Hà Văn Tuấn", True),
    ("vouched_by_rank", "Đại tá, ThS. Hà Văn Tuấn dự lễ ra quân.", "Hà Văn Tuấn", True),
    ("vouched_by_rank", "Ông Hà Văn Tuấn dự lễ ra quân.", "Hà Văn Tuấn", False),
    ("vouched_by_address", "Đón đoàn có đồng chí Hà Văn Tuấn và lãnh đạo xã.", "Hà Văn Tuấn", True),
    ("vouched_by_address", "Đón đoàn có Thượng tá Hà Văn Tuấn và lãnh đạo xã.", "Hà Văn Tuấn", False),
    ("has_a_position", "Hà Văn Tuấn, Chánh Văn phòng Công an tỉnh, báo cáo kết quả.", "Hà Văn Tuấn", True),
    ("has_a_position", "Giám đốc Sở Tư pháp Hà Văn Tuấn báo cáo kết quả.", "Hà Văn Tuấn", True),
    ("has_a_position", "Hà Văn Tuấn cho biết kết quả rất khả quan.", "Hà Văn Tuấn", False),
    ("after_a_role_word", "Tiền đạo Tanaka Ryota ghi bàn ở phút 80.", "Tanaka Ryota", True),
    ("after_a_role_word", "Bị cáo Kang Dong-hyun bị tuyên phạt 7 năm tù.", "Kang Dong-hyun", True),
    ("after_a_role_word", "Tanaka Ryota ghi bàn ở phút 80.", "Tanaka Ryota", False),
    ("in_a_name_list", "Giấy khen được trao cho các cá nhân: Hà Văn Tuấn, Lò Thị Mai.", "Hà Văn Tuấn", True),
    ("in_a_name_list", "Hà Văn Tuấn, Lò Thị Mai được trao Giấy khen.", "Hà Văn Tuấn", False),
    ("tagged_by_the_model", "Nhân dịp này, đơn vị khen thưởng đột xuất cho Trần Văn Long, Lê Thị Hồng và Ngô Quang Vinh vì thành tích phá án.",
     "Lê Thị Hồng", True),
    ("tagged_by_the_model", "Du khách tham quan Bảo tàng Hồ Văn Tâm ở trung tâm.", "Hồ Văn Tâm", False),
]


@pytest.fixture(scope="module")
def extractor(nlp) -> OfficialExtractor:
    return nlp.get_pipe("vnie_officials")


def candidate(extractor, run_doc, text, name):
    doc = run_doc(text)
    found = [c for c in extractor.candidates(extractor.context(doc)) if canonical(c.name) == canonical(name)]
    assert found, f"no candidate {name!r} in {text!r}"
    return found[0]


@pytest.mark.parametrize("check, text, name, rejects", VETO_ROWS)
def test_veto_check(extractor, run_doc, check, text, name, rejects):
    c = candidate(extractor, run_doc, text, name)
    assert getattr(extractor, check)(c) is rejects


@pytest.mark.parametrize("check, text, name, accepts", ACCEPT_ROWS)
def test_accept_check(extractor, run_doc, check, text, name, accepts):
    c = candidate(extractor, run_doc, text, name)
    assert getattr(extractor, check)(c, extractor.draft(c)) is accepts


def test_every_check_has_rows_both_ways():
    vetoes = {(check, holds) for check, _, _, holds in VETO_ROWS}
    accepts = {(check, holds) for check, _, _, holds in ACCEPT_ROWS}
    assert vetoes == {(check, holds) for check in OfficialExtractor.VETOES for holds in (True, False)}
    assert accepts == {(check, holds) for _, check in OfficialExtractor.ACCEPTS for holds in (True, False)}
