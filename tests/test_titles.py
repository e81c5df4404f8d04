"""Titles: canonical form, category, conferrer, grade, status; and what is not a title."""
import pytest


def titles(rows, text):
    return [(t["title"], t["category"], t["conferrer"], t["grade"], t["status"]) for t in rows(text)["titles"]]


@pytest.mark.parametrize("text, expected", [
    ("6/8 đơn vị được suy tôn danh hiệu Đơn vị Tiên tiến.", [("Đơn vị Tiên tiến", "danh hiệu", None, None, "proposed")]),
    ("suy tôn Công an tỉnh Đồng Nai nhận Cờ thi đua xuất sắc của Chính Phủ.",
     [("Cờ thi đua của Chính phủ", "cờ thi đua", "Chính phủ", None, "proposed")]),
    ("Công an tỉnh vinh dự 03 lần được tặng Cờ thi đua Bộ Công an.",
     [("Cờ thi đua của Bộ Công an", "cờ thi đua", "Bộ Công an", None, "held")]),
    ("Thứ trưởng trao Huân chương Chiến công hạng Ba cho 01 tập thể.",
     [("Huân chương Chiến công hạng Ba", "huân chương", None, "hạng Ba", "conferred")]),
    ("Chủ tịch nước tặng Huân chương Sao Vàng cho Bộ Công an.",
     [("Huân chương Sao Vàng", "huân chương", None, None, "conferred")]),
    ("Bộ Tư lệnh BĐBP tặng Bằng khen cho 1 tập thể và 2 cá nhân.",
     [("Bằng khen của Bộ Tư lệnh Bộ đội Biên phòng", "bằng khen", "Bộ Tư lệnh Bộ đội Biên phòng", None, "conferred")]),
    ("UBND tỉnh tặng Bằng khen cho 5 tập thể.",
     [("Bằng khen của Ủy ban nhân dân tỉnh", "bằng khen", "Ủy ban nhân dân tỉnh", None, "conferred")]),
    ("Thiếu tướng Văn Ngọc Quế trao Bằng khen cho các tập thể, cá nhân.",
     [("Bằng khen", "bằng khen", None, None, "conferred")]),
    ("2 tập thể, 6 cá nhân được Ban Chỉ huy Bộ đội Biên phòng tặng giấy khen.",
     [("Giấy khen của Ban Chỉ huy Bộ đội Biên phòng", "giấy khen", "Ban Chỉ huy Bộ đội Biên phòng", None, "conferred")]),
    ("Anh Nguyễn Văn An được tặng Huy chương Chiến sĩ vẻ vang hạng Nhì.",
     [("Huy chương Chiến sĩ vẻ vang hạng Nhì", "huy chương", None, "hạng Nhì", "conferred")]),
    ("Đơn vị được tặng Huân chương Bảo vệ Tổ quốc hạng III.",
     [("Huân chương Bảo vệ Tổ quốc hạng Ba", "huân chương", None, "hạng Ba", "conferred")]),
    ("Đồng chí được tặng Bằng khen của Bộ trưởng Bộ Công an.",
     [("Bằng khen của Bộ trưởng Bộ Công an", "bằng khen", "Bộ trưởng Bộ Công an", None, "conferred")]),
    ("Hội nghị xét đề nghị tặng danh hiệu “Chiến sĩ thi đua cơ sở” cho 12 cá nhân.",
     [("Chiến sĩ thi đua cơ sở", "danh hiệu", None, None, "proposed")]),
    ("Ông được trao Kỷ niệm chương “Vì an ninh Tổ quốc”.",
     [("Kỷ niệm chương Vì an ninh Tổ quốc", "kỷ niệm chương", None, None, "conferred")]),
    ("Ông Trung trao Kỷ niệm chương Vì sự nghiệp thi đua khen thưởng cho 5 cá nhân.",
     [("Kỷ niệm chương Vì sự nghiệp thi đua khen thưởng", "kỷ niệm chương", None, None, "conferred")]),
    ("Chủ tịch UBND tỉnh trao Cờ thi đua cho các đơn vị dẫn đầu.", [("Cờ thi đua", "cờ thi đua", None, None, "conferred")]),
    ("Có 18 cá nhân được Thủ tướng Chính phủ tặng Bằng khen.",
     [("Bằng khen của Thủ tướng Chính phủ", "bằng khen", "Thủ tướng Chính phủ", None, "conferred")]),
    ("Phòng được tặng Giấy khen của Giám đốc Sở Tư pháp tỉnh Bình Định vì thành tích xuất sắc.",
     [("Giấy khen của Giám đốc Sở Tư pháp tỉnh Bình Định", "giấy khen", "Giám đốc Sở Tư pháp tỉnh Bình Định", None, "conferred")]),
    ("Đơn vị được tặng Cờ thi đua của UBND tỉnh.",
     [("Cờ thi đua của Ủy ban nhân dân tỉnh", "cờ thi đua", "Ủy ban nhân dân tỉnh", None, "conferred")]),
    # Which command, as written: its number, its "tỉnh", its province.
    ("Dịp này, Tư lệnh Quân khu 7 tặng Bằng khen cho 3 tập thể.",
     [("Bằng khen của Tư lệnh Quân khu 7", "bằng khen", "Tư lệnh Quân khu 7", None, "conferred")]),
    ("Bộ Chỉ huy BĐBP tỉnh tặng Giấy khen cho 2 tập thể có thành tích.",
     [("Giấy khen của Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "giấy khen", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", None,
       "conferred")]),
    ("Bộ Chỉ huy BĐBP tỉnh Kiên Giang tặng Giấy khen cho đồn.",
     [("Giấy khen của Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kiên Giang", "giấy khen",
       "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kiên Giang", None, "conferred")]),
    ("Tư lệnh Quân chủng Phòng không - Không quân tặng Bằng khen cho 9 tập thể.",
     [("Bằng khen của Tư lệnh Quân chủng Phòng không - Không quân", "bằng khen",
       "Tư lệnh Quân chủng Phòng không - Không quân", None, "conferred")]),
    ("Có 28 cá nhân đạt danh hiệu Chiến sĩ thi đua cấp tỉnh.",
     [("Chiến sĩ thi đua cấp tỉnh", "danh hiệu", None, None, "conferred")]),
    ("Bộ Tư lệnh Quân đoàn 34 tặng Giấy khen cho 8 tập thể.",
     [("Giấy khen của Bộ Tư lệnh Quân đoàn 34", "giấy khen", "Bộ Tư lệnh Quân đoàn 34", None, "conferred")]),
    ("Ban Thường vụ Tỉnh Đoàn tặng Bằng khen cho 6 tập thể.",
     [("Bằng khen của Ban Thường vụ Tỉnh đoàn", "bằng khen", "Ban Thường vụ Tỉnh đoàn", None, "conferred")]),
    ("Ông được tặng Bằng khen của Bộ trưởng Bộ Nông nghiệp và Môi trường vì thành tích xuất sắc.",
     [("Bằng khen của Bộ trưởng Bộ Nông nghiệp và Môi trường", "bằng khen", "Bộ trưởng Bộ Nông nghiệp và Môi trường",
       None, "conferred")]),
    ("Sở đón nhận Cờ thi đua của UBND tỉnh\n\n12/07/2025 08:15",
     [("Cờ thi đua của Ủy ban nhân dân tỉnh", "cờ thi đua", "Ủy ban nhân dân tỉnh", None, "conferred")]),
    # A person's office before the verb is the conferrer, head and all.
    ("Nhân dịp này, Bộ trưởng Bộ Y tế tặng Bằng khen cho 5 cá nhân.",
     [("Bằng khen của Bộ trưởng Bộ Y tế", "bằng khen", "Bộ trưởng Bộ Y tế", None, "conferred")]),
    ("Cục trưởng Cục Thuế tỉnh tặng Giấy khen cho 12 cá nhân.",
     [("Giấy khen của Cục trưởng Cục Thuế tỉnh", "giấy khen", "Cục trưởng Cục Thuế tỉnh", None, "conferred")]),
    ("Giám đốc Công an tỉnh trao Giấy khen cho 3 tập thể.",  # hands it over: not the conferrer
     [("Giấy khen", "giấy khen", None, None, "conferred")]),
    # Named medals and titles without quotes.
    ("Đại tá Lê Văn Cường trao Kỷ niệm chương Bảo vệ an ninh Tổ quốc cho 3 cá nhân.",
     [("Kỷ niệm chương Bảo vệ an ninh Tổ quốc", "kỷ niệm chương", None, None, "conferred")]),
    ("Chị được công nhận danh hiệu Chiến sĩ thi đua ngành Y tế.",
     [("Chiến sĩ thi đua ngành Y tế", "danh hiệu", None, None, "conferred")]),
])
def test_titles(rows, text, expected):
    assert titles(rows, text) == expected


@pytest.mark.parametrize("text", [
    "các đơn vị đề xuất danh hiệu thi đua của đơn vị mình.",
    "chú trọng công tác thi đua, khen thưởng và các hình thức khen thưởng kịp thời.",
    "Đội thi đã đạt giải Nhất toàn đoàn và 2 giải Xuất sắc.",
    "xây dựng đơn vị vững mạnh toàn diện “mẫu mực, tiêu biểu”.",
])
def test_not_titles(rows, text):
    assert titles(rows, text) == []


def test_one_row_per_recipient(rows):
    text = "Các đơn vị thống nhất suy tôn Công an tỉnh BR-VT, Đồng Tháp, Tây Ninh nhận Cờ thi đua của Bộ Công an."
    r = [t["recipient"] for t in rows(text)["titles"]]
    assert r == ["Công an tỉnh BR-VT", "Công an tỉnh Đồng Tháp", "Công an tỉnh Tây Ninh"]


def test_a_flag_named_fully_elsewhere_is_not_a_separate_title(rows):
    text = ("Trao Cờ thi đua cho các đơn vị năm 2024.\n"
            "Thứ trưởng trao Cờ thi đua của Chính phủ cho Công an tỉnh Lào Cai.")
    assert [t["title"] for t in rows(text)["titles"]] == ["Cờ thi đua của Chính phủ"]


def test_a_later_clause_inherits_the_sentence_conferrer(rows):
    text = "Năm 2022, UBND tỉnh đã tặng Cờ thi đua cho 45 tập thể; tặng Bằng khen cho 320 tập thể và 650 cá nhân."
    assert [t["title"] for t in rows(text)["titles"]] == ["Cờ thi đua của Ủy ban nhân dân tỉnh",
                                                           "Bằng khen của Ủy ban nhân dân tỉnh"]


def test_the_fast_title_scan_finds_what_the_full_scan_finds(nlp):
    from conftest import ROOT
    from pipeline.text.normalize import fold_tones

    extractor = nlp.get_pipe("vnie_titles")
    for path in sorted((ROOT / "corpus").rglob("*.txt")):
        text = fold_tones(path.read_text(encoding="utf-8"))
        assert [m.span() for m in extractor._title_matches(text)] == [m.span() for m in extractor.title_re.finditer(text)]


def test_title_starts_are_where_the_caseless_scan_finds_them(nlp):
    from conftest import ROOT
    from pipeline.text.normalize import fold_tones

    extractor = nlp.get_pipe("vnie_titles")
    for path in sorted((ROOT / "corpus").rglob("*.txt"))[:20]:
        text = fold_tones(path.read_text(encoding="utf-8"))
        # any case, the characters (?i) also matches a letter with (Kelvin sign, dotted I), a letter-like
        # number before a word, and a character outside the Latin blocks (the full scan is used then)
        for variant in (text, text.upper(), text.swapcase(), text.replace("k", "\u212a").replace("i", "\u0130"),
                        text.replace(" ", "\u00b2"), text + "\u4e2d"):
            assert [m.span() for m in extractor._title_starts(variant)] == \
                [m.span() for m in extractor.start_re.finditer(variant)]


# Each named check of TitleExtractor, on the first candidate of a sentence: kept or vetoed.
@pytest.fixture(scope="module")
def extractor():
    from pipeline.nlp.extractors.titles import TitleExtractor

    return TitleExtractor()


def _first_candidate(extractor, text, unlisted=None):
    return next(c for c in extractor.candidates(text) if unlisted is None or c.unlisted_medal == unlisted)


@pytest.mark.parametrize("text, kept", [
    ("Ông được tặng Huân chương Hữu nghị của nước bạn.", True),  # not in the list: kept as written
    ("Đơn vị được tặng Huân chương Chiến công hạng Nhất.", True),  # "Huân chương Chiến": the list finds the rest
    ("Chủ tịch nước tặng Huân chương Sao Vàng cho Bộ Công an.", False),  # the listed "Huân chương Sao Vàng"
    ("Đơn vị được tặng Huân chương Hồ Chí Minh.", False),
])
def test_not_a_listed_title(extractor, text, kept):
    assert extractor.not_a_listed_title(_first_candidate(extractor, text, unlisted=True)) is kept


@pytest.mark.parametrize("text, kept", [
    ("6/8 đơn vị được suy tôn danh hiệu Đơn vị Tiên tiến.", True),
    ("được công nhận danh hiệu đơn vị tiên tiến.", True),  # after "danh hiệu"
    ("đạt Chiến sĩ thi đua cơ sở.", True),  # capitalised
    ("phấn đấu xây dựng đơn vị tiên tiến, vững mạnh.", False),
    ("các chiến sĩ thi đua cơ sở của đơn vị", False),
    ("được tặng bằng khen của UBND tỉnh.", True),  # not an honorary title: the check does not apply
])
def test_named_as_a_title(extractor, text, kept):
    assert extractor.named_as_a_title(_first_candidate(extractor, text)) is kept


@pytest.mark.parametrize("text, kept", [
    ("đạt danh hiệu Đơn vị vững mạnh toàn diện.", True),
    ("xây dựng Đơn vị vững mạnh toàn diện “mẫu mực, tiêu biểu”.", False),
    ("được tặng Cờ thi đua của Bộ Công an.", True),  # needs no cue
])
def test_cued_if_needed(extractor, text, kept):
    assert extractor.cued_if_needed(_first_candidate(extractor, text)) is kept


@pytest.mark.parametrize("text, kept", [
    ("Công an tỉnh được tặng Cờ thi đua của Bộ Công an.", True),
    ("Đơn vị nhận Cờ thi đua luân lưu của Cụm.", False),
    ("Công an tỉnh A bàn giao Cờ thi đua cho Công an tỉnh B.", False),
    ("Đơn vị quyết tâm giữ vững Cờ thi đua.", False),
])
def test_not_in_a_non_title_phrase(extractor, text, kept):
    assert extractor.not_in_a_non_title_phrase(_first_candidate(extractor, text)) is kept


@pytest.mark.parametrize("clause, presenter", [
    ("Chủ tịch UBND tỉnh trao ", True),  # a person hands it over
    ("Giám đốc Công an tỉnh đã trao ", True),
    ("Chủ tịch UBND tỉnh trao tặng ", False),  # "trao tặng": confers
    ("UBND tỉnh trao ", False),  # a body, not a person
    ("Bộ trưởng Bộ Y tế tặng ", False),
    ("được Thủ tướng Chính phủ trao ", False),  # the giver
])
def test_presenter(extractor, clause, presenter):
    before = extractor.conferrer_before_re.search(clause)
    assert extractor.presenter(before) is presenter


@pytest.mark.parametrize("written, expected", [
    ("UBND tỉnh", "Ủy ban nhân dân tỉnh"),
    ("Chính Phủ", "Chính phủ"),
    ("Bộ Chỉ huy BĐBP tỉnh Kiên Giang", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kiên Giang"),
    ("Tư lệnh Quân khu 7", "Tư lệnh Quân khu 7"),
])
def test_conferrer_normalised(extractor, written, expected):
    assert extractor.conferrers.normalise(written) == expected
