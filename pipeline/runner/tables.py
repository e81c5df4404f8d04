"""Build the output tables from processed Docs: the one place rows are made."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.nlp.values import AwardCount, Cluster, DateMention, Official, Title
from pipeline.schema import LIST_SEP, empty_tables
from pipeline.text.days import day_range

if TYPE_CHECKING:
    from spacy.tokens import Doc


# Spans that go to mentions.csv, with the value written for each. "orgs" and "positions" are
# filled by pipeline/nlp/organisations.py, which is not yet one of the pipeline's stages.
MENTION_KEYS = ["officials", "official_mentions", "positions", "dates", "clusters", "titles", "award_counts", "orgs",
                "author"]


def doc_rows(doc: Doc) -> dict[str, list[dict]]:
    """Every table's rows for one processed document."""
    # spaCy (through extensions) only where a Doc is read: a run's main process with workers never imports it
    from pipeline.nlp.extensions import char_range
    doc_id = doc._.doc_id
    rows = empty_tables()
    rows["documents"].append({
        "doc_id": doc_id, "source": doc._.source, "title": doc._.title, "published": doc._.published,
        "event_date": doc._.event_date, "author": doc._.author, "status": "ok", "error": None,
    })
    for span in doc.spans.get("officials", []):
        o = span._.value
        rows["officials"].append({"doc_id": doc_id, "name": o.name, "rank": o.rank, "position": o.position,
                                  "mentions": o.mentions, "start": o.start, "end": o.end})
    for span in doc.spans.get("dates", []):
        d = span._.value
        start, end = char_range(span)
        first_day, last_day = day_range(d.value)
        rows["dates"].append({"doc_id": doc_id, "text": doc._.text[start:end], "start": start, "end": end,
                              "value": d.value, "granularity": d.granularity, "part_of_day": d.part_of_day,
                              "role": d.role, "first_day": first_day, "last_day": last_day})
    for span in doc.spans.get("clusters", []):
        c = span._.value
        rows["clusters"].append({"doc_id": doc_id, "kind": c.kind, "number": c.number, "name": c.name,
                                 "parent": c.parent, "members": LIST_SEP.join(c.members) or None,
                                 "leader": c.leader, "deputy": c.deputy})
    for span in doc.spans.get("titles", []):
        t = span._.value
        start, end = char_range(span)
        rows["titles"].append({"doc_id": doc_id, "title": t.title, "category": t.category,
                               "conferrer": t.conferrer, "grade": t.grade, "recipient": t.recipient,
                               "status": t.status, "text": doc._.text[start:end], "start": start, "end": end})
    for span in doc.spans.get("award_counts", []):
        a = span._.value
        start, end = char_range(span)
        rows["award_counts"].append({"doc_id": doc_id, "count": a.count, "total": a.total, "unit": a.unit,
                                     "qualifier": a.qualifier, "title": a.title,
                                     "text": doc._.text[start:end], "start": start, "end": end})
    rows["mentions"] = mention_rows(doc)
    return rows


def mention_rows(doc: Doc) -> list[dict]:
    """One mentions row per extracted span; a span in two groups (an official that is also an
    official mention) is one row."""
    from pipeline.nlp.extensions import doc_text, span_record

    rows, seen = [], set()
    doc_id, text, records = doc._.doc_id, doc_text(doc), doc.user_data.get("vnie_spans", {})
    for key in MENTION_KEYS:
        for span in doc.spans.get(key, []):
            start, end, value = span_record(span, records)
            mention = {"doc_id": doc_id, "label": span.label_, "start": start, "end": end,
                       "text": text[start:end], "value": mention_value(value)}
            if tuple(mention.values()) not in seen:
                seen.add(tuple(mention.values()))
                rows.append(mention)
    return rows


def duplicate_rows(document) -> dict[str, list[dict]]:
    """The rows for a document left out because the output holds its text: a documents row only."""
    rows = empty_tables()
    rows["documents"].append({"doc_id": document.doc_id, "source": document.source, "title": document.title,
                              "published": document.published, "event_date": None, "author": document.author,
                              "status": "duplicate", "error": None})
    return rows


def mention_value(value) -> str | None:
    """A one-cell rendering of a span's normalised value."""
    if value is None:
        return None
    if isinstance(value, DateMention):
        return value.value
    if isinstance(value, (Official, Cluster)):
        return value.name
    if isinstance(value, Title):
        return value.title
    if isinstance(value, AwardCount):
        return f"{value.count} {value.unit}"
    return str(value)


def error_rows(source: str, doc_id: str | None, stage: str, error: str) -> dict[str, list[dict]]:
    """The rows for a document that failed: an errors row, and a documents row when it has an id."""
    rows = empty_tables()
    error = " ".join(str(error).split())
    rows["errors"].append({"source": source, "doc_id": doc_id, "stage": stage, "error": error})
    if doc_id is not None:
        rows["documents"].append({"doc_id": doc_id, "source": source, "title": None, "published": None,
                                  "event_date": None, "author": None, "status": "error", "error": error})
    return rows
