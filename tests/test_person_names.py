"""The statistical person-name tagger: shipped, offline, and finding names with nothing in front."""
import pytest

from pipeline.nlp.extractors.person_names import MODEL_PATH


def tagged(run_doc, text):
    doc = run_doc(text)
    return [s.text for s in doc.spans["person_names"]]


def test_model_ships_with_the_package():
    assert MODEL_PATH.exists() and MODEL_PATH.stat().st_size > 1000


@pytest.mark.parametrize("text, names", [
    ("Nhân dịp này, đơn vị khen thưởng đột xuất cho Trần Văn Long, Lê Thị Hồng và Ngô Quang Vinh vì thành tích phá án.",
     ["Trần Văn Long", "Lê Thị Hồng", "Ngô Quang Vinh"]),
    ("Gia đình bà Nguyễn Thị Lan ở xã Tân Phú đã nhận quà.", ["Nguyễn Thị Lan"]),
    ("Các gương tiêu biểu: Phạm Đức Hải, Vũ Thị Thu Trang, Hồ Văn Lợi.", ["Phạm Đức Hải", "Vũ Thị Thu Trang", "Hồ Văn Lợi"]),
])
def test_bare_names_are_tagged(run_doc, text, names):
    assert tagged(run_doc, text) == names


@pytest.mark.parametrize("text", [
    "Hội nghị có sự tham dự của lãnh đạo Công an các tỉnh Thái Nguyên, Hà Nam, Cao Bằng.",
    "Thực hiện lời dạy của Chủ tịch Hồ Chí Minh, các đơn vị thi đua lập công.",
    "Cán bộ, chiến sĩ Đồn Biên phòng Phú Quốc tham gia tuần tra.",
])
def test_places_and_slogans_are_not_tagged(run_doc, text):
    assert tagged(run_doc, text) == []


def test_tagged_names_become_officials(rows):
    r = rows("Nhân dịp này, đơn vị khen thưởng đột xuất cho Trần Văn Long, Lê Thị Hồng và Ngô Quang Vinh vì thành tích phá án.")
    assert [o["name"] for o in r["officials"]] == ["Trần Văn Long", "Lê Thị Hồng", "Ngô Quang Vinh"]
