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
office as written. Conferrers, positions, recipients and cluster members all
come from these spans, so one fix to the vocabulary serves all four.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import in_body, make_span, register_extensions
from pipeline.nlp.lexicon import load_lexicon
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import fold_tones


@dataclass(frozen=True)
class Word:
    """One word of the segmented text: where it is and what it says."""

    start: int
    end: int
    text: str


def words_of(doc: Doc) -> list[Word]:
    """The doc's words, white space left out, an abbreviation the segmenter joined to the next word
    split off again ("PTNT vinh" → "PTNT", "vinh")."""
    words = []
    for t in doc:
        if t.is_space or not t.text.strip():
            continue
        first, space, rest = t.text.partition(" ")
        if space and len(first) > 1 and first.replace(".", "").isupper() and rest[:1].islower():
            words.append(Word(t.idx, t.idx + len(first), first))
            words.append(Word(t.idx + len(first) + 1, t.idx + len(t.text), rest))
        else:
            words.append(Word(t.idx, t.idx + len(t.text), t.text))
    return words


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
        self.stops = {w.casefold() for w in rules.words("org_stop_words")}
        self.numbered = regex.compile(rf"(?i)(?:{alternation(rules.words('numbered_units'))})$")
        self.counted = {w.casefold() for w in rules.words("award_units")} | self.admin
        self.head_re = regex.compile(rf"(?i)(?:{alternation(org_heads(rules))})(?![\p{{L}}\p{{M}}])")
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

    def end(self, text: str, words: list[Word], i: int, persons: set[int]) -> int:
        """The index past the last word of the name that goes on at ``words[i]``."""
        n = len(words)
        while i < n:
            step = self._step(text, words, i, persons)
            if not step:
                break
            i += step
        return i

    def _step(self, text: str, words: list[Word], i: int, persons: set[int]) -> int:
        """How many words from ``words[i]`` the name takes (0: it ends before them)."""
        word = words[i]
        if text[words[i - 1].end:word.start] != " " or word.start in persons:
            return 0
        folded = fold_tones(word.text).casefold()
        if folded in ("và", "-", "–") and i + 1 < len(words):
            return 2 if self._joins(text, words, i + 1, persons) else 0
        if folded == "số" and i + 1 < len(words) and words[i + 1].text.isdigit():
            return 2
        if word.text[0].isdigit():
            return 0 if self._counts(words, i) else 1
        if folded in self.inner or folded in self.admin:
            return 1
        if word.text[0].isupper() and not self._ends_name(text, word):
            return 1
        return 0

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
        if fold_tones(word.text).casefold() in self.stops or any(folded.startswith(r) for r in self.ranks):
            return True
        return bool(self.position_re.match(text, word.start))


def _bare_head(name: str) -> bool:
    """A head word alone is no organisation: "các Bộ, ngành", "Vụ trưởng" ("Chính phủ", "UBND" are)."""
    return " " not in name and not name.isupper()


def org_heads(rules) -> list[str]:
    """Every organisation head word of the rules: ``org_heads.txt`` and ``org_heads_added.txt``."""
    return rules.words("org_heads") + rules.words("org_heads_added")


@lru_cache(maxsize=4)
def abbreviations(rules_path: str | None = None) -> dict[str, str]:
    """Written short forms and what they stand for ("UBND" → "Ủy ban nhân dân")."""
    return {r["abbr"]: r["expansion"] for r in load_rules(rules_path).records("abbreviations")}


def expand(name: str, table: dict[str, str]) -> str:
    """``name`` with each abbreviated word spelled out: "UBND tỉnh" → "Ủy ban nhân dân tỉnh"."""
    out = []
    for word in name.split():
        head, dot, rest = word.partition(".")
        if word in table:
            out.append(table[word])
        elif dot and head in table and rest:  # "TP.HCM", "TP.Thủ Đức"
            out.append(f"{table[head]} {table.get(rest, rest)}")
        else:
            out.append(word)
    return " ".join(out)


class OrganisationFinder:
    """spaCy component: ``doc.spans["orgs"]`` (ORG) and ``doc.spans["positions"]`` (POSITION)."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        self.rules_path = rules_path
        self.scanner = NameScanner(rules_path)
        rules = load_rules(rules_path)
        office = rf"(?:(?:nguyên|quyền)\s+)?(?:phó\s+)?(?:{alternation(rules.words('position_heads'))})"
        self.office_re = regex.compile(rf"(?i){office}(?![\p{{L}}\p{{M}}])")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.match_text
        words = words_of(doc)
        persons = self.scanner.persons(doc)
        doc.spans["orgs"] = [s for s in self._orgs(doc, text, words, persons) if s is not None]
        doc.spans["positions"] = [s for s in self._offices(doc, text, words, persons) if s is not None]
        return doc

    def _orgs(self, doc: Doc, text: str, words: list[Word], persons: set[int]):
        table = abbreviations(self.rules_path)
        ends = {w.end: i for i, w in enumerate(words)}
        i = 0
        while i < len(words):
            head_end = self.scanner.starts_org(text, words[i])
            j = ends.get(head_end) if head_end else None
            if j is None or not in_body(doc, words[i].start, words[j].end):
                i += 1
                continue
            last = self.scanner.end(text, words, j + 1, persons)
            start, end = words[i].start, words[last - 1].end
            if not _bare_head(doc._.text[start:end]):
                yield make_span(doc, start, end, "ORG", expand(doc._.text[start:end], table))
            i = last

    def _offices(self, doc: Doc, text: str, words: list[Word], persons: set[int]):
        ends = {w.end: i for i, w in enumerate(words)}
        i = 0
        while i < len(words):
            m = self.office_re.match(text, words[i].start)
            if words[i].start in persons or not m or m.end() not in ends or not in_body(doc, m.start(), m.end()):
                i += 1
                continue
            last = self.scanner.end(text, words, ends[m.end()] + 1, persons)
            start, end = words[i].start, words[last - 1].end
            yield make_span(doc, start, end, "POSITION", " ".join(doc._.text[start:end].split()))
            i = last


@Language.factory("vnie_organisations", default_config={"rules_path": None},
                  requires=["doc.spans"], assigns=["doc.spans"])
def make_organisations(nlp: Language, name: str, rules_path: str | None):
    return OrganisationFinder(rules_path)
