"""One person_id per real person, as far as the texts show.

The same full name is one person unless something contradicts it (SCHEMA.md,
"Across documents"): two rows of one document; a rank that falls as time
goes on; or, within one period (rules/linking.json ``period_days``), two
different provinces, two different armed forces, or an officer and a
civilian. Offices above every force and province ("Thủ tướng", "Tổng Bí
thư", "Ủy viên Bộ Chính trị") contradict nothing at the time, but careers do
not go back: a civilian does not later become an officer, nor a national
leader later a province's official. A partial name never links.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pipeline.linking.provinces import load_gazetteer
from pipeline.rules import load_rules
from pipeline.text.normalize import canonical


@dataclass
class Sighting:
    """One officials row with what it says about the person: when, rank, where, in which force."""

    index: int                  # the row's place in officials
    doc_id: str
    name: str
    day: date | None
    rank: str | None
    positions: list[str]
    person_id: str | None = None
    provinces: frozenset = frozenset()
    forces: frozenset = frozenset()
    civilian: bool = False
    national: bool = False

    @property
    def key(self) -> str:
        return name_key(self.name)


@dataclass
class Person:
    """The sightings linked into one person, under one id."""

    person_id: str
    sightings: list[Sighting] = field(default_factory=list)


def name_key(name: str) -> str:
    """The form two written names must share to be one name: tone marks in one place, case and spaces folded."""
    return " ".join(canonical(name).casefold().split())


class Evidence:
    """What positions and ranks say, by the lists of rules/linking.json."""

    def __init__(self, rules_path: str | None = None):
        settings = load_rules(rules_path).settings("linking")
        self.levels = {name_key(k): v for k, v in settings["rank_levels"].items()}
        self.forces = {force: [w.casefold() for w in words] for force, words in settings["forces"].items()}
        self.civilian_words = [w.casefold() for w in settings["civilian"]]
        self.national = [w.casefold() for w in settings["national"]]
        self.period = settings["period_days"]
        self.gazetteer = load_gazetteer(rules_path)

    def describe(self, sighting: Sighting) -> Sighting:
        """``sighting`` with its provinces, forces and civilian office read from its positions."""
        provinces, forces, civilian = set(), set(), False
        for position in sighting.positions:
            folded = canonical(position).casefold()
            if any(_has_word(folded, w) for w in self.national):
                sighting.national = True
                continue
            provinces.update(p.name for _, p in self.gazetteer.find(position))
            found = {f for f, words in self.forces.items() if any(w in folded for w in words)}
            forces |= found
            civilian = civilian or (not found and any(_has_word(folded, w) for w in self.civilian_words))
        sighting.provinces, sighting.forces = frozenset(provinces), frozenset(forces)
        sighting.civilian = civilian and not sighting.rank
        return sighting

    def level(self, rank: str | None) -> int | None:
        return self.levels.get(name_key(rank)) if rank else None

    def contradicts(self, a: Sighting, b: Sighting) -> bool:
        """Whether ``a`` and ``b`` cannot be one person."""
        if a.doc_id == b.doc_id:
            return True
        if self._rank_falls(a, b) or _falls(a, b) or _falls(b, a):
            return True
        if a.day and b.day and abs((a.day - b.day).days) > self.period:
            return False
        if a.provinces and b.provinces and not a.provinces & b.provinces:
            return True
        if a.forces and b.forces and not a.forces & b.forces:
            return True
        return _officer(a) and b.civilian or _officer(b) and a.civilian

    def _rank_falls(self, a: Sighting, b: Sighting) -> bool:
        la, lb = self.level(a.rank), self.level(b.rank)
        if la is None or lb is None or not (a.day and b.day) or a.day == b.day:
            return False
        return (la > lb) if a.day < b.day else (lb > la)


def _falls(earlier: Sighting, later: Sighting) -> bool:
    """Careers do not go back: a civilian does not become an officer, nor a national leader a
    province's official."""
    if not (earlier.day and later.day and earlier.day < later.day):
        return False
    if earlier.civilian and _officer(later):
        return True
    return earlier.national and not earlier.provinces and bool(later.provinces) and not later.national


def _officer(s: Sighting) -> bool:
    return bool(s.rank or s.forces)


def _has_word(folded: str, word: str) -> bool:
    at = folded.find(word)
    while at >= 0:
        end = at + len(word)
        if (at == 0 or not folded[at - 1].isalnum()) and (end == len(folded) or not folded[end].isalnum()):
            return True
        at = folded.find(word, at + 1)
    return False


def link_people(sightings: list[Sighting], evidence: Evidence, taken: set[str]) -> list[Person]:
    """Group sightings into people. A sighting that has a person_id keeps it; the others join the first
    person of their name nothing contradicts (in order of day), or start a new one with a new id."""
    people: dict[str, Person] = {}
    for s in sightings:
        if s.person_id:
            people.setdefault(s.person_id, Person(s.person_id)).sightings.append(s)
    by_name: dict[str, list[Person]] = {}
    for person in people.values():
        by_name.setdefault(person.sightings[0].key, []).append(person)
    for s in sorted((s for s in sightings if not s.person_id), key=_order):
        candidates = by_name.setdefault(s.key, [])
        person = next((p for p in candidates if not any(evidence.contradicts(s, o) for o in p.sightings)), None)
        if person is None:
            person = Person(new_id(s.name, taken))
            candidates.append(person)
            people[person.person_id] = person
        s.person_id = person.person_id
        person.sightings.append(s)
    return list(people.values())


def _order(s: Sighting):
    return (s.day or date.max, s.index)


def new_id(name: str, taken: set[str]) -> str:
    """A readable id not yet taken: "to-lam", then "to-lam-2"."""
    base = slug(name) or "person"
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


def slug(text: str) -> str:
    """Lower-case ASCII words joined by "-": "Bà Rịa - Vũng Tàu" → "ba-ria-vung-tau"."""
    import unicodedata

    text = canonical(text).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


@lru_cache(maxsize=4)
def load_evidence(rules_path: str | None = None) -> Evidence:
    """The :class:`Evidence` of ``rules_path`` (default rules), built once per process."""
    return Evidence(rules_path)
