"""Page layout: the article body, its title and byline, and the boilerplate around it.

Press pages copied as text carry menus, visitor counters, lists of related
headlines and site clocks. This stage marks them so no extractor reads them,
and finds the byline (the author, who is not an official).
"""
from __future__ import annotations


import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.extensions import make_span, register_extensions
from pipeline.rules import alternation, load_rules

_META_DATE_RE = regex.compile(r"^\s*date\s+(\d{4}-\d{2}(?:-\d{2})?)\s*")
_PIPE_BYLINE_RE = regex.compile(r"^\s*(?P<name>[^|\d]{2,40}?)\s*\|\s*\d")
_NAME_WORD = r"(?:\p{Lu}[\p{Ll}\p{M}']*|\p{Lu}+)"
_BYLINE_RE = regex.compile(
    rf"^\s*(?:(?P<paren>\((?P<pname>[^()\n]{{2,60}})\))|(?P<name>{_NAME_WORD}(?:[ \-]{_NAME_WORD}){{0,4}}(?:\s*[\-–,]\s*{_NAME_WORD}(?:[ \-]{_NAME_WORD}){{0,4}})?))\s*$"
)
_SENTENCE_RE = regex.compile(r"[.!?…;:]\s*$")


def _lines(text: str):
    start = 0
    for line in text.split("\n"):
        yield start, start + len(line), line
        start += len(line) + 1


def _is_prose(line: str) -> bool:
    """A line of article prose: a long sentence that ends like one."""
    words = line.split()
    return len(words) >= 12 and bool(_SENTENCE_RE.search(line))


class PageLayout:
    """Marks boilerplate lines and finds the title and the byline."""

    def __init__(self, rules_path: str | None = None):
        register_extensions()
        rules = load_rules(rules_path)
        self.boilerplate = [regex.compile(p, regex.IGNORECASE) for p in rules.regexes("boilerplate")]
        self.ranks = set(rules.words("ranks"))
        layout = rules.settings("layout")
        # "Tin:", "Tin, ảnh:", "Bài & ảnh:", "Tin/ảnh:" ... then the name.
        word, joiner = alternation(layout["byline_prefixes"]), alternation(layout["byline_joiners"])
        self.prefixed_byline = regex.compile(
            rf"(?i)^\s*\(?{word}(?:\s*{joiner}\s*{word})*\s*:\s*(?P<name>[^:()\n]{{2,60}}?)\)?\s*$")

    def is_boilerplate(self, line: str) -> bool:
        stripped = line.strip()
        if not stripped:
            return False
        half = len(stripped) // 2
        if len(stripped) > 6 and stripped[:half].strip() == stripped[half:].strip():
            return True  # a menu label repeated: "Hoạt động CA tỉnh Hoạt động CA tỉnh"
        return any(p.search(stripped) for p in self.boilerplate)

    def is_prefixed_byline(self, line: str) -> bool:
        """Whether ``line`` is a credit line with a prefix: "Tin, ảnh: Ngọc Tuấn", "Bài và ảnh: Lê Minh"."""
        return self.prefixed_byline.match(line) is not None

    def byline(self, line: str) -> tuple[int, int] | None:
        """The (start, end) of the author's name within ``line``, if the line is a byline."""
        prefixed = self.prefixed_byline.match(line)
        if prefixed:
            name = prefixed.group("name")
            kept = len(regex.sub(r"[^\p{L}.]+$", "", name))  # not a trailing emoji or dash
            return (prefixed.start("name"), prefixed.start("name") + kept) if kept >= 2 else None
        m = _BYLINE_RE.match(line)
        if not m:
            return None
        if m.group("paren"):
            return m.start("pname"), m.end("pname")
        name = m.group("name")
        words = name.split()
        if len(words) < 2 and not name.isupper():
            return None
        if any(name.startswith(rank) for rank in self.ranks):
            return None
        return m.start("name"), m.end("name")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.text
        lines = list(_lines(text))
        meta = _META_DATE_RE.match(text)  # page metadata prefix: " date 2025-08-17"
        if meta:
            doc._.meta_date = meta.group(1)
        boiler: list[tuple[int, int]] = []
        byline_index, author = self.closing_byline(lines)
        if byline_index is not None:
            boiler.append((lines[byline_index][0], len(text)))  # the byline and everything after it
            lines = lines[:byline_index]
        boiler += [(start, end) for start, end, line in lines if self.is_boilerplate(line)]
        if author is None:
            author = _byline_beside_date(lines[:6])
        if author:
            doc._.author = text[author[0]:author[1]].strip()
            span = make_span(doc, author[0], author[1], "AUTHOR", doc._.author)
            if span is not None:
                doc.spans["author"] = [span]
        doc._.body = _complement(boiler, len(text))
        doc.spans["boilerplate"] = [s for s in (make_span(doc, a, b, "BOILERPLATE") for a, b in boiler if b > a) if s]
        if doc._.title is None:
            doc._.title = self.title(text, meta)
        return doc

    def closing_byline(self, lines) -> tuple[int | None, tuple[int, int] | None]:
        """The byline: the last name-like line ("HOÀNG TÂN", "Tin, ảnh: Ngọc Tuấn"), not the first,
        with no prose after it. Returns its line index and the author's character range, or
        (None, None) when a line of prose comes first reading up from the end."""
        for index in range(len(lines) - 1, -1, -1):
            start, end, line = lines[index]
            if _is_prose(line):
                return None, None
            if self.is_boilerplate(line):
                continue
            found = self.byline(line)
            if found and index > 0:
                return index, (start + found[0], start + found[1])
        return None, None

    def title(self, text: str, meta) -> str | None:
        """The first non-empty line that is not boilerplate, without a metadata prefix."""
        offset = meta.end() if meta else 0
        for start, end, line in _lines(text[offset:]):
            if line.strip() and not self.is_boilerplate(line):
                return " ".join(line.split())
        return None


def _byline_beside_date(lines) -> tuple[int, int] | None:
    """An author beside the date under the title: "Phan Tân| 18/12/2020 08:54"."""
    for start, end, line in lines:
        pipe = _PIPE_BYLINE_RE.match(line)
        if pipe:
            return start + pipe.start("name"), start + pipe.end("name")
    return None


def _complement(ranges, length):
    ranges = sorted(ranges)
    body, pos = [], 0
    for start, end in ranges:
        if start > pos:
            body.append((pos, start))
        pos = max(pos, end)
    if pos < length:
        body.append((pos, length))
    return body


@Language.factory("vnie_layout", default_config={"rules_path": None},
                  assigns=["doc._.meta_date", "doc._.author", "doc._.body", "doc._.title", "doc.spans"])
def make_layout(nlp: Language, name: str, rules_path: str | None):
    """The layout stage: writes the body, title, byline and ``doc.spans["author"]``/``["boilerplate"]``."""
    return PageLayout(rules_path)
