#!/bin/sh
# cost.sh IDX - what the query rescue costs per query on the index IDX (the
# issue's is the 76k-document all-text one, README.md of bench/ says how it
# is built): each set of this folder and its clean set through
# build/bench/rescue_probe (one thread, warm, top 10), and per set the
# p50 / p99 ms of the queries the rescue rewrote, and of what the rescue
# added: the rewritten query's time less the time of the same query typed
# right (line by line against the clean set, searched with --exact).
# env: CLEAN_XQUAD (../shared/corpus/xquad-ru-queries.tsv), PROBE, RESCUE_PROBE_REPS
# (runs a query is timed, its median kept; rescue_probe.c).
set -u
[ $# -eq 1 ] || { echo "usage: bench/rescue/cost.sh IDX" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PROBE=${PROBE:-$ROOT/build/bench/rescue_probe}
CLEAN_XQUAD=${CLEAN_XQUAD:-$ROOT/../shared/corpus/xquad-ru-queries.tsv}
T=$(mktemp -d) || exit 2
trap 'rm -rf "$T"' EXIT
[ -x "$PROBE" ] || { echo "cost.sh: no $PROBE (make build/bench/rescue_probe)" >&2; exit 2; }
[ -r "$CLEAN_XQUAD" ] || { echo "cost.sh: cannot read $CLEAN_XQUAD" >&2; exit 2; }

probe() {   # probe SET OUT: one line per query: ms with rescue, ms without, rewrites
    RESCUE_PROBE_TIMES=1 "$PROBE" "$1" < "$2" 2>"$3" >/dev/null ||
        { echo "cost.sh: rescue_probe failed on $2" >&2; exit 2; }
}
for set in xquad short; do
    if [ $set = xquad ]; then clean=$CLEAN_XQUAD; else clean=$HERE/../relevance/short.tsv; fi
    probe "$1" "$clean" "$T/$set-clean"
    for v in layout bgn icao typo; do
        probe "$1" "$HERE/$set-$v.tsv" "$T/$set-$v"
    done
done
python3 - "$T" <<'EOF'
import sys
d = sys.argv[1]
def rows(f):
    return [l.rstrip('\n').split('\t') for l in open(f) if l.count('\t') >= 3]
def pct(v, p):
    v = sorted(v)
    return v[max(0, -(-len(v) * p // 100) - 1)] if v else float('nan')
print('| set | variant | rewritten | ms p50 | ms p99 | added p50 | added p99 |')
print('|---|---|---:|---:|---:|---:|---:|')
for s in ('xquad', 'short'):
    clean = rows('%s/%s-clean' % (d, s))
    for v in ('layout', 'bgn', 'icao', 'typo'):
        r = rows('%s/%s-%s' % (d, s, v))
        if len(r) != len(clean):
            sys.exit('cost.sh: %s-%s has %d lines, its clean set %d' % (s, v, len(r), len(clean)))
        on = [float(a[0]) for a in r if a[2] != '0']
        added = [float(a[0]) - float(c[1]) for a, c in zip(r, clean) if a[2] != '0']
        print('| %s | %s | %d of %d | %.3f | %.3f | %.3f | %.3f |' % (
            s, v, len(on), len(r), pct(on, 50), pct(on, 99), pct(added, 50), pct(added, 99)))
EOF
