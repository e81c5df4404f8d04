"""End to end: `vnie extract corpus/` as a user runs it, scored against the gold annotations."""
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS, GOLD, SHARED_CORPUS

from pipeline.apps import scoring
from pipeline.schema import TABLE_COLUMNS

SEEDS = ["000_a16c13a7aae6f99c", "001_19a7306ab84b14c6", "002_55ef99fcb8aadad4", "003_9e505d213b6ed546",
         "004_3d1816ad21632d6d"]


def read(out, name):
    with open(out / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_table_is_written_with_its_columns(corpus_out):
    for name, columns in TABLE_COLUMNS.items():
        with open(corpus_out / f"{name}.csv", encoding="utf-8", newline="") as f:
            assert next(csv.reader(f)) == columns
    assert (corpus_out / "texts.jsonl").exists()
    assert not list(corpus_out.glob("*.partial"))


def test_every_document_is_accounted_for(corpus_out):
    inputs = sorted(p.stem for p in (CORPUS).rglob("*.txt"))
    docs = read(corpus_out, "documents")
    assert sorted(d["doc_id"] for d in docs) == inputs
    assert all(d["status"] == "ok" for d in docs)


def test_offsets_give_the_text(corpus_out):
    texts = {}
    with open(corpus_out / "texts.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            texts[record["doc_id"]] = record["text"]
    checked = 0
    for name in ("mentions", "dates", "titles", "award_counts"):
        for row in read(corpus_out, name):
            assert texts[row["doc_id"]][int(row["start"]):int(row["end"])] == row["text"]
            checked += 1
    for row in read(corpus_out, "officials"):
        assert texts[row["doc_id"]][int(row["start"]):int(row["end"])] == row["name"]
    assert checked > 100


def test_seed_articles_headline(corpus_out):
    gold = {k: v for k, v in scoring.read_gold(GOLD).items() if k in SEEDS}
    report = scoring.score(gold, scoring.read_tables(corpus_out))
    assert report.headline >= 0.95, report.as_dict()


def test_development_set_headline(shared_out):
    """The 17 development articles (five seeds and twelve real ones), read from the shared corpus."""
    gold = scoring.read_gold(SHARED_CORPUS / "dev.gold.jsonl")
    report = scoring.score(gold, scoring.read_tables(shared_out))
    assert len(gold) == 17
    assert report.headline >= 0.98, report.as_dict()
    for field in scoring.HEADLINE_FIELDS:
        assert report.scores[field].f1 >= 0.9, (field, report.scores[field])


def test_real_articles(shared_out):
    """The 79 real articles of the shared corpus (awards across sectors and ordinary news), with the
    project's independent gold (corpus/real.gold.jsonl)."""
    gold = scoring.read_gold(CORPUS / "real.gold.jsonl")
    report = scoring.score(gold, scoring.read_tables(shared_out))
    assert len(gold) == 79
    assert report.headline >= 0.94, report.as_dict()
    for field in scoring.HEADLINE_FIELDS:
        assert report.scores[field].f1 >= 0.82, (field, report.scores[field])


def _ordinary_news() -> list[tuple[str, str]]:
    """Articles whose gold holds no award, cluster or count: ordinary news (sport, courts, weather, markets)."""
    found = []
    for gold_file, out in ((CORPUS / "real.gold.jsonl", "shared_out"), (CORPUS / "heldout5.gold.jsonl", "corpus_out")):
        for doc_id, g in scoring.read_gold(gold_file).items():
            if not (g["titles"] or g["clusters"] or g["award_counts"]):
                found.append((doc_id, out))
    return found


@pytest.mark.parametrize("doc_id, out", _ordinary_news())
def test_ordinary_news_gets_no_titles_clusters_or_counts(request, doc_id, out):
    folder = request.getfixturevalue(out)
    for table in ("titles", "clusters", "award_counts"):
        assert [r for r in read(folder, table) if r["doc_id"] == doc_id] == [], table


@pytest.mark.parametrize("gold_file", ["heldout.gold.jsonl", "heldout2.gold.jsonl", "heldout3.gold.jsonl",
                                       "heldout4.gold.jsonl", "heldout5.gold.jsonl"])
def test_own_genre_articles_headline(corpus_out, gold_file):
    """Articles written for the project in the genre (army, border guard, government), scored the same way."""
    report = scoring.score(scoring.read_gold(CORPUS / gold_file), scoring.read_tables(corpus_out))
    assert report.headline >= 0.9, report.as_dict()
    for field in scoring.HEADLINE_FIELDS:
        assert report.scores[field].f1 >= 0.8, (field, report.scores[field])


def _cli(*args):
    vnie = Path(sys.executable).with_name("vnie")
    cmd = [str(vnie)] if vnie.exists() else [sys.executable, "-m", "pipeline"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300)


def test_parquet_output(tmp_path):
    import pandas as pd

    result = _cli("extract", str(CORPUS / "dev" / "000_a16c13a7aae6f99c.txt"), "-o", str(tmp_path), "--format", "parquet",
                  "--quiet")
    assert result.returncode == 0, result.stderr
    officials = pd.read_parquet(tmp_path / "officials.parquet")
    assert officials["name"].tolist() == ["Mai Thế Quang"]
    assert officials["rank"].tolist() == ["Trung tá"]


def test_python_api_returns_dataframes():
    import pipeline

    tables = pipeline.extract(["Trung tá Mai Thế Quang, Phó Giám đốc Công an tỉnh chủ trì hội nghị."])
    assert set(tables) == set(TABLE_COLUMNS)
    assert tables["officials"].loc[0, "name"] == "Mai Thế Quang"
    assert pipeline.load().pipe_names[0] == "vnie_layout"


def test_module_entry_point_and_help():
    result = subprocess.run([sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True)
    assert result.returncode == 0
    assert "extract" in result.stdout and "evaluate" in result.stdout
