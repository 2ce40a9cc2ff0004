#!/bin/sh
# mutate.sh [LIST] - mutation testing: puts each plausible one-line bug of
# LIST (default tests/mutants.txt) into a scratch copy of the tree, one at a
# time, and runs the test suite against it.  A mutant is caught as soon as one
# test program fails (or hangs past its time limit); it survives when the
# whole suite passes.  Prints one line per mutant and ends with
# "N of M mutants caught (P %)"; exits 1 when fewer than MUTATE_MIN (90) per
# cent are caught or a mutant cannot be applied or does not compile.
#
# The working tree is never touched.  The scratch tree is DIR/src (DIR is
# $MUTATE_DIR, default build-mutate), refreshed from the checkout's tracked
# and untracked files with their times kept, and built there in its own
# build/ with make -j2: after the first run only the mutated file (and the one
# restored after the previous mutant) recompiles, and each test binary is
# relinked only when about to run.  One baseline run of the unmutated suite
# comes first: it must pass, and its times order the tests (fastest first,
# after the tests the mutant's line names).
#
# LIST lines (blank lines and lines starting with "#" are ignored), fields
# separated by " @@ ":
#     file @@ original fragment @@ replacement @@ description @@ tests
# The fragment must occur exactly once in the file; the replacement takes its
# place.  tests (optional) names the test programs (test_date, sh_cli) that
# run first for that mutant.
#
# MUTATE_ONLY=ERE runs only the mutants whose line matches ERE.
# MUTATE_QUICK=1, for working on the list: no baseline run (the times of the
# last one are kept) and only the tests the mutant's line names; a mutant
# that survives them is reported as "passes" (not run against the rest).
LC_ALL=C.UTF-8
export LC_ALL
top=$(cd "$(dirname "$0")/.." && pwd)
list=${1:-$top/tests/mutants.txt}
case $list in /*) ;; *) list=$(pwd)/$list ;; esac
dir=${MUTATE_DIR:-$top/build-mutate}
case $dir in /*) ;; *) dir=$top/$dir ;; esac
min=${MUTATE_MIN:-90}
src=$dir/src
start=$(date +%s)
[ -r "$list" ] || { echo "mutate.sh: cannot read $list" >&2; exit 2; }
mkdir -p "$src" || exit 2

# The scratch tree: the checkout's files with their times, so make rebuilds
# only what changed since the last run.  A file left mutated by an interrupted
# run is touched so that it recompiles.
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$top" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) |
        (cd "$src" && tar -xf -) || exit 2
else
    (cd "$top" && tar --exclude=./build* --exclude=./.git -cf - .) |
        (cd "$src" && tar -xf -) || exit 2
fi
[ -s "$dir/applied" ] && touch "$src/$(cat "$dir/applied")"
rm -f "$dir/applied"

build() {
    make -C "$src" -s -j2 WERROR=1 all >"$dir/build.log" 2>&1
}

# run_test NAME LIMIT: 0 when the test program passes within LIMIT seconds.
run_test() {
    case $1 in
    sh_*) set -- "sh tests/$1.sh" "$2" ;;
    *)    make -C "$src" -s "build/tests/$1" >"$dir/build.log" 2>&1 || return 3
          set -- "build/tests/$1" "$2" ;;
    esac
    (cd "$src" && O=build NSEARCH=tools/nsearch timeout -k 5 "$2" $1) >"$dir/test.log" 2>&1
    rc=$?
    [ $rc -eq 77 ] && return 0      # skipped here (tests/run.sh)
    [ $rc -eq 0 ] || return 1
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$dir/test.log" | tail -n 1)
    [ -n "$line" ] && [ "$(echo "$line" | awk '{print $3}')" = 0 ]
}

# The baseline: every test passes on the unmutated tree; times in times.
echo "mutate: baseline build and suite in $src"
build || { cat "$dir/build.log"; echo "mutate: the unmutated tree does not build" >&2; exit 2; }
if [ -z "$MUTATE_QUICK" ] || [ ! -s "$dir/times" ]; then
    make -C "$src" -s -j2 WERROR=1 $(cd "$src" && ls tests/test_*.c | sed 's|\.c$||; s|^|build/|') \
        >"$dir/build.log" 2>&1 || { cat "$dir/build.log"; exit 2; }
    : >"$dir/times.new"
    for t in $(cd "$src" && ls tests/test_*.c tests/sh_*.sh | sed 's|^tests/||; s|\.[a-z]*$||'); do
        t0=$(date +%s)
        if ! run_test "$t" 900; then
            tail -n 20 "$dir/test.log"
            echo "mutate: $t fails on the unmutated tree" >&2
            exit 2
        fi
        echo "$(( $(date +%s) - t0 )) $t" >>"$dir/times.new"
    done
    mv "$dir/times.new" "$dir/times"
    echo "mutate: baseline suite $(awk '{s += $1} END {print s}' "$dir/times") s"
fi
order=$(sort -n "$dir/times" | awk '{print $2}')
[ -n "$MUTATE_QUICK" ] && order=

caught=0
survived=0
broken=0
total=0
grep -v -E '^[[:space:]]*(#|$)' "$list" >"$dir/list"
[ -n "$MUTATE_ONLY" ] && { grep -E -- "$MUTATE_ONLY" "$dir/list" >"$dir/list.only"; mv "$dir/list.only" "$dir/list"; }
n=$(wc -l <"$dir/list")
trap '[ -s "$dir/applied" ] && cat "$dir/orig" >"$src/$(cat "$dir/applied")" && rm -f "$dir/applied"; exit 2' INT TERM
i=0
while [ $i -lt "$n" ]; do
    i=$((i + 1))
    sed -n "${i}p" "$dir/list" >"$dir/line"
    field() { awk -F ' @@ ' -v k="$1" '{s = $k; gsub(/^[ \t]+|[ \t]+$/, "", s); print s}' "$dir/line"; }
    file=$(field 1)
    what=$(field 4)
    hints=$(field 5)
    total=$((total + 1))
    label="$file: $what"
    if [ ! -f "$src/$file" ]; then
        echo "ERROR    $label: no such file"; broken=$((broken + 1)); continue
    fi
    cp "$src/$file" "$dir/orig"
    ORIG=$(field 2) REPL=$(field 3) awk '
        BEGIN { o = ENVIRON["ORIG"]; r = ENVIRON["REPL"]; n = 0 }
        {
            line = $0; out = ""
            while ((p = index(line, o)) > 0 && o != "") {
                n++; out = out substr(line, 1, p - 1) r; line = substr(line, p + length(o))
            }
            print out line
        }
        END { exit n == 1 ? 0 : 3 }' "$dir/orig" >"$dir/mutant"
    if [ $? -ne 0 ]; then
        echo "ERROR    $label: the fragment is not found exactly once"; broken=$((broken + 1)); continue
    fi
    echo "$file" >"$dir/applied"
    cat "$dir/mutant" >"$src/$file"
    t0=$(date +%s)
    verdict=SURVIVED
    by=
    [ -n "$MUTATE_QUICK" ] && verdict=passes && by="$hints pass"
    if ! build; then
        verdict=ERROR
        by="does not compile: $(grep -m1 error "$dir/build.log")"
    else
        for t in $hints $(echo "$order" | grep -v -x -F "$(printf '%s\n' $hints)"); do
            limit=$(awk -v t="$t" '$2 == t {print 5 * $1 + 30}' "$dir/times")
            run_test "$t" "${limit:-300}"
            rc=$?
            if [ $rc -eq 3 ]; then verdict=ERROR; by="$t does not build"; break; fi
            if [ $rc -ne 0 ]; then verdict=caught; by="by $t"; break; fi
        done
    fi
    cat "$dir/orig" >"$src/$file"
    rm -f "$dir/applied"
    case $verdict in
    caught)   caught=$((caught + 1)) ;;
    SURVIVED|passes) survived=$((survived + 1)) ;;
    *)        broken=$((broken + 1)) ;;
    esac
    printf '%-8s %s (%s, %d s)\n' "$verdict" "$label" "${by:-every test passes}" $(( $(date +%s) - t0 ))
done
build >/dev/null 2>&1
share=$(( total > 0 ? caught * 100 / total : 0 ))
echo "$caught of $total mutants caught ($share %), $survived survived, $broken not applied; $(( $(date +%s) - start )) s"
[ "$broken" -eq 0 ] && [ "$share" -ge "$min" ]
