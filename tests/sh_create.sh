#!/bin/sh
# sh_create.sh - writers creating one new index at once: CREATE_ROUNDS
# rounds (10 in make check), each starting 4 `nsearch index` runs on the
# same index path that does not exist yet, with different documents; every
# run must succeed (the header promises that a second writer waits, not
# that it fails with "File exists") and the index must hold all their
# documents and pass `nsearch check`.
# Ends with "N passed, N failed".
NSEARCH=${NSEARCH:-tools/nsearch}
rounds=${CREATE_ROUNDS:-10}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0

for w in 1 2 3 4; do
    awk -v w=$w 'BEGIN { for (i = 0; i < 50; i++)
        printf "{\"id\":\"w%d-%d\",\"title\":\"Пишет %d\",\"text\":\"новость номер %d\"}\n", w, i, w, i }' \
        > "$T/in$w.jsonl"
done
r=0
while [ $r -lt $rounds ]; do
    r=$((r + 1))
    idx="$T/idx$r"
    for w in 1 2 3 4; do
        ( "$NSEARCH" index -q -j 1 "$idx" "$T/in$w.jsonl" 2>"$T/err$w"; echo $? > "$T/rc$w" ) &
    done
    wait
    bad=""
    for w in 1 2 3 4; do
        [ "$(cat "$T/rc$w")" = 0 ] || bad="$bad writer $w: exit $(cat "$T/rc$w") $(cat "$T/err$w");"
    done
    docs=$("$NSEARCH" stats "$idx" --json 2>/dev/null | sed -E 's/.*"docs":([0-9]+).*/\1/')
    [ "$docs" = 200 ] || bad="$bad $docs documents, want 200;"
    "$NSEARCH" check "$idx" >/dev/null 2>&1 || bad="$bad check fails;"
    if [ -z "$bad" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL round $r:$bad"
    fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
