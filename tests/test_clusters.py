"""Clusters and blocs: kind, number, name, parent, members, head and deputy."""
import pytest


def clusters(rows, text):
    return rows(text)["clusters"]


@pytest.mark.parametrize("text, kind, number, name, parent", [
    ("Hội nghị tổng kết của Cụm thi đua số 8, Bộ Công an diễn ra sáng nay.", "cụm", 8, "Cụm thi đua số 8, Bộ Công an", "Bộ Công an"),
    ("Cụm thi đua số 3 – Bộ Công an đã tổ chức tổng kết.", "cụm", 3, "Cụm thi đua số 3 – Bộ Công an", "Bộ Công an"),
    ("Ngày 14/11, Cụm thi đua số 5 Công an tỉnh tổ chức hội nghị.", "cụm", 5, "Cụm thi đua số 5 Công an tỉnh", "Công an tỉnh"),
    ("Các đơn vị trong Cụm thi đua số III đã ký giao ước thi đua.", "cụm", 3, "Cụm thi đua số III", None),
    ("Cụm thi đua số VII, Bộ Công an tổng kết phong trào.", "cụm", 7, "Cụm thi đua số VII, Bộ Công an", "Bộ Công an"),
    ("khối thi đua các đơn vị An ninh nhân dân Công an tỉnh tổ chức Hội nghị tổng kết.", "khối", None,
     "Khối thi đua các đơn vị An ninh nhân dân Công an tỉnh", "Công an tỉnh"),
    ("Khối thi đua Công an các huyện, thị xã, thành phố đã tổ chức ký giao ước thi đua.", "khối", None,
     "Khối thi đua Công an các huyện, thị xã, thành phố", None),
    ("Cụm biên phòng tuyến biển đề ra 6 phương hướng.", "cụm", None, "Cụm biên phòng tuyến biển", None),
    ("Khối ANND Công an tỉnh tổng kết công tác năm 2023.", "khối", None, "Khối ANND Công an tỉnh", "Công an tỉnh"),
    ("Cụm thi đua số III, Bộ Tư lệnh BĐBP tổ chức hội nghị.", "cụm", 3, "Cụm thi đua số III, Bộ Tư lệnh BĐBP", "Bộ Tư lệnh BĐBP"),
    ("Khối thi đua 2 năm 2023 có 9 đơn vị.", "khối", 2, "Khối thi đua 2", None),
])
def test_cluster_found(rows, text, kind, number, name, parent):
    found = clusters(rows, text)
    assert len(found) == 1, found
    c = found[0]
    assert (c["kind"], c["number"], c["name"], c["parent"]) == (kind, number, name, parent)


def test_mentions_of_one_cluster_merge(rows):
    text = ("Khối thi đua Công an các huyện, thị xã, thành phố đã tổ chức ký giao ước thi đua năm 2020. "
            "Theo giao ước của Khối thi đua huyện, thị xã, thành phố, các đơn vị trong Khối thống nhất.")
    assert len(clusters(rows, text)) == 1


@pytest.mark.parametrize("text, members", [
    ("Cụm thi đua số 1 gồm Công an 5 thành phố: Hà Nội, TP.HCM, Hải Phòng, Đà Nẵng và Cần Thơ đã tổ chức hội nghị.",
     ["Công an TP Hà Nội", "Công an TP.HCM", "Công an TP Hải Phòng", "Công an TP Đà Nẵng", "Công an TP Cần Thơ"]),
    ("Cụm thi đua số 3 gồm Công an 3 tỉnh: Thái Nguyên, Bắc Kạn, Hoà Bình đã chủ động triển khai.",
     ["Công an tỉnh Thái Nguyên", "Công an tỉnh Bắc Kạn", "Công an tỉnh Hoà Bình"]),
    ("Cụm thi đua số 8 tổ chức hội nghị. Tham dự có lãnh đạo Công an các tỉnh: Bà Rịa - Vũng Tàu, Bến Tre, Tây Ninh.",
     ["Công an tỉnh Bà Rịa - Vũng Tàu", "Công an tỉnh Bến Tre", "Công an tỉnh Tây Ninh"]),
    ("Cụm thi đua số 2 gồm BĐBP các tỉnh: Quảng Ninh, Lạng Sơn và Cao Bằng.",
     ["Bộ đội Biên phòng tỉnh Quảng Ninh", "Bộ đội Biên phòng tỉnh Lạng Sơn", "Bộ đội Biên phòng tỉnh Cao Bằng"]),
    ("Cụm thi đua số 5 Công an tỉnh gồm các đơn vị: Phòng Cảnh sát giao thông; Trại tạm giam; và Phòng Cảnh sát cơ động.",
     ["Phòng Cảnh sát giao thông", "Trại tạm giam", "Phòng Cảnh sát cơ động"]),
    ("Cụm thi đua số 2 gồm Công an các phường Hà Đông, Yên Nghĩa và Công an các xã Thanh Oai, Bình Minh.",
     ["Công an phường Hà Đông", "Công an phường Yên Nghĩa", "Công an xã Thanh Oai", "Công an xã Bình Minh"]),
    ("Khối thi đua Nội chính tỉnh gồm các đơn vị: Sở Tư pháp, Tòa án nhân dân tỉnh và Thi hành án dân sự tỉnh; "
     "Sở Tư pháp là đơn vị Khối trưởng.",
     ["Sở Tư pháp", "Tòa án nhân dân tỉnh", "Thi hành án dân sự tỉnh"]),
    ("Khối thi đua các trường gồm 3 đơn vị: Trường Cao đẳng Cảnh sát nhân dân II (TP.HCM), Trường Đại học An ninh "
     "và Trường Trung cấp Cảnh sát vũ trang.",
     ["Trường Cao đẳng Cảnh sát nhân dân II", "Trường Đại học An ninh", "Trường Trung cấp Cảnh sát vũ trang"]),
    ("Khối thi đua các Tổng cục gồm 4 đơn vị: Tổng cục Hậu cần, Tổng cục Kỹ thuật, Tổng cục Chính trị, Văn phòng Bộ.",
     ["Tổng cục Hậu cần", "Tổng cục Kỹ thuật", "Tổng cục Chính trị", "Văn phòng Bộ"]),
])
def test_members_expanded(rows, text, members):
    assert clusters(rows, text)[0]["members"] == " | ".join(members)


def test_leader_of_the_year_not_the_next(rows):
    text = ("Hội nghị của Cụm thi đua số 8, Bộ Công an có lãnh đạo Công an các tỉnh Bến Tre, Long An và đơn vị cụm trưởng "
            "Công an tỉnh BR-VT. Cũng tại hội nghị, Công an tỉnh BR-VT đã bàn giao đơn vị Cụm trưởng Cụm thi đua số 8 "
            "năm 2021 cho Công an tỉnh Đồng Tháp.")
    c = clusters(rows, text)[0]
    assert c["leader"] == "Công an tỉnh BR-VT"
    assert c["members"] == "Công an tỉnh Bến Tre | Công an tỉnh Long An | Công an tỉnh BR-VT"


def test_leader_and_deputy(rows):
    text = ("Khối thi đua Công an các huyện, thị xã, thành phố năm 2020 do Công an huyện Quảng Ninh làm khối trưởng, "
            "Công an TP. Đồng Hới là đơn vị khối phó.")
    c = clusters(rows, text)[0]
    assert (c["leader"], c["deputy"]) == ("Công an huyện Quảng Ninh", "Công an TP. Đồng Hới")


@pytest.mark.parametrize("text", [
    "Các đơn vị trong Cụm thi đua chủ động nắm chắc tình hình.",
    "Đơn vị trong khối đã hoàn thành chỉ tiêu.",
    "Cụm công nghiệp Tân Trường được mở rộng.",
    "Cụm thi đua 5 tỉnh đã họp.",
])
def test_not_clusters(rows, text):
    assert clusters(rows, text) == []


def test_heads_in_government_blocs_and_next_year_skipped(rows):
    text = ("Khối thi đua các cơ quan Đảng tỉnh tổng kết năm 2022. Ban Tuyên giáo Tỉnh ủy là đơn vị khối trưởng, "
            "Ủy ban MTTQ Việt Nam tỉnh là khối phó. Hội nghị cũng bầu Ban Dân vận Tỉnh ủy làm khối trưởng năm 2023.")
    c = clusters(rows, text)[0]
    assert (c["leader"], c["deputy"]) == ("Ban Tuyên giáo Tỉnh ủy", "Ủy ban MTTQ Việt Nam tỉnh")


def test_head_elected_for_next_year_is_not_the_head(rows):
    text = ("Ngày 13/1, Cụm thi đua số II, Bộ Công an tổ chức hội nghị năm 2024. "
            "Năm 2025, Công an tỉnh Hà Giang được bầu làm Cụm trưởng, Công an tỉnh Tuyên Quang làm Cụm phó.")
    c = clusters(rows, text)[0]
    assert (c["leader"], c["deputy"]) == (None, None)


def test_a_members_list_belongs_to_the_bloc_it_follows_not_the_last_one_named(rows):
    text = ("Sáng 3/1, Khối thi đua các cục nghiệp vụ và Khối thi đua các cơ quan tham mưu tổ chức hội nghị liên tịch.\n"
            "Khối thi đua các cục nghiệp vụ gồm 2 đơn vị: Cục An ninh mạng, Cục Cảnh sát kinh tế.\n"
            "Khối thi đua các cơ quan tham mưu gồm 2 đơn vị: Văn phòng Bộ, Cục Pháp chế.")
    found = {c["name"]: c["members"] for c in rows(text)["clusters"]}
    members = sorted(found.values())
    assert members == ["Cục An ninh mạng | Cục Cảnh sát kinh tế", "Văn phòng Bộ | Cục Pháp chế"]
    assert any("nghiệp vụ" in name and value.startswith("Cục An ninh mạng") for name, value in found.items())


# Each named check of ClusterExtractor, accepting and rejecting.
@pytest.fixture(scope="module")
def extractor():
    from pipeline.nlp.extractors.clusters import ClusterExtractor

    return ClusterExtractor()


@pytest.mark.parametrize("text, head, further", [
    ("Cụm biên phòng tuyến biển đề ra", "Cụm biên phòng", True),
    ("Khối thi đua các đơn vị An ninh", "Khối thi đua", True),
    ("Khối thi đua Công an các huyện", "Khối thi đua", True),
    ("Khối thi đua đã ký giao ước", "Khối thi đua", False),
    ("Các đơn vị trong Cụm thi đua chủ động", "Cụm thi đua", False),
])
def test_named_further(extractor, text, head, further):
    start = text.index(head)
    assert extractor.named_further(text, start, start + len(head)) is further


@pytest.mark.parametrize("kind, name, number, named", [
    ("cụm", "Cụm thi đua số 5", 5, True),
    ("khối", "Khối ANND Công an tỉnh", None, True),
    ("cụm", "Cụm thi đua", None, False),
    ("khối", "Khối", None, False),
])
def test_is_named(extractor, kind, name, number, named):
    from pipeline.nlp.values import Cluster

    assert extractor.is_named(Cluster(kind=kind, name=name, number=number, parent=None)) is named


@pytest.mark.parametrize("clause, head", [
    ("Khối thi đua năm 2020 do Công an huyện Quảng Ninh", "Công an huyện Quảng Ninh"),
    (" Ban Tuyên giáo Tỉnh ủy", "Ban Tuyên giáo Tỉnh ủy"),
    (" Công an tỉnh A và Công an tỉnh B", "Công an tỉnh B"),  # after "và": the last one named
    (" các đơn vị thống nhất", None),
])
def test_head_unit_in(extractor, clause, head):
    m = extractor.head_unit_in(clause)
    assert (clause[m.start():].strip() if m else None) == head


@pytest.mark.parametrize("sentence, this_year", [
    ("Ban Tuyên giáo Tỉnh ủy là đơn vị khối trưởng", True),
    ("Hội nghị cũng bầu Ban Dân vận Tỉnh ủy làm khối trưởng năm 2023", False),
    ("Công an tỉnh Đồng Tháp nhận bàn giao đơn vị cụm trưởng", False),
    ("Năm tới, Công an tỉnh Hà Giang làm Cụm trưởng", False),
])
def test_for_this_year(extractor, sentence, this_year):
    assert extractor.for_this_year(sentence, 0, len(sentence)) is this_year


@pytest.mark.parametrize("org, unit_type, item, expected", [
    ("Công an", "tỉnh", "Bến Tre", "Công an tỉnh Bến Tre"),
    ("Công an", "thành phố", "Hà Nội", "Công an TP Hà Nội"),
    ("Công an", "thành phố", "TP.HCM", "Công an TP.HCM"),
    ("Công an", "huyện", "thị xã Ba Đồn", "Công an thị xã Ba Đồn"),
])
def test_members_expanded_one_by_one(extractor, org, unit_type, item, expected):
    assert extractor._expand(org, unit_type, item) == expected


def test_no_state_kept_between_documents(nlp, rows):
    rows("Khối thi đua các cục nghiệp vụ gồm 2 đơn vị: Cục An ninh mạng, Cục Cảnh sát kinh tế.")
    assert not [k for k in vars(nlp.get_pipe("vnie_clusters")) if "seen" in k]


@pytest.mark.parametrize("text, clause", [
    ("Khối thi đua năm 2020, Công an TP. Đồng Hới", " Công an TP. Đồng Hới"),  # "TP." does not end the clause
    ("Hội nghị đã kết thúc. Công an tỉnh A", " Công an tỉnh A"),
    ("Khối (Công an huyện B", "Công an huyện B"),
])
def test_cluster_clause_breaks(extractor, text, clause):
    from pipeline.nlp.lexicon import clause_start

    assert text[clause_start(text, len(text), extractor.clause_breaks, window=200):] == clause
