#!/usr/bin/env python3
"""evaluate.py QRELS RUN [--baseline RUN2] [--half tune|report|all]
                 [--queries TSV] [--test M1,M2] [--json] [--per-query]

Scores a TREC run (`qid Q0 docid rank score tag`) against qrels (`qid 0
docid rel`, relevant when rel > 0) and, with --baseline, compares it with a
second run by a paired randomization test.

Queries scored: those of --queries (a `qid<TAB>query` file) that have at
least one relevant document, or without --queries every qid of QRELS with
one.  --half picks the split every set here uses: the queries on the odd
lines of the query file (1st, 3rd, ...; counting lines that hold a query)
are the tune half, those on even lines the report half; it needs --queries.
A query the run does not hold, or holds without results, scores 0.

A run is read in its rank order (ties in file order), not re-sorted by
score; a docid repeated for one query counts at its first rank only.
Per query, then averaged:
  MRR@10    1 / rank of the first relevant document in the top 10, else 0
  P@10      relevant documents in the top 10 / 10
  P@10ret   relevant documents in the top 10 / documents returned in the
            top 10 (0 when none): the precision of what the engine shows,
            for sets with fewer than ten relevant documents per query
  R@100, R@1000   relevant documents in the top k / relevant documents
  nDCG@10   DCG@10 (gain rel, discount log2(rank + 1)) / the ideal DCG@10
            of the query's judgments
and `answered`, the number of queries with at least one result.

With --baseline: for each metric of --test (default MRR@10), the mean of
the per-query differences RUN - RUN2 and its two-sided p value from 10,000
random sign flips of the differences (random.Random(15)); p = (flips with
|mean| >= |observed mean| + 1) / (10,000 + 1).

Prints a small table, or one JSON object with --json; --per-query adds a
line (or a "per_query" member) per query.  Exit status 2 on bad usage or
input.
"""
import argparse
import json
import math
import random
import sys

METRICS = ("MRR@10", "P@10", "P@10ret", "R@100", "R@1000", "nDCG@10")
PERMUTATIONS = 10000
SEED = 15


def read_qrels(path):
    """{qid: {docid: rel}} of the judgments with rel > 0, and every qid
    seen in file order."""
    rel, order = {}, []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            p = line.split()
            if not p:
                continue
            if len(p) != 4:
                raise ValueError("%s:%d: expected 'qid 0 docid rel'" % (path, n))
            if p[0] not in rel:
                rel[p[0]] = {}
                order.append(p[0])
            if int(p[3]) > 0:
                rel[p[0]][p[2]] = int(p[3])
    return rel, order


def read_run(path):
    """{qid: [docid, ...]} in rank order, each docid once."""
    rows = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            p = line.split()
            if not p:
                continue
            if len(p) < 4:
                raise ValueError("%s:%d: expected 'qid Q0 docid rank ...'" % (path, n))
            rows.setdefault(p[0], []).append((int(p[3]), n, p[2]))
    run = {}
    for qid, hits in rows.items():
        seen, ranked = set(), []
        for _, _, d in sorted(hits):
            if d not in seen:
                seen.add(d)
                ranked.append(d)
        run[qid] = ranked
    return run


def read_query_ids(path, half):
    """The qids of a query file, every one or one half (see the file-top
    comment)."""
    ids = []
    with open(path, encoding="utf-8", newline="\n") as f:
        for line in f:
            qid, tab, _ = line.partition("\t")
            if tab:
                ids.append(qid)
    if half == "tune":
        return ids[0::2]
    if half == "report":
        return ids[1::2]
    return ids


def score(ranked, rel):
    """The metrics of one query: ranked docids against {docid: rel}."""
    top10 = ranked[:10]
    hits10 = [d for d in top10 if d in rel]
    first = next((i for i, d in enumerate(top10, 1) if d in rel), 0)
    dcg = sum(rel.get(d, 0) / math.log2(i + 1) for i, d in enumerate(top10, 1))
    ideal = sum(g / math.log2(i + 1)
                for i, g in enumerate(sorted(rel.values(), reverse=True)[:10], 1))
    return {
        "MRR@10": 1.0 / first if first else 0.0,
        "P@10": len(hits10) / 10.0,
        "P@10ret": len(hits10) / len(top10) if top10 else 0.0,
        "R@100": sum(1 for d in ranked[:100] if d in rel) / len(rel),
        "R@1000": sum(1 for d in ranked[:1000] if d in rel) / len(rel),
        "nDCG@10": dcg / ideal if ideal else 0.0,
    }


def evaluate(run, qrels, qids):
    """(per-query metrics {qid: {...}}, means {...} with `answered`)."""
    per = {q: score(run.get(q, []), qrels[q]) for q in qids}
    means = {m: (sum(per[q][m] for q in qids) / len(qids) if qids else 0.0) for m in METRICS}
    means["answered"] = sum(1 for q in qids if run.get(q))
    return per, means


def randomization_test(diffs, permutations=PERMUTATIONS, seed=SEED):
    """Two-sided p of the mean of paired differences under random sign
    flips.  Flipping the set S of differences turns their sum T into
    T - 2 * sum(S); the sums of S are looked up a byte (8 differences) at a
    time from 256-entry tables."""
    d = [x for x in diffs if x != 0.0]
    if not d:
        return 1.0
    total = sum(d)
    tables = []
    for j in range(0, len(d), 8):
        chunk = d[j:j + 8]
        tables.append([sum(v for b, v in enumerate(chunk) if byte >> b & 1)
                       for byte in range(256)])
    rng = random.Random(seed)
    limit = abs(total) - 1e-9 * max(1.0, abs(total))
    extreme = 0
    nbytes = len(tables)
    for _ in range(permutations):
        bits = rng.getrandbits(len(d)).to_bytes(nbytes, "little")
        flipped = sum(t[b] for t, b in zip(tables, bits))
        if abs(total - 2.0 * flipped) >= limit:
            extreme += 1
    return (extreme + 1) / (permutations + 1)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[1],
                                 usage=__doc__.split("\n\n")[0].strip())
    ap.add_argument("qrels")
    ap.add_argument("run")
    ap.add_argument("--baseline")
    ap.add_argument("--half", choices=("tune", "report", "all"), default="all")
    ap.add_argument("--queries")
    ap.add_argument("--test", default="MRR@10")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--per-query", action="store_true")
    a = ap.parse_args(argv[1:])
    tests = [m for m in a.test.split(",") if m]
    if any(m not in METRICS for m in tests):
        ap.error("--test takes metrics of %s" % ", ".join(METRICS))
    if a.half != "all" and not a.queries:
        ap.error("--half %s needs --queries" % a.half)
    try:
        qrels, order = read_qrels(a.qrels)
        listed = read_query_ids(a.queries, a.half) if a.queries else order
        qids = [q for q in listed if qrels.get(q)]
        run = read_run(a.run)
        base = read_run(a.baseline) if a.baseline else None
    except (OSError, ValueError) as e:
        print("evaluate.py: %s" % e, file=sys.stderr)
        return 2
    per, means = evaluate(run, qrels, qids)
    out = {"queries": len(qids), "unjudged": len(listed) - len(qids), "half": a.half,
           "run": means}
    if base is not None:
        bper, out["baseline"] = evaluate(base, qrels, qids)
        out["tests"] = {}
        for m in tests:
            diffs = [per[q][m] - bper[q][m] for q in qids]
            out["tests"][m] = {"diff": sum(diffs) / len(diffs) if diffs else 0.0,
                               "p": randomization_test(diffs),
                               "permutations": PERMUTATIONS, "seed": SEED}
    if a.per_query:
        out["per_query"] = per
    if a.json:
        print(json.dumps(out, sort_keys=True))
        return 0
    print("queries %d (%s; %d without a relevant document left out)"
          % (len(qids), a.half, out["unjudged"]))
    print("%-10s %s answered" % ("", " ".join("%8s" % m for m in METRICS)))
    rows = [("run", means)] + ([("baseline", out["baseline"])] if base is not None else [])
    for name, m in rows:
        print("%-10s %s %8d" % (name, " ".join("%8.4f" % m[k] for k in METRICS), m["answered"]))
    for m, t in out.get("tests", {}).items():
        print("%s run - baseline %+.4f, p = %.4f (paired randomization, %d sign flips, seed %d)"
              % (m, t["diff"], t["p"], t["permutations"], t["seed"]))
    if a.per_query:
        for q in qids:
            print("%s %s" % (q, " ".join("%.4f" % per[q][k] for k in METRICS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
