"""Pairwise precision and recall of person and unit linking against a gold of links.

The gold (``corpus/linking/links.gold.jsonl``) holds one object per real
person or unit: ``{"kind": "person"|"unit", "name": ..., "mentions": [[doc_id,
written], ...]}``, where ``written`` is an officials name, a cluster member as
written or a title's recipient. Every pair of gold mentions counts: linked
by the output and one entity in the gold is a true positive, linked but two
entities a false positive, one entity but not linked a false negative.
"""
from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path


def read_links(path: str | Path) -> list[dict]:
    """The gold entities of a links file."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def predicted_ids(tables: dict) -> dict[str, dict[tuple[str, str], str]]:
    """(doc_id, written) → id, for people (officials) and units (cluster members and unit recipients)."""
    people = {(r["doc_id"], r["name"]): r["person_id"] for r in tables["officials"] if r.get("person_id")}
    units = {(r["doc_id"], r["unit"]): r["unit_id"] for r in tables["cluster_members"] if r.get("unit_id")}
    units.update({(r["doc_id"], r["recipient"]): r["recipient_unit_id"] for r in tables["titles"]
                  if r.get("recipient_unit_id")})
    return {"person": people, "unit": units}


def pairwise(entities: list[dict], predicted: dict[tuple[str, str], str]) -> dict:
    """Pair counts, precision and recall of ``predicted`` ids over the mentions of ``entities``."""
    mentions = [(tuple(m), i) for i, e in enumerate(entities) for m in e["mentions"]]
    tp = fp = fn = 0
    for (a, gold_a), (b, gold_b) in combinations(mentions, 2):
        linked = a in predicted and predicted.get(a) == predicted.get(b)
        if linked and gold_a == gold_b:
            tp += 1
        elif linked:
            fp += 1
        elif gold_a == gold_b:
            fn += 1
    return {"mentions": len(mentions), "pairs": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0}


def score_links(gold_path: str | Path, tables: dict) -> dict[str, dict]:
    """``{"person": {...}, "unit": {...}}``: :func:`pairwise` of each kind of entity in the gold."""
    gold = read_links(gold_path)
    predicted = predicted_ids(tables)
    return {kind: pairwise([e for e in gold if e["kind"] == kind], predicted[kind]) for kind in ("person", "unit")}


def missing(gold_path: str | Path, tables: dict) -> list[tuple[str, str, str]]:
    """The gold mentions the output does not hold at all: (kind, doc_id, written)."""
    predicted = predicted_ids(tables)
    return [(e["kind"], *m) for e in read_links(gold_path) for m in e["mentions"]
            if tuple(m) not in predicted[e["kind"]]]
