"""Award counts: "6/8 đơn vị được suy tôn ...", "1.027 tập thể, 8.296 cá nhân được các cấp khen thưởng".

A number counts awards only when an award verb governs it in its clause
("được ... khen thưởng/tặng/suy tôn" after it, or "tặng/trao/vinh danh ...
cho" before it); members of a cluster, cases, gifts and percentages are not
award counts. Counts are candidates; named checks (:func:`plausible_fraction`,
:meth:`AwardCountExtractor.governed`, :meth:`AwardCountExtractor.is_gift`) veto them.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import char_range, in_body, make_span, register_extensions
from pipeline.nlp.lexicon import CLAUSE_BREAKS, clause_start
from pipeline.nlp.scanning import finditer_at, word_starts_ignoring_case
from pipeline.nlp.values import AwardCount
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical, fold_tones
from pipeline.text.numbers import parse_vn_number

_CLAUSE_END = regex.compile(r"[.;:\n!?](?!\d)")
_PUNCTUATION = regex.compile(r"[,.;:\n]")
_NUMBER_START = r"(?<![\d.,/\p{L}])"  # a number starts a word
_DIGITS_START = regex.compile(rf"(?=\d){_NUMBER_START}")  # where a count written in digits may start


def plausible_fraction(count: int, total: int | None) -> bool:
    """A count out of a total is at most the total: "6/8 đơn vị" passes; "9/8 đơn vị", "3/0 đơn vị" do not."""
    return total is None or (total != 0 and count <= total)


class AwardCountExtractor:
    """spaCy component: fills ``doc.spans["award_counts"]``; reads ``doc.spans["titles"]``."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        cfg = r.settings("award_counts")
        units, quals = alternation(r.words("award_units")), alternation(r.words("count_qualifiers"))
        self.number_words = cfg["number_words"]  # "chín thầy thuốc", "năm tập thể và một cá nhân"
        words = alternation(self.number_words)
        self.count_re = regex.compile(
            rf"(?i)(?:(?P<q>{quals})\s+)?{_NUMBER_START}(?P<n>\d{{1,3}}(?:\.\d{{3}})+|\d+|{words})(?:/(?P<total>\d+))?"
            rf"\s+(?P<unit>{units})(?![\p{{L}}])")
        # The words a count may start with, case-folded: a number word, or the first word of a qualifier.
        self.count_openers = sorted({fold_tones(w).split()[0].casefold()
                                     for w in [*self.number_words, *r.words("count_qualifiers")]})
        cues = alternation(r.words("award_cues"))
        self.after_re = regex.compile(
            rf"(?i)^[^.;:\n]{{0,70}}?(?<![\p{{L}}]){alternation(cfg['receive_verbs'])}(?![\p{{L}}])"
            rf"[^.;:\n]{{0,60}}?(?<![\p{{L}}])(?:{cues})(?![\p{{L}}])")
        self.times_unit = cfg["times_unit"]
        self.held_re = regex.compile(rf"(?i)^\s*{alternation(cfg['held_verbs'])}")
        self.before_re = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{cues})(?![\p{{L}}])[^.;:\n]{{0,90}}$")
        self.phrase_re = regex.compile(rf"(?i)^\s+(?P<p>{alternation(r.words('count_phrases'))})(?![\p{{L}}])")
        self.gift_re = regex.compile(
            rf"(?i)(?<![\p{{L}}]){alternation(cfg['gift_verbs'])}\s+(?:(?:\d+|{alternation(cfg['gift_quantifiers'])})\s+)?"
            rf"(?:{alternation(r.words('non_award_objects'))})(?![\p{{L}}])")
        self.given_re = regex.compile(rf"(?i)^\s*(?:{alternation(cfg['given_markers'])})\s*$")
        # a title's label between it and a count: matched from the title's end up to the count
        self.label_gap_re = regex.compile(rf"\s*(?:{alternation(cfg['title_labels'])})\s*$")
        label_chars = "".join(sorted({regex.escape(c) for label in cfg["title_labels"] for c in fold_tones(label)}))
        self.label_chars_back = regex.compile(rf"(?r)[\s{label_chars}]*")
        joiner = alternation(cfg["count_joiners"])
        self.join_re = regex.compile(rf"^\s*(?:,|{joiner})?\s*(?:{joiner}\s+)?$")  # not across ";": a new clause

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        titles = _Titles(merged_titles(doc.spans.get("titles", [])))
        counts = [m for m in self.find_counts(text) if in_body(doc, *m.span()) and _is_count(m, self.number_words)]
        groups = self.groups(text, self.without_frequencies(text, counts))
        spans, seen = [], set()
        for number, group in enumerate(groups):
            first, last = group[0], group[-1]
            start = clause_start(text, first.start(), CLAUSE_BREAKS)
            end_m = _CLAUSE_END.search(text, last.end())
            end = end_m.start() if end_m else len(text)
            # "Chiến sĩ thi đua cấp tỉnh: 57 cá nhân": a title that labels the count.
            label = self._label(text, titles, first.start())
            if not label and not self.governed(last.group("unit"), text[start:first.start()], text[last.end():end]):
                continue
            if self.is_gift(text, start, end) and not any(e <= end for (_, e), _ in titles.starting(start, end + 1)):
                continue
            # A title after the count that comes after another count is that count's:
            # "1.500 lượt tập thể được khen thưởng, trong đó 3 tập thể được tặng Huân chương ...".
            title_end = min(end, groups[number + 1][0].start()) if number + 1 < len(groups) else end
            title = label or self._title(text, titles, start, first.start(), last.end(), title_end)
            for m in group:
                # "tặng 1 cờ thi đua, 12 bằng khen": an award counted is its own title.
                value = _award_count(m, titles.at.get(m.start("unit"), title), self.number_words)
                key = (value.count, value.total, value.unit, value.title)
                if key not in seen and (span := make_span(doc, m.start(), m.end(), "AWARD_COUNT", value)) is not None:
                    seen.add(key)  # the same statement repeated (lead, caption, body) is one row
                    spans.append(span)
        doc.spans["award_counts"] = spans
        return doc

    def find_counts(self, text: str) -> list:
        """The matches of ``count_re.finditer(text)``, found fast: the pattern is tried only where a count
        may start (:meth:`count_starts`)."""
        return list(finditer_at(self.count_re, text, self.count_starts(text)))

    def count_starts(self, text: str) -> list[int] | None:
        """In order, every place a count may start: a number in digits, or one of ``count_openers`` (a
        number word, a qualifier), found in the case-folded text as ``count_re`` ignores case; None (any
        place) when case folding changes the length of the text ("ß" -> "ss")."""
        openers = word_starts_ignoring_case(text, self.count_openers)
        if openers is None:
            return None
        return sorted({m.start() for m in _DIGITS_START.finditer(text)}.union(openers))

    def without_frequencies(self, text: str, counts: list) -> list:
        """A count of times right after another count in its phrase tells how often, not how many
        awards: "44 cá nhân hiến máu 40 lần được trao ..." counts the 44."""
        out = []
        for m in counts:
            if (out and m.group("unit").casefold() == self.times_unit and out[-1].group("unit").casefold() != self.times_unit
                    and not _PUNCTUATION.search(text[out[-1].end():m.start()])):
                continue
            out.append(m)
        return out

    def groups(self, text: str, counts: list) -> list[list]:
        """Consecutive counts ("1 tập thể và 2 cá nhân", "13 tập thể, 107 cá nhân") share their verb and title;
        "20 tập thể; 15 cá nhân" are two clauses."""
        groups: list[list] = []
        for m in counts:
            if groups and self.join_re.match(text[groups[-1][-1].end():m.start()]):
                groups[-1].append(m)
            else:
                groups.append([m])
        return groups

    def governed(self, unit: str, before: str, after: str) -> bool:
        """An award verb governs the count in its clause.

        After it: "12 tập thể được các cấp khen thưởng", "235 cá nhân đạt danh hiệu ..."; before it: "tặng
        Bằng khen cho 12 tập thể", "vinh danh 13 tập thể". A count of times needs "được"/"nhận" right after:
        "02 lần được tặng Cờ thi đua", not "Trong 05 lần kiểm tra".
        """
        if unit.casefold() == self.times_unit:
            return bool(self.held_re.match(after))
        return bool(self.after_re.match(after)) or bool(self.before_re.search(before))

    def is_gift(self, text: str, start: int, end: int) -> bool:
        """The clause gives a gift, not an award: "50 hộ được tặng quà", "trao 200 suất quà cho 200 cá nhân"."""
        return self.gift_re.search(text, start, end) is not None

    def _title(self, text, titles, clause_start, start, end, clause_end) -> str:
        """The title a count counts: the one given "cho" it, the next one in its clause, a phrase after it,
        or the first before it."""
        before = [(e, t) for (_, e), t in titles.starting(clause_start, start + 1) if e <= start]
        given = [t for e, t in before if self.given_re.match(text[e:start])]
        if given:  # "tặng Bằng khen cho 40 tập thể ... điển hình tiên tiến": what they were given
            return given[-1]
        after = titles.starting(end, clause_end)
        if after:
            return after[0][1]
        phrase = self.phrase_re.match(text[end:clause_end])
        if phrase:
            return canonical(phrase.group("p")).casefold()
        if before:
            return before[0][1]
        return "khen thưởng"

    def _label(self, text: str, titles: "_Titles", at: int) -> str | None:
        """The title a label ties to the count at ``at`` ("Chiến sĩ thi đua cấp tỉnh: 57 cá nhân"): the first
        title (in the doc's order) between whose end and ``at`` are only a label and white space. Only
        titles ending after the last other character before ``at`` are read."""
        after = self.label_chars_back.match(text, 0, at).start()  # white space and labels' characters
        for (_, end), title in titles.ending(after, at):
            if self.label_gap_re.match(text, end, at):
                return title
        return None


class _Titles:
    """A doc's titles (:func:`merged_titles`, in its order) with the look-ups a long article needs: by
    where they start, and those starting or ending within a stretch of text, in the doc's order."""

    def __init__(self, titles: list[tuple[tuple[int, int], str]]):
        self.titles = titles
        self.at: dict[int, str] = {}  # where a title starts: the first title starting there
        for (start, _), title in titles:
            self.at.setdefault(start, title)
        self._by_start = sorted((start, i) for i, ((start, _), _) in enumerate(titles))
        self._starts = [start for start, _ in self._by_start]
        self._by_end = sorted((end, i) for i, ((_, end), _) in enumerate(titles))
        self._ends = [end for end, _ in self._by_end]

    def starting(self, lo: int, hi: int) -> list[tuple[tuple[int, int], str]]:
        """The titles that start at ``lo`` or after and before ``hi``, in the doc's order."""
        found = self._by_start[bisect_left(self._starts, lo):bisect_left(self._starts, hi)]
        return [self.titles[i] for i in sorted(i for _, i in found)]

    def ending(self, lo: int, hi: int) -> list[tuple[tuple[int, int], str]]:
        """The titles that end at ``lo`` or after and at ``hi`` at the latest, in the doc's order."""
        found = self._by_end[bisect_left(self._ends, lo):bisect_right(self._ends, hi)]
        return [self.titles[i] for i in sorted(i for _, i in found)]


def merged_titles(spans) -> list[tuple[tuple[int, int], str]]:
    """Each title mention once, by where it is: one that names several grades ("Huân chương Lao động
    hạng Nhất, Nhì, Ba") is the title without its grade; otherwise its first value."""
    by_range: dict[tuple[int, int], list] = {}
    for span in spans:
        by_range.setdefault(char_range(span), []).append(span._.value)
    out = []
    for where, values in by_range.items():
        first = values[0]
        grades = {v.grade for v in values}
        out.append((where, first.title.replace(f" {first.grade}", "") if len(grades) > 1 and first.grade else first.title))
    return out


def _number(m, words: dict[str, int]) -> int:
    """The count a match gives: digits ("1.027", "02") or a number word ("chín")."""
    n = m.group("n")
    return words[n.casefold()] if n.casefold() in words else parse_vn_number(n)


def _is_count(m, words: dict[str, int]) -> bool:
    """A number that reads as a count (:func:`parse_vn_number`) and, out of a total, a :func:`plausible_fraction`."""
    try:
        count = _number(m, words)
    except ValueError:
        return False
    return plausible_fraction(count, int(m.group("total")) if m.group("total") else None)


def _award_count(m, title: str, words: dict[str, int]) -> AwardCount:
    """The value of one count match, counting ``title``."""
    qualifier = m.group("q")
    return AwardCount(count=_number(m, words), total=int(m.group("total")) if m.group("total") else None,
                      unit=" ".join(canonical(m.group("unit")).casefold().replace(",", "").split()),
                      qualifier=qualifier.casefold() if qualifier else None, title=title)


@Language.factory(
    "vnie_award_counts", default_config={"rules_path": None},
    requires=["doc._.match_text", "doc._.body", "doc.spans", "span._.value"],  # doc.spans["titles"] and their values
    assigns=["doc.spans", "span._.value"])
def make_award_counts(nlp: Language, name: str, rules_path: str | None):
    """The award-counts stage: ``doc.spans["award_counts"]``, after the titles stage."""
    return AwardCountExtractor(rules_path)
