"""The tables in, the linked tables out: people, units, cluster members, person and unit ids.

:func:`link_rows` works on row dicts in memory (``pipeline.extract``, the web
page); :func:`link_output` on an output folder, in place. Both keep the ids
the rows already hold, so linking again after ``--append`` gives every
person and unit seen before the id it had.
"""
from __future__ import annotations

import os
from collections import Counter
from datetime import date
from functools import lru_cache
from typing import Iterable

from pipeline.linking.people import Person, Sighting, link_people, load_evidence, name_key, new_id, slug
from pipeline.linking.provinces import Province, load_gazetteer
from pipeline.linking.recipients import PERSON, UNIT, load_splitter
from pipeline.linking.units import Unit, load_unit_names
from pipeline.nlp.pattern_cache import cached_patterns
from pipeline.schema import LIST_SEP, TABLE_COLUMNS
from pipeline.text.days import whole_day


class Context:
    """Per document: its day and the province it plainly reports from."""

    def __init__(self, documents: list[dict], texts: dict[str, str], rules_path: str | None = None,
                 provinces: dict[str, Province | None] | None = None):
        gazetteer = load_gazetteer(rules_path)
        known = provinces or {}
        self.days: dict[str, date | None] = {}
        self.provinces: dict[str, Province | None] = {}
        for d in documents:
            day = whole_day(d.get("event_date")) or whole_day(d.get("published"))
            self.days[d["doc_id"]] = date.fromisoformat(day) if day else None
            if d["doc_id"] in known:
                self.provinces[d["doc_id"]] = known[d["doc_id"]]
                continue
            text = texts.get(d["doc_id"]) or d.get("title") or ""
            self.provinces[d["doc_id"]] = gazetteer.article_province(text)


def article_provinces(texts: Iterable[tuple[str, str]], rules_path: str | None = None) -> dict[str, Province | None]:
    """The province each (doc_id, text) plainly reports from: found while a run goes on, so that linking at
    its end (``provinces`` of :func:`link_output`) does not read every text again by itself."""
    gazetteer = load_linking(rules_path)[0]
    return {doc_id: gazetteer.article_province(text) for doc_id, text in texts if text}


class UnitRegistry:
    """Units by canonical name, with the ids they already had and every form seen."""

    def __init__(self, held: list[dict], rules_path: str | None = None):
        self.names = load_unit_names(rules_path)
        self.ids = {r["name"]: r["unit_id"] for r in held if r.get("unit_id") and r.get("name")}
        self.taken = set(self.ids.values())
        self.units: dict[str, Unit] = {}
        self.aliases: dict[str, list[str]] = {}

    def add(self, written: str, province: Province | None, doc_id: str) -> str:
        """The unit_id of the unit ``written`` in document ``doc_id``, an article about ``province``."""
        unit = self.names.unit(written, province)
        key = unit.name
        if self.names.is_bare(unit.name):
            # "Công an tỉnh" of an article that does not say which: its own unit, never another article's.
            key = f"{unit.name} ({doc_id})"
            self.ids.setdefault(key, f"{slug(unit.name)}--{slug(doc_id)}")
        elif key not in self.ids:
            self.ids[key] = new_id(unit.name, self.taken)
        self.units.setdefault(key, unit)
        forms = self.aliases.setdefault(key, [])
        if " ".join(written.split()) not in forms:
            forms.append(" ".join(written.split()))
        return self.ids[key]

    def rows(self) -> list[dict]:
        """One units row per unit, by unit_id."""
        return [{"unit_id": self.ids[k], "name": u.name, "kind": u.kind, "province": u.province,
                 "province_2025": u.province_2025, "aliases": LIST_SEP.join(self.aliases[k])}
                for k, u in sorted(self.units.items(), key=lambda item: self.ids[item[0]])]


@lru_cache(maxsize=4)
def load_linking(rules_path: str | None = None) -> tuple:
    """What linking reads from the rules (provinces, recipients, unit names, person evidence), built once
    per process, its expressions compiled by an earlier start read from disk."""
    with cached_patterns("linking"):
        return (load_gazetteer(rules_path), load_splitter(rules_path), load_unit_names(rules_path),
                load_evidence(rules_path))


def link_rows(rows: dict[str, list[dict]], texts: dict[str, str] | None = None,
              rules_path: str | None = None, provinces: dict[str, Province | None] | None = None) -> dict[str, list[dict]]:
    """Every table of ``rows`` linked across documents (a new dict; ``rows`` is left as it was).

    ``texts`` (doc_id → text) lets a bare "Công an tỉnh" take the article's province; ``provinces`` holds
    the provinces of documents already found (:func:`article_provinces`).
    """
    load_linking(rules_path)
    context = Context([d for d in rows["documents"] if d.get("status") in (None, "ok")], texts or {}, rules_path,
                      provinces)
    out = {name: list(rows.get(name, [])) for name in TABLE_COLUMNS}
    officials, people = _link_officials(out["officials"], context, rules_path)
    out["officials"], out["people"] = officials, people
    units = UnitRegistry(rows.get("units", []), rules_path)
    out["titles"] = _link_titles(out["titles"], officials, context, units, rules_path)
    out["cluster_members"] = _cluster_members(out["clusters"], context, units)
    out["units"] = units.rows()
    return out


def _link_officials(officials: list[dict], context: Context, rules_path) -> tuple[list[dict], list[dict]]:
    evidence, names = load_evidence(rules_path), load_unit_names(rules_path)
    sightings = []
    for index, row in enumerate(officials):
        province = context.provinces.get(row["doc_id"])
        positions = [names.resolve_bare(p.strip(), province) for p in (row.get("position") or "").split(";") if p.strip()]
        sightings.append(evidence.describe(Sighting(index, row["doc_id"], row["name"], context.days.get(row["doc_id"]),
                                                    row.get("rank"), positions, row.get("person_id") or None)))
    taken = {s.person_id for s in sightings if s.person_id}
    people = link_people(sightings, evidence, taken)
    linked = [dict(row, person_id=s.person_id) for row, s in zip(officials, sightings)]
    return linked, sorted((_person_row(p) for p in people), key=lambda r: r["person_id"])


def _person_row(person: Person) -> dict:
    seen = sorted(person.sightings, key=lambda s: (s.day or date.max, s.index))
    days = [s.day for s in seen if s.day]
    name = Counter(s.name for s in seen).most_common(1)[0][0]
    return {"person_id": person.person_id, "name": name,
            "ranks": LIST_SEP.join(_distinct(s.rank for s in seen)) or None,
            "positions": LIST_SEP.join(_distinct(p for s in seen for p in s.positions)) or None,
            "documents": len({s.doc_id for s in seen}),
            "first_day": min(days).isoformat() if days else None,
            "last_day": max(days).isoformat() if days else None}


def _distinct(values) -> list[str]:
    out, seen = [], set()
    for value in values:
        if value and name_key(value) not in seen:
            seen.add(name_key(value))
            out.append(value)
    return out


def _link_titles(titles: list[dict], officials: list[dict], context: Context, units: UnitRegistry,
                 rules_path) -> list[dict]:
    splitter = load_splitter(rules_path)
    by_doc: dict[str, list[dict]] = {}
    for row in officials:
        by_doc.setdefault(row["doc_id"], []).append(row)
    out = []
    for row in titles:
        province = context.provinces.get(row["doc_id"])
        if row.get("recipient_kind"):  # linked before: split already, keep its ids (a unit's is re-read)
            if row["recipient_kind"] == UNIT and row.get("recipient"):
                row = dict(row, recipient_unit_id=units.add(row["recipient"], province, row["doc_id"]))
            out.append(row)
            continue
        recipients = splitter.split(row.get("recipient"))
        if not recipients:
            out.append(dict(row, recipient_kind=None, recipient_unit_id=None, recipient_person_id=None))
        for r in recipients:
            unit_id = units.add(r.text, province, row["doc_id"]) if r.kind == UNIT else None
            person_id = _person_named(r.text, by_doc.get(row["doc_id"], [])) if r.kind == PERSON else None
            out.append(dict(row, recipient=r.text, recipient_kind=r.kind, recipient_unit_id=unit_id,
                            recipient_person_id=person_id))
    return out


def _person_named(text: str, officials: list[dict]) -> str | None:
    """The person_id of the document's official whose full name the recipient holds (the longest)."""
    key = name_key(text)
    named = [o for o in officials if name_key(o["name"]) in key]
    return max(named, key=lambda o: len(o["name"]))["person_id"] if named else None


def _cluster_members(clusters: list[dict], context: Context, units: UnitRegistry) -> list[dict]:
    out = []
    for row in clusters:
        province = context.provinces.get(row["doc_id"])
        written = [(m, "member") for m in (row.get("members") or "").split(LIST_SEP)]
        written += [(row.get("leader"), "leader"), (row.get("deputy"), "deputy")]
        for unit, role in written:
            if unit and unit.strip():
                out.append({"doc_id": row["doc_id"], "cluster_name": row["name"], "unit_id": units.add(unit, province, row["doc_id"]),
                            "unit": unit.strip(), "role": role})
    return out


def link_output(out: str | os.PathLike, rules_path: str | None = None,
                provinces: dict[str, Province | None] | None = None) -> dict[str, int]:
    """Link the output in folder ``out`` in place: people, units and cluster_members written, officials and
    titles rewritten with their ids. Ids already there are kept. Returns the number of rows of each.
    ``provinces``: the documents' provinces found during the run (the others are found here)."""
    from pipeline.io.frames import read_rows, read_texts, table_path, write_rows

    documents = table_path(out, "documents")
    if documents is None:
        raise FileNotFoundError(f"{out} holds no documents table; run `vnie extract ... -o {out}` first")
    fmt = "parquet" if documents.suffix == ".parquet" else "csv"
    names = ["documents", "officials", "titles", "clusters", "units"]
    rows = {name: read_rows(out, name) for name in names}
    # The texts are read for the provinces of the documents the run did not find them for (held ones).
    missing = None if provinces is None else {d["doc_id"] for d in rows["documents"]} - provinces.keys()
    linked = link_rows(rows, read_texts(out, only=missing), rules_path, provinces)
    written = {}
    for name in ("officials", "titles", "people", "units", "cluster_members"):
        write_rows(out, name, linked[name], fmt)
        written[name] = len(linked[name])
    return written
