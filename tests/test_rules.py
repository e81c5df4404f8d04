"""The rule files in rules/ are data: they load, and they say what the output contract says."""
from collections import Counter

import pytest

from pipeline.rules import load_rules
from pipeline.text.normalize import canonical

CONTRACT_RANKS = ["Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá",
                  "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy", "Thượng sĩ", "Trung sĩ", "Hạ sĩ", "Binh nhất", "Binh nhì",
                  "Đô đốc", "Phó Đô đốc", "Chuẩn Đô đốc"]


def test_ranks_are_the_contracts_closed_list():
    assert sorted(load_rules().words("ranks")) == sorted(CONTRACT_RANKS)


def test_provinces_before_and_after_the_2025_merger():
    provinces = load_rules().records("provinces")
    assert sum(p["until_2025"] for p in provinces) == 63
    assert sum(p["since_2025"] for p in provinces) == 34
    names = {p["name"] for p in provinces}
    for p in provinces:
        if p.get("merged_into"):
            assert p["merged_into"] in names, p


def test_province_aliases_are_unambiguous():
    forms = Counter()
    for p in load_rules().records("provinces"):
        for form in {canonical(p["name"]).casefold(), *(canonical(a).casefold() for a in p.get("aliases", []))}:
            forms[form] += 1
    assert [f for f, n in forms.items() if n > 1] == []


def test_province_abbreviations_present():
    aliases = {a for p in load_rules().records("provinces") for a in p.get("aliases", [])}
    assert {"BR-VT", "TP.HCM", "TPHCM"} <= aliases


def test_title_categories_are_the_contracts():
    allowed = {"cờ thi đua", "huân chương", "huy chương", "danh hiệu", "bằng khen", "giấy khen", "kỷ niệm chương", "khác"}
    assert {t["category"] for t in load_rules().records("titles")} <= allowed


def test_conferrer_abbreviations_expand():
    rules = load_rules()
    abbreviations = {r["abbr"]: r["expansion"] for r in rules.records("abbreviations")}
    assert abbreviations["UBND"] == "Ủy ban nhân dân"
    assert abbreviations["BĐBP"] == "Bộ đội Biên phòng"
    assert {"Bộ Công an", "Chính phủ", "Thủ tướng Chính phủ", "Chủ tịch nước"} <= {c["canonical"] for c in rules.records("conferrers")}


def test_every_list_is_tone_folded_and_nonempty():
    rules = load_rules()
    for name in ("surnames", "position_heads", "award_units", "award_cues", "org_heads", "position_stops"):
        items = rules.words(name)
        assert items, name
        assert all(item == canonical(item) for item in items), name


def test_a_rule_file_is_read_by_name_and_a_missing_one_is_named():
    rules = load_rules()
    assert "Đại tá" in rules.words("ranks")
    assert rules.settings("layout")["byline_prefixes"]
    with pytest.raises(FileNotFoundError, match="no_such_list.txt"):
        rules.words("no_such_list")
