#!/bin/sh
# bench/same.sh REV1 REV2 CORPUS [N] - checks that two revisions write the
# same index and answer queries the same, for changes that must not change
# behaviour (refactorings).  Builds nsearch and bench_query of both in
# temporary worktrees (git worktree add --detach), then for each revision:
#
#   - indexes CORPUS with one thread, with two threads, and in commits of
#     500 documents (several flushes, lexicon and posting blocks merged);
#   - deletes the first 200 ids of the one-thread index, then compacts it;
#   - makes a compacted copy of it (nsearch copy);
#
# and compares every LMDB table of each index (mdb_dump -a, from lmdb-utils)
# between the revisions.  Then it draws N queries of each kind (default 300;
# bench_query's and / or / phrase sets) from CORPUS and runs each, with the
# default AND, --or and --all-words, through both revisions' dump_hits (top
# 100 ids and scores to the last bit, exhaustive and pruned) and
# `nsearch query --json` (20 hits with snippets and highlights; the "ms"
# field left out), comparing the outputs byte for byte.
# Prints one line per comparison and exits 1 when anything differs; KEEP=1
# keeps the worktrees, indexes and outputs (in $TMPDIR/ni-same.*).
set -eu
if [ $# -lt 3 ]; then
    echo "usage: bench/same.sh REV1 REV2 CORPUS [N]" >&2
    exit 2
fi
rev1=$1 rev2=$2 corpus=$3 n=${4:-300}
here=$(cd "$(dirname "$0")/.." && pwd)
case $corpus in /*) ;; *) corpus=$PWD/$corpus ;; esac
[ -r "$corpus" ] || { echo "same.sh: cannot read corpus '$corpus'" >&2; exit 2; }
command -v mdb_dump >/dev/null ||
    { echo "same.sh: needs mdb_dump (apt-get install lmdb-utils)" >&2; exit 2; }
. "$here/bench/worktrees.sh"
worktrees_init same

build() { # build REV DIR
    worktree_add "$1" "$2"
    make -C "$2" -s -j2 tools/nsearch build/bench/bench_query build/bench/dump_hits >&2
}
build "$rev1" "$tmp/r1"
build "$rev2" "$tmp/r2"

fail=0
same() { # same WHAT FILE1 FILE2
    if cmp -s "$2" "$3"; then
        echo "same      $1"
    else
        echo "DIFFERENT $1 (diff $2 $3)"
        fail=1
    fi
}

for r in 1 2; do
    ns=$tmp/r$r/tools/nsearch d=$tmp/idx$r
    mkdir -p "$d"
    "$ns" index -q -j 1 "$d/one" "$corpus"
    "$ns" index -q -j 2 "$d/two" "$corpus"
    "$ns" index -q -j 1 --batch 500 "$d/batch" "$corpus"
    "$ns" copy "$d/one" "$d/copy"
    for i in one two batch copy; do
        mdb_dump -a "$d/$i" > "$d/$i.dump"
    done
done
"$tmp/r1/build/bench/bench_query" "$tmp/idx1/one" "$corpus" "$tmp/queries.tsv" \
    --n "$n" --k 10 > /dev/null 2>&1
# the first 200 ids, for the delete and compact step
"$tmp/r1/tools/nsearch" query "$tmp/idx1/one" 'date:1900..2100' --json -n 200 \
    --no-snippet --sort date 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    o = json.loads(l)
    if "id" in o: print(o["id"])' > "$tmp/ids"
for r in 1 2; do
    ns=$tmp/r$r/tools/nsearch d=$tmp/idx$r
    xargs "$ns" delete "$d/one" < "$tmp/ids" 2>/dev/null
    "$ns" compact "$d/one" 2>/dev/null
    mdb_dump -a "$d/one" > "$d/compacted.dump"
done
for i in one two batch copy compacted; do
    same "index $i ($(wc -c < "$tmp/idx1/$i.dump") dump bytes)" \
        "$tmp/idx1/$i.dump" "$tmp/idx2/$i.dump"
done

cut -f2 "$tmp/queries.tsv" > "$tmp/queries"
nq=$(wc -l < "$tmp/queries")
for mode in and or all; do
    case $mode in and) opt= ;; or) opt=--or ;; all) opt=--all-words ;; esac
    for r in 1 2; do
        b=$tmp/r$r
        "$b/build/bench/dump_hits" "$tmp/idx$r/two" $opt < "$tmp/queries" > "$tmp/h$r.$mode"
        "$b/build/bench/dump_hits" "$tmp/idx$r/two" $opt --approx < "$tmp/queries" \
            > "$tmp/p$r.$mode"
        while IFS= read -r q; do
            "$b/tools/nsearch" query "$tmp/idx$r/two" "$q" --json -n 20 $opt 2>&1 || true
        done < "$tmp/queries" | sed 's/"ms":[0-9.]*,//' > "$tmp/q$r.$mode"
    done
    same "hits $mode, top 100 ($nq queries, $(wc -l < "$tmp/h1.$mode") lines)" \
        "$tmp/h1.$mode" "$tmp/h2.$mode"
    same "hits $mode, pruned top 100" "$tmp/p1.$mode" "$tmp/p2.$mode"
    same "nsearch query --json $mode, 20 with snippets" "$tmp/q1.$mode" "$tmp/q2.$mode"
done
exit $fail
