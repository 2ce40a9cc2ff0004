"""Folding precision and recall of the library on the judged pairs.

  python3 bench/dedup/evaluate.py DEDUP_PAIRS INDEX [PAIRS]

DEDUP_PAIRS is build/bench/dedup_pairs, INDEX an index of
telegram-news-posts, PAIRS bench/dedup/pairs.tsv (default).  A pair the
library folds (near = 1) is right when judged "copy".  Prints precision and
recall over the pairs as sampled (24 a Jaccard bin), and, for comparison,
the estimate alone at NI_SIG_NEAR (the rule before nearcopy.c) and what
thresholds on the estimate and on the exact Jaccard would give."""
import os
import subprocess
import sys


def pr(rows, pred):
    tp = sum(1 for r in rows if pred(r) and r["label"] == "copy")
    fp = sum(1 for r in rows if pred(r) and r["label"] != "copy")
    fn = sum(1 for r in rows if not pred(r) and r["label"] == "copy")
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, tp, fp, fn


def main():
    tool, index = sys.argv[1], sys.argv[2]
    path = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "pairs.tsv")
    with open(path, encoding="utf-8") as f:
        out = subprocess.run([tool, index], stdin=f, capture_output=True, text=True,
                             check=True).stdout
    rows, missing = [], 0
    for line in out.splitlines():
        c = line.split("\t")
        if c[-1] == "missing":
            missing += 1
            continue
        rows.append({"a": c[0], "b": c[1], "jaccard": float(c[2]), "label": c[3],
                     "est": float(c[4]), "near": c[5] == "1", "est_near": c[6] == "1"})
    labels = {}
    for r in rows:
        labels[r["label"]] = labels.get(r["label"], 0) + 1
    print(f"pairs: {len(rows)} ({', '.join(f'{k} {v}' for k, v in sorted(labels.items()))}),"
          f" missing from the index: {missing}")
    p, r, tp, fp, fn = pr(rows, lambda x: x["near"])
    print(f"library folding: precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
    p, r, tp, fp, fn = pr(rows, lambda x: x["est_near"])
    print(f"the estimate alone: precision {p:.3f} recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")
    for r in rows:
        if r["near"] != (r["label"] == "copy"):
            kind = "folded, judged " + r["label"] if r["near"] else "not folded, judged copy"
            print(f"  {kind}: {r['a']} {r['b']} jaccard {r['jaccard']:.3f} estimate {r['est']:.3f}")
    print("threshold  estimate: precision recall   exact jaccard: precision recall")
    for t in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7):
        pe, re, *_ = pr(rows, lambda x: x["est"] >= t)
        pj, rj, *_ = pr(rows, lambda x: x["jaccard"] >= t)
        print(f"  {t:.2f}     {pe:.3f} {re:.3f}            {pj:.3f} {rj:.3f}")


main()
