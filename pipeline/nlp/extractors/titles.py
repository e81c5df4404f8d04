"""Titles: emulation titles and awards in canonical form, with conferrer, grade, recipient and status.

"cờ thi đua xuất sắc của Chính Phủ" → ``Cờ thi đua của Chính phủ``; "danh
hiệu Đơn vị Tiên tiến" → ``Đơn vị Tiên tiến``; "Huân chương Chiến công hạng
Ba". A conferrer is taken only from the mention's own words ("của X", "X
tặng", "được X tặng"); a mention that names none stays bare.

Title matches are candidates (:meth:`TitleExtractor.candidates`); named checks
(:attr:`TitleExtractor.checks`) veto the ones that are not titles here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import regex
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.case_patterns import case_variants
from pipeline.nlp.extensions import in_body, make_span, register_extensions
from pipeline.nlp.lexicon import CLAUSE_BREAKS, SENTENCE_BREAKS, Lexicon, abbreviations, clause_start, lexicon_of, \
    load_lexicon
from pipeline.nlp.lexicon import expand as expand_words
from pipeline.nlp.scanning import finditer_at
from pipeline.nlp.values import Title
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical, fold_tones

_Q = "\"“”‘’'«»"
_ABBREVIATION = regex.compile(r"(?<![\p{L}])[\p{Lu}Đ]{2,}(?![\p{L}])")  # "UBND", "LĐLĐ"
_SENTENCE_BREAK = regex.compile(r"[.;:]\s")
_LIST_SEPARATOR = regex.compile(r"\s*,\s*|\s+và\s+")
# The characters of Vietnamese news text: Latin letters and marks, punctuation, letter-like symbols.
_LATIN_BLOCKS = ((0x0000, 0x024F), (0x0300, 0x036F), (0x1E00, 0x1EFF), (0x2000, 0x214F))
_LATIN = "".join(chr(c) for low, high in _LATIN_BLOCKS for c in range(low, high + 1))
_NOT_LATIN = re.compile("[^" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in _LATIN_BLOCKS) + "]")


class CaselessWordStarts:
    """Where one of some words starts, not after a letter, the case ignored as ``regex``'s ``(?i)``
    ignores it, found faster than ``regex`` finds it. Each letter stands for the characters ``(?i)``
    matches it with (``case_patterns.case_variants``) in the Latin blocks; a text with a character
    outside them is not scanned (:meth:`starts` is None). When each of those characters lowers to the letter
    (``str.lower``), the words are looked for in the lowered text with ``str.find``; else, and for a text
    whose lowered form is longer, with the ``re`` module."""

    def __init__(self, words):
        letter = regex.compile(r"\p{L}")
        self.usable = bool(words) and all(letter.fullmatch(ch) for w in words for ch in w)
        self.letters = frozenset(letter.findall(_LATIN))
        latin = frozenset(_LATIN)
        same = {ch: [x for x in case_variants(ch) if x in latin] for w in words for ch in w}

        def caseless(ch: str) -> str:
            return "[" + "".join(re.escape(x) for x in same[ch]) + "]"

        alternatives = ("".join(caseless(ch) for ch in w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
        self.pattern = (re.compile(f"(?<![{''.join(re.escape(ch) for ch in sorted(self.letters))}])"
                                   f"(?:{'|'.join(alternatives)})") if self.usable else None)
        lowers = all(x.lower() == ch.lower() or len(x.lower()) != 1 for ch, xs in same.items() for x in xs)
        self.lowered_words = sorted({w.lower() for w in words}) if self.usable and lowers else None

    def starts(self, text: str) -> list[int] | None:
        """The offsets where one of the words starts in ``text``, in order, or None when ``text`` has a
        character outside the Latin blocks."""
        if self.pattern is None or _NOT_LATIN.search(text):
            return None
        lowered = text.lower() if self.lowered_words else None
        if lowered is None or len(lowered) != len(text):  # a character lowered to two: offsets would shift
            return [m.start() for m in self.pattern.finditer(text)]  # words of letters never overlap
        found = set()
        for word in self.lowered_words:
            at = lowered.find(word)
            while at >= 0:
                if at == 0 or text[at - 1] not in self.letters:
                    found.add(at)
                at = lowered.find(word, at + 1)
        return sorted(found)


class ConferrerGazetteer:
    """Who confers awards, by every name press text gives them, with abbreviations expanded."""

    def __init__(self, rules, lexicon: Lexicon | None = None):
        lexicon = lexicon or lexicon_of(rules)
        self.abbreviations = abbreviations(str(rules.path))
        self.canonical: dict[str, str] = {}
        for record in rules.records("conferrers"):
            for form in [record["canonical"], *record.get("aliases", [])]:
                self.canonical[self._key(form)] = canonical(record["canonical"])
                self.canonical[self._key(self.expand(form))] = canonical(record["canonical"])
        forms = {f for r in rules.records("conferrers") for f in [r["canonical"], *r.get("aliases", [])]}
        # Which one, as written: "Tư lệnh Quân khu 4", "Bộ Chỉ huy BĐBP tỉnh", "... tỉnh Quảng Trị".
        # A number only after a numbered unit ("Quân khu 4", "Vùng 2"); all on the same line.
        numbered = rf"(?<=(?i:{alternation(rules.words('numbered_units'))}))"
        admin = lexicon.admin_unit_pattern("province_and_district").replace(r"\s+", r"[ \t]+")
        self.qualifier = (rf"(?:{numbered}[ \t]+(?:\d{{1,2}}|[IVX]{{1,4}})(?![\p{{L}}\d])"
                          rf"|[ \t]+(?-i:{admin})(?:[ \t]+(?-i:\p{{Lu}}[\p{{L}}\p{{M}}]*)){{0,3}}(?![\p{{L}}]))")
        self.qualifier_re = regex.compile(rf"(?P<q>{self.qualifier})$")
        self.pattern = f"{alternation(forms)}{self.qualifier}?"

    def expand(self, text: str) -> str:
        """Spell out abbreviations: "UBND tỉnh" → "Ủy ban nhân dân tỉnh"."""
        def repl(m):
            return self.abbreviations.get(m.group(0), m.group(0))
        text = expand_words(text, self.abbreviations)  # whole written forms first: "T.Ư", "TP.HCM"
        return _ABBREVIATION.sub(repl, text)

    @staticmethod
    def _key(text: str) -> str:
        return canonical(text).casefold()

    def known(self, written: str) -> str | None:
        """The listed canonical name of ``written``, or None."""
        return self.canonical.get(self._key(written)) or self.canonical.get(self._key(self.expand(written)))

    def normalise(self, written: str, fallback: str | None = None) -> str:
        """The canonical name of a conferrer as written: "UBND tỉnh" → "Ủy ban nhân dân tỉnh",
        "Bộ Chỉ huy BĐBP tỉnh Kiên Giang" → "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Kiên Giang"."""
        known = self.known(written)
        if known:
            return known
        qualified = self.qualifier_re.search(written)
        if qualified and qualified.start() > 0:
            base = self.normalise(written[:qualified.start()])
            qualifier = canonical(qualified.group("q"))
            return base if base.endswith(qualifier) else f"{base} {qualifier}"
        return fallback or canonical(self.expand(written))


class SpanConferrers:
    """The organisations and offices of a doc (``doc.spans["orgs"]``, ``doc.spans["positions"]``) as
    conferrers: where each starts and ends, and its canonical name ("Ban Thường vụ Hội LHPN tỉnh" →
    "Ban Thường vụ Hội Liên hiệp Phụ nữ tỉnh"; a listed one by its listed name), made only for the
    conferrers a title asks for."""

    def __init__(self, doc: Doc, gazetteer: ConferrerGazetteer):
        self.doc, self.gazetteer = doc, gazetteer
        self._by_start: dict[int, tuple[int, Span, bool]] | None = None
        self._by_end: dict[int, tuple[int, Span, bool]] = {}
        self._names: dict[tuple[int, int, int], str] = {}

    @property
    def by_start(self) -> dict[int, tuple[int, Span, bool]]:
        """Where each conferrer that starts at an offset ends, its span, and whether it is an office."""
        if self._by_start is None:  # indexed only when a title asks: a doc without titles never pays for it
            self._by_start = {}
            self._index(self.doc)
        return self._by_start

    @property
    def by_end(self) -> dict[int, tuple[int, Span, bool]]:
        """Where each conferrer that ends at an offset starts, its span, and whether it is an office."""
        self.by_start  # noqa: B018 (builds both)
        return self._by_end

    def _index(self, doc: Doc) -> None:
        text = doc._.text
        for label, office in (("orgs", False), ("positions", True)):
            for span in doc.spans.get(label, []):
                start, end = span.start_char, span.end_char
                if _SENTENCE_BREAK.search(text[start:end]):  # runs over a sentence break: not a name
                    continue
                if end > self._by_start.get(start, (0,))[0]:
                    self._by_start[start] = (end, span, office)
                if start < self._by_end.get(end, (len(text) + 1,))[0]:
                    self._by_end[end] = (start, span, office)

    def name(self, span: Span) -> str:
        """The canonical name of a conferrer's span, made on first use."""
        key = (span.start_char, span.end_char, span.id)
        name = self._names.get(key)
        if name is None:
            written = self.doc._.text[span.start_char:span.end_char]
            fallback = canonical(self.gazetteer.expand(span._.value or written))
            name = self._names[key] = self.gazetteer.normalise(written, fallback)
        return name

    def after(self, text: str, at: int, joiner) -> tuple[list[str], int]:
        """The conferrers that start at ``at`` ("... của Bộ trưởng Bộ Công an và Chủ tịch UBND tỉnh"),
        and where the last ends."""
        names, end = [], at
        while at in self.by_start:
            end, span, _ = self.by_start[at]
            names.append(self.name(span))
            more = joiner.match(text, end)
            if not more:
                break
            at = more.end()
        return names, end

    def before(self, text: str, end: int, joiner) -> tuple[list[str], bool, int]:
        """The conferrers that end at ``end`` ("được Bộ Công an, UBND tỉnh tặng"), first to last, whether
        the last is an office (a person's), and where the first starts."""
        names, office, first = [], None, end
        while end in self.by_end:
            first, span, is_office = self.by_end[end]
            names.insert(0, self.name(span))
            office = is_office if office is None else office
            more = joiner.search(text, max(0, first - 5), first)
            if not more:
                break
            end = more.start()
        return names, bool(office), first


@dataclass
class TitleCandidate:
    """A title match before the checks: the match, its title-list entry, and the text it is in."""

    match: regex.Match
    entry: dict
    text: str
    unlisted_medal: bool = False  # found by the "Huân/Huy chương + capitals" pattern, not the title list

    @property
    def prefixed(self) -> bool:
        return bool(self.match.groupdict().get("prefix"))


class TitleExtractor:
    """spaCy component: fills ``doc.spans["titles"]``, one span per title mention and recipient."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        self.cues = r.settings("title_cues")
        self.conferrers = ConferrerGazetteer(r, load_lexicon(rules_path))
        self.entries = {canonical(e["pattern"]).casefold(): e for e in r.records("titles")}
        self.grades = {k.casefold(): v for k, v in self.cues["grades"].items()}
        self.grade_re = regex.compile(rf"(?i)(?<![\p{{L}}\d])(?:{alternation(self.grades)})(?![\p{{L}}\d])")
        self.vague_categories = set(self.cues["vague_categories"])
        self.admin_pattern = load_lexicon(rules_path).admin_unit_pattern("province_and_district", abbreviations=True)
        self.kept_orgs = alternation(self.cues["recipient_orgs_not_qualified"])
        self._compile_title_patterns(r)
        self._compile_conferrer_patterns(r)
        self._compile_context_patterns(r)
        self.checks = [self.not_a_listed_title, self.named_as_a_title, self.cued_if_needed, self.not_in_a_non_title_phrase]

    def _compile_title_patterns(self, r) -> None:
        """The title names (rules/titles.jsonl), a name after them, their grade and a conferrer in their words."""
        cues, conf = self.cues, self.conferrers.pattern
        titles = alternation(e["pattern"] for e in r.records("titles"))
        grade_word, words = alternation([cues['grade_word']]), alternation(g for g in cues["grades"] if g.istitle() and len(g) > 1)
        more = rf"\s*(?:,|và)\s*(?:{grade_word}\s+(?:{alternation(cues['grades'])})|(?-i:{words}))(?![\p{{L}}\d])"
        grade = (rf"(?:\s*[,\-–]?\s*{grade_word}\s+(?P<grade>{alternation(cues['grades'])})"
                 rf"(?![\p{{L}}\d])(?P<more_grades>(?:{more})+)?)?")
        free_heads = alternation(r.words("position_heads") + r.words("org_heads"))  # "của Giám đốc Sở Công thương": a conferrer not listed
        prefix, excellent = alternation(cues["title_prefixes"]), alternation(cues["after_title"])
        deputy, name_ends = alternation(cues["deputy"]), alternation(cues["named_title_ends"])
        self.title_re = regex.compile(
            rf"(?i)(?<![\p{{L}}])(?P<prefix>{prefix}\s+[{_Q}]?\s*)?(?P<title>{titles})(?![\p{{L}}])"
            rf"(?P<named>\s*[{_Q}](?P<qname>[^{_Q}\n]{{2,80}})[{_Q}]|\s+(?P<uname>(?-i:{alternation(cues['named_title_openers'])}"
            rf"(?:\s+[\p{{L}}\p{{M}}]+){{1,8}}?|(?!(?:{conf})(?![\p{{L}}]))\p{{Lu}}[\p{{L}}\p{{M}}]*(?:\s+[\p{{L}}\p{{M}}]+){{0,8}}?))"
            rf"(?=\s+{name_ends}(?![\p{{L}}])|\s*[,.;]))?{grade}"
            rf"(?P<after>(?:\s+{excellent})?\s*(?:của\s+)?(?P<conf>{conf})(?![\p{{L}}])"
            rf"|(?:\s+{excellent})?\s+của\s+(?P<conf_free>(?-i:(?:{deputy}\s+)?(?:{free_heads}))(?:\s+[\p{{L}}\p{{M}}.\-]+){{0,7}}?)"
            rf"(?=\s*[,.;:(\n]|\s*$|\s+(?:{alternation(cues['free_conferrer_ends'])}|và(?!\s+(?-i:\p{{Lu}})))(?![\p{{L}}])))?")
        self.start_re = regex.compile(rf"(?i)(?<![\p{{L}}])(?:{prefix}|{titles})(?![\p{{L}}])")
        opening = [*cues["title_prefixes"], *(e["pattern"] for e in r.records("titles"))]
        self.start_words = CaselessWordStarts([fold_tones(w).split()[0] for w in opening])
        # "Huân chương Ăng-Co": a foreign name keeps its hyphens.
        self.other_medal_re = regex.compile(
            rf"(?<![\p{{L}}])(?P<title>{alternation(cues['medal_heads'])}\s+chương"
            rf"(?:\s+\p{{Lu}}[\p{{L}}\p{{M}}]*(?:-\p{{L}}[\p{{L}}\p{{M}}]*)*)+){grade}")

    def _compile_conferrer_patterns(self, r) -> None:
        """A conferrer before the title: "UBND tỉnh tặng", "được Thủ tướng Chính phủ tặng", and who hands over."""
        cues, conf = self.cues, self.conferrers.pattern
        give, tense, deputy = alternation(cues["give_verbs"]), alternation(cues["tense_markers"]), alternation(cues["deputy"])
        decide = alternation(cues["decision_words"])
        heads = alternation(r.words("position_heads"))
        # "Bộ trưởng Bộ Tài chính tặng", "Tổng cục trưởng Tổng cục Hải quan tặng": a person's office, as written.
        orgs = alternation(r.words("org_heads"))
        # ... or a body named by its kind and name: "Bộ Tư lệnh Quân đoàn 12 tặng", "Ban Thường vụ Thành Đoàn tặng".
        body = rf"(?-i:(?:{alternation(r.words('conferrer_bodies'))})\s+\p{{Lu}}[\p{{L}}\p{{M}}]*(?:\s+[\p{{L}}\p{{M}}\d]+){{0,5}}?)"
        office = (rf"{body}|(?-i:(?:{deputy}\s+)?(?:{heads}))(?:\s+(?:{conf})"
                  rf"|\s+(?-i:{orgs})(?:\s+(?:[\p{{L}}\p{{M}}\d]+|[-–]\s+[\p{{L}}\p{{M}}]+)){{0,6}}?)")
        self.conferrer_before_re = regex.compile(
            rf"(?i)(?:(?<![\p{{L}}])(?P<conf>{office}|{conf})\s+(?:{tense}\s+)?(?:{decide}\s+)?(?:{give})"
            rf"|được\s+(?P<conf2>{office}|{conf})\s+(?:{give}))\s*(?:cho\s+[^,.;]{{0,60}}?\s+)?$")
        self.give_first_re = regex.compile(rf"(?i)^\s*(?:{alternation(cues['clause_openers'])}\s+)?(?:{give})\s+$")
        self.sentence_subject_re = regex.compile(
            rf"(?i)\s*(?:[^,.;\n]{{0,30}},\s*)?(?P<conf>{conf})\s+(?:{tense}\s+)?(?:{give})(?![\p{{L}}])")
        self.person_role_re = regex.compile(rf"(?i)(?:{deputy}\s+)?(?:{heads})(?![\p{{L}}])")
        self.hand_over_re = regex.compile(rf"(?i)\s+(?:{tense}\s+)?{alternation(cues['hand_over_verbs'])}(?!\s+tặng)")
        self._compile_span_conferrer_patterns(r)

    def _compile_span_conferrer_patterns(self, r) -> None:
        """Where an organisation or office of ``doc.spans`` confers: "... của <ORG>", "<ORG> đã tặng 4 ...",
        "được <ORG>, <ORG> tặng"."""
        cues = self.cues
        give, tense = alternation(cues["give_verbs"]), alternation(cues["tense_markers"])
        self.of_re = regex.compile(rf"(?i)(?:\s+{alternation(cues['after_title'])})?(?:\s+{alternation(cues['title_periods'])}"
                                   rf"\s+\d{{4}})?\s+(?:{alternation(cues['of_words'])})\s+")
        self.verb_before_re = regex.compile(rf"(?i)\s+(?:(?:{tense})\s+)?(?:(?:{alternation(cues['decision_words'])})\s+)?"
                                            rf"(?:{give})\s+(?:\d+\s+)?$")
        self.join_after_re = regex.compile(rf"(?i)\s+(?:{alternation(cues['conferrer_joiners'])})\s+")
        self.join_before_re = regex.compile(rf"(?i)(?:\s*,|\s+(?:{alternation(cues['conferrer_joiners'])}))\s+$")
        self.apposition_re = regex.compile(r"\p{Lu}[\p{L}\p{M}]*\s*[,\-–]\s*$")  # "Nguyễn Văn Thắng, <office>"
        self.joined_re = regex.compile(r"^\s*(?:,|và)\s*(?:\d+\s+)?$")
        self.parallel_re = regex.compile(rf"(?i)\s*(?:,|và)\s+\d+\s+[^,.;:\d\n]{{1,30}}?\s+(?:{alternation(cues['receive_verbs'])})\s+")

    def _compile_context_patterns(self, r) -> None:
        """Status words before the title, phrases that make it not a title, and its recipients."""
        cues = self.cues
        self.status_res = [(status, regex.compile(rf"(?i)(?<![\p{{L}}])(?:{alternation(cues[status])})(?![\p{{L}}])"))
                           for status in ("held", "proposed", "conferred")]
        self.not_after_re = regex.compile(rf"(?i)^\s*(?:{alternation(cues['not_a_title_after'])})")
        self.not_before_re = regex.compile(rf"(?i)(?:{alternation(cues['not_a_title_before'])})\s+(?:\S+\s+){{0,3}}$")
        self.recipient_after_re = regex.compile(rf"^\s+{alternation(cues['recipient_markers'])}\s+(?P<r>[^.;:\n(]{{2,120}})")
        self.recipient_before_re = regex.compile(
            rf"(?P<r>(?:{alternation(r.settings('clusters')['member_orgs'])})[^.;:\n,\d]{{0,60}}?(?:,\s*[^.;:\n,\d]{{2,30}}){{0,6}})"
            rf"\s+(?:đã\s+)?(?:{alternation(cues['honours_before_receiving'])}\s+)?(?:\d+\s+{alternation([cues['times_word']])}\s+)?"
            rf"(?:{alternation(cues['receive_verbs'])})\s+$")

    def _title_matches(self, text: str):
        """``title_re.finditer(text)``, tried only where a title or "danh hiệu" starts (5 times faster)."""
        return finditer_at(self.title_re, text, (m.start() for m in self._title_starts(text)))

    def _title_starts(self, text: str):
        """``start_re.finditer(text)``, tried only where the first word of a title or of "danh hiệu" stands."""
        return finditer_at(self.start_re, text, self.start_words.starts(text))

    def candidates(self, text: str) -> list[TitleCandidate]:
        """Every match of a listed title or of an unlisted medal, in order (longest first at one place)."""
        matches = [(m, False) for m in self._title_matches(text)]
        matches += [(m, True) for m in self.other_medal_re.finditer(text)]
        return [TitleCandidate(m, self.entries.get(canonical(m.group("title")).casefold(), {}), text, unlisted)
                for m, unlisted in sorted(matches, key=lambda x: (x[0].start(), -x[0].end()))]

    def not_a_listed_title(self, c: TitleCandidate) -> bool:
        """A medal found by its capitals is not one the title list names: "Huân chương Hữu nghị" stands;
        "Huân chương Sao Vàng", "Huân chương Hồ Chí Minh" are listed, and the list finds them."""
        key = canonical(c.match.group("title")).casefold()
        return not (c.unlisted_medal and any(key.startswith(k) for k, e in self.entries.items() if not e.get("generic")))

    def named_as_a_title(self, c: TitleCandidate) -> bool:
        """An honorary title is written as one, after "danh hiệu" or with a capital: "danh hiệu đơn vị
        tiên tiến", "Đơn vị Tiên tiến" stand; "xây dựng đơn vị tiên tiến" does not."""
        named_only = c.entry.get("category") == "danh hiệu" or c.entry.get("capitalised")
        return not (named_only and not (c.prefixed or c.match.group("title")[0].isupper()))

    def cued_if_needed(self, c: TitleCandidate) -> bool:
        """A title whose words are also common words ("needs_cue" in rules/titles.jsonl) needs "danh hiệu"."""
        return not (c.entry.get("needs_cue") and not c.prefixed)

    def not_in_a_non_title_phrase(self, c: TitleCandidate) -> bool:
        """Not a flag handed on or kept: "Cờ thi đua luân lưu", "bàn giao Cờ thi đua", "giữ vững Cờ thi đua"."""
        start, end = c.match.span()
        return not (self.not_after_re.match(c.text[end:end + 20]) or self.not_before_re.search(c.text[max(0, start - 60):start]))

    def canonical_title(self, m) -> tuple[str, str, str | None, list[str | None]]:
        """(title, category, conferrer, grades) for a title match: every grade it names
        ("hạng Nhì và hạng Ba"), or [None]."""
        key = canonical(m.group("title")).casefold()
        entry = self.entries.get(key)
        if entry is None:  # a medal not in the list: as written
            base, category = canonical(m.group("title")), "huân chương" if key.startswith("huân") else "huy chương"
            entry = {}
        else:
            base, category = entry["canonical"], entry["category"]
        named = m.groupdict().get("qname") or m.groupdict().get("uname")
        if entry.get("named") and named:
            base = f"{base} {self._spelled_out(canonical(named))}"
        grades = [None]
        if m.group("grade"):
            more = self.grade_re.findall(m.group("more_grades") or "")
            grades = list(dict.fromkeys(self.grades.get(g.casefold()) for g in [m.group("grade"), *more]))
        conferrer = None
        written = m.groupdict().get("conf") or m.groupdict().get("conf_free")
        if entry.get("takes_conferrer") and written:
            conferrer = self.conferrers.normalise(written)
        return base, category, conferrer, grades

    def _spelled_out(self, name: str) -> str:
        """A title's own name with its abbreviations spelled out, in lower case after a lower-case word:
        "Vì sự nghiệp bảo vệ ANTQ" → "Vì sự nghiệp bảo vệ an ninh Tổ quốc"."""
        words = name.split()
        for i, word in enumerate(words):
            full = self.conferrers.abbreviations.get(word)
            if full and i and words[i - 1][:1].islower():
                full = full[:1].lower() + full[1:]
            words[i] = full or word
        return " ".join(words)

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        found = SpanConferrers(doc, self.conferrers)
        spans, taken, last = [], [], (0, [])
        for c in self.candidates(text):
            start, end = c.match.span()
            if not in_body(doc, start, end) or any(s < end and start < e for s, e in taken):
                continue
            if not all(check(c) for check in self.checks):
                continue
            taken.append((start, end))
            # "Bộ Quốc phòng tặng 1 cờ thi đua, 12 bằng khen": the next award of a list has the same giver.
            inherited = last[1] if self.joined_re.match(text[last[0]:start]) else []
            values = self._values(doc, c, found, inherited)
            if c.entry.get("takes_conferrer"):
                last = (end, [v.conferrer for v in values if v.conferrer])
            for value in values:
                span = make_span(doc, start, end, "TITLE", value)
                if span is not None:
                    spans.append(span)
        doc.spans["titles"] = self._drop_vague(spans)
        return doc

    def _values(self, doc: Doc, c: TitleCandidate, found: SpanConferrers, inherited: list[str]) -> list[Title]:
        """The title a candidate names, with its conferrer, grade and status, once per conferrer, grade
        and recipient."""
        text, (start, end) = c.text, c.match.span()
        base, category, _, grades = self.canonical_title(c.match)
        at = clause_start(text, start, CLAUSE_BREAKS)
        clause = text[at:start]
        conferrers, end = self._conferrers(c, found, at)
        if not c.entry.get("takes_conferrer"):
            inherited = []  # "tặng cờ thi đua, danh hiệu Đơn vị Quyết thắng": a title is no one's gift
        conferrers = list(dict.fromkeys(conferrers or inherited)) or [None]
        status = next((name for name, pattern in self.status_res if pattern.search(clause[-80:])), "other")
        recipients = self._recipients(doc, text, at, start, end) or [None]
        return [Title(title=" ".join(filter(None, [f"{base} của {conferrer}" if conferrer else base, grade])),
                      category=category, conferrer=conferrer, grade=grade, recipient=recipient, status=status)
                for conferrer in conferrers for grade in grades for recipient in recipients]

    def _conferrers(self, c: TitleCandidate, found: SpanConferrers, at: int) -> tuple[list[str], int]:
        """Who confers a title that takes a conferrer, and where its mention ends: an organisation or
        office after "của"; a listed conferrer in its words; one before its verb ("được <ORG> tặng",
        "<ORG> tặng 4 ..."); the giver of a parallel award after it."""
        text, m = c.text, c.match
        if not c.entry.get("takes_conferrer"):
            return [], m.end()
        of = self.of_re.match(text, self._core_end(m))
        names, end = found.after(text, of.end(), self.join_after_re) if of else ([], m.end())
        if names:
            return names, max(end, m.end())
        written = m.groupdict().get("conf") or m.groupdict().get("conf_free")
        if written:
            return [self.conferrers.normalise(written)], m.end()
        return self._conferrers_before(text, at, m.start(), found) or self._shared_after(text, m, found), m.end()

    @staticmethod
    def _core_end(m) -> int:
        """Where the title's own words (name, grades) end."""
        return max(m.end(g) for g in ("title", "named", "grade", "more_grades") if m.group(g))

    def _conferrers_before(self, text: str, at: int, start: int, found: SpanConferrers) -> list[str]:
        """The givers named before the verb of the title's clause, the fullest of the listed names and
        the organisations and offices; an office that only hands it over ("Chủ tịch UBND tỉnh trao") or
        belongs to a person named before it ("Đồng chí X, Trưởng ban ... tặng", "X, Bí thư Đảng ủy, Chính ủy
        nhà trường trao") is not one."""
        clause = text[at:start]
        listed, listed_at = self._conferrer_before(text, at, clause)
        verb = self.verb_before_re.search(clause)
        names, office, first = found.before(text, at + verb.start(), self.join_before_re) if verb else ([], False, start)
        if office and (self.hand_over_re.match(verb.group(0)) or self.apposition_re.search(text, 0, first)):
            return [listed] if listed and listed_at < first else []  # a listed name inside the office is the office's
        if listed and (not names or listed_at <= first):
            return [listed]
        return names

    def _shared_after(self, text: str, m, found: SpanConferrers) -> list[str]:
        """"5 đơn vị nhận Cờ thi đua và 9 đơn vị nhận bằng khen của Bộ Tài chính": the giver of the
        parallel award after it gives this one too."""
        parallel = self.parallel_re.match(text, self._core_end(m))
        nxt = self.title_re.match(text, parallel.end()) if parallel else None
        if not nxt or not self.entries.get(canonical(nxt.group("title")).casefold(), {}).get("takes_conferrer"):
            return []
        of = self.of_re.match(text, self._core_end(nxt))
        return found.after(text, of.end(), self.join_after_re)[0] if of else []

    def _conferrer_before(self, text: str, at: int, clause: str) -> tuple[str | None, int]:
        """The conferrer named before the title in its clause ("UBND tỉnh tặng Cờ thi đua"), or the subject
        of the sentence when the clause only says "tặng ..."; and where it starts."""
        before = self.conferrer_before_re.search(clause)
        if before and not self.presenter(before):
            group = "conf" if before.group("conf") else "conf2"
            return self.conferrers.normalise(before.group(group)), at + before.start(group)
        if self.give_first_re.match(clause):
            return self._sentence_subject(text, at), at
        return None, at

    def _sentence_subject(self, text: str, clause_start_at: int) -> str | None:
        """The conferrer a sentence opens with, for a later clause that only says "tặng ...".

        "UBND tỉnh đã tặng Cờ thi đua cho 45 tập thể; tặng Bằng khen cho 320 tập thể": the
        second award is the UBND's too.
        """
        sentence_start = clause_start(text, clause_start_at, SENTENCE_BREAKS)
        m = self.sentence_subject_re.match(text, sentence_start, clause_start_at)
        if m and not self.presenter(m):
            return self.conferrers.normalise(m.group("conf"))
        return None

    def _drop_vague(self, spans):
        """A flag or medal named without conferrer or grade, where the article names it fully elsewhere, is that one."""
        full = {(s._.value.category, s._.value.title.split(" của ")[0].split(" hạng ")[0])
                for s in spans if s._.value.conferrer or s._.value.grade}
        return [s for s in spans
                if not (s._.value.category in self.vague_categories and not s._.value.conferrer and not s._.value.grade
                        and any(category == s._.value.category and title.startswith(s._.value.title)
                                for category, title in full))]

    def presenter(self, before) -> bool:
        """A person who hands an award over is not its conferrer: "Chủ tịch UBND tỉnh trao Cờ thi đua",
        "Giám đốc Công an tỉnh đã trao Giấy khen" are presenters; "Chủ tịch UBND tỉnh trao tặng", "UBND tỉnh
        trao", "được Thủ tướng Chính phủ tặng" (the giver) are not."""
        if before.groupdict().get("conf2"):
            return False
        verb = before.group(0)[before.end("conf") - before.start():]
        return self.person_role_re.match(before.group("conf")) is not None and self.hand_over_re.match(verb) is not None

    def _recipients(self, doc, text, at, start, end) -> list[str]:
        """Who the title goes to: "... cho 01 tập thể", or "Công an tỉnh BR-VT, Đồng Tháp nhận ..." one per unit."""
        after = self.recipient_after_re.match(text[end:])
        if after:
            return [" ".join(after.group("r").split()).rstrip(", ")]
        before = self.recipient_before_re.search(text[at:start])
        if before:
            written = " ".join(doc._.text[at + before.start("r"):at + before.end("r")].split())
            parts = _LIST_SEPARATOR.split(written)
            head = regex.match(rf"^(.*?{self.admin_pattern})\s", parts[0])
            out = [parts[0]]
            for p in parts[1:]:
                out.append(p if not head or regex.match(self.kept_orgs, p) else f"{head.group(1)} {p}")
            return out
        return []


@Language.factory(
    "vnie_titles", default_config={"rules_path": None},
    requires=["doc._.match_text", "doc._.text", "doc._.body", "doc.spans"],  # doc.spans["orgs"], ["positions"]
    assigns=["doc.spans", "span._.value"])
def make_titles(nlp: Language, name: str, rules_path: str | None):
    """The titles stage: ``doc.spans["titles"]``, one span per title mention and recipient."""
    return TitleExtractor(rules_path)
