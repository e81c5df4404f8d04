"""Scoring by the rules of SCHEMA.md: a verbatim copy of the reference scorer (score.py).

Kept identical so `vnie evaluate` prints the same figures; do not edit it here.
"""
import csv, json, os, re, sys, unicodedata
from collections import defaultdict

csv.field_size_limit(1 << 30)

TONE = {  # old-style tone placement -> new style, for the pairs that differ
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}


def norm(s):
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", str(s)).casefold()
    s = re.sub(r"[\"“”‘’']", "", s)
    s = re.sub(r"\s+", " ", s).strip(" .,;:")
    for a, b in TONE.items():
        s = re.sub(a + r"(?!\w)", b, s)  # only at the end of a syllable: 'uý' but not 'uyê'
    return s


def toks(s):
    return [t for t in re.split(r"[\s,;.()\-–/|]+", norm(s)) if t]


def tok_f1(a, b):
    a, b = toks(a), toks(b)
    if not a and not b:
        return 1.0
    if not a or not b:
        return 0.0
    common = 0
    bb = list(b)
    for t in a:
        if t in bb:
            bb.remove(t)
            common += 1
    if not common:
        return 0.0
    p, r = common / len(a), common / len(b)
    return 2 * p * r / (p + r)


def jacc(a, b):
    a, b = set(toks(a)), set(toks(b))
    return len(a & b) / len(a | b) if a | b else 1.0


def to_int(x):
    if x in (None, ""):
        return None
    try:
        return int(float(str(x).replace(".", "").replace(",", ""))) if not isinstance(x, int) else x
    except ValueError:
        return None


def split_list(cell):
    if cell is None:
        return []
    if isinstance(cell, list):
        return cell
    return [x.strip() for x in str(cell).split(" | ") if x.strip()]


def read_gold(path):
    docs = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                docs[d["doc_id"]] = d
    return docs


def read_csv(folder, name):
    p = os.path.join(folder, name)
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_tables(folder):
    """Turn the project's tables into gold-shaped records."""
    docs = defaultdict(lambda: {"officials": [], "dates": [], "years": [], "periods": [],
                                "clusters": [], "titles": [], "award_counts": []})
    for r in read_csv(folder, "documents.csv"):
        d = docs[r["doc_id"]]
        d["doc_id"] = r["doc_id"]
        d["published"] = r.get("published") or None
        d["event_date"] = r.get("event_date") or None
        d["author"] = r.get("author") or None
        d["status"] = r.get("status")
    for r in read_csv(folder, "officials.csv"):
        docs[r["doc_id"]]["officials"].append(
            {"name": r.get("name"), "rank": r.get("rank") or None, "position": r.get("position") or None})
    for r in read_csv(folder, "dates.csv"):
        v, g = (r.get("value") or "").strip(), (r.get("granularity") or "").strip()
        d = docs[r["doc_id"]]
        if g in ("datetime", "date"):
            d["dates"].append(v[:10])
        elif g == "year":
            d["years"].append(v[:4])
        elif g == "period":
            if re.fullmatch(r"\d{4}/\d{4}", v):
                d["periods"].append(v)
            else:  # a day range: both ends are dates
                for part in v.split("/"):
                    if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", part):
                        d["dates"].append(part[:10])
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}/\d{4}-\d{2}-\d{2}", v):
            d["dates"].extend(p for p in v.split("/"))
    for r in read_csv(folder, "clusters.csv"):
        docs[r["doc_id"]]["clusters"].append(
            {"kind": r.get("kind"), "number": to_int(r.get("number")), "name": r.get("name"),
             "parent": r.get("parent"), "members": split_list(r.get("members")), "leader": r.get("leader")})
    for r in read_csv(folder, "titles.csv"):
        docs[r["doc_id"]]["titles"].append({"title": r.get("title"), "recipient": r.get("recipient") or None})
    for r in read_csv(folder, "award_counts.csv"):
        docs[r["doc_id"]]["award_counts"].append(
            {"count": to_int(r.get("count")), "total": to_int(r.get("total")), "unit": r.get("unit"),
             "title": r.get("title")})
    return dict(docs)


class PRF:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, tp, fp, fn):
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def scores(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def match_sets(gold, pred, same):
    """Greedy one-to-one matching; returns pairs, unmatched gold, unmatched pred."""
    pairs, left = [], list(pred)
    missed = []
    for g in gold:
        hit = next((p for p in left if same(g, p)), None)
        if hit is None:
            missed.append(g)
        else:
            left.remove(hit)
            pairs.append((g, hit))
    return pairs, missed, left


def dedup(items, key):
    seen, out = set(), []
    for x in items:
        k = key(x)
        if k not in seen:
            seen.add(k)
            out.append(x)
    return out


def same_cluster(g, p):
    if norm(g.get("kind")) != norm(p.get("kind")):
        return False
    if g.get("number") is not None or p.get("number") is not None:
        return g.get("number") == p.get("number")
    return jacc(g.get("name"), p.get("name")) >= 0.5


def score(gold, pred, detail=None):
    fields = ["officials", "officials.rank", "officials.position", "dates", "years", "periods",
              "published", "event_date", "clusters", "clusters.members", "titles", "award_counts",
              "award_counts.title"]
    m = {f: PRF() for f in fields}
    for doc_id, g in gold.items():
        p = pred.get(doc_id, {})
        errs = []
        # officials
        go = dedup(g.get("officials", []), lambda o: norm(o["name"]))
        po = dedup(p.get("officials", []), lambda o: norm(o["name"]))
        pairs, miss, extra = match_sets(go, po, lambda a, b: norm(a["name"]) == norm(b["name"]))
        m["officials"].add(len(pairs), len(extra), len(miss))
        errs += [f"official missed: {o['name']}" for o in miss] + [f"official extra: {o['name']}" for o in extra]
        for a, b in pairs:
            ok = norm(a.get("rank")) == norm(b.get("rank"))
            m["officials.rank"].add(int(ok), int(not ok), int(not ok))
            if not ok:
                errs.append(f"rank of {a['name']}: gold {a.get('rank')!r} got {b.get('rank')!r}")
            if a.get("position"):
                ok = tok_f1(a.get("position"), b.get("position")) >= 0.6
                m["officials.position"].add(int(ok), int(not ok), int(not ok))
                if not ok:
                    errs.append(f"position of {a['name']}: gold {a.get('position')!r} got {b.get('position')!r}")
        # dates, years, periods
        for f in ("dates", "years", "periods"):
            gs, ps = set(map(norm, g.get(f, []))), set(map(norm, p.get(f, [])))
            m[f].add(len(gs & ps), len(ps - gs), len(gs - ps))
            errs += [f"{f} missed: {x}" for x in sorted(gs - ps)] + [f"{f} extra: {x}" for x in sorted(ps - gs)]
        for f in ("published", "event_date"):
            gv, pv = norm(g.get(f)), norm(p.get(f))
            if f == "published":  # compare to the minute at most
                gv, pv = gv[:16], pv[:16]
            ok = gv == pv
            m[f].add(int(ok), int(not ok and bool(pv)), int(not ok and bool(gv)) + int(not ok and not gv and not pv))
            if not ok:
                errs.append(f"{f}: gold {g.get(f)!r} got {p.get(f)!r}")
        # clusters
        gc = g.get("clusters", [])
        pc = dedup(p.get("clusters", []), lambda c: (norm(c.get("kind")), c.get("number"), norm(c.get("name"))))
        pairs, miss, extra = match_sets(gc, pc, same_cluster)
        m["clusters"].add(len(pairs), len(extra), len(miss))
        errs += [f"cluster missed: {c.get('name')}" for c in miss] + [f"cluster extra: {c.get('name')}" for c in extra]
        for a, b in pairs:
            mp, mm, me = match_sets(a.get("members") or [], b.get("members") or [], lambda x, y: jacc(x, y) >= 0.5)
            m["clusters.members"].add(len(mp), len(me), len(mm))
            errs += [f"member missed in {a.get('name')}: {x}" for x in mm] + [f"member extra: {x}" for x in me]
        # titles
        gt, pt = set(norm(t["title"]) for t in g.get("titles", [])), set(norm(t["title"]) for t in p.get("titles", []))
        m["titles"].add(len(gt & pt), len(pt - gt), len(gt - pt))
        errs += [f"title missed: {x}" for x in sorted(gt - pt)] + [f"title extra: {x}" for x in sorted(pt - gt)]
        # award counts
        key = lambda a: (to_int(a.get("count")), norm(a.get("unit")))
        ga = dedup(g.get("award_counts", []), key)
        pa = dedup(p.get("award_counts", []), key)
        pairs, miss, extra = match_sets(ga, pa, lambda a, b: key(a) == key(b))
        m["award_counts"].add(len(pairs), len(extra), len(miss))
        errs += [f"count missed: {key(a)}" for a in miss] + [f"count extra: {key(a)}" for a in extra]
        for a, b in pairs:
            ok = norm(a.get("title")) == norm(b.get("title"))
            m["award_counts.title"].add(int(ok), int(not ok), int(not ok))
            if not ok:
                errs.append(f"title of count {key(a)}: gold {a.get('title')!r} got {b.get('title')!r}")
        if detail is not None:
            detail[doc_id] = errs
    out = {f: dict(zip(("p", "r", "f1"), (round(x, 4) for x in m[f].scores())),
                   tp=m[f].tp, fp=m[f].fp, fn=m[f].fn) for f in fields}
    head = ["officials", "officials.rank", "dates", "event_date", "clusters", "titles", "award_counts"]
    out["headline"] = round(sum(out[f]["f1"] for f in head) / len(head), 4)
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    gold = read_gold(argv[1])
    if "--only" in argv:
        keep = set(argv[argv.index("--only") + 1].split(","))
        gold = {k: v for k, v in gold.items() if k in keep}
    src = argv[2]
    pred = read_gold(src) if src.endswith(".jsonl") else read_tables(src)
    detail = {} if "--docs" in argv else None
    res = score(gold, pred, detail)
    if "--json" in argv:
        print(json.dumps(res, ensure_ascii=False))
    else:
        for f, v in res.items():
            if f != "headline":
                print(f"{f:22s} P {v['p']:.3f}  R {v['r']:.3f}  F1 {v['f1']:.3f}   (tp {v['tp']}, fp {v['fp']}, fn {v['fn']})")
        print(f"headline (mean F1 of 7 fields): {res['headline']:.3f}")
    if detail:
        for d, errs in detail.items():
            if errs:
                print(f"\n## {d}")
                for e in errs:
                    print("  " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
