"""Main text of an HTML page, by trafilatura: no scripts, menus or footers."""
from __future__ import annotations

from pipeline.io.documents import Document, ReadError
from pipeline.text.normalize import normalize_text


def html_to_document(markup: str, doc_id: str, source: str):
    """Turn an HTML page into a :class:`~pipeline.reader.Document`, or a ReadError."""
    import trafilatura
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    try:
        extracted = trafilatura.bare_extraction(
            markup, include_comments=False, include_tables=True, favor_precision=True,
            with_metadata=True, config=config,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        return ReadError(source, f"HTML could not be parsed: {exc}", doc_id)
    if extracted is None:
        return ReadError(source, "HTML page has no main text", doc_id)
    data = extracted.as_dict() if hasattr(extracted, "as_dict") else dict(extracted)
    body = normalize_text(data.get("text") or "")
    if not body.strip():
        return ReadError(source, "HTML page has no main text", doc_id)
    title = (data.get("title") or "").strip() or None
    text = f"{normalize_text(title)}\n\n{body}" if title and not body.startswith(title) else body
    return Document(
        doc_id=doc_id, text=text, source=source, title=title,
        published=data.get("date") or None, author=data.get("author") or None, url=data.get("url"),
    )
