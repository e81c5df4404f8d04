"""Show articles in the terminal: the text with every extracted span highlighted by label, the tables below.

The highlighting works from the rows of ``mentions`` (label, start, end,
value) and the document text, the same data ``vnie extract`` writes, so what
is shown is exactly what the tables hold. The web page (:mod:`pipeline.serve`)
uses the same span tree and colours.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator, TextIO

from rich.console import Console, Group
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

# One colour per label, shared by the terminal and the web page. Labels that
# extractors may add later fall back to OTHER_COLOUR rather than failing.
LABEL_COLOURS = {
    "OFFICIAL": "#ffd166",
    "PERSON": "#ffe8a3",
    "RANK": "#f4a261",
    "POSITION": "#e9c46a",
    "DATE": "#8ecae6",
    "CLUSTER": "#b5e48c",
    "TITLE": "#cdb4db",
    "AWARD_COUNT": "#ffafcc",
    "ORG": "#a8dadc",
    "LOC": "#d8f3dc",
    "AUTHOR": "#dddddd",
}
OTHER_COLOUR = "#e0e0e0"
# The same labels on terminals with fewer colours, each its own: rich would map the pale hex colours
# above to one grey on an 8/16-colour terminal (TERM=xterm) and to near neighbours in 256 colours.
TERMINAL_COLOURS = {
    # label: (xterm 256-colour index, one of the 16 standard colours)
    "OFFICIAL": (220, "bright_yellow"),
    "PERSON": (229, "yellow"),
    "RANK": (209, "bright_red"),
    "POSITION": (223, "red"),
    "DATE": (117, "bright_cyan"),
    "CLUSTER": (113, "bright_green"),
    "TITLE": (183, "bright_magenta"),
    "AWARD_COUNT": (211, "magenta"),
    "ORG": (80, "cyan"),
    "LOC": (157, "green"),
    "AUTHOR": (250, "white"),
}
OTHER_TERMINAL_COLOUR = (252, "bright_white")
# Columns the linking across documents fills, and day bounds: in the files, not in a one-article view.
HIDDEN_COLUMNS = {"doc_id", "start", "end", "person_id", "recipient_kind", "recipient_unit_id", "recipient_person_id",
                  "first_day", "last_day"}

# Tables shown below the article, in this order; mentions are what the
# highlighting already shows, so they are listed only on request.
SHOWN_TABLES = ["officials", "dates", "clusters", "titles", "award_counts"]


@dataclass
class Highlight:
    """One span to highlight, with the spans nested inside it."""

    start: int
    end: int
    label: str
    value: str | None = None
    children: list["Highlight"] = field(default_factory=list)


def label_colour(label: str) -> str:
    """The colour of a label (a hex string)."""
    return LABEL_COLOURS.get(label, OTHER_COLOUR)


def label_style(label: str, color_system: str | None = "truecolor") -> str:
    """The rich style of a label's highlight on a terminal with ``color_system`` ("truecolor", "256",
    "standard", ... as rich names them): distinct colours on each."""
    index, standard = TERMINAL_COLOURS.get(label, OTHER_TERMINAL_COLOUR)
    if color_system in ("truecolor", None):
        return f"black on {label_colour(label)}"
    if color_system == "256":
        return f"black on color({index})"
    return f"black on {standard}"


def label_class(label: str) -> str:
    """A CSS class name for a label: only letters, digits, ``-`` and ``_`` survive."""
    return "label-" + (re.sub(r"[^A-Za-z0-9_-]", "", label) or "other")


def highlight_tree(text: str, mentions: Iterable[dict]) -> list[Highlight]:
    """Arrange mention rows into properly nested highlights over ``text``.

    Repeated spans (the same range and label, as when a person is both an
    official and an official mention) are kept once. A span that crosses
    another one's boundary cannot be drawn nested, so the one that starts
    later is left out of the highlighting (it is still in the tables).
    """
    seen = set()
    spans = []
    for m in mentions:
        start, end, label = int(m["start"]), int(m["end"]), str(m["label"])
        if not (0 <= start < end <= len(text)) or (start, end, label) in seen:
            continue
        seen.add((start, end, label))
        value = m.get("value")
        spans.append(Highlight(start, end, label, None if value is None else str(value)))
    # Outer spans first: by start, then the longest.
    spans.sort(key=lambda h: (h.start, -h.end, h.label))
    roots: list[Highlight] = []
    stack: list[Highlight] = []
    for span in spans:
        while stack and stack[-1].end <= span.start:
            stack.pop()
        if stack and span.end > stack[-1].end:
            continue  # crosses its enclosing span
        (stack[-1].children if stack else roots).append(span)
        stack.append(span)
    return roots


def _folded(s: str) -> str:
    return " ".join(s.split()).casefold()


def value_differs(text: str, highlight: Highlight) -> bool:
    """Whether the normalised value says more than the text it was read from.

    "Chiều 30-11" → 2020-11-30 does; "danh hiệu Đơn vị Tiên tiến" → "Đơn vị
    Tiên tiến" does not, and repeating it would only clutter the article.
    """
    if highlight.value is None:
        return False
    return _folded(highlight.value) not in _folded(text[highlight.start:highlight.end])


def render_article(text: str, mentions: Iterable[dict], color_system: str | None = "truecolor") -> Text:
    """The article as rich ``Text``: each span on its label's colour, its value after it when it differs."""
    out = Text()
    styled: list[tuple[int, int, int, str]] = []  # (depth, start, end, style) in the output

    def emit(nodes: list[Highlight], start: int, end: int, depth: int) -> None:
        pos = start
        for node in nodes:
            out.append(text[pos:node.start])
            out_start = len(out)
            emit(node.children, node.start, node.end, depth + 1)
            styled.append((depth, out_start, len(out), label_style(node.label, color_system)))
            if value_differs(text, node):
                out.append(f"⟨{node.value}⟩", style="dim italic")
            pos = node.end
        out.append(text[pos:end])

    emit(highlight_tree(text, mentions), 0, len(text), 0)
    # Outer spans first, so that a nested span's colour is drawn over its parent's.
    for _, start, end, style in sorted(styled, key=lambda s: s[0]):
        out.stylize(style, start, end)
    return out


def legend(labels: Iterable[str], color_system: str | None = "truecolor") -> Text:
    """One line naming each label in its colour."""
    out = Text("labels: ", style="dim")
    for i, label in enumerate(sorted(set(labels))):
        if i:
            out.append(" ")
        out.append(f" {label} ", style=label_style(label, color_system))
    return out


def _cell(value) -> Text:
    # Text, not str: rich would read "[...]" in an article's words as markup.
    return Text("" if value is None else str(value))


def rows_table(name: str, rows: list[dict], columns: list[str]) -> Table:
    """A rich table of ``rows`` with the given columns."""
    table = Table(title=f"{name} ({len(rows)})", title_justify="left", show_lines=False, expand=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in columns))
    return table


def _shorten(value: str, width: int = 90) -> str:
    # A title taken from a long first line would push the article off the screen; the table has it whole.
    return value if len(value) <= width else value[:width - 1].rstrip() + "…"


def document_view(rows: dict[str, list[dict]], text: str, show_mentions: bool = False,
                  color_system: str | None = "truecolor") -> Group:
    """Everything shown for one processed document: heading, legend, article, tables."""
    from pipeline.schema import TABLE_COLUMNS

    document = rows["documents"][0]
    heading = Text(document["doc_id"], style="bold")
    meta = [f"{k}: {_shorten(str(document[k]))}" for k in ("title", "published", "event_date", "author")
            if document.get(k)]
    parts = [Rule(heading), Text("  ·  ".join(meta), style="dim")]
    labels = [m["label"] for m in rows["mentions"]]
    if labels:
        parts.append(legend(labels, color_system))
    parts += [Text(""), render_article(text, rows["mentions"], color_system), Text("")]
    for name in SHOWN_TABLES + (["mentions"] if show_mentions else []):
        # doc_id is the heading; offsets are what the highlighting shows.
        columns = [c for c in TABLE_COLUMNS[name] if c not in HIDDEN_COLUMNS]
        if rows[name]:
            parts.append(rows_table(name, rows[name], columns))
        else:
            parts.append(Text(f"{name}: none", style="dim"))
    return Group(*parts)


def iter_shown(nlp, items) -> Iterator[tuple[dict, tuple[str, str] | None]]:
    """Rows and (doc_id, text) for each input item; the text is None for a document that failed."""
    from pipeline.runner.process import process_item

    for item in items:
        yield process_item(nlp, item)


def show(inputs: list[str], console: Console | None = None, nlp=None, jsonl_stdin: bool = False,
         show_mentions: bool = False, err: TextIO | None = None, doc_ids: list[str] | None = None) -> int:
    """Print each input document highlighted, with its tables; returns the number that failed.

    ``inputs`` are what ``vnie extract`` takes: files, folders, or ``-``; ``doc_ids`` picks the
    documents to show (a doc_id no input holds is a failure, with the ids there are).
    """
    from pipeline.nlp.language import load
    from pipeline.io.read import read_inputs

    console = console or Console()
    nlp = nlp or load()
    items = read_inputs(inputs, jsonl_stdin=jsonl_stdin)
    if doc_ids is not None:
        items, failed = _picked(list(items), doc_ids, err)
    else:
        failed = 0
    for rows, text in iter_shown(nlp, items):
        if text is None:
            failed += 1
            for error in rows["errors"]:
                # A plain line, never wrapped: scripts and people grep for it.
                print(f"vnie: error: {error['source']}: {error['error']}", file=err or sys.stderr)
            continue
        console.print(document_view(rows, text[1], show_mentions, console.color_system))
    return failed


def _picked(items: list, doc_ids: list[str], err: TextIO | None) -> tuple[list, int]:
    """The items whose doc_id is one of ``doc_ids``, and how many of those ids none has."""
    there = [i.doc_id for i in items if i.doc_id is not None]
    lost = [d for d in doc_ids if d not in there]
    for doc_id in lost:
        sample = ", ".join(there[:8]) + (", ..." if len(there) > 8 else "")
        print(f"vnie: error: no document {doc_id!r} in the inputs (they hold {len(there)}: {sample})",
              file=err or sys.stderr)
    return [i for i in items if i.doc_id in doc_ids], len(lost)
