/*
 * shardwire.c - the wire forms of a query's statistics and of a shard's
 * hit list (newsindex.h, "Shards"), so that the two phases of a sharded
 * search can cross process boundaries.  Pure codecs: no I/O.  Decoders
 * read untrusted bytes: every length is checked against what is left, and
 * anything else than what the encoder writes is NI_ECORRUPT.
 *
 * All integers little-endian; doubles as their IEEE-754 bits in a le64.
 *
 * Statistics (version 1):
 *     4 bytes  "nist"
 *     u8       version (1)
 *     le64     docs, sum_title, sum_body
 *     le64     newest date (two's complement; INT64_MIN: none)
 *     le32     nterms
 *     nterms times: le32 len, len bytes of the term, le64 df, le64 postings
 *              (terms strictly ascending by bytes, a shorter prefix
 *              first: one table has one form)
 *
 * Hit list (version 1):
 *     4 bytes  "nish"
 *     u8       version (1)
 *     u8       flags: 1 total_approx, 2 sort_by_date (others 0)
 *     le64     total, partial_total
 *     le32     n
 *     n times: le64 score bits (a number, not NaN), le64 date, le64 order,
 *              le32 doc, le32 shard, u8 partial (0 or 1)
 */
#include <math.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "mem.h"
#include "shardstats.h"

#define STATS_MAGIC "nist"
#define HITS_MAGIC "nish"
#define WIRE_VERSION 1
#define HIT_BYTES (8 + 8 + 8 + 4 + 4 + 1)

static int put64(ni_buf *b, uint64_t v)
{
    unsigned char x[8];
    ni_put_le64(x, v);
    return ni_buf_put(b, x, 8);
}

static int put32(ni_buf *b, uint32_t v)
{
    unsigned char x[4];
    ni_put_le32(x, v);
    return ni_buf_put(b, x, 4);
}

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, sizeof u);
    return u;
}

/* Hands b's bytes to the caller. */
static int hand_over(unsigned char **out, size_t *len, ni_buf *b, int rc)
{
    if (rc < 0) {
        ni_buf_free(b);
        return rc;
    }
    *out = b->data;
    *len = b->len;
    return 0;
}

int ni_shard_stats_encode(unsigned char **out, size_t *len, const ni_shard_stats *s)
{
    ni_buf b = { 0 };
    size_t i;
    int rc;

    ni_error_clear();
    if (!out || !len || !s)
        return ni_error(NI_EINVAL, "ni_shard_stats_encode: NULL argument");
    *out = NULL;
    *len = 0;
    if (s->n > UINT32_MAX)
        return ni_error(NI_EINVAL, "ni_shard_stats_encode: %zu terms", s->n);
    rc = ni_buf_put(&b, STATS_MAGIC, 4);
    if (rc == 0)
        rc = ni_buf_putc(&b, WIRE_VERSION);
    if (rc == 0)
        rc = put64(&b, s->docs);
    if (rc == 0)
        rc = put64(&b, s->sum_title);
    if (rc == 0)
        rc = put64(&b, s->sum_body);
    if (rc == 0)
        rc = put64(&b, (uint64_t)s->newest);
    if (rc == 0)
        rc = put32(&b, (uint32_t)s->n);
    for (i = 0; rc == 0 && i < s->n; i++)
        if ((rc = put32(&b, s->t[i].len)) == 0 &&
            (rc = ni_buf_put(&b, s->t[i].term, s->t[i].len)) == 0 &&
            (rc = put64(&b, s->t[i].df)) == 0)
            rc = put64(&b, s->t[i].postings);
    return hand_over(out, len, &b, rc);
}

/* A reader of untrusted bytes: take fails once fewer than n are left. */
typedef struct rd {
    const unsigned char *p, *end;
} rd;

static const unsigned char *take(rd *r, size_t n)
{
    const unsigned char *at = r->p;
    if ((size_t)(r->end - r->p) < n)
        return NULL;
    r->p += n;
    return at;
}

/* The magic and version at the start of r. */
static int header(rd *r, const char *magic, const char *what)
{
    const unsigned char *m = take(r, 5);
    if (!m || memcmp(m, magic, 4) != 0)
        return ni_error(NI_ECORRUPT, "not a %s (no '%s' header)", what, magic);
    if (m[4] != WIRE_VERSION)
        return ni_error(NI_EVERSION, "%s version %u; this library knows %u", what,
                        (unsigned)m[4], WIRE_VERSION);
    return 0;
}

/* <0, 0, >0 as last orders before, as, after term[0..len). */
static int cmp_prev(const ni_shard_term *last, const unsigned char *term, uint32_t len)
{
    int c = memcmp(last->term, term, last->len < len ? last->len : len);
    if (c)
        return c;
    return last->len < len ? -1 : last->len > len;
}

static int stats_body(ni_shard_stats *s, rd *r)
{
    const unsigned char *p = take(r, 8 * 4 + 4);
    uint32_t n, i;
    int rc;

    if (!p)
        return ni_error(NI_ECORRUPT, "statistics: truncated header");
    s->docs = ni_get_le64(p);
    s->sum_title = ni_get_le64(p + 8);
    s->sum_body = ni_get_le64(p + 16);
    s->newest = (int64_t)ni_get_le64(p + 24);
    n = ni_get_le32(p + 32);
    if (n > (size_t)(r->end - r->p) / 20)
        return ni_error(NI_ECORRUPT, "statistics: %u terms in %zu bytes", n,
                        (size_t)(r->end - r->p));
    for (i = 0; i < n; i++) {
        const unsigned char *lp = take(r, 4), *term, *dfp;
        uint32_t len;
        if (!lp)
            return ni_error(NI_ECORRUPT, "statistics: term %u truncated", i);
        len = ni_get_le32(lp);
        if (!(term = take(r, len)) || !(dfp = take(r, 16)))
            return ni_error(NI_ECORRUPT, "statistics: term %u truncated", i);
        if (s->n && cmp_prev(&s->t[s->n - 1], term, len) >= 0)
            return ni_error(NI_ECORRUPT, "statistics: term %u out of order or twice", i);
        if ((rc = ni_shard_stats_set(s, (const char *)term, len, ni_get_le64(dfp),
                                          ni_get_le64(dfp + 8))) < 0)
            return rc;
    }
    if (r->p != r->end)
        return ni_error(NI_ECORRUPT, "statistics: %zu bytes after the end",
                        (size_t)(r->end - r->p));
    return 0;
}

int ni_shard_stats_decode(ni_shard_stats **out, const unsigned char *p, size_t len)
{
    ni_shard_stats *s = NULL;
    rd r;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_shard_stats_decode: out is NULL");
    *out = NULL;
    if (!p && len)
        return ni_error(NI_EINVAL, "ni_shard_stats_decode: NULL argument");
    r.p = p ? p : (const unsigned char *)"";
    r.end = r.p + len;
    if ((rc = header(&r, STATS_MAGIC, "statistics")) < 0 ||
        (rc = ni_shard_stats_new(&s)) < 0)
        return rc;
    if ((rc = stats_body(s, &r)) < 0) {
        ni_shard_stats_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int ni_shard_hits_encode(unsigned char **out, size_t *len, const ni_shard_hits *h)
{
    ni_buf b = { 0 };
    size_t i;
    int rc;

    ni_error_clear();
    if (!out || !len || !h || (!h->hit && h->n))
        return ni_error(NI_EINVAL, "ni_shard_hits_encode: NULL argument");
    *out = NULL;
    *len = 0;
    if (h->n > UINT32_MAX)
        return ni_error(NI_EINVAL, "ni_shard_hits_encode: %zu hits", h->n);
    rc = ni_buf_put(&b, HITS_MAGIC, 4);
    if (rc == 0)
        rc = ni_buf_putc(&b, WIRE_VERSION);
    if (rc == 0)
        rc = ni_buf_putc(&b, (unsigned char)((h->total_approx ? 1 : 0) |
                                             (h->sort_by_date ? 2 : 0)));
    if (rc == 0)
        rc = put64(&b, h->total);
    if (rc == 0)
        rc = put64(&b, h->partial_total);
    if (rc == 0)
        rc = put32(&b, (uint32_t)h->n);
    for (i = 0; rc == 0 && i < h->n; i++) {
        const ni_shard_hit *x = &h->hit[i];
        if ((rc = put64(&b, dbits(x->score))) == 0 && (rc = put64(&b, (uint64_t)x->date)) == 0 &&
            (rc = put64(&b, x->order)) == 0 && (rc = put32(&b, x->doc)) == 0 &&
            (rc = put32(&b, x->shard)) == 0)
            rc = ni_buf_putc(&b, x->partial ? 1 : 0);
    }
    return hand_over(out, len, &b, rc);
}

static int hits_body(ni_shard_hits *h, rd *r)
{
    const unsigned char *p = take(r, 1 + 8 + 8 + 4);
    size_t i, n;

    if (!p)
        return ni_error(NI_ECORRUPT, "hit list: truncated header");
    if (p[0] & ~3u)
        return ni_error(NI_ECORRUPT, "hit list: unknown flags 0x%02x", (unsigned)p[0]);
    h->total_approx = p[0] & 1;
    h->sort_by_date = (p[0] & 2) != 0;
    h->total = ni_get_le64(p + 1);
    h->partial_total = ni_get_le64(p + 9);
    n = ni_get_le32(p + 17);
    if ((size_t)(r->end - r->p) != n * HIT_BYTES)
        return ni_error(NI_ECORRUPT, "hit list: %zu hits in %zu bytes", n,
                        (size_t)(r->end - r->p));
    if (!(h->hit = ni_mem_calloc(n ? n : 1, sizeof *h->hit)))
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < n; i++) {
        const unsigned char *x = take(r, HIT_BYTES);
        uint64_t bits = ni_get_le64(x);
        double score;
        memcpy(&score, &bits, sizeof score);
        if (isnan(score) || x[32] > 1)
            return ni_error(NI_ECORRUPT, "hit list: hit %zu is not one", i);
        h->hit[i].score = score;
        h->hit[i].date = (int64_t)ni_get_le64(x + 8);
        h->hit[i].order = ni_get_le64(x + 16);
        h->hit[i].doc = ni_get_le32(x + 24);
        h->hit[i].shard = ni_get_le32(x + 28);
        h->hit[i].partial = x[32];
        h->n++;
    }
    return 0;
}

int ni_shard_hits_decode(ni_shard_hits **out, const unsigned char *p, size_t len)
{
    ni_shard_hits *h;
    rd r;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_shard_hits_decode: out is NULL");
    *out = NULL;
    if (!p && len)
        return ni_error(NI_EINVAL, "ni_shard_hits_decode: NULL argument");
    r.p = p ? p : (const unsigned char *)"";
    r.end = r.p + len;
    if ((rc = header(&r, HITS_MAGIC, "hit list")) < 0)
        return rc;
    if (!(h = ni_mem_calloc(1, sizeof *h)))
        return ni_error(NI_ENOMEM, "out of memory");
    if ((rc = hits_body(h, &r)) < 0) {
        ni_shard_hits_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

void ni_wire_free(unsigned char *p)
{
    ni_mem_free(p);
}
