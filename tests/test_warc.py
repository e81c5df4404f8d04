"""Web archives and gzip input: WARC and WARC.gz files written by warcio from corpus pages."""
from __future__ import annotations

import csv
import gzip
import json
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from conftest import CORPUS
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipeline.io.read import read_inputs

ARTICLES = sorted((CORPUS / "heldout").glob("*.txt"))[:3]


def page(path: Path) -> bytes:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    body = "".join(f"<p>{line}</p>" for line in lines[1:])
    return (f"<html><head><title>{lines[0]}</title></head><body><nav>Trang chủ | Tin tức</nav>"
            f"<article><h1>{lines[0]}</h1>{body}</article><footer>Bản quyền</footer></body></html>").encode("utf-8")


def records(gz: bool) -> list[bytes]:
    """Each record as its own bytes: request, page 1, image, metadata, page 2, page 3."""
    blobs = []

    def write(uri, kind, payload, headers=None):
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=gz)
        writer.write_record(writer.create_warc_record(uri, kind, payload=BytesIO(payload), http_headers=headers))
        blobs.append(buffer.getvalue())

    def response(content_type):
        return StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")

    write("https://example.vn/a1", "request", b"", StatusAndHeaders("GET /a1 HTTP/1.1", [("Host", "example.vn")],
                                                                      is_http_request=True))
    write("https://example.vn/a1", "response", page(ARTICLES[0]), response("text/html; charset=utf-8"))
    write("https://example.vn/logo.png", "response", b"\x89PNG\r\n\x1a\n" + bytes(200), response("image/png"))
    write("https://example.vn/a1", "metadata", b"outlinks: https://example.vn/a2\n")
    write("https://example.vn/a2", "response", page(ARTICLES[1]), response("text/html"))
    write("https://example.vn/a3", "response", page(ARTICLES[2]), response("text/html"))
    return blobs


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    """crawl.warc (whole), crawl.warc.gz (whole), broken.warc and broken.warc.gz (page 2 cut short midway)."""
    folder = tmp_path_factory.mktemp("warc")
    for gz, suffix in ((False, ".warc"), (True, ".warc.gz")):
        blobs = records(gz)
        (folder / f"crawl{suffix}").write_bytes(b"".join(blobs))
        cut = blobs[:4] + [blobs[4][: len(blobs[4]) // 2]] + blobs[5:]
        (folder / f"broken{suffix}").write_bytes(b"".join(cut))
        BROKEN_AT[f"broken{suffix}"] = sum(len(blob) for blob in blobs[:4])
    return folder


BROKEN_AT: dict[str, int] = {}


def read(path, stats=None):
    return list(read_inputs([path], stats=stats))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_every_html_response_is_a_document_and_the_rest_is_counted(archives, name):
    from collections import Counter

    stats = Counter()
    items = read(archives / name, stats)
    assert [item.doc_id for item in items] == ["crawl:2", "crawl:5", "crawl:6"]
    assert [item.url for item in items] == ["https://example.vn/a1", "https://example.vn/a2", "https://example.vn/a3"]
    assert all(type(item).__name__ == "Document" for item in items)
    first_line = ARTICLES[0].read_text(encoding="utf-8").splitlines()[0]
    assert items[0].text.startswith(first_line) and "Trang chủ" not in items[0].text
    assert stats == Counter({"WARC request records": 1, "WARC metadata records": 1,
                             "WARC responses that are not HTML": 1})


@pytest.mark.parametrize("name", ["broken.warc", "broken.warc.gz"])
def test_a_broken_record_is_an_error_with_its_offset_and_the_file_goes_on(archives, name):
    items = read(archives / name)
    kinds = [(type(item).__name__, item.doc_id) for item in items]
    assert kinds[0] == ("Document", "broken:2")
    assert kinds[-1][0] == "Document" and items[-1].url == "https://example.vn/a3"
    errors = [item for item in items if type(item).__name__ == "ReadError"]
    assert len(errors) == 1
    assert f"offset {BROKEN_AT[name]}" in errors[0].error and "the records after it are read" in errors[0].error


def test_a_whole_file_gzip_warc_and_gz_of_every_type(archives, tmp_path):
    raw = (archives / "crawl.warc").read_bytes()
    (tmp_path / "whole.warc.gz").write_bytes(gzip.compress(raw))
    text = ARTICLES[0].read_text(encoding="utf-8")
    (tmp_path / "one.txt.gz").write_bytes(gzip.compress(text.encode("utf-8")))
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(page(ARTICLES[1])))
    feed = json.dumps({"id": "f1", "text": text}, ensure_ascii=False) + "\n"
    (tmp_path / "feed.jsonl.gz").write_bytes(gzip.compress(feed.encode("utf-8")))
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "bad.txt.gz").write_bytes(b"not gzip at all")
    items = read(tmp_path)
    ids = [(type(item).__name__, item.doc_id) for item in items]
    assert ids == [("ReadError", "bad"), ("Document", "f1"), ("ReadError", None), ("Document", "one"),
                   ("Document", "page"), ("Document", "whole:2"), ("Document", "whole:5"), ("Document", "whole:6")]
    assert "unsupported file type .pdf" in items[2].error
    assert items[3].text == text.replace("\r\n", "\n").strip("\n") or items[3].text.startswith(text[:40])


def test_a_folder_of_archives_is_extracted_with_every_record_accounted_for(archives, tmp_path):
    from test_batch import vnie

    folder = tmp_path / "in"
    shutil.copytree(archives, folder)
    (folder / "readme.md").write_text("notes", encoding="utf-8")
    result = vnie("extract", folder, "-o", tmp_path / "out", "--workers", 1)
    assert result.returncode == 0, result.stderr
    with open(tmp_path / "out" / "documents.csv", encoding="utf-8", newline="") as handle:
        documents = list(csv.DictReader(handle))
    with open(tmp_path / "out" / "errors.csv", encoding="utf-8", newline="") as handle:
        errors = list(csv.DictReader(handle))
    assert sum(d["status"] == "ok" for d in documents) == 10  # 3 + 2 in each broken file... see below
    assert {d["url"] for d in documents} >= {"https://example.vn/a1", "https://example.vn/a3"}
    assert len(errors) == 3 and any("unsupported file type .md" in e["error"] for e in errors)
    assert "10 documents ok, 2 errors" in result.stderr
    assert "12 WARC records skipped by design (4 metadata, 4 request, 4 responses that are not HTML)" \
        in result.stderr
    assert "1 files of an unsupported type" in result.stderr
    # The same article fetched in four archives: the first copy is the original, the others name it.
    first = next(d for d in documents if d["url"] == "https://example.vn/a1")
    copies = [d for d in documents if d["url"] == "https://example.vn/a1" and d is not first]
    assert copies and all(d["duplicate_of"] == first["doc_id"] for d in copies)
