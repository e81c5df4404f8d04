"""Page layout, check by check: boilerplate lines, byline lines, the closing byline and the body."""
import pytest

from pipeline.nlp.layout import PageLayout, _lines

PROSE = "Sáng 12/3, Công an tỉnh tổ chức hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025."


@pytest.fixture(scope="module")
def layout():
    return PageLayout()


@pytest.mark.parametrize("line, boilerplate", [
    ("Tin liên quan", True),
    ("Tags: Công an tỉnh, hội nghị", True),
    ("Hoạt động CA tỉnh Hoạt động CA tỉnh", True),  # a menu label repeated
    ("", False),
    (PROSE, False),
    ("Đường dây nóng: 0912 345 678", True),
])
def test_is_boilerplate(layout, line, boilerplate):
    assert layout.is_boilerplate(line) is boilerplate


@pytest.mark.parametrize("line, author", [
    ("Tin, ảnh: Ngọc Tuấn", "Ngọc Tuấn"),
    ("Bài và ảnh: Lê Minh 📷", "Lê Minh"),
    ("(Phòng Tham mưu)", "Phòng Tham mưu"),
    ("HOÀNG TÂN", "HOÀNG TÂN"),
    ("Trần Hà - Minh Anh", "Trần Hà - Minh Anh"),
    ("Hùng", None),  # one word, not all capitals
    ("Đại tá Trần Văn Bình", None),  # a rank: a person in the text, not a byline
    (PROSE, None),
])
def test_byline(layout, line, author):
    found = layout.byline(line)
    assert (line[found[0]:found[1]] if found else None) == author


@pytest.mark.parametrize("line, prefixed", [
    ("Ảnh: {NAME}", True), ("Bài và ảnh: Lê Minh", True), ("Ông {NAME} phát biểu", False),
])
def test_is_prefixed_byline(layout, line, prefixed):
    assert layout.is_prefixed_byline(line) is prefixed


@pytest.mark.parametrize("text, index, author", [
    (f"Tiêu đề\n{PROSE}\nHOÀNG TÂN\nTin liên quan", 2, "HOÀNG TÂN"),
    (f"Tiêu đề\n{PROSE}\nHOÀNG TÂN\n{PROSE}", None, None),  # prose after it: not the byline
    ("HOÀNG TÂN\nTin liên quan", None, None),  # the first line is the title, not a byline
    (f"Tiêu đề\n{PROSE}", None, None),
])
def test_closing_byline(layout, text, index, author):
    found_index, found = layout.closing_byline(list(_lines(text)))
    assert found_index == index
    assert (text[found[0]:found[1]] if found else None) == author


def test_body_leaves_out_the_byline_and_what_follows(run_doc):
    text = f"Tiêu đề\n{PROSE}\nLÊ MINH\nTin liên quan\nĐọc thêm"
    doc = run_doc(text)
    assert doc._.author == "LÊ MINH"
    assert doc._.body == [(0, text.index("LÊ MINH"))]


def test_author_beside_the_date_under_the_title(run_doc):
    doc = run_doc(f"Tiêu đề\nPhan Tân| 18/12/2020 08:54\n{PROSE}")
    assert doc._.author == "Phan Tân"
