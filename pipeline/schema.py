"""The output contract in code: every table SCHEMA.md defines, its columns in order, and which are integers."""
from __future__ import annotations

TABLE_COLUMNS = {
    "documents": ["doc_id", "source", "title", "published", "event_date", "author", "status", "error", "url",
                  "content_hash", "duplicate_of"],
    "officials": ["doc_id", "name", "rank", "position", "mentions", "start", "end"],
    "dates": ["doc_id", "text", "start", "end", "value", "granularity", "part_of_day", "role"],
    "clusters": ["doc_id", "kind", "number", "name", "parent", "members", "leader", "deputy"],
    "titles": ["doc_id", "title", "category", "conferrer", "grade", "recipient", "status", "text", "start", "end"],
    "award_counts": ["doc_id", "count", "total", "unit", "qualifier", "title", "text", "start", "end"],
    "mentions": ["doc_id", "label", "start", "end", "text", "value"],
    "errors": ["source", "doc_id", "stage", "error"],
}
TABLES = list(TABLE_COLUMNS)
# Counts, numbers and offsets: written as integers, read back as nullable integers.
INT_COLUMNS = {"start", "end", "count", "total", "number", "mentions"}
# Lists inside one cell.
LIST_SEP = " | "


def empty_tables() -> dict[str, list[dict]]:
    return {name: [] for name in TABLES}
