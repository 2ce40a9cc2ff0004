#!/usr/bin/env python3
"""hunspell_names.py CORPUS NAMES_PREFIX RUN NSEARCH OUTDIR - would Hunspell's
Russian dictionary add anything to the name keys? (issue 15)

Offline, on the name set (NAMES_PREFIX.tsv, .qrels, -list.tsv; see
make_names.py) and a run of nsearch on it (RUN, TREC format, e.g. the
harness adapter's top 1000):

1. Coverage.  Each name's nominative and the case forms the corpus holds
   (the list's forms column) go capitalized through Hunspell's stemmer
   (ru_RU of Debian's hunspell-ru, Hunspell_stem of libhunspell through
   ctypes) and through `NSEARCH analyze --json` (the name key: the term of
   the token flagged name or maybe-name).  Per kind: names whose nominative
   Hunspell knows, knows as a lemma of its own, names all of whose forms
   have the nominative among their lemmas, names all of whose forms have
   the nominative's key; then the capitalized occurrences of the forms
   whose lemmas hold the nominative.

2. Recall and precision.  The corpus's words are maximal runs of letters
   (as in make_names.py); every capitalized word gets its Hunspell lemmas.
   A query (lower case) is asked capitalized.  The lemma match of a query:
   the documents holding a capitalized word that shares a lemma with it (in
   lower case, ё as е), nothing when Hunspell does not know the query.
   Per half of the query file, as whole returned sets: recall and precision
   of RUN, of the lemma match, and of three ways to use Hunspell with RUN,
   each also written to OUTDIR as a run for evaluate.py:
     union.run   Hunspell as an extra key: RUN, then the documents only the
                 lemma match returns (in docid order: the best case for
                 precision at the top);
     filter.run  Hunspell as a filter: RUN less the documents the lemma
                 match does not return, for the queries Hunspell knows;
     proper.run  the filter only for queries with a proper lemma (one the
                 dictionary writes capitalized: Германия, Пушкин, Иван),
                 keeping the documents with a word of that proper lemma.
   Then per query, where any of them differs from RUN or RUN misses or
   returns a wrong document: the counts.

Standard library only, plus libhunspell-1.7.so.0 and hunspell-ru.
"""
import ctypes
import json
import os
import subprocess
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from relcorpus import docid, field, read_jsonl, read_queries  # noqa: E402
from make_names import WORD, norm  # noqa: E402

DICT = "/usr/share/hunspell/ru_RU"


class Hunspell:
    """Hunspell_stem through ctypes, memoized."""

    def __init__(self, path=DICT):
        lib = ctypes.CDLL("libhunspell-1.7.so.0")
        self.list_t = ctypes.POINTER(ctypes.c_char_p)
        lib.Hunspell_create.restype = ctypes.c_void_p
        lib.Hunspell_create.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        lib.Hunspell_stem.argtypes = [ctypes.c_void_p, ctypes.POINTER(self.list_t),
                                      ctypes.c_char_p]
        lib.Hunspell_free_list.argtypes = [ctypes.c_void_p, ctypes.POINTER(self.list_t),
                                           ctypes.c_int]
        self.lib = lib
        self.h = lib.Hunspell_create((path + ".aff").encode(), (path + ".dic").encode())
        self.memo = {}

    def stems(self, word):
        """The word's lemmas as the dictionary writes them, ё as е (a
        frozenset, empty when Hunspell does not know the word)."""
        got = self.memo.get(word)
        if got is None:
            lst = self.list_t()
            n = self.lib.Hunspell_stem(self.h, ctypes.byref(lst), word.encode())
            got = frozenset(lst[i].decode().replace("ё", "е") for i in range(n))
            self.lib.Hunspell_free_list(self.h, ctypes.byref(lst), n)
            self.memo[word] = got
        return got

    def lemmas(self, word):
        """The word's lemmas in lower case, ё as е."""
        return frozenset(norm(s) for s in self.stems(word))

    def proper(self, word):
        """The word's lemmas that the dictionary writes capitalized."""
        return frozenset(s for s in self.stems(word) if s[:1].isupper())


def cap(w):
    return w[:1].upper() + w[1:]


def name_key(nsearch, word, memo={}):
    """The name key nsearch gives the word, or None."""
    if word not in memo:
        memo[word] = None
        out = subprocess.run([nsearch, "analyze", "--json", word], capture_output=True,
                             text=True, check=False).stdout
        for line in out.splitlines():
            flags = json.loads(line).get("flags", ())
            if "name" in flags or "maybe-name" in flags:
                memo[word] = json.loads(line)["term"]
                break
    return memo[word]


def coverage(hun, nsearch, names):
    """Prints part 1; names: (kind, nominative, [(form, occurrences)])."""
    rows = defaultdict(lambda: [0] * 5)
    occ = [0, 0]
    differ = []
    for kind, nom, forms in names:
        lemmas = hun.lemmas(cap(nom))
        all_lemma = all(nom in hun.lemmas(cap(f)) for f, _ in forms)
        key = name_key(nsearch, cap(nom))
        all_key = all(name_key(nsearch, cap(f)) == key for f, _ in forms)
        for i, v in enumerate((1, bool(lemmas), nom in lemmas, all_lemma, all_key)):
            rows[kind][i] += v
        for f, n in forms:
            occ[0] += n
            occ[1] += n * (nom in hun.lemmas(cap(f)))
        if all_lemma != all_key:
            differ.append("%s %s" % (nom, " ".join(
                "%s=%s/%s" % (f, ",".join(sorted(hun.lemmas(cap(f)))) or "-",
                              name_key(nsearch, cap(f))) for f, _ in forms)))
    print("1. kind, names, Hunspell knows the nominative, as a lemma of its own, "
          "every form -> the nominative, every form -> one name key")
    total = [0] * 5
    for kind in sorted(rows):
        print("   %s %4d %4d %4d %4d %4d" % ((kind,) + tuple(rows[kind])))
        total = [a + b for a, b in zip(total, rows[kind])]
    print("   * %4d %4d %4d %4d %4d" % tuple(total))
    print("   capitalized occurrences of the forms with the nominative as a lemma: "
          "%d of %d (%.3f)" % (occ[1], occ[0], occ[1] / occ[0]))
    print("   the two differ (form=Hunspell lemmas/name key):")
    for line in differ:
        print("     " + line)


def read_qrels(path):
    rel = defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            q, _, d, r = line.split()
            if int(r) > 0:
                rel[q].add(d)
    return rel


def read_run(path):
    run = defaultdict(list)
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 3:
                run[p[0]].append(p[2])
    return run


def corpus_lemmas(hun, path):
    """({lower-case lemma: docids}, {proper lemma: docids}) over the
    capitalized words; prints the word counts."""
    lower, proper = defaultdict(set), defaultdict(set)
    forms, capforms = set(), set()
    for lineno, obj in read_jsonl(path):
        d = docid(obj, lineno)
        for t in (field(obj, "title"), field(obj, "text")):
            for m in WORD.finditer(t):
                w = m.group(0)
                forms.add(w)
                if w[0].isupper():
                    capforms.add(w)
                    for s in hun.stems(w):
                        lower[norm(s)].add(d)
                        if s[:1].isupper():
                            proper[s].add(d)
    print("corpus: %d distinct words as written, %d capitalized, %d of these known to"
          " Hunspell" % (len(forms), len(capforms),
                         sum(1 for w in capforms if hun.stems(w))))
    return lower, proper


def docs_of(index, lemmas):
    return set().union(*(index[x] for x in lemmas)) if lemmas else set()


def simulate(hun, lower, proper, queries, qrels, run, outdir):
    """Prints part 2 per half; writes the three runs."""
    kinds = ("union", "filter", "proper")
    files = {k: open(os.path.join(outdir, k + ".run"), "w", encoding="utf-8") for k in kinds}
    for half, picks in (("tune", queries[0::2]), ("report", queries[1::2])):
        sums, counts, notes = defaultdict(float), defaultdict(int), []
        for qid, q in picks:
            rel, ranked = qrels[qid], run.get(qid, [])
            ours = set(ranked)
            lemmas, propers = hun.lemmas(cap(q)), hun.proper(cap(q))
            lem = docs_of(lower, lemmas)
            keep = {"filter": lem if lemmas else ours,
                    "proper": docs_of(proper, propers) if propers else ours}
            got = {"ours": ours, "lemma": lem, "union": ours | lem,
                   "filter": ours & keep["filter"], "proper": ours & keep["proper"]}
            out = {"union": ranked + sorted(lem - ours),
                   "filter": [d for d in ranked if d in keep["filter"]],
                   "proper": [d for d in ranked if d in keep["proper"]]}
            for k in kinds:
                for i, d in enumerate(out[k]):
                    files[k].write("%s Q0 %s %d %d hunspell-%s\n" % (
                        qid, d, i + 1, len(out[k]) - i, k))
            for k, docs in got.items():
                hit = len(docs & rel)
                sums[k + " R"] += hit / len(rel) if rel else 0.0
                sums[k + " P"] += hit / len(docs) if docs else 0.0
            counts["known"] += bool(lemmas)
            counts["proper"] += bool(propers)
            c = {"missed": len(rel - ours), "wrong": len(ours - rel),
                 "union +rel": len((lem - ours) & rel), "union +wrong": len((lem - ours) - rel)}
            for k in ("filter", "proper"):
                c[k + " -wrong"] = len((ours - got[k]) - rel)
                c[k + " -rel"] = len((ours - got[k]) & rel)
            for k, v in c.items():
                counts[k] += v
            if any(c.values()):
                notes.append("   %s %-14s {%s}: %s" % (
                    qid, q, ",".join(sorted(hun.stems(cap(q)))),
                    ", ".join("%s %d" % kv for kv in c.items() if kv[1])))
        n = len(picks)
        print("2. %s: %d queries; Hunspell knows %d, %d with a proper lemma" % (
            half, n, counts["known"], counts["proper"]))
        print("   set recall / precision: " + "; ".join(
            "%s %.3f / %.3f" % (k, sums[k + " R"] / n, sums[k + " P"] / n)
            for k in ("ours", "lemma", "union", "filter", "proper")))
        print("   documents: ours missed %d, returned %d wrong; union adds %d relevant, %d"
              " wrong; filter drops %d wrong, %d relevant; proper drops %d wrong, %d"
              " relevant" % tuple(counts[k] for k in (
                  "missed", "wrong", "union +rel", "union +wrong", "filter -wrong",
                  "filter -rel", "proper -wrong", "proper -rel")))
        print("\n".join(notes))
    for f in files.values():
        f.close()


def main(argv):
    if len(argv) != 6:
        print(__doc__.split("\n\n")[0], file=sys.stderr)
        return 2
    corpus, prefix, runpath, nsearch, outdir = argv[1:]
    hun = Hunspell()
    names = []
    with open(prefix + "-list.tsv", encoding="utf-8") as f:
        next(f)
        for line in f:
            p = line.rstrip("\n").split("\t")
            forms = [(x.rsplit(":", 1)[0], int(x.rsplit(":", 1)[1])) for x in p[8].split()]
            names.append((p[1], p[2], forms))
    coverage(hun, nsearch, names)
    lower, proper = corpus_lemmas(hun, corpus)
    simulate(hun, lower, proper, read_queries(prefix + ".tsv"), read_qrels(prefix + ".qrels"),
             read_run(runpath), outdir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
