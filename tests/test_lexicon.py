"""The shared vocabulary: administrative units, forms of address, places, clause starts."""
import pytest

from pipeline.nlp.lexicon import (CLAUSE_BREAKS, LINE_BREAKS, PHRASE_BREAKS, SENTENCE_BREAKS, clause_start,
                                  load_lexicon)


@pytest.mark.parametrize("text, breaks, window, expected", [
    ("Tặng Bằng khen cho 3 tập thể; 2 cá nhân", CLAUSE_BREAKS, None, " 2 cá nhân"),
    ("Tặng Bằng khen cho 3 tập thể, 2 cá nhân", CLAUSE_BREAKS, None, "Tặng Bằng khen cho 3 tập thể, 2 cá nhân"),
    ("Dự có ông A, Chủ tịch UBND tỉnh ", PHRASE_BREAKS, 160, " Chủ tịch UBND tỉnh "),
    ("phong trào “Noi gương ", PHRASE_BREAKS, 160, "Noi gương "),
    ("Bộ trưởng Bộ Công an chủ trì", PHRASE_BREAKS, 10, "an chủ trì"),  # nothing in the window: its start
    ("TP. Huế tổ chức lễ. Ông X được thăng", SENTENCE_BREAKS, None, " Ông X được thăng"),
    ("TP.Huế tổ chức lễ", SENTENCE_BREAKS, None, "TP.Huế tổ chức lễ"),  # "." without a space is no break
    ("Dòng một.\nDòng hai: ông X", LINE_BREAKS, None, "Dòng hai: ông X"),
    ("", CLAUSE_BREAKS, None, ""),
])
def test_clause_start(text, breaks, window, expected):
    assert text[clause_start(text, len(text), breaks, window=window):] == expected


def test_clause_start_looks_only_before_at():
    text = "Một; hai; ba"
    assert clause_start(text, text.index("hai") + 3) == text.index(" hai")


@pytest.mark.parametrize("subset, abbreviations, present, absent", [
    ("units", False, {"tỉnh", "thành phố", "thị xã", "xã", "phường", "thị trấn"}, {"TP."}),
    ("units", True, {"tỉnh", "TP.", "TP"}, set()),
    ("province_and_district", False, {"tỉnh", "thành phố", "huyện", "quận"}, {"thị xã", "xã"}),
    ("province_district_and_town", False, {"thị xã", "huyện"}, {"xã", "phường"}),
])
def test_admin_unit_subsets(subset, abbreviations, present, absent):
    words = set(load_lexicon().admin_units(subset, abbreviations))
    assert present <= words and not absent & words


def test_every_admin_subset_is_part_of_the_units():
    lexicon = load_lexicon()
    units = set(lexicon.admin_units())
    for subset in lexicon.rules.settings("admin_units")["subsets"]:
        assert set(lexicon.admin_units(subset)) <= units, subset


@pytest.mark.parametrize("text, matches", [
    ("đồng chí", True), ("Đồng  chí", True), ("ông", True), ("Bà", True), ("anh", False), ("đồng", False),
])
def test_address_pattern(text, matches):
    import regex

    assert (regex.fullmatch(f"(?i){load_lexicon().address_pattern}", text) is not None) is matches


@pytest.mark.parametrize("place, in_provinces, in_places", [
    ("Lạng Sơn", True, True),
    ("Cao Bằng", True, True),
    ("Phan Thiết", False, True),  # a city: only with the cities
    ("Nguyễn Văn A", False, False),
])
def test_place_gazetteer(place, in_provinces, in_places):
    from pipeline.text.normalize import canonical

    lexicon = load_lexicon()
    key = canonical(place).casefold()
    assert (key in lexicon.provinces, key in lexicon.places) == (in_provinces, in_places)


def test_the_lexicon_is_built_once_per_rules_folder():
    assert load_lexicon() is load_lexicon(None)
