"""A local web page for analysts: paste or upload articles, see the spans highlighted, download the tables.

``create_app()`` builds the FastAPI application; ``run()`` serves it with
uvicorn, on 127.0.0.1 unless told otherwise. The page runs no script at all:
article text, file names and every extracted value are escaped by the
templates (Jinja2 autoescaping), and a strict Content-Security-Policy forbids
scripts, inline styles and foreign resources, so nothing from an article can
run in the page even if a value slipped through unescaped.
"""
from __future__ import annotations

import io
import re
import secrets
import tempfile
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect

from pipeline.apps.show import LABEL_COLOURS, Highlight, highlight_tree, label_class, value_differs
from pipeline.schema import TABLE_COLUMNS, empty_tables

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_FILES = 50
# A page with thousands of articles is unreadable and slow; the downloads hold everything.
MAX_SHOWN_DOCUMENTS = 20
MAX_SHOWN_ROWS = 500
# Results are kept in memory for their download links; the oldest go first.
KEPT_RESULTS = 32
ZIP_NAME = "vnie-tables.zip"
UPLOAD_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")

CONTENT_SECURITY_POLICY = ("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                           "base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
WEB_DIR = Path(__file__).resolve().parent / "web"


class UploadTooLarge(ValueError):
    """A request body over the upload limit."""


@dataclass
class Result:
    """What one submission produced: the table rows and each document's text."""

    rows: dict[str, list[dict]]
    texts: list[tuple[str, str]]
    files: dict[str, bytes] = field(default_factory=dict)  # download name -> content, made on first request

    @property
    def ok(self) -> int:
        return len(self.texts)

    @property
    def failed(self) -> int:
        return len(self.rows["errors"])


class ResultStore:
    """The last few results, by an unguessable id; the oldest are dropped first."""

    def __init__(self, size: int = KEPT_RESULTS):
        self.size = size
        self._results: OrderedDict[str, Result] = OrderedDict()
        self._lock = threading.Lock()

    def add(self, result: Result) -> str:
        """Keep ``result`` and return its id."""
        result_id = secrets.token_urlsafe(16)
        with self._lock:
            self._results[result_id] = result
            while len(self._results) > self.size:
                self._results.popitem(last=False)
        return result_id

    def get(self, result_id: str) -> Result | None:
        """The result kept under ``result_id``, or None."""
        with self._lock:
            return self._results.get(result_id)


def format_size(n: int) -> str:
    """A byte count for people: "5 MB", "812 KB"."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".") + " MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def upload_name(filename: str | None) -> str:
    """The base name of an uploaded file: a browser may send a path, which means nothing here."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    return " ".join(name.split())


def read_upload(name: str, data: bytes, index: int):
    """The documents (or read errors) in one uploaded file, by its suffix.

    Nothing is written to disk: the file name only gives the doc_id and the
    source column.
    """
    from pipeline.io.documents import ReadError
    from pipeline.io.read import read_html, read_jsonl, read_text_file

    path = PurePosixPath(name or f"upload-{index}")
    doc_id = path.stem or f"upload-{index}"
    suffix = path.suffix.lower()
    source = str(path)
    if suffix == ".txt":
        return [read_text_file(Path(source), data=data, doc_id=doc_id)]
    if suffix in (".html", ".htm"):
        return [read_html(Path(source), data=data, doc_id=doc_id)]
    if suffix == ".jsonl":
        return list(read_jsonl(Path(source), lines=data.splitlines(keepends=True)))
    return [ReadError(source, f"unsupported file type {suffix or '(none)'}; upload .txt, .html or .jsonl", doc_id)]


def pasted_id(text: str) -> str:
    """A doc_id for a pasted article from the words of its first line: "Công an tỉnh Thanh Hóa tổng kết ..."
    → "cong-an-tinh-thanh-hoa-tong-ket" (at most eight words, numbers left out), "pasted" when it has none."""
    from pipeline.linking.people import slug

    first = next((line for line in text.splitlines() if line.strip()), "")
    words = [w for w in slug(first).split("-") if not w.isdigit()]  # a clock or a date leads many pages
    return "-".join(words[:8]) or "pasted"


def collect_documents(text: str | None, uploads: list[tuple[str, bytes]]) -> list:
    """The pasted text and the uploaded files as documents, doc_ids made unique as in a run."""
    from pipeline.io.documents import Document
    from pipeline.text.normalize import normalize_text

    items = []
    if text and text.strip():
        text = normalize_text(text)
        items.append(Document(doc_id=pasted_id(text), text=text, source="pasted text"))
    for index, (name, data) in enumerate(uploads, 1):
        items.extend(read_upload(name, data, index))
    seen: dict[str, int] = {}
    for item in items:
        if item.doc_id is not None:
            seen[item.doc_id] = seen.get(item.doc_id, 0) + 1
            if seen[item.doc_id] > 1:
                item.doc_id = f"{item.doc_id}#{seen[item.doc_id]}"
    return items


def process_documents(nlp, items) -> Result:
    """Run the pipeline on every item; a failing document becomes an error row, as in ``vnie extract``."""
    from pipeline.runner.process import merge, process_item

    from pipeline.linking.link import link_rows

    rows, texts = empty_tables(), []
    for item in items:
        item_rows, text = process_item(nlp, item)
        merge(rows, item_rows)
        if text is not None:
            texts.append(text)
    return Result(link_rows(rows, dict(texts)), texts)


def highlighted_html(text: str, mentions: list[dict], hovers: dict[tuple[int, int], str] | None = None) -> Markup:
    """The article as HTML: each span a ``<mark>`` in its label's colour, the value on hover.

    ``hovers`` gives a fuller hover for some spans, by (start, end). Every piece of article text and
    every value goes through ``escape``.
    """
    parts: list[str] = []
    hovers = hovers or {}

    def emit(nodes: list[Highlight], start: int, end: int) -> None:
        pos = start
        for node in nodes:
            parts.append(escape(text[pos:node.start]))
            hover = f"{node.label}: {node.value}" if node.value is not None else node.label
            hover = hovers.get((node.start, node.end), hover) if node.label == "OFFICIAL" else hover
            parts.append(Markup('<mark class="entity {}" title="{}">').format(label_class(node.label), hover))
            emit(node.children, node.start, node.end)
            if value_differs(text, node):
                parts.append(Markup('<span class="value">{}</span>').format(node.value))
            parts.append(Markup('<span class="label">{}</span></mark>').format(node.label))
            pos = node.end
        parts.append(escape(text[pos:end]))

    emit(highlight_tree(text, mentions), 0, len(text))
    return Markup("").join(parts)


def sample_article() -> str:
    """The article the start page offers to try (web/sample.txt)."""
    return (WEB_DIR / "sample.txt").read_text(encoding="utf-8")


def stylesheet() -> str:
    """The page's CSS: the static rules, and one colour rule per label from :data:`LABEL_COLOURS`."""
    base = (WEB_DIR / "style.css").read_text(encoding="utf-8")
    rules = "\n".join(f".{label_class(label)} {{ background: {colour}; }}" for label, colour in LABEL_COLOURS.items())
    return f"{base}\n{rules}\n"


def download_names() -> list[str]:
    """Every file a result can be downloaded as."""
    names = [f"{t}.{fmt}" for fmt in ("csv", "parquet") for t in TABLE_COLUMNS]
    return names + ["texts.jsonl", ZIP_NAME]


def result_files(result: Result) -> dict[str, bytes]:
    """The tables as ``vnie extract`` writes them (same writer, so the same CSV and Parquet), and a zip of all."""
    from pipeline.io.write import TableWriter

    if result.files:
        return result.files
    files: dict[str, bytes] = {}
    for fmt in ("csv", "parquet"):
        with tempfile.TemporaryDirectory(prefix="vnie-serve-") as tmp:
            writer = TableWriter(tmp, fmt)
            writer.write(result.rows, result.texts)
            writer.close()
            for name in [f"{t}.{fmt}" for t in TABLE_COLUMNS] + ["texts.jsonl"]:
                files.setdefault(name, (Path(tmp) / name).read_bytes())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    files[ZIP_NAME] = buffer.getvalue()
    result.files = files
    return files


def shown_rows(rows: list[dict], columns: list[str]) -> list[list[str]]:
    """Cells to show for a table, empty for missing values."""
    return [["" if row.get(c) is None else str(row.get(c)) for c in columns] for row in rows[:MAX_SHOWN_ROWS]]


@dataclass
class Site:
    """What every route shares: the pipeline (loaded on first use), the kept results, the templates, the limit."""

    nlp: object
    store: ResultStore
    max_upload_bytes: int
    templates: Environment
    css: str
    # One document at a time through the pipeline: its stages are not known to be thread-safe.
    pipeline_lock: threading.Lock = field(default_factory=threading.Lock)

    def pipeline(self):
        """The loaded pipeline, loaded now when the app was built without one."""
        if self.nlp is None:
            from pipeline.nlp.language import load

            self.nlp = load()
        return self.nlp

    def page(self, template: str, status_code: int = 200, **context) -> HTMLResponse:
        """A page from ``web/templates``, with the upload limits every form shows."""
        context.setdefault("limit", format_size(self.max_upload_bytes))
        context.setdefault("suffixes", ", ".join(UPLOAD_SUFFIXES))
        return HTMLResponse(self.templates.get_template(template).render(**context), status_code=status_code)

    def problem(self, message: str, status_code: int) -> HTMLResponse:
        """The form again, with ``message`` above it."""
        return self.page("index.html", status_code=status_code, error=message, sample=sample_article())


class RequestProblem(Exception):
    """A submission answered with a message on the form instead of results."""

    def __init__(self, message: str, status_code: int):
        super().__init__(message)
        self.message, self.status_code = message, status_code


NO_LONGER_KEPT = "That result is no longer kept (only the last few are). Paste or upload again."
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet",
               "jsonl": "application/x-ndjson; charset=utf-8", "zip": "application/zip"}

router = APIRouter()


def site_of(request: Request) -> Site:
    """The app's :class:`Site`, as a route dependency."""
    return request.app.state.site


async def security_headers(request: Request, call_next):
    """Every response carries the strict headers (CSP and the rest)."""
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    return response


@router.get("/", response_class=HTMLResponse)
def index(site: Site = Depends(site_of)):
    """The form: paste an article or upload files."""
    return site.page("index.html", sample=sample_article())


@router.get("/favicon.ico")
def favicon():
    """No icon; an empty answer keeps browsers from logging a failed request on every page."""
    return Response(status_code=204)


@router.get("/style.css")
def style(site: Site = Depends(site_of)):
    """The page's stylesheet."""
    return Response(site.css, media_type="text/css; charset=utf-8")


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused as soon as it is known to pass ``max_bytes``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise UploadTooLarge(f"The upload is {format_size(int(declared))}, over the limit of {format_size(max_bytes)}.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise UploadTooLarge(f"The upload is over the limit of {format_size(max_bytes)}.")
        chunks.append(chunk)
    return b"".join(chunks)


async def parse_form(request: Request, body: bytes, max_bytes: int):
    """The multipart or urlencoded form in ``body``; a malformed one is a :class:`RequestProblem`."""
    async def replay():
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        return await Request(request.scope, replay).form(max_files=MAX_FILES, max_fields=20, max_part_size=max_bytes)
    except (MultiPartException, ValueError) as exc:
        raise RequestProblem(f"The form could not be read: {str(exc).rstrip('.')}.", 400) from exc
    except HTTPException as exc:  # Starlette's wrapping of a malformed multipart body
        raise RequestProblem(f"The form could not be read: {str(exc.detail).rstrip('.')}.", 400) from exc


async def submitted(form) -> tuple[str | None, list[tuple[str, bytes]]]:
    """The pasted text and the uploaded files (name, content) of a form; an empty file field is none."""
    text = form.get("text")
    uploads = []
    for upload in form.getlist("files"):
        if isinstance(upload, str):
            continue
        data = await upload.read()
        name = upload_name(upload.filename)
        if name or data:
            uploads.append((name, data))
    return (text if isinstance(text, str) else None), uploads


async def read_submission(request: Request, max_bytes: int) -> tuple[str | None, list[tuple[str, bytes]]]:
    """What was pasted and uploaded, or a :class:`RequestProblem` saying what to do instead."""
    try:
        body = await read_body(request, max_bytes)
    except UploadTooLarge as exc:
        raise RequestProblem(f"{exc} Upload fewer or smaller files at a time, or run `vnie extract` "
                             "on them from the command line.", 413) from exc
    text, uploads = await submitted(await parse_form(request, body, max_bytes))
    if not (text and text.strip()) and not uploads:
        raise RequestProblem("Paste an article or choose a file to upload.", 400)
    return text, uploads


@router.post("/extract")
async def extract(request: Request, site: Site = Depends(site_of)):
    """Run the pipeline on what was submitted, keep the result, and send the browser to it."""
    try:
        text, uploads = await read_submission(request, site.max_upload_bytes)
    except RequestProblem as problem:
        return site.problem(problem.message, problem.status_code)
    except ClientDisconnect:
        return Response(status_code=400)

    def run():
        items = collect_documents(text, uploads)
        with site.pipeline_lock:
            return process_documents(site.pipeline(), items)

    result_id = site.store.add(await run_in_threadpool(run))
    return RedirectResponse(f"/results/{result_id}", status_code=303)


def official_hovers(text: str, mentions: list[dict], officials: list[dict]) -> dict[tuple[int, int], str]:
    """For each OFFICIAL span, what a reader wants on hover: name, rank, positions, person_id."""
    by_name = {o["name"]: o for o in officials}
    hovers = {}
    for m in mentions:
        official = by_name.get(m.get("value")) if m["label"] == "OFFICIAL" else None
        if official is not None:
            said = [official["name"], official.get("rank"), official.get("position"),
                    f"person_id {official['person_id']}" if official.get("person_id") else None]
            hovers[(int(m["start"]), int(m["end"]))] = "OFFICIAL: " + " · ".join(p for p in said if p)
    return hovers


def rank_marks(text: str, mentions: list[dict], officials: list[dict]) -> list[dict]:
    """RANK spans for the page: an official's rank where the text writes it just before the name."""
    ranks = {o["name"]: o["rank"] for o in officials if o.get("rank")}
    marks = []
    for m in mentions:
        rank = ranks.get(m.get("value")) if m["label"] == "OFFICIAL" else None
        start = int(m["start"])
        before = text[:start].rstrip()
        if rank and before.casefold().endswith(rank.casefold()):
            marks.append({"label": "RANK", "start": len(before) - len(rank), "end": len(before), "value": rank})
    return marks


def shown_articles(result: Result) -> list[dict]:
    """The first documents that were read, each with its labels and its highlighted text."""
    texts = dict(result.texts)
    by_doc: dict[str, dict[str, list[dict]]] = {}
    for table in ("mentions", "officials"):
        for row in result.rows[table]:
            by_doc.setdefault(row["doc_id"], {"mentions": [], "officials": []})[table].append(row)
    articles = []
    for document in result.rows["documents"]:
        if document["status"] != "ok" or document["doc_id"] not in texts:
            continue
        if len(articles) == MAX_SHOWN_DOCUMENTS:
            break
        text, rows = texts[document["doc_id"]], by_doc.get(document["doc_id"], {"mentions": [], "officials": []})
        mentions = rows["mentions"] + rank_marks(text, rows["mentions"], rows["officials"])
        articles.append({"document": document, "labels": sorted({m["label"] for m in mentions}),
                         "html": highlighted_html(text, mentions, official_hovers(text, mentions, rows["officials"]))})
    return articles


# Offsets are for programs (they stay in the files); the page's tables are for reading.
HIDDEN_COLUMNS = {"start", "end"}


def shown_tables(result: Result) -> list[dict]:
    """Every table but mentions (and errors only when there are some), with the rows shown."""
    tables = []
    for name, columns in TABLE_COLUMNS.items():
        if name == "mentions" or (name == "errors" and not result.rows["errors"]):
            continue
        columns = [c for c in columns if c not in HIDDEN_COLUMNS]
        tables.append({"name": name, "columns": columns, "count": len(result.rows[name]),
                       "rows": shown_rows(result.rows[name], columns),
                       "person_column": columns.index("person_id") if "person_id" in columns else None})
    return tables


def person_rows(result: Result, person_id: str) -> tuple[dict | None, list[dict]]:
    """The people row of ``person_id`` and every article naming that person, by date, with the rank held."""
    person = next((p for p in result.rows["people"] if p["person_id"] == person_id), None)
    documents = {d["doc_id"]: d for d in result.rows["documents"]}
    seen = []
    for official in result.rows["officials"]:
        if official.get("person_id") == person_id:
            document = documents.get(official["doc_id"], {})
            seen.append({"doc_id": official["doc_id"], "title": document.get("title") or official["doc_id"],
                         "day": document.get("event_date") or (document.get("published") or "")[:10],
                         "rank": official.get("rank") or "", "position": official.get("position") or ""})
    return person, sorted(seen, key=lambda s: (s["day"] or "9999", s["doc_id"]))


@router.get("/results/{result_id}", response_class=HTMLResponse)
def show_result(result_id: str, site: Site = Depends(site_of)):
    """A result: the articles highlighted, the tables, and the download links."""
    result = site.store.get(result_id)
    if result is None:
        return site.problem(NO_LONGER_KEPT, 404)
    return site.page("result.html", result_id=result_id, result=result, articles=shown_articles(result),
                     tables=shown_tables(result), label_class=label_class, shown_documents=MAX_SHOWN_DOCUMENTS,
                     shown_rows=MAX_SHOWN_ROWS, table_names=list(TABLE_COLUMNS), zip_name=ZIP_NAME)


@router.get("/results/{result_id}/people/{person_id}", response_class=HTMLResponse)
def show_person(result_id: str, person_id: str, site: Site = Depends(site_of)):
    """One person of a result: every article that names them, with the rank and positions held, by date."""
    result = site.store.get(result_id)
    if result is None:
        return site.problem(NO_LONGER_KEPT, 404)
    person, seen = person_rows(result, person_id)
    if person is None:
        return site.problem(f"There is no person {person_id} in that result.", 404)
    return site.page("person.html", result_id=result_id, person=person, seen=seen)


@router.get("/results/{result_id}/{filename}")
def download(result_id: str, filename: str, site: Site = Depends(site_of)):
    """One table of a result (CSV or Parquet), its texts, or a zip of everything."""
    if filename not in download_names():
        return site.problem(f"There is no download named {filename}.", 404)
    result = site.store.get(result_id)
    if result is None:
        return site.problem(NO_LONGER_KEPT, 404)
    content = result_files(result)[filename]
    # The name comes from download_names(), never from the request, so it is safe in the header.
    return Response(content, media_type=MEDIA_TYPES[filename.rsplit(".", 1)[-1]],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def create_app(nlp=None, max_upload_bytes: int = MAX_UPLOAD_BYTES, kept_results: int = KEPT_RESULTS) -> FastAPI:
    """The web application. ``nlp`` is the loaded pipeline (loaded on first use when not given)."""
    # No API docs: they would load scripts from elsewhere, which the CSP forbids anyway.
    app = FastAPI(title="vnie", docs_url=None, redoc_url=None, openapi_url=None)
    templates = Environment(loader=FileSystemLoader(WEB_DIR / "templates"), autoescape=True,
                            trim_blocks=True, lstrip_blocks=True)
    app.state.site = Site(nlp, ResultStore(kept_results), max_upload_bytes, templates, stylesheet())
    app.middleware("http")(security_headers)
    app.include_router(router)
    return app


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine."""
    return host in ("localhost", "::1") or bool(re.fullmatch(r"127(\.\d{1,3}){3}", host))


def run(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, max_upload_bytes: int = MAX_UPLOAD_BYTES) -> None:
    """Serve the page with uvicorn until interrupted; the pipeline is loaded before the first request."""
    import uvicorn

    from pipeline.nlp.language import load

    app = create_app(load(), max_upload_bytes=max_upload_bytes)
    uvicorn.run(app, host=host, port=port, log_level="info")
