#!/bin/sh
# sh_docs.sh - the manual pages and the bash completion keep up with the
# code: every command of `nsearch --help` and every option of each
# `nsearch COMMAND --help` is in man/nsearch.1 and completions/nsearch, and
# nothing there is an option the command lacks; every NI_API function of
# include/newsindex.h is in man/libnewsindex.3.  Both pages render with
# man (when installed) without warnings.
# Ends with "N passed, N failed".
NSEARCH=${NSEARCH:-tools/nsearch}
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
page=man/nsearch.1
comp=completions/nsearch
# options in roff are written \-\-name
unroff() { sed 's/\\-/-/g' "$1"; }

cmds=$("$NSEARCH" --help | awk '/^commands:/ {on = 1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on = 0}')
[ -n "$cmds" ] || bad "no commands in nsearch --help"
for c in $cmds; do
    if unroff $page | grep -q "^\.BI* \"$c "; then ok; else bad "$page lacks command $c"; fi
    if grep -q "commands=\".*\b$c\b" $comp; then ok; else bad "$comp lacks command $c"; fi
    opts=$("$NSEARCH" "$c" --help | grep -oE '^ +(-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--?[a-zA-Z-]+' | sort -u)
    line=$(awk -v c="$c" '$0 ~ "^    " c "[|)]|\\|" c "[|)]" {on = 1} on {print} on && /;;/ {exit}' $comp)
    for o in $opts; do
        case $o in -h|--help) continue ;; esac
        if unroff $page | grep -q -- "$o\b"; then ok; else bad "$page lacks $c $o"; fi
        if echo "$line" | grep -q -- " $o\b\|\"$o\b"; then ok; else bad "$comp lacks $c $o"; fi
    done
    for o in $(echo "$line" | grep -oE -- ' --?[a-zA-Z-]+' ); do
        if echo "$opts" | grep -qx -- "$o"; then ok; else bad "$comp offers $c $o, which --help lacks"; fi
    done
done
for f in $(grep '^NI_API' include/newsindex.h | grep -oE '\bni_[a-z0-9_]+ *\(' | tr -d '( '); do
    if grep -q "\b$f\b" man/libnewsindex.3; then ok; else bad "man/libnewsindex.3 lacks $f"; fi
done
if command -v man >/dev/null 2>&1; then
    for p in man/nsearch.1 man/libnewsindex.3; do
        w=$(MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$p" 2>&1 >/dev/null)
        if [ -z "$w" ]; then ok; else bad "$p: $w"; fi
    done
fi
if command -v bash >/dev/null 2>&1; then
    got=$(bash -c '. ./completions/nsearch; COMP_WORDS=(nsearch query db --fa); COMP_CWORD=3; _nsearch; echo "${COMPREPLY[*]}"' 2>&1)
    if [ "$got" = "--facets" ]; then ok; else bad "completion of 'nsearch query db --fa': '$got'"; fi
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
