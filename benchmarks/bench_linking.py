"""Linking people and units across articles: pairwise precision and recall against corpus/linking/links.gold.jsonl.

    .venv/bin/python benchmarks/bench_linking.py [OUT]

Runs `vnie extract corpus/ ../shared/corpus -o OUT` (a temporary folder unless OUT holds a run of those inputs),
then prints the figures of the linking beside a baseline measured in the same run: one id per written
form (the same name string is one person, the same unit string one unit), which is what a researcher
had before.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.io.frames import read_rows  # noqa: E402
from pipeline.linking.evaluate import missing, pairwise, predicted_ids, read_links  # noqa: E402

GOLD = ROOT / "corpus" / "linking" / "links.gold.jsonl"
INPUTS = [ROOT / "corpus", ROOT.parent / "shared" / "corpus"]


def baseline(predicted: dict) -> dict:
    """The same written form is one entity (a name string, a unit string), across every document."""
    return {kind: {key: key[1] for key in ids} for kind, ids in predicted.items()}


def main(out: Path) -> None:
    if not (out / "people.csv").exists():
        vnie = ROOT / ".venv" / "bin" / "vnie"
        subprocess.run([str(vnie), "extract", *map(str, INPUTS), "-o", str(out), "--quiet"], check=True)
    tables = {name: read_rows(out, name) for name in ("officials", "cluster_members", "titles")}
    predicted = predicted_ids(tables)
    gold = read_links(GOLD)
    print(f"{'':8} {'':10} {'mentions':>8} {'pairs':>6} {'tp':>5} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}")
    for kind in ("person", "unit"):
        entities = [e for e in gold if e["kind"] == kind]
        for label, ids in (("baseline", baseline(predicted)[kind]), ("linked", predicted[kind])):
            r = pairwise(entities, ids)
            print(f"{kind:8} {label:10} {r['mentions']:8} {r['pairs']:6} {r['tp']:5} {r['fp']:4} {r['fn']:4} "
                  f"{r['precision']:9.3f} {r['recall']:7.3f}")
    for kind, doc_id, written in missing(GOLD, tables):
        print(f"not in the output: {kind} {doc_id}: {written}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        main(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            main(Path(tmp))
