"""Organisations and offices: the ORG and POSITION spans every extractor builds on.

An organisation is open-ended ("Công đoàn Ngành Y tế Việt Nam", "Ban Chỉ đạo
389 quốc gia", "Bộ Tư lệnh Cảnh sát biển"): it starts at a head word from
``rules/org_heads*.txt`` and goes on over capitalised words, numbers, the
administrative units with their places ("tỉnh Ninh Bình") and the few
lower-case words an organisation's name holds (``rules/org_inner_words.txt``).
It ends at anything else: a verb, a function word, a person's name, a rank,
another organisation after "và". Its value is its canonical name, with
abbreviations expanded ("UBND tỉnh" → "Ủy ban nhân dân tỉnh").

An office is a position head ("Phó Giám đốc", "Thứ trưởng") followed by the
same kind of name ("Phó Giám đốc Công an tỉnh Quảng Ngãi"); its value is the
office as written. Titles read their conferrers and officials their positions from
these spans, and cluster members and the linked units are spelled out by the same
heads and :func:`expand`, so one fix to the vocabulary serves them all.
"""
from __future__ import annotations

from bisect import bisect_left
from itertools import takewhile
from typing import NamedTuple

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import doc_text, in_body, make_span, register_extensions, token_offsets
from pipeline.nlp.lexicon import abbreviations, expand, load_lexicon, org_heads
from pipeline.nlp.scanning import FirstWords
from pipeline.rules import alternation, first_letters, load_rules
from pipeline.text.normalize import canonical, fold_tones
from pipeline.text.syllables import is_foreign_word


class Word(NamedTuple):
    """One word of the segmented text: where it is and what it says (a tuple: an article makes
    hundreds, and a frozen dataclass costs several times more to build)."""

    start: int
    end: int
    text: str


def words_of(doc: Doc) -> list[Word]:
    """The doc's words, white space left out, an abbreviation the segmenter joined to the next word
    split off again ("PTNT vinh" → "PTNT", "vinh"), and a name and an office a dash glues together
    ("Lê Xuân Hòa-Giám đốc")."""
    words = []
    add, word = words.append, tuple.__new__  # Word(start, end, text) without the named tuple's Python-level constructor
    plans, plan_of = _PLANS, _PLANS.get
    for text, start in token_offsets(doc):
        plan = plan_of(text, _NOT_PLANNED)
        if plan is _NOT_PLANNED:
            if len(plans) > 200_000:  # bounded: a long feed must not grow it forever
                plans.clear()
            plan = plans[text] = _plan(text)
        if plan is None:  # most words: the token as it is
            add(word(Word, (start, start + len(text), text)))
        else:
            for at, end, piece in plan:
                add(word(Word, (start + at, start + end, piece)))
    return words


_PLANS: dict[str, tuple | None] = {}  # token text -> its pieces, remembered: most tokens come again and again
_NOT_PLANNED = object()


def _plan(text: str) -> tuple[tuple[int, int, str], ...] | None:
    """The words a token holds, as (start, end, text) within it: none for white space, None for the token
    itself as one word."""
    if text.isspace():
        return ()
    if " " not in text and "-" not in text and "–" not in text:
        return None
    words = []
    for at, piece in _pieces(0, text) if "-" in text or "–" in text else ((0, text),):
        first, space, rest = piece.partition(" ")
        if space and len(first) > 1 and rest[:1].islower() and first.replace(".", "").isupper():
            words += [(at, at + len(first), first), (at + len(first) + 1, at + len(piece), rest)]
        else:
            words.append((at, at + len(piece), piece))
    return None if words == [(0, len(text), text)] else tuple(words)


_GLUED_DASH = regex.compile(r"(?<=\p{L})[-–](?=\p{Lu})")


def _pieces(start: int, text: str):
    """A token split where a dash glues a name to an office: "Lê Xuân Hòa-Giám đốc" → "Lê Xuân Hòa", "Giám đốc"."""
    at = 0
    for m in _GLUED_DASH.finditer(text):
        if " " in text[:m.start()] or " " in text[m.end():]:  # not a one-word compound like "Ăng-Co"
            yield start + at, text[at:m.start()]
            at = m.end()
    yield start + at, text[at:]


class NameScanner:
    """Where the name of an organisation or office that goes on at a word ends.

    Every ``text`` it reads is the doc's tone-folded text (``doc._.match_text``).

    One rule for both: capitalised words, numbers ("389", "số 7"), administrative
    units, the inner words of ``rules/org_inner_words.txt``, "và" or a spaced dash
    between two capitalised parts; never a person's name, a rank or another
    organisation after "và".
    """

    def __init__(self, rules_path: str | None = None):
        rules = load_rules(rules_path)
        lexicon = load_lexicon(rules_path)
        self.inner = {w.casefold() for w in rules.words("org_inner_words")}
        self.admin = {w.casefold() for w in lexicon.admin_units()}
        self.ranks = {w.casefold() for w in rules.words("ranks")}
        self.surnames = {w.casefold() for w in rules.words("surnames")}
        self.places = lexicon.places
        self.provincial = set(lexicon.admin_units("provincial"))
        self.dotted = {w.casefold() for w in rules.words("dotted_abbreviations")}
        self.complete = {canonical(n).casefold() for r in rules.records("conferrers")
                         for n in [r["canonical"], *r.get("aliases", [])]}
        self.named_after = {w.casefold() for w in rules.words("named_after")}
        stops = rules.words("org_stop_words")
        self.cap_stops = {w.casefold() for w in stops if w[0].isupper()}
        self.stops = {w.casefold() for w in stops + rules.words("position_stops") + lexicon.address_words
                      if not w[0].isupper()}
        self.lower_run = 4  # lower-case words a name goes on with after a capitalised one
        joining = rules.settings("org_words")
        self.joiners, self.number_word = set(joining["joiners"]), joining["number_word"]
        self.numbered = regex.compile(rf"(?i)(?:{alternation(rules.words('numbered_units'))})$")
        self.counted = {w.casefold() for w in rules.words("award_units")} | self.admin
        head = rf"(?:{alternation(org_heads(rules))})(?![\p{{L}}\p{{M}}])"
        self.head_re = regex.compile(rf"(?i){head}")
        self.head_firsts = FirstWords(org_heads(rules))
        self.position_re = regex.compile(rf"(?i)(?:{alternation(rules.words('position_heads'))})(?![\p{{L}}\p{{M}}])")

    def persons(self, doc: Doc) -> set[int]:
        """Where the doc's person names start, when a known surname vouches for them (the name
        tagger alone takes "Y tế Việt Nam" in "Công đoàn Ngành Y tế Việt Nam" for a person)."""
        return {s.start_char for s in doc.spans.get("person_names", [])
                if fold_tones(s.text.split()[0]).casefold() in self.surnames and s.text.istitle()}

    def starts_org(self, text: str, word: Word) -> int | None:
        """The end of an organisation head at ``word`` ("Bộ Tư lệnh"), or None."""
        if not word.text[0].isupper():
            return None
        m = self.head_re.match(text, word.start)
        return m.end() if m else None

    def heads_in(self, text: str, words: list[Word]) -> dict[int, int]:
        """Where an organisation head starts at one of ``words``, and where it ends: what :meth:`starts_org`
        says of a capitalised word starting there, for the whole text in one scan."""
        capitalised, match = [w.start for w in words if w.text[0].isupper()], self.head_re.match
        return {at: m.end() for at in self.head_firsts.among(text, capitalised) if (m := match(text, at))}

    def end(self, text: str, words: list[Word], i: int, persons: set[int], office: bool = False) -> int:
        """The index past the last word of the name that goes on at ``words[i]`` (of an office's, if ``office``)."""
        n, first = len(words), i
        while i < n:
            step = self._step(text, words, i, persons, first, office)
            if not step:
                break
            i += step
        return i

    def _step(self, text: str, words: list[Word], i: int, persons: set[int], first: int, office: bool) -> int:
        """How many words from ``words[i]`` the name takes (0: it ends before them)."""
        word = words[i]
        if text[words[i - 1].end:word.start] != " " or self._sentence_ends(words[i - 1].text):
            return 0
        folded = fold_tones(word.text).casefold()
        previous = fold_tones(words[i - 1].text).casefold()
        if previous in self.named_after and word.text[0].isupper():
            return 1  # "Trường THPT | Sơn Hà": a school's or a place's name, not a person
        after_unit = previous in self.admin
        if after_unit and word.text[0].isupper():
            # a province is in the gazetteer; a district's or a commune's two-syllable name is a place
            # ("huyện Cao Lộc"), a three-syllable one a person ("UBND huyện Nguyễn Văn Sáu")
            shortest = 2 if previous in self.provincial else 3
            return self._place(words, i) or (0 if self._a_person(words, i, persons, shortest) else 1)
        if word.start in persons or (self._a_person(words, i, persons) and not self._place(words, i)):
            return 0
        if folded in self.joiners and i + 1 < len(words):
            joins = self._joins(text, words, i + 1, persons) or (
                folded.isalpha() and self._goes_on_lower(words, i + 1, first + 1))  # "đảng và công tác"
            return 2 if joins else 0
        if folded == self.number_word and i + 1 < len(words) and words[i + 1].text.isdigit():
            return 2
        if word.text[0].isdigit():
            return 0 if self._counts(words, i) else 1
        if folded in self.inner or folded in self.admin:
            return 1
        if word.text[0].isupper():
            return 0 if self._ends_name(text, word) or self._foreign_person(words, i, first, office) else 1
        return 1 if self._goes_on_lower(words, i, first) else 0

    def _foreign_person(self, words: list[Word], i: int, first: int, office: bool) -> bool:
        """A foreign name right after an office or a country: "HLV | Park Hang-seo",
        "Tổng thống Hoa Kỳ | Donald Trump" (a foreign word later in a name is the name's: "Công ty Want Want")."""
        if not is_foreign_word(words[i].text.split()[0]):
            return False
        return (i == first and office) or any(canonical(" ".join(w.text for w in words[i - k:i])).casefold() in self.places
                                 for k in (1, 2, 3) if i - k >= first)

    def _goes_on_lower(self, words: list[Word], i: int, first: int) -> bool:
        """Whether a lower-case word goes on with the name: after a capitalised word of it, a few words
        that are no verb or function word ("Cục Cảnh sát hình sự", "Cục Công tác đảng và công tác
        chính trị"); never after a unit word, an abbreviation, a number or a known place
        ("Chủ tịch Hội đồng TĐKT tỉnh | giao", "Sở Nông nghiệp và PTNT | vinh dự")."""
        if i >= len(words) or not words[i].text[0].islower():
            return False
        folded = fold_tones(words[i].text).casefold()
        if folded in self.stops or folded.rsplit(" ", 1)[-1] in self.stops:
            return False  # a stop word, or one the segmenter glued on ("độc vinh| dự nhận")
        run = i
        while run > first and words[run - 1].text[0].islower():
            run -= 1
        if run <= first or i - run >= self.lower_run:
            return False
        if any(canonical(" ".join(w.text for w in words[run - k:run])).casefold() in self.complete
               for k in (1, 2, 3, 4) if run - k >= first - 1):
            return False  # "Bộ Công an | phân công": a body's whole name goes on with no lower-case word
        before = words[run - 1].text
        folded = fold_tones(before).casefold()
        return not ((folded in self.admin and before[0].islower()) or before.replace(".", "").isupper() or before[0].isdigit()
                    or canonical(before).casefold() in self.places)

    def name_end(self, word: Word) -> int:
        """Where a name whose last word is ``word`` ends: before the full stop that ends its sentence."""
        return word.end - 1 if self._sentence_ends(word.text) else word.end

    def _sentence_ends(self, word: str) -> bool:
        """A word that ends its sentence: "Bộ Tư lệnh BĐBP. | Với ..." (not "TP. | Hồ Chí Minh")."""
        return word.endswith(".") and fold_tones(word[:-1]).casefold() not in self.dotted

    def _place(self, words: list[Word], i: int) -> int:
        """How many words from ``words[i]`` name a known place ("Bà Rịa - Vũng Tàu", "Ninh Bình"), or 0."""
        for k in (4, 3, 2, 1):
            name = " ".join(w.text for w in words[i:i + k])
            if len(words) >= i + k and canonical(name).casefold() in self.places:
                return k
        return 0

    def _a_person(self, words: list[Word], i: int, persons: set[int], shortest: int = 2) -> bool:
        """A person's name at ``words[i]`` (of ``shortest`` syllables or more): "Chủ tịch UBND tỉnh | Nguyễn Đức Trung"."""
        if words[i].start in persons and len(words[i].text.split()) >= shortest:
            return True
        syllables = words[i].text.split()
        capitalised = len(list(takewhile(str.istitle, syllables)))
        # "Đinh Văn Lâm trao": the segmenter may join a name to the verb after it
        return fold_tones(syllables[0]).casefold() in self.surnames and capitalised >= shortest

    def _counts(self, words: list[Word], i: int) -> bool:
        """A number that counts what follows ("Công an 5 tỉnh", "4 cá nhân"), not one that names
        ("Quân khu 7 tổ chức", "Ban Chỉ đạo 389")."""
        if i + 1 >= len(words) or self.numbered.match(fold_tones(words[i - 1].text)):
            return False
        return fold_tones(words[i + 1].text).casefold() in self.counted

    def _joins(self, text: str, words: list[Word], i: int, persons: set[int]) -> bool:
        """After "và" or a dash: the next part of the same name ("Nghiệp vụ và Pháp luật"), not a new one."""
        word = words[i]
        return (word.text[0].isupper() and word.start not in persons and not self._ends_name(text, word)
                and self.starts_org(text, word) is None)

    def _ends_name(self, text: str, word: Word) -> bool:
        """A capitalised word that is no part of a name: a rank, an office, a cluster ("Đại tá", "Giám đốc", "Cụm")."""
        folded = text[word.start:word.start + 12].casefold()
        if fold_tones(word.text).casefold() in self.cap_stops or any(folded.startswith(r) for r in self.ranks):
            return True
        return bool(self.position_re.match(text, word.start))


def _head_word(text: str, words: list[Word], ends: list[int], head_end: int) -> int | None:
    """The index of the word a head ends in: its own last word, or the segmenter's longer word when
    what follows in it is capitalised ("Ủy viên | Ban Chấp hành| Trung ương": the head ends inside
    the word, the name goes on). A head that ends before a lower-case rest is no head ("Vụ| trưởng")."""
    j = bisect_left(ends, head_end)
    if j == len(words) or words[j].start >= head_end:
        return None
    rest = text[head_end:words[j].end].lstrip()
    return j if not rest or rest[0].isupper() else None


def _glued_word(words: list[Word], ends: list[int], head_end: int) -> int | None:
    """The index of a word an office head ends inside, at a space: "HLV trưởng| người" (or None)."""
    j = bisect_left(ends, head_end)
    if j == len(words) or words[j].start >= head_end or words[j].end == head_end:
        return None
    return j if words[j].text[head_end - words[j].start:][:1] == " " else None


def _bare_head(name: str) -> bool:
    """A head word alone is no organisation: "các Bộ, ngành", "Vụ trưởng" ("Chính phủ", "UBND" are)."""
    return " " not in name and not name.isupper()


class OrganisationFinder:
    """spaCy component: ``doc.spans["orgs"]`` (ORG) and ``doc.spans["positions"]`` (POSITION)."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        self.rules_path = rules_path
        self.scanner = NameScanner(rules_path)
        rules = load_rules(rules_path)
        words = rules.settings("office_words")
        office = (rf"(?:{alternation(words['prefixes'])}\s+)?(?:{alternation(words['deputy'])}\s+)?"
                  rf"(?:{alternation(rules.words('position_heads'))})")
        openings = [*words["prefixes"], *words["deputy"], *rules.words("position_heads")]
        self.office_re = regex.compile(rf"(?i){first_letters(openings)}{office}(?![\p{{L}}\p{{M}}])")
        self.office_firsts = FirstWords(openings)

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        words = words_of(doc)
        persons = self.scanner.persons(doc)
        doc.spans["orgs"] = [s for s in self._orgs(doc, text, words, persons) if s is not None]
        doc.spans["positions"] = [s for s in self._offices(doc, text, words, persons) if s is not None]
        return doc

    def _orgs(self, doc: Doc, text: str, words: list[Word], persons: set[int]):
        table, written = abbreviations(self.rules_path), doc_text(doc)
        ends = [w.end for w in words]
        heads = self.scanner.heads_in(text, words)
        after = 0  # the words before it are inside an organisation already found
        for i in [k for k, w in enumerate(words) if w.start in heads]:  # the other words start none
            # "Ông Đoàn Minh Khải": a person's name that starts with a head word ("Đoàn") is no organisation
            if i < after or words[i].start in persons or not words[i].text[0].isupper():
                continue
            j = _head_word(text, words, ends, heads[words[i].start])
            if j is None or not in_body(doc, words[i].start, words[j].end):
                continue
            after = self.scanner.end(text, words, j + 1, persons)
            start, end = words[i].start, self.scanner.name_end(words[after - 1])
            if not _bare_head(written[start:end]):
                yield make_span(doc, start, end, "ORG", expand(written[start:end], table))

    def _offices(self, doc: Doc, text: str, words: list[Word], persons: set[int]):
        ends = [w.end for w in words]
        starts, match = self.office_firsts.among(text, [w.start for w in words]), self.office_re.match
        offices = {at: m for at in starts if (m := match(text, at))}
        after = 0  # the words before it are inside an office already found
        for i in [k for k, w in enumerate(words) if w.start in offices]:  # the other words start none
            if i < after:
                continue
            m = offices[words[i].start]
            j = _head_word(text, words, ends, m.end())
            glued = _glued_word(words, ends, m.end()) if j is None else None
            if glued is not None:
                # "HLV trưởng| người Hàn Quốc" glued by the segmenter: the office is the head alone
                yield make_span(doc, m.start(), m.end(), "POSITION", " ".join(doc._.text[m.start():m.end()].split()))
                after = glued + 1
                continue
            if j is None or not in_body(doc, m.start(), m.end()):
                continue
            after = self.scanner.end(text, words, j + 1, persons, office=True)
            start, end = words[i].start, self.scanner.name_end(words[after - 1])
            yield make_span(doc, start, end, "POSITION", " ".join(doc._.text[start:end].split()))


@Language.factory("vnie_organisations", default_config={"rules_path": None},
                  requires=["doc.spans"], assigns=["doc.spans"])
def make_organisations(nlp: Language, name: str, rules_path: str | None):
    return OrganisationFinder(rules_path)
