"""Score output tables against gold annotations, by the rules of SCHEMA.md.

The scoring logic is ``pipeline/scoring.py``, a copy of the reference scorer
(``tools/score.py`` in the shared workspace) kept verbatim so the figures
agree to the last digit; a test checks that they do.
"""
from __future__ import annotations

from pipeline.apps import scoring


def evaluate(gold_path: str, pred_path: str, only: set[str] | None = None, docs: bool = False):
    """Return (scores dict, per-document error lists or None)."""
    gold = scoring.read_gold(gold_path)
    if only:
        gold = {k: v for k, v in gold.items() if k in only}
    pred = scoring.read_gold(pred_path) if str(pred_path).endswith(".jsonl") else scoring.read_tables(str(pred_path))
    detail = {} if docs else None
    return scoring.score(gold, pred, detail), detail


def format_report(result: dict, detail: dict | None = None) -> str:
    """The report exactly as the reference scorer prints it."""
    lines = []
    for f, v in result.items():
        if f != "headline":
            lines.append(f"{f:22s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   "
                         f"(tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")
    lines.append(f"headline (mean F1 of 7 fields): {result['headline']:.3f}")
    if detail:
        for d, errs in detail.items():
            if errs:
                lines.append(f"\n## {d}")
                lines.extend("  " + e for e in errs)
    return "\n".join(lines)
