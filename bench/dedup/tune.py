"""The thresholds of the folding rule (lib/minhash.h) tuned on one half of
the judged pairs and measured on the other.

  python3 bench/dedup/tune.py DEDUP_PAIRS INDEX [PAIRS]

Runs DEDUP_PAIRS (build/bench/dedup_pairs) on INDEX (an index of
telegram-news-posts) with PAIRS (bench/dedup/pairs.tsv), whose columns
after the library's decision are the estimated containment, whether the
numbers fit, the days apart, whether the numbers are the same and the
two counts of shingles.  The
pairs are split by line parity (even lines: tuning half, odd: held back);
for each rule NEAR (containment), FLOOR (Jaccard), DAYS, FAR (the
Jaccard needed further apart; 0: any) and FAR_MIN (the shingles each
needs further apart), the script
replays ni_minhash_near and prints the best rules on the tuning half (by
min(P / 0.95, R / 0.9), the distance to the worse of the two targets)
with their figures on both halves and on all pairs."""
import os
import subprocess
import sys


def load(tool, index, path):
    with open(path, encoding="utf-8") as f:
        out = subprocess.run([tool, index], stdin=f, capture_output=True, text=True,
                             check=True).stdout
    rows = []
    for line in out.splitlines():
        c = line.split("\t")
        if c[-1] == "missing":
            continue
        rows.append({"label": c[3], "j": float(c[4]), "near": c[5] == "1", "c": float(c[6]),
                     "fit": c[7] == "1", "days": int(c[8]), "same": c[9] == "1",
                     "small": min(int(c[10]), int(c[11]))})
    return rows


def fold(r, near, floor, days, far, far_min):
    if not r["fit"]:
        return False
    if r["days"] > days:
        return r["same"] and r["j"] >= far - 1e-9 and r["small"] >= far_min
    return r["j"] >= floor - 1e-9 and r["c"] >= near - 1e-9


def pr(rows, pred):
    tp = sum(1 for r in rows if pred(r) and r["label"] == "copy")
    fp = sum(1 for r in rows if pred(r) and r["label"] != "copy")
    fn = sum(1 for r in rows if not pred(r) and r["label"] == "copy")
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def main():
    tool, index = sys.argv[1], sys.argv[2]
    path = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "pairs.tsv")
    rows = load(tool, index, path)
    halves = (rows[0::2], rows[1::2])
    p, r = pr(rows, lambda x: x["near"])
    p0, r0 = pr(halves[0], lambda x: x["near"])
    p1, r1 = pr(halves[1], lambda x: x["near"])
    print(f"library as built: all P {p:.3f} R {r:.3f}; tuning half P {p0:.3f} R {r0:.3f};"
          f" held-back half P {p1:.3f} R {r1:.3f}")
    grid = []
    for near in [x / 100 for x in range(35, 81, 5)]:
        for floor in [x / 100 for x in range(0, 41, 5)]:
            for days in (1, 2, 3, 5, 7, 14, 10**6):
                for far in (0, 0.5):
                    for fm in (0, 10, 20, 50):
                        f = lambda x, n=near, fl=floor, d=days, fa=far, m=fm: fold(x, n, fl, d, fa, m)
                        grid.append(((near, floor, days, far, fm), pr(halves[0], f),
                                     pr(halves[1], f), pr(rows, f)))
    key = lambda g: (round(min(g[1][0] / 0.95, g[1][1] / 0.9), 6), g[1][1])
    print("NEAR FLOOR DAYS FAR FAR_MIN | tuning P R | held-back P R | all P R")
    for g in sorted(grid, key=key, reverse=True)[:20]:
        (n, fl, d, fa, fm), a, b, c = g
        print(f"{n:.2f} {fl:.2f} {d if d < 10**6 else 'inf'} {fa:.1f} {fm} | {a[0]:.3f} {a[1]:.3f} |"
              f" {b[0]:.3f} {b[1]:.3f} | {c[0]:.3f} {c[1]:.3f}")


main()
