/* libFuzzer target: a snippet over random bytes.  The first byte picks the
 * query (its terms as a search keeps them) and the width; the rest is the
 * text.  The passage made from the pieces snipscan.c finds must be the one
 * the whole text's analysis gives (ni_snippet_make_exhaustive), byte for
 * byte, with the same highlighted ranges. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "analyzer.h"
#include "snippet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The terms of query as the snippet's term list: each word's term and, in
 * query mode, its name key (as tests/test_snippet.c set_query). */
static void query_terms(ni_analyzer *an, const char *query, ni_buf *terms)
{
    ni_token tok;
    terms->len = 0;
    ni_analyzer_set_query(an, 1);
    if (ni_analyzer_start(an, query, strlen(query), 0) < 0)
        return;
    while (ni_analyzer_next(an, &tok) == 0) {
        if (tok.flags & NI_TOKEN_PART)
            continue;
        ni_buf_putc(terms, (unsigned char)(tok.term_len >> 8));
        ni_buf_putc(terms, (unsigned char)tok.term_len);
        ni_buf_put(terms, tok.term, tok.term_len);
    }
    ni_analyzer_set_query(an, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const queries[] = {
        "школа", "Путин", "ростов-на-дону", "ёлка мэр", "10,5", "а", "school", "дон школа",
    };
    static const size_t widths[] = { 1, 30, 200, NI_SNIPPET_WHOLE };
    static ni_analyzer *an;
    static ni_buf terms, t1, r1, t2, r2;
    int rc1, rc2;

    if (size < 1 || (!an && ni_analyzer_new(&an) < 0))
        return 0;
    query_terms(an, queries[data[0] % 8], &terms);
    rc1 = ni_snippet_make(an, (const char *)data + 1, size - 1, &terms,
                          widths[data[0] / 8 % 4], &t1, &r1);
    rc2 = ni_snippet_make_exhaustive(an, (const char *)data + 1, size - 1, &terms,
                                     widths[data[0] / 8 % 4], &t2, &r2);
    assert(rc1 == rc2);
    assert(t1.len == t2.len && (!t1.len || memcmp(t1.data, t2.data, t1.len) == 0));
    assert(r1.len == r2.len && (!r1.len || memcmp(r1.data, r2.data, r1.len) == 0));
    return 0;
}
