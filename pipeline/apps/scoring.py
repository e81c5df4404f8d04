"""Accuracy against gold annotations, by the rules of SCHEMA.md ("Scoring").

Gold and predictions are read into the same shape (one record per document, as
in ``*.gold.jsonl``); each field kind has its own matcher, which adds true
positives, false positives and false negatives to the field's :class:`FieldScore`
and notes what it missed or added. Counts are summed over all documents (micro
precision, recall and F1). ``tests/test_scoring.py`` checks that every figure
agrees with the workspace's reference scorer.
"""
from __future__ import annotations

import csv
import json
import os
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

import regex

from pipeline.schema import LIST_SEP
from pipeline.text.normalize import fold_tones
from pipeline.text.numbers import parse_vn_number

FIELDS = ("officials", "officials.rank", "officials.position", "dates", "years", "periods", "published",
          "event_date", "clusters", "clusters.members", "titles", "award_counts", "award_counts.title")
HEADLINE_FIELDS = ("officials", "officials.rank", "dates", "event_date", "clusters", "titles", "award_counts")
POSITION_MIN_F1 = 0.6
NAME_MIN_JACCARD = 0.5
PUBLISHED_CHARS = 16  # published is compared to the minute at most: "YYYY-MM-DDTHH:MM"

_QUOTES_RE = regex.compile(r"[\"“”‘’']")
_SPACES_RE = regex.compile(r"\s+")
_TOKEN_SEPARATORS_RE = regex.compile(r"[\s,;.()\-–/|]+")
_UNIT_SEPARATORS_RE = regex.compile(r",|\bvà\b")
_YEAR_PERIOD_RE = regex.compile(r"\d{4}/\d{4}")
_DAY_RE = regex.compile(r"\d{4}-\d{2}-\d{2}.*")
_DAY_RANGE_RE = regex.compile(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}")

csv.field_size_limit(1 << 30)  # a long article's text or member list in one cell


# --- Figures -------------------------------------------------------------------------------------

@dataclass
class FieldScore:
    """True positives, false positives and false negatives of one field, and what they make."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int = 0, fp: int = 0, fn: int = 0) -> None:
        """Count more matches, extras and misses."""
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def judge(self, right: bool) -> None:
        """One predicted value checked against one gold value: right, or both an extra and a miss."""
        self.add(tp=int(right), fp=int(not right), fn=int(not right))

    @property
    def precision(self) -> float:
        """Share of predictions that are right; nothing predicted and nothing to find is perfect."""
        if self.tp + self.fp:
            return self.tp / (self.tp + self.fp)
        return 0.0 if self.fn else 1.0

    @property
    def recall(self) -> float:
        """Share of the gold that was found; nothing to find is perfect."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        """The figures as reported: rates to four places, then the counts."""
        return {"p": round(self.precision, 4), "r": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Report:
    """Every field's score, and each gold document's misses and extras, in the order found."""

    scores: dict[str, FieldScore] = field(default_factory=lambda: {f: FieldScore() for f in FIELDS})
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def headline(self) -> float:
        """Mean F1 of the headline fields, from the F1s as reported (four places)."""
        return round(sum(round(self.scores[f].f1, 4) for f in HEADLINE_FIELDS) / len(HEADLINE_FIELDS), 4)

    def as_dict(self) -> dict:
        """``{field: {p, r, f1, tp, fp, fn}, ..., "headline": mean F1}``."""
        result = {name: score.as_dict() for name, score in self.scores.items()}
        result["headline"] = self.headline
        return result


# --- Comparing values ----------------------------------------------------------------------------

def norm(value) -> str:
    """The form values are compared in: NFC, case folded, no quotes, single spaces, one tone placement."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).casefold()
    text = _SPACES_RE.sub(" ", _QUOTES_RE.sub("", text)).strip(" .,;:")
    return fold_tones(text)


def unit_key(unit) -> str:
    """A counted unit without commas and "và": "tập thể, cá nhân" = "tập thể và cá nhân"."""
    return " ".join(_UNIT_SEPARATORS_RE.sub(" ", norm(unit)).split())


def tokens(value) -> list[str]:
    """The words of a normalised value, punctuation dropped."""
    return [t for t in _TOKEN_SEPARATORS_RE.split(norm(value)) if t]


def token_f1(gold, pred) -> float:
    """F1 of the two values' tokens, each token of one matching at most one of the other."""
    gold_tokens, pred_tokens = tokens(gold), tokens(pred)
    if not gold_tokens or not pred_tokens:
        return float(not gold_tokens and not pred_tokens)
    left = list(pred_tokens)
    common = 0
    for token in gold_tokens:
        if token in left:
            left.remove(token)
            common += 1
    if not common:
        return 0.0
    precision, recall = common / len(gold_tokens), common / len(pred_tokens)
    return 2 * precision * recall / (precision + recall)


def token_jaccard(a, b) -> float:
    """Shared distinct tokens over all distinct tokens; two empty values are the same."""
    a_tokens, b_tokens = set(tokens(a)), set(tokens(b))
    union = a_tokens | b_tokens
    return len(a_tokens & b_tokens) / len(union) if union else 1.0


def as_int(value) -> int | None:
    """A count or number from JSON or a CSV cell ("1.027" → 1027), or None."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    try:
        return parse_vn_number(str(value))
    except ValueError:
        return None


# --- Matching ------------------------------------------------------------------------------------

@dataclass
class Matching:
    """Gold items paired one to one with predicted ones, and what is left on each side."""

    pairs: list[tuple]
    missed: list
    extra: list

    def record(self, score: FieldScore, errors: list[str], missed: Callable[[object], str],
               extra: Callable[[object], str]) -> None:
        """Add the pairs, extras and misses to ``score``; note each miss and extra as ``missed``/``extra`` word it."""
        score.add(len(self.pairs), len(self.extra), len(self.missed))
        errors += [missed(item) for item in self.missed] + [extra(item) for item in self.extra]


def match_greedy(gold: list, pred: list, same: Callable[[object, object], bool]) -> Matching:
    """Pair each gold item, in order, with the first predicted item still free that is the ``same``."""
    pairs, missed, left = [], [], list(pred)
    for item in gold:
        hit = next((p for p in left if same(item, p)), None)
        if hit is None:
            missed.append(item)
        else:
            left.remove(hit)
            pairs.append((item, hit))
    return Matching(pairs, missed, left)


def match_by_key(gold: list, pred: list, key: Callable) -> Matching:
    """The distinct items of each side (by ``key``), paired when their keys are equal."""
    return match_greedy(distinct(gold, key), distinct(pred, key), lambda a, b: key(a) == key(b))


def distinct(items: list, key: Callable) -> list:
    """``items`` without repeats by ``key``, first kept."""
    seen, out = set(), []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def official_key(official: dict) -> str:
    return norm(official["name"])


def count_key(count: dict) -> tuple:
    return as_int(count.get("count")), unit_key(count.get("unit"))


def cluster_key(cluster: dict) -> tuple:
    return norm(cluster.get("kind")), cluster.get("number"), norm(cluster.get("name"))


def same_cluster(gold: dict, pred: dict) -> bool:
    """Same kind and number; without a number on either side, names that share half their tokens."""
    if norm(gold.get("kind")) != norm(pred.get("kind")):
        return False
    if gold.get("number") is not None or pred.get("number") is not None:
        return gold.get("number") == pred.get("number")
    return token_jaccard(gold.get("name"), pred.get("name")) >= NAME_MIN_JACCARD


def same_member(gold: str, pred: str) -> bool:
    return token_jaccard(gold, pred) >= NAME_MIN_JACCARD


# --- One matcher per field kind ------------------------------------------------------------------
# Each takes the gold and predicted records of one document, the report's scores and the
# document's error list.

def score_officials(gold: dict, pred: dict, scores: dict[str, FieldScore], errors: list[str]) -> None:
    """People by name; then the rank and the position of each person found."""
    matching = match_by_key(gold.get("officials", []), pred.get("officials", []), official_key)
    matching.record(scores["officials"], errors, lambda o: f"official missed: {o['name']}",
                    lambda o: f"official extra: {o['name']}")
    for g, p in matching.pairs:
        score_rank(g, p, scores["officials.rank"], errors)
        if g.get("position"):
            score_position(g, p, scores["officials.position"], errors)


def score_rank(gold: dict, pred: dict, score: FieldScore, errors: list[str]) -> None:
    """The rank of a matched person: equal, an empty one equal only to an empty one."""
    right = norm(gold.get("rank")) == norm(pred.get("rank"))
    score.judge(right)
    if not right:
        errors.append(f"rank of {gold['name']}: gold {gold.get('rank')!r} got {pred.get('rank')!r}")


def score_position(gold: dict, pred: dict, score: FieldScore, errors: list[str]) -> None:
    """The positions of a matched person: right when their tokens overlap with F1 ≥ 0.6."""
    right = token_f1(gold.get("position"), pred.get("position")) >= POSITION_MIN_F1
    score.judge(right)
    if not right:
        errors.append(f"position of {gold['name']}: gold {gold.get('position')!r} got {pred.get('position')!r}")


def score_value_set(name: str, gold: dict, pred: dict, score: FieldScore, errors: list[str]) -> None:
    """Values compared as sets (dates, years, periods, titles): each distinct value once."""
    gold_values, pred_values = set(map(norm, gold)), set(map(norm, pred))
    score.add(len(gold_values & pred_values), len(pred_values - gold_values), len(gold_values - pred_values))
    errors += [f"{name} missed: {v}" for v in sorted(gold_values - pred_values)]
    errors += [f"{name} extra: {v}" for v in sorted(pred_values - gold_values)]


def score_document_value(name: str, gold: dict, pred: dict, score: FieldScore, errors: list[str]) -> None:
    """One value per document (published, event_date): equal, and two empty values agree."""
    gold_value, pred_value = norm(gold.get(name)), norm(pred.get(name))
    if name == "published":
        gold_value, pred_value = gold_value[:PUBLISHED_CHARS], pred_value[:PUBLISHED_CHARS]
    right = gold_value == pred_value
    score.add(tp=int(right), fp=int(not right and bool(pred_value)), fn=int(not right and bool(gold_value)))
    if not right:
        errors.append(f"{name}: gold {gold.get(name)!r} got {pred.get(name)!r}")


def score_clusters(gold: dict, pred: dict, scores: dict[str, FieldScore], errors: list[str]) -> None:
    """Clusters by kind and number (or name), then the members of each cluster found."""
    matching = match_greedy(gold.get("clusters", []), distinct(pred.get("clusters", []), cluster_key), same_cluster)
    matching.record(scores["clusters"], errors, lambda c: f"cluster missed: {c.get('name')}",
                    lambda c: f"cluster extra: {c.get('name')}")
    for g, p in matching.pairs:
        members = match_greedy(g.get("members") or [], p.get("members") or [], same_member)
        members.record(scores["clusters.members"], errors, lambda m: f"member missed in {g.get('name')}: {m}",
                       lambda m: f"member extra: {m}")


def score_award_counts(gold: dict, pred: dict, scores: dict[str, FieldScore], errors: list[str]) -> None:
    """Counts by (count, unit); then the title each count found counts."""
    matching = match_by_key(gold.get("award_counts", []), pred.get("award_counts", []), count_key)
    matching.record(scores["award_counts"], errors, lambda a: f"count missed: {count_key(a)}",
                    lambda a: f"count extra: {count_key(a)}")
    for g, p in matching.pairs:
        right = norm(g.get("title")) == norm(p.get("title"))
        scores["award_counts.title"].judge(right)
        if not right:
            errors.append(f"title of count {count_key(g)}: gold {g.get('title')!r} got {p.get('title')!r}")


def score_document(gold: dict, pred: dict, scores: dict[str, FieldScore]) -> list[str]:
    """Add one document's figures to ``scores``; return what it missed and added."""
    errors: list[str] = []
    score_officials(gold, pred, scores, errors)
    for name in ("dates", "years", "periods"):
        score_value_set(name, gold.get(name, []), pred.get(name, []), scores[name], errors)
    for name in ("published", "event_date"):
        score_document_value(name, gold, pred, scores[name], errors)
    score_clusters(gold, pred, scores, errors)
    titles = [[t["title"] for t in record.get("titles", [])] for record in (gold, pred)]
    score_value_set("title", titles[0], titles[1], scores["titles"], errors)
    score_award_counts(gold, pred, scores, errors)
    return errors


def score(gold: dict[str, dict], pred: dict[str, dict]) -> Report:
    """Score every gold document against its prediction (none predicted: every gold value missed)."""
    report = Report()
    for doc_id, gold_record in gold.items():
        report.errors[doc_id] = score_document(gold_record, pred.get(doc_id, {}), report.scores)
    return report


# --- Reading gold and predictions ----------------------------------------------------------------

def read_gold(path: str | os.PathLike) -> dict[str, dict]:
    """A ``*.gold.jsonl`` file (or predictions in the same format), by doc_id."""
    records = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                records[record["doc_id"]] = record
    return records


def read_csv(folder: str | os.PathLike, name: str) -> list[dict]:
    """The rows of one table of an output folder; a missing table has none."""
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def split_cell(cell) -> list[str]:
    """The items of a list cell ("A | B")."""
    if isinstance(cell, list):
        return cell
    return [item.strip() for item in str(cell or "").split(LIST_SEP) if item.strip()]


def date_values(value: str, granularity: str) -> list[tuple[str, str]]:
    """The gold fields a dates.csv row stands for: ("dates", day), ("years", year) or ("periods", span)."""
    if granularity in ("datetime", "date"):
        return [("dates", value[:10])]
    if granularity == "year":
        return [("years", value[:4])]
    if granularity == "period":
        if _YEAR_PERIOD_RE.fullmatch(value):
            return [("periods", value)]
        return [("dates", part[:10]) for part in value.split("/") if _DAY_RE.fullmatch(part)]  # a day range
    if _DAY_RANGE_RE.fullmatch(value):
        return [("dates", part) for part in value.split("/")]
    return []


def empty_record() -> dict:
    return {"officials": [], "dates": [], "years": [], "periods": [], "clusters": [], "titles": [],
            "award_counts": []}


def read_tables(folder: str | os.PathLike) -> dict[str, dict]:
    """An output folder of ``vnie extract``, as gold-shaped records by doc_id."""
    records: dict[str, dict] = defaultdict(empty_record)
    for row in read_csv(folder, "documents.csv"):
        records[row["doc_id"]].update(doc_id=row["doc_id"], published=row.get("published") or None,
                                      event_date=row.get("event_date") or None, author=row.get("author") or None,
                                      status=row.get("status"))
    for row in read_csv(folder, "officials.csv"):
        records[row["doc_id"]]["officials"].append(
            {"name": row.get("name"), "rank": row.get("rank") or None, "position": row.get("position") or None})
    for row in read_csv(folder, "dates.csv"):
        for name, value in date_values((row.get("value") or "").strip(), (row.get("granularity") or "").strip()):
            records[row["doc_id"]][name].append(value)
    for row in read_csv(folder, "clusters.csv"):
        records[row["doc_id"]]["clusters"].append(
            {"kind": row.get("kind"), "number": as_int(row.get("number")), "name": row.get("name"),
             "parent": row.get("parent"), "members": split_cell(row.get("members")), "leader": row.get("leader")})
    for row in read_csv(folder, "titles.csv"):
        records[row["doc_id"]]["titles"].append({"title": row.get("title"), "recipient": row.get("recipient") or None})
    for row in read_csv(folder, "award_counts.csv"):
        records[row["doc_id"]]["award_counts"].append(
            {"count": as_int(row.get("count")), "total": as_int(row.get("total")), "unit": row.get("unit"),
             "title": row.get("title")})
    return dict(records)


def read_predictions(path: str | os.PathLike) -> dict[str, dict]:
    """Predictions: a gold-format ``.jsonl`` file, or an output folder."""
    return read_gold(path) if str(path).endswith(".jsonl") else read_tables(path)
