#!/bin/sh
# sh_ulimit.sh - nsearch under an address-space limit (`ulimit -v 500000`,
# about 490 MB): indexing and searching the corpus sample, and a larger
# input made from it (15 copies with other ids, 1,650 documents, 13 MB of
# text) in batches of 200, so that the map grows under the limit commit
# after commit; `nsearch check` passes and the map stays within the limit.
# Sanitizer builds (ASan, TSan) reserve terabytes of address space, so
# there the same commands run without the limit and the output says so:
# only the cases that really ran count.  Ends with "N passed, N failed".
NSEARCH=${NSEARCH:-tools/nsearch}
LIMIT_KB=500000
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

if grep -qa -e __asan_init -e __tsan_init "$NSEARCH"; then
    limited=0
    echo "note: a sanitizer build: the commands run without ulimit -v"
    run() { "$NSEARCH" "$@"; }
else
    limited=1
    run() { (ulimit -v $LIMIT_KB && exec "$NSEARCH" "$@"); }
fi

docs() { "$NSEARCH" stats "$1" --json | sed -E 's/.*"docs":([0-9]+).*/\1/'; }

# the corpus sample
if run index -q "$T/small" corpus 2>"$T/err"; then ok; else bad "index corpus/: $(cat "$T/err")"; fi
[ "$(docs "$T/small")" = 111 ] && ok || bad "corpus/: $(docs "$T/small") documents, want 111"
out=$(run query "$T/small" 'школа мэров' -n 1 --no-snippet 2>"$T/err")
if [ $? = 0 ] && echo "$out" | grep -q 'Школы мэров'; then ok; else bad "query: $out $(cat "$T/err")"; fi
if run get "$T/small" meduza-golunov-0001 >"$T/out" 2>"$T/err" &&
   grep -q '^id: *meduza-golunov-0001' "$T/out"; then ok; else bad "get: $(cat "$T/err")"; fi

# a larger input, committed in batches
for c in $(seq 1 15); do
    sed -E "s/\"id\":\"([^\"]*)\"/\"id\":\"\\1-c$c\"/" corpus/*.jsonl
done >"$T/big.jsonl"
if run index -q --batch 200 "$T/big" "$T/big.jsonl" 2>"$T/err"; then ok; else bad "index big: $(cat "$T/err")"; fi
[ "$(docs "$T/big")" = 1650 ] && ok || bad "big: $(docs "$T/big") documents, want 1650"
out=$(run query "$T/big" 'москва' -n 1 --json 2>"$T/err" | tail -n 1)
if echo "$out" | grep -q '"total":'; then ok; else bad "query big: $out $(cat "$T/err")"; fi
if run check "$T/big" >"$T/out" 2>"$T/err"; then ok; else bad "check big: $(cat "$T/out" "$T/err")"; fi
map=$(run stats "$T/big" --json | sed -E 's/.*"map_bytes":([0-9]+).*/\1/')
if [ "$map" -gt 0 ] && [ "$map" -lt $((LIMIT_KB * 1024)) ]; then ok; else bad "map of $map bytes"; fi
# adding to it again, another process's grown index opened under the limit
if run index -q --batch 200 "$T/big" corpus 2>"$T/err"; then ok; else bad "index again: $(cat "$T/err")"; fi
[ "$(docs "$T/big")" = 1761 ] && ok || bad "big again: $(docs "$T/big") documents, want 1761"

[ $limited = 1 ] || echo "note: $passed cases ran without the limit"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
