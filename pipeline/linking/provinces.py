"""Provinces: names and aliases, the 2025 merger, and the province an article is about."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import regex

from pipeline.nlp.scanning import FirstWords, finditer_at
from pipeline.rules import alternation, first_letters, load_rules
from pipeline.text.normalize import canonical

@dataclass(frozen=True)
class Province:
    """One province of rules/provinces.jsonl."""

    name: str
    kind: str              # "tỉnh" or "thành phố"
    until_2025: bool
    merged_into: str | None
    since_2025: bool

    @property
    def after_2025(self) -> str:
        """The province it belongs to after the merger of 1 July 2025."""
        return self.name if self.since_2025 else (self.merged_into or self.name)


class Gazetteer:
    """Every province by name and alias, and a pattern finding them in text."""

    def __init__(self, rules_path: str | None = None):
        self.by_form: dict[str, Province] = {}
        for record in load_rules(rules_path).records("provinces"):
            province = Province(record["name"], record["kind"], record["until_2025"], record.get("merged_into"),
                                record["since_2025"])
            for form in [record["name"], *record.get("aliases", [])]:
                self.by_form[_key(form)] = province
        forms = {canonical(f) for f in self._written_forms(rules_path)}
        # A place after a kind word is a province or city ("tỉnh Lạng Sơn", "TP. Huế"); after a local
        # unit, a district or commune that shares a province's name ("huyện Quảng Ninh" in Quảng Bình).
        words = load_rules(rules_path).settings("linking")
        kinds, local = words["province_kinds"], words["local_units"]
        # Case does not matter: a site's header writes "TỈNH NINH BÌNH". The lookahead lets the
        # scan skip at once every place no kind word or province name starts at.
        pattern = (rf"(?i){first_letters([*forms, *kinds])}(?<![\p{{L}}\p{{M}}\p{{N}}])"
                   rf"(?<!{alternation(local)}\s+)(?:(?P<kind>{alternation(kinds)})\s*)?"
                   rf"(?P<place>{alternation(forms)})(?![\p{{L}}\p{{M}}\p{{N}}])")
        self.pattern = regex.compile(pattern)  # without (?i) when built in cached_patterns (link.load_linking)
        # Where a match can start: where the text goes on with the first word of a kind or a place ("tỉnh",
        # "bà" of "Bà Rịa"), a kind glued to its place (the pattern's "\s*": "tỉnhBình Định") included
        self.first_words = FirstWords([*forms, *kinds], letters=r"\p{L}\p{M}\p{N}")

    @staticmethod
    def _written_forms(rules_path):
        for record in load_rules(rules_path).records("provinces"):
            yield record["name"]
            yield from record.get("aliases", [])

    def lookup(self, form: str) -> Province | None:
        """The province written ``form`` ("BR-VT", "Bà Rịa – Vũng Tàu"), or None."""
        return self.by_form.get(_key(form))

    def find(self, text: str):
        """Each (match, province) in ``text``, left to right."""
        text = canonical(text)
        for match in finditer_at(self.pattern, text, self.first_words.starts(text)):
            province = self.lookup(match.group("place"))
            if province is not None:
                yield match, province

    def article_province(self, text: str) -> Province | None:
        """The province an article is plainly about: the only one it names, or one named at least twice
        as often as any other (and at least twice)."""
        named = [p for _, p in self.find(text)]
        counts = Counter(p.name for p in named)
        if not counts:
            return None
        (first, n1), *rest = counts.most_common(2) + [(None, 0)]
        n2 = rest[0][1]
        if n2 == 0 or (n1 >= 2 and n1 >= 2 * n2):
            return next(p for p in named if p.name == first)
        return None


def _key(form: str) -> str:
    return " ".join(canonical(form).casefold().replace("–", "-").split())


@lru_cache(maxsize=4)
def load_gazetteer(rules_path: str | None = None) -> Gazetteer:
    """The provinces of ``rules_path`` (default rules), built once per process."""
    return Gazetteer(rules_path)
