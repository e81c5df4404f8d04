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
              "công", "an", "UBND", "x", "²", "_", ".", "-", "&", "'", "’", ":", "@", "/", "(", ")", " ", " ", " ",
              # next to the signs and numbers tried before underthesea's alternatives
              "2020", "7", "1.5", "3,5", "12/3", "10:20", "43H", "3x4", "..", ".com", "+", "%", "°C", ",", ";", "“",
              "”", "…", "–", "—", "!", "?", '"', "‘", "=", ">", "<", "a.b", "vn", "@gmail", "http://", ":)"]
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


def _tokens_one_by_one(text: str, tags: list[str], syllables: list[tuple[int, int]]):
    """The tokens as the rule says, syllable by syllable: a syllable tagged I-W goes on with the word before
    across plain spaces; between two words, one space is the first word's trailing space and anything else
    a token; what comes before the first word and after the last is a token."""
    words, last = [], None
    for tag, (s, e) in zip(tags, syllables):
        if tag == "I-W" and last is not None and text[last[1]:s].strip(" ") == "":
            last = (last[0], e)
        else:
            words += [last] if last else []
            last = (s, e)
    words += [last] if last else []
    tokens, spaces, starts, pos = [], [], [], 0
    for s, e in words:
        if s > pos and tokens and s == pos + 1 and text[pos] == " ":
            spaces[-1] = True
        elif s > pos:
            tokens, spaces, starts = tokens + [text[pos:s]], spaces + [False], starts + [pos]
        tokens, spaces, starts, pos = tokens + [text[s:e]], spaces + [False], starts + [s], e
    if pos < len(text):
        tokens, spaces, starts = tokens + [text[pos:]], spaces + [False], starts + [pos]
    return tokens, spaces, starts


def test_tokens_are_the_words_the_crf_joins_and_what_lies_between(nlp):
    tokenizer = nlp.tokenizer
    rng = random.Random(11)
    lines = _lines()
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").rglob("*.txt"))]
    texts += ["\n".join(rng.sample(lines, 6)) for _ in range(300)] + lines[:500]
    texts += ["", " ", "  ", "\n", " Trung tá", "Trung tá ", "Trung  tá\n\nMai Thế Quang , 2020 .", "a\n b", " \n "]
    for text in texts:
        syllables = list(tokenizer._syllable_offsets(text))
        tags = tokenizer.model.tag([text[s:e] for s, e in syllables])
        doc = tokenizer(text)
        got = [t.text for t in doc], [bool(t.whitespace_) for t in doc], [t.idx for t in doc]
        assert got == _tokens_one_by_one(text, tags, syllables), repr(text[:80])
        assert doc.user_data["vnie_tokens"] == list(zip(got[0], got[2]))
