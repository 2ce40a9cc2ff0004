#!/bin/sh
# run.sh CORPUS_DIR WORKDIR - every relevance set, nsearch and the peers,
# one markdown table per set and half (see README.md in this folder).
#
# CORPUS_DIR holds the files of ../shared/corpus (the six news files and
# xquad-ru-*).  Into WORKDIR go: news-all.jsonl.gz (the six news files
# concatenated), sets/ (the query sets, made afresh and checked against the
# committed ones), harness/ (a copy of the shared harness, built), idx/
# (one index per engine and corpus, with its JSON line), runs/ (TREC runs
# and timings) and report.md (the tables, also printed).  REUSE_INDEXES=1
# keeps the indexes of an earlier run in WORKDIR.
#
# Engines and modes: nsearch through bench/harness/nsearch (this tree's
# build/bench/harness_adapter): default = HARNESS_OP=and NSEARCH_ALL_WORDS=0,
# or = HARNESS_OP=or; xapian and fts5 through the harness: or and and.
# K = 1000 for the name sets, 100 for the others.  env: ENGINES ("nsearch
# xapian fts5"), SETS ("knownitem short names compounds xquad"), HARNESS
# (../shared/harness beside the project), NSEARCH (the nsearch adapter).
set -u
[ $# -eq 2 ] || { echo "usage: bench/relevance/run.sh CORPUS_DIR WORKDIR" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
C=$(cd "$1" && pwd) || exit 2
mkdir -p "$2" || exit 2
W=$(cd "$2" && pwd)
HARNESS=${HARNESS:-$ROOT/../shared/harness}
NSEARCH=${NSEARCH:-$ROOT/bench/harness/nsearch}
ENGINES=${ENGINES:-nsearch xapian fts5}
SETS=${SETS:-knownitem short names compounds xquad}
NEWS="factrueval2016 meduza-golunov nerel-news ria-2023-topics rucoco2023-test telegram-news-posts"
log() { echo "[$(date +%T)] $*" >&2; }
die() { echo "run.sh: $*" >&2; exit 2; }

mkdir -p "$W/sets" "$W/idx" "$W/runs" "$W/logs"
start=$(date +%s)

log "news-all.jsonl.gz from $C"
for f in $NEWS; do cat "$C/$f.jsonl.gz"; done | gzip -dc | gzip -1 > "$W/news-all.jsonl.gz" ||
    die "cannot read the news files of $C"

if [ ! -x "$W/harness/bin/xapian-engine" ] || [ ! -x "$W/harness/bin/fts5-engine" ]; then
    log "harness copy in $W/harness"
    rm -rf "$W/harness" && cp -r "$HARNESS" "$W/harness" || die "cannot copy $HARNESS"
    make -C "$W/harness" -s -k >"$W/logs/harness-make.log" 2>&1 ||
        log "some harness adapters did not build (see $W/logs/harness-make.log)"
fi

# a generated set against the committed one: the committed files are what
# the figures in README.md were measured on
check_set() {
    for ext in tsv qrels; do
        if ! cmp -s "$W/sets/$1.$ext" "$HERE/$1.$ext"; then
            log "warning: $W/sets/$1.$ext differs from bench/relevance/$1.$ext (another corpus?)"
        fi
    done
}

# set lines: name corpus queries qrels K
: > "$W/sets/list"
names_made=0
for s in $SETS; do
    case $s in
    knownitem)
        log "known-item set (harness knownitem.py, 1000 queries, seed 1)"
        python3 "$W/harness/knownitem.py" "$W/news-all.jsonl.gz" 1000 1 "$W/sets/ki" \
            2>"$W/logs/knownitem.log" || die "knownitem.py failed (see $W/logs/knownitem.log)"
        echo "knownitem notitle $W/sets/ki/queries.tsv $W/sets/ki/qrels.txt 100" >> "$W/sets/list" ;;
    short)
        log "short set"
        python3 "$HERE/make_short.py" "$W/news-all.jsonl.gz" 1515 600 "$W/sets/short" \
            2>"$W/logs/short.log" || die "make_short.py failed (see $W/logs/short.log)"
        check_set short
        echo "short news $W/sets/short.tsv $W/sets/short.qrels 100" >> "$W/sets/list" ;;
    names|compounds)
        if [ "$names_made" = 0 ]; then
            names_made=1
            log "names and compounds sets"
            python3 "$HERE/make_names.py" "$W/news-all.jsonl.gz" "$W/sets/names" \
                2>"$W/logs/names.log" || die "make_names.py failed (see $W/logs/names.log)"
            check_set names
            check_set names-compounds
        fi
        if [ "$s" = names ]; then
            echo "names news $W/sets/names.tsv $W/sets/names.qrels 1000" >> "$W/sets/list"
        else
            echo "compounds news $W/sets/names-compounds.tsv $W/sets/names-compounds.qrels 1000" \
                >> "$W/sets/list"
        fi ;;
    xquad)
        cp "$C/xquad-ru-queries.tsv" "$C/xquad-ru-qrels.txt" "$W/sets/" || die "no XQuAD-ru in $C"
        echo "xquad xquad $W/sets/xquad-ru-queries.tsv $W/sets/xquad-ru-qrels.txt 100" >> "$W/sets/list" ;;
    *) die "unknown set '$s'" ;;
    esac
done

corpus_file() {
    case $1 in
    news) echo "$W/news-all.jsonl.gz" ;;
    notitle) echo "$W/sets/ki/corpus-notitle.jsonl.gz" ;;
    xquad) echo "$C/xquad-ru-docs.jsonl.gz" ;;
    esac
}
adapter() {
    case $1 in
    nsearch) echo "$NSEARCH" ;;
    *) echo "$W/harness/engines/$1" ;;
    esac
}
modes() {
    case $1 in
    nsearch) echo "default or" ;;
    *) echo "or and" ;;
    esac
}

rm -f "$W/runs"/*
for e in $ENGINES; do
    a=$(adapter "$e")
    for corpus in $(awk '{print $2}' "$W/sets/list" | sort -u); do
        idx=$W/idx/$e-$corpus
        if [ "${REUSE_INDEXES:-0}" != 1 ] || [ ! -s "$idx.json" ] || [ ! -d "$idx" ]; then
            log "$e: index $corpus"
            rm -rf "$idx" "$idx.json"
            "$a" index "$(corpus_file "$corpus")" "$idx" >"$idx.json.tmp" \
                2>"$W/logs/$e.$corpus.index.log" || die "$e: index $corpus failed (see $W/logs)"
            mv "$idx.json.tmp" "$idx.json"
        fi
        while read -r set scorpus q qrels k; do
            [ "$scorpus" = "$corpus" ] || continue
            for m in $(modes "$e"); do
                base=$W/runs/$set.$e.$m
                log "$e: $set ($m, top $k)"
                case $m in
                default) op=and; all=0 ;;
                or) op=or; all= ;;
                and) op=and; all= ;;
                esac
                if [ -n "$all" ]; then
                    HARNESS_OP=$op NSEARCH_ALL_WORDS=$all "$a" search "$idx" "$q" "$k" \
                        >"$base.run" 2>"$base.stderr"
                else
                    HARNESS_OP=$op "$a" search "$idx" "$q" "$k" >"$base.run" 2>"$base.stderr"
                fi || die "$e: $set ($m) failed (see $base.stderr)"
                grep '^{' "$base.stderr" | tail -n 1 > "$base.timing.json"
            done
        done < "$W/sets/list"
    done
done

python3 "$HERE/table.py" "$W" > "$W/report.md" || die "table.py failed"
end=$(date +%s)
echo "run.sh: $((end - start)) s, $(uname -n), $(nproc) cores, nsearch $(git -C "$ROOT" describe --always --dirty)" >> "$W/report.md"
cat "$W/report.md"
