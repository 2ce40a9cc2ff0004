#!/bin/sh
# sh_evaluate.sh - bench/relevance/evaluate.py computes what it says on a
# hand-made qrels and run: the relevant document at rank 10 counts for
# MRR@10 and P@10, at rank 11 it does not; at rank 100 it counts for R@100,
# at rank 101 only for R@1000; a query the run lacks scores 0; repeated
# docids count once; the halves are the odd and even lines of the query
# file; the paired test gives p = 1 for equal runs, 1/10001 for a
# consistent difference, and the exact two-sided p of a small case.  Skipped (counted neither way) without python3.
# Ends with "N passed, N failed".
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

if ! command -v python3 >/dev/null 2>&1; then
    echo "skipped: no python3"
    echo "0 passed, 0 failed"
    exit 0
fi
EV=bench/relevance/evaluate.py
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# q10: relevant d10 at rank 10; q11: relevant d11 at rank 11; q100: two
# relevant, r1 at rank 100 and r2 at rank 101; qnone: not in the run;
# qdup: relevant x at rank 1 twice (and at rank 3), so P@10 counts it once
printf 'q10\tten\nq11\televen\nq100\thundred\nqnone\tnone\nqdup\tdup\n' > "$T/q.tsv"
printf 'q10 0 d10 1\nq11 0 d11 1\nq100 0 r1 1\nq100 0 r2 1\nq100 0 other 0\nqnone 0 z 1\nqdup 0 x 1\n' > "$T/qrels"
awk 'BEGIN {
    for (i = 1; i <= 10; i++) printf "q10 Q0 %s %d 1.0 t\n", (i == 10 ? "d10" : "n" i), i
    for (i = 1; i <= 11; i++) printf "q11 Q0 %s %d 1.0 t\n", (i == 11 ? "d11" : "n" i), i
    for (i = 1; i <= 101; i++) printf "q100 Q0 %s %d 1.0 t\n", (i == 100 ? "r1" : i == 101 ? "r2" : "n" i), i
    print "qdup Q0 x 1 1.0 t"; print "qdup Q0 x 2 1.0 t"; print "qdup Q0 x 3 1.0 t"
}' > "$T/run"

# one query's metrics: MRR@10 P@10 P@10ret R@100 R@1000 nDCG@10, rounded
metrics() {
    python3 "$EV" "$T/qrels" "$T/run" --queries "$T/q.tsv" --json --per-query "$@" |
        python3 -c 'import json, sys
o = json.load(sys.stdin)
for q in sys.argv[1:]:
    m = o["per_query"][q]
    print(q, " ".join("%.4f" % m[k] for k in ("MRR@10", "P@10", "P@10ret", "R@100", "R@1000", "nDCG@10")))' \
        q10 q11 q100 qnone qdup
}
metrics > "$T/out" 2>"$T/err" || bad "evaluate.py failed: $(cat "$T/err")"
expect() {
    line=$(grep "^$1 " "$T/out")
    if [ "$line" = "$1 $2" ]; then ok; else bad "$1: got '$line', expected '$1 $2'"; fi
}
# nDCG@10 at rank 10: (1/log2 11) / 1 = 0.2891
expect q10 "0.1000 0.1000 0.1000 1.0000 1.0000 0.2891"
expect q11 "0.0000 0.0000 0.0000 1.0000 1.0000 0.0000"
expect q100 "0.0000 0.0000 0.0000 0.5000 1.0000 0.0000"
expect qnone "0.0000 0.0000 0.0000 0.0000 0.0000 0.0000"
expect qdup "1.0000 0.1000 1.0000 1.0000 1.0000 1.0000"

# the means and the halves: tune = q10 q100 qdup, report = q11 qnone
mean() {
    python3 "$EV" "$T/qrels" "$T/run" --queries "$T/q.tsv" --json "$@" |
        python3 -c 'import json, sys
o = json.load(sys.stdin)
print(o["queries"], "%.4f %.4f %d" % (o["run"]["MRR@10"], o["run"]["R@100"], o["run"]["answered"]))'
}
got=$(mean); [ "$got" = "5 0.2200 0.7000 4" ] && ok || bad "all: got '$got'"
got=$(mean --half tune); [ "$got" = "3 0.3667 0.8333 3" ] && ok || bad "tune: got '$got'"
got=$(mean --half report); [ "$got" = "2 0.0000 0.5000 1" ] && ok || bad "report: got '$got'"
# without --queries: every judged qid of the qrels
got=$(python3 "$EV" "$T/qrels" "$T/run" --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["queries"])')
[ "$got" = 5 ] && ok || bad "qids from the qrels: got '$got'"
if python3 "$EV" "$T/qrels" "$T/run" --half tune >/dev/null 2>&1; then
    bad "--half without --queries accepted"
else
    ok
fi

# the paired test: a run against itself, p = 1; 40 queries all better by
# 1/1 - 1/2 in MRR@10: a sign flip is as extreme only when all 40 signs
# agree (2 in 2^40), so p = (0 + 1) / (10,000 + 1)
: > "$T/q40"; : > "$T/qrels40"; : > "$T/a"; : > "$T/b"
for i in $(seq 1 40); do
    printf 'q%d\tx\n' "$i" >> "$T/q40"
    printf 'q%d 0 good 1\n' "$i" >> "$T/qrels40"
    printf 'q%d Q0 good 1 2 t\n' "$i" >> "$T/a"
    printf 'q%d Q0 bad 1 2 t\nq%d Q0 good 2 1 t\n' "$i" "$i" >> "$T/b"
done
test_p() {
    python3 "$EV" "$T/qrels40" "$1" --baseline "$2" --queries "$T/q40" --json |
        python3 -c 'import json, sys
t = json.load(sys.stdin)["tests"]["MRR@10"]
print("%.4f %.6f" % (t["diff"], t["p"]))'
}
got=$(test_p "$T/a" "$T/a"); [ "$got" = "0.0000 1.000000" ] && ok || bad "same runs: got '$got'"
got=$(test_p "$T/a" "$T/b"); [ "$got" = "0.5000 0.000100" ] && ok || bad "better run: got '$got'"
got=$(test_p "$T/b" "$T/a"); [ "$got" = "-0.5000 0.000100" ] && ok || bad "worse run: got '$got'"

# five queries better by 0.5 and one worse by 0.5: of the 64 sign patterns,
# 14 give |sum| >= 2 (all six alike, or one of the six against the rest),
# so the two-sided p is 14/64 = 0.219; 10,000 flips land within 0.02 of it
head -n 6 "$T/q40" > "$T/q6"
{ grep -E '^q[1-5] ' "$T/a"; grep -E '^q6 ' "$T/b"; } > "$T/a6"
{ grep -E '^q[1-5] ' "$T/b"; grep -E '^q6 ' "$T/a"; } > "$T/b6"
got=$(python3 "$EV" "$T/qrels40" "$T/a6" --baseline "$T/b6" --queries "$T/q6" --json |
      python3 -c 'import json, sys
t = json.load(sys.stdin)["tests"]["MRR@10"]
print("%.4f %s" % (t["diff"], "near" if abs(t["p"] - 14 / 64) < 0.02 else "p=%.4f" % t["p"]))')
[ "$got" = "0.3333 near" ] && ok || bad "five better, one worse: got '$got', expected p near 0.219"

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
