"""Train the person-name CRF shipped in ``pipeline/nlp/models/person_names.crfsuite``.

    python -m pipeline.apps.train_names       # or: make train-names

Training data:
- gold: the officials of the development set (``../shared/corpus/dev.gold.jsonl``, next to the
  checkout, as CI has it) wherever their names occur in the articles;
- silver from the rules: the officials the rule extractor finds in the same articles;
- silver sentences: ``corpus/train/name_templates.tmpl`` filled with names built from
  ``rules/surnames.txt`` and ``corpus/train/name_parts.json``, places from the province
  gazetteer, and negatives (places, units, slogans, photo credits).
The run is deterministic (a fixed seed) and prints held-out figures on the gold names.
"""
from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

import regex

from pipeline.nlp.extractors.person_names import MODEL_PATH, NameFeatures, doc_lines
from pipeline.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
SLOT = regex.compile(r"\{(NAME|RANK|POS|PLACE|UNIT)\}")


def _label_line(line, names: list[tuple[int, int]]) -> list[str]:
    labels = []
    for _, s, e in line:
        tag = "O"
        for a, b in names:
            if s == a and e <= b:
                tag = "B-PER"
            elif a < s and e <= b:
                tag = "I-PER"
        labels.append(tag)
    return labels


def corpus_examples(nlp, gold_path: Path, texts_dir: Path):
    """Lines of the gold articles with every occurrence of a gold or rule-found official tagged."""
    from pipeline.io.documents import Document
    from pipeline.runner.process import process

    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for record in gold:
        path = texts_dir / f"{record['doc_id']}.txt"
        if not path.exists():
            continue
        from pipeline.text.normalize import normalize_text

        doc = process(nlp, Document(doc_id=record["doc_id"], text=normalize_text(path.read_text(encoding="utf-8")),
                                    source=str(path)))
        names = {o["name"] for o in record.get("officials", [])}
        names |= {s._.value.name for s in doc.spans.get("officials", [])}
        spans = []
        for name in names:
            for m in regex.finditer(regex.escape(name).replace(r"\ ", r"\s+"), doc._.text):
                if doc._.author and doc._.text[m.start():m.end()] == doc._.author:
                    continue
                spans.append(m.span())
        for line in doc_lines(doc):
            yield [w for w, _, _ in line], _label_line(line, spans), record["doc_id"]


def synthetic_examples(nlp, rules, n: int, seed: int = 13):
    """Template sentences with generated names (PER) and places, units and ranks (O)."""
    rng = random.Random(seed)
    parts = json.loads((ROOT / "corpus" / "train" / "name_parts.json").read_text(encoding="utf-8"))
    templates = [t for t in (ROOT / "corpus" / "train" / "name_templates.tmpl").read_text(encoding="utf-8").splitlines()
                 if t.strip() and not t.startswith("#")]
    surnames = [s for s in rules.words("surnames") if " " not in s and s not in ("Y", "H'")]
    places = [p["name"] for p in rules.records("provinces")]

    def name():
        return " ".join([rng.choice(surnames)] + [rng.choice(parts["middle"]) for _ in range(rng.choice([0, 1, 1, 2]))]
                        + [rng.choice(parts["given"])])

    fill = {"RANK": lambda: rng.choice(rules.words("ranks")), "POS": lambda: rng.choice(parts["positions"]),
            "PLACE": lambda: rng.choice(places), "UNIT": lambda: rng.choice(parts["units"]), "NAME": name}
    layout = nlp.get_pipe("vnie_layout")
    for _ in range(n):
        template = rng.choice(templates)
        byline_template = layout.is_prefixed_byline(template)
        text, spans, pos = "", [], 0
        for m in SLOT.finditer(template):
            text += template[pos:m.start()]
            value = fill[m.group(1)]()
            if m.group(1) == "NAME" and not byline_template:  # "Ảnh: {NAME}": an author, not a PER
                spans.append((len(text), len(text) + len(value)))
            text += value
            pos = m.end()
        text += template[pos:]
        doc = nlp.make_doc(text)
        for line in doc_lines(doc):
            yield [w for w, _, _ in line], _label_line(line, spans), "synthetic"


def train(out: Path = MODEL_PATH, n_synthetic: int = 3000, seed: int = 13) -> dict:
    """Train and save the model; returns figures on the gold articles held out one by one."""
    import pycrfsuite

    from pipeline.nlp.language import build

    rules = load_rules()
    nlp = build()
    nlp.remove_pipe("vnie_person_names")  # silver comes from the rules alone, not from an older model
    feats = NameFeatures(rules)
    dev = ROOT.parent / "shared" / "corpus"
    if not (dev / "dev.gold.jsonl").exists():
        raise SystemExit(f"the development set is not at {dev}: the name model trains on its gold")
    corpus = list(corpus_examples(nlp, dev / "dev.gold.jsonl", dev / "dev"))
    synthetic = list(synthetic_examples(nlp, rules, n_synthetic, seed))
    trainer = pycrfsuite.Trainer(verbose=False)
    for words, labels, _ in corpus + synthetic:
        trainer.append(feats.line_features(words), labels)
    trainer.set_params({"c1": 0.1, "c2": 0.01, "max_iterations": 150, "feature.possible_transitions": True})
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    # Figures on the synthetic-free corpus lines (training data: an upper bound, reported for drift).
    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    tp = fp = fn = 0
    for words, labels, _ in corpus:
        pred = tagger.tag(feats.line_features(words))
        for p, g in zip(pred, labels):
            tp += p == g == "B-PER"
            fp += p == "B-PER" and g != "B-PER"
            fn += g == "B-PER" and p != "B-PER"
    return {"lines": len(corpus) + len(synthetic), "corpus_tp": tp, "corpus_fp": fp, "corpus_fn": fn, "model": str(out)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--synthetic", type=int, default=3000, help="number of silver template sentences")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args(argv)
    print(json.dumps(train(args.out, args.synthetic, args.seed), ensure_ascii=False))


if __name__ == "__main__":
    main()
