"""The organisation and office layer: ORG and POSITION spans, each sentence written for this test."""
import pytest

from pipeline.nlp.lexicon import expand
from pipeline.nlp.organisations import OrganisationFinder


@pytest.fixture(scope="module")
def spans(run_doc):
    finder = OrganisationFinder()

    def _spans(text: str, key: str) -> list[str]:
        doc = finder(run_doc(text))
        return [s._.value for s in doc.spans[key]]

    return _spans


@pytest.mark.parametrize("text, orgs", [
    # open-ended names: the head, then capitalised words, numbers and inner words
    ("Đơn vị được Ban Chỉ đạo 389 quốc gia tặng bằng khen.", ["Ban Chỉ đạo 389 quốc gia"]),
    ("Bằng khen của Công đoàn Ngành Y tế Việt Nam được trao cho 3 tập thể.", ["Công đoàn Ngành Y tế Việt Nam"]),
    ("Bộ Tư lệnh Cảnh sát biển tặng 4 bằng khen.", ["Bộ Tư lệnh Cảnh sát biển"]),
    ("Cục Nghiệp vụ và Pháp luật Cảnh sát biển tổ chức đại hội.", ["Cục Nghiệp vụ và Pháp luật Cảnh sát biển"]),
    ("Hội đồng Thi đua - Khen thưởng Bộ Giáo dục và Đào tạo đã xét.", ["Hội đồng Thi đua - Khen thưởng Bộ Giáo dục và Đào tạo"]),
    # administrative units and their places belong to the name; a bare unit word ends it
    ("Cục Thuế tỉnh tuyên dương 20 đơn vị.", ["Cục Thuế tỉnh"]),
    ("Công an tỉnh Ninh Bình đón nhận Huân chương.", ["Công an tỉnh Ninh Bình"]),
    # abbreviations are expanded in the value
    ("UBND tỉnh Bến Tre tặng cờ thi đua.", ["Ủy ban nhân dân tỉnh Bến Tre"]),
    ("Trung ương Hội Chữ thập đỏ TP.HCM tặng bằng khen.", ["Trung ương Hội Chữ thập đỏ thành phố Hồ Chí Minh"]),
    # "và" before another organisation: two organisations
    ("UBND tỉnh và Công an tỉnh Hà Nam phối hợp.", ["Ủy ban nhân dân tỉnh", "Công an tỉnh Hà Nam"]),
    # a verb, a person, a count or a cluster ends the name
    ("Bộ Quốc phòng tặng 1 cờ thi đua.", ["Bộ Quốc phòng"]),
    ("Thứ trưởng Bộ Nội vụ Trần Anh Tuấn trao quyết định.", ["Bộ Nội vụ"]),
    ("Công an 5 tỉnh Cụm thi đua số 7 ký kết giao ước.", ["Công an"]),
    ("Quân khu 7 tổ chức hội nghị.", ["Quân khu 7"]),
    # a person whose surname is a head word is no organisation
    ("Ông Đoàn Minh Khải, Giám đốc Sở Tư pháp, phát biểu.", ["Sở Tư pháp"]),
    # a head word alone is no organisation
    ("Lãnh đạo các Bộ, ngành dự hội nghị.", []),
    ("Ông là Phó Vụ trưởng.", []),
])
def test_organisations(spans, text, orgs):
    assert spans(text, "orgs") == orgs


@pytest.mark.parametrize("text, positions", [
    ("Phó Thủ tướng Chính phủ Lê Minh Khái trao tặng Huân chương.", ["Phó Thủ tướng Chính phủ"]),
    ("Ông Nguyễn Văn Bình, Giám đốc Công an tỉnh Quảng Ngãi đến giữ chức vụ mới.", ["Giám đốc Công an tỉnh Quảng Ngãi"]),
    ("Ông Cao Văn Trọng, Chủ tịch Hội đồng TĐKT tỉnh giao Thường trực thực hiện.", ["Chủ tịch Hội đồng TĐKT tỉnh"]),
    ("Đại tá Lê Ngọc Châu, Tư lệnh Bộ Tư lệnh CSCĐ trình bày diễn văn.", ["Tư lệnh Bộ Tư lệnh CSCĐ"]),
    ("Tổng Giám đốc BHXH Việt Nam Nguyễn Thế Mạnh phát biểu.", ["Tổng Giám đốc BHXH Việt Nam"]),
    ("Bà Lê Thị Hoa, nguyên Phó Giám đốc Bệnh viện tỉnh, nhận bằng khen.", ["nguyên Phó Giám đốc Bệnh viện tỉnh"]),
    ("Ông Trần Văn Nam, Quyền Chủ tịch UBND huyện, chủ trì.", ["Quyền Chủ tịch UBND huyện"]),
    ("Ông Đỗ Văn An, Giám đốc Sở Nông nghiệp và PTNT vinh dự nhận.", ["Giám đốc Sở Nông nghiệp và PTNT"]),
])
def test_positions(spans, text, positions):
    assert spans(text, "positions") == positions


@pytest.mark.parametrize("name, expanded", [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("BĐBP tỉnh Lạng Sơn", "Bộ đội Biên phòng tỉnh Lạng Sơn"),
    ("LĐLĐ tỉnh Đồng Nai", "Liên đoàn Lao động tỉnh Đồng Nai"),
    ("Công an TP.Thủ Đức", "Công an thành phố Thủ Đức"),
    ("Bộ Công an", "Bộ Công an"),
])
def test_expand(name, expanded):
    from pipeline.nlp.lexicon import abbreviations

    assert expand(name, abbreviations()) == expanded


@pytest.mark.parametrize("text, words", [
    ("Công an", ["Công an"]),  # a word of two syllables is one word
    ("UBND tỉnh", ["UBND", "tỉnh"]),
    ("  \n", []),  # white space is no word
    ("Lê Xuân Hòa-Giám đốc", ["Lê Xuân Hòa", "Giám đốc"]),  # a dash glues a name and an office
    ("Ăng-Co", ["Ăng-Co"]),  # a one-word compound stays whole
    ("PTNT vinh", ["PTNT", "vinh"]),  # an abbreviation the segmenter joined to the next word
    ("P.A vinh", ["P.A", "vinh"]),
    ("Ptnt vinh", ["Ptnt vinh"]),
    ("PTNT Vinh", ["PTNT Vinh"]),
])
def test_a_token_s_words(text, words):
    """What :func:`words_of` makes of one token, asked twice (the second time remembered)."""
    from pipeline.nlp.organisations import _plan

    pieces = _plan(text)
    found = [text] if pieces is None else [piece for _, _, piece in pieces]
    assert found == words
    assert all(text[s:e] == piece for s, e, piece in pieces or ())


def test_words_of_a_doc_are_the_text_they_cover(run_doc):
    from pipeline.nlp.organisations import words_of

    text = "Đại tá Lê Xuân Hòa-Giám đốc Công an tỉnh và UBND tỉnh Bến Tre."
    for _ in range(2):  # the plans are remembered the first time
        words = words_of(run_doc(text))
        assert [w.text for w in words if w.text in {"Lê Xuân Hòa", "Giám đốc", "UBND"}] == ["Lê Xuân Hòa", "Giám đốc", "UBND"]
        assert all(text[w.start:w.end] == w.text for w in words)
        assert all(not w.text.isspace() for w in words)
