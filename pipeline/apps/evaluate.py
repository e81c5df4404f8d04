"""`vnie evaluate`: score output tables against gold annotations, and print the report.

The scoring itself is :mod:`pipeline.apps.scoring`; this module picks the
documents to score and lays the figures out as the reference scorer prints them.
"""
from __future__ import annotations

from pipeline.apps.scoring import HEADLINE_FIELDS, Report, read_gold, read_predictions, score


def evaluate(gold_path: str, pred_path: str, only: set[str] | None = None) -> Report:
    """Score the predictions in ``pred_path`` (an output folder or a gold-format JSONL) against ``gold_path``.

    ``only`` keeps the gold documents with those doc_ids.
    """
    gold = read_gold(gold_path)
    if only:
        gold = {doc_id: record for doc_id, record in gold.items() if doc_id in only}
    return score(gold, read_predictions(pred_path))


def format_scores(report: Report) -> str:
    """One line per field (precision, recall, F1 and the counts), then the headline."""
    lines = []
    for name, figures in report.as_dict().items():
        if name != "headline":
            lines.append(f"{name:22s} P {figures['p']:.3f}  R {figures['r']:.3f}  F1 {figures['f1']:.3f}   "
                         f"(tp {figures['tp']}, fp {figures['fp']}, fn {figures['fn']})")
    lines.append(f"headline (mean F1 of {len(HEADLINE_FIELDS)} fields): {report.headline:.3f}")
    return "\n".join(lines)


def format_errors(report: Report) -> str:
    """Each document with misses or extras: a heading, then one line for each."""
    blocks = [f"\n## {doc_id}\n" + "\n".join("  " + e for e in errors)
              for doc_id, errors in report.errors.items() if errors]
    return "\n".join(blocks)
