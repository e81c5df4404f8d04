"""Linking across articles: units, recipients, people, ids that stay, and the measured figures."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from conftest import CORPUS, SHARED_CORPUS
from pipeline.io.frames import read_rows
from pipeline.linking.evaluate import score_links
from pipeline.linking.link import link_output, link_rows
from pipeline.linking.people import Sighting, load_evidence
from pipeline.linking.provinces import load_gazetteer
from pipeline.linking.recipients import load_splitter
from pipeline.linking.units import load_unit_names
from pipeline.text.days import day_range

GOLD_LINKS = CORPUS / "linking" / "links.gold.jsonl"


@pytest.mark.parametrize("written, province, name, kind, old, new", [
    ("Công an tỉnh BR-VT", None, "Công an tỉnh Bà Rịa - Vũng Tàu", "công an tỉnh", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
    ("CA tỉnh Bà Rịa – Vũng Tàu", None, "Công an tỉnh Bà Rịa - Vũng Tàu", "công an tỉnh", "Bà Rịa - Vũng Tàu",
     "Hồ Chí Minh"),
    ("Công an TP.HCM", None, "Công an thành phố Hồ Chí Minh", "công an tỉnh", "Hồ Chí Minh", "Hồ Chí Minh"),
    ("Công an Hà Nội", None, "Công an thành phố Hà Nội", "công an tỉnh", "Hà Nội", "Hà Nội"),
    ("Công an tỉnh", "Lạng Sơn", "Công an tỉnh Lạng Sơn", "công an tỉnh", "Lạng Sơn", "Lạng Sơn"),
    ("Công an tỉnh", None, "Công an tỉnh", "công an tỉnh", None, None),
    ("Bộ CHQS tỉnh", "Gia Lai", "Bộ Chỉ huy Quân sự tỉnh Gia Lai", "bộ chỉ huy quân sự tỉnh", "Gia Lai", "Gia Lai"),
    ("BĐBP tỉnh Quảng Trị", None, "Bộ đội Biên phòng tỉnh Quảng Trị", "bộ đội biên phòng tỉnh", "Quảng Trị",
     "Quảng Trị"),
    ("Công an tỉnh Thừa Thiên Huế", None, "Công an tỉnh Thừa Thiên Huế", "công an tỉnh", "Thừa Thiên Huế", "Huế"),
    ("Công an tỉnh Hoà Bình", None, "Công an tỉnh Hòa Bình", "công an tỉnh", "Hòa Bình", "Phú Thọ"),
    ("Công an huyện Quảng Ninh", None, "Công an huyện Quảng Ninh", "công an cấp huyện", None, None),
    ("Công an tỉnh Bến Tre long trọng tổ chức lễ", None, "Công an tỉnh Bến Tre", "công an tỉnh", "Bến Tre", "Vĩnh Long"),
    ("UBND tỉnh Quảng Ngãi", None, "Ủy ban nhân dân tỉnh Quảng Ngãi", "ủy ban nhân dân", "Quảng Ngãi", "Quảng Ngãi"),
    ("Trường Đại học Bách khoa Hà Nội", None, "Trường Đại học Bách khoa Hà Nội", "trường", "Hà Nội", "Hà Nội"),
    ("Quân đoàn 12", None, "Quân đoàn 12", "đơn vị quân đội", None, None),
])
def test_unit(written, province, name, kind, old, new):
    gazetteer = load_gazetteer()
    unit = load_unit_names().unit(written, gazetteer.lookup(province) if province else None)
    assert (unit.name, unit.kind, unit.province, unit.province_2025) == (name, kind, old, new)


def test_a_unit_named_again_in_another_province_s_article_is_that_province_s():
    """unit() remembers what it said for a written name in an article about a province, never for another."""
    gazetteer, names = load_gazetteer(), load_unit_names()
    for province in ["Gia Lai", None, "Lạng Sơn", "Gia Lai", None]:
        unit = names.unit("Bộ CHQS tỉnh", gazetteer.lookup(province) if province else None)
        assert unit.name == ("Bộ Chỉ huy Quân sự tỉnh" + (f" {province}" if province else ""))
        assert unit.province == province


@pytest.mark.parametrize("text, province", [
    ("Công an tỉnh Lạng Sơn tổ chức hội nghị. Giám đốc Công an tỉnh phát biểu.", "Lạng Sơn"),
    ("CỔNG THÔNG TIN ĐIỆN TỬ TỈNH NINH BÌNH\nUBND tỉnh tổng kết", "Ninh Bình"),
    ("Công an tỉnh Nghệ An và Công an tỉnh Hà Tĩnh ký kết quy chế.", None),
    ("Bộ Công an tổ chức lễ thăng cấp bậc hàm cho Giám đốc Công an tỉnh.", None),
    ("Hà Nội, Hà Nội, Hà Nội và Huế", "Hà Nội"),
])
def test_article_province(text, province):
    found = load_gazetteer().article_province(text)
    assert (found.name if found else None) == province


@pytest.mark.parametrize("written, expected", [
    ("Công an các tỉnh Yên Bái, Phú Thọ", [("Công an tỉnh Yên Bái", "unit"), ("Công an tỉnh Phú Thọ", "unit")]),
    ("3 tập thể và 7 cá nhân", [("3 tập thể", "group"), ("7 cá nhân", "group")]),
    ("3 đơn vị", [("3 đơn vị", "group")]),
    ("02 đơn vị là Phòng Cảnh sát giao thông và Phòng Tham mưu",
     [("Phòng Cảnh sát giao thông", "unit"), ("Phòng Tham mưu", "unit")]),
    ("Đại tá Phan Văn Thư, Phó Cục trưởng Cục Cảnh sát giao thông",
     [("Đại tá Phan Văn Thư, Phó Cục trưởng Cục Cảnh sát giao thông", "person")]),
    ("Quân đoàn 12 vì đã có thành tích đặc biệt xuất sắc", [("Quân đoàn 12", "unit")]),
    ("Bộ Chỉ huy Quân sự tỉnh Quảng Nam và Huân chương Chiến công hạng Ba cho Trung đoàn 143",
     [("Bộ Chỉ huy Quân sự tỉnh Quảng Nam", "unit")]),
    ("Học viện An ninh nhân dân, Trường Đại học PCCC và Trường Cao đẳng An ninh nhân dân II",
     [("Học viện An ninh nhân dân", "unit"), ("Trường Đại học PCCC", "unit"),
      ("Trường Cao đẳng An ninh nhân dân II", "unit")]),
    ("xã Tạ Xá và Phòng Giáo dục và Đào tạo huyện", [("xã Tạ Xá", "unit"), ("Phòng Giáo dục và Đào tạo huyện", "unit")]),
    ("Đảng bộ, chính quyền và nhân dân huyện Cẩm Khê", [("Đảng bộ, chính quyền và nhân dân huyện Cẩm Khê", "unit")]),
    ("Công đoàn Trường THPT Nguyễn Du và thầy giáo Nguyễn Quang Trí",
     [("Công đoàn Trường THPT Nguyễn Du", "unit"), ("thầy giáo Nguyễn Quang Trí", "person")]),
    ("Hải đoàn 42, đơn vị dẫn đầu phong trào", [("Hải đoàn 42", "unit")]),
    ("", []),
])
def test_recipients(written, expected):
    assert [(r.text, r.kind) for r in load_splitter().split(written)] == expected


def _sighting(doc, day, rank=None, positions=(), index=0):
    s = Sighting(index, doc, "Nguyễn Văn Bình", date.fromisoformat(day) if day else None, rank, list(positions))
    return load_evidence().describe(s)


@pytest.mark.parametrize("a, b, contradicts", [
    # A rank that rises over time: one person.
    (("a", "2019-12-12", "Đại tá", ["Giám đốc Công an tỉnh Thanh Hóa"]),
     ("b", "2022-01-20", "Thiếu tướng", ["Giám đốc Công an tỉnh Thanh Hóa"]), False),
    # ... and one that falls: two.
    (("a", "2022-01-20", "Thiếu tướng", []), ("b", "2022-03-09", "Đại tá", []), True),
    # Two provinces in the same period.
    (("a", "2021-10-15", None, ["Phó Chủ tịch UBND tỉnh Bình Dương"]),
     ("b", "2022-03-09", None, ["Giám đốc Sở Nội vụ tỉnh Nghệ An"]), True),
    # Two provinces far apart in time: a career.
    (("a", "2010-10-15", None, ["Phó Chủ tịch UBND tỉnh Bình Dương"]),
     ("b", "2022-03-09", None, ["Giám đốc Sở Nội vụ tỉnh Nghệ An"]), False),
    # An officer and a civilian in the same period.
    (("a", "2022-07-15", "Trung tướng", ["Chính ủy nhà trường"]),
     ("b", "2023-12-05", None, ["Phó Bí thư Tỉnh ủy Nghệ An"]), True),
    # Police and army in the same period.
    (("a", "2022-07-15", None, ["Phó Giám đốc Công an tỉnh Nghệ An"]),
     ("b", "2023-01-05", None, ["Chính ủy Quân khu 4"]), True),
    # A minister who changes office.
    (("a", "2017-12-28", None, ["Bộ trưởng Bộ Tư pháp"]), ("b", "2022-03-09", None, ["Bộ trưởng Bộ Nội vụ"]), False),
    # An officer who becomes the party's leader; national offices contradict nothing.
    (("a", "2024-04-14", "Đại tướng", ["Bộ trưởng Bộ Công an"]), ("b", "2025-08-17", None, ["Tổng Bí thư"]), False),
    # A civilian does not later become an officer, nor a national leader a province's official.
    (("a", "2016-08-20", None, ["Phó Chủ tịch UBND tỉnh Yên Bái"]),
     ("b", "2019-12-12", "Đại tá", ["Giám đốc Công an tỉnh Thanh Hóa"]), True),
    (("a", "2016-08-20", None, ["Trưởng ban Kinh tế Trung ương"]),
     ("b", "2021-10-15", None, ["Phó Chủ tịch UBND tỉnh Bình Dương"]), True),
    # Two rows of one document are two people.
    (("a", "2020-01-01", None, []), ("a", "2020-01-01", None, []), True),
    # Nothing known: one person.
    (("a", None, None, []), ("b", "2020-01-01", None, []), False),
])
def test_contradicts(a, b, contradicts):
    assert load_evidence().contradicts(_sighting(*a), _sighting(*b, index=1)) is contradicts


def _rows(officials, titles=(), clusters=()):
    documents = [{"doc_id": d, "status": "ok", "event_date": day, "title": ""} for d, day in
                 {(o["doc_id"], o.pop("day", None)) for o in officials}]
    return {"documents": documents, "officials": officials, "titles": list(titles), "clusters": list(clusters)}


def test_ids_stay_when_the_output_grows():
    first = link_rows(_rows([{"doc_id": "a", "name": "Tô Lâm", "rank": "Đại tướng", "day": "2021-04-16"}]))
    assert first["officials"][0]["person_id"] == "to-lam"
    # Linked again with a new document, an older homonym first in time: the held id does not move.
    grown = _rows([dict(first["officials"][0]),
                   {"doc_id": "b", "name": "Tô Lâm", "rank": None, "position": "Phó Chủ tịch UBND tỉnh Yên Bái",
                    "day": "2010-01-01"}])
    second = link_rows(grown)
    ids = {o["doc_id"]: o["person_id"] for o in second["officials"]}
    assert ids == {"a": "to-lam", "b": "to-lam-2"}


def test_title_rows_one_per_recipient():
    titles = [{"doc_id": "a", "title": "Bằng khen", "recipient": "Công an các tỉnh Yên Bái, Phú Thọ"}]
    linked = link_rows(_rows([{"doc_id": "a", "name": "X Y Z", "day": "2020-01-01"}], titles))
    assert [(t["recipient"], t["recipient_kind"], t["recipient_unit_id"]) for t in linked["titles"]] == [
        ("Công an tỉnh Yên Bái", "unit", "cong-an-tinh-yen-bai"), ("Công an tỉnh Phú Thọ", "unit", "cong-an-tinh-phu-tho")]
    again = link_rows(dict(_rows([{"doc_id": "a", "name": "X Y Z"}]), titles=linked["titles"], units=linked["units"]))
    assert again["titles"] == linked["titles"]


@pytest.mark.parametrize("value, first, last", [
    ("2020-12-06T17:25", "2020-12-06", "2020-12-06"), ("2020-02", "2020-02-01", "2020-02-29"),
    ("2020", "2020-01-01", "2020-12-31"), ("2015/2020", "2015-01-01", "2020-12-31"),
    ("2024-12-26/2024-12-27", "2024-12-26", "2024-12-27"), ("--11-16", None, None), (None, None, None),
])
def test_day_range(value, first, last):
    assert day_range(value) == (first, last)


@pytest.fixture(scope="module")
def linked_out(corpus_out, tmp_path_factory):
    """The run over corpus/ and ../shared/corpus the links gold was written for."""
    import subprocess
    import sys

    assert SHARED_CORPUS.is_dir(), f"the shared corpus is missing: {SHARED_CORPUS}"
    out = tmp_path_factory.mktemp("linked_out")
    cmd = [sys.executable, "-m", "pipeline", "extract", str(CORPUS), str(SHARED_CORPUS), "-o", str(out), "--quiet"]
    subprocess.run(cmd, check=True, capture_output=True, timeout=900)
    return out


def test_linking_figures(linked_out):
    """Pairwise precision and recall of person and unit linking (benchmarks/bench_linking.py prints them)."""
    tables = {name: read_rows(linked_out, name) for name in ("officials", "cluster_members", "titles")}
    figures = score_links(GOLD_LINKS, tables)
    assert figures["person"]["precision"] >= 0.94 and figures["person"]["recall"] >= 0.95, figures
    assert figures["unit"]["precision"] >= 0.95 and figures["unit"]["recall"] >= 0.95, figures


def test_relinking_an_output_keeps_every_id(linked_out, tmp_path):
    copy = tmp_path / "out"
    shutil.copytree(linked_out, copy)
    link_output(copy)
    for name in ("officials", "titles", "people", "units", "cluster_members"):
        assert read_rows(copy, name) == read_rows(linked_out, name), name


def test_no_duplicate_rows(linked_out):
    for name in ("officials", "dates", "clusters", "titles", "award_counts", "mentions", "people", "units"):
        rows = [tuple(r.values()) for r in read_rows(linked_out, name)]
        assert len(rows) == len(set(rows)), name


def test_provinces_found_during_a_run_are_the_ones_linking_would_find():
    """A run finds each article's province as its results come in (``article_provinces``); linking takes
    those, and finds the others itself from the texts."""
    from pipeline.linking.link import article_provinces

    texts = {"a": "Công an tỉnh Lạng Sơn tổ chức hội nghị. Giám đốc Công an tỉnh phát biểu.",
             "b": "CỔNG THÔNG TIN ĐIỆN TỬ TỈNH NINH BÌNH\nUBND tỉnh tổng kết", "c": ""}
    found = article_provinces(texts.items())
    assert {k: (p.name if p else None) for k, p in found.items()} == {"a": "Lạng Sơn", "b": "Ninh Bình"}
    titles = [{"doc_id": d, "title": "Bằng khen", "recipient": "Công an tỉnh"} for d in texts]
    rows = _rows([{"doc_id": d, "name": "X Y Z", "day": "2020-01-01"} for d in texts], titles)
    linked = link_rows(rows, texts, provinces={"a": found["a"]})
    assert linked == link_rows(rows, texts)  # the same as finding them all at the end
    told = link_rows(rows, texts, provinces={"a": found["b"]})  # what it is told is what it takes
    assert [t["recipient_unit_id"] for t in told["titles"]][:2] == ["cong-an-tinh-ninh-binh", "cong-an-tinh-ninh-binh"]
    assert [t["recipient_unit_id"] for t in linked["titles"]][:2] == ["cong-an-tinh-lang-son", "cong-an-tinh-ninh-binh"]


def test_read_texts_only_the_documents_asked_for(tmp_path):
    """Linking at the end of a run reads only the texts whose provinces the run did not find."""
    import json

    from pipeline.io.frames import read_texts

    (tmp_path / "texts.jsonl").write_text("".join(json.dumps({"doc_id": d, "text": t}, ensure_ascii=False) + "\n"
                                                  for d, t in [("a", "Hà Nội"), ("b", "Huế")]), encoding="utf-8")
    assert read_texts(tmp_path) == {"a": "Hà Nội", "b": "Huế"}
    assert read_texts(tmp_path, only={"b", "c"}) == {"b": "Huế"}
    assert read_texts(tmp_path, only=set()) == {}
