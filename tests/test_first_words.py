"""``scanning.FirstWords``: a long alternation tried only where the text's word can start one of its words
finds exactly what trying it everywhere finds (organisation heads, offices, provinces)."""
import pytest
import regex

from conftest import SHARED_DEV
from pipeline.nlp.scanning import FirstWords, finditer_at
from pipeline.rules import alternation

OFFICES = ["Phó Giám đốc", "Giám đốc", "Cục trưởng", "Trưởng phòng", "Bộ trưởng"]


@pytest.mark.parametrize("text, starts", [
    ("Phó Giám đốc Công an tỉnh, Giám đốc Sở và Trưởng phòng", [0, 4, 27, 42]),
    ("PHÓ GIÁM ĐỐC; giám đốc; gIÁM ĐốC", [0, 4, 14, 24]),        # any case
    ("(Phó Giám đốc) Lê Xuân Hòa-Giám đốc", [1, 5, 27]),          # after a bracket, after a dash
    ("Phóng viên Giámđốc, Bộtrưởng; Bộ trưởng", [0, 11, 20, 30, 33]),  # words that begin one: kept too
    ("xGiám đốc, 5Giám đốc", [12]),                             # after a letter: not; after a digit: kept
    ("ſáu Cục trưởng", [4, 8]),                                 # "trưởng" begins "Trưởng phòng"
    ("", []),
])
def test_starts_are_where_the_text_goes_on_with_a_first_word_after_no_letter(text, starts):
    assert FirstWords(OFFICES).starts(text) == starts


def test_a_text_case_folding_lengthens_may_match_anywhere():
    assert FirstWords(OFFICES).starts("Straße Giám đốc") is None          # "ß" folds to "ss"
    assert FirstWords(OFFICES).among("Straße Giám đốc", [0, 7, 12]) == [0, 7, 12]


@pytest.mark.parametrize("text, asked, found", [
    ("Phó Giám đốc Sở", [0, 4, 8, 13], [0, 4]),
    ("ThưGiám đốc, xGiám đốc", [3, 14], [3, 14]),    # a start right after a letter: its word read from there
    ("5Giám đốc; -Cục trưởng", [0, 1, 11, 12], [1, 12]),
])
def test_among_keeps_the_starts_whose_word_begins_one_of_the_words(text, asked, found):
    assert FirstWords(OFFICES).among(text, asked) == found


def test_a_word_glued_to_the_next_may_start_a_match():
    first = FirstWords(["Ninh Bình", "tỉnh"], letters=r"\p{L}\p{M}\p{N}")  # digits are letters here
    assert first.starts("tỉnhNinh Bình, tỉnh Ninh Bình; tỉnhlỵ 3tỉnh") == [0, 15, 20, 31]


def _texts():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SHARED_DEV.glob("*.txt"))]
    assert texts, f"no articles in {SHARED_DEV}"
    return texts + [t.upper() for t in texts] + [t.swapcase() for t in texts]


def _spans(matches):
    return [(m.span(), m.groupdict()) for m in matches]


def test_provinces_found_where_their_first_words_are_as_by_a_full_scan():
    from pipeline.linking.provinces import load_gazetteer
    from pipeline.text.normalize import canonical

    gazetteer = load_gazetteer()
    found = 0
    for text in map(canonical, _texts() + ["tỉnhNinh Bình, TPHCM, Thành phốHà Nội, 3tỉnh Nam Định"]):
        fast = _spans(finditer_at(gazetteer.pattern, text, gazetteer.first_words.starts(text)))
        assert fast == _spans(gazetteer.pattern.finditer(text)), text[:80]
        found += len(fast)
    assert found > 50


def test_organisation_heads_and_offices_found_where_their_first_words_are():
    """At every start asked for, ``among`` keeps each one where the pattern matches."""
    from pipeline.nlp.organisations import NameScanner, OrganisationFinder

    patterns = [(NameScanner().head_re, NameScanner().head_firsts), (OrganisationFinder().office_re,
                                                                     OrganisationFinder().office_firsts)]
    matched = 0
    for text in _texts()[::3] + ["ThưGiám đốc, xBộ Công an, (Phó Giám đốc) Lê Hòa-Giám đốc Sở"]:
        starts = [m.start() for m in regex.finditer(r"\S+", text)] + [m.start() for m in regex.finditer(r"[-(]\K", text)]
        starts = sorted(set(starts))
        for pattern, first_words in patterns:
            kept = set(first_words.among(text, starts))
            for at in starts:
                if pattern.match(text, at):
                    assert at in kept, (text[at:at + 30], at)
                    matched += 1
    assert matched > 100


def test_first_words_spell_words_as_alternation_does():
    """Old-style tone marks are read as the modern ones, as :func:`alternation` writes them."""
    words = ["Hoà Bình"]  # old style, in a rule file
    pattern = regex.compile(f"(?i){alternation(words)}")
    text = "tỉnh Hòa Bình"
    assert pattern.search(text).start() == 5
    assert FirstWords(words).starts(text) == [5]


@pytest.mark.parametrize("letters", [r"\p{L}\p{M}", r"\p{L}\p{M}\p{N}"])
def test_the_prefix_tree_scan_finds_what_the_flat_longest_first_scan_finds(letters):
    """The first words are scanned for as a tree of shared prefixes: the same places as the flat list."""
    import random
    import re

    words = ["an", "anh", "ang", "a", "ân", "bà", "bình", "b", "h", "hà", "hải", "tp.", "t", "thành", "tỉnh", "đà"]
    first_words = FirstWords(words, letters=letters)
    before = r"(?<![^\W_])" if r"\p{N}" in letters else ""
    flat = re.compile(before + "(?:" + "|".join(map(re.escape, sorted(first_words.firsts, key=lambda w: (-len(w), w))))
                      + ")")
    rng = random.Random(14)
    pieces = words + [" ", " ", "-", "5", "x", ".", "Ạ", "Anh", "HÀ"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        expected = [m.start() for m in flat.finditer(text.casefold())]
        if r"\p{N}" not in letters:
            expected = [at for at in expected if not (at and text.casefold()[at - 1].isalpha())]
        assert first_words.starts(text) == expected, text
