"""Officials: names, ranks, positions, later mentions, promotions, and what is not an official."""
import pytest


def officials(rows, text):
    return {o["name"]: (o["rank"], o["position"], o["mentions"]) for o in rows(text)["officials"]}


@pytest.mark.parametrize("text, name, rank, position", [
    ("Trung tá Mai Thế Quang, Phó Giám đốc Công an tỉnh chủ trì hội nghị.",
     "Mai Thế Quang", "Trung tá", "Phó Giám đốc Công an tỉnh"),
    ("Dự và chủ trì có Đại tá Trần Minh Thùy – Phó Giám đốc Công an tỉnh.",
     "Trần Minh Thùy", "Đại tá", "Phó Giám đốc Công an tỉnh"),
    ("Tham dự có đồng chí Thiếu tướng Lê Hồng Hiệp, Phó Cục trưởng Cục Công tác Đảng và Công tác chính trị, Bộ Công an, đại diện các đơn vị.",
     "Lê Hồng Hiệp", "Thiếu tướng", "Phó Cục trưởng Cục Công tác Đảng và Công tác chính trị, Bộ Công an"),
    ("Dự hội nghị có Thiếu tướng Trần Quốc Tỏ, Ủy viên Trung ương Đảng, Thứ trưởng Bộ Công an; đại diện lãnh đạo tỉnh.",
     "Trần Quốc Tỏ", "Thiếu tướng", "Ủy viên Trung ương Đảng; Thứ trưởng Bộ Công an"),
    ("Dự có đồng chí Nguyễn Thanh Hải, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, Trưởng đoàn ĐBQH tỉnh Thái Nguyên.",
     "Nguyễn Thanh Hải", None, "Ủy viên Trung ương Đảng; Bí thư Tỉnh ủy; Trưởng đoàn ĐBQH tỉnh Thái Nguyên"),
    ("Cùng đi có các đồng chí: Đinh Thị Lụa, Phó Bí thư Thường trực Tỉnh ủy; Đào Đình Tùng, Trưởng Ban Nội chính Tỉnh ủy.",
     "Đinh Thị Lụa", None, "Phó Bí thư Thường trực Tỉnh ủy"),
    ("Cùng đi có các đồng chí: Đinh Thị Lụa, Phó Bí thư Thường trực Tỉnh ủy; Đào Đình Tùng, Trưởng Ban Nội chính Tỉnh ủy.",
     "Đào Đình Tùng", None, "Trưởng Ban Nội chính Tỉnh ủy"),
    ("Thủ tướng Chính phủ Phạm Minh Chính dự và phát biểu chỉ đạo tại hội nghị.",
     "Phạm Minh Chính", None, "Thủ tướng Chính phủ"),
    ("Đại tướng Lương Tam Quang - Bộ trưởng Bộ Công an chủ trì hội nghị.",
     "Lương Tam Quang", "Đại tướng", "Bộ trưởng Bộ Công an"),
    ("Tại buổi lễ, ông Phạm Huy Giang, Trưởng Ban Thi đua - Khen thưởng Trung ương, công bố quyết định.",
     "Phạm Huy Giang", None, "Trưởng Ban Thi đua - Khen thưởng Trung ương"),
    ("Thượng tá Lê Hồng Tuyên, Phó Chính ủy BĐBP thành phố (giữa) trao giấy khen cho các đơn vị.",
     "Lê Hồng Tuyên", "Thượng tá", "Phó Chính ủy BĐBP thành phố"),
    ("Bà Hoàng Thị Thu Hà, Phó Chủ tịch UBND tỉnh Quảng Bình phát biểu tại buổi lễ.",
     "Hoàng Thị Thu Hà", None, "Phó Chủ tịch UBND tỉnh Quảng Bình"),
    ("Chiều 5/4, Đại úy Vũ Văn Đạt, Đội trưởng Đội Cảnh sát giao thông được tặng Bằng khen.",
     "Vũ Văn Đạt", "Đại úy", "Đội trưởng Đội Cảnh sát giao thông"),
    ("Thượng úy Lò Văn Sáng, cán bộ Đồn Biên phòng Mường Lèo đã dũng cảm cứu người.",
     "Lò Văn Sáng", "Thượng úy", None),
    ("Đồng chí Nguyễn Văn Thắng, Trưởng ban Nội chính Tỉnh ủy Tiền Giang tặng bằng khen cho các tập thể.",
     "Nguyễn Văn Thắng", None, "Trưởng ban Nội chính Tỉnh ủy Tiền Giang"),
    ("Chuẩn Đô đốc Phạm Văn Dũng, Phó Tư lệnh Cảnh sát biển dự lễ.",
     "Phạm Văn Dũng", "Chuẩn Đô đốc", "Phó Tư lệnh Cảnh sát biển"),
    ("Trung uý Đỗ Thị Mai, Phó Đội trưởng đã nhận Giấy khen.",
     "Đỗ Thị Mai", "Trung úy", "Phó Đội trưởng"),
    ("Chủ tịch UBND tỉnh Nguyễn Đức Trung chủ trì hội nghị.", "Nguyễn Đức Trung", None, "Chủ tịch UBND tỉnh"),
    ("Dự có Thượng tá Nguyễn Văn An, Trưởng phòng PC06 và Trung tá Trần Văn Bảo, Phó Trưởng phòng PC06.",
     "Nguyễn Văn An", "Thượng tá", "Trưởng phòng PC06"),
    ("Dự có Thượng tá Nguyễn Văn An, Trưởng phòng PC06 và Trung tá Trần Văn Bảo, Phó Trưởng phòng PC06.",
     "Trần Văn Bảo", "Trung tá", "Phó Trưởng phòng PC06"),
    ("Cùng dự có ông Lê Văn Hòa, Giám đốc Sở Nội vụ và bà Trần Thị Hạnh, Phó Giám đốc Sở.",
     "Lê Văn Hòa", None, "Giám đốc Sở Nội vụ"),
    ("Đại tá, TS. Nguyễn Văn Long, Phó Giám đốc Học viện Cảnh sát nhân dân phát biểu.",
     "Nguyễn Văn Long", "Đại tá", "Phó Giám đốc Học viện Cảnh sát nhân dân"),
    ("Giám đốc Công an tỉnh Lạng Sơn Hoàng Văn Dũng phát biểu.", "Hoàng Văn Dũng", None, "Giám đốc Công an tỉnh Lạng Sơn"),
])
def test_official_rank_and_position(rows, text, name, rank, position):
    found = officials(rows, text)
    assert name in found, found
    assert found[name][0] == rank
    assert found[name][1] == position


def test_later_mentions_merge_into_one_row(rows):
    text = ("Đại tướng Tô Lâm, Bộ trưởng Bộ Công an chủ trì lễ công bố quyết định thăng cấp bậc hàm cho ông Tô Ân Xô.\n"
            "Bộ trưởng Tô Lâm trao quyết định cho Trung tướng Tô Ân Xô.\n"
            "Bộ trưởng Tô Lâm nói, Trung tướng Xô đã không ngừng học tập.")
    found = officials(rows, text)
    assert set(found) == {"Tô Lâm", "Tô Ân Xô"}
    assert found["Tô Lâm"] == ("Đại tướng", "Bộ trưởng Bộ Công an", 3)
    assert found["Tô Ân Xô"][0] == "Trung tướng"
    assert found["Tô Ân Xô"][2] == 3


@pytest.mark.parametrize("text, name, rank", [
    ("Bộ trưởng trao quyết định thăng cấp bậc hàm Trung tướng cho Thiếu tướng Nguyễn Ngọc Toàn, Cục trưởng Cục Công tác Đảng.",
     "Nguyễn Ngọc Toàn", "Trung tướng"),
    ("Ông Tô Ân Xô, Chánh văn phòng Bộ Công an, được thăng quân hàm Trung tướng, chiều 16/4.", "Tô Ân Xô", "Trung tướng"),
    ("Đại tá Hoàng Văn Minh, Giám đốc Công an tỉnh được thăng cấp bậc hàm từ Đại tá lên Thiếu tướng.",
     "Hoàng Văn Minh", "Thiếu tướng"),
])
def test_promotion_gives_the_new_rank(rows, text, name, rank):
    assert officials(rows, text)[name][0] == rank


def test_a_promotion_list_gives_every_listed_person_the_new_rank(rows):
    text = ("Sáng 2/3, Công an tỉnh trao quyết định thăng cấp bậc hàm. Theo đó, 3 đồng chí được thăng cấp bậc hàm "
            "từ Trung tá lên Thượng tá gồm: Vũ Đình Phúc, Phó Trưởng phòng Hậu cần; Trần Thị Mỹ Linh, Đội trưởng "
            "Đội Tổng hợp; Lò Văn Sướng, Phó Trưởng Công an huyện.\nĐại tá Phan Văn Hậu chủ trì.")
    found = officials(rows, text)
    assert {name: found[name][0] for name in ("Vũ Đình Phúc", "Trần Thị Mỹ Linh", "Lò Văn Sướng")} == {
        "Vũ Đình Phúc": "Thượng tá", "Trần Thị Mỹ Linh": "Thượng tá", "Lò Văn Sướng": "Thượng tá"}
    assert found["Phan Văn Hậu"][0] == "Đại tá"  # outside the list


def test_awardee_list_without_positions(rows):
    text = ("Tiêu biểu như: Phòng Tham mưu, Đồn Biên phòng Tân Thành và các cá nhân: Nguyễn Hữu Nhâm, "
            "Nguyễn Văn Hải, Phạm Thanh Vũ, Khấu Văn Giàu…")
    assert set(officials(rows, text)) == {"Nguyễn Hữu Nhâm", "Nguyễn Văn Hải", "Phạm Thanh Vũ", "Khấu Văn Giàu"}


@pytest.mark.parametrize("text, name, position", [
    ("Dự có bà H'Lim Niê, Phó Chủ tịch UBND huyện Krông Pắc.", "H'Lim Niê", "Phó Chủ tịch UBND huyện Krông Pắc"),
    ("Thượng tá Ksor Nheo, Chỉ huy trưởng Ban CHQS huyện, phát biểu.", "Ksor Nheo", "Chỉ huy trưởng Ban CHQS huyện"),
])
def test_names_whose_surname_the_gazetteer_does_not_know(rows, text, name, position):
    """Central Highlands names ("H'Lim Niê", "Ksor Nheo"): the name model finds them, the context vouches."""
    assert officials(rows, text)[name][1] == position


def test_a_model_name_without_rank_address_or_position_is_not_an_official(rows):
    assert "Ksor Nheo" not in officials(rows, "Đội văn nghệ hát bài Ksor Nheo ngày hội.")


def test_a_position_ends_where_a_new_verb_starts(rows):
    text = ("Thiếu tướng Lê Văn Tuấn trao quyết định thăng cấp bậc hàm Đại tá cho Thượng tá Đoàn Minh Khôi, "
            "Trung đoàn trưởng và thăng cấp bậc hàm Thượng tá cho Trung tá Vi Văn Lợi, Phó Trung đoàn trưởng.")
    assert officials(rows, text)["Đoàn Minh Khôi"][1] == "Trung đoàn trưởng"


@pytest.mark.parametrize("text, not_officials, expected", [
    ("Khối thi đua số III gồm UBND các huyện Bắc Mê, Hoàng Su Phì, Lê Văn Thịnh, Xín Mần.",
     {"Hoàng Su Phì", "Lê Văn Thịnh"}, set()),
    ("Ban Chấp hành Đoàn Thanh niên Công an tỉnh tổ chức hội nghị.", {"Đoàn Thanh"}, set()),
    ("Cục Thuế duy trì bộ phận một cửa tại ba trụ sở cũ ở Đà Lạt, Bảo Lộc và Phan Thiết.", {"Phan Thiết"}, set()),
    ("Bà Phan Thị Ngọc Hân, Hiệu trưởng Trường THPT Sơn Hà được tặng danh hiệu Chiến sĩ thi đua toàn quốc.",
     {"Sơn Hà"}, {"Phan Thị Ngọc Hân"}),
    ("Đồng chí Nguyễn Văn Thắng tặng bằng khen cho các tập thể. Ảnh: Đoàn Phát", {"Đoàn Phát"}, {"Nguyễn Văn Thắng"}),
    ("Phong trào “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh” được đẩy mạnh.",
     {"Hồ Chí Minh"}, set()),
    ("phong trào “Công an nhân dân học tập và thực hiện Sáu điều Bác Hồ dạy” đi vào chiều sâu.", {"Bác Hồ"}, set()),
    ("Hội nghị diễn ra tại TP Hồ Chí Minh với sự tham gia của Công an tỉnh Hà Nam và Cao Bằng.",
     {"Hồ Chí Minh", "Hà Nam", "Cao Bằng"}, set()),
    ("Thiếu tướng Văn Ngọc Quế tặng Giấy khen cho Phòng Dân vận và Đoàn Văn công BĐBP.", {"Đoàn Văn"}, {"Văn Ngọc Quế"}),
    # people a report is about take part in it (SCHEMA: civilian or in uniform), so a suspect is a
    # person of the story: the place he lives in is not
    ("Lực lượng đã bắt giữ đối tượng Trần Văn Khánh (SN 1990, trú tại huyện Yên Định).", {"Yên Định"},
     {"Trần Văn Khánh"}),
    ("Ông Lê Văn Tám (sinh năm 1975, trú tại xã Tân Hòa) đã giao nộp vũ khí.", {"Tân Hòa"}, {"Lê Văn Tám"}),
])
def test_not_officials(rows, text, not_officials, expected):
    """Each row: the names in it that are not officials, and exactly the officials it has."""
    assert all(name in text for name in not_officials)
    assert set(officials(rows, text)) == expected


def test_byline_is_the_author_not_an_official(rows):
    r = rows("Tiêu đề\n\nTrung tá Mai Thế Quang, Phó Giám đốc Công an tỉnh chủ trì hội nghị tổng kết năm 2020 tại hội trường lớn.\n\nHOÀNG TÂN\n")
    assert r["documents"][0]["author"] == "HOÀNG TÂN"
    assert [o["name"] for o in r["officials"]] == ["Mai Thế Quang"]


def test_offsets_point_at_the_first_mention(rows):
    text = "Sáng 3/3, Đại tá Trần Văn Bình, Giám đốc Công an tỉnh chủ trì. Đại tá Trần Văn Bình nhấn mạnh yêu cầu."
    o = rows(text)["officials"][0]
    assert text[o["start"]:o["end"]] == "Trần Văn Bình"
    assert o["mentions"] == 2


@pytest.mark.parametrize("byline, author", [
    ("Tin, ảnh: Ngọc Tuấn", "Ngọc Tuấn"),
    ("(Đội Tuyên truyền)", "Đội Tuyên truyền"),
    ("HOÀNG TÂN", "HOÀNG TÂN"),
    ("Quang Minh - Văn Tú", "Quang Minh - Văn Tú"),
    ("Bài và ảnh: Lê Minh", "Lê Minh"),
])
def test_bylines(rows, byline, author):
    r = rows("Tiêu đề\n\nĐại tá Trần Văn Bình, Giám đốc Công an tỉnh chủ trì hội nghị tổng kết công tác năm 2023 tại hội trường.\n\n"
             + byline + "\nTin liên quan\nCông an tỉnh bắt giữ đối tượng")
    assert r["documents"][0]["author"] == author
    assert [o["name"] for o in r["officials"]] == ["Trần Văn Bình"]


def test_later_mention_by_form_of_address_and_given_name(rows):
    text = "Chủ tịch UBND tỉnh Nguyễn Đức Trung chủ trì hội nghị. Ông Trung cũng trao Bằng khen cho 5 cá nhân."
    assert officials(rows, text)["Nguyễn Đức Trung"][2] == 2


def test_byline_beside_the_date_under_the_title(rows):
    r = rows("Tiêu đề bài viết\nPhan Tân| 18/12/2020 08:54\nSáng 17/12, Đại tá Trần Văn Bình chủ trì hội nghị.")
    assert r["documents"][0]["author"] == "Phan Tân"
    assert [o["name"] for o in r["officials"]] == ["Trần Văn Bình"]


@pytest.mark.parametrize("text, names, expected", [
    ("Đại tá Mai Thế Quang chủ trì. Mai Thế Quang phát biểu; Mai  Thế\nQuang kết luận.", ["Mai Thế Quang"],
     [(7, 20), (30, 43), (55, 69)]),
    ("Lê Văn Bình và Lê Văn Bìnhh, Nguyễn Lê Văn Bình", ["Lê Văn Bình", "Nguyễn Lê Văn Bình"], [(0, 11), (29, 47)]),
    ("", ["Lê Văn Bình"], []),
])
def test_find_names_finds_whole_names_with_any_spacing(text, names, expected):
    from pipeline.nlp.extractors.officials import find_names

    assert [(s, e) for s, e, _ in find_names(text, names)] == expected


@pytest.mark.parametrize("text, name", [
    ("Thiếu tướng Lê Hồng Hiệp dự hội nghị.", "Lê Hồng Hiệp"),  # underthesea joins "Hiệp dự": not a word
    ("Đại tá Nguyễn Văn Minh chủ trì hội nghị.", "Nguyễn Văn Minh"),
    ("Trung tá Lê Thị Thu nhận Bằng khen.", "Lê Thị Thu"),  # "thu nhận" is a word, but a rank vouches
])
def test_a_name_glued_to_the_next_word_by_segmentation_is_still_found(rows, text, name):
    assert name in officials(rows, text)


def test_the_fast_scans_find_what_the_full_patterns_find(nlp):
    """Names of a known surname, list intros and later mentions, found only where they can be: the same
    matches as the patterns run over the whole text, on every corpus text and odd variants of some."""
    from conftest import ROOT
    from pipeline.text.normalize import fold_tones

    extractor = nlp.get_pipe("vnie_officials")
    texts = [fold_tones(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").rglob("*.txt"))]
    texts += [t.replace(" ", "  ").replace(":", " :") for t in texts[:10]] + [t.replace(",", "") for t in texts[:10]]
    for text in texts:
        assert [m.span() for m in extractor._names(text)] == [m.span() for m in extractor.name_re.finditer(text)]
        assert list(extractor._list_intro_ends(text)) == [m.end() for m in extractor.list_intro_re.finditer(text)]
        given = sorted({m.group("given") for m in extractor.later_re.finditer(text)})[::3]
        assert [m.span() for m in extractor._later_matches(text, given)] == \
            [m.span() for m in extractor.later_re.finditer(text) if m.group("given") in given]
