"""Award counts: "6/8 đơn vị được suy tôn ...", "1.027 tập thể, 8.296 cá nhân được các cấp khen thưởng".

A number counts awards only when an award verb governs it in its clause
("được ... khen thưởng/tặng/suy tôn" after it, or "tặng/trao/vinh danh ...
cho" before it); members of a cluster, cases, gifts and percentages are not
award counts.
"""
from __future__ import annotations

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import char_range, in_body, make_span, register_extensions
from pipeline.text.numbers import parse_vn_number
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical
from pipeline.nlp.values import AwardCount

_CLAUSE_END = regex.compile(r"[.;:\n!?](?!\d)")


class AwardCountExtractor:
    """spaCy component: fills ``doc.spans["award_counts"]``; reads ``doc.spans["titles"]``."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        units = alternation(r.words("award_units"))
        quals = alternation(r.words("count_qualifiers"))
        self.count_re = regex.compile(
            rf"(?i)(?:(?P<q>{quals})\s+)?(?<![\d.,/])(?P<n>\d{{1,3}}(?:\.\d{{3}})+|\d+)(?:/(?P<total>\d+))?\s+(?P<unit>{units})(?![\p{{L}}])")
        cues = alternation(r.words("award_cues"))
        self.after_re = regex.compile(rf"(?i)^[^.;:\n]{{0,70}}?(?<![\p{{L}}])(?:được|đạt|nhận|đón\s+nhận)(?![\p{{L}}])[^.;:\n]{{0,60}}?(?<![\p{{L}}])(?:{cues})(?![\p{{L}}])")
        self.held_re = regex.compile(rf"(?i)^\s*(?:được|nhận)")
        self.before_re = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{cues})(?![\p{{L}}])[^.;:\n]{{0,90}}$")
        self.phrase_re = regex.compile(rf"(?i)^\s+(?P<p>{alternation(r.words('count_phrases'))})(?![\p{{L}}])")
        self.gift_re = regex.compile(
            rf"(?i)(?<![\p{{L}}])(?:tặng|trao|trao\s+tặng|hỗ\s+trợ)\s+(?:(?:\d+|các|những)\s+)?(?:{alternation(r.words('non_award_objects'))})(?![\p{{L}}])")
        self.join_re = regex.compile(r"^\s*(?:,|và)?\s*(?:và\s+)?$")  # not across ";": a new clause

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        titles = [(char_range(s), s._.value) for s in doc.spans.get("titles", [])]
        found = []
        for m in self.count_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            try:
                count = parse_vn_number(m.group("n"))
            except ValueError:
                continue
            total = int(m.group("total")) if m.group("total") else None
            if total is not None and (total == 0 or count > total):
                continue
            found.append(m)
        # Consecutive counts ("1 tập thể và 2 cá nhân") share their verb and title.
        groups: list[list] = []
        for m in found:
            if groups and self.join_re.match(text[groups[-1][-1].end():m.start()]):
                groups[-1].append(m)
            else:
                groups.append([m])
        spans = []
        for number, group in enumerate(groups):
            first, last = group[0], group[-1]
            clause_start = max(text.rfind(ch, 0, first.start()) for ch in ".;:\n") + 1
            clause_end_m = _CLAUSE_END.search(text, last.end())
            clause_end = clause_end_m.start() if clause_end_m else len(text)
            after = text[last.end():clause_end]
            before = text[clause_start:first.start()]
            unit_last = last.group("unit").casefold()
            governed = bool(self.after_re.match(after)) or bool(self.before_re.search(before))
            if unit_last == "lần":
                governed = bool(self.held_re.match(after))
            if not governed:
                continue
            has_title = any(clause_start <= s and e <= clause_end for (s, e), _ in titles)
            if not has_title and self.gift_re.search(text, clause_start, clause_end):
                continue  # "50 hộ được tặng quà": a gift, not an award
            # A title after the count that comes after another count is that count's:
            # "1.500 lượt tập thể được khen thưởng, trong đó 3 tập thể được tặng Huân chương ...".
            title_end = min(clause_end, groups[number + 1][0].start()) if number + 1 < len(groups) else clause_end
            title = self._title(text, titles, clause_start, first.start(), last.end(), title_end)
            for m in group:
                qualifier = m.group("q")
                value = AwardCount(count=parse_vn_number(m.group("n")),
                                   total=int(m.group("total")) if m.group("total") else None,
                                   unit=" ".join(canonical(m.group("unit")).casefold().replace(",", "").split()),
                                   qualifier=qualifier.casefold() if qualifier else None, title=title)
                span = make_span(doc, m.start(), m.end(), "AWARD_COUNT", value)
                if span is not None:
                    spans.append(span)
        doc.spans["award_counts"] = spans
        return doc

    def _title(self, text, titles, clause_start, start, end, clause_end) -> str:
        """The title a count counts: the one given "cho" it, the next one in its clause, a phrase after it,
        or the first before it."""
        given = [t for (s, e), t in titles if clause_start <= s and e <= start and text[e:start].strip() == "cho"]
        if given:  # "tặng Bằng khen cho 40 tập thể ... điển hình tiên tiến": what they were given
            return given[-1].title
        after = [t for (s, e), t in titles if end <= s < clause_end]
        if after:
            return after[0].title
        phrase = self.phrase_re.match(text[end:clause_end])
        if phrase:
            return canonical(phrase.group("p")).casefold()
        before = [t for (s, e), t in titles if clause_start <= s and e <= start]
        if before:
            return before[0].title
        return "khen thưởng"


@Language.factory("vnie_award_counts", default_config={"rules_path": None})
def make_award_counts(nlp: Language, name: str, rules_path: str | None):
    return AwardCountExtractor(rules_path)
