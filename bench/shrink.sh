#!/bin/sh
# bench/shrink.sh NSEARCH CORPUS DIR - the steady-state load of issue 23
# and what `nsearch compact` makes of it, against `nsearch copy`.
#
# Indexes CORPUS in commits of 100 (--batch 100), then indexes it twice
# more the same way (every document replaced twice), copies the index
# (`nsearch copy`, a compacted copy of the same index), compacts it
# (`nsearch compact`: in place, then the copy swapped in), and copies the
# result again.  For the split of compact's time, a byte copy of the
# loaded index is checked (`nsearch check`, which compact runs first) and
# compacted --in-place.  Prints the file sizes, their ratios and the
# seconds each step took, as measured in this one run.  DIR is made afresh (and left
# behind for inspection).
set -e
N=$1 C=$2 D=$3
[ -n "$D" ] || { echo "usage: bench/shrink.sh NSEARCH CORPUS DIR" >&2; exit 2; }
rm -rf "$D"
mkdir -p "$D"
now() { date +%s.%N; }
size() { stat -c %s "$1/data.mdb"; }
t0=$(now)
for pass in 1 2 3; do
    "$N" index -q --batch 100 "$D/idx" "$C" 2>/dev/null
    echo "after pass $pass: $(size "$D/idx") bytes"
done
t1=$(now)
"$N" copy "$D/idx" "$D/copy-before" 2>/dev/null
t2=$(now)
cp -a "$D/idx" "$D/inplace"
rm -f "$D/inplace/lock.mdb"
a=$(now)
"$N" check "$D/inplace" >/dev/null
b=$(now)
"$N" compact -q --in-place "$D/inplace"
c=$(now)
echo "nsearch check: $(echo "$b - $a" | bc) s; compact --in-place (its check included): $(echo "$c - $b" | bc) s"
before=$(size "$D/idx")
t3=$(now)
"$N" compact -q "$D/idx"
t4=$(now)
after=$(size "$D/idx")
"$N" copy "$D/idx" "$D/copy-after" 2>/dev/null
"$N" check "$D/idx" >/dev/null
c0=$(size "$D/copy-before") c1=$(size "$D/copy-after")
awk -v b="$before" -v a="$after" -v c0="$c0" -v c1="$c1" \
    -v load="$t0 $t1" -v copy="$t1 $t2" -v comp="$t3 $t4" 'BEGIN {
    split(load, l, " "); split(copy, p, " "); split(comp, q, " ");
    printf "loaded (3 passes, commits of 100): %.1f s, file %.1f MB = %.2fx a copy (%.1f MB)\n",
           l[2] - l[1], b / 1e6, b / c0, c0 / 1e6;
    printf "nsearch copy: %.1f s\n", p[2] - p[1];
    printf "nsearch compact: %.1f s, file %.1f MB = %.3fx the copy before, %.3fx a copy after\n",
           q[2] - q[1], a / 1e6, a / c0, a / c1;
}'
