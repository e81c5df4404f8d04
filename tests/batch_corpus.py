"""A JSONL feed for the batch tests: distinct articles made from the bundled corpus, and some bad lines."""
from __future__ import annotations

import json
import random
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
BAD_LINES = ["{not json", json.dumps({"id": "no-text", "title": "x"}), json.dumps(["a", "list"]),
             json.dumps({"id": "blank", "text": "   "})]


def paragraphs() -> list[str]:
    """The non-empty lines of every article the project wrote (corpus/*/), in a fixed order."""
    lines = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return lines


def write_feed(path: Path, n: int, seed: int = 4, bad_every: int = 37) -> int:
    """Write ``n`` lines to ``path``: articles of 3 to 8 paragraphs, every ``bad_every``-th line a bad one.

    Returns how many documents a run must account for (every non-blank line).
    """
    rng = random.Random(seed)
    pool = paragraphs()
    with open(path, "w", encoding="utf-8") as handle:
        for number in range(1, n + 1):
            if bad_every and number % bad_every == 0:
                handle.write(BAD_LINES[(number // bad_every) % len(BAD_LINES)] + "\n")
                continue
            text = "\n".join(rng.sample(pool, rng.randint(3, 8)))
            record = {"id": f"a{number:05d}", "text": text, "url": f"https://example.org/{number}"}
            if number % 10 == 0:
                record.pop("id")  # the id then comes from the file name and line number
            if number % 25 == 0:
                record["id"] = "a00001"  # a repeated id: the reader makes it unique
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n
