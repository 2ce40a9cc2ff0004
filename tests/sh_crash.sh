#!/bin/sh
# sh_crash.sh - crash safety: kills `nsearch index` with SIGKILL at random
# moments, CRASH_RUNS times (10 in make check; tests/crash-soak.sh runs 200),
# and after each kill checks that the index opens, passes `nsearch check`,
# and holds exactly the committed batches: a whole number of batches, the
# last document of the last committed batch present, the next one absent.
# Each kill lands on a fresh index or on one from earlier kills (resumed).
# Ends with "N passed, N failed".
NSEARCH=${NSEARCH:-tools/nsearch}
runs=${CRASH_RUNS:-10}
batch=50
ndocs=3000
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
counts=""

# documents d0..d2999 in id order, each a few hundred words
awk -v n=$ndocs 'BEGIN {
    for (i = 0; i < n; i++) {
        printf "{\"id\":\"d%d\",\"title\":\"Сводка номер %d\",\"text\":\"", i, i
        for (k = 0; k < 60; k++) printf "новость %d слово%d погода ", i, (i * 7 + k) % 997
        printf "\"}\n"
    }
}' > "$T/feed.jsonl"

fail() {
    failed=$((failed + 1))
    echo "FAIL run $1: $2"
}

seed=${CRASH_SEED:-$$}
i=0
while [ $i -lt "$runs" ]; do
    i=$((i + 1))
    db=$T/db
    # every fourth run starts over; the others resume the killed index
    [ $((i % 4)) -eq 1 ] && rm -rf "$db"
    delay=$(awk -v s=$((seed + i)) 'BEGIN { srand(s); printf "%.3f", rand() * 0.8 }')
    "$NSEARCH" index -q --batch $batch "$db" "$T/feed.jsonl" >/dev/null 2>"$T/err" &
    pid=$!
    sleep "$delay"
    kill -9 $pid 2>/dev/null
    wait $pid 2>/dev/null
    if ! "$NSEARCH" check "$db" >"$T/check" 2>&1; then
        # killed before the first commit: no index yet is fine, damage is not
        if grep -q "no index\|not an index\|No such file" "$T/check"; then
            passed=$((passed + 1))
            continue
        fi
        fail $i "check failed after a kill at ${delay}s: $(cat "$T/check")"
        continue
    fi
    docs=$("$NSEARCH" stats --json "$db" | sed -E 's/.*"docs":([0-9]+).*/\1/')
    if [ $((docs % batch)) -ne 0 ] || [ "$docs" -gt $ndocs ]; then
        fail $i "$docs documents is not a whole number of batches"
        continue
    fi
    if [ "$docs" -gt 0 ] && ! "$NSEARCH" get "$db" "d$((docs - 1))" >/dev/null 2>&1; then
        fail $i "document d$((docs - 1)) of a committed batch is missing"
        continue
    fi
    if [ "$docs" -lt $ndocs ] && "$NSEARCH" get "$db" "d$docs" >/dev/null 2>&1; then
        fail $i "document d$docs of an uncommitted batch is present"
        continue
    fi
    total=$("$NSEARCH" query --json -n 0 "$db" погода 2>/dev/null | sed -nE 's/.*"total":([0-9]+).*/\1/p')
    if [ "$docs" -gt 0 ] && [ "$total" != "$docs" ]; then
        fail $i "a search finds $total documents of $docs"
        continue
    fi
    counts="$counts $docs"
    passed=$((passed + 1))
done
echo "documents after each kill:$counts"
echo "crash runs: $runs, seed $seed"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
