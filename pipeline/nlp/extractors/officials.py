"""Officials: people taking part in what is reported, with their rank and positions.

A person is found by what stands around a name: a rank ("Trung tá Mai Thế
Quang"), a position before it ("Bộ trưởng Tô Lâm") or after it ("Đoàn Thị
Hậu, Phó Chủ tịch ..."), a form of address ("đồng chí", "ông"), a list of
awardees, or the statistical name tagger. Later mentions by full name or by
rank/position and given name ("Trung tướng Xô") are merged into one row.

Mentions are found in three steps: candidates (names of a known surname, and
the name model's names), named veto checks that reject a candidate (a place, a
photo credit, a suspect, ...), and named accept checks that say what vouches for
the rest (a rank, a form of address, a position, a list, the model). Each check
is a small method listed in ``VETOES`` or ``ACCEPTS``.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import char_range, in_body, make_span, register_extensions
from pipeline.nlp.intervals import Disjoint, Enclosing
from pipeline.nlp.lexicon import NAME_SYLLABLE as _SYL
from pipeline.nlp.lexicon import SENTENCE_BREAKS, clause_start, load_lexicon
from pipeline.nlp.scanning import finditer_at, word_starts
from pipeline.nlp.values import Official
from pipeline.rules import alternation, first_letters, load_rules
from pipeline.text.normalize import canonical, fold_tones
from pipeline.text.syllables import is_foreign_word, is_syllable

_SENTENCE_END = regex.compile(r"[.!?\n]\s|[.!?]$|\n")
_NOT_A_LETTER_NEXT = r"(?![\p{L}\p{M}])"
_TEXT_ENDS = regex.compile(r"\s*\Z")  # nothing but white space to the end of the text
_GAP = r"[^\S\n]"  # between the syllables of a name: a space, never a line break
_POSITION_LEAD = regex.compile(r"\s*(?:,\s*[-–—]?|–|—|-|\()\s*")  # ", Phó Giám đốc ...", " – Bộ trưởng ..."
_ASIDE = regex.compile(r"\s*\([^()\n]{1,40}\)")  # "(54 tuổi)", "(SN 1970)" between a name and its office
_UNIT_SEP = regex.compile(r"\s*,\s*")  # "Đội trưởng Đội 3, Phòng PC08": the office's unit, written after it
_GAP_BEFORE = regex.compile(r"\s*,?\s*$")  # between an office and the name (or rank) after it
_STANDS_ALONE = regex.compile(r"\s*(?:[,;.:)(…]|và\s|$)")  # the name is not the start of a longer phrase
_NEXT_LOWER_WORD = regex.compile(r" (\p{Ll}[\p{L}\p{M}]*)")


class _EndPattern:
    """A pattern that ends with ``$``: whether a text has a match is asked right to left, so the engine
    tries the end of the text only, not every start. :meth:`search` returns what ``regex.search`` returns."""

    def __init__(self, pattern: str):
        self.pattern = pattern
        self.forward = regex.compile(pattern)
        self.backward = regex.compile(f"(?r){pattern}")

    def search(self, text: str) -> regex.Match | None:
        """The leftmost match, as a forward search finds it, or None."""
        return self.forward.search(text) if self.backward.search(text) else None


@dataclass
class _Mention:
    start: int
    end: int
    name: str
    rank: str | None = None
    positions: list[str] = field(default_factory=list)
    evidence: str = ""


@dataclass
class _DocContext:
    """What the checks read of one document; built per call, never kept on the component."""

    doc: Doc
    text: str
    author_ranges: list[tuple[int, int]]
    list_zones: list[tuple[int, int]]
    tagged: set[tuple[int, int]]
    offices: "_Offices"


@dataclass
class _Offices:
    """The document's offices and organisations (the POSITION and ORG spans), by where they start and end."""

    starts: dict[int, tuple[int, str]]  # office start -> (end, office as written)
    ends: dict[int, tuple[int, str]]  # office end -> (start, office as written)
    orgs: dict[int, tuple[int, str]]  # organisation start -> (end, as written)

    @classmethod
    def of(cls, doc: Doc) -> "_Offices":
        offices = [(*char_range(s), s._.value) for s in doc.spans.get("positions", [])]
        orgs, text = {}, doc._.text
        for s in doc.spans.get("orgs", []):
            start, end = char_range(s)
            orgs[start] = (end, " ".join(text[start:end].split()))
        return cls({s: (e, v) for s, e, v in offices}, {e: (s, v) for s, e, v in offices}, orgs)

    @cached_property
    def org_ranges(self) -> Enclosing:
        """The organisations' ranges, to ask which holds a name."""
        return Enclosing((s, e) for s, (e, _) in self.orgs.items())


@dataclass
class _Candidate:
    """A name that may be an official's: where the name pattern matched (``found_at``) and the name
    itself (``start``..``end``), without a form of address or the end of a place before it."""

    ctx: _DocContext
    found_at: int
    start: int
    end: int
    name: str
    model_only: bool = False
    vouching: tuple | None = None  # (rank match, address match) before the name, once computed

    @property
    def text(self) -> str:
        return self.ctx.text

    @cached_property
    def before(self) -> str:
        """The 80 characters before the name."""
        return self.text[max(0, self.start - 80):self.start]


@dataclass
class _People:
    """The people of one document being assembled: rows by case-folded name, their ranks and positions."""

    by_key: dict[str, Official] = field(default_factory=dict)
    positions: dict[str, list[str]] = field(default_factory=dict)
    ranks: dict[str, list[str]] = field(default_factory=dict)

    def add_rank(self, key: str, rank: str) -> None:
        self.ranks.setdefault(key, []).append(rank)


class OfficialExtractor:
    """spaCy component: fills ``doc.spans["officials"]`` (one span per person) and the mention spans."""

    VETOES = ("in_boilerplate", "is_the_author", "is_stoplisted", "is_a_place", "after_a_credit",
              "after_a_namesake_word", "after_a_place_word", "cut_off", "starts_an_office", "inside_an_organisation", "in_a_place_list",
              "inside_quotes", "glued_to_the_next_word")
    ACCEPTS = (("rank", "vouched_by_rank"), ("address", "vouched_by_address"), ("position", "has_a_position"),
               ("role", "after_a_role_word"),
               ("list", "in_a_name_list"), ("model", "tagged_by_the_model"))

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        r = load_rules(rules_path)
        lexicon = load_lexicon(rules_path)
        self.rank_order = {rank: i for i, rank in enumerate(r.words("ranks"))}
        self.rank = alternation(r.words("ranks"))
        self.surname = alternation(r.words("surnames"))
        self.address = lexicon.address_pattern
        self.address_words = lexicon.address_words
        self._compile_names(r)
        self._compile_positions(r)
        self._compile_vetoes(r, lexicon)
        self._compile_scans(r)
        self.places = lexicon.places
        self._foreign_words: dict[str, bool] = {}
        self.vetoes = [getattr(self, name) for name in self.VETOES]
        self.accepts = [(evidence, getattr(self, name)) for evidence, name in self.ACCEPTS]

    def _compile_names(self, r) -> None:
        rank, surname, heads = self.rank, self.surname, alternation(r.words("position_heads"))
        self.model_name_re = regex.compile(rf"{_SYL}(?:{_GAP}{_SYL}){{1,3}}")
        foreign = r"\p{Lu}[\p{Ll}\p{M}][\p{L}\p{M}'’]*(?:-\p{Ll}[\p{L}\p{M}]*)?"  # "Park", "Hang-seo", "McMenemy"
        self.foreign_name_re = regex.compile(rf"(?<![\p{{L}}\p{{M}}\-])(?-i:{foreign}(?:\s{foreign}){{1,4}})(?![\p{{L}}\p{{M}}\-])")
        self.name_re = regex.compile(rf"(?<![\p{{L}}\p{{M}}])(?:{surname})(?:{_GAP}{_SYL}){{1,3}}(?![\p{{L}}\p{{M}}]|{_GAP}{_SYL}|-\p{{Ll}})")
        academic = rf"(?:,?\s*(?:{alternation(r.words('academic_titles'))})(?:\s*,)?)*"  # "Đại tá, TS. Nguyễn Văn A"
        self.rank_before_re = _EndPattern(rf"(?i)(?:^|[^\p{{L}}])(?P<rank>{rank}){academic}\s+$")
        self.context_before_re = _EndPattern(
            rf"(?i)(?:^|[^\p{{L}}])(?:{alternation(r.words('name_contexts'))})\s+(?:(?P<rank>{rank}){academic}\s+)?$")
        words = r.settings("office_words")
        nationality = rf"(?:{alternation(words['nationality'])})\s+(?:{alternation(r.words('countries'))})\s+"
        self.nationality_re = regex.compile(rf"(?i)(?<![\p{{L}}]){nationality}$")  # "người Hàn Quốc"
        self.role_before_re = _EndPattern(
            rf"(?i)(?<![\p{{L}}])(?:{alternation(r.words('person_roles'))})\s+(?:{nationality})?$")
        joiners = alternation(words["joiners"])
        self.office_sep_re = regex.compile(rf"\s*[,;]\s*|\s+(?:{joiners})\s+")  # between two offices of one person
        self.office_sep_before_re = regex.compile(rf"(?:\s*[,;]\s*|\s+(?:{joiners})\s+)$")
        self.joiners = set(words["joiners"])
        self.middle_names = set(r.words("middle_names"))
        self.lower_typo_re = regex.compile(r"[^\S\n](\p{Ll}[\p{L}\p{M}]*)(?![\p{L}\p{M}])")
        self.one_word_contexts = {w.casefold() for w in r.words("name_contexts") if " " not in w}
        self.stoplist = {canonical(n).casefold() for n in r.words("name_stoplist")}
        self.list_intro_re = regex.compile(rf"(?i)(?:{alternation(r.words('list_intros'))})\s*:")
        self.promotion_re = regex.compile(
            rf"(?i)thăng\s+(?:{alternation(r.words('rank_nouns'))})?\s*(?:từ\s+(?P<old>{rank})\s+lên\s+)?(?P<new>{rank})"
            rf"(?:\s+cho\s+(?:{self.address}\s+)?(?:(?P<was>{rank})\s+)?(?P<name>{surname}(?:\s{_SYL}){{1,3}}))?")
        # The lookahead only says which letters a mention can start with (the same matches, found faster:
        # most positions of a text are rejected before the long alternations are tried).
        opening = rf"(?:{first_letters([*r.words('ranks'), *r.words('position_heads'), 'Phó'])}" \
                  rf"|(?i:{first_letters(self.address_words)}))"
        self.later_re = regex.compile(
            rf"{opening}(?:(?P<rank>{rank})|(?P<pos>(?:Phó\s+)?(?:{heads}))|(?i:(?<![\p{{L}}]){self.address}))"
            rf"\s+(?P<given>{_SYL})(?!\s*{_SYL})")
        # A character no opener, space or name syllable has: no later mention runs over it.
        kept = {ch for w in [*r.words("ranks"), *r.words("position_heads"), "Phó", *self.address_words]
                for ch in fold_tones(w) if not (ch.isalpha() or ch.isspace())}
        self.later_stop = rf"[^\p{{L}}\p{{M}}\s'’{''.join(regex.escape(ch) for ch in sorted(kept))}]"
        self.later_stop_re = regex.compile(self.later_stop)
        self.later_stop_before_re = regex.compile(rf"(?r){self.later_stop}")

    def _compile_scans(self, r) -> None:
        """What finds where a pattern run over the whole text can match, faster than the pattern itself."""
        # A name of a known surname starts with the first word of one (the re module finds them faster).
        firsts = {fold_tones(w).split()[0] for w in r.words("surnames")}
        self.surname_start_re = re.compile("|".join(re.escape(w) for w in sorted(firsts, key=lambda w: (-len(w), w))))
        # A list intro ends at a colon ("các cá nhân:") and has none inside: tried right to left from each colon.
        intros = r.words("list_intros")
        self.list_intro_ending_re = (regex.compile(rf"(?r)(?i)(?:{alternation(intros)})\s*:")
                                     if not any(":" in w for w in intros) else None)

    def _compile_positions(self, r) -> None:
        # "Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an Tô Lâm": offices written before another of the same person.
        self.office_before_office_re = regex.compile(rf"(?i)(?:{alternation(r.words('offices_before_offices'))})(?![\p{{L}}])")
        # "..., Thủ tướng Nguyễn Xuân Phúc": an office followed by a name (or a rank) is that person's.
        self.person_after_re = regex.compile(
            rf"\s+(?:(?:{self.rank})\s|(?:{self.surname})(?:\s{_SYL}){{1,3}}{_NOT_A_LETTER_NEXT})")

    def _compile_vetoes(self, r, lexicon) -> None:
        cues = alternation(lexicon.admin_units(abbreviations=True) + r.words("place_cues"))
        self.place_cue_re = _EndPattern(rf"(?i)(?:{cues})\s*:?\s*$")  # "các huyện: Kim Sơn"
        self.place_list_re = regex.compile(
            rf"(?:các|\d+)\s+(?:{lexicon.admin_unit_pattern()})\s*:?\s+"
            r"(?:\p{Lu}[\p{L}\p{M}]*(?:\s+\p{Lu}[\p{L}\p{M}]*)*(?:\s*\([^()\n]{1,30}\))?\s*,\s*)+(?:và\s+)?$")
        self.credit_re = _EndPattern(rf"(?i)(?:{alternation(r.words('credit_words'))})\s*[:\-–]\s*(?:[\p{{L}}\s]*,\s*)?$")
        self.namesake_re = _EndPattern(rf"(?i)(?:{alternation(r.words('named_after'))})\s+$")

    # -- candidates -------------------------------------------------------------------------------
    def find_mentions(self, doc: Doc) -> list[_Mention]:
        """The mentions of officials: every candidate no veto rejects and some accept check vouches for."""
        ctx = self.context(doc)
        mentions = []
        for candidate in self.candidates(ctx):
            if any(veto(candidate) for veto in self.vetoes):
                continue
            mention = self._mention(candidate)
            if mention is not None:
                mentions.append(mention)
        return mentions

    def context(self, doc: Doc) -> _DocContext:
        """What the checks read of ``doc``: its match text, byline, list zones and the model's names."""
        text = doc._.match_text
        return _DocContext(doc, text, [char_range(s) for s in doc.spans.get("author", [])], self._list_zones(text),
                           {char_range(s) for s in doc.spans.get("person_names", [])}, _Offices.of(doc))

    def candidates(self, ctx: _DocContext):
        """Names of a known surname, then foreign names ("Park Hang-seo"), then the name model's names
        that none of them overlaps ("H'Lim Niê", "Ksor Phước": surnames the gazetteer does not know),
        in text order."""
        text = ctx.text
        found = [(m.start(), m.end(), False) for m in self._names(text)]
        taken = Disjoint((s, e) for s, e, _ in found)  # names found by finditer: no two overlap
        foreign = [(s, e, True) for s, e in self._foreign_names(text) if not taken.overlaps(s, e)]
        for s, e, _ in foreign:  # disjoint too: found by one finditer
            taken.add(s, e)
        found += foreign
        found += [(s, e, True) for s, e in ctx.tagged
                  if self.model_name_re.fullmatch(text, s, e) and not taken.overlaps(s, e)]
        for start, end, model_only in sorted(found):
            yield self._candidate(ctx, start, end, model_only)

    def _names(self, text: str):
        """``name_re.finditer(text)``, tried only where the first word of a surname stands."""
        return finditer_at(self.name_re, text, self._surname_starts(text))

    def _surname_starts(self, text: str):
        at = 0
        while (surname := self.surname_start_re.search(text, at)) is not None:
            at = surname.start() + 1  # the next may start inside this one: "Tôn Nữ" holds "Nữ"
            yield surname.start()

    def _foreign_names(self, text: str):
        """Foreign names ("Park Hang-seo", "Simon McMenemy", "Tanaka Ryota"): two or three capitalised
        words, one of which no Vietnamese name is made of. Like the model's names, only a rank, a
        form of address or an office vouches for them."""
        for m in self.foreign_name_re.finditer(text):
            start, words = m.start(), m.group(0).split()
            if not any(self._is_foreign_word(w) for w in words):
                continue  # no foreign word, with or without a place before the name
            place = next((k for k in (3, 2, 1) if canonical(" ".join(words[:k])).casefold() in self.places), 0)
            if place:  # "Tổng thống Hoa Kỳ Donald Trump": the country before the name
                start = m.start() + len(" ".join(words[:place])) + 1
                words = words[place:]
            if 2 <= len(words) <= 3 and any(self._is_foreign_word(w) for w in words):
                yield start, m.end()

    def _is_foreign_word(self, word: str) -> bool:
        """:func:`is_foreign_word`, remembered per word (a bounded cache: a long feed must not grow it forever)."""
        known = self._foreign_words.get(word)
        if known is None:
            if len(self._foreign_words) > 100_000:
                self._foreign_words.clear()
            known = self._foreign_words[word] = is_foreign_word(word)
        return known

    def _candidate(self, ctx: _DocContext, start: int, end: int, model_only: bool) -> _Candidate:
        """The candidate at ``start``..``end``, without a form of address ("Ông Tô Ân Xô") or the end
        of a place ("tỉnh Lạng Sơn Hoàng Văn Dũng": "Sơn" ends the place) at its start."""
        found_at, text = start, ctx.text
        name = " ".join(text[start:end].split())
        first, _, rest = name.partition(" ")
        if (first.casefold() in self.one_word_contexts and self.name_re.fullmatch(rest)
                and not self.context_before_re.search(text[max(0, start - 30):start])):
            start += len(first) + 1  # "Ông Tô Ân Xô"; but "ông Ông Văn Thành" is Mr Ông Văn Thành
            name = rest
        typo = (self.lower_typo_re.match(text, end)
                if name.split()[-1] in self.middle_names and self._vouched_30(text, start) else None)
        if typo:  # "ông Nguyễn Văn hùng": a name does not end at its middle name ("đoàn Văn công" is no name)
            end = typo.end()
            name = f"{name} {typo.group(1)}"
        shift = self._place_overlap(text, start, name)
        if shift:
            start += shift
            name = text[start:end]
        return _Candidate(ctx, found_at, start, end, name, model_only)

    def _vouched_30(self, text: str, start: int) -> bool:
        """Whether a form of address or a rank stands in the 30 characters before ``start``."""
        before = text[max(0, start - 30):start]
        return bool(self.context_before_re.search(before) or self.rank_before_re.search(before))

    # -- veto checks: True rejects the candidate -----------------------------------------------------
    def in_boilerplate(self, c: _Candidate) -> bool:
        """Rejects a name outside the article body: a menu, a related headline ("Tin liên quan")."""
        return not in_body(c.ctx.doc, c.found_at, c.end)

    def is_the_author(self, c: _Candidate) -> bool:
        """Rejects the byline's name: "Bài và ảnh: Lê Minh" is the author, not an official."""
        return any(a <= c.found_at < b for a, b in c.ctx.author_ranges)

    def is_stoplisted(self, c: _Candidate) -> bool:
        """Rejects names in ``rules/name_stoplist.txt``: "Hồ Chí Minh" in "tư tưởng Hồ Chí Minh"."""
        return canonical(c.name).casefold() in self.stoplist

    def is_a_place(self, c: _Candidate) -> bool:
        """Rejects a province, alias or city that looks like a name: "Cao Bằng", "Phan Thiết"."""
        return canonical(c.name).casefold() in self.places

    def after_a_credit(self, c: _Candidate) -> bool:
        """Rejects a credited name: "Ảnh: Đoàn Phát", "Nguồn - Lê Văn Hải", "Theo: Trần Minh"."""
        return self.credit_re.search(c.before) is not None

    def after_a_namesake_word(self, c: _Candidate) -> bool:
        """Rejects a name something is named after: "phong cách Hồ Chí Minh", "Trường THPT Lê Quý Đôn"."""
        return self.namesake_re.search(c.before) is not None

    def cut_off(self, c: _Candidate) -> bool:
        """Rejects a name the text cuts short: "... cho thiếu tướng Lê Đức Th" at the end of a truncated page."""
        last = c.name.split()[-1]
        return _TEXT_ENDS.match(c.text, c.end) is not None and not is_syllable(last)

    def starts_an_office(self, c: _Candidate) -> bool:
        """Rejects an office that looks like a name: "Phó Chính ủy", "Phó Trưởng Ban" ("Phó" is also a surname)."""
        return c.start in c.ctx.offices.starts

    def inside_an_organisation(self, c: _Candidate) -> bool:
        """Rejects a name that is part of an organisation's: "Trường Đại học Nguyễn Huệ", "Đồn Biên phòng
        Yên Khương", "Công ty Thái Bình Seed", unless a rank or a form of address vouches for a person."""
        inside = c.ctx.offices.org_ranges.holds(c.start, c.end, after_start=True)
        return inside and not any(self._vouching(c))

    def after_a_place_word(self, c: _Candidate) -> bool:
        """Rejects a place after its unit or a place word ("tỉnh Hà Nam", "tại Đồng Văn"), unless a
        position holds the unit: "Chủ tịch UBND tỉnh Nguyễn Đức Trung" is a person."""
        return self.place_cue_re.search(c.before) is not None and not self._positions_before(c, None)

    def in_a_place_list(self, c: _Candidate) -> bool:
        """Rejects the places of a list that goes on: "các huyện Đồng Văn, Mèo Vạc, Yên Minh"."""
        return self.place_list_re.search(c.before) is not None

    def inside_quotes(self, c: _Candidate) -> bool:
        """Rejects a name inside quotes on its line: the slogan “... Sáu điều Bác Hồ dạy”."""
        line_start = c.text.rfind("\n", 0, c.start) + 1
        before = c.text[line_start:c.start]
        return before.count("“") > before.count("”") or before.count('"') % 2 == 1

    def glued_to_the_next_word(self, c: _Candidate) -> bool:
        """Rejects a name whose last syllable segmentation joined to the next one into a dictionary word
        ("Đoàn Thanh|niên" is the youth union), unless a rank or address vouches ("Trung tá Lê Thị Thu|nhận")."""
        return not any(self._vouching(c)) and self._ends_inside_a_word(c.ctx.doc, c.text, c.start, c.end)

    # -- accept checks: the first that holds is the evidence -----------------------------------------
    def vouched_by_rank(self, c: _Candidate, mention: _Mention) -> bool:
        """Accepts a name right after a rank: "Trung tá Mai Thế Quang", "Đại tá, TS. Nguyễn Văn Long"."""
        return self._vouching(c)[0] is not None

    def vouched_by_address(self, c: _Candidate, mention: _Mention) -> bool:
        """Accepts a name after a form of address: "đồng chí Nguyễn Thanh Hải", "bà H'Lim Niê"."""
        return self._vouching(c)[1] is not None

    def has_a_position(self, c: _Candidate, mention: _Mention) -> bool:
        """Accepts a name with a position after or before it: "Đoàn Thị Hậu, Phó Chủ tịch ...",
        "Thủ tướng Chính phủ Phạm Minh Chính"."""
        return bool(mention.positions)

    def after_a_role_word(self, c: _Candidate, mention: _Mention) -> bool:
        """Accepts a name after what the person is in the story: "tiền đạo Tanaka Ryota", "bị cáo Kang Dong-hyun"."""
        return self.role_before_re.search(c.before) is not None

    def in_a_name_list(self, c: _Candidate, mention: _Mention) -> bool:
        """Accepts a known-surname name standing alone in a list of people: "các cá nhân: Nguyễn Hữu Nhâm, ..."."""
        return (not c.model_only and _STANDS_ALONE.match(c.text[c.end:c.end + 4]) is not None
                and any(a <= c.start < b for a, b in c.ctx.list_zones))

    def tagged_by_the_model(self, c: _Candidate, mention: _Mention) -> bool:
        """Accepts a known-surname name the name model also tagged, standing alone or of three syllables:
        "khen thưởng cho Trần Văn Long, Lê Thị Hồng và Ngô Quang Vinh"."""
        standalone = _STANDS_ALONE.match(c.text[c.end:c.end + 4]) is not None
        return (not c.model_only and (standalone or len(c.name.split()) >= 3)
                and (c.start, c.end) in c.ctx.tagged)

    # -- mentions ---------------------------------------------------------------------------------
    def _vouching(self, c: _Candidate) -> tuple:
        """The rank and the form-of-address matches right before the candidate (either may be None)."""
        if c.vouching is None:
            c.vouching = (self.rank_before_re.search(c.before), self.context_before_re.search(c.before))
        return c.vouching

    def _mention(self, c: _Candidate) -> _Mention | None:
        """The mention a candidate makes, if an accept check vouches for it; the first names the evidence."""
        mention = self.draft(c)
        for evidence, accepts in self.accepts:
            if accepts(c, mention):
                mention.evidence = evidence
                return mention
        return None

    def draft(self, c: _Candidate) -> _Mention:
        """The candidate's mention before any accept check: its rank and its positions."""
        rank_m, ctx_m = self._vouching(c)
        written_rank = rank_m.group("rank") if rank_m else ctx_m.group("rank") if ctx_m else None
        address_only = ctx_m is not None and rank_m is None
        return _Mention(c.start, c.end, c.name, canonical(written_rank) if written_rank else None,
                        self._positions(c, written_rank, address_only))

    def _positions(self, c: _Candidate, written_rank: str | None, address_only: bool) -> list[str]:
        """The offices after the name, else (without a form of address) the ones right before it."""
        after = self._positions_after(c)
        if after or address_only:
            return after
        return self._positions_before(c, written_rank)

    def _positions_after(self, c: _Candidate) -> list[str]:
        """Offices following a name: ", Phó Giám đốc Công an tỉnh", " (54 tuổi), Giám đốc Sở Tư pháp",
        "..., Bí thư Tỉnh ủy kiêm Chủ tịch HĐND tỉnh"; an office followed by a name is that person's."""
        text, offices = c.text, c.ctx.offices
        skipped = _ASIDE.match(text, c.end)
        for at in (c.end, skipped.end() if skipped else None):
            lead = _POSITION_LEAD.match(text, at) if at is not None else None
            if lead and lead.end() in offices.starts:
                return self._office_chain(text, offices, lead.end())
        return []

    def _office_chain(self, text: str, offices: "_Offices", pos: int) -> list[str]:
        """The offices written one after another from ``pos`` (", ", "; ", " kiêm "), each with the
        units written after it (", Cục CSGT, Bộ Công an")."""
        positions: list[str] = []
        while pos in offices.starts:
            end, value = offices.starts[pos]
            if self.person_after_re.match(text, end):
                break  # "..., Thủ tướng Nguyễn Xuân Phúc": the next person's office
            positions.append(value)
            pos = end
            while (sep := _UNIT_SEP.match(text, pos)) and sep.end() in offices.orgs:
                pos, unit = offices.orgs[sep.end()]
                positions[-1] = f"{positions[-1]}, {unit}"
            sep = self.office_sep_re.match(text, pos)
            if not sep:
                break
            pos = sep.end()
        return positions

    def _positions_before(self, c: _Candidate, written_rank: str | None) -> list[str]:
        """Offices right before a name, or before its rank: "Thủ tướng Chính phủ Phạm Minh Chính",
        "Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an, Đại tướng Tô Lâm"."""
        text, offices = c.text, c.ctx.offices
        pos = c.start
        if written_rank:
            pos = max(0, c.start - 80) + c.before.rfind(written_rank)
        nationality = self.nationality_re.search(text, max(0, pos - 40), pos)
        if nationality:  # "HLV trưởng người Hàn Quốc Park Jin-woo"
            pos = nationality.start()
        chain: list[str] = []
        joined_by_kiem = False
        while True:
            gap = _GAP_BEFORE.search(text, max(0, pos - 12), pos)
            if gap is None or gap.start() not in offices.ends:
                break
            start, value = offices.ends[gap.start()]
            if chain and not joined_by_kiem and not self.office_before_office_re.match(value):
                break  # "Bằng khen của Chủ tịch nước, | Thứ trưởng Bộ Y tế X": another person's office
            chain.insert(0, value)
            sep = self.office_sep_before_re.search(text, max(0, start - 20), start)
            if sep is None:
                break
            joined_by_kiem = sep.group(0).strip() in self.joiners  # "A kiêm B": both offices of one person
            pos = sep.start()
        return chain

    def _ends_inside_a_word(self, doc: Doc, text: str, start: int, end: int) -> bool:
        """Whether segmentation joined the name's last syllable to the next one, and the two make a
        dictionary word ("Thanh niên"); a segmentation slip such as "Hiệp dự" does not count."""
        from pipeline.nlp.word_crf import load_dictionary

        last_token = doc.char_span(end - 1, end, alignment_mode="expand")
        if last_token is None or last_token.end_char <= end:
            return False
        following = _NEXT_LOWER_WORD.match(text[end:end + 12])
        if following is None:
            return False
        last = text[start:end].split()[-1]
        return f"{last} {following.group(1)}".lower() in load_dictionary()

    def _place_overlap(self, text: str, start: int, name: str) -> int:
        """Characters at the start of ``name`` that finish a place named just before it."""
        before = text[max(0, start - 40):start].split()
        syllables = name.split()
        for k in range(1, len(syllables) - 1):
            head = " ".join(syllables[:k])
            for n in (1, 2, 3):
                if len(before) >= n and canonical(" ".join(before[-n:] + [head])).casefold() in self.places:
                    return len(" ".join(syllables[:k])) + 1
        return 0

    def _list_zones(self, text: str) -> list[tuple[int, int]]:
        """The stretches of text that a list intro opens ("các cá nhân: ...") up to the sentence end."""
        zones = []
        for start in self._list_intro_ends(text):
            end = _SENTENCE_END.search(text, start)
            zones.append((start, end.start() if end else len(text)))
        return zones

    def _list_intro_ends(self, text: str):
        """Where the matches of ``list_intro_re.finditer(text)`` end: at each colon a list intro ends at
        (no match runs over a colon, so each colon with one ending there ends one match)."""
        if self.list_intro_ending_re is None:
            yield from (m.end() for m in self.list_intro_re.finditer(text))
            return
        colon = text.find(":")
        while colon >= 0:
            if self.list_intro_ending_re.match(text, 0, colon + 1):
                yield colon + 1
            colon = text.find(":", colon + 1)

    # -- people -----------------------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        mentions = self.find_mentions(doc)
        people = self._people(doc, mentions)
        mention_spans = self._count_full_names(doc, text, people)
        self._count_later_mentions(doc, text, people)
        self._apply_promotions(doc, text, mentions, people)
        spans = []
        for key, person in sorted(people.by_key.items(), key=lambda kv: kv[1].start):
            person.positions = people.positions.get(key, [])
            if people.ranks.get(key):
                person.rank = min(people.ranks[key], key=lambda r: self.rank_order.get(r, 99))
            span = make_span(doc, person.start, person.end, "OFFICIAL", person)
            if span is not None:
                spans.append(span)
        doc.spans["officials"] = spans
        doc.spans["official_mentions"] = mention_spans
        return doc

    def _people(self, doc: Doc, mentions: list[_Mention]) -> _People:
        """One row per full name (first mention's offsets), with every rank and the longest positions."""
        people = _People()
        for m in mentions:
            key = canonical(m.name).casefold()
            if key not in people.by_key:
                people.by_key[key] = Official(name=canonical(doc._.text[m.start:m.end]), start=m.start, end=m.end,
                                              mentions=0)
            if m.rank:
                people.add_rank(key, m.rank)
            if len(" ".join(m.positions)) > len(" ".join(people.positions.get(key, []))):
                people.positions[key] = m.positions
        return people

    def _count_full_names(self, doc: Doc, text: str, people: _People) -> list:
        """Every mention of a known full name counts, with or without context; returns their spans."""
        by_name = {canonical(p.name): p for p in people.by_key.values()}
        spans = []
        for start, end, name in find_names(text, list(by_name)):
            person = by_name[name]
            if in_body(doc, start, end):
                person.mentions += 1
                span = make_span(doc, start, end, "OFFICIAL", person.name)
                if span is not None:
                    spans.append(span)
        return spans

    def _count_later_mentions(self, doc: Doc, text: str, people: _People) -> None:
        """Later mentions by rank, position or address and a given name only one person has: "Trung tướng Xô"."""
        given: dict[str, list[str]] = {}
        for key, person in people.by_key.items():
            given.setdefault(person.name.split()[-1], []).append(key)
        for m in self._later_matches(text, [g for g, keys in given.items() if len(keys) == 1]):
            keys = given.get(m.group("given"), [])
            if len(keys) == 1 and in_body(doc, *m.span()):
                people.by_key[keys[0]].mentions += 1
                if m.group("rank"):
                    people.add_rank(keys[0], canonical(m.group("rank")))

    def _later_matches(self, text: str, names: list[str]):
        """``later_re.finditer(text)``'s matches, found only in the stretches between two stop characters
        (which no match runs over, so each stretch is searched as finditer would) that hold one of
        ``names``: a match whose given name is none of them is never yielded."""
        stretches = set()
        for at in word_starts(text, names):
            before = self.later_stop_before_re.search(text, 0, at)
            after = self.later_stop_re.search(text, at)
            stretches.add((before.end() if before else 0, after.start() if after else len(text)))
        for start, end in sorted(stretches):
            yield from (m for m in self.later_re.finditer(text, start, end) if m.group("given") in names)

    def _apply_promotions(self, doc: Doc, text: str, mentions: list[_Mention], people: _People) -> None:
        """Promotions: the new rank is the rank of the person promoted, or of everyone a list names."""
        for m in self.promotion_re.finditer(text):
            if not in_body(doc, *m.span()):
                continue
            new_rank = canonical(m.group("new"))
            listed = self._listed_after(text, m.end(), mentions)
            if listed and not m.group("name"):  # "thăng cấp bậc hàm từ Thượng tá lên Đại tá gồm: A, ...; B, ..."
                for key in listed:
                    people.add_rank(key, new_rank)
                continue
            key = canonical(m.group("name")).casefold() if m.group("name") else self._subject_before(text, m.start(), people)
            if key in people.by_key:
                people.add_rank(key, new_rank)

    def _listed_after(self, text: str, at: int, mentions) -> list[str]:
        """The people of a list that a promotion introduces ("... lên Đại tá gồm: A, ...; B, ...")."""
        intro = self.list_intro_re.search(text, at, min(len(text), at + 40))
        if intro is None or regex.search(r"[.;\n]", text[at:intro.start()]):
            return []
        end = _SENTENCE_END.search(text, intro.end())
        end = end.start() if end else len(text)
        return [canonical(m.name).casefold() for m in mentions if intro.end() <= m.start < end]

    def _subject_before(self, text: str, at: int, people: _People) -> str | None:
        """The person a promotion in this sentence is about ("Ông X, ..., được thăng quân hàm ...")."""
        sentence_start = clause_start(text, at, SENTENCE_BREAKS)
        best = None
        for key, person in people.by_key.items():
            pattern = regex.compile(regex.escape(person.name).replace(r"\ ", r"\s+"))
            if pattern.search(text, sentence_start, at):
                best = key
        return best


def _word_char(ch: str) -> bool:
    return ch.isalpha() or unicodedata.category(ch).startswith("M")


def find_names(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """Every whole-word occurrence of each name (any white space between its syllables), leftmost
    first and the longest at a position, none overlapping: what an alternation regex finds, without
    compiling one per document."""
    found = []
    for name in names:
        first, *rest = name.split()
        at = text.find(first)
        while at >= 0:
            end = at + len(first)
            if at == 0 or not _word_char(text[at - 1]):
                for syllable in rest:
                    gap = end
                    while gap < len(text) and text[gap].isspace():
                        gap += 1
                    if gap == end or not text.startswith(syllable, gap):
                        end = -1
                        break
                    end = gap + len(syllable)
                if end > 0 and (end == len(text) or not _word_char(text[end])):
                    found.append((at, end, name))
            at = text.find(first, at + 1)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept, last_end = [], 0
    for start, end, name in found:
        if start >= last_end:
            kept.append((start, end, name))
            last_end = end
    return kept


# Reads the body and the byline (layout), the name model's names (person_names) and the match text.
@Language.factory("vnie_officials", default_config={"rules_path": None},
                  requires=["doc._.body", "doc._.author", "doc.spans"], assigns=["doc.spans"])
def make_officials(nlp: Language, name: str, rules_path: str | None):
    """The officials stage: reads ``doc.spans["person_names"]`` and ``doc.spans["author"]``, writes
    ``doc.spans["officials"]`` and ``doc.spans["official_mentions"]``."""
    return OfficialExtractor(rules_path)
