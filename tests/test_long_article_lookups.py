"""The look-ups that keep a long article's stages from reading every title, organisation or body stretch
again for each match give what reading them all gives."""
import random

import pytest
import regex

from pipeline.nlp.extensions import in_body
from pipeline.nlp.intervals import Disjoint, Enclosing
from pipeline.nlp.extractors.award_counts import AwardCountExtractor, _Titles


@pytest.mark.parametrize("ranges, start, end, after_start, held", [
    ([(0, 10), (20, 30)], 2, 8, False, True),
    ([(0, 10), (20, 30)], 0, 10, False, True),
    ([(0, 10), (20, 30)], 0, 10, True, False),     # a range starting at the stretch's start is not before it
    ([(0, 10), (20, 30)], 8, 22, False, False),    # across two ranges
    ([(0, 100), (20, 30)], 25, 90, False, True),   # an earlier, longer range holds it
    ([(5, 9)], 0, 3, False, False),
    ([], 0, 1, False, False),
])
def test_enclosing(ranges, start, end, after_start, held):
    assert Enclosing(ranges).holds(start, end, after_start=after_start) is held


def test_enclosing_says_what_reading_every_range_says():
    rng = random.Random(5)
    for _ in range(300):
        ranges = [(a, a + rng.randint(0, 30)) for a in (rng.randint(0, 200) for _ in range(rng.randint(0, 20)))]
        index = Enclosing(ranges)
        for _ in range(20):
            start = rng.randint(0, 230)
            end = start + rng.randint(0, 20)
            assert index.holds(start, end) == any(s <= start and end <= e for s, e in ranges)
            assert index.holds(start, end, after_start=True) == any(s < start and end <= e for s, e in ranges)


def test_in_body_of_many_stretches_is_reading_every_stretch(nlp):
    rng = random.Random(9)
    doc = nlp.make_doc("x " * 200)
    body = sorted((a, a + rng.randint(1, 8)) for a in rng.sample(range(0, 380, 10), 30))
    doc._.body = body
    for start in range(0, 400, 3):
        for end in (start, start + 2, start + 9):
            assert in_body(doc, start, end) == any(s <= start and end <= e for s, e in body)


def _random_titles(rng, n=40, length=400):
    titles = []
    for _ in range(n):
        s = rng.randint(0, length - 20)
        titles.append(((s, s + rng.randint(0, 15)), rng.choice(["Bằng khen", "Cờ thi đua", "Giấy khen"])))
    return titles


def test_titles_starting_and_ending_in_a_stretch_are_those_listed_in_the_doc_s_order():
    rng = random.Random(1)
    for _ in range(200):
        titles = _random_titles(rng)
        index = _Titles(titles)
        lo, hi = sorted(rng.randint(0, 420) for _ in range(2))
        assert index.starting(lo, hi) == [t for t in titles if lo <= t[0][0] < hi]
        assert index.ending(lo, hi) == [t for t in titles if lo <= t[0][1] <= hi]
        assert all(index.at[s] == next(t for (s2, _), t in titles if s2 == s) for (s, _), _ in titles)


def test_a_label_ties_the_first_title_it_follows_as_reading_every_title_does():
    """``_label``: the first title, in the doc's order, with only a label and white space between its end
    and the count, as ``^\\s*(?:labels)\\s*$`` on the text between says."""
    from pipeline.rules import alternation, load_rules

    extractor = AwardCountExtractor()
    labels = regex.compile(rf"^\s*(?:{alternation(load_rules().settings('award_counts')['title_labels'])})\s*$")
    rng = random.Random(2)
    alphabet = [" ", " ", ":", "\n", "a", "b", ",", "\t"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(200))
        titles = _random_titles(rng, n=25, length=200)
        index = _Titles(titles)
        for at in range(0, 201, 7):
            expected = next((t for (s, e), t in titles if e <= at and labels.match(text[e:at])), None)
            assert extractor._label(text, index, at) == expected, (text, at)


def test_disjoint_ranges_say_what_reading_every_range_says():
    rng = random.Random(4)
    for _ in range(300):
        taken, listed = Disjoint(), []
        for _ in range(40):
            start = rng.randint(0, 300)
            end = start + rng.randint(1, 25)
            expected = any(s < end and start < e for s, e in listed)
            assert taken.overlaps(start, end) == expected
            if not expected:
                taken.add(start, end)
                listed.append((start, end))
        for start in range(0, 330, 5):
            for end in (start, start + 1, start + 12):
                assert taken.overlaps(start, end) == any(s < end and start < e for s, e in listed)
