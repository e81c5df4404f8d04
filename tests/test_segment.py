"""Segmentation: syllables as underthesea cuts them, words with exact offsets."""
from __future__ import annotations

import random

from conftest import ROOT, underthesea_syllables


def _lines() -> list[str]:
    lines = [line for p in sorted((ROOT / "corpus").rglob("*.txt")) for line in p.read_text(encoding="utf-8").split("\n")]
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x20, 0x250)] + list("0123456789.,:;/-–“”()'’%&@#") + [" "] * 20
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))) for _ in range(3000)]
    # Words of letters next to the signs underthesea's earlier alternatives start with.
    pieces = ["Th", "ThS", "Thas", "Thư", "ThưS", "ths", "Tp", "Mr", "e", "mail", "v", "ʺ", "Đ", "NĐ", "CP", "T", "Ư",
              "công", "an", "UBND", "x", "²", "_", ".", "-", "&", "'", "’", ":", "@", "/", "(", ")", " ", " ", " "]
    lines += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]
    lines += ["ThưSơn Thas ThaS Thạc sĩ ThS. Nguyễn", "ʺabc abcʺ aʺb", "e-mail email v.v Tp. Hồ", "m² 10m² x2 _a a_b"]
    return lines


def test_syllable_offsets_give_underthesea_syllables(nlp):
    tokenizer = nlp.tokenizer
    for line in _lines():
        spans = list(tokenizer._syllable_offsets(line))
        assert [line[s:e] for s, e in spans] == underthesea_syllables(line), line


def test_every_token_is_the_text_it_covers(nlp):
    text = (ROOT / "corpus" / "dev" / "000_a16c13a7aae6f99c.txt").read_text(encoding="utf-8")
    doc = nlp.make_doc(text)
    assert "".join(t.text_with_ws for t in doc) == text
    assert any(t.text == "Mai Thế Quang" for t in doc)  # underthesea keeps a personal name whole


def test_a_whole_article_scanned_at_once_gives_the_syllables_of_its_lines(nlp, monkeypatch):
    """An article of short lines is scanned in one pass (``$`` at each line's end); the line-by-line scan,
    kept for long lines, gives the same syllables."""
    import re

    import pipeline.nlp.segment as segment

    rng = random.Random(3)
    lines = _lines()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").rglob("*.txt"))]
    texts += ["\n".join(rng.sample(lines, 8)) for _ in range(300)]
    texts += ["A.\nB. C.\n:D\n:D x\nv.v\n\nTP. HCM\n", "x\n\n\n", "\n", ""]
    tokenizer = nlp.tokenizer
    whole = [list(tokenizer._syllable_offsets(t)) for t in texts]
    monkeypatch.setattr(segment, "_LONG_LINE", re.compile(""))  # every text down the line-by-line path
    assert whole == [list(tokenizer._syllable_offsets(t)) for t in texts]
