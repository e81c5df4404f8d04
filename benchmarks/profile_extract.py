"""Where the time of one process goes, function by function: cProfile over the benchmark's articles.

    .venv/bin/python benchmarks/profile_extract.py [--n 300] [--top 40] [--out profile.pstats]

Loads the pipeline once, then runs N articles of ``bench_extract`` through
``make_doc``, every stage and ``doc_rows`` under cProfile, and prints the
functions with the most time of their own and the most cumulative time.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def run_documents(articles: list[str]) -> None:
    """Every article through the whole pipeline and into table rows, as one worker does."""
    from pipeline.io.documents import Document
    from pipeline.runner.chunks import batch_pipeline
    from pipeline.runner.process import make_doc
    from pipeline.runner.tables import doc_rows
    from pipeline.text.normalize import normalize_text

    nlp = batch_pipeline()  # as a run loads it
    documents = [Document(doc_id=f"p{i}", text=normalize_text(t), source="-") for i, t in enumerate(articles)]
    make_doc(nlp, documents[0])
    profiler = cProfile.Profile()
    profiler.enable()
    for document in documents:
        doc = make_doc(nlp, document)
        for _, component in nlp.pipeline:
            doc = component(doc)
        doc_rows(doc)
    profiler.disable()
    return profiler


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="articles to profile (default 300)")
    parser.add_argument("--top", type=int, default=40, help="functions to print in each list (default 40)")
    parser.add_argument("--out", default=None, help="also save the raw profile here (for snakeviz, pstats)")
    args = parser.parse_args(argv)
    from bench_extract import build_articles

    profiler = run_documents(build_articles(args.n))
    if args.out:
        profiler.dump_stats(args.out)
    stats = pstats.Stats(profiler)
    print(f"{args.n} articles; by time of their own:")
    stats.sort_stats("tottime").print_stats(args.top)
    print("by cumulative time:")
    stats.sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
