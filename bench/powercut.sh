#!/bin/sh
# powercut.sh [O [BATCHES [CUTS [STORE_CUTS]]]] - the power-loss simulation
# (tests/test_powercut.c with the shim tests/powercut.c) at length: BATCHES
# batches (default 5) of CUTS cuts of the index workload (default 250) and
# STORE_CUTS of the store workload (default 50), seeds 1, 2, ..., in the
# disk model make check uses (a sector written whole or not at all).  Then
# one batch each in two harsher models that LMDB is not written for, which
# are reported and not required: writes torn at any byte
# (POWERCUT_TEAR=byte) and unsynced sectors arriving as garbage
# (POWERCUT_GARBAGE=1).  Prints each batch's lines and the sums; exits 1
# when a batch of the first model failed.  Needs O/tests/test_powercut and
# O/tests/powercut.so (make O/tests/test_powercut).
O=${1:-build}
BATCHES=${2:-5}
CUTS=${3:-250}
STORE_CUTS=${4:-50}
bin=$O/tests/test_powercut
[ -x "$bin" ] || { echo "no $bin: run 'make $bin'" >&2; exit 2; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0

batch() {   # name seed [VAR=value]
    name=$1 seed=$2
    shift 2
    env POWERCUT_SEED="$seed" POWERCUT_CUTS="$CUTS" POWERCUT_STORE_CUTS="$STORE_CUTS" "$@" \
        "$bin" >"$log" 2>&1
    rc=$?
    grep -E '^(index|store):' "$log" | sed "s/^/$name seed $seed: /"
    grep -A1 '^FAIL' "$log" | head -n 8
    tail -n 1 "$log" | sed "s/^/$name seed $seed: /" | tee -a "$log.sum"
    return $rc
}

seed=1
while [ "$seed" -le "$BATCHES" ]; do
    batch sector "$seed" || status=1
    seed=$((seed + 1))
done
awk '{p += $4; f += $6} END {printf "sector model, %d batches: %d cuts, %d passed, %d failed\n",
     NR, p + f, p, f}' "$log.sum"
rm -f "$log.sum"
batch byte-tears 101 POWERCUT_TEAR=byte
batch garbage 102 POWERCUT_GARBAGE=1
rm -f "$log.sum"
exit $status
