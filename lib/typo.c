/*
 * typo.c - typo candidates from the surface-word lexicon (typo.h).  Does
 * not decide whether a word needs them, nor weigh them into a query: that
 * is the query rescue's.
 *
 * The words table is sorted by bytes, and UTF-8 in byte order is
 * code-point order, so walking it from the query word's first letter
 * visits a trie of code points depth first.  Each key is decoded once; the
 * rows of the distance table (row d: the key's first d code points against
 * every prefix of the query word) that belong to the prefix it shares with
 * the key before are kept, and one row is computed per further code point.
 * When a row's minimum exceeds the distance allowed, no key with that
 * prefix can come within it (the minimum of the rows never decreases, also
 * with transpositions: one reaching row d + 1 from row d - 1 costs at
 * least one more than a cell of row d).  The walk then seeks to the next
 * prefix that can: the same shorter prefix with the next letter that
 * keeps the row within the distance.  Once the edits are spent, only the
 * query word's own letters do, so the seek jumps over all the others;
 * with an edit left, any letter may, and the seek goes just past the
 * prefix (its bytes and 0xff, a byte no UTF-8 key has).  When no letter
 * after it is left, past the shorter prefix.  So the walk reads about one
 * key per prefix within the distance, never the table whole.
 */
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "mem.h"
#include "typo.h"
#include "words.h"

#define MAX_KEY NI_WORD_MAX_BYTES       /* code points of a key, at most */
#define MAX_QUERY (NI_WORD_MAX_BYTES + 2)  /* longer words have no word near */

typedef struct walk {
    uint32_t q[MAX_QUERY];              /* the query word */
    size_t n;
    unsigned maxd;
    uint32_t k[MAX_KEY];                /* the key whose rows are kept */
    size_t kb[MAX_KEY + 1];             /* byte offset of its code point i */
    size_t valid;                       /* rows 0..valid are k[0..valid)'s */
    unsigned char seek[MAX_KEY * 4 + 4];
    unsigned char prev[MAX_KEY * 4];    /* the bytes of the key of k */
    uint8_t row[MAX_KEY + 1][MAX_QUERY + 1];
} walk;

unsigned ni_typo_max_distance(size_t n)
{
    return n >= 9 ? 2 : n >= 5 ? 1 : 0;
}

/*
 * Computes row d (1..) from the rows before and k[d - 1]; returns its
 * minimum.  Only the band of cells j within maxd of d can be maxd or less:
 * those are computed, the cells just outside it (which the next rows read)
 * hold maxd + 1, and what lies further out is never read.  Every value
 * above maxd is kept as maxd + 1, which decides the same.
 */
static unsigned fill_row(walk *w, size_t d)
{
    const uint8_t *p = w->row[d - 1], *pp = d >= 2 ? w->row[d - 2] : NULL;
    uint8_t *r = w->row[d];
    uint32_t c = w->k[d - 1], before = d >= 2 ? w->k[d - 2] : 0;
    unsigned cap = w->maxd + 1, m;
    size_t j, lo = d > w->maxd ? d - w->maxd : 1, hi = d + w->maxd < w->n ? d + w->maxd : w->n;

    r[0] = (uint8_t)(d < cap ? d : cap);
    r[lo - 1] = lo > 1 ? (uint8_t)cap : r[0];
    if (hi < w->n)
        r[hi + 1] = (uint8_t)cap;
    m = r[0];
    for (j = lo; j <= hi; j++) {
        unsigned v = p[j - 1] + (c != w->q[j - 1] ? 1u : 0u);
        if (p[j] + 1u < v)
            v = p[j] + 1u;
        if (r[j - 1] + 1u < v)
            v = r[j - 1] + 1u;
        if (pp && j >= 2 && c == w->q[j - 2] && before == w->q[j - 1] && pp[j - 2] + 1u < v)
            v = pp[j - 2] + 1u;
        if (v > cap)
            v = cap;
        r[j] = (uint8_t)v;
        if (v < m)
            m = v;
    }
    return m;
}

/* The distance of the key of n code points whose rows are filled, or
 * maxd + 1 when it is more than maxd. */
static unsigned final_distance(const walk *w, size_t n)
{
    size_t gap = n > w->n ? n - w->n : w->n - n;
    return gap > w->maxd ? w->maxd + 1 : w->row[n][w->n];
}

#define NO_LETTER UINT32_MAX            /* equal to no letter of the query */

/* The smallest letter after c (NO_LETTER for none) that, at depth d after
 * the prefix w->k[0..d - 1), keeps the row within the distance; rows
 * 0..d - 1 must be those of the prefix.  Leaves row d and w->k[d - 1]
 * changed. */
static uint32_t next_letter(walk *w, size_t d, uint32_t c)
{
    uint32_t cand[2 * MAX_QUERY], best = NO_LETTER;
    size_t i, n = 0, lo = d > w->maxd + 2 ? d - w->maxd - 2 : 0, hi = d + w->maxd;

    w->k[d - 1] = NO_LETTER;
    if (fill_row(w, d) <= w->maxd)      /* any letter will do */
        return c + 1;
    /* else only a letter of the query in the band (or one before it, for a
     * transposition) can: the smallest above c that does */
    for (i = lo; i < hi && i < w->n; i++) {
        size_t at = n++;
        if (w->q[i] <= c)
            n--;
        else {                          /* a few: sorted as they come */
            for (; at > 0 && cand[at - 1] > w->q[i]; at--)
                cand[at] = cand[at - 1];
            cand[at] = w->q[i];
        }
    }
    for (i = 0; i < n; i++) {
        if (i > 0 && cand[i] == cand[i - 1])
            continue;
        w->k[d - 1] = cand[i];
        if (fill_row(w, d) <= w->maxd) {
            best = cand[i];
            break;
        }
    }
    return best;
}

static size_t put_utf8(unsigned char *p, uint32_t c)
{
    if (c < 0x80) {
        p[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        p[0] = (unsigned char)(0xc0 | c >> 6);
        p[1] = (unsigned char)(0x80 | (c & 0x3f));
        return 2;
    }
    if (c < 0x10000) {
        p[0] = (unsigned char)(0xe0 | c >> 12);
        p[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
        p[2] = (unsigned char)(0x80 | (c & 0x3f));
        return 3;
    }
    p[0] = (unsigned char)(0xf0 | c >> 18);
    p[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3f));
    p[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
    p[3] = (unsigned char)(0x80 | (c & 0x3f));
    return 4;
}

/* Where the walk goes on when no key starting with key[0..d) (in code
 * points; d >= 2, key's bytes k) comes within the distance: the key to
 * seek, in w->seek, and its length. */
static size_t skip_to(walk *w, const unsigned char *k, size_t d)
{
    uint32_t c = next_letter(w, d, w->k[d - 1]);
    size_t n = w->kb[d - 1];

    w->valid = d - 1;
    memcpy(w->seek, k, n);
    if (c == NO_LETTER || c > 0x10ffff) {
        w->seek[n] = 0xff;                      /* past the shorter prefix */
        return n + 1;
    }
    if (c >= 0xd800 && c < 0xe000)
        c = 0xe000;                             /* no surrogates in UTF-8 */
    return n + put_utf8(w->seek + n, c);
}

/* Decodes key k (klen bytes) into w->k and w->kb; *shared: the number of
 * code points it shares with the key before, within the rows kept.  The
 * bytes of those are the same, so they are not decoded again. */
static int take_key(walk *w, const unsigned char *k, size_t klen, size_t *kn, size_t *shared)
{
    size_t n = 0, off = 0;

    if (klen > sizeof w->prev)
        return ni_error(NI_ECORRUPT, "words table has a key of %zu bytes", klen);
    /* the kept code points whose bytes are the same */
    while (n < w->valid && w->kb[n + 1] <= klen &&
           memcmp(k + w->kb[n], w->prev + w->kb[n], w->kb[n + 1] - w->kb[n]) == 0)
        n++;
    *shared = n;
    off = w->kb[n];
    while (off < klen) {
        size_t len = ni_utf8_len(k + off, klen - off);
        if (len == 0 || n == MAX_KEY)
            return ni_error(NI_ECORRUPT, "words table has a key that is not a word");
        w->k[n] = ni_words_code_point(k + off, len);
        w->kb[n++] = off;
        off += len;
    }
    w->kb[n] = off;
    *kn = n;
    memcpy(w->prev, k, klen);
    return 0;
}

/* Keeps key k (klen bytes) at distance dist with the value v. */
static int keep(ni_typo_set *out, const ni_val *k, unsigned dist, const ni_val *v)
{
    ni_typo *c;
    int rc;

    if ((rc = NI_GROW(out->cand, out->cap, out->n + 1)) < 0)
        return rc;
    c = &out->cand[out->n];
    c->off = out->bytes.len;
    c->len = k->len;
    c->dist = dist;
    if (ni_words_value(v, &c->df) < 0)
        return ni_error(NI_ECORRUPT, "words entry of '%.*s' is damaged", (int)k->len, k->data);
    if ((rc = ni_buf_put(&out->bytes, k->data, k->len)) < 0)
        return rc;
    out->n++;
    return 0;
}

/* Walks the keys that start with the first len0 bytes of word (its first
 * letter), keeping those within w->maxd. */
static int walk_keys(ni_typo_set *out, walk *w, ni_cursor *c, const char *word, size_t len0)
{
    ni_val k, v;
    int rc;

    out->seeks++;
    for (rc = ni_cursor_seek(c, word, len0); rc == 0;) {
        size_t kn = 0, d, shared = 0;
        unsigned dist;
        if ((rc = ni_cursor_get(c, &k, &v)) < 0)
            return rc;
        out->visited++;
        if (k.len < len0 || memcmp(k.data, word, len0) != 0)
            return 0;
        if ((rc = take_key(w, k.data, k.len, &kn, &shared)) < 0)
            return rc;
        for (d = shared + 1; d <= kn; d++)
            if (fill_row(w, d) > w->maxd)
                break;
        if (d <= kn) {
            /* nothing that starts with k[0..d) comes near */
            size_t n = skip_to(w, k.data, d);
            out->seeks++;
            rc = ni_cursor_seek(c, w->seek, n);
            continue;
        }
        w->valid = kn;
        if ((dist = final_distance(w, kn)) <= w->maxd && dist > 0 &&
            (rc = keep(out, &k, dist, &v)) < 0)
            return rc;
        rc = ni_cursor_next(c);
    }
    return rc == NI_DONE ? 0 : rc;
}

static int by_rank(const void *a, const void *b)
{
    const ni_typo *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    if (x->df != y->df)
        return x->df > y->df ? -1 : 1;
    return x->off < y->off ? -1 : x->off > y->off;
}

/* Sorts the candidates found (by_rank), keeps the best max, points their
 * words into the set's bytes; returns their number. */
static int rank_and_keep(ni_typo_set *out, size_t max)
{
    size_t i;
    if (out->n > 1)
        qsort(out->cand, out->n, sizeof *out->cand, by_rank);
    if (out->n > max)
        out->n = max;
    for (i = 0; i < out->n; i++)
        out->cand[i].word = (const char *)out->bytes.data + out->cand[i].off;
    return (int)out->n;
}

/* The candidates of word within each distance from 1 to its most, or,
 * when nearest, within the first of them that has any. */
static int find(ni_typo_set *out, ni_txn *t, const char *word, size_t len, size_t max,
                int nearest)
{
    ni_cursor *c = NULL;
    walk *w = NULL;
    size_t i, len0;
    unsigned most, d;
    int n, rc = 0;

    out->n = 0;
    out->bytes.len = 0;
    out->seeks = out->visited = 0;
    if (!len || (len0 = ni_utf8_len((const unsigned char *)word, len)) == 0)
        return 0;
    if (!(w = ni_mem_alloc(sizeof *w)))
        return ni_error(NI_ENOMEM, "out of memory");
    n = ni_words_decode(word, len, w->q, MAX_QUERY);
    if (n < 0 || (most = ni_typo_max_distance((size_t)n)) == 0)
        goto cleanup;
    w->n = (size_t)n;
    if ((rc = ni_cursor_open(&c, t, NI_T_WORDS)) < 0)
        goto cleanup;
    /* one walk within the most, or one per distance until one finds any:
     * a walk within 1 reads a small share of what one within 2 does */
    for (d = nearest ? 1 : most; d <= most && out->n == 0; d++) {
        w->maxd = d;
        w->valid = 0;
        w->kb[0] = 0;
        for (i = 0; i <= w->n; i++)
            w->row[0][i] = (uint8_t)(i <= w->maxd ? i : w->maxd + 1);
        if ((rc = walk_keys(out, w, c, word, len0)) < 0)
            goto cleanup;
    }
    rc = rank_and_keep(out, max);
cleanup:
    if (rc < 0)
        out->n = 0;
    ni_cursor_close(c);
    ni_mem_free(w);
    return rc;
}

int ni_typo_candidates(ni_typo_set *out, ni_txn *t, const char *word, size_t len, size_t max)
{
    return find(out, t, word, len, max, 0);
}

int ni_typo_nearest(ni_typo_set *out, ni_txn *t, const char *word, size_t len, size_t max)
{
    return find(out, t, word, len, max, 1);
}

/* Keeps p[0..n) when the table has it (and it is not the query word). */
static int try_word(ni_typo_set *out, ni_txn *t, const unsigned char *p, size_t n,
                    const char *word, size_t len)
{
    ni_val k = { p, n }, v;
    int rc;
    if (n == len && memcmp(p, word, len) == 0)
        return 0;
    rc = ni_txn_get(t, NI_T_WORDS, p, n, &v);
    if (rc == NI_ENOTFOUND)
        return 0;
    return rc < 0 ? rc : keep(out, &k, 1, &v);
}

int ni_typo_first(ni_typo_set *out, ni_txn *t, const char *word, size_t len, size_t max)
{
    uint32_t q[MAX_QUERY];
    unsigned char b[NI_WORD_MAX_BYTES + 8];
    size_t l0, l1, rest;
    uint32_t lo, hi, c;
    int n, rc = 0;

    out->n = 0;
    out->bytes.len = 0;
    out->seeks = out->visited = 0;
    n = ni_words_decode(word, len, q, MAX_QUERY);
    if (n < 5 || len > NI_WORD_MAX_BYTES)
        return 0;
    if (q[0] >= 0x430 && q[0] <= 0x44f) {
        lo = 0x430;                     /* а..я */
        hi = 0x44f;
    } else if (q[0] >= 'a' && q[0] <= 'z') {
        lo = 'a';
        hi = 'z';
    } else {
        return 0;
    }
    l0 = put_utf8(b, q[0]);
    l1 = put_utf8(b, q[1]);
    rest = len - l0;
    /* the first two letters swapped */
    put_utf8(b, q[1]);
    put_utf8(b + l1, q[0]);
    memcpy(b + l0 + l1, word + l0 + l1, len - l0 - l1);
    if ((rc = try_word(out, t, b, len, word, len)) < 0)
        goto done;
    /* the first letter dropped: an extra one typed before the word */
    if ((rc = try_word(out, t, (const unsigned char *)word + l0, rest, word, len)) < 0)
        goto done;
    for (c = lo; c <= hi; c++) {
        size_t lc = put_utf8(b, c);
        /* the first letter replaced */
        memcpy(b + lc, word + l0, rest);
        if (c != q[0] && (rc = try_word(out, t, b, lc + rest, word, len)) < 0)
            goto done;
        /* a letter put before it: the first letter was dropped */
        memcpy(b + lc, word, len);
        if ((rc = try_word(out, t, b, lc + len, word, len)) < 0)
            goto done;
    }
done:
    if (rc < 0) {
        out->n = 0;
        return rc;
    }
    return rank_and_keep(out, max);
}

void ni_typo_set_free(ni_typo_set *s)
{
    if (!s)
        return;
    ni_mem_free(s->cand);
    ni_buf_free(&s->bytes);
    memset(s, 0, sizeof *s);
}
