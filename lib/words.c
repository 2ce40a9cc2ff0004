/*
 * words.c - the surface-word lexicon's rule and codec (words.h): which
 * normal forms are kept, their values (a varint df), reads and counted
 * updates of single entries.  Walks of the table in key order go through
 * ni_cursor on NI_T_WORDS (typo.c); the counts are decided by flush.c.
 */
#include "words.h"
#include "analyzer.h"
#include "error.h"

int ni_words_decode(const char *s, size_t len, uint32_t *out, size_t max)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t n = 0;

    while (p < end) {
        size_t k = ni_utf8_len(p, (size_t)(end - p));
        if (k == 0 || n == max)
            return -1;
        out[n++] = ni_words_code_point(p, k);
        p += k;
    }
    return (int)n;
}

static int is_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0x24f && c != 0xf7) ||
           (c >= 0x400 && c <= 0x481) || (c >= 0x48a && c <= 0x52f);
}

int ni_words_accept(const char *norm, size_t len)
{
    uint32_t cp[NI_WORD_MAX_BYTES];
    int n, i;

    if (len == 0 || len > NI_WORD_MAX_BYTES)
        return 0;
    if ((n = ni_words_decode(norm, len, cp, NI_WORD_MAX_BYTES)) < 0)
        return 0;
    for (i = 0; i < n; i++)
        if (!is_letter(cp[i]))
            return 0;
    return 1;
}

int ni_words_value(const ni_val *v, uint32_t *df)
{
    const unsigned char *p = v->data, *end = p + v->len;
    uint64_t x;

    *df = 0;
    if (ni_varint_get(&p, end, &x) < 0 || p != end || x == 0 || x > UINT32_MAX)
        return NI_ECORRUPT;
    *df = (uint32_t)x;
    return 0;
}

static int damaged(const char *w, size_t len)
{
    return ni_error(NI_ECORRUPT, "words entry of '%.*s' is damaged", (int)len, w);
}

int ni_words_df(ni_txn *t, const char *w, size_t len, uint32_t *df)
{
    ni_val v;
    int rc;

    *df = 0;
    if (len == 0 || len > NI_WORD_MAX_BYTES)
        return NI_ENOTFOUND;
    if ((rc = ni_txn_get(t, NI_T_WORDS, w, len, &v)) < 0)
        return rc;
    return ni_words_value(&v, df) < 0 ? damaged(w, len) : 0;
}

int ni_words_change(ni_txn *t, ni_cursor *c, const char *w, size_t len, int64_t delta,
                    int past_end)
{
    unsigned char b[10];
    uint32_t df = 0;
    int64_t now;
    int rc = past_end ? NI_ENOTFOUND : ni_words_df(t, w, len, &df);

    if (rc < 0 && rc != NI_ENOTFOUND)
        return rc;
    now = (int64_t)df + delta;
    if (now < 0 || now > UINT32_MAX)
        return ni_error(NI_ECORRUPT, "words entry of '%.*s' counts %u documents, "
                        "cannot add %lld", (int)len, w, df, (long long)delta);
    if (now == 0)
        return rc == 0 ? ni_txn_del(t, NI_T_WORDS, w, len) : 0;
    if (!c)
        return ni_txn_put(t, NI_T_WORDS, w, len, b, ni_varint_put(b, (uint64_t)now));
    return ni_cursor_put(c, w, len, b, ni_varint_put(b, (uint64_t)now), past_end);
}
