"""The issue's independent check of collapsing, on random two-word queries.

  python3 bench/dedup/check_queries.py NSEARCH INDEX CORPUS [N] [SEED]

N (150) queries of two words of four or more letters taken from one random
post of CORPUS (so that most match), searched with `nsearch query --json
-n 10` with and without --no-collapse.  Word 3-shingle Jaccard (shingles.py)
>= 0.7 between two hits of the first ten counts as a near copy.  Prints:
the near-copy pairs among the first ten without collapsing and those that
remain with it (target: at most 5 %); the pairs folded on the pages (each
hit and a document folded into it) and the share with Jaccard >= 0.5
(target: >= 95 %); queries that return fewer hits with collapsing although
their matches hold more stories (target: none); and the ms of both."""
import json
import random
import re
import subprocess
import sys

from shingles import jaccard, load, shingles

LETTERS = re.compile(r"^[а-яёa-z]{4,}$")


def run(nsearch, index, query, collapse):
    cmd = [nsearch, "query", index, query, "--json", "-n", "10", "--no-snippet"]
    if not collapse:
        cmd.append("--no-collapse")
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    lines = [json.loads(x) for x in out.splitlines() if x.strip()]
    return lines[:-1], lines[-1] if lines else {}


def near_pairs(ids, sh, t):
    return sum(1 for i in range(len(ids)) for j in range(i + 1, len(ids))
               if jaccard(sh[ids[i]], sh[ids[j]]) >= t)


def main():
    nsearch, index, corpus = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 150
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    docs = load(corpus)
    sh = {d["id"]: shingles(d) for d in docs}
    queries = []
    while len(queries) < n:
        d = rng.choice(docs)
        w = [x for x in re.findall(r"\w+", ((d.get("title") or "") + " " + (d.get("text") or "")).lower())
             if LETTERS.match(x)]
        w = sorted(set(w))
        if len(w) >= 2:
            queries.append(" ".join(rng.sample(w, 2)))
    before = after = folded = folded_ok = lost = 0
    ms_on = ms_off = 0.0
    for q in queries:
        off, s_off = run(nsearch, index, q, False)
        on, s_on = run(nsearch, index, q, True)
        ms_off += s_off.get("ms", 0)
        ms_on += s_on.get("ms", 0)
        before += near_pairs([h["id"] for h in off], sh, 0.7)
        after += near_pairs([h["id"] for h in on], sh, 0.7)
        for h in on:
            for d in h.get("duplicates", []):
                folded += 1
                folded_ok += jaccard(sh[h["id"]], sh[d]) >= 0.5
        matches = s_on.get("total", 0) + s_on.get("partial", 0)
        if len(on) < len(off) and s_on.get("examined", 0) < matches:
            lost += 1
            print(f"  lost hits: {q!r}: {len(on)} < {len(off)}", file=sys.stderr)
    print(f"queries: {n}; near-copy pairs (Jaccard >= 0.7) in the first ten: "
          f"{before} without collapsing, {after} with ({after / before if before else 0:.1%})")
    print(f"folded pairs on the pages: {folded}, with Jaccard >= 0.5: {folded_ok} "
          f"({folded_ok / folded if folded else 1:.1%})")
    print(f"queries that lost hits: {lost}")
    print(f"mean ms (nsearch's own): {ms_off / n:.3f} without collapsing, {ms_on / n:.3f} with")


main()
