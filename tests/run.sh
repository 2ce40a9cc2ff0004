#!/bin/sh
# run.sh O NSEARCH - runs every unit test binary in O/tests and every
# tests/sh_*.sh script (or only the programs listed in $TESTS); each ends
# with "N passed, N failed".  A program that exits 77 (a test that cannot run
# here, e.g. sh_readonly.sh as root without setpriv) is counted as skipped,
# not passed.  Writes "N passed, N failed, N skipped" to O/.results and prints
# it.
O=$1
NSEARCH=$2
export O NSEARCH
passed=0
failed=0
skipped=0
log=$O/.log
mkdir -p "$O"
for t in ${TESTS:-"$O"/tests/test_* tests/sh_*.sh}; do
    [ -e "$t" ] || continue
    case $t in *.sh) cmd="sh $t" ;; *) cmd=$t ;; esac
    $cmd >"$log" 2>&1
    rc=$?
    if [ $rc -eq 77 ]; then
        skipped=$((skipped + 1))
        echo "SKIP $t: $(grep -i -m 1 'skip' "$log")"
        continue
    fi
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        line="0 passed, 1 failed"
    elif [ $rc -ne 0 ] && [ "$(echo "$line" | awk '{print $3}')" = 0 ]; then
        line="$(echo "$line" | awk '{print $1}') passed, 1 failed"
    fi
    p=$(echo "$line" | awk '{print $1}')
    f=$(echo "$line" | awk '{print $3}')
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$f" -ne 0 ] || [ $rc -ne 0 ]; then
        echo "FAIL $t (exit $rc): $line"
        sed 's/^/    /' "$log" | tail -n 40
    else
        echo "ok   $t: $line"
    fi
done
echo "$passed passed, $failed failed, $skipped skipped" | tee "$O/.results"
[ "$failed" -eq 0 ]
