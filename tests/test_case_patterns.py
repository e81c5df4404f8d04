"""``(?i)`` patterns rewritten as case-sensitive ones (pipeline.nlp.case_patterns) match exactly the same."""
from __future__ import annotations

import pickle
import random

import pytest
import regex

from conftest import ROOT
from pipeline.nlp.case_patterns import without_ignore_case
from pipeline.text.normalize import fold_tones, normalize_text


@pytest.mark.parametrize("pattern, rewritten", [
    (r"(?i)Bộ\s+trưởng(?![\p{L}\p{M}])", r"[Bb][Ộộ]\s+[Tt][Rr][Ưư][Ởở][Nn][Gg](?![\p{L}\p{M}])"),
    (r"(?i)(?P<d>\d{1,2})[/\-.]0?[1-9]", r"(?P<d>\d{1,2})[/\-.]0?[1-9]"),  # names, quantifiers, digit ranges kept
    (r"(?i)k.s$", "[Kk\u212a].[Ssſ]$"),  # every character (?i) lets a letter match: the Kelvin sign, the long s
    (r"(?i)[^\s(]+x", r"[^\s(]+[Xx]"),
    (r"(?i)\p{Lu}\w+", None),  # under (?i) \p{Lu} takes lower case too: left as it is
    (r"(?i)[a-z]", None),  # a range of letters
    (r"(?i)(?P<s>[/.])\d(?P=s)", None),  # a back reference compares without case
    (r"(?i)a(?-i:B[a-z]\p{Lu})c", r"[Aa](?:B[a-z]\p{Lu})[Cc]"),  # case kept where a group turns it back on
    (r"(?i)(?-i:a(?i:b))c", r"(?:a(?:[Bb]))[Cc]"),
    (r"(?i)a(?i)b", None),  # another flag inside
    (r"(?i)a(?x)b", None),
    (r"(?i)a)b", None),  # unbalanced
    (r"Bộ\s+trưởng", None),  # no (?i): nothing to do
])
def test_rewriting(pattern, rewritten):
    assert without_ignore_case(pattern) == rewritten


def _texts() -> list[str]:
    texts = [normalize_text(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "corpus").rglob("*.txt"))]
    texts += [fold_tones(t) for t in texts]
    rng = random.Random(11)
    letters = "aAbBkKsSıİiIſßẞđĐộỘưƯ\u212a0123456789 .,-/\n()"
    texts += ["".join(rng.choice(letters) for _ in range(200)) for _ in range(50)]
    texts += [t.upper() for t in texts[:20]] + [t.swapcase() for t in texts[:20]]
    return texts


def test_every_rewritten_pattern_of_the_pipeline_matches_the_same(tmp_path, monkeypatch):
    """Build the pipeline and linking with an empty cache, then try each ``(?i)`` pattern they compiled, as written and
    as rewritten, on the corpus (as written, tone-folded, upper case, swapped case) and on random text."""
    monkeypatch.setenv("VNIE_CACHE_DIR", str(tmp_path))
    from pipeline.linking.link import load_linking
    from pipeline.linking.people import load_evidence
    from pipeline.linking.provinces import load_gazetteer
    from pipeline.linking.recipients import load_splitter
    from pipeline.linking.units import load_unit_names
    from pipeline.nlp.language import build
    from pipeline.nlp.model_cache import cached_path
    from pipeline.nlp.pattern_cache import _cache_name

    build()
    for loader in (load_linking, load_gazetteer, load_splitter, load_unit_names, load_evidence):
        loader.cache_clear()  # built afresh, so that their expressions are compiled (and cached) now
    load_linking()
    compiled = {}
    for group in ("pipeline", "linking"):
        with open(cached_path(_cache_name(group)), "rb") as handle:
            compiled.update(pickle.load(handle))
    rewritten = [(p, without_ignore_case(p)) for p, flags in compiled if flags == 0 and without_ignore_case(p)]
    assert len(rewritten) >= 40  # most of the rules' (?i) patterns are rewritten
    texts = _texts()
    for original, exact in rewritten:
        assert compiled[(original, 0)].pattern == exact  # the pipeline uses the rewritten one
        before, after = regex.compile(original), regex.compile(exact)
        for text in texts:
            assert [(m.span(), m.groups()) for m in before.finditer(text)] == \
                [(m.span(), m.groups()) for m in after.finditer(text)], (original, text[:80])
