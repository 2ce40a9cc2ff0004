#!/bin/sh
# sh_header.sh - the public header compiles alone as C99 (-pedantic) and as
# C++, only NI_API symbols are exported from the shared library, and the C
# example in README.md builds against the library and runs.
# Ends with "N passed, N failed".
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $1"; }

printf '#include "newsindex.h"\nint main(void) { return ni_version() == 0; }\n' > "$T/c99.c"
if cc -std=c99 -pedantic -Wall -Wextra -Werror -Iinclude -c "$T/c99.c" -o "$T/c99.o"; then ok; else bad "header as C99"; fi
printf '#include "newsindex.h"\nint main() { ni_doc d = NI_DOC_INIT; return d.id != 0; }\n' > "$T/cpp.cc"
if command -v c++ >/dev/null 2>&1; then
    if c++ -std=c++11 -pedantic -Wall -Werror -Iinclude -c "$T/cpp.cc" -o "$T/cpp.o"; then ok; else bad "header as C++"; fi
fi

# the plain build's libraries (the sanitizer build's need its runtime)
so=libnewsindex.so.0.2.0
if [ -f "$so" ]; then
    leaked=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDB]$/ {print $3}' | grep -v '^ni_' | grep -v '^_' )
    if [ -z "$leaked" ]; then ok; else bad "exported symbols outside ni_: $leaked"; fi
    soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
    if [ "$soname" = libnewsindex.so.1 ]; then ok; else bad "soname is '$soname'"; fi
fi

# the README's example, as written
awk '/^```c$/ {on = 1; next} /^```$/ {on = 0} on' README.md > "$T/example.c"
lib=libnewsindex.a
if cc -std=c11 -Wall -Werror -Iinclude "$T/example.c" "$lib" \
        $(pkg-config --libs icu-uc icu-i18n lmdb zlib libzstd libxxhash) -lstemmer -lpthread -lm \
        -o "$T/example" 2>"$T/err"; then
    if (cd "$T" && ./example) > "$T/out" 2>&1 && grep -q "1\. .*Школы мэров" "$T/out"; then
        ok
    else
        bad "README example output: $(cat "$T/out")"
    fi
else
    bad "README example does not build: $(head -5 "$T/err")"
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
