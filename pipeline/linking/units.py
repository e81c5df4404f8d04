"""A unit's canonical name, kind and province: "CA tỉnh BR-VT" → "Công an tỉnh Bà Rịa - Vũng Tàu"."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from pipeline.linking.provinces import Gazetteer, Province, load_gazetteer
from pipeline.nlp.lexicon import abbreviations, expand
from pipeline.rules import alternation, load_rules
from pipeline.text.normalize import canonical

TRAILING = " ,.;:-–"
_GOES_ON_LOWER = regex.compile(r"\s+\p{Ll}")


@dataclass(frozen=True)
class Unit:
    """A unit as the tables write it."""

    name: str
    kind: str
    province: str | None
    province_2025: str | None


class UnitNames:
    """Canonical unit names over the rules: provinces, abbreviations and the kinds of rules/linking.json."""

    def __init__(self, rules_path: str | None = None):
        self.gazetteer: Gazetteer = load_gazetteer(rules_path)
        self.abbreviations = abbreviations(rules_path)
        settings = load_rules(rules_path).settings("linking")
        self.kinds = sorted(settings["unit_kinds"], key=lambda k: -len(k[0]))
        # A name that stops at its administrative word: "Công an tỉnh", "Chủ tịch UBND tỉnh".
        self.bare_end = regex.compile(rf"(?:^|\s)(?P<word>{alternation(settings['unit_bare_ends'])})$")
        # A place written without its kind takes it after these: "Công an Hà Nội" = "Công an thành phố Hà Nội".
        self.takes_kind = tuple(settings["unit_takes_kind"])
        self._units: dict[tuple[str, Province | None], Unit] = {}  # what unit() said: a unit is named again and again

    def canonical_name(self, written: str, province: Province | None = None) -> str:
        """One spelling for every way of writing a unit; a bare "... tỉnh" takes ``province``, the article's."""
        text = canonical(written).strip(TRAILING)
        text = self._places(text)
        text = " ".join(expand(text, self.abbreviations).split())
        return self.resolve_bare(text, province)

    def _places(self, text: str) -> str:
        out, pos = [], 0
        for match, province in self.gazetteer.find(text):
            before = text[:match.start()].rstrip().casefold()
            kind = match.group("kind") or before.endswith(self.takes_kind)
            out.append(text[pos:match.start()])
            out.append(f"{province.kind} {province.name}" if kind else province.name)
            pos = match.end()
        rest = text[pos:]
        # A unit's name ends at its province: "Công an tỉnh Bến Tre long trọng tổ chức lễ" went on too far.
        out.append("" if pos and _GOES_ON_LOWER.match(rest) else rest)
        return "".join(out)

    def unit(self, written: str, province: Province | None = None) -> Unit:
        """The :class:`Unit` written ``written`` in an article about ``province`` (or None), remembered."""
        known = self._units.get((written, province))
        if known is None:
            if len(self._units) > 100_000:  # bounded: a long feed must not grow it forever
                self._units.clear()
            known = self._units[written, province] = self._unit(written, province)
        return known

    def _unit(self, written: str, province: Province | None) -> Unit:
        name = self.canonical_name(written, province)
        kind = next((k for prefix, k in self.kinds if name == prefix or name.startswith(prefix + " ")), "khác")
        places = [p for _, p in self.gazetteer.find(name)]
        place = places[-1] if places else None
        return Unit(name, kind, place.name if place else None, place.after_2025 if place else None)


    def resolve_bare(self, text: str, province: Province | None) -> str:
        """``text`` with a closing bare "tỉnh"/"thành phố" given the province, when one is known.

        "Phó Giám đốc Công an tỉnh" in an article about Lạng Sơn → "Phó Giám đốc Công an tỉnh Lạng Sơn".
        """
        match = self.bare_end.search(text)
        if province is None or match is None:
            return text
        return f"{text[:match.start('word')]}{province.kind} {province.name}"

    def is_bare(self, name: str) -> bool:
        """Whether a unit's name stops at "tỉnh"/"thành phố" without saying which ("Công an tỉnh")."""
        return self.bare_end.search(name) is not None


@lru_cache(maxsize=4)
def load_unit_names(rules_path: str | None = None) -> UnitNames:
    """The :class:`UnitNames` of ``rules_path`` (default rules), built once per process."""
    return UnitNames(rules_path)
