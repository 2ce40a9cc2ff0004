"""The folding rules of lib/minhash.h on exact shingle sets, and what
ignoring frequent shingles (a channel's footer) would add: precision and
recall on the judged pairs.

  python3 bench/dedup/rules_exact.py CORPUS [PAIRS]

Shingles as shingles.py makes them.  For each variant: DF (shingles found
in DF or more posts of CORPUS ignored; 'all': none), the measure (Jaccard,
or containment of the smaller set with Jaccard >= 0.2), with or without
the numbers rule (the numbers of one post among the other's) and the days
rule (more than 3 days apart: the same numbers and Jaccard >= 0.5); the
best recall at precision >= 0.95 and the best min(P / 0.95, R / 0.9), as
(threshold, precision, recall)."""
import collections
import datetime
import os
import re
import sys

from shingles import load, shingles, words

NUM = re.compile(r"^\d+$")


def main():
    docs = {d["id"]: d for d in load(sys.argv[1])}
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "pairs.tsv")
    pairs = [l.rstrip("\n").split("\t") for l in open(path, encoding="utf-8")
             if not l.startswith("#")]
    sh = {k: shingles(d) for k, d in docs.items()}
    df = collections.Counter()
    for s in sh.values():
        df.update(s)
    nums = {k: {w for w in words(d) if NUM.match(w)} for k, d in docs.items()}

    def days(a, b):
        da = datetime.datetime.fromisoformat(docs[a]["date"])
        db = datetime.datetime.fromisoformat(docs[b]["date"])
        return abs((da - db).total_seconds()) / 86400

    def score(a, b, limit, measure, numbers, dated):
        A = {x for x in sh[a] if df[x] < limit} or sh[a]
        B = {x for x in sh[b] if df[x] < limit} or sh[b]
        j = len(A & B) / len(A | B)
        s = j if measure == "jaccard" else (len(A & B) / min(len(A), len(B)) if j >= 0.2 else 0)
        if numbers and not (nums[a] <= nums[b] or nums[b] <= nums[a]):
            return 0.0
        if dated and days(a, b) > 3:
            return s if nums[a] == nums[b] and j >= 0.5 else 0.0
        return s

    print("DF measure numbers days | best R at P>=0.95 | best min(P/0.95, R/0.9)")
    for limit in (10**9, 100, 50, 20, 10):
        for measure in ("jaccard", "containment"):
            for numbers, dated in ((False, False), (True, False), (True, True)):
                sc = [(score(a, b, limit, measure, numbers, dated), l) for a, b, _, l in pairs]
                rows = []
                for t in [x / 100 for x in range(20, 96, 5)]:
                    tp = sum(1 for s, l in sc if s >= t and l == "copy")
                    fp = sum(1 for s, l in sc if s >= t and l != "copy")
                    fn = sum(1 for s, l in sc if s < t and l == "copy")
                    rows.append((t, tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn)))
                hp = [r for r in rows if r[1] >= 0.95]
                b1 = max(hp, key=lambda r: r[2]) if hp else None
                b2 = max(rows, key=lambda r: min(r[1] / 0.95, r[2] / 0.9))
                fmt = lambda r: "(%.2f, %.3f, %.3f)" % r if r else "none"
                print("all" if limit == 10**9 else limit, measure, numbers, dated, "|", fmt(b1),
                      "|", fmt(b2))


main()
