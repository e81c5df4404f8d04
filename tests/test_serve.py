"""`vnie serve`: the local web page, over HTTP and end to end in a real headless browser."""
from __future__ import annotations

import csv
import inspect
import io
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from pipeline.apps.serve import (CONTENT_SECURITY_POLICY, DEFAULT_HOST, ZIP_NAME, create_app, download_names,
                                 format_size, is_loopback, pasted_id, run, upload_name)
from pipeline.schema import TABLE_COLUMNS

from conftest import CORPUS, ROOT

SEED = CORPUS / "dev" / "000_a16c13a7aae6f99c.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LIMIT = 64 * 1024
HOSTILE = ('<script>document.title="pwned"</script><img src=x onerror="document.title=\'pwned\'">'
           '"><svg onload=alert(1)>')


@pytest.fixture(scope="module")
def client(nlp):
    return TestClient(create_app(nlp, max_upload_bytes=LIMIT))


def submit(client, text=None, files=()):
    return client.post("/extract", data={"text": text} if text is not None else {},
                       files=[("files", f) for f in files] or None)


def alert(html: str) -> str:
    found = re.findall(r'<p class="error" role="alert">(.*?)</p>', html, re.S)
    return found[0] if found else ""


def result_id(response) -> str:
    return str(response.url).rstrip("/").rsplit("/", 1)[-1]


# --- the page over HTTP ---------------------------------------------------------------------------

def test_index_has_the_form_and_strict_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert 'name="text"' in response.text and 'type="file"' in response.text
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "script-src" not in CONTENT_SECURITY_POLICY and "default-src 'none'" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text.lower()


def test_stylesheet_has_a_colour_per_label(client):
    response = client.get("/style.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert ".label-OFFICIAL { background: #ffd166; }" in response.text


def test_no_api_docs_that_would_load_foreign_scripts(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 404


def test_pasted_article_is_highlighted_with_tables(client):
    response = submit(client, SEED.read_text(encoding="utf-8"))
    assert response.status_code == 200 and "/results/" in str(response.url)
    page = response.text
    # An official's hover says the rank, the positions and the person's id.
    assert re.search(r'<mark class="entity label-OFFICIAL" title="OFFICIAL: Mai Thế Quang · Trung tá · '
                     r'Phó Giám đốc Công an tỉnh · person_id mai-the-quang">Mai Thế Quang'
                     r'<span class="label">OFFICIAL</span></mark>', page)
    # Ranks are marked too; offsets stay in the files, out of the page's tables.
    assert re.search(r'<mark class="entity label-RANK" title="RANK: Trung tá">Trung tá', page)
    assert "<th>start</th>" not in page and "<th>end</th>" not in page
    # The normalised value is there for the hover, after a date whose text does not say it.
    assert re.search(r'title="DATE: 2020-11-30">Chiều 30-11<span class="value">2020-11-30</span>', page)
    for name in ("officials", "dates", "clusters", "titles", "award_counts"):
        assert f'id="table-{name}"' in page
    assert "<td>Trung tá</td>" in page and "<td>Phó Giám đốc Công an tỉnh</td>" in page
    assert "1 document ok, 0 errors" in page


def test_start_page_says_what_is_extracted_and_offers_a_sample(client):
    page = client.get("/").text
    for said in ("Officials", "rank", "position", "Dates", "clusters", "Titles and awards", "Award counts",
                 "Organisations"):
        assert said in page
    assert "Extract the sample" in page and "Nguyễn Văn Bình" in page
    sample = (ROOT / "pipeline" / "apps" / "web" / "sample.txt").read_text(encoding="utf-8")
    response = client.post("/extract", data={"text": sample})
    # The article is headed by its title, not "pasted"; its doc_id is made from it.
    assert "<h2>Công an Thanh Hóa đón nhận Cờ thi đua của Chính phủ</h2>" in response.text
    assert "doc_id: cong-an-thanh-hoa-don-nhan-co-thi" in response.text


def test_person_page_lists_every_article_and_rank(client):
    articles = [(f"{p.stem}.txt", p.read_bytes()) for p in sorted((CORPUS / "linking").glob("l0[12]*.txt"))]
    response = client.post("/extract", files=[("files", a) for a in articles])
    assert '<a href="' + str(response.url).split("testserver")[1] + '/people/nguyen-van-binh">' in response.text
    person = client.get(str(response.url) + "/people/nguyen-van-binh").text
    assert "<h1>Nguyễn Văn Bình</h1>" in person and "2 articles" in person
    assert person.index("Đại tá") < person.index("Thiếu tướng")  # by date: the rank before the promotion first
    assert "2019-12-12" in person and "2022-01-20" in person
    assert client.get(str(response.url) + "/people/nobody").status_code == 404


def test_script_and_markup_in_article_text_are_escaped(client):
    page = submit(client, f"Trung tá Mai Thế Quang {HOSTILE} chủ trì hội nghị ngày 30/11/2020.").text
    assert "<script" not in page.lower() and "<img" not in page and "<svg" not in page
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page and "&lt;svg onload=alert(1)&gt;" in page
    assert "label-OFFICIAL" in page  # and the article was still processed


def test_script_and_markup_in_file_names_are_escaped(client):
    # A "/" in a name reads as a folder, so the file name keeps what follows the last one; the
    # client sends '"' as %22 (multipart's own escaping).
    page = submit(client, files=[(f"{HOSTILE}.txt", "Trung tá Mai Thế Quang chủ trì hội nghị.".encode())]).text
    assert "<script" not in page.lower() and "<img" not in page and "<svg" not in page
    escaped = "script&gt;&lt;img src=x onerror=%22document.title=&#39;pwned&#39;%22&gt;%22&gt;&lt;svg onload=alert(1)&gt;"
    assert f"<span>doc_id: {escaped}</span>" in page and f"<td>{escaped}</td>" in page


def test_hostile_name_in_an_unsupported_file_is_escaped_in_the_errors(client):
    page = submit(client, files=[("<b onmouseover=alert(1)>x<b>.exe", b"MZ\x00\x01")]).text
    assert "<b onmouseover" not in page
    assert "&lt;b onmouseover=alert(1)&gt;x&lt;b&gt;.exe" in page
    assert "unsupported file type .exe" in page and "0 documents ok, 1 error" in page


def test_uploads_of_each_kind(client):
    jsonl = "\n".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) for i, t in [
        ("a", "Thiếu tướng Lê Hồng Hiệp dự hội nghị."), ("b", "Đại tá Trần Minh Thùy phát biểu.")]) + "\n{bad\n"
    html = ("<html><head><title>Hội nghị</title><script>alert(1)</script></head><body><article><p>"
            + "Trung tá Mai Thế Quang, Phó Giám đốc Công an tỉnh chủ trì hội nghị tổng kết năm 2020. " * 3
            + "</p></article></body></html>")
    response = submit(client, files=[("feed.jsonl", jsonl.encode()), ("page.html", html.encode()),
                                     ("seed.txt", SEED.read_bytes())])
    page = response.text
    assert "4 documents ok, 1 error" in page
    for name in ("Lê Hồng Hiệp", "Trần Minh Thùy", "Mai Thế Quang"):
        assert f"<td>{name}</td>" in page
    assert "line 3 is not a JSON object" in page
    files = client.get(f"/results/{result_id(response)}/documents.csv").text
    assert [r["doc_id"] for r in csv.DictReader(io.StringIO(files))] == ["a", "b", "feed:3", "page", "seed"]


def test_repeated_file_names_get_unique_doc_ids(client):
    response = submit(client, files=[("x.txt", "Đại tá Trần Minh Thùy phát biểu.".encode()),
                                     ("dir/x.txt", "Đại tá Trần Minh Thùy phát biểu.".encode())])
    documents = client.get(f"/results/{result_id(response)}/documents.csv").text
    assert [r["doc_id"] for r in csv.DictReader(io.StringIO(documents))] == ["x", "x#2"]


def test_downloads(client):
    response = submit(client, SEED.read_text(encoding="utf-8"))
    base = f"/results/{result_id(response)}"
    officials = client.get(f"{base}/officials.csv")
    assert officials.headers["content-disposition"] == 'attachment; filename="officials.csv"'
    rows = list(csv.DictReader(io.StringIO(officials.text)))
    assert list(rows[0]) == TABLE_COLUMNS["officials"]
    assert (rows[0]["name"], rows[0]["rank"], rows[0]["mentions"]) == ("Mai Thế Quang", "Trung tá", "3")
    table = pq.read_table(io.BytesIO(client.get(f"{base}/titles.parquet").content))
    assert table.column_names == TABLE_COLUMNS["titles"] and table.num_rows == 3
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{base}/{ZIP_NAME}").content))
    assert set(archive.namelist()) == set(download_names()) - {ZIP_NAME}
    assert archive.read("officials.csv").decode() == officials.text
    texts = client.get(f"{base}/texts.jsonl").text
    assert json.loads(texts)["text"] == SEED.read_text(encoding="utf-8").replace("\r\n", "\n")


def test_unknown_download_and_result(client):
    response = submit(client, "Đại tá Trần Minh Thùy phát biểu.")
    assert client.get(f"/results/{result_id(response)}/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert client.get(f"/results/{result_id(response)}/secrets.csv").status_code == 404
    gone = client.get("/results/not-a-result")
    assert gone.status_code == 404 and "no longer kept" in alert(gone.text)


def test_only_the_last_results_are_kept(nlp):
    small = TestClient(create_app(nlp, kept_results=1))
    first = submit(small, "Đại tá Trần Minh Thùy phát biểu.")
    submit(small, "Thiếu tướng Lê Hồng Hiệp dự hội nghị.")
    assert small.get(f"/results/{result_id(first)}").status_code == 404


def test_empty_submission_asks_for_input(client):
    response = submit(client, "   ", files=[("", b"")])
    assert response.status_code == 400
    assert alert(response.text) == "Paste an article or choose a file to upload."


def test_oversize_upload_is_refused_with_a_clear_message(client):
    response = submit(client, files=[("big.txt", b"a" * (LIMIT + 1))])
    assert response.status_code == 413
    message = alert(response.text)
    assert message.startswith("The upload is ") and "KB" in message.split(",")[0]
    assert f"over the limit of {format_size(LIMIT)}" in message and "vnie extract" in message


def test_oversize_upload_without_a_length_is_refused(client):
    # A chunked body declares no length: the limit holds while reading it.
    def chunks():
        for _ in range(LIMIT // 1024 + 2):
            yield b"x" * 1024

    response = client.post("/extract", content=chunks(),
                           headers={"content-type": "multipart/form-data; boundary=zzz"})
    assert response.status_code == 413
    assert f"over the limit of {format_size(LIMIT)}" in alert(response.text)


def test_malformed_form_is_a_clear_error(client):
    response = client.post("/extract", content=b"garbage", headers={"content-type": "multipart/form-data"})
    assert response.status_code == 400
    assert alert(response.text) == "The form could not be read: Missing boundary in multipart."
    # A body cut short holds no article: the page asks for one.
    response = client.post("/extract", content=b"--zzz\r\nnonsense", headers={
        "content-type": "multipart/form-data; boundary=zzz"})
    assert response.status_code == 400
    assert alert(response.text) == "Paste an article or choose a file to upload."


@pytest.mark.parametrize("filename, expected", [
    ("article.txt", "article.txt"),
    ("C:\\Users\\me\\bài báo.txt", "bài báo.txt"),
    ("../../etc/passwd.txt", "passwd.txt"),
    (None, ""),
])
def test_upload_name_keeps_only_the_base_name(filename, expected):
    assert upload_name(filename) == expected


@pytest.mark.parametrize("n, text", [(5 * 1024 * 1024, "5 MB"), (1536 * 1024, "1.5 MB"), (2048, "2 KB"),
                                     (12, "12 bytes")])
def test_format_size(n, text):
    assert format_size(n) == text


# --- binding -------------------------------------------------------------------------------------

@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.1.2.3", True), ("localhost", True),
                                            ("::1", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                            ("::", False)])
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_default_bind_is_loopback_in_the_api_and_the_cli(monkeypatch):
    import pipeline.apps.serve

    assert DEFAULT_HOST == "127.0.0.1" and inspect.signature(run).parameters["host"].default == "127.0.0.1"
    calls = []
    monkeypatch.setattr(pipeline.apps.serve, "run", lambda **kwargs: calls.append(kwargs))
    from pipeline.apps.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls == [{"host": "127.0.0.1", "port": 8000, "max_upload_bytes": 5 * 1024 * 1024}]
    result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9000"])
    assert "warning: serving on 0.0.0.0" in result.output and calls[-1]["host"] == "0.0.0.0"
    result = runner.invoke(app, ["serve", "--max-upload-mb", "0"])
    assert result.exit_code == 2 and "--max-upload-mb must be more than 0" in result.output


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served():
    """`vnie serve --port P` as a user starts it (default host), stopped after the tests."""
    port = _free_port()
    vnie = Path(sys.executable).with_name("vnie")
    cmd = [str(vnie)] if vnie.exists() else [sys.executable, "-m", "pipeline"]
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(cmd + ["serve", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # the pipeline loads before the server listens
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"vnie serve exited with {process.returncode}:\n{log.read()}")
            try:
                urllib.request.urlopen(url + "/", timeout=5).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("vnie serve did not answer on 127.0.0.1")
        yield {"url": url, "port": port, "pid": process.pid, "log": log}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_served_page_listens_on_loopback_only(served):
    import psutil

    listening = [c.laddr for c in psutil.Process(served["pid"]).net_connections(kind="inet")
                 if c.status == psutil.CONN_LISTEN]
    assert listening and {addr.ip for addr in listening} == {"127.0.0.1"}
    assert {addr.port for addr in listening} == {served["port"]}
    served["log"].seek(0)
    assert f"Uvicorn running on http://127.0.0.1:{served['port']}" in served["log"].read()


# --- in a real browser ---------------------------------------------------------------------------

BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not at /usr/bin/chromium and could not be installed here "
                    "(`make test` installs it with apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # A fresh profile every run: nothing from an earlier run leaks in.
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=BROWSER_ARGS, viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        problems = []
        # CSP violations and script errors show up here.
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
        try:
            yield page, problems
        finally:
            context.close()


def test_browser_paste_seed_article(served, browser_page):
    page, problems = browser_page
    page.goto(served["url"] + "/")
    page.fill("textarea[name=text]", SEED.read_text(encoding="utf-8"))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/results/"))

    official = page.locator("mark.label-OFFICIAL", has_text="Mai Thế Quang").first
    official.wait_for(state="visible")
    assert official.get_attribute("title") == ("OFFICIAL: Mai Thế Quang · Trung tá · Phó Giám đốc Công an tỉnh · "
                                               "person_id mai-the-quang")
    # The highlight is coloured by its label (the stylesheet loaded under the CSP).
    assert official.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(255, 209, 102)"

    # The normalised value appears on hover.
    date = page.locator("mark.label-DATE", has_text="Chiều 30-11").first
    value = date.locator(".value")
    assert not value.is_visible()
    date.hover()
    assert value.is_visible() and value.inner_text() == "2020-11-30"

    for name in ("officials", "dates", "clusters", "titles", "award_counts"):
        assert page.locator(f"#table-{name} table").is_visible()
    row = page.locator("#table-officials tbody tr").first
    assert row.locator("td").all_inner_texts()[:4] == [pasted_id(SEED.read_text(encoding="utf-8")), "Mai Thế Quang",
                                                       "Trung tá", "Phó Giám đốc Công an tỉnh"]

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve_seed_article.png"), full_page=True)
    assert (ARTIFACTS / "serve_seed_article.png").stat().st_size > 10_000

    page.click("nav.downloads summary")  # one table at a time sits under the zip, folded
    with page.expect_download() as download_info:
        page.click("nav.downloads a[href$='/officials.csv']")
    download = download_info.value
    assert download.suggested_filename == "officials.csv"
    assert "Mai Thế Quang,Trung tá" in Path(download.path()).read_text(encoding="utf-8")
    assert problems == []


def test_browser_runs_nothing_from_the_article(served, browser_page, tmp_path):
    page, problems = browser_page
    page.goto(served["url"] + "/")
    page.fill("textarea[name=text]", f"Trung tá Mai Thế Quang {HOSTILE} chủ trì hội nghị.")
    hostile_file = tmp_path / f'{HOSTILE.replace("/", "")}.txt'
    hostile_file.write_text("Đại tá Trần Minh Thùy phát biểu.", encoding="utf-8")
    page.set_input_files("input[name=files]", str(hostile_file))
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/results/"))
    page.locator("mark.label-OFFICIAL").first.wait_for(state="visible")
    assert page.title() != "pwned"
    assert page.locator("script, img, svg").count() == 0
    assert '<script>document.title="pwned"</script>' in page.locator(".article").first.inner_text()
    assert page.locator("h2", has_text="<script>document.title=").count() == 1  # the file's doc_id
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve_hostile_article.png"), full_page=True)
    assert [p for p in problems if "pwned" in p or "dialog" in p] == []
