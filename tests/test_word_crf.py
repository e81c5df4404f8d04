"""The cached word-segmentation CRF tags exactly as underthesea's own tagger does."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, underthesea_syllables, underthesea_tagger
from pipeline.text.normalize import DecodeError, decode_bytes, normalize_text
from pipeline.nlp.word_crf import LABELS, CachedWordCRF


@pytest.fixture(scope="module")
def taggers():
    return CachedWordCRF(), underthesea_tagger()


def syllables_of(text: str) -> list[str]:
    return [s for line in text.split("\n") if line.strip() for s in underthesea_syllables(line)]


def _readable(path) -> bool:
    try:
        return bool(decode_bytes(path.read_bytes()).strip())
    except DecodeError:
        return False


# Every article, and the bad inputs that read (legacy encodings, NFD, zero-width characters...).
ARTICLES = sorted((ROOT / "corpus").rglob("*.txt")) + [
    p for p in sorted((ROOT / "tests" / "bad_inputs").glob("*.txt")) if _readable(p)]
CORPUS_SYLLABLES = sorted({s for p in sorted((ROOT / "corpus" / "dev").glob("*.txt"))
                           for s in syllables_of(p.read_text(encoding="utf-8"))})


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_same_tags_as_underthesea_on_every_article(taggers, path):
    fast, reference = taggers
    syllables = syllables_of(normalize_text(decode_bytes(path.read_bytes())))
    assert fast.tag(syllables) == reference.predict([[s] for s in syllables])


def test_a_word_is_joined_where_underthesea_joins_it(taggers):
    fast, _ = taggers
    assert fast.tag(["Trung", "tá", "Mai", "Thế", "Quang", ",", "2020"]) == ["B-W", "I-W", "B-W", "I-W", "I-W",
                                                                            "B-W", "B-W"]
    assert fast.tag([]) == []
    assert fast.tag(["Hà"]) == ["B-W"]


piece = st.one_of(st.sampled_from(CORPUS_SYLLABLES), st.text(min_size=1, max_size=6))


def path_score(tagger: CachedWordCRF, reference, syllables: list[str], labels: list[str]) -> float:
    """The CRF score of one labelling, from underthesea's own feature strings."""
    features = reference.featurizer.process([[[s] for s in syllables]])[0]
    index = [LABELS.index(label) for label in labels]
    total = sum((lambda w: w.imag if i else w.real)(tagger.weights.get(f, 0j)) for fs, i in zip(features, index)
                for f in fs)
    return total + sum(tagger.trans[a][b] for a, b in zip(index, index[1:]))


@settings(max_examples=300, deadline=None)
@given(st.lists(piece, min_size=1, max_size=30))
def test_same_tags_as_underthesea_on_any_text(taggers, pieces):
    """Any line of text, cut into syllables as the tokenizer cuts it (the tagger's only input).

    Where two labellings score exactly the same (seen only in runs of identical symbols), either
    is a best one and the two taggers may break the tie differently: the score must then be equal.
    """
    fast, reference = taggers
    syllables = underthesea_syllables(normalize_text(" ".join(pieces)).replace("\n", " "))
    if not syllables:
        return
    ours, theirs = fast.tag(syllables), reference.predict([[s] for s in syllables])
    if ours != theirs:
        assert path_score(fast, reference, syllables, ours) == pytest.approx(
            path_score(fast, reference, syllables, theirs), abs=1e-9)


def test_caches_stay_bounded_and_tags_stay_the_same(taggers, monkeypatch):
    import pipeline.nlp.word_crf as word_crf

    fast, reference = CachedWordCRF(), taggers[1]
    monkeypatch.setattr(word_crf, "_CACHE_LIMIT", 50)
    for path in ARTICLES[:6]:
        syllables = syllables_of(normalize_text(decode_bytes(path.read_bytes())))
        assert fast.tag(syllables) == reference.predict([[s] for s in syllables])
        assert all(len(table.rows) <= 50 + len(syllables) for table in fast.tables.values())


def test_the_shipped_weights_are_underthesea_models_weights():
    """pipeline/models/word_crf_weights.json.gz is what pycrfsuite reads from the installed model."""
    from os.path import join

    from pipeline.nlp.word_crf import load_weights, model_dir, read_weights

    model = join(model_dir(), "models.bin")
    assert load_weights(model) == read_weights(model)


def test_weights_of_another_model_are_read_from_it(tmp_path, monkeypatch):
    import gzip
    import json
    from os.path import join

    import pipeline.nlp.word_crf as word_crf

    stale = tmp_path / "weights.json.gz"
    with gzip.open(stale, "wt", encoding="utf-8") as handle:
        json.dump({"model_sha256": "0" * 64, "weights": {"not a feature": [1.0, 2.0]}, "transitions": [[0, 0], [0, 0]]}, handle)
    monkeypatch.setattr(word_crf, "WEIGHTS_FILE", stale)
    weights, _ = word_crf.load_weights(join(word_crf.model_dir(), "models.bin"))
    assert "not a feature" not in weights and len(weights) > 10000
