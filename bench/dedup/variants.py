"""Which similarity of word shingles separates the judged copies best:
precision and recall of thresholds on 1-, 2- and 3-shingles, Jaccard,
containment and Dice, with and without the title, and with the rule that
one post's numbers are a subset of the other's.

  python3 bench/dedup/variants.py CORPUS [PAIRS]

For each variant: the best recall at precision >= 0.95 and the best
precision at recall >= 0.90, as (threshold, precision, recall)."""
import os
import re
import sys

from shingles import load

WORD = re.compile(r"\w+")
NUM = re.compile(r"^\d+$")


def toks(d, title):
    t = ((d.get("title") or "") + "\n" if title else "") + (d.get("text") or "")
    return WORD.findall(t.lower().replace("ё", "е"))


def sh(w, k):
    if len(w) < k:
        return {tuple(w)} if w else set()
    return {tuple(w[i:i + k]) for i in range(len(w) - k + 1)}


def sim(a, b, measure):
    if not a or not b:
        return 0.0
    i = len(a & b)
    if measure == "jaccard":
        return i / len(a | b)
    if measure == "containment":
        return i / min(len(a), len(b))
    return 2 * i / (len(a) + len(b))


def best(scores):
    rows = []
    for t in [x / 100 for x in range(20, 96, 5)]:
        tp = sum(1 for s, l in scores if s >= t and l == "copy")
        fp = sum(1 for s, l in scores if s >= t and l != "copy")
        fn = sum(1 for s, l in scores if s < t and l == "copy")
        rows.append((t, tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn)))
    hp = [r for r in rows if r[1] >= 0.95]
    hr = [r for r in rows if r[2] >= 0.90]
    fmt = lambda r: "(%.2f, %.3f, %.3f)" % r if r else "none"
    return (fmt(max(hp, key=lambda r: r[2]) if hp else None),
            fmt(max(hr, key=lambda r: r[1]) if hr else None))


def main():
    docs = {d["id"]: d for d in load(sys.argv[1])}
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "pairs.tsv")
    pairs = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8") if not l.startswith("#")]
    print("k title measure numbers | best R at P>=0.95 | best P at R>=0.90")
    for numbers in (False, True):
        for k in (1, 2, 3):
            for title in (True, False):
                for m in ("jaccard", "containment", "dice"):
                    sc = []
                    for a, b, _, label in pairs:
                        da, db = docs[a], docs[b]
                        ok = True
                        if numbers:
                            na = {w for w in toks(da, True) if NUM.match(w)}
                            nb = {w for w in toks(db, True) if NUM.match(w)}
                            ok = na <= nb or nb <= na
                        s = sim(sh(toks(da, title), k), sh(toks(db, title), k), m) if ok else 0.0
                        sc.append((s, label))
                    r1, r2 = best(sc)
                    print(k, title, m, numbers, "|", r1, "|", r2)


main()
