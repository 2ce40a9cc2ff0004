#!/bin/sh
# damage.sh [O [SEEDS [COPIES]]] - the corruption suite (tests/test_damage.c)
# over SEEDS seeds (default 10) of COPIES damaged copies each (default
# 1000), so each run tries other bit flips, random bytes and cut points:
# sums the copies, detections, signals, hangs, altered texts and other
# silent wrong answers over all of them.  Failing copies are kept in
# /tmp/ni-damage-kept.  Needs O/tests/test_damage (make O/tests/test_damage).
O=${1:-build}
SEEDS=${2:-10}
COPIES=${3:-1000}
bin=$O/tests/test_damage
[ -x "$bin" ] || { echo "no $bin: run 'make $bin'" >&2; exit 2; }
status=0
mkdir -p /tmp/ni-damage-kept
seed=1
while [ "$seed" -le "$SEEDS" ]; do
    DAMAGE_SEED=$seed DAMAGE_COPIES=$COPIES DAMAGE_KEEP=/tmp/ni-damage-kept/seed-$seed \
        "$bin" >/tmp/ni-damage-$seed.log 2>&1 || status=1
    grep '^  all' /tmp/ni-damage-$seed.log | sed "s/^  all/seed $seed:/"
    seed=$((seed + 1))
done
cat /tmp/ni-damage-[0-9]*.log | awk '
/^  all/ { c += $2; d += $4; u += $8; s += $11; h += $13; a += $15; w += $18; m += $23 }
END { printf "total: %d copies, %d detected by check, %d read unchanged; %d signals, %d hangs, " \
             "%d altered texts, %d other silent wrong answers, %d missed by check\n",
             c, d, u, s, h, a, w, m }'
rm -f /tmp/ni-damage-[0-9]*.log
exit $status
