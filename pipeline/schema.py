"""The output contract in code: every table SCHEMA.md defines, its columns in order, and which are integers."""
from __future__ import annotations

TABLE_COLUMNS = {
    "documents": ["doc_id", "source", "title", "published", "event_date", "author", "status", "error", "url",
                  "content_hash", "duplicate_of"],
    "officials": ["doc_id", "name", "rank", "position", "mentions", "start", "end", "person_id"],
    "dates": ["doc_id", "text", "start", "end", "value", "granularity", "part_of_day", "role", "first_day", "last_day"],
    "clusters": ["doc_id", "kind", "number", "name", "parent", "members", "leader", "deputy"],
    "titles": ["doc_id", "title", "category", "conferrer", "grade", "recipient", "status", "text", "start", "end",
               "recipient_kind", "recipient_unit_id", "recipient_person_id"],
    "award_counts": ["doc_id", "count", "total", "unit", "qualifier", "title", "text", "start", "end"],
    "mentions": ["doc_id", "label", "start", "end", "text", "value"],
    "errors": ["source", "doc_id", "stage", "error"],
    # Across documents (pipeline/linking): made over the whole output once its documents are written.
    "people": ["person_id", "name", "ranks", "positions", "documents", "first_day", "last_day"],
    "units": ["unit_id", "name", "kind", "province", "province_2025", "aliases"],
    "cluster_members": ["doc_id", "cluster_name", "unit_id", "unit", "role"],
}
TABLES = list(TABLE_COLUMNS)
# Counts, numbers and offsets: written as integers, read back as nullable integers.
INT_COLUMNS = {"start", "end", "count", "total", "number", "mentions", "documents"}
# Tables made across documents, by pipeline/linking, rather than row by row from each Doc.
LINKED_TABLES = ["people", "units", "cluster_members"]
# Lists inside one cell.
LIST_SEP = " | "


def empty_tables() -> dict[str, list[dict]]:
    return {name: [] for name in TABLES}
