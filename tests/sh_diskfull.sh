#!/bin/sh
# sh_diskfull.sh - a full disk: nsearch index on a 2 MB file system fills
# it, fails with exit 2 and a message that says "disk full" (LMDB reports
# the short write as an I/O error), and the documents committed before
# are still there and pass `nsearch check`.  The small file system is a
# tmpfs mounted in a user namespace (unshare -rm), which needs no root;
# where user namespaces are off the cases are skipped and counted neither
# way.  (test_reliability's full_disk covers the file-size limit.)
# Ends with "N passed, N failed".
NSEARCH=${NSEARCH:-tools/nsearch}
case $NSEARCH in /*) ;; *) NSEARCH=$(pwd)/$NSEARCH ;; esac
if [ "$1" != inside ]; then
    T=$(mktemp -d)
    trap 'rm -rf "$T"' EXIT
    mkdir "$T/mnt"
    if ! unshare -rm sh -c "mount -t tmpfs -o size=2m tmpfs '$T/mnt'" 2>/dev/null; then
        echo "skipped: cannot mount a small file system (no user namespaces)"
        echo "0 passed, 0 failed"
        exit 0
    fi
    T=$T NSEARCH=$NSEARCH exec unshare -rm sh "$0" inside
fi

mount -t tmpfs -o size=2m tmpfs "$T/mnt" || { echo "mount failed"; echo "0 passed, 1 failed"; exit 1; }
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
db=$T/mnt/idx

# a new index whose first commit does not fit: LMDB's short write
"$NSEARCH" index -q "$T/mnt/first" corpus 2>"$T/err"
rc=$?
[ $rc = 2 ] && ok || bad "first commit on a full disk: exit $rc, want 2"
if grep -q '^nsearch: cannot .*disk full' "$T/err"; then ok; else bad "first commit: $(cat "$T/err")"; fi
rm -rf "$T/mnt/first"

# commits after committed ones
"$NSEARCH" index -q "$db" tests/cli/data/news.jsonl 2>"$T/err" || bad "first index: $(cat "$T/err")"
"$NSEARCH" index -q --batch 20 "$db" corpus 2>"$T/err"
rc=$?
[ $rc = 2 ] && ok || bad "indexing into a full disk: exit $rc, want 2"
if grep -q '^nsearch: cannot .*disk full' "$T/err"; then ok; else bad "message: $(cat "$T/err")"; fi
if grep -q 'Input/output error' "$T/err"; then bad "EIO reported: $(cat "$T/err")"; else ok; fi
docs=$("$NSEARCH" stats "$db" --json 2>"$T/err" | sed -E 's/.*"docs":([0-9]+).*/\1/')
[ -n "$docs" ] && [ "$docs" -ge 6 ] && ok || bad "after: '$docs' documents ($(cat "$T/err"))"
if "$NSEARCH" check "$db" >"$T/out" 2>&1; then ok; else bad "check: $(cat "$T/out")"; fi
out=$("$NSEARCH" get "$db" ria-1908828530 2>&1)
if echo "$out" | grep -q '^id: *ria-1908828530'; then ok; else bad "get: $out"; fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
