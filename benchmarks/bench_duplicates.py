"""Near-duplicate detection: precision and recall on pairs built from the corpus.

Positives: each article of corpus/*/ and ../shared/corpus against a copy
syndicated by another site: a different header line, a photo caption in the
body, "Theo báo ..." at the end, and (every other one) the last paragraph
dropped. Negatives: every pair of different articles from the same folder
(the same genre, clusters, years and phrasing), the hard case. Exact
duplicates are trivially found by the hash and are not counted here.

Prints precision and recall for MinHash/LSH as shipped, beside a baseline
measured in the same run: the same decision made on the exact Jaccard
similarity of the shingle sets.
"""
from __future__ import annotations

import itertools
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.runner.duplicates import THRESHOLD, DuplicateIndex, shingles  # noqa: E402

SITES = ["Báo Công an nhân dân", "Báo Biên phòng", "Báo Quân đội nhân dân", "Cổng thông tin điện tử tỉnh",
         "Báo Nhân Dân", "Báo Tiền Phong"]
HEADERS = ["Trang chủ » Tin tức » Thời sự", "Cập nhật lúc 08:15 ngày {d}/11", "Tin tức - Sự kiện | Chính trị",
           "(Tin tổng hợp) Đăng ngày {d}/12"]
CAPTIONS = ["Ảnh: Quang cảnh hội nghị.", "Đồng chí lãnh đạo trao thưởng cho các tập thể. (Ảnh: TTXVN)",
            "Các đại biểu chụp ảnh lưu niệm tại hội nghị."]


def articles() -> dict[str, list[str]]:
    """Article texts by folder (corpus/dev, corpus/heldout, ..., ../shared/corpus/dev, ../shared/corpus/real)."""
    folders = sorted(p for p in (ROOT / "corpus").iterdir() if p.is_dir() and p.name != "train")
    shared = ROOT.parent / "shared" / "corpus"
    if shared.is_dir():
        folders += sorted(p for p in shared.iterdir() if p.is_dir())
    found = {}
    for folder in folders:
        texts = [p.read_text(encoding="utf-8").strip() for p in sorted(folder.glob("*.txt"))]
        if texts:
            found[str(folder.relative_to(ROOT.parent))] = texts
    return found


def syndicated(text: str, rng: random.Random, number: int) -> str:
    """The same article as another site prints it: its header, a caption, its footer."""
    lines = [line for line in text.splitlines() if line.strip()]
    if number % 2 and len(lines) > 4:
        lines = lines[:-1]
    lines.insert(rng.randint(1, max(1, len(lines) - 1)), rng.choice(CAPTIONS))
    header = rng.choice(HEADERS).format(d=rng.randint(1, 28))
    return "\n".join([header, *lines, f"Theo {rng.choice(SITES)}"])


def pairs(seed: int = 12) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    rng = random.Random(seed)
    positives, negatives = [], []
    for texts in articles().values():
        for number, text in enumerate(texts):
            positives.append((text, syndicated(text, rng, number)))
        negatives.extend(itertools.combinations(texts, 2))
    return positives, negatives


def minhash_says(a: str, b: str) -> bool:
    index = DuplicateIndex()
    index.add("a", a)
    return index.add("b", b).duplicate_of == "a"


def jaccard_says(a: str, b: str) -> bool:
    x, y = shingles(a), shingles(b)
    return bool(x | y) and len(x & y) / len(x | y) >= THRESHOLD


def score(decide, positives, negatives) -> dict:
    tp = sum(decide(a, b) for a, b in positives)
    fp = sum(decide(a, b) for a, b in negatives)
    return {"precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / len(positives), "tp": tp, "fp": fp,
            "fn": len(positives) - tp}


def main() -> None:
    positives, negatives = pairs()
    print(f"{len(positives)} syndicated pairs, {len(negatives)} pairs of different articles of one folder")
    for name, decide in (("MinHash/LSH (shipped)", minhash_says), ("exact Jaccard (baseline)", jaccard_says)):
        started = time.perf_counter()
        result = score(decide, positives, negatives)
        seconds = time.perf_counter() - started
        print(f"  {name:26} precision {result['precision']:.3f}  recall {result['recall']:.3f}  "
              f"(tp {result['tp']}, fp {result['fp']}, fn {result['fn']}; {seconds:.1f} s)")


if __name__ == "__main__":
    main()
