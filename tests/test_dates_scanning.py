"""The fast scans of dates, award counts and clusters find what a plain ``finditer`` finds, in the same order."""
import pytest

from pipeline.nlp.extractors import clusters
from pipeline.nlp.extractors.award_counts import AwardCountExtractor
from pipeline.nlp.extractors.clusters import ClusterExtractor
from pipeline.nlp.scanning import finditer_at, word_starts, word_starts_ignoring_case
from pipeline.nlp.extractors.dates import DateFinder, _digit_windows, _LedPattern
from pipeline.rules import load_rules

TEXTS = [
    "Chiều 30-11, giai đoạn 2015 - 2020, từ năm 2016 đến năm 2021, nhiệm kỳ 2020-2025 và ngày 26 - 27/12.",
    "NGÀY 3 VÀ 4/4, Ngày  5 đến ngày 9/6/2020; năm\n2015 – 2018; Kế Hoạch 2021 tới 2025 (2/9).",
    "từ năm năm 2015-2020 lúc 8h30 ngày 5/6/2020, 17:25 06/12/2020; ngày ngày 1-3/2.",
    "Hơn 900 lượt tập thể, TRÊN 7.200 LƯỢT CÁ NHÂN, năm tập thể và một cá nhân; địa chỉ 6/8 đơn vị.",
    "Chín thầy thuốc, tổng số 12 cán bộ, chiến sĩ; ít nhất ba cá nhân, Ba Đơn Vị, hàng trăm 5 tập thể.",
    "ſáu tập thể và İ hai cá nhân được khen thưởng.",  # case folding changes the length: every place is tried
    "Cụm thi đua số 5 gồm các đơn vị: Công an tỉnh A, Công an tỉnh B và Công an tỉnh C. Công an tỉnh A "
    "làm Cụm trưởng, Công an tỉnh B (Cụm phó); đơn vị khối trưởng Công an tỉnh D; KHỐI THI ĐUA Công an 3 tỉnh: "
    "Hà Nam, Nam Định và Ninh Bình. Bảo tàng tỉnh (Khối trưởng), Thư viện tỉnh là   khối  phó.",
]


def _found(matches):
    return [(m.span(), m.groupdict()) for m in matches]


@pytest.fixture(scope="module")
def rules():
    return load_rules(None)


def test_led_date_patterns_find_what_finditer_finds(rules):
    led = [(kind, p) for kind, p, _ in DateFinder(rules).patterns if isinstance(p, _LedPattern)]
    assert {kind for kind, _ in led} == {"dayrange", "period"}
    found = 0
    for kind, pattern in led:
        for text in TEXTS + [t.upper() for t in TEXTS]:
            for a, b in _digit_windows(text) + [(0, len(text)), (10, 60)]:
                fast = _found(pattern.finditer(text, a, b))
                assert fast == _found(pattern.pattern.finditer(text, a, b)), (kind, text, a, b)
                found += len(fast)
    assert found > 20


def test_award_counts_find_what_finditer_finds():
    extractor = AwardCountExtractor()
    for text in TEXTS + [t.upper() for t in TEXTS]:
        assert _found(extractor.find_counts(text)) == _found(extractor.count_re.finditer(text)), text


def test_cluster_patterns_find_what_finditer_finds():
    x = ClusterExtractor()
    for text in TEXTS + [t.upper() for t in TEXTS] + [t.lower() for t in TEXTS]:
        at = [(x.head_re, word_starts_ignoring_case(text, x.head_openers)),
              (x.member_list_re, word_starts_ignoring_case(text, x.member_list_openers)),
              (x.unit_list_re, word_starts(text, x.unit_list_openers))]
        for attr, (after_unit, before_unit) in x.head_anchor_res.items():
            words, openers = x.head_anchor_openers[attr]
            at.append((before_unit, word_starts_ignoring_case(text, openers)))
            cues = word_starts_ignoring_case(text, words)
            assert _found(clusters._matches_in_runs(after_unit, text, cues)) == _found(after_unit.finditer(text))
        for pattern, starts in at:
            assert _found(finditer_at(pattern, text, starts)) == _found(pattern.finditer(text)), text
