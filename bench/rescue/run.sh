#!/bin/sh
# run.sh CORPUS_DIR WORKDIR - the query-rescue sets (README.md here): each
# variant of the XQuAD-ru questions and of the short news queries searched
# by nsearch with rescue on and off (NSEARCH_NO_RESCUE=1) and by the peers,
# MRR@10 per half against the clean queries.
#
# CORPUS_DIR holds the files of ../shared/corpus.  Into WORKDIR go:
# news-all.jsonl.gz, harness/ (a copy of the shared harness, built), idx/,
# runs/ and report.md (also printed).  REUSE_INDEXES=1 keeps the indexes of
# an earlier run.  env: ENGINES ("nsearch xapian fts5"), VARIANTS ("clean
# layout bgn icao typo"), HARNESS, NSEARCH (as bench/relevance/run.sh).
set -u
[ $# -eq 2 ] || { echo "usage: bench/rescue/run.sh CORPUS_DIR WORKDIR" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
C=$(cd "$1" && pwd) || exit 2
mkdir -p "$2" || exit 2
W=$(cd "$2" && pwd)
HARNESS=${HARNESS:-$ROOT/../shared/harness}
NSEARCH=${NSEARCH:-$ROOT/bench/harness/nsearch}
ENGINES=${ENGINES:-nsearch xapian fts5}
VARIANTS=${VARIANTS:-clean layout bgn icao typo}
NEWS="factrueval2016 meduza-golunov nerel-news ria-2023-topics rucoco2023-test telegram-news-posts"
log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 2; }

mkdir -p "$W/idx" "$W/runs" "$W/logs"
if [ ! -s "$W/news-all.jsonl.gz" ]; then
    log "news-all.jsonl.gz from $C"
    for f in $NEWS; do cat "$C/$f.jsonl.gz"; done | gzip -dc | gzip -1 > "$W/news-all.jsonl.gz" ||
        die "cannot read the news files of $C"
fi
if echo "$ENGINES" | grep -q -e xapian -e fts5 &&
   { [ ! -x "$W/harness/bin/xapian-engine" ] || [ ! -x "$W/harness/bin/fts5-engine" ]; }; then
    log "harness copy in $W/harness"
    rm -rf "$W/harness" && cp -r "$HARNESS" "$W/harness" || die "cannot copy $HARNESS"
    make -C "$W/harness" -s -k >"$W/logs/harness-make.log" 2>&1 ||
        log "some harness adapters did not build (see $W/logs/harness-make.log)"
fi

# sets: name corpus-file clean-queries qrels
sets() {
    echo "xquad $C/xquad-ru-docs.jsonl.gz $C/xquad-ru-queries.tsv $C/xquad-ru-qrels.txt"
    echo "short $W/news-all.jsonl.gz $ROOT/bench/relevance/short.tsv $ROOT/bench/relevance/short.qrels"
}
adapter() { case $1 in nsearch) echo "$NSEARCH" ;; *) echo "$W/harness/engines/$1" ;; esac; }
modes() { case $1 in nsearch) echo "rescue exact" ;; *) echo "and or" ;; esac; }

sets | while read -r set corpus clean qrels; do
    for e in $ENGINES; do
        a=$(adapter "$e")
        idx=$W/idx/$e-$set
        if [ "${REUSE_INDEXES:-0}" != 1 ] || [ ! -d "$idx" ]; then
            log "$e: index $set"
            rm -rf "$idx"
            "$a" index "$corpus" "$idx" >"$idx.json" 2>"$W/logs/$e.$set.index.log" ||
                die "$e: index $set failed (see $W/logs)"
        fi
        for v in $VARIANTS; do
            q=$clean
            [ "$v" = clean ] || q=$HERE/$set-$v.tsv
            for m in $(modes "$e"); do
                base=$W/runs/$set.$v.$e.$m
                case $m in
                rescue) HARNESS_OP=and NSEARCH_ALL_WORDS=0 "$a" search "$idx" "$q" 100 ;;
                exact) HARNESS_OP=and NSEARCH_ALL_WORDS=0 NSEARCH_NO_RESCUE=1 \
                           "$a" search "$idx" "$q" 100 ;;
                *) HARNESS_OP=$m "$a" search "$idx" "$q" 100 ;;
                esac >"$base.run" 2>"$base.stderr" || die "$e: $set $v ($m) failed (see $base.stderr)"
            done
        done
    done
done

{
    echo "| set | variant | half | $(for e in $ENGINES; do for m in $(modes "$e"); do printf '%s %s | ' "$e" "$m"; done; done)"
    echo "|---|---|---|$(for e in $ENGINES; do for m in $(modes "$e"); do printf -- '---:|'; done; done)"
    sets | while read -r set corpus clean qrels; do
        for v in $VARIANTS; do
            for half in tune report; do
                printf '| %s | %s | %s |' "$set" "$v" "$half"
                for e in $ENGINES; do
                    for m in $(modes "$e"); do
                        r=$(python3 "$ROOT/bench/relevance/evaluate.py" "$qrels" \
                            "$W/runs/$set.$v.$e.$m.run" --half "$half" --queries "$clean" --json |
                            python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["run"]["MRR@10"])')
                        printf ' %s |' "$r"
                    done
                done
                echo
            done
        done
    done
    echo
    echo "run.sh: $(uname -n), $(nproc) cores, nsearch $(git -C "$ROOT" describe --always --dirty)"
} > "$W/report.md"
cat "$W/report.md"
