#!/bin/sh
# serve.sh NSEARCH IDX [REQUESTS] [CLIENTS] - nsearch serve under load: for
# each query below, REQUESTS (default 20000) GET /api/search?q=QUERY (top
# ten with snippets, near copies folded: the page's request without facets)
# from CLIENTS (default 50) concurrent keep-alive clients (Debian
# apache2-utils' ab), then REQUESTS more with facets; prints ab's requests
# per second, p50 and p99 latency and errors per query, and the server's
# resident memory before, after every query, and at the end.  The server
# logs each request to a file, as it would in use.
NSEARCH=${1:?usage: serve.sh NSEARCH IDX [REQUESTS] [CLIENTS]}
IDX=${2:?usage: serve.sh NSEARCH IDX [REQUESTS] [CLIENTS]}
N=${3:-20000}
C=${4:-50}
PORT=${PORT:-8188}
command -v ab >/dev/null || { echo "serve.sh: needs ab (apt-get install apache2-utils)" >&2; exit 2; }
LOG=$(mktemp)
"$NSEARCH" serve "$IDX" --port "$PORT" 2>"$LOG" &
PID=$!
trap 'kill $PID 2>/dev/null; rm -f "$LOG"' EXIT
sleep 1
rss() { awk '/VmRSS/ {print $2 " kB"}' /proc/$PID/status; }
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
echo "server rss at start: $(rss)"
printf '%-28s %9s %8s %8s %7s %10s\n' query "req/s" "p50 ms" "p99 ms" errors rss
for extra in "" "&facets=rubric,date:month"; do
    for q in 'школа мэров' 'путин' 'курс рубля' 'москва' 'выборы президента' \
             'ростов-на-дону' 'чемпионат мира по футболу' 'цены на бензин'; do
        url="http://127.0.0.1:$PORT/api/search?q=$(enc "$q")$extra"
        # warm up, then measure; -l: the body's length varies ("ms")
        ab -l -k -n 200 -c "$C" "$url" >/dev/null 2>&1
        out=$(ab -l -k -n "$N" -c "$C" "$url" 2>&1)
        rps=$(echo "$out" | awk '/Requests per second/ {print $4}')
        p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
        p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
        err=$(echo "$out" | awk '/Failed requests/ {f = $3} /Non-2xx/ {n = $3} END {print f + n}')
        printf '%-28s %9s %8s %8s %7s %10s\n' "$q${extra:+ +facets}" "$rps" "$p50" "$p99" "$err" "$(rss)"
    done
done
echo "server rss at the end: $(rss); log lines: $(wc -l < "$LOG")"
