#!/bin/sh
# run-fuzz.sh O - runs each fuzz target in O/fuzz briefly: its seeds from
# tests/fuzz/seeds/NAME, then FUZZ_CHECK_TIME (5) seconds of mutation.
# New inputs go to a scratch folder, never into the tree.
O=$1
t=${FUZZ_CHECK_TIME:-5}
passed=0
failed=0
for f in "$O"/fuzz/fuzz_*; do
    [ -x "$f" ] || continue
    name=$(basename "$f")
    scratch=$(mktemp -d)
    seeds=tests/fuzz/seeds/$name
    [ -d "$seeds" ] || seeds=""
    if "$f" -max_total_time="$t" -max_len=65536 -timeout=10 -artifact_prefix="$scratch/" "$scratch" $seeds \
        >"$O/.fuzzlog" 2>&1; then
        passed=$((passed + 1))
        echo "ok   $name: $(grep -Eo 'DONE.*' "$O/.fuzzlog" | head -n 1)"
    else
        failed=$((failed + 1))
        echo "FAIL $name"
        tail -n 40 "$O/.fuzzlog" | sed 's/^/    /'
    fi
    rm -rf "$scratch"
done
echo "$passed passed, $failed failed" | tee "$O/.results"
[ "$failed" -eq 0 ]
