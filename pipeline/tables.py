"""Build the output tables from processed Docs: the one place rows are made."""
from __future__ import annotations

from spacy.tokens import Doc

from .docs import char_range, span_text

TABLE_COLUMNS = {
    "documents": ["doc_id", "source", "title", "published", "event_date", "author", "status", "error"],
    "officials": ["doc_id", "name", "rank", "position", "mentions", "start", "end"],
    "dates": ["doc_id", "text", "start", "end", "value", "granularity", "part_of_day", "role"],
    "clusters": ["doc_id", "kind", "number", "name", "parent", "members", "leader", "deputy"],
    "titles": ["doc_id", "title", "category", "conferrer", "grade", "recipient", "status", "text", "start", "end"],
    "award_counts": ["doc_id", "count", "total", "unit", "qualifier", "title", "text", "start", "end"],
    "mentions": ["doc_id", "label", "start", "end", "text", "value"],
    "errors": ["source", "doc_id", "stage", "error"],
}
TABLES = list(TABLE_COLUMNS)
LIST_SEP = " | "

# Spans that go to mentions.csv, with the value written for each.
MENTION_KEYS = ["officials", "official_mentions", "ranks", "positions", "dates", "clusters", "titles",
                "award_counts", "orgs", "locations", "author"]


def empty_tables() -> dict[str, list[dict]]:
    return {name: [] for name in TABLES}


def doc_rows(doc: Doc) -> dict[str, list[dict]]:
    """Every table's rows for one processed document."""
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
        rows["dates"].append({"doc_id": doc_id, "text": doc._.text[start:end], "start": start, "end": end,
                              "value": d.value, "granularity": d.granularity, "part_of_day": d.part_of_day,
                              "role": d.role})
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
    for key in MENTION_KEYS:
        for span in doc.spans.get(key, []):
            start, end = char_range(span)
            rows["mentions"].append({"doc_id": doc_id, "label": span.label_, "start": start, "end": end,
                                     "text": span_text(span), "value": mention_value(span._.value)})
    return rows


def mention_value(value) -> str | None:
    """A one-cell rendering of a span's normalised value."""
    from .extractors.dates import DateMention
    from .values import AwardCount, Cluster, Official, Title

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
