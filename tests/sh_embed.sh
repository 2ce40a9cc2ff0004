#!/bin/sh
# sh_embed.sh - a program embedding the library builds the ways the README
# says: against this tree through newsindex-uninstalled.pc (no install, runs
# without LD_LIBRARY_PATH), fully static through `pkg-config --static`
# (ICU's C++ runtime included), and against `make install PREFIX=DIR` to a
# prefix the dynamic linker does not search (the .pc carries an rpath), with
# the installed nsearch working too.  The README's C example is the program.
# Uses the plain build's files (make builds them first).
# Ends with "N passed, N failed".
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }
unset LD_LIBRARY_PATH

awk '/^```c$/ {on = 1; next} /^```$/ {on = 0} on' README.md > "$T/example.c"
runs() {    # runs BINARY: the example finds the sample article
    (cd "$T" && rm -rf example.idx && "$1") > "$T/out" 2>&1 && grep -q "1\. .*Школы мэров" "$T/out"
}

if [ ! -f newsindex-uninstalled.pc ] || [ ! -f libnewsindex.a ]; then
    bad "no plain build here (newsindex-uninstalled.pc, libnewsindex.a)"
    echo "$passed passed, $failed failed"
    exit 1
fi

# 1. from the build tree
if PKG_CONFIG_PATH=$PWD cc "$T/example.c" $(PKG_CONFIG_PATH=$PWD pkg-config --cflags --libs newsindex) \
        -o "$T/uninstalled" 2>"$T/err" && runs "$T/uninstalled"; then
    ok
else
    bad "uninstalled .pc: $(head -3 "$T/err") $(head -3 "$T/out" 2>/dev/null)"
fi
if ldd "$T/uninstalled" 2>/dev/null | grep -q "$PWD/libnewsindex.so"; then ok; else
    bad "the uninstalled build does not load this tree's shared library"; fi

# 2. static
if cc -static "$T/example.c" $(PKG_CONFIG_PATH=$PWD pkg-config --cflags --static --libs newsindex) \
        -o "$T/static" 2>"$T/err" && runs "$T/static"; then
    ok
else
    bad "pkg-config --static: $(grep -v -e dlopen -e getpw "$T/err" | head -3)"
fi
if ! ldd "$T/static" >/dev/null 2>&1; then ok; else bad "the static build is dynamic"; fi

# 3. installed to a private prefix
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u O -u SAN make -s O=build install PREFIX="$T/pfx" >"$T/err" 2>&1 &&
   cc "$T/example.c" $(PKG_CONFIG_PATH="$T/pfx/lib/pkgconfig" pkg-config --cflags --libs newsindex) \
        -o "$T/installed" 2>>"$T/err" && runs "$T/installed" &&
   ldd "$T/installed" | grep -q "$T/pfx/lib/libnewsindex.so"; then
    ok
else
    bad "make install PREFIX: $(tail -3 "$T/err") $(head -3 "$T/out" 2>/dev/null)"
fi
if "$T/pfx/bin/nsearch" --version | grep -q '^nsearch '; then ok; else bad "installed nsearch"; fi
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u O -u SAN make -s O=build uninstall PREFIX="$T/pfx" >/dev/null 2>&1
if [ -z "$(find "$T/pfx" -type f)" ]; then ok; else bad "uninstall left $(find "$T/pfx" -type f)"; fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
