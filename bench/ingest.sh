#!/bin/sh
# ingest.sh BUILD CORPUS [WORK] - small commits, libnewsindex beside SQLite
# FTS5 (bench/README.md, "Continuous ingest").
#
# For N = 1, 10 and 100: both load CORPUS in one commit (pass 1), then
# replace its first 300 x N documents (at most all) in commits of N (pass 2),
# each commit durable (LMDB's sync; SQLite journal_mode=DELETE,
# synchronous=FULL), then the same with SQLite in WAL mode,
# synchronous=NORMAL (durable against a crash of the process, not of the
# machine).  Prints the JSON lines of bench_ingest and fts5_ingest.py, one
# engine after the other for each N, so their ratios come from one run.
# WORK (default /tmp/ingest-bench) is removed and made again.
set -e
build=${1:?usage: ingest.sh BUILD CORPUS [WORK]}
corpus=${2:?usage: ingest.sh BUILD CORPUS [WORK]}
work=${3:-/tmp/ingest-bench}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work"
mkdir -p "$work"
for n in 1 10 100; do
    r=$((300 * n))
    "$build/bench/bench_ingest" "$corpus" "$work/ni$n" --first-commit 1000000 \
        --commit $n --replace $r --passes 2
    python3 "$here/fts5_ingest.py" "$corpus" "$work/fts$n.db" --first-commit 1000000 \
        --commit $n --replace $r --passes 2
    python3 "$here/fts5_ingest.py" "$corpus" "$work/wal$n.db" --first-commit 1000000 \
        --commit $n --replace $r --passes 2 --journal wal --sync normal
    rm -rf "$work/ni$n" "$work/fts$n.db" "$work/wal$n.db" "$work/wal$n.db-wal" \
        "$work/wal$n.db-shm"
done
