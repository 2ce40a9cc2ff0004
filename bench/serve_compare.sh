#!/bin/sh
# serve_compare.sh NSEARCH_A NSEARCH_B IDX [REQUESTS] [CLIENTS] - two builds
# of nsearch serve under the same load, measured close together: both
# servers run on IDX (ports PORT and PORT + 1), and for each query of
# serve.sh, REQUESTS (default 20000) GET /api/search?q=QUERY from CLIENTS
# (default 50) keep-alive clients (ab) go to A, then B, then A and B again;
# prints requests per second of each turn, the ratio B / A of the sums,
# and the errors (failed and non-2xx) of all turns.  Only one server is
# loaded at a time; on a shared machine, read the ratios.
A=${1:?usage: serve_compare.sh NSEARCH_A NSEARCH_B IDX [REQUESTS] [CLIENTS]}
B=${2:?usage: serve_compare.sh NSEARCH_A NSEARCH_B IDX [REQUESTS] [CLIENTS]}
IDX=${3:?usage: serve_compare.sh NSEARCH_A NSEARCH_B IDX [REQUESTS] [CLIENTS]}
N=${4:-20000}
C=${5:-50}
PORT=${PORT:-8288}
command -v ab >/dev/null || { echo "serve_compare.sh: needs ab (apt-get install apache2-utils)" >&2; exit 2; }
"$A" serve "$IDX" --port "$PORT" 2>/dev/null &
PA=$!
"$B" serve "$IDX" --port $((PORT + 1)) 2>/dev/null &
PB=$!
trap 'kill $PA $PB 2>/dev/null' EXIT
sleep 1
enc() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }
# run PORT URLPATH: "req/s errors"
run() {
    out=$(ab -l -k -n "$N" -c "$C" "http://127.0.0.1:$1$2" 2>&1)
    echo "$out" | awk '/Requests per second/ {r = $4} /Failed requests/ {f = $3}
                       /Non-2xx/ {n = $3} END {print r, f + n}'
}
printf '%-28s %8s %8s %8s %8s %6s %6s\n' query "A req/s" "B req/s" "A req/s" "B req/s" "B/A" errors
for q in 'школа мэров' 'путин' 'курс рубля' 'москва' 'выборы президента' \
         'ростов-на-дону' 'чемпионат мира по футболу' 'цены на бензин'; do
    path="/api/search?q=$(enc "$q")"
    ab -l -k -n 200 -c "$C" "http://127.0.0.1:$PORT$path" >/dev/null 2>&1
    ab -l -k -n 200 -c "$C" "http://127.0.0.1:$((PORT + 1))$path" >/dev/null 2>&1
    set -- $(run "$PORT" "$path") $(run $((PORT + 1)) "$path") \
           $(run "$PORT" "$path") $(run $((PORT + 1)) "$path")
    printf '%-28s %8s %8s %8s %8s %6.2f %6d\n' "$q" "$1" "$3" "$5" "$7" \
        "$(echo "($3 + $7) / ($1 + $5)" | bc -l)" $(($2 + $4 + $6 + $8))
done
