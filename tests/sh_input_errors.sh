#!/bin/sh
# sh_input_errors.sh - inputs nsearch index cannot read: an I/O error
# (/proc/self/mem), a symbolic link loop, files and directories without
# read permission, a directory loop (a bind mount of a parent).  Each is
# an error naming the file, the other inputs are indexed, the summary
# counts the errors and bytes actually read, and the exit code is 2.
# Permission bits need a user other than root (setpriv to nobody when run
# as root); the bind mount needs a user namespace (unshare -rm).  Cases
# that cannot run are skipped, said so, and counted neither way.
# Ends with "N passed, N failed".
NSEARCH=${NSEARCH:-tools/nsearch}
case $NSEARCH in /*) ;; *) NSEARCH=$(pwd)/$NSEARCH ;; esac
NEWS=$(pwd)/tests/cli/data/news.jsonl
T=$(mktemp -d)
trap 'chmod -R u+rwx "$T"; rm -rf "$T"' EXIT
chmod 755 "$T"
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
docs() { "$NSEARCH" stats "$1" --json | sed -E 's/.*"docs":([0-9]+).*/\1/'; }
# expect NAME RC STDERR-PATTERN DOCS INDEX: checks the last run
expect() {
    [ "$2" = 2 ] && ok || bad "$1: exit $2, want 2"
    if grep -qE "$3" "$T/err"; then ok; else bad "$1: no '$3' in: $(cat "$T/err")"; fi
    [ "$(docs "$5")" = "$4" ] && ok || bad "$1: $(docs "$5") documents, want $4"
}

# an I/O error while reading
"$NSEARCH" index -q "$T/eio" /proc/self/mem "$NEWS" 2>"$T/err"
expect "EIO" $? "^nsearch: /proc/self/mem: Input/output error$" 6 "$T/eio"
grep -q 'indexed 6 documents .*; 1 error$' "$T/err" && ok || bad "EIO summary: $(cat "$T/err")"

# a symbolic link loop named as an input
ln -s loop.jsonl "$T/loop.jsonl"
"$NSEARCH" index -q "$T/eloop" "$T/loop.jsonl" "$NEWS" 2>"$T/err"
expect "ELOOP" $? "^nsearch: cannot open '.*/loop\.jsonl': Too many levels of symbolic links$" 6 "$T/eloop"

# no read permission, for a file named, a file found and a directory
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 && id nobody >/dev/null 2>&1; then
    as() { setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups "$@"; }
    perm=1
elif [ "$(id -u)" != 0 ]; then
    as() { "$@"; }
    perm=1
else
    perm=0
    echo "skipped: permission cases (root without setpriv)"
fi
if [ $perm = 1 ]; then
    mkdir -p "$T/in/sub" "$T/out"
    chmod 777 "$T/out"
    cp "$NEWS" "$T/in/a.jsonl"
    cp "$NEWS" "$T/in/secret.jsonl"
    cp "$NEWS" "$T/in/sub/c.jsonl"
    chmod 000 "$T/in/secret.jsonl" "$T/in/sub"
    as "$NSEARCH" index -q "$T/out/perm" "$T/in/secret.jsonl" 2>"$T/err"
    rc=$?
    [ $rc = 2 ] && ok || bad "EACCES file: exit $rc, want 2"
    grep -q "^nsearch: cannot open '.*/in/secret\.jsonl': Permission denied$" "$T/err" && ok ||
        bad "EACCES file: $(cat "$T/err")"
    grep -q 'indexed 0 documents (0 bytes read, .*; 1 error$' "$T/err" && ok ||
        bad "EACCES summary: $(cat "$T/err")"
    as "$NSEARCH" index -q "$T/out/walk" "$T/in" 2>"$T/err"
    expect "EACCES walk" $? "^nsearch: cannot read directory '.*/in/sub': Permission denied$" 6 "$T/out/walk"
    grep -q "^nsearch: cannot open '.*/in/secret\.jsonl': Permission denied$" "$T/err" && ok ||
        bad "EACCES walk file: $(cat "$T/err")"
    grep -q '; 2 errors$' "$T/err" && ok || bad "EACCES walk summary: $(cat "$T/err")"
fi

# a directory loop: a bind mount of the directory inside itself
mkdir -p "$T/tree/sub/mnt"
cp "$NEWS" "$T/tree/a.jsonl"
if unshare -rm sh -c "mount --bind '$T/tree' '$T/tree/sub/mnt'" 2>/dev/null; then
    unshare -rm sh -c "mount --bind '$T/tree' '$T/tree/sub/mnt' &&
        exec timeout 60 '$NSEARCH' index -q '$T/dirloop' '$T/tree'" 2>"$T/err"
    expect "directory loop" $? "^nsearch: cannot read directory '.*/tree/sub/mnt': a directory loop \(it is '.*/tree'\)$" 6 "$T/dirloop"
else
    echo "skipped: directory loop (no user namespaces)"
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
