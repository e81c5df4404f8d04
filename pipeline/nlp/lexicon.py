"""Vocabulary several extractors share, built once per rules folder.

One concept, one place: the administrative-unit words ("tỉnh", "thị xã", ...),
the forms of address ("đồng chí", "ông", "bà"), the place gazetteer (provinces,
their aliases, cities), the capitalised syllable of a name, and where a clause
starts. The words themselves are in ``rules/``; this module only builds them.
"""
from __future__ import annotations

from functools import cached_property, lru_cache

from pipeline.rules import Rules, alternation, load_rules
from pipeline.text.normalize import canonical, fold_tones

# One capitalised syllable of a name: "Quang", "Thị", Ê Đê "H'Lim".
NAME_SYLLABLE = r"\p{Lu}(?:['’]\p{Lu})?[\p{Ll}\p{M}]*"

# Named sets of clause breaks for :func:`clause_start` (each caller keeps its own behaviour).
CLAUSE_BREAKS = tuple(".;:\n")  # a clause of a sentence: "...; 2 tập thể được tặng ..."
PHRASE_BREAKS = tuple(",.;:(\n–—“\"")  # a phrase around a name: "..., Chủ tịch UBND tỉnh Nguyễn Đức Trung"
SENTENCE_BREAKS = (". ", "\n")
LINE_BREAKS = ("\n",)


def clause_start(text: str, at: int, breaks=CLAUSE_BREAKS, window: int | None = None) -> int:
    """Where the clause holding ``at`` starts: just after the last of ``breaks`` before ``at``.

    With ``window``, only the ``window`` characters before ``at`` are looked at, and the
    clause starts at the window's start when none of them is a break. ``breaks`` may also be a
    compiled regex, for breaks that depend on their neighbours; the clause then starts at the end
    of its last match.
    """
    low = max(0, at - window) if window else 0
    if hasattr(breaks, "finditer"):  # a compiled pattern: a break that depends on its neighbours ("TP. Đồng Hới")
        last = None
        for last in breaks.finditer(text, low, at):
            pass
        return last.end() if last else low
    cut = max(text.rfind(b, low, at) for b in breaks)
    return cut + 1 if cut >= 0 else low


class Lexicon:
    """The shared vocabulary of one rules folder (see :func:`load_lexicon`)."""

    def __init__(self, rules: Rules):
        self.rules = rules

    @cached_property
    def _admin(self) -> dict:
        return self.rules.settings("admin_units")

    def admin_units(self, subset: str = "units", abbreviations: bool = False) -> list[str]:
        """Administrative-unit words, tone-folded: every unit ("units") or a named subset of
        ``rules/admin_units.json`` ("province_and_district"), with "TP." forms if asked."""
        words = self._admin["units"] if subset == "units" else self._admin["subsets"][subset]
        if abbreviations:
            words = words + self._admin["abbreviations"]
        return [fold_tones(w) for w in words]

    def admin_unit_pattern(self, subset: str = "units", abbreviations: bool = False) -> str:
        """A regex alternation of :meth:`admin_units` ("tỉnh|thành\\s+phố|...")."""
        return alternation(self.admin_units(subset, abbreviations))

    @cached_property
    def address_words(self) -> list[str]:
        """Forms of address before a name: "đồng chí", "ông", "bà"."""
        return list(self.rules.words("address_words"))

    @cached_property
    def address_pattern(self) -> str:
        """A regex alternation of :attr:`address_words` ("đồng\\s+chí|ông|bà")."""
        return alternation(self.address_words)

    @cached_property
    def provinces(self) -> frozenset[str]:
        """Province names and their aliases, canonical and case-folded ("lạng sơn", "tp.hcm")."""
        names = set()
        for p in self.rules.records("provinces"):
            names.add(p["name"])
            names.update(p.get("aliases", []))
        return frozenset(canonical(n).casefold() for n in names)

    @cached_property
    def places(self) -> frozenset[str]:
        """:attr:`provinces`, the cities of ``rules/cities.txt`` ("đà lạt", "phan thiết") and the
        countries and seas of ``rules/countries.txt`` ("thái lan", "thái bình dương")."""
        others = self.rules.words("cities") + self.rules.words("countries")
        return self.provinces | {canonical(c).casefold() for c in others}


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
        elif dot and head in table:  # "TP.HCM", "TP.Thủ Đức", "TP. Huế"
            out.append(f"{table[head]} {table.get(rest, rest)}".rstrip())
        else:
            out.append(word)
    return " ".join(out)


def org_heads(rules) -> list[str]:
    """Every organisation head word of the rules: ``org_heads.txt`` and ``org_heads_added.txt``."""
    return rules.words("org_heads") + rules.words("org_heads_added")


@lru_cache(maxsize=4)
def lexicon_of(rules: Rules) -> Lexicon:
    """The shared vocabulary of an already loaded :class:`Rules`, built once per process."""
    return Lexicon(rules)


def load_lexicon(rules_path: str | None = None) -> Lexicon:
    """The shared vocabulary of the rules in ``rules_path`` (default folder), built once per process."""
    return lexicon_of(load_rules(rules_path))
