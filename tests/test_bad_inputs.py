"""Bad input: every document is accounted for, with a reason a person can act on, and nothing escapes.

``tests/bad_inputs/`` holds one file per kind of trouble (see its README).
"""
from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT

BAD = ROOT / "tests" / "bad_inputs"
VNIE = Path(sys.executable).with_name("vnie")
TABLE_FILES = {"documents.csv", "officials.csv", "dates.csv", "clusters.csv", "titles.csv", "award_counts.csv",
               "mentions.csv", "errors.csv", "people.csv", "units.csv", "cluster_members.csv", "texts.jsonl",
               "manifest.json"}

# doc_id -> the status it must end with, and for errors words of the reason.
EXPECTED = {
    "valid": ("ok", None),
    "cp1258": ("ok", None),
    "tcvn3": ("ok", None),
    "vni": ("ok", None),
    "nfd": ("ok", None),
    "bom_crlf": ("ok", None),
    "utf16": ("ok", None),
    "zero_width_name": ("ok", None),
    "mojibake_utf8": ("ok", None),
    "hostile": ("ok", None),
    "invalid_utf8": ("error", "not valid UTF-8 (byte 0xff at offset 60)"),
    "not_vietnamese_latin1": ("error", "re-save the file as UTF-8"),
    "empty": ("error", "empty document"),
    "whitespace_only": ("error", "empty document"),
    "binary": ("error", "binary file"),
    # feed.jsonl, line by line
    "dup": ("ok", None),
    "dup#2": ("ok", None),
    "../../x": ("ok", None),
    "/etc/passwd": ("ok", None),
    "feed:5": ("error", "line 5 is not a JSON object: Unterminated string"),
    "no_text": ("error", 'line 6 has no "text"'),
    "text_not_string": ("error", 'line 7 has no "text"'),
    "blank_text": ("error", 'line 8 has no "text"'),
    "feed:9": ("error", "line 9 is not a JSON object"),
    "feed:11": ("error", "line 11 is not a JSON object"),
    "feed:12": ("ok", None),
    "7": ("ok", None),
    "nfd_in_json": ("ok", None),
    # invalid_utf8_in_feed.jsonl
    "ok1": ("ok", None),
    "invalid_utf8_in_feed:2": ("error", "line 2: not valid UTF-8"),
}
# Every document that reads must yield the official, whatever its encoding or invisible characters.
OFFICIAL = ("Nguyễn Văn Hòa", "Đại tá", "Giám đốc Công an tỉnh")


def vnie(*args, **kwargs) -> subprocess.CompletedProcess:
    cmd = [str(VNIE)] if VNIE.exists() else [sys.executable, "-m", "pipeline"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)


def input_count() -> int:
    """Documents in the folder as a reader counts them: one per file, one per non-blank JSONL line."""
    count = 0
    for path in BAD.iterdir():
        if path.suffix == ".jsonl":
            count += sum(1 for line in path.read_bytes().splitlines() if line.strip())
        elif path.suffix in (".txt", ".html"):
            count += 1
    return count


@pytest.fixture(scope="module")
def bad_out(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    out = root / "out"
    result = vnie("extract", BAD, "-o", out)
    return root, out, result


def test_the_run_completes_and_exits_0_when_documents_fail(bad_out):
    _, _, result = bad_out
    assert result.returncode == 0, result.stderr
    assert f"{sum(s == 'ok' for s, _ in EXPECTED.values())} documents ok" in result.stderr


def test_every_input_is_accounted_for_once(bad_out):
    _, out, _ = bad_out
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False)
    errors = pd.read_csv(out / "errors.csv", keep_default_na=False)
    assert len(documents) == input_count() == len(EXPECTED)
    assert documents["doc_id"].is_unique
    assert set(documents["doc_id"]) == set(EXPECTED)
    documents_in_error = errors[errors["doc_id"] != ""]
    assert sorted(documents_in_error["doc_id"]) == sorted(documents.loc[documents["status"] == "error", "doc_id"])
    # A file of another type in the folder is not a document, but it is a row: never skipped without a word.
    [readme] = errors[errors["doc_id"] == ""].to_dict("records")
    assert readme["source"].endswith("README.md") and "unsupported file type .md" in readme["error"]


@pytest.mark.parametrize("doc_id", sorted(EXPECTED))
def test_status_and_reason(bad_out, doc_id):
    _, out, _ = bad_out
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("doc_id")
    status, reason = EXPECTED[doc_id]
    assert documents.loc[doc_id, "status"] == status
    if reason:
        assert reason in documents.loc[doc_id, "error"]
        errors = pd.read_csv(out / "errors.csv", keep_default_na=False).set_index("doc_id")
        assert reason in errors.loc[doc_id, "error"]


def test_the_official_is_found_in_every_encoding_and_form(bad_out):
    _, out, _ = bad_out
    officials = pd.read_csv(out / "officials.csv", keep_default_na=False)
    found = {row.doc_id for row in officials.itertuples() if (row.name, row.rank, row.position) == OFFICIAL}
    expected = {d for d, (status, _) in EXPECTED.items() if status == "ok"} - {"feed:12", "ok1"}
    assert expected <= found


def test_every_mention_offset_gives_its_text(bad_out):
    _, out, _ = bad_out
    texts = {}
    for line in (out / "texts.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts[record["doc_id"]] = record["text"]
    mentions = pd.read_csv(out / "mentions.csv", keep_default_na=False)
    assert len(mentions) > 50
    for m in mentions.itertuples():
        assert texts[m.doc_id][m.start:m.end] == m.text, m


def test_nothing_from_scripts_frames_menus_or_footers_is_read(bad_out):
    _, out, _ = bad_out
    texts = [json.loads(line) for line in (out / "texts.jsonl").read_text(encoding="utf-8").splitlines()]
    text = next(t["text"] for t in texts if t["doc_id"] == "hostile")
    for intruder in ("Kẻ Gian", "Trong Khung", "Mã Độc", "Chân Trang", "Đăng nhập", "alert", "<", "&amp;", "&#"):
        assert intruder not in text
    assert "“Vì an ninh Tổ quốc”" in text and "tổng kết & trao thưởng" in text  # entities decoded
    documents = pd.read_csv(out / "documents.csv", keep_default_na=False).set_index("doc_id")
    assert documents.loc["hostile", "author"] == "Hồng Nhung"


def test_an_id_like_a_path_writes_nothing_outside_the_output_folder(bad_out):
    root, out, _ = bad_out
    written = {p.relative_to(root) for p in root.rglob("*")}
    assert written == {Path("out")} | {Path("out") / name for name in TABLE_FILES}
    assert not (out / ".." / ".." / "x").exists()


def test_strict_makes_a_failed_document_a_non_zero_exit(tmp_path):
    result = vnie("extract", BAD / "empty.txt", BAD / "valid.txt", "-o", tmp_path / "out", "--strict")
    assert result.returncode == 1
    assert "1 documents ok, 1 errors" in result.stderr
    assert (tmp_path / "out" / "documents.csv").exists()  # the tables are still written
    assert vnie("extract", BAD / "valid.txt", "-o", tmp_path / "ok", "--strict").returncode == 0


def test_a_missing_input_is_an_error_row(tmp_path):
    result = vnie("extract", BAD / "valid.txt", tmp_path / "nowhere.txt", "-o", tmp_path / "out")
    assert result.returncode == 0
    errors = pd.read_csv(tmp_path / "out" / "errors.csv", keep_default_na=False)
    assert list(errors["error"]) == ["no such file or folder"]
    assert list(errors["source"]) == [str(tmp_path / "nowhere.txt")]


def test_an_article_over_the_size_limit_is_refused_with_the_limit(tmp_path, monkeypatch):
    import pipeline.io.read as reader

    monkeypatch.setattr(reader, "MAX_DOCUMENT_BYTES", 100)
    (tmp_path / "long.txt").write_text("Công an tỉnh " * 20, encoding="utf-8")
    [item] = list(reader.read_inputs([tmp_path / "long.txt"]))
    assert isinstance(item, reader.ReadError)
    assert "over the 100-byte limit for one article" in item.error


def test_a_text_over_the_pipeline_limit_is_an_error_row_not_a_crash(nlp):
    from pipeline.io.documents import Document
    from pipeline.runner.process import process_item

    limit = nlp.max_length
    rows, text = process_item(nlp, Document("long", "a" * (limit + 1), "<test>"))
    assert text is None
    assert f"over the limit of {limit:,}" in rows["errors"][0]["error"]


def test_an_article_longer_than_spacys_default_limit_is_processed(nlp):
    """1.2 million characters (spaCy refuses over 1 million by default): processed whole, offsets exact."""
    from pipeline.io.documents import Document
    from pipeline.runner.process import process_item

    article = (BAD / "valid.txt").read_text(encoding="utf-8")
    text = "\n".join([article] * (1_200_000 // len(article) + 1))
    assert len(text) > 1_200_000
    rows, kept = process_item(nlp, Document("long", text, "<test>"))
    assert rows["errors"] == [] and kept == ("long", text)
    assert [(o["name"], o["rank"]) for o in rows["officials"]] == [OFFICIAL[:2]]
    last = max(rows["mentions"], key=lambda m: m["start"])
    assert last["start"] > len(text) - len(article) and text[last["start"]:last["end"]] == last["text"]


def test_a_file_name_that_is_not_utf8_is_read_and_shown_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    with open(os.fsencode(folder) + b"/\xff\xfe bad.txt", "wb") as handle:
        handle.write((BAD / "valid.txt").read_bytes())
    result = vnie("extract", folder, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False)
    assert list(documents["doc_id"]) == ["\\xff\\xfe bad"]
    assert documents["source"][0].endswith("/in/\\xff\\xfe bad.txt")
    assert documents["status"][0] == "ok"


def test_json_escapes_that_are_not_characters_and_odd_fields_are_written(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = [
        '{"id": "\\ud800a", "title": "\\udc00", "text": "Đại tá Nguyễn Văn Hòa \\ud800 dự hội nghị ngày 1/1/2020."}',
        '{"id": "b", "text": "Công an tỉnh.", "published": "2020-12-06T17:25:00+07:00"}',
        '{"id": "c", "text": "Công an tỉnh.", "published": "17:25 06/12/2020"}',
        '{"id": "d", "text": "Công an tỉnh.", "published": "hôm qua"}',
        '{"id": {"nested": 1}, "text": "Công an tỉnh.", "title": ["a"], "url": 5}',
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = vnie("extract", feed, "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    documents = pd.read_csv(tmp_path / "out" / "documents.csv", keep_default_na=False).set_index("doc_id")
    assert list(documents.index) == ["\ufffda", "b", "c", "d", "feed:5"]
    assert (documents["status"] == "ok").all()
    assert documents.loc["\ufffda", "title"] == "\ufffd"
    assert documents.loc["b", "published"] == "2020-12-06T17:25"
    assert documents.loc["c", "published"] == "2020-12-06T17:25"
    assert documents.loc["d", "published"] == ""  # not a date: nothing rather than text in a date column
    assert documents.loc["feed:5", "title"] == "Công an tỉnh."  # a list is no title: the first line is
    officials = pd.read_csv(tmp_path / "out" / "officials.csv", keep_default_na=False)
    assert list(officials["name"]) == ["Nguyễn Văn Hòa"]


def test_the_python_api_takes_documents_with_unwritable_characters():
    import pipeline
    from pipeline.io.documents import Document

    tables = pipeline.extract([Document("\ud800x", "Đại tá Nguyễn Văn Hòa \udcff dự hội nghị.", "\udcff")])
    assert list(tables["documents"]["doc_id"]) == ["\ufffdx"]
    assert list(tables["officials"]["name"]) == ["Nguyễn Văn Hòa"]


# --- An output folder that cannot be used --------------------------------------------------------

def _file_size_limit(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_a_disk_that_fills_midway_is_a_clear_error_and_no_table_looks_complete(tmp_path):
    out = tmp_path / "out"
    result = vnie("extract", ROOT / "corpus" / "dev", "-o", out, "--chunk-size", "2",
                  preexec_fn=_file_size_limit(20_000))
    assert result.returncode == 2
    assert "vnie: error: writing to" in result.stderr and "File too large" in result.stderr
    assert "--resume" in result.stderr
    assert not any((out / name).exists() for name in TABLE_FILES)  # only *.partial names
    assert any(out.glob("*.partial"))
    # Nothing is lost: with room again, --resume finishes exactly the tables of a clean run.
    assert vnie("extract", ROOT / "corpus" / "dev", "-o", out, "--chunk-size", "2", "--resume").returncode == 0
    assert vnie("extract", ROOT / "corpus" / "dev", "-o", tmp_path / "clean").returncode == 0
    for name in TABLE_FILES - {"manifest.json"}:  # the manifest holds the times of each run
        assert (out / name).read_bytes() == (tmp_path / "clean" / name).read_bytes(), name


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder nothing can be written to: a read-only mount as root (who ignores permissions), else chmod."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    if os.geteuid() == 0:
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(folder)],
                                 capture_output=True, text=True)
        if mounted.returncode != 0:
            pytest.skip(f"running as root and cannot mount a read-only folder: {mounted.stderr.strip()}")
        yield folder
        subprocess.run(["umount", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)


def test_an_unwritable_output_folder_is_a_clear_error(read_only_folder):
    result = vnie("extract", BAD / "valid.txt", "-o", read_only_folder)
    assert result.returncode == 2
    assert result.stderr.startswith(f"vnie: error: cannot write to output folder {read_only_folder}:")
    assert "Traceback" not in result.stderr
    assert list(read_only_folder.iterdir()) == []
    nested = vnie("extract", BAD / "valid.txt", "-o", read_only_folder / "sub")
    assert nested.returncode == 2 and "cannot write to output folder" in nested.stderr
