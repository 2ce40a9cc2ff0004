"""Time of `nsearch similar` (its own "ms": ni_similar and the hits read)
for random documents of a corpus.

  python3 bench/dedup/similar_cost.py NSEARCH INDEX CORPUS [N] [SEED]

Prints the nearest-rank p50, p90 and max ms over N (100) documents, and
the mean number of near copies listed first."""
import json
import random
import subprocess
import sys

from shingles import load


def main():
    nsearch, index, corpus = sys.argv[1:4]
    n = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) > 5 else 1)
    ids = [d["id"] for d in load(corpus)]
    ms, copies = [], 0
    for doc_id in rng.sample(ids, n):
        out = subprocess.run([nsearch, "similar", index, doc_id, "--json", "-n", "10"],
                             capture_output=True, text=True).stdout.splitlines()
        lines = [json.loads(x) for x in out if x.strip()]
        ms.append(lines[-1]["ms"])
        copies += sum(1 for x in lines[:-1] if x.get("near_copy"))
    ms.sort()
    pick = lambda p: ms[max(0, int(p * len(ms) + 0.999999) - 1)]
    print(f"similar, {n} documents: p50 {pick(0.5):.2f} ms, p90 {pick(0.9):.2f} ms, "
          f"max {ms[-1]:.2f} ms; near copies listed first: {copies / n:.2f} a document")


main()
