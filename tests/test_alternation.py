"""``rules.alternation`` writes word lists as a tree of shared prefixes: every pattern built on it must
match exactly what the flat list of words, longest first, matched."""
from __future__ import annotations

import random

import pytest
import regex

from pipeline.rules import alternation
from pipeline.text.normalize import fold_tones


def flat_alternation(words) -> str:
    """The list as it was written before the tree: one alternative per word, longest first."""
    parts = [regex.escape(fold_tones(w)).replace(r"\ ", r"\s+") for w in sorted(set(words), key=lambda w: (-len(w), w))]
    return "(?:" + "|".join(parts) + ")"


# The pattern around the list: as the extractors use it, with backtracking into the list forced by what follows.
WRAPPERS = ["{}", "(?i){}", "(?i){}(?![\\p{{L}}\\p{{M}}])", "{}(?![\\p{{L}}])", "(?i)(?P<w>{})\\s+\\d+",
            "(?i)(?:{})+?\\.", "(?:{})\\s*(?:{})", "(?i)\\b{}\\b", "(?i)(?:{}\\s+)?\\p{{Lu}}\\w+"]

SYLLABLES = ["Bộ", "bộ", "Ban", "ban", "Công", "công", "an", "An", "Cục", "cục", "Phó", "phó", "Giám", "đốc", "Đốc",
             "Sở", "sở", "B", "b", "C", "Ư", "ư", "Đ", "đ", "TP.", "tp.", "UBND", "ubnd", "X-Y", "a+b", "(1)", "K", "k"]


def random_words(rng: random.Random) -> list[str]:
    words = [" ".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(1, 25))]
    words += [w + " " + rng.choice(SYLLABLES) for w in rng.sample(words, min(len(words), 5))]  # shared prefixes
    words += [w.split()[0] + "\t" + " ".join(w.split()[1:]) for w in words[:2] if " " in w]  # a tab beside \s+
    if rng.random() < 0.3:
        words += [w.replace(" ", "  ", 1) for w in words[:2]]  # two spaces: a \s+ that gives one back
    return words


def random_text(rng: random.Random, words: list[str]) -> str:
    pieces = words + SYLLABLES + [" ", "  ", "\n", "\t", ", ", "12", " 7", "."]
    return "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(60))


def spans(pattern: str, text: str) -> list:
    return [(m.span(), m.groups()) for m in regex.finditer(pattern, text)]


@pytest.mark.parametrize("seed", range(40))
def test_the_tree_matches_what_the_flat_list_matched(seed):
    rng = random.Random(seed)
    words = random_words(rng)
    texts = [random_text(rng, words) for _ in range(10)]
    for wrapper in WRAPPERS:
        tree, flat = wrapper.format(alternation(words), alternation(words)), wrapper.format(flat_alternation(words),
                                                                                              flat_alternation(words))
        for text in texts:
            assert spans(tree, text) == spans(flat, text), (wrapper, words, text)


@pytest.mark.parametrize("words, tree", [
    (["Bộ", "Bộ Công an", "Ban"], r"(?:B(?:an|ộ(?:\s+Công\s+an|)))"),  # shared prefixes, the longer word first
    (["Ban", "ban"], r"(?:Ban|ban)"),  # case variants: listed flat, as (?i) could read either
    (["a.b", "a+c"], r"(?:a(?:\+c|\.b))"),  # signs escaped
    (["a  b", "a bc"], r"(?:a\s+\s+b|a\s+bc)"),  # two spaces: flat, longest first
])
def test_the_tree_as_written(words, tree):
    assert alternation(words) == tree


