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


def test_the_fast_line_and_feature_paths_give_what_the_plain_ones_give(nlp):
    """Lines skipped early are the lines without a capitalised word of two syllables or more; the model's
    tags are the same with the features it has no weight for left out."""
    from conftest import ROOT

    from pipeline.nlp.extractors.person_names import _CANDIDATE, NameFeatures, doc_lines
    from pipeline.rules import load_rules

    tagger = nlp.get_pipe("vnie_person_names")
    every_feature = NameFeatures(load_rules(None))
    for path in sorted((ROOT / "corpus").rglob("*.txt"))[:15]:
        doc = nlp(path.read_text(encoding="utf-8"))
        lines = [line for line in doc_lines(doc) if any(_CANDIDATE.match(w) for w, _, _ in line)]
        assert list(tagger.name_lines(doc)) == lines
        for line in lines:
            words = [w for w, _, _ in line]
            assert every_feature.line_feature_names(words) == [list(f) for f in every_feature.line_features(words)]
            assert tagger.tag_words(words) == tagger.tagger.tag(every_feature.line_features(words))
