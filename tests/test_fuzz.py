"""A short fuzz run of the reader and the extractors: mutated articles, feeds and pages.

Seeds are the bundled articles and ``tests/bad_inputs``; each round mutates one
(flipped and inserted bytes, spliced pieces of other seeds, cut lines, odd
Unicode), reads it as a text file, a JSONL feed and an HTML page, and runs the
pipeline on whatever reads. Nothing may raise, and every offset must hold.

The run is reproducible: ``VNIE_FUZZ_ROUNDS`` inputs (default 1000, about 40 s) drawn from
a fixed seed, so every run tries the same inputs. ``VNIE_FUZZ_SEED`` and ``VNIE_FUZZ_ROUNDS``
explore further; a failure prints both, and the failing input is saved under tests/artifacts/.
"""
from __future__ import annotations

import os
import random
from pathlib import Path

from conftest import ROOT

SEED = int(os.environ.get("VNIE_FUZZ_SEED", "20240607"))
ROUNDS = int(os.environ.get("VNIE_FUZZ_ROUNDS", "1000"))
ARTIFACTS = ROOT / "tests" / "artifacts"
ODD = ["\u200b", "\u0301", "\u0323", "\ufeff", "\u202e", "\r\n", "\r", "\x00", "\t", "\u00a0", "😀", "𝐀", "\ud800",
       "&amp;", "&#7889;", "<script>", "</p>", "<p>", '"', "\\", "{", "}", "Đại tá", "ngày 31/2", "Cụm thi đua số",
       "Bằng khen", "1.027", "(", ")", ":", "|", "\n\n"]


def _seeds() -> list[bytes]:
    paths = sorted((ROOT / "corpus" / "dev").glob("*.txt")) + sorted((ROOT / "tests" / "bad_inputs").iterdir())
    return [p.read_bytes()[:6000] for p in paths if p.is_file() and p.suffix != ".md"]


def mutate(data: bytes, seeds: list[bytes], rng: random.Random) -> bytes:
    """Mostly text-level changes (so most inputs get past decoding), sometimes raw bytes."""
    if rng.random() < 0.75:
        text = mutate_text(data.decode("utf-8", errors="replace"), seeds, rng)
        data = text.encode("utf-8", errors="surrogatepass")
        if rng.random() < 0.25:  # the same text as a page
            data = b"<html><head><title>T</title><script>x()</script></head><body><article><p>" + \
                data.replace(b"\n", b"</p><p>") + b"</p></article></body></html>"
        if rng.random() < 0.25:  # or as a feed
            import json
            data = b"\n".join(json.dumps({"id": str(i), "text": part}, ensure_ascii=rng.random() < 0.5)
                              .encode("utf-8", errors="surrogatepass") for i, part in enumerate(text.split("\n\n")))
        return data
    return mutate_bytes(data, seeds, rng)


def mutate_text(text: str, seeds: list[bytes], rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(6)
        at = rng.randint(0, len(chars))
        if op == 0:  # insert odd characters or genre fragments
            chars[at:at] = rng.choice(ODD)
        elif op == 1:  # delete a run
            del chars[at:at + rng.randint(1, 200)]
        elif op == 2:  # splice in a piece of another seed
            other = rng.choice(seeds).decode("utf-8", errors="replace")
            start = rng.randint(0, max(0, len(other) - 1))
            chars[at:at] = other[start:start + rng.randint(1, 400)]
        elif op == 3:  # repeat a piece
            chars[at:at] = chars[at:at + rng.randint(1, 100)] * rng.randint(2, 20)
        elif op == 4:  # any code point, surrogates aside
            chars[at:at] = [chr(rng.choice([rng.randrange(0x20, 0x3000), rng.randrange(0xE000, 0x110000)]))]
        else:  # swap case or digits
            if 0 < at < len(chars):
                c = chars[at]
                chars[at] = str(rng.randrange(10)) if c.isdigit() else c.swapcase()
    return "".join(chars)


def mutate_bytes(data: bytes, seeds: list[bytes], rng: random.Random) -> bytes:
    data = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.randrange(5)
        at = rng.randint(0, len(data))
        if op == 0 and data:  # flip a byte
            data[min(at, len(data) - 1)] = rng.randrange(256)
        elif op == 1:  # delete a run
            del data[at:at + rng.randint(1, 200)]
        elif op == 2:  # splice in a piece of another seed
            other = rng.choice(seeds)
            start = rng.randint(0, max(0, len(other) - 1))
            data[at:at] = other[start:start + rng.randint(1, 400)]
        elif op == 3:  # random bytes
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        else:  # cut
            data = data[:at]
    return bytes(data)


def check(nlp, data: bytes) -> None:
    from pipeline.io.documents import Document, ReadError
    from pipeline.io.read import read_html, read_jsonl, read_text_file
    from pipeline.runner.process import process
    from pipeline.runner.tables import doc_rows

    items = [read_text_file(Path("f.txt"), data=data), read_html(Path("f.html"), data=data)]
    items += list(read_jsonl(Path("f.jsonl"), lines=iter(data.splitlines(keepends=True))))
    for item in items:
        assert isinstance(item, (Document, ReadError))
        if isinstance(item, ReadError):
            assert item.error.strip()
            continue
        doc = process(nlp, item)
        text = item.text
        assert doc.text == text
        rows = doc_rows(doc)
        for m in rows["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]
        for table in rows.values():  # everything can be written as UTF-8
            for row in table:
                for value in row.values():
                    if isinstance(value, str):
                        value.encode("utf-8")
        text.encode("utf-8")


def test_fuzz_the_reader_and_the_extractors(nlp):
    rng = random.Random(SEED)
    seeds = _seeds()
    for round_ in range(ROUNDS):
        data = mutate(rng.choice(seeds), seeds, rng)
        try:
            check(nlp, data)
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            saved = ARTIFACTS / f"fuzz-crash-{SEED}-{round_}.bin"
            saved.write_bytes(data)
            print(f"fuzz failure: VNIE_FUZZ_SEED={SEED} VNIE_FUZZ_ROUNDS={round_ + 1}, input saved to {saved}")
            raise
    print(f"fuzz: {ROUNDS} inputs, seed {SEED}")
