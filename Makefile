# libnewsindex - see README.md.  Targets: all deps demo check bench fuzz
# install uninstall clean.  O=DIR puts objects (and, for any O but the
# default, every output) under DIR; SAN=1 builds with ASan+UBSan;
# WERROR=1 turns warnings into errors (make check sets it).

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
O       ?= build
CFLAGS  ?= -O2 -g
FUZZ_CC ?= clang
FUZZ_TIME ?= 60

VERSION := 0.2.0
SOMAJOR := 1

PKGS    := icu-uc icu-i18n lmdb zlib libzstd libxxhash
DEP_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
DEP_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread
# nsearch serve's HTTP server (tools/serve.c); the library does not use it.
# nsearch is not linked with it: tools/mhd.c loads it when serve starts
# (by the soname of the library built against), so other commands do not
# load GnuTLS with it.
HTTP_SONAME := $(shell objdump -p "$$(pkg-config --variable=libdir libmicrohttpd 2>/dev/null)/libmicrohttpd.so" 2>/dev/null | awk '$$1 == "SONAME" {print $$2}')

WARN := -std=c11 -Wall -Wextra -Wshadow -Wconversion -Wstrict-prototypes \
        -Wmissing-prototypes -Wwrite-strings
ifeq ($(WERROR),1)
WARN += -Werror
endif
SAN_FLAGS :=
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all
endif
ifeq ($(SAN),thread)
SAN_FLAGS := -fsanitize=thread -fno-omit-frame-pointer
endif
LDFLAGS += $(SAN_FLAGS)

ALL_CFLAGS := $(WARN) -D_GNU_SOURCE -Iinclude $(DEP_CFLAGS) $(CFLAGS) $(SAN_FLAGS)

ifeq ($(O),build)
OUT := .
else
OUT := $(O)
endif

LIB_SRC  := $(sort $(wildcard lib/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(O)/%.o)
TOOL_SRC := $(sort $(wildcard tools/*.c))
TOOL_OBJ := $(TOOL_SRC:%.c=$(O)/%.o)
TEST_SRC := $(sort $(wildcard tests/test_*.c))
TESTS    := $(TEST_SRC:tests/%.c=$(O)/tests/%)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS  := $(FUZZ_SRC:tests/fuzz/%.c=$(O)/fuzz/%)
# bench/fts5_snowball.c is an SQLite extension that bench/cli_compare.py builds
BENCH_SRC := $(filter-out bench/fts5_snowball.c,$(sort $(wildcard bench/*.c)))
BENCHES  := $(BENCH_SRC:bench/%.c=$(O)/bench/%)

LIBA     := $(OUT)/libnewsindex.a
SONAME   := libnewsindex.so.$(SOMAJOR)
LIBSO    := $(OUT)/libnewsindex.so.$(VERSION)
NSEARCH  := $(OUT)/tools/nsearch

.PHONY: all deps deps-check demo check test-run tsan-run fuzz fuzz-build bench newsindex.pc \
        install uninstall clean mutate

comma := ,

all: $(LIBA) $(LIBSO) $(NSEARCH) $(OUT)/newsindex-uninstalled.pc

$(O)/lib/%.o: lib/%.c lib/*.h include/newsindex.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -DNI_BUILDING -c $< -o $@

$(O)/tools/%.o: tools/%.c tools/*.h include/newsindex.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBSO): $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) -shared -Wl,-soname,$(SONAME) $(LDFLAGS) -o $@ $^ $(DEP_LIBS)
	ln -sf libnewsindex.so.$(VERSION) $(OUT)/$(SONAME)
	ln -sf $(SONAME) $(OUT)/libnewsindex.so

# nsearch is linked with its dependencies' static archives (ICU with its
# data, libstdc++, LMDB, zstd, Snowball, zlib; the C library stays shared,
# so serve's dlopen works, and so does libxxhash, whose Debian archive lacks
# the runtime dispatch to AVX2 that store.c's seals use): one query is a
# whole process for a script, and loading and relocating ICU's and
# libstdc++'s shared libraries was half its instructions and most of its
# page faults (bench/README.md "CLI start").  Not as a PIE either: the
# relocations of a position-independent ICU cost about 120 page faults a
# process, a query 1.24 times the time here; NSEARCH_PIE=1 keeps the
# address-space randomisation of the binary's own code (the shared
# libraries, libmicrohttpd's HTTP parsing among them, are randomised
# either way).  The binary is about 40 MB, mostly ICU's data, of which a
# query touches a few pages.  NSEARCH_LINK=shared links it as the tests
# are; so do sanitizer builds, and a machine without one of the archives
# (each found by $(CC) -print-file-name).
NSEARCH_LINK ?= static
NSEARCH_PIE  ?= 0
STATIC_DEPS  := icui18n icuuc icudata lmdb zstd stemmer z stdc++
STATIC_FOUND := $(if $(filter-out shared,$(NSEARCH_LINK)),$(if $(SAN_FLAGS),,$(patsubst lib%.a,%,$(notdir \
                  $(filter /%,$(shell for l in $(STATIC_DEPS); do $(CC) -print-file-name=lib$$l.a; done))))))
ifeq ($(STATIC_FOUND),$(STATIC_DEPS))
NSEARCH_LIBS := $(if $(filter 1,$(NSEARCH_PIE)),,-no-pie) -Wl,-Bstatic $(STATIC_DEPS:%=-l%) \
                -Wl,-Bdynamic -lxxhash -static-libgcc -lpthread -lm -ldl
else
NSEARCH_LIBS := $(DEP_LIBS) -lm
endif

$(NSEARCH): $(TOOL_OBJ) $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(LIBA) $(NSEARCH_LIBS)

$(O)/tools/mhd.o: ALL_CFLAGS += $(if $(HTTP_SONAME),-DNI_MHD_SONAME='"$(HTTP_SONAME)"')

# The search page's files are assembled into this object (.incbin).
$(O)/tools/serve_page.o $(O)/fobj/tools/serve_page.o: $(addprefix tools/page/,index.html app.js app.css favicon.svg)

# A unit test may use any tools/ object except the one holding main().
TOOL_LIB := $(O)/tools/libtools.a
$(TOOL_LIB): $(filter-out $(O)/tools/nsearch.o,$(TOOL_OBJ))
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

$(O)/tests/%: tests/%.c tests/test.h tests/tmpdir.h tests/lmdbcmp.h $(LIBA) $(TOOL_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Ilib -Itools -o $@ $< $(TOOL_LIB) $(LIBA) $(DEP_LIBS) -lm

# The power-loss shim (tests/powercut.c) that test_powercut preloads into
# the writers it runs: a shared object, not instrumented by SAN.
$(O)/tests/powercut.so: tests/powercut.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -D_GNU_SOURCE $(CFLAGS) -fPIC -shared -o $@ $< -ldl
$(O)/tests/test_powercut: $(O)/tests/powercut.so

$(O)/bench/%: bench/%.c $(LIBA) $(TOOL_LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Ilib -Itools -o $@ $< $(TOOL_LIB) $(LIBA) $(DEP_LIBS) -lm

# Fuzz targets: clang's libFuzzer with ASan+UBSan over lib/ and tools/
# (compiled once into an archive, linked into each target).
FUZZ_FLAGS := -g -O1 -fsanitize=address,undefined -Iinclude -Ilib -Itools \
              -D_GNU_SOURCE $(DEP_CFLAGS)
FUZZ_OBJ := $(patsubst %.c,$(O)/fobj/%.o,$(LIB_SRC) $(filter-out tools/nsearch.c,$(TOOL_SRC)))
$(O)/fobj/%.o: %.c lib/*.h tools/*.h include/newsindex.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(O)/fuzz/libfuzz.a: $(FUZZ_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^
$(O)/fuzz/%: tests/fuzz/%.c $(O)/fuzz/libfuzz.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(O)/fuzz/libfuzz.a $(DEP_LIBS) -lm

fuzz-build: $(FUZZERS)

# make fuzz FUZZ_TIME=seconds: each target for that long, from its seeds.
fuzz: deps
	$(MAKE) O=build-fuzz fuzz-build
	@for f in $(FUZZ_SRC:tests/fuzz/%.c=%); do \
	  mkdir -p build-fuzz/corpus/$$f; \
	  echo "== $$f ($(FUZZ_TIME) s)"; \
	  build-fuzz/fuzz/$$f -max_total_time=$(FUZZ_TIME) -max_len=65536 \
	    build-fuzz/corpus/$$f tests/fuzz/seeds/$$f || exit 1; \
	done

bench: all $(BENCHES)
	@test -n "$(CORPUS)" || { echo "usage: make bench CORPUS=path/to/corpus.jsonl.gz" >&2; exit 2; }
	bench/run.sh $(O) "$(CORPUS)"

deps:
	@tools/deps.sh build

deps-check:
	@tools/deps.sh check

demo: deps
	$(MAKE) all
	rm -rf $(O)/demo.idx
	$(NSEARCH) index $(O)/demo.idx corpus
	$(NSEARCH) query $(O)/demo.idx 'школа мэров' -n 5

test-run: all $(TESTS) $(TOOL_LIB)
	@tests/run.sh $(O) $(NSEARCH)

# The tests that start threads (background indexing, readers in threads),
# under ThreadSanitizer (SAN=thread).
TSAN_TESTS := $(O)/tests/test_threads $(O)/tests/test_shared $(O)/tests/test_engine $(O)/tests/test_copy \
              $(O)/tests/test_facets \
              $(O)/tests/test_translit
tsan-run: $(TSAN_TESTS)
	@TESTS="$(TSAN_TESTS)" tests/run.sh $(O) -

# Everything, then everything again under ASan+UBSan, the threaded tests
# under TSan, then the fuzz targets briefly over their seeds.  Ends with one
# "N passed, N failed, N skipped" line (skipped: test programs that cannot run
# here, tests/run.sh).
check: deps-check
	@rm -f build/.results build-asan/.results build-tsan/.results build-fuzz/.results
	@$(MAKE) --no-print-directory WERROR=1 test-run
	@$(MAKE) --no-print-directory WERROR=1 O=build-asan SAN=1 CFLAGS="-O1 -g" test-run
	@$(MAKE) --no-print-directory WERROR=1 O=build-tsan SAN=thread CFLAGS="-O1 -g" tsan-run
	@$(MAKE) --no-print-directory O=build-fuzz fuzz-build
	@tests/run-fuzz.sh build-fuzz
	@cat build/.results build-asan/.results build-tsan/.results build-fuzz/.results | \
	  awk '{p += $$1; f += $$3; s += $$5} END {printf "%d passed, %d failed, %d skipped\n", p, f, s; exit f != 0}'

# Mutation testing (not part of check: about N minutes): each mutant of
# tests/mutants.txt in a scratch copy (build-mutate/src), the suite run until
# a test fails.  MUTATE_ONLY=ERE picks mutants; see tests/mutate.sh.
mutate: deps-check
	@tests/mutate.sh tests/mutants.txt

# pkg-config files.  Libs.private, for `pkg-config --static`: the
# dependencies' static libraries in link order, then the C++ runtime that
# ICU needs (after ICU: a static link resolves left to right).  Installed
# to a prefix the dynamic linker does not search (not /usr, not
# /usr/local), Libs carries an rpath to it.  The uninstalled one
# (PKG_CONFIG_PATH=/path/to/checkout) points into this tree, for building
# against the library without installing it.
PC_PRIVATE := $(shell pkg-config --static --libs $(PKGS) 2>/dev/null) -lstemmer -lstdc++ -lpthread -lm
PC_RPATH   := $(if $(filter /usr /usr/local,$(PREFIX)),,-Wl,-rpath,$${libdir})
define pc_file
printf 'prefix=%s\nlibdir=%s\nincludedir=%s\n\nName: newsindex\nDescription: Full-text search for Russian news\nVersion: %s\nLibs: -L$${libdir} %s-lnewsindex\nLibs.private: %s\nCflags: -I$${includedir} %s\n' \
  '$(1)' '$(2)' '$(3)' '$(VERSION)' '$(4)' '$(strip $(PC_PRIVATE))' '$(strip $(DEP_CFLAGS))'
endef

newsindex.pc: Makefile
	$(call pc_file,$(PREFIX),$${prefix}/lib,$${prefix}/include,$(PC_RPATH) ) > $@

$(OUT)/newsindex-uninstalled.pc: Makefile
	@$(call pc_file,$(CURDIR),$(abspath $(OUT)),$${prefix}/include,-Wl$(comma)-rpath$(comma)$${libdir} ) > $@

install: all newsindex.pc
	install -d $(DESTDIR)$(PREFIX)/include $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 include/newsindex.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBSO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libnewsindex.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libnewsindex.so
	install -m 644 newsindex.pc $(DESTDIR)$(PREFIX)/lib/pkgconfig/
	install -m 755 $(NSEARCH) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 man/nsearch.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/libnewsindex.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	install -m 644 completions/nsearch $(DESTDIR)$(PREFIX)/share/bash-completion/completions/
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ] && [ -n "$(filter /usr /usr/local,$(PREFIX))" ]; \
	  then ldconfig; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/include/newsindex.h \
	  $(DESTDIR)$(PREFIX)/lib/libnewsindex.a $(DESTDIR)$(PREFIX)/lib/libnewsindex.so* \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/newsindex.pc $(DESTDIR)$(PREFIX)/bin/nsearch \
	  $(DESTDIR)$(PREFIX)/share/man/man1/nsearch.1 $(DESTDIR)$(PREFIX)/share/man/man3/libnewsindex.3 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/nsearch

clean:
	rm -rf build build-asan build-tsan build-fuzz build-mutate libnewsindex.a libnewsindex.so* \
	  tools/nsearch newsindex.pc newsindex-uninstalled.pc
