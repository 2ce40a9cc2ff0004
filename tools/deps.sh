#!/bin/sh
# deps.sh build|check - installs the Debian packages the build (and, for
# check, the fuzz targets and the browser test) need when they are missing: with apt-get when run
# as root, otherwise prints the exact command and exits 1.
mode=${1:-build}
pkgs="gcc make pkg-config libicu-dev libstemmer-dev liblmdb-dev zlib1g-dev libzstd-dev libxxhash-dev libmicrohttpd-dev"
[ "$mode" = check ] && pkgs="$pkgs clang libclang-rt-dev chromium python3"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system; make sure these (or their equivalents) are installed: $pkgs" >&2
    exit 0
fi
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing packages:$missing" >&2
    echo "deps: run: sudo apt-get install -y$missing" >&2
    exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y $missing >/dev/null ||
    { apt-get update >/dev/null && apt-get install -y $missing >/dev/null; } ||
    { echo "deps: apt-get install$missing failed" >&2; exit 1; }
