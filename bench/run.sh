#!/bin/sh
# bench/run.sh O CORPUS [bench_query options...] - the benchmark drivers of
# build directory O on CORPUS: builds a fresh index in O/bench/idx with
# bench_index, then times the query sets with bench_query (queries written
# to O/bench/queries.tsv), and bench_analyzer when it is built.  Prints the
# JSON lines on stdout (also kept in O/bench/index.json, query.json,
# analyzer.json) and the drivers' tables on stderr.
# INDEX_OPTS (e.g. "--commit-every 0") is passed to bench_index.  Run by
# `make bench CORPUS=...`; bench/compare.sh calls it once per revision.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: bench/run.sh O CORPUS [--n N] [--seed S] [--k 10,100]" >&2
    exit 2
fi
o=$1 corpus=$2
shift 2
b=$o/bench
for p in bench_index bench_query; do
    [ -x "$b/$p" ] || { echo "run.sh: $b/$p is not built (make bench)" >&2; exit 2; }
done
[ -r "$corpus" ] || { echo "run.sh: cannot read corpus '$corpus'" >&2; exit 2; }
rm -rf "$b/idx"
"$b/bench_index" "$corpus" "$b/idx" ${INDEX_OPTS:-} > "$b/index.json"
"$b/bench_query" "$b/idx" "$corpus" "$b/queries.tsv" "$@" > "$b/query.json"
out="$b/index.json $b/query.json"
if [ -x "$b/bench_analyzer" ]; then
    "$b/bench_analyzer" "$corpus" > "$b/analyzer.json"
    out="$out $b/analyzer.json"
fi
cat $out
