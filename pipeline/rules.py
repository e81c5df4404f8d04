"""Load the Vietnamese knowledge in ``rules/``: gazetteers, word lists and patterns.

Everything here is data a linguist can edit without touching Python. Files are
read once per process and shared by every component.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from .textnorm import fold_tones


def rules_dir() -> Path:
    """Where the rule files live: ``$VNIE_RULES``, the source checkout, or the installed package."""
    env = os.environ.get("VNIE_RULES")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "rules", here / "rules_data"):
        if (candidate / "ranks.txt").exists():
            return candidate
    raise FileNotFoundError(f"rules/ not found next to {here}; set VNIE_RULES to its path")


def read_list(path: Path) -> list[str]:
    """Read a word list: one entry per line, '#' starts a comment, blank lines ignored."""
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if line:
            items.append(fold_tones(line))
    return items


def read_jsonl(path: Path) -> list[dict]:
    """Read a JSONL rule file, one record per line."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON: {exc}") from exc
    return records


def alternation(words, flags: str = "") -> str:
    """A regex alternation of literal ``words``, longest first, inner spaces matching any space."""
    parts = []
    for w in sorted(set(words), key=len, reverse=True):
        parts.append(regex.escape(fold_tones(w)).replace(r"\ ", r"\s+"))
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class Rules:
    """All rule files, parsed."""

    path: Path
    ranks: list[str]
    surnames: list[str]
    position_heads: list[str]
    provinces: list[dict]
    conferrers: list[dict]
    abbreviations: dict[str, str]
    titles: list[dict]
    award_units: list[str]
    award_cues: list[str]
    count_phrases: list[str]
    name_stoplist: list[str]
    name_contexts: list[str]
    list_intros: list[str]
    boilerplate: list[str]
    cluster_parents: list[str]
    org_heads: list[str]
    position_stops: list[str]
    academic_titles: list[str]
    not_participants: list[str]
    named_after: list[str]
    conferrer_bodies: list[str]
    cities: list[str]
    non_award_objects: list[str]
    dates: dict = field(default_factory=dict)
    clusters: dict = field(default_factory=dict)
    title_cues: dict = field(default_factory=dict)
    count_qualifiers: list[str] = field(default_factory=list)

    def file(self, name: str) -> Path:
        return self.path / name


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> Rules:
    """Load every rule file from ``path`` (default: :func:`rules_dir`)."""
    base = Path(path) if path else rules_dir()
    return Rules(
        path=base,
        ranks=read_list(base / "ranks.txt"),
        surnames=read_list(base / "surnames.txt"),
        position_heads=read_list(base / "position_heads.txt"),
        provinces=read_jsonl(base / "provinces.jsonl"),
        conferrers=read_jsonl(base / "conferrers.jsonl"),
        abbreviations={r["abbr"]: r["expansion"] for r in read_jsonl(base / "abbreviations.jsonl")},
        titles=read_jsonl(base / "titles.jsonl"),
        award_units=read_list(base / "award_units.txt"),
        award_cues=read_list(base / "award_cues.txt"),
        count_phrases=read_list(base / "count_phrases.txt"),
        name_stoplist=read_list(base / "name_stoplist.txt"),
        cities=read_list(base / "cities.txt"),
        conferrer_bodies=read_list(base / "conferrer_bodies.txt"),
        named_after=read_list(base / "named_after.txt"),
        name_contexts=read_list(base / "name_contexts.txt"),
        list_intros=read_list(base / "list_intros.txt"),
        boilerplate=[line for line in (base / "boilerplate.txt").read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#")],
        cluster_parents=read_list(base / "cluster_parents.txt"),
        org_heads=read_list(base / "org_heads.txt"),
        position_stops=read_list(base / "position_stops.txt"),
        academic_titles=read_list(base / "academic_titles.txt"),
        not_participants=read_list(base / "not_participants.txt"),
        non_award_objects=read_list(base / "non_award_objects.txt"),
        dates=json.loads((base / "dates.json").read_text(encoding="utf-8")),
        clusters=json.loads((base / "clusters.json").read_text(encoding="utf-8")),
        title_cues=json.loads((base / "title_cues.json").read_text(encoding="utf-8")),
        count_qualifiers=read_list(base / "count_qualifiers.txt"),
    )
