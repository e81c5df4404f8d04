"""The scorer: each matching rule of SCHEMA.md on hand-made pairs, and the same figures as the reference scorer.

The reference is the workspace's independent scorer (``../shared/tools/score.py``,
standard library only); the gold sets are ``corpus/*.gold.jsonl`` (texts in
``corpus/`` and ``../shared/corpus/real``) and ``../shared/corpus/dev.gold.jsonl``.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, ROOT

from pipeline.apps.scoring import FieldScore, as_int, norm, score, token_f1, token_jaccard, unit_key

SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "tools" / "score.py"
needs_reference = pytest.mark.skipif(not REFERENCE.exists(), reason=f"no reference scorer at {REFERENCE}")
needs_shared_corpus = pytest.mark.skipif(not (SHARED / "corpus").is_dir(), reason=f"no {SHARED / 'corpus'}")


def _cli(*args) -> subprocess.CompletedProcess:
    vnie = Path(sys.executable).with_name("vnie")
    cmd = [str(vnie)] if vnie.exists() else [sys.executable, "-m", "pipeline"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=600)


def _reference_module():
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the pieces ----------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("Đại uý", "đại úy"),
    ("Hoà Bình", "hòa bình"),
    ("Thuỷ", "thủy"),
    ("khuyến khích", "khuyến khích"),  # 'uyê' inside a syllable stays
    ("  “Đơn vị   Quyết thắng”. ", "đơn vị quyết thắng"),
    ("Cờ thi đua;", "cờ thi đua"),
    (None, ""),
    (2020, "2020"),
])
def test_norm(value, expected):
    assert norm(value) == expected


@pytest.mark.parametrize("unit, expected", [
    ("tập thể, cá nhân", "tập thể cá nhân"),
    ("tập thể và cá nhân", "tập thể cá nhân"),
    ("Tập thể,cá nhân", "tập thể cá nhân"),
    ("lượt tập thể", "lượt tập thể"),
    ("vàng", "vàng"),  # "và" only as a word
])
def test_unit_key(unit, expected):
    assert unit_key(unit) == expected


@pytest.mark.parametrize("gold, pred, expected", [
    ("Giám đốc Công an tỉnh", "Giám đốc Công an tỉnh", 1.0),
    ("Giám đốc Công an tỉnh", "Giám đốc Công ty Điện", 0.6),  # 3 of 5 and 5
    ("Giám đốc Công an tỉnh", "Giám đốc Sở Tư pháp", 0.4),
    ("", "", 1.0),
    ("Giám đốc", "", 0.0),
])
def test_token_f1(gold, pred, expected):
    assert token_f1(gold, pred) == pytest.approx(expected)


@pytest.mark.parametrize("a, b, expected", [
    ("Công an tỉnh Long An", "Công an tỉnh Long An", 1.0),
    ("Công an tỉnh Long An", "CA tỉnh Long An", 0.6),  # {tỉnh, long, an} of {công, an, tỉnh, long, ca}
    ("Khối thi đua", "Khối thi đua các trường", 0.6),
    ("Khối A", "Khối B", 1 / 3),
    ("", "", 1.0),
])
def test_token_jaccard(a, b, expected):
    assert token_jaccard(a, b) == pytest.approx(expected)


@pytest.mark.parametrize("value, expected", [(6, 6), ("6", 6), ("1.027", 1027), ("02", 2), ("", None), (None, None),
                                             ("sáu", None), (6.0, 6)])
def test_as_int(value, expected):
    assert as_int(value) == expected


@pytest.mark.parametrize("counts, p, r, f1", [
    ((0, 0, 0), 1.0, 1.0, 1.0),  # nothing to find, nothing found
    ((0, 0, 2), 0.0, 0.0, 0.0),
    ((0, 3, 0), 0.0, 1.0, 0.0),
    ((3, 1, 2), 0.75, 0.6, 2 * 0.75 * 0.6 / 1.35),
])
def test_field_score(counts, p, r, f1):
    figures = FieldScore(*counts)
    assert (figures.precision, figures.recall, figures.f1) == pytest.approx((p, r, f1))


# --- each matching rule, on one hand-made document -----------------------------------------------

def official(name, rank=None, position=None):
    return {"name": name, "rank": rank, "position": position}


def cluster(name, kind="khối", number=None, members=()):
    return {"kind": kind, "number": number, "name": name, "members": list(members)}


def count(n, unit, title="khen thưởng"):
    return {"count": n, "unit": unit, "title": title}


# (case, gold fields, predicted fields, {field: (tp, fp, fn)})
CASES = [
    ("official names after tone placement", {"officials": [official("Nguyễn Thị Thuỷ")]},
     {"officials": [official("Nguyễn Thị Thủy")]}, {"officials": (1, 0, 0)}),
    ("rank with the other tone placement", {"officials": [official("Lê Văn A", "Đại uý")]},
     {"officials": [official("Lê Văn A", "Đại úy")]}, {"officials.rank": (1, 0, 0)}),
    ("empty rank equals empty rank", {"officials": [official("Lê Văn A")]}, {"officials": [official("Lê Văn A", "")]},
     {"officials.rank": (1, 0, 0)}),
    ("a rank where gold has none", {"officials": [official("Lê Văn A")]},
     {"officials": [official("Lê Văn A", "Đại tá")]}, {"officials.rank": (0, 1, 1)}),
    ("position token F1 exactly 0.6", {"officials": [official("Lê Văn A", position="Giám đốc Công an tỉnh")]},
     {"officials": [official("Lê Văn A", position="Giám đốc Công ty Điện")]}, {"officials.position": (1, 0, 0)}),
    ("position token F1 under 0.6", {"officials": [official("Lê Văn A", position="Phó Giám đốc Công an tỉnh")]},
     {"officials": [official("Lê Văn A", position="Giám đốc Công ty Điện")]}, {"officials.position": (0, 1, 1)}),
    ("no gold position: not scored", {"officials": [official("Lê Văn A")]},
     {"officials": [official("Lê Văn A", position="Giám đốc")]}, {"officials.position": (0, 0, 0)}),
    ("a person named twice counts once", {"officials": [official("Lê Văn A")]},
     {"officials": [official("Lê Văn A"), official("LÊ VĂN A"), official("Trần B")]}, {"officials": (1, 1, 0)}),
    ("cluster names with Jaccard 0.5", {"clusters": [cluster("Khối thi đua số một")]},
     {"clusters": [cluster("Khối thi đua hai")]}, {"clusters": (1, 0, 0)}),  # 3 of 6 tokens
    ("cluster names with Jaccard under 0.5", {"clusters": [cluster("Khối thi đua số một")]},
     {"clusters": [cluster("Khối thi đua hai ba")]}, {"clusters": (0, 1, 1)}),  # 3 of 7
    ("numbered clusters by number alone", {"clusters": [cluster("Cụm thi đua số 8", "cụm", 8)]},
     {"clusters": [cluster("Cụm 8 Bộ Công an phía Nam", "cụm", 8), cluster("Cụm thi đua số 8", "cụm", 7)]},
     {"clusters": (1, 1, 0)}),
    ("a cluster of the other kind", {"clusters": [cluster("Cụm thi đua", "cụm")]},
     {"clusters": [cluster("Cụm thi đua", "khối")]}, {"clusters": (0, 1, 1)}),
    ("members by Jaccard 0.5", {"clusters": [cluster("Khối A", members=["Công an tỉnh Long An", "Công an tỉnh Bến Tre"])]},
     {"clusters": [cluster("Khối A", members=["Công an Long An", "Bến Tre"])]}, {"clusters.members": (1, 1, 1)}),
    ("unit with a comma equals unit with và", {"award_counts": [count(1027, "tập thể, cá nhân")]},
     {"award_counts": [count(1027, "tập thể và cá nhân")]}, {"award_counts": (1, 0, 0)}),
    ("a count written with a separator", {"award_counts": [count(1027, "tập thể")]},
     {"award_counts": [count("1.027", "Tập thể")]}, {"award_counts": (1, 0, 0)}),
    ("another count or unit is another statement", {"award_counts": [count(6, "đơn vị"), count(4, "cá nhân")]},
     {"award_counts": [count(6, "cá nhân"), count(4, "cá nhân")]}, {"award_counts": (1, 1, 1)}),
    ("title of a matched count", {"award_counts": [count(6, "đơn vị", "Đơn vị Tiên tiến")]},
     {"award_counts": [count(6, "đơn vị", "khen thưởng")]}, {"award_counts": (1, 0, 0), "award_counts.title": (0, 1, 1)}),
    ("titles as a set, quotes and tone placement aside",
     {"titles": [{"title": "Cờ thi đua của Ủy ban nhân dân tỉnh"}, {"title": "Đơn vị Tiên tiến"}]},
     {"titles": [{"title": "Cờ thi đua của Uỷ ban nhân dân tỉnh"}, {"title": "“Đơn vị Tiên tiến”"},
                 {"title": "Đơn vị Tiên tiến"}, {"title": "Bằng khen"}]}, {"titles": (2, 1, 0)}),
    ("dates, years and periods as sets", {"dates": ["2020-11-30"], "years": ["2020"], "periods": ["2015/2020"]},
     {"dates": ["2020-11-30", "2020-12-06"], "years": [], "periods": ["2015/2020"]},
     {"dates": (1, 1, 0), "years": (0, 0, 1), "periods": (1, 0, 0)}),
    ("published to the minute", {"published": "2020-12-06T17:25"}, {"published": "2020-12-06T17:25:40"},
     {"published": (1, 0, 0)}),
    ("no event date on either side is right", {"event_date": None}, {}, {"event_date": (1, 0, 0)}),
    ("a wrong event date is an extra and a miss", {"event_date": "2020-11-30"}, {"event_date": "2020-12-06"},
     {"event_date": (0, 1, 1)}),
    ("an event date where gold has none", {"event_date": None}, {"event_date": "2020-12-06"},
     {"event_date": (0, 1, 0)}),
]


def _records(case):
    _, gold, pred, _ = case
    return {"d": {"doc_id": "d", **gold}}, {"d": {"doc_id": "d", **pred}}


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_matching_rule(case):
    gold, pred = _records(case)
    report = score(gold, pred)
    for name, expected in case[3].items():
        figures = report.scores[name]
        assert (figures.tp, figures.fp, figures.fn) == expected, name


@needs_reference
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_matching_rule_agrees_with_the_reference(case):
    gold, pred = _records(case)
    detail: dict = {}
    expected = _reference_module().score(gold, pred, detail)
    report = score(gold, pred)
    assert report.as_dict() == expected
    assert report.errors == detail


@needs_reference
def test_a_missing_prediction_agrees_with_the_reference():
    gold = {"d": {"doc_id": "d", "officials": [official("Lê Văn A", "Đại tá", "Giám đốc")], "event_date": "2020-01-01",
                  "clusters": [cluster("Cụm 1", "cụm", 1, ["A"])], "award_counts": [count(2, "lần")]}}
    detail: dict = {}
    assert score(gold, {}).as_dict() == _reference_module().score(gold, {}, detail)
    assert score(gold, {}).errors == detail


# --- the same figures as the reference on every gold set -----------------------------------------

GOLD_SETS = [(CORPUS / f"{name}.gold.jsonl", "corpus") for name in ("dev", "heldout", "heldout2", "heldout3", "heldout4", "heldout5")]
GOLD_SETS += [(CORPUS / "real.gold.jsonl", "shared"), (SHARED / "corpus" / "dev.gold.jsonl", "shared")]


@needs_reference
@needs_shared_corpus
@pytest.mark.parametrize("gold, texts", GOLD_SETS, ids=[f"{g.parent.parent.name}/{g.name}" for g, _ in GOLD_SETS])
@pytest.mark.parametrize("flags", [["--docs"], ["--json"]])
def test_evaluate_prints_the_reference_scorers_figures(request, gold, texts, flags):
    out = request.getfixturevalue("corpus_out" if texts == "corpus" else "shared_out")
    ours = _cli("evaluate", gold, out, *flags)
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([sys.executable, str(REFERENCE), str(gold), str(out), *flags], capture_output=True,
                            text=True)
    assert theirs.returncode == 0, theirs.stderr
    assert ours.stdout == theirs.stdout
    if flags == ["--json"]:
        assert json.loads(ours.stdout)["headline"] > 0.5  # a real comparison, not two empty reports


def test_evaluate_only_some_documents(corpus_out):
    first = json.loads(next(open(CORPUS / "dev.gold.jsonl", encoding="utf-8")))["doc_id"]
    result = _cli("evaluate", CORPUS / "dev.gold.jsonl", corpus_out, "--only", first, "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["officials"]["tp"] + figures["officials"]["fn"] == 1  # the seed article names one official


def test_evaluate_names_a_missing_input(tmp_path):
    result = _cli("evaluate", tmp_path / "none.gold.jsonl", tmp_path)
    assert result.returncode == 2
    assert "none.gold.jsonl does not exist" in result.stderr
