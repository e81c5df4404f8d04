"""Clusters as real articles write them: member lists in other layouts, fuller names, heads marked in a list."""
import pytest


def only_cluster(rows, text):
    found = rows(text)["clusters"]
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, members, leader", [
    # the organisation, a count or "các", one or two unit types, a colon; "(Cụm trưởng)" marks the head
    ("Cụm thi đua số 6 gồm Công an các tỉnh: Hà Tĩnh (Cụm trưởng), Nghệ An, Quảng Bình và Quảng Trị.",
     ["Công an tỉnh Hà Tĩnh", "Công an tỉnh Nghệ An", "Công an tỉnh Quảng Bình", "Công an tỉnh Quảng Trị"],
     "Công an tỉnh Hà Tĩnh"),
    ("Cụm thi đua số 9 gồm công an 3 tỉnh: Sóc Trăng, Bạc Liêu (Cụm trưởng) và Cà Mau.",
     ["Công an tỉnh Sóc Trăng", "Công an tỉnh Bạc Liêu", "Công an tỉnh Cà Mau"], "Công an tỉnh Bạc Liêu"),
    ("Cụm thi đua số 2 gồm Hội LHPN 3 tỉnh: Sơn La, Điện Biên và Lai Châu (Cụm trưởng).",
     ["Hội Liên hiệp Phụ nữ tỉnh Sơn La", "Hội Liên hiệp Phụ nữ tỉnh Điện Biên", "Hội Liên hiệp Phụ nữ tỉnh Lai Châu"],
     "Hội Liên hiệp Phụ nữ tỉnh Lai Châu"),
    ("Cụm thi đua số 3 gồm LĐLĐ các tỉnh, thành phố: Đà Nẵng, Quảng Nam và Quảng Ngãi.",
     ["Liên đoàn Lao động TP Đà Nẵng", "Liên đoàn Lao động tỉnh Quảng Nam", "Liên đoàn Lao động tỉnh Quảng Ngãi"], None),
    # units listed after "gồm:", "N đơn vị, gồm:", "N đơn vị thành viên gồm:"
    ("Khối thi đua các đơn vị tàu gồm: Lữ đoàn 125 (Khối trưởng), Hải đội 12 và Hải đội 15 vẫn giữ vững truyền thống.",
     ["Lữ đoàn 125", "Hải đội 12", "Hải đội 15"], "Lữ đoàn 125"),
    ("Cụm thi đua số 3 BĐBP tỉnh có 4 đơn vị, gồm: Đồn Biên phòng Thanh Thủy, Đồn Biên phòng Xín Mần, "
     "Đồn Biên phòng Phó Bảng và Tiểu đoàn huấn luyện - cơ động.",
     ["Đồn Biên phòng Thanh Thủy", "Đồn Biên phòng Xín Mần", "Đồn Biên phòng Phó Bảng", "Tiểu đoàn huấn luyện - cơ động"],
     None),
    ("Khối thi đua Mặt trận – Đoàn thể tỉnh có 4 đơn vị thành viên gồm: Ủy ban MTTQ tỉnh, Tỉnh đoàn, Hội Nông dân tỉnh "
     "và Hội Cựu chiến binh tỉnh.",
     ["Ủy ban Mặt trận Tổ quốc tỉnh", "Tỉnh đoàn", "Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh"], None),
    # the units attending, named in the sentence after the cluster
    ("Ngày 5/3, Khối thi đua các cơ quan Đảng tỉnh tổ chức hội nghị. Dự có lãnh đạo các đơn vị: Ban Tổ chức Tỉnh ủy, "
     "Ban Dân vận Tỉnh ủy, Ủy ban Kiểm tra Tỉnh ủy.",
     ["Ban Tổ chức Tỉnh ủy", "Ban Dân vận Tỉnh ủy", "Ủy ban Kiểm tra Tỉnh ủy"], None),
])
def test_member_layouts(rows, text, members, leader):
    c = only_cluster(rows, text)
    assert (c["members"], c["leader"]) == (" | ".join(members), leader)


@pytest.mark.parametrize("text", [
    # the points of an agreement, not units
    "Khối thi đua các cơ quan tỉnh gồm: Quán triệt các nghị quyết, Chỉ thị của cấp trên, Tổ chức tốt phong trào.",
    # a list with no cluster as its subject
    "Khối thi đua các cơ quan tỉnh họp. Hội nghị đã thống nhất các nội dung, gồm: Kế hoạch thi đua, Quy chế chấm điểm.",
    # units attending a meeting far from any cluster are not its members
    "Khối thi đua các cơ quan tỉnh họp." + " Hội nghị diễn ra trong không khí phấn khởi." * 12
    + " Dự có lãnh đạo các đơn vị: Sở Tài chính, Sở Nội vụ.",
])
def test_lists_that_are_not_members(rows, text):
    assert only_cluster(rows, text)["members"] in ("", None)


@pytest.mark.parametrize("text, kind, number, name", [
    ("Tại Đồn Biên phòng Ba Lạt, Cụm thi đua số 3 Bộ đội Biên phòng (BĐBP) tỉnh Nam Định vừa tổng kết năm 2021.",
     "cụm", 3, "Cụm thi đua số 3 Bộ đội Biên phòng (BĐBP) tỉnh Nam Định"),
    ("Khối thi đua Văn hóa – Xã hội tỉnh Phú Yên tổ chức ký kết giao ước thi đua.",
     "khối", None, "Khối thi đua Văn hóa – Xã hội tỉnh Phú Yên"),
    ("Khối thi đua các đơn vị trực thuộc Sở Lao động, Thương binh và Xã hội tổ chức hội nghị.",
     "khối", None, "Khối thi đua các đơn vị trực thuộc Sở Lao động, Thương binh và Xã hội"),
    ("Hội nghị của Khối thi đua các phường, thị trấn trên địa bàn thành phố Vinh diễn ra hôm qua.",
     "khối", None, "Khối thi đua các phường, thị trấn trên địa bàn thành phố Vinh"),
    ("Ngày 2/6, Cụm thi đua các tỉnh Tây Nguyên (Cụm số 3) đã tổ chức hội nghị.",
     "cụm", 3, "Cụm thi đua các tỉnh Tây Nguyên (Cụm số 3)"),
    ("Cụm thi đua 4 LĐLĐ tỉnh khu vực Tây Bắc đã tổ chức hội nghị.",
     "cụm", None, "Cụm thi đua 4 LĐLĐ tỉnh khu vực Tây Bắc"),
    ("Sáng 9/11, Cụm thi đua 6 thành phố trực thuộc Trung ương đã họp.",
     "cụm", None, "Cụm thi đua 6 thành phố trực thuộc Trung ương"),
    ("Khối thi đua số 7 của Tổng cục Thuế tổng kết năm 2023.", "khối", 7, "Khối thi đua số 7 của Tổng cục Thuế"),
    ("Khối thi đua mặt trận tổ quốc tỉnh đã tổ chức hội nghị.", "khối", None, "Khối thi đua mặt trận tổ quốc tỉnh"),
    # a number that is no count stays the number
    ("Cụm thi đua 5 Công an tỉnh tổ chức hội nghị.", "cụm", 5, "Cụm thi đua 5 Công an tỉnh"),
])
def test_fullest_names(rows, text, kind, number, name):
    c = only_cluster(rows, text)
    assert (c["kind"], c["number"], c["name"]) == (kind, number, name)


def test_a_number_given_aside_is_the_same_cluster(rows):
    text = ("Cụm thi đua số 3: hội nghị sơ kết.\n"
            "Ngày 2/6, Cụm thi đua các tỉnh Tây Nguyên (Cụm số 3) đã tổ chức hội nghị sơ kết.")
    assert only_cluster(rows, text)["name"] == "Cụm thi đua các tỉnh Tây Nguyên (Cụm số 3)"


@pytest.mark.parametrize("text", [
    "Cụm thi đua 5 tỉnh đã họp tại Hà Nội.",
    "Các đơn vị trong Cụm thi đua chủ động nắm chắc tình hình.",
    "Khu dân cư số 5 và cụm dân cư số 7 được công nhận.",
])
def test_no_cluster_invented(rows, text):
    assert rows(text)["clusters"] == []


@pytest.mark.parametrize("text, leader", [
    ("Khối thi đua Mặt trận – Đoàn thể thành phố năm 2021 do Thành đoàn Đà Nẵng làm Khối trưởng.", "Thành đoàn Đà Nẵng"),
    ("Hội nghị diễn ra tại Thư viện tỉnh (đơn vị Trưởng khối), Khối thi đua các đơn vị sự nghiệp tỉnh tổng kết.",
     "Thư viện tỉnh"),
    ("Khối thi đua các đơn vị sự nghiệp tỉnh gồm 6 đơn vị, trong đó Thư viện tỉnh được giao nhiệm vụ khối trưởng.",
     "Thư viện tỉnh"),
    ("Năm 2023, Công an tỉnh Quảng Bình được Bộ Công an phân công là đơn vị Cụm trưởng Cụm thi đua số 6.",
     "Công an tỉnh Quảng Bình"),
    ("Cục Thuế Phú Yên giữ vai trò Khối trưởng Khối thi đua số 4 của Tổng cục Thuế.", "Cục Thuế Phú Yên"),
    # the head of next year is not the head
    ("Khối thi đua các đơn vị sự nghiệp tỉnh tổng kết. Hội nghị bầu Thư viện tỉnh làm khối trưởng năm 2024.", None),
])
def test_heads(rows, text, leader):
    assert only_cluster(rows, text)["leader"] == leader


def test_the_head_word_names_its_cluster(rows):
    text = ("Cụm thi đua số 2 gồm UBND các huyện: Kim Bôi (Cụm trưởng), Lạc Sơn và Tân Lạc. "
            "Công an tỉnh làm Cụm trưởng Cụm thi đua số 7 Bộ Công an.")
    found = {c["number"]: c["leader"] for c in rows(text)["clusters"]}
    assert found == {2: "Ủy ban nhân dân huyện Kim Bôi", 7: "Công an tỉnh"}


@pytest.mark.parametrize("text, members", [
    ("Ba đơn vị xuất sắc gồm: LĐLĐ tỉnh Nghệ An - dẫn đầu Cụm thi đua 6 LĐLĐ tỉnh khu vực Bắc Trung Bộ.",
     ["Liên đoàn Lao động tỉnh Nghệ An"]),
    # a unit given a flag "for leading" is not thereby a member of the bloc
    ("Khối thi đua Nội chính tỉnh tổng kết năm 2023, Chủ tịch UBND tỉnh tặng Sở Tư pháp vì đã có thành tích "
     "dẫn đầu Khối thi đua Nội chính tỉnh.", []),
])
def test_units_leading_a_cluster_are_its_members(rows, text, members):
    assert only_cluster(rows, text)["members"] in (" | ".join(members), None)


# The named checks, accepting and rejecting.
@pytest.fixture(scope="module")
def extractor():
    from pipeline.nlp.extractors.clusters import ClusterExtractor

    return ClusterExtractor()


@pytest.mark.parametrize("words, named", [
    (" 5 thành phố trực thuộc Trung ương", True),
    (" 4 LĐLĐ tỉnh khu vực Tây Bắc", True),
    (" các đơn vị sự nghiệp", True),
    (" 5 tỉnh", False),
])
def test_names_by_count(extractor, words, named):
    assert extractor.names_by_count(words) is named


@pytest.mark.parametrize("items, units", [
    (["Lữ đoàn 125", "Hải đội 12"], True),
    (["Ủy ban MTTQ tỉnh", "Tỉnh đoàn", "Liên hiệp các hội khoa học kỹ thuật"], True),
    (["Quán triệt các nghị quyết", "Chỉ thị của cấp trên"], False),
    (["Kế hoạch thi đua", "Sở Tài chính"], False),
])
def test_units_listed(extractor, items, units):
    assert extractor.units_listed("", items) is units


@pytest.mark.parametrize("org, unit_type, item, expected", [
    ("BĐBP", "tỉnh, thành phố", "Hải Phòng", "Bộ đội Biên phòng TP Hải Phòng"),
    ("BĐBP", "tỉnh, thành phố", "Quảng Ninh", "Bộ đội Biên phòng tỉnh Quảng Ninh"),
    ("LĐLĐ", "tỉnh", "Hà Tĩnh", "Liên đoàn Lao động tỉnh Hà Tĩnh"),
    ("công an", "tỉnh", "Nam Định", "Công an tỉnh Nam Định"),
])
def test_member_unit_types_and_organisations(extractor, org, unit_type, item, expected):
    assert extractor._expand(org, unit_type, item) == expected


@pytest.mark.parametrize("items, marked", [
    (["Lạng Sơn (Cụm trưởng)", "Cao Bằng"], [("Lạng Sơn", "leader"), ("Cao Bằng", None)]),
    (["Sở Tư pháp", "Thanh tra tỉnh (Khối phó)"], [("Sở Tư pháp", None), ("Thanh tra tỉnh", "deputy")]),
])
def test_marked_heads(extractor, items, marked):
    assert extractor._marked(items) == marked
