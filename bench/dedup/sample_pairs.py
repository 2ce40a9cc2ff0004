"""Samples pairs of Telegram posts across the range of word 3-shingle
Jaccard similarity, for judging by hand (bench/dedup/pairs.tsv).

  python3 bench/dedup/sample_pairs.py CORPUS.jsonl.gz PER_BIN SEED > sample.tsv

Candidate pairs share at least one shingle that is in at most 50 posts;
bins of width 0.1 from 0.1 to 1.0 get PER_BIN pairs each (pairs across
channels first, the channel being the id's middle part), chosen at random.
Prints id_a, id_b, jaccard, then both texts cut to 400 characters."""
import collections
import random
import sys

from shingles import jaccard, load, shingles


def channel(doc_id):
    return doc_id.split("-")[1] if doc_id.count("-") >= 2 else doc_id


def main():
    path, per_bin, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    docs = load(path)
    sh = [shingles(d) for d in docs]
    post = collections.defaultdict(list)
    for i, s in enumerate(sh):
        for x in s:
            post[x].append(i)
    shared = collections.Counter()
    for lst in post.values():
        if 1 < len(lst) <= 50:
            for a in range(len(lst)):
                for b in range(a + 1, len(lst)):
                    shared[(lst[a], lst[b])] += 1
    bins = collections.defaultdict(list)
    for (a, b), n in shared.items():
        if n < 2 and len(sh[a]) > 2 and len(sh[b]) > 2:
            continue
        j = jaccard(sh[a], sh[b])
        if j >= 0.1:
            bins[min(int(j * 10), 9)].append((a, b, j))
    rng = random.Random(seed)
    print("# bin sizes: " + " ".join(f"{k / 10:.1f}:{len(v)}" for k, v in sorted(bins.items())),
          file=sys.stderr)
    for k in sorted(bins):
        pairs = bins[k]
        rng.shuffle(pairs)
        pairs.sort(key=lambda p: channel(docs[p[0]]["id"]) == channel(docs[p[1]]["id"]))
        for a, b, j in pairs[:per_bin]:
            def cut(d):
                t = ((d.get("title") or "") + " | " + (d.get("text") or "")).replace("\n", " ")
                return t[:400]
            print(f"{docs[a]['id']}\t{docs[b]['id']}\t{j:.3f}\t{cut(docs[a])}\t{cut(docs[b])}")


main()
