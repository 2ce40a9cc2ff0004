#!/bin/sh
# sh_readonly.sh - an index in a directory the user may not write (read-only
# media, another user's index): nsearch query, get, stats and check work,
# nsearch index fails with a clear message and exit 2, and the index is
# unchanged.  Root bypasses permission bits, so when run as root the
# commands run as user nobody (setpriv); as root without setpriv (or without
# a user nobody) the test is skipped: it says why and exits 77, which
# tests/run.sh counts as skipped, not passed.  Ends with "N passed, N failed".
NSEARCH=${NSEARCH:-tools/nsearch}
case $NSEARCH in /*) ;; *) NSEARCH=$(pwd)/$NSEARCH ;; esac
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    as() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
elif [ "$(id -u)" != 0 ]; then
    as() { "$@"; }
else
    echo "SKIPPED: running as root without setpriv or user nobody, permission bits cannot be tested"
    echo "0 passed, 0 failed"
    exit 77
fi

T=$(mktemp -d)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
chmod 755 "$T"
"$NSEARCH" index -q "$T/idx" corpus 2>"$T/err" || bad "indexing corpus/: $(cat "$T/err")"
chmod -R a-w "$T/idx"
sum=$(cat "$T/idx"/*.mdb | cksum)

out=$(as "$NSEARCH" query "$T/idx" 'школа мэров' -n 1 --no-snippet 2>"$T/err")
if [ $? = 0 ] && echo "$out" | grep -q 'Школы мэров'; then ok; else bad "query: $out $(cat "$T/err")"; fi

if as "$NSEARCH" get "$T/idx" meduza-golunov-0001 >"$T/out" 2>"$T/err" &&
   grep -q '^id: *meduza-golunov-0001' "$T/out"; then ok; else bad "get: $(cat "$T/err")"; fi

if as "$NSEARCH" stats "$T/idx" --json >"$T/out" 2>"$T/err" &&
   grep -q '"docs":111' "$T/out"; then ok; else bad "stats: $(cat "$T/out" "$T/err")"; fi

if as "$NSEARCH" check "$T/idx" >"$T/out" 2>&1; then ok; else bad "check: $(cat "$T/out")"; fi

as "$NSEARCH" index "$T/idx" corpus >"$T/out" 2>&1
rc=$?
if [ $rc = 2 ] && grep -q "cannot open index" "$T/out"; then ok; else bad "index into it: exit $rc, $(cat "$T/out")"; fi

if [ "$(cat "$T/idx"/*.mdb | cksum)" = "$sum" ]; then ok; else bad "the index changed"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
