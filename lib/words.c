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

/*
 * Bytes, not code points, since it runs on every token indexed: a letter
 * is a..z or a two-byte sequence (lead 0xc2..0xdf) of one of the ranges
 * of words.h: U+00DF..U+00FF but U+00F7 (c3 9f..c3 bf but c3 b7),
 * U+0100..U+024F (c4..c8, c9 80..c9 8f), U+0400..U+0481 and
 * U+048A..U+052F (d0, d1, d2 80..d2 81, d2 8a..d2 bf, d3, d4 80..d4 af).
 */
int ni_words_accept(const char *norm, size_t len)
{
    const unsigned char *p = (const unsigned char *)norm, *end = p + len;

    if (len == 0 || len > NI_WORD_MAX_BYTES)
        return 0;
    while (p < end) {
        unsigned a = *p++, b;
        if (a >= 'a' && a <= 'z')
            continue;
        if (p == end || (*p & 0xc0) != 0x80)
            return 0;
        b = *p++;
        switch (a) {
        case 0xc3: if (b < 0x9f || b == 0xb7) return 0; break;
        case 0xc4: case 0xc5: case 0xc6: case 0xc7: case 0xc8: case 0xd0: case 0xd1: case 0xd3:
            break;
        case 0xc9: if (b > 0x8f) return 0; break;
        case 0xd2: if (b >= 0x82 && b <= 0x89) return 0; break;
        case 0xd4: if (b > 0xaf) return 0; break;
        default: return 0;
        }
    }
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

/* The entry of w[0..len) in the translit table, made (add 1) or removed:
 * its key, 0x00, the word.  Nothing for a word without a key (Latin). */
static int key_entry(ni_txn *t, ni_translit *tr, const char *w, size_t len, int add)
{
    ni_buf k = NI_BUF_INIT;
    int rc = ni_translit_key_cyr(tr, w, len, &k);
    if (rc > 0 && (rc = ni_buf_putc(&k, 0)) == 0 && (rc = ni_buf_put(&k, w, len)) == 0)
        rc = add ? ni_txn_put(t, NI_T_TRANSLIT, k.data, k.len, "", 0)
                 : ni_txn_del(t, NI_T_TRANSLIT, k.data, k.len);
    ni_buf_free(&k);
    return rc == NI_EINVAL ? 0 : rc < 0 ? rc : 0;
}

int ni_words_change(ni_txn *t, ni_cursor *c, ni_translit *tr, const char *w, size_t len,
                    int64_t delta, int past_end)
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
    if (now == 0) {
        if (rc != 0)
            return 0;
        if ((rc = ni_txn_del(t, NI_T_WORDS, w, len)) < 0)
            return rc;
        return key_entry(t, tr, w, len, 0);
    }
    if (rc == NI_ENOTFOUND && (rc = key_entry(t, tr, w, len, 1)) < 0)
        return rc;
    if (!c)
        return ni_txn_put(t, NI_T_WORDS, w, len, b, ni_varint_put(b, (uint64_t)now));
    return ni_cursor_put(c, w, len, b, ni_varint_put(b, (uint64_t)now), past_end);
}

/* The words under the keys starting with key[0..klen) (a key and its
 * 0x00 for one key exactly) and at most more bytes longer. */
static int by_key(ni_txn *t, const char *key, size_t klen, size_t more, ni_words_fn fn,
                  void *arg)
{
    size_t from = klen && key[klen - 1] == 0 ? klen - 1 : klen;
    ni_cursor *cur = NULL;
    ni_val k;
    int rc;

    if ((rc = ni_cursor_open(&cur, t, NI_T_TRANSLIT)) < 0)
        return rc;
    for (rc = ni_cursor_seek(cur, key, klen); rc == 0; rc = ni_cursor_next(cur)) {
        const char *z;
        size_t at;
        uint32_t df;
        if ((rc = ni_cursor_get(cur, &k, NULL)) < 0)
            break;
        if (k.len <= klen || memcmp(k.data, key, klen) != 0)
            break;
        if (!(z = memchr(k.data + from, 0, k.len - from)) ||
            (at = (size_t)(z - (const char *)k.data)) - from > more)
            continue;
        rc = ni_words_df(t, z + 1, k.len - at - 1, &df);
        if (rc == NI_ENOTFOUND)
            rc = ni_error(NI_ECORRUPT, "translit entry of a word the words table has not");
        if (rc < 0 || (rc = fn(arg, z + 1, k.len - at - 1, df)))
            break;
    }
    ni_cursor_close(cur);
    return rc == NI_DONE ? 0 : rc;
}

int ni_words_by_key(ni_txn *t, const char *key, size_t klen, ni_words_fn fn, void *arg)
{
    ni_buf seek = NI_BUF_INIT;
    int rc = ni_buf_put(&seek, key, klen);
    if (rc == 0 && (rc = ni_buf_putc(&seek, 0)) == 0)
        rc = by_key(t, (const char *)seek.data, seek.len, 0, fn, arg);
    ni_buf_free(&seek);
    return rc;
}

int ni_words_by_key_prefix(ni_txn *t, const char *prefix, size_t plen, size_t more,
                           ni_words_fn fn, void *arg)
{
    return by_key(t, prefix, plen, more, fn, arg);
}
