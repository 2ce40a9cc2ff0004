#!/bin/sh
# sh_cli.sh - runs the nsearch golden cases in tests/cli/*.t against
# $NSEARCH (default tools/nsearch; a relative path is taken from the top of
# the checkout).  Ends with "N passed, N failed".
#
# Case files (see tests/cli/README): one case starts with "=== name"; then
#   $ command      one shell command line; `nsearch` runs $NSEARCH
#   < line         a line of standard input (default: none, /dev/null)
#   > line         a line of expected standard output, exact ("> " or ">"
#                  alone for an empty line); no ">" lines: stdout is empty
#   ? N            the expected exit code (default 0)
#   ! ERE          some line of stderr must match (grep -E)
#   !! ERE         no line of stderr may match
#   | SED          a sed -E script applied to stdout before comparing
# Lines starting with "#" and blank lines between cases are ignored.
#
# Commands run in tests/cli with these variables set:
#   DB      an index built once from corpus/shkola-merov.txt (indexed as
#           ../../corpus/shkola-merov.txt; its id is its file name) and
#           data/news.jsonl
#   T       an empty scratch directory, removed at the end
#   NSEARCH the binary
LC_ALL=C.UTF-8
export LC_ALL
unset NO_COLOR
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
: "${NSEARCH:=$root/tools/nsearch}"
case $NSEARCH in /*) ;; *) NSEARCH=$root/$NSEARCH ;; esac
export NSEARCH
T=$(mktemp -d "${TMPDIR:-/tmp}/nsearch-cli.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT INT TERM
export T
DB=$T/db
export DB
CORPUS=$root/corpus
export CORPUS

nsearch() { "$NSEARCH" "$@"; }

passed=0
failed=0

cd "$here/cli" || exit 2

# The shared index: fixed files only, so that samples added to corpus/ later
# do not change expected outputs.
setup_inputs="../../corpus/shkola-merov.txt data/news.jsonl"
# shellcheck disable=SC2086
if ! "$NSEARCH" index -q "$DB" $setup_inputs >"$T/setup.out" 2>"$T/setup.err"; then
    echo "setup: nsearch index failed:"
    cat "$T/setup.err"
    echo "0 passed, 1 failed"
    exit 1
fi

# run_case: runs the case described by the variables name, cmd, want_rc and
# the files $T/case.{in,want,pat,nopat,sed}.
run_case() {
    [ -n "$name" ] || return 0
    if [ -z "$cmd" ]; then
        printf 'FAIL %s: %s: no "$ command" line\n' "$file" "$name"
        failed=$((failed + 1))
        return 0
    fi
    mkdir -p "$T/scratch"
    stdin=/dev/null
    [ -n "$has_in" ] && stdin=$T/case.in
    (eval "$cmd") <"$stdin" >"$T/case.out" 2>"$T/case.err"
    rc=$?
    if [ -s "$T/case.sed" ]; then
        sed -E -f "$T/case.sed" "$T/case.out" >"$T/case.out2"
        mv "$T/case.out2" "$T/case.out"
    fi
    why=""
    [ "$rc" = "$want_rc" ] || why="exit code $rc, want $want_rc"
    if ! cmp -s "$T/case.want" "$T/case.out"; then
        why="${why:+$why; }stdout differs"
    fi
    while IFS= read -r pat; do
        grep -Eq -- "$pat" "$T/case.err" || why="${why:+$why; }stderr lacks /$pat/"
    done <"$T/case.pat"
    while IFS= read -r pat; do
        ! grep -Eq -- "$pat" "$T/case.err" || why="${why:+$why; }stderr has /$pat/"
    done <"$T/case.nopat"
    if [ -z "$why" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        printf 'FAIL %s: %s: %s\n' "$file" "$name" "$why"
        printf '  $ %s\n' "$cmd"
        diff -u "$T/case.want" "$T/case.out" | sed '1,2d; s/^/  /' | head -n 40
        echo "  stderr:"
        sed 's/^/  | /' "$T/case.err" | head -n 20
    fi
}

new_case() {
    name=$1
    cmd=""
    want_rc=0
    has_in=""
    : >"$T/case.in"
    : >"$T/case.want"
    : >"$T/case.pat"
    : >"$T/case.nopat"
    : >"$T/case.sed"
}

for file in *.t; do
    [ -f "$file" ] || continue
    new_case ""
    lineno=0
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        case $line in
        "=== "*) run_case; new_case "${line#=== }" ;;
        "\$ "*) cmd=${line#\$ } ;;
        "> "*) printf '%s\n' "${line#> }" >>"$T/case.want" ;;
        ">") echo >>"$T/case.want" ;;
        "< "*) printf '%s\n' "${line#< }" >>"$T/case.in"; has_in=1 ;;
        "<") echo >>"$T/case.in"; has_in=1 ;;
        "? "*) want_rc=${line#? } ;;
        "!! "*) printf '%s\n' "${line#!! }" >>"$T/case.nopat" ;;
        "! "*) printf '%s\n' "${line#! }" >>"$T/case.pat" ;;
        "| "*) printf '%s\n' "${line#| }" >>"$T/case.sed" ;;
        "#"* | "") ;;
        *)
            printf 'FAIL %s:%s: cannot parse: %s\n' "$file" "$lineno" "$line"
            failed=$((failed + 1))
            ;;
        esac
    done <"$file"
    run_case
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
