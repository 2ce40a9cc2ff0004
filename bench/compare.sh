#!/bin/sh
# bench/compare.sh REV1 REV2 CORPUS [bench_query options...] - builds the
# library of two revisions in temporary worktrees (git worktree add
# --detach), runs the benchmarks of both back to back on the same corpus and
# prints every numeric figure of REV1 and REV2 with the ratio REV2/REV1
# (> 1 means REV2 is bigger: slower for times, faster for docs/s and MB/s).
#
# Both revisions are measured with the drivers of the working tree this
# script is in (its bench/*.c and run.sh are copied over each worktree's),
# so only the library differs and revisions older than bench/ compare too.
# REPEAT=N (default 1) runs REV1, REV2, REV1, REV2, ... N times each and
# compares the medians, which damps the noise of a shared machine.
# Set KEEP=1 to keep the worktrees (they are in $TMPDIR/ni-compare.*).
set -eu
if [ $# -lt 3 ]; then
    echo "usage: [REPEAT=N] [KEEP=1] bench/compare.sh REV1 REV2 CORPUS [--n N] [--seed S] [--k 10,100]" >&2
    exit 2
fi
rev1=$1 rev2=$2 corpus=$3
shift 3
here=$(cd "$(dirname "$0")/.." && pwd)
case $corpus in /*) ;; *) corpus=$PWD/$corpus ;; esac
[ -r "$corpus" ] || { echo "compare.sh: cannot read corpus '$corpus'" >&2; exit 2; }
. "$here/bench/worktrees.sh"
worktrees_init compare

build() { # build REV DIR
    worktree_add "$1" "$2"
    make -C "$2" -s -j2 build/bench/bench_index build/bench/bench_query >&2
    if [ -f "$2/bench/bench_analyzer.c" ]; then
        make -C "$2" -s build/bench/bench_analyzer >&2 ||
            echo "compare.sh: bench_analyzer does not build at $1, skipped" >&2
    fi
}
build "$rev1" "$tmp/r1"
build "$rev2" "$tmp/r2"

i=1
while [ "$i" -le "${REPEAT:-1}" ]; do
    for n in 1 2; do
        echo "compare.sh: running REV$n (round $i)" >&2
        (cd "$tmp/r$n" && bench/run.sh build "$corpus" "$@") > "$tmp/r$n.$i.json"
    done
    i=$((i + 1))
done

python3 - "$rev1" "$rev2" "$tmp" "${REPEAT:-1}" <<'PY'
import json, statistics, sys
rev1, rev2, tmp, repeat = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
def load(n):
    vals = {}
    for i in range(1, repeat + 1):
        for line in open("%s/r%d.%d.json" % (tmp, n, i), encoding="utf-8"):
            line = line.strip()
            if line.startswith("{"):
                rec = json.loads(line)
                for k, v in rec.items():
                    vals.setdefault((rec.get("bench", "?"), k), []).append(v)
    return {k: (statistics.median(v) if all(isinstance(x, (int, float)) and
                                            not isinstance(x, bool) for x in v) else v[0])
            for k, v in vals.items()}
a, b = load(1), load(2)
print(json.dumps({"rev1": rev1, "rev2": rev2, "repeat": repeat, "ratios": {
    "%s.%s" % k: round(b[k] / a[k], 4) for k in a
    if k in b and isinstance(a[k], (int, float)) and not isinstance(a[k], bool) and a[k]}},
    ensure_ascii=False))
print("%-32s %14s %14s %8s" % ("figure", rev1[:14], rev2[:14], "ratio"), file=sys.stderr)
for k in a:
    v1, v2 = a[k], b.get(k)
    if isinstance(v1, bool) or not isinstance(v1, (int, float)) or not isinstance(v2, (int, float)):
        continue
    r = "%8.3f" % (v2 / v1) if v1 else "       -"
    print("%-32s %14.4g %14.4g %s" % ("%s.%s" % k, v1, v2, r), file=sys.stderr)
PY
