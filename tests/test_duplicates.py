"""Duplicates: content hashes, near duplicates found by MinHash/LSH (measured on corpus pairs), --skip-duplicates."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pipeline.io.documents import Document
from pipeline.runner.duplicates import DuplicateIndex, content_hash, mark_duplicates

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import bench_duplicates  # noqa: E402


def test_near_duplicate_precision_and_recall_on_corpus_pairs():
    positives, negatives = bench_duplicates.pairs()
    assert len(positives) >= 60 and len(negatives) >= 1000
    result = bench_duplicates.score(bench_duplicates.minhash_says, positives, negatives)
    assert result["precision"] >= 0.98, result
    assert result["recall"] >= 0.95, result


def test_exact_and_near_copies_name_the_earliest_and_others_are_left_alone():
    article = (Path(__file__).resolve().parent.parent / "corpus" / "heldout").glob("*.txt")
    first, other = [p.read_text(encoding="utf-8") for p in sorted(article)[:2]]
    copy = "Trang chủ » Tin tức\n" + first + "\nTheo báo Biên phòng"
    items = [Document("a", first, "s"), Document("b", other, "s"), Document("c", first, "s"),
             Document("d", copy, "s")]
    marked = list(mark_duplicates(items, DuplicateIndex()))
    assert [d.duplicate_of for d in marked] == [None, None, "a", "a"]
    assert marked[2].content_hash == marked[0].content_hash == content_hash(first)
    assert marked[3].content_hash != marked[0].content_hash
    assert not any(d.skip for d in marked)
    skipped = list(mark_duplicates([Document(d.doc_id, d.text, "s") for d in items], DuplicateIndex(),
                                   skip_near=True))
    assert [d.skip for d in skipped] == [False, False, True, True]
    exact_only = list(mark_duplicates([Document(d.doc_id, d.text, "s") for d in items], DuplicateIndex(),
                                      skip_exact=True))
    assert [d.skip for d in exact_only] == [False, False, True, False]


def _copies():
    """Two articles, each followed by an exact copy and by a near one (another header and footer)."""
    first, other = [p.read_text(encoding="utf-8") for p in
                    sorted((Path(__file__).resolve().parent.parent / "corpus" / "heldout").glob("*.txt"))[:2]]
    texts = [first, other, first, "Trang chủ » Tin tức\n" + first + "\nTheo báo Biên phòng", other,
             "Tin tức - Sự kiện\n" + other + "\nTheo Báo Nhân Dân"]
    return [Document(name, text, "s") for name, text in zip("abcdef", texts)]


def test_near_copies_found_after_processing_are_those_found_before_it():
    from pipeline.runner.chunks import ChunkResult, mark_near_duplicates

    before = [d.duplicate_of for d in mark_duplicates(_copies(), DuplicateIndex())]
    assert before == [None, None, "a", "a", "b", "b"]
    index = DuplicateIndex()
    marked = list(mark_duplicates(_copies(), index, near_later=True))
    # Only the exact copies are known before processing; the others wait for their signatures.
    assert [d.duplicate_of for d in marked] == [None, None, "a", None, "b", None]
    assert [d.needs_signature for d in marked] == [True, True, False, True, False, True]
    results = []
    for chunk in (marked[:3], marked[3:4], marked[4:]):  # as workers would return them, in input order
        result = ChunkResult()
        for item in chunk:
            result.sign(item)
            result.add({"documents": [{"doc_id": item.doc_id, "duplicate_of": item.duplicate_of}]},
                       (item.doc_id, item.text))
        results.append(result)
    results[1].extend(results[2])  # a result made of two (an isolated chunk) keeps its rows' positions
    assert [mark_near_duplicates(result, index) for result in results[:2]] == [0, 2]
    assert [row["duplicate_of"] for result in results[:2] for row in result.rows["documents"]] == before


def test_near_copies_cannot_be_left_out_once_processed():
    with pytest.raises(ValueError, match="before processing"):
        list(mark_duplicates(_copies(), DuplicateIndex(), skip_near=True, near_later=True))


def test_a_resumed_run_indexes_the_documents_already_written_in_the_main_process(tmp_path):
    from collections import Counter

    from pipeline.apps.extract import Run, _items
    from pipeline.runner.duplicates import signature

    (tmp_path / "in").mkdir()
    for document in _copies():
        (tmp_path / "in" / f"{document.doc_id}.txt").write_text(document.text, encoding="utf-8")
    index = DuplicateIndex()
    rest = list(_items(Run(inputs=[tmp_path / "in"], out=tmp_path / "out"), Counter(), index, done=2))
    assert index.ids == ["a", "b"]  # written before the run was killed: originals without a worker's signature
    assert [(d.doc_id, d.duplicate_of, d.needs_signature) for d in rest] == [
        ("c", "a", False), ("d", None, True), ("e", "b", False), ("f", None, True)]
    assert index.add_signature("d", signature(rest[1].text)) == "a"


@pytest.mark.parametrize("skip, workers", [(False, 1), (True, 1), (False, 2)])
def test_skip_duplicates_leaves_copies_out_of_the_fact_tables(tmp_path, skip, workers):
    from pipeline.apps.extract import run_extract
    from test_batch import read_rows

    article = sorted((Path(__file__).resolve().parent.parent / "corpus" / "heldout").glob("*.txt"))[0]
    text = article.read_text(encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "in" / "b.txt").write_text("Tin tức - Sự kiện\n" + text + "\nTheo Báo Nhân Dân", encoding="utf-8")
    summary = run_extract([tmp_path / "in"], tmp_path / "out", workers=workers, skip_duplicates=skip, chunk_size=1)
    documents = read_rows(tmp_path / "out", "documents")
    assert [(d["doc_id"], d["duplicate_of"]) for d in documents] == [("a", ""), ("b", "a")]
    assert [d["status"] for d in documents] == ["ok", "duplicate" if skip else "ok"]
    assert all(len(d["content_hash"]) == 64 for d in documents)
    officials = {row["doc_id"] for row in read_rows(tmp_path / "out", "officials")}
    assert officials == ({"a"} if skip else {"a", "b"})
    assert (summary["flagged"], summary["duplicates"]) == (1, 1 if skip else 0)


@pytest.mark.parametrize("text, expected", [
    ("Một Hai,  ba\nbốn năm sáu", {"một hai ba bốn năm", "hai ba bốn năm sáu"}),  # lower case, one space between
    ("a b c d e", {"a b c d e"}),
    ("a b", {"a b"}),  # shorter than a shingle: the whole text
    ("", set()),
    (" , ; ", set()),
    ("Đường 12 số_3 x y z", {"đường 12 số_3 x y", "12 số_3 x y z"}),
])
def test_shingles(text, expected):
    from pipeline.runner.duplicates import shingles

    assert shingles(text) == {s.encode("utf-8") for s in expected}


@pytest.mark.parametrize("text", ["Một hai ba bốn năm sáu bảy tám chín mười", "a b", "x " * 400])
def test_signature_is_each_permutation_s_minimum_of_h_times_a_plus_b_mod_the_mersenne_prime(text):
    """The division-free reduction gives what ``(h * a + b) % (2**61 - 1)`` gives, to its last 32 bits."""
    import hashlib

    from pipeline.runner import duplicates

    hashes = [int.from_bytes(hashlib.blake2b(g, digest_size=4).digest(), "little") for g in duplicates.shingles(text)]
    expected = [min(((h * int(a) + int(b)) % ((1 << 61) - 1)) & 0xFFFFFFFF for h in hashes)
                for a, b in zip(duplicates._A, duplicates._B)]
    assert duplicates.signature(text).tolist() == expected


def test_the_plain_characters_are_word_characters_to_re_exactly_when_they_are_to_regex():
    """Where ``shingles`` lets the re module find the words, both modules read every character alike."""
    import re

    import regex

    from pipeline.runner import duplicates

    plain = [chr(c) for c in range(0x2100) if not duplicates._NOT_PLAIN.match(chr(c))]
    assert len(plain) > 1000  # Latin, Vietnamese and punctuation at least
    assert [c for c in plain if bool(re.match(r"\w", c)) != bool(regex.match(r"\w", c))] == []


@pytest.mark.parametrize("text", [
    "Công an tỉnh Quảng Ninh tổ chức hội nghị tổng kết năm 2020",
    "x² y½ z‿w Ông Đỗ Văn A nhận Huân chương",  # characters only the regex module reads as (not) word ones
    "Cà phê\u0301 Trung Nguyên đạt giải nhất cuộc thi năm nay",  # a combining mark
    "Москва и Hà Nội ký kết hợp tác ba bên mới",
])
def test_shingles_are_the_regex_module_s_words(text):
    import regex

    from pipeline.runner.duplicates import SHINGLE, shingles

    words = regex.findall(r"\w+", text.lower())
    expected = {" ".join(words[i:i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    assert shingles(text) == expected
