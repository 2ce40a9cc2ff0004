/* libFuzzer target: query rescue over random bytes.  The layout switch of
 * any bytes is valid UTF-8 no longer than four times the input, or
 * nothing; a search of any bytes, with rescue and without, returns hits or
 * NI_ESYNTAX; its rewrites are consistent: a query searched rewritten has
 * a rewrite that is not only suggested, and every rewrite's strings are
 * valid UTF-8.  A small index is built once, in a temporary directory. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kblayout.h"
#include "newsindex.h"

static ni_index *idx;
static char dir[] = "/tmp/ni-fuzz-rescue-XXXXXX";

static void add(const char *id, const char *rubric, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    d.rubric = rubric;
    d.rubric_len = strlen(rubric);
    d.text = text;
    d.text_len = strlen(text);
    if (ni_index_add(idx, &d) < 0)
        abort();
}

static void cleanup(void)
{
    char cmd[64];
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0)
        return;
}

static void setup(void)
{
    if (idx)
        return;
    if (!mkdtemp(dir) || ni_index_open(&idx, dir, NULL) < 0)
        abort();
    add("a", "Общество", "Москва готовится к зиме. Жесткий диск и было.");
    add("b", "Спорт", "Hello world: python, telegram, here we are.");
    add("c", "Спорт", "Мы держим руку на пульсе; дом стоит.");
    if (ni_index_commit(idx) < 0)
        abort();
    atexit(cleanup);
}

static int valid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3
                   : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        size_t k;
        if (!len || i + len > n)
            return 0;
        for (k = 1; k < len; k++)
            if (((unsigned char)s[i + k] & 0xc0) != 0x80)
                return 0;
        i += len;
    }
    return 1;
}

static void search(const char *q, size_t n, unsigned flags)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    size_t i, len, searched = 0;
    int rc;

    o.flags = flags;
    rc = ni_search(&h, idx, q, n, &o);
    assert(rc == 0 || rc == NI_ESYNTAX);
    if (rc < 0)
        return;
    while ((rc = ni_hits_next(h, &hit)) == 0)
        ;
    assert(rc == NI_DONE);
    for (i = 0; i < ni_hits_rewrites(h); i++) {
        ni_rewrite w;
        assert(ni_hits_rewrite(h, i, &w) == 0);
        assert(valid_utf8(w.to, w.to_len));
        searched += !w.suggested;
    }
    assert(ni_hits_rewrite(h, i, &(ni_rewrite){ 0 }) == NI_EINVAL);
    assert((ni_hits_searched(h, &len) != NULL) == (searched > 0));
    if (flags & NI_SEARCH_EXACT)
        assert(ni_hits_rewrites(h) == 0);
    assert(ni_hits_why_none(h) == NULL || ni_hits_total(h) + ni_hits_partial_total(h) == 0);
    ni_hits_free(h);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    int to;

    setup();
    for (to = NI_KB_TO_CYRILLIC; to <= NI_KB_TO_LATIN; to++) {
        ni_buf b = NI_BUF_INIT;
        int rc = ni_kb_switch(s, size, to, &b);
        assert(rc == 0 || rc == 1);
        assert(rc == 1 ? b.len > 0 && b.len <= 4 * size && valid_utf8((char *)b.data, b.len)
                       : b.len == 0);
        ni_buf_free(&b);
    }
    if (size > 4096)
        return 0;
    search(s, size, 0);
    search(s, size, NI_SEARCH_EXACT);
    return 0;
}
