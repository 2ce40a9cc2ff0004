#!/usr/bin/env python3
"""table.py WORKDIR - the markdown tables of a run.sh work directory

For every set of WORKDIR/sets/list (`name corpus queries qrels K`) and each
half (tune: odd lines of the query file, report: even lines), one table of
the runs WORKDIR/runs/<set>.<engine>.<mode>.run found: the metrics of
evaluate.py, the queries answered, and p50/p99 ms from the adapter's timing
JSON (<...>.timing.json; over all the set's queries, both halves).  Below
each table, nsearch's default mode against the best peer row of that half
(by MRR@10, or by R@1000 for the name sets): the mean per-query difference
and the paired randomization test's p (evaluate.randomization_test).
"""
import json
import os
import sys

import evaluate

ORDER = [("nsearch", "default"), ("nsearch", "or"), ("xapian", "or"), ("xapian", "and"),
         ("fts5", "or"), ("fts5", "and")]
NAME_SETS = ("names", "compounds")


def timing(path):
    try:
        with open(path, encoding="utf-8") as f:
            t = json.loads(f.read() or "{}")
    except (OSError, ValueError):
        t = {}
    return t.get("p50_ms"), t.get("p99_ms")


def ms(v):
    return "-" if v is None else "%.2f" % v


def rows_of(work, name):
    """[(engine, mode, run path)] present for set name, in ORDER first."""
    found = []
    for f in sorted(os.listdir(os.path.join(work, "runs"))):
        parts = f.split(".")
        if len(parts) == 4 and parts[0] == name and parts[3] == "run":
            found.append((parts[1], parts[2]))
    found.sort(key=lambda r: (ORDER.index(r) if r in ORDER else len(ORDER), r))
    return [(e, m, os.path.join(work, "runs", "%s.%s.%s.run" % (name, e, m))) for e, m in found]


def table(work, name, queries, qrels_path, half):
    qrels, _ = evaluate.read_qrels(qrels_path)
    qids = [q for q in evaluate.read_query_ids(queries, half) if qrels.get(q)]
    names = name in NAME_SETS
    cols = (["MRR@10", "P@10", "P@10ret", "R@1000", "nDCG@10"] if names
            else ["MRR@10", "P@10", "R@100", "nDCG@10"])
    key = "R@1000" if names else "MRR@10"
    out = ["### %s, %s half (%d queries)" % (name, half, len(qids)), "",
           "| engine | mode | %s | answered | p50 ms | p99 ms |" % " | ".join(cols),
           "|---|---|%s---:|---:|---:|" % ("---:|" * len(cols))]
    results = []
    for e, m, path in rows_of(work, name):
        per, means = evaluate.evaluate(evaluate.read_run(path), qrels, qids)
        p50, p99 = timing(path[:-len(".run")] + ".timing.json")
        results.append((e, m, per, means))
        out.append("| %s | %s | %s | %d | %s | %s |" % (
            e, m, " | ".join("%.4f" % means[c] for c in cols), means["answered"], ms(p50),
            ms(p99)))
    ours = [r for r in results if r[0] == "nsearch" and r[1] == "default"]
    peers = [r for r in results if r[0] != "nsearch"]
    if ours and peers and qids:
        best = max(peers, key=lambda r: r[3][key])
        tests = ["MRR@10"] + (["R@1000", "P@10ret"] if names else [])
        said = []
        for t in tests:
            diffs = [ours[0][2][q][t] - best[2][q][t] for q in qids]
            said.append("%s %+.4f (p = %.4f)" % (t, sum(diffs) / len(diffs),
                                                 evaluate.randomization_test(diffs)))
        out += ["", "nsearch default − best peer (%s %s, by %s): %s; paired randomization "
                "test, %d sign flips, seed %d." % (best[0], best[1], key, ", ".join(said),
                                                   evaluate.PERMUTATIONS, evaluate.SEED)]
    return out + [""]


def main(argv):
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    work = argv[1]
    lines = []
    with open(os.path.join(work, "sets", "list"), encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) != 5:
                continue
            name, _, queries, qrels, _ = p
            for half in ("tune", "report"):
                lines += table(work, name, queries, qrels, half)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
