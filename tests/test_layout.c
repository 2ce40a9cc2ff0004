/*
 * Unit tests of the table codecs (lib/layout.c) against the format
 * documented at the top of lib/writer.c: the meta "stats" value, lexicon
 * values of kinds 0, 1 and 2 (inline blocks of exactly NI_INLINE_MAX
 * bytes and one more), docinfo entries on both sides of a chunk boundary
 * (docs 253 and 254 with NI_DOCINFO_CHUNK 254) and NI_DELETED, posting
 * keys and their sort order, and stored records one byte under, at and
 * over the head and part sizes (ni_stored_put/get/head/del/count).
 * Damaged values give NI_ECORRUPT, never a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/layout.h"
#include "../lib/mem.h"
#include "test.h"
#include "tmpdir.h"

/* A new store (tables created) and a write transaction on it. */
static ni_store *new_store(ni_txn **t)
{
    ni_store *s = NULL;
    *t = NULL;
    CHECK_RC(ni_store_open(&s, test_new_dir(), 0, 0, 1), 0);
    if (s)
        CHECK_RC(ni_txn_begin(t, s, 1), 0);
    return s;
}

/* ---- meta ----------------------------------------------------------- */

static void meta_stats(void)
{
    static const unsigned char want[40] = {
        3, 0, 0, 0, 0, 0, 0, 0,          1, 0, 0, 0, 0, 0, 0, 0,
        0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
        0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
    };
    ni_meta m = { 3, 1, UINT32_MAX, 0x0102030405060708ull, 0x0123456789abcdefull }, r;
    unsigned char bad[41];
    ni_txn *t;
    ni_store *s = new_store(&t);
    ni_val v;

    memset(&r, 0xff, sizeof r);
    CHECK_RC(ni_meta_read(t, &r), 0);                       /* none yet: zeros */
    CHECK(r.docs == 0 && r.deleted == 0 && r.next_doc == 0 && r.sum_title == 0 &&
          r.sum_body == 0);
    CHECK_RC(ni_meta_write(t, &m), 0);
    CHECK_RC(ni_txn_get(t, NI_T_META, "stats", 5, &v), 0);
    CHECK(v.len == 40 && memcmp(v.data, want, 40) == 0);    /* five little-endian u64 */
    CHECK_RC(ni_meta_read(t, &r), 0);
    CHECK(memcmp(&r, &m, sizeof m) == 0);

    memcpy(bad, want, 40);
    bad[40] = 0;
    CHECK_RC(ni_txn_put(t, NI_T_META, "stats", 5, bad, 41), 0);
    CHECK_RC(ni_meta_read(t, &r), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "41 bytes") != NULL);
    CHECK_RC(ni_txn_put(t, NI_T_META, "stats", 5, bad, 39), 0);
    CHECK_RC(ni_meta_read(t, &r), NI_ECORRUPT);
    /* next_doc past UINT32_MAX; more documents than ids given out */
    m.next_doc = (uint64_t)UINT32_MAX + 1;
    CHECK_RC(ni_meta_write(t, &m), 0);
    CHECK_RC(ni_meta_read(t, &r), NI_ECORRUPT);
    m.next_doc = 5;
    m.docs = 5;
    CHECK_RC(ni_meta_write(t, &m), 0);
    CHECK_RC(ni_meta_read(t, &r), 0);
    m.docs = 6;
    CHECK_RC(ni_meta_write(t, &m), 0);
    CHECK_RC(ni_meta_read(t, &r), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "inconsistent") != NULL);

    CHECK_RC(ni_dict_read(t, &v), NI_ENOTFOUND);
    CHECK_RC(ni_dict_write(t, (const unsigned char *)"dictionary", 10), 0);
    CHECK_RC(ni_dict_read(t, &v), 0);
    CHECK(v.len == 10 && memcmp(v.data, "dictionary", 10) == 0);
    ni_txn_abort(t);
    ni_store_close(s);
}

/* ---- lexicon values ------------------------------------------------- */

static uint32_t positions[NI_BLOCK_DOCS][300];

/* A block of n documents (docs 10, 20, ...) of tf 1 + i % 3 in the body
 * (cf = n + the extras), or of one document with tf body positions when
 * n is 1 and tf > 0. */
static int make_block(ni_buf *out, uint32_t n, uint32_t tf)
{
    ni_posting p[NI_BLOCK_DOCS];
    uint32_t i, k;
    for (i = 0; i < n; i++) {
        p[i].doc = 10 * (i + 1);
        p[i].tf_title = i == 1;
        p[i].tf_body = tf ? tf : 1 + i % 3;
        p[i].len_title = 3 + i;
        p[i].len_body = 50 + i;
        for (k = 0; k < p[i].tf_title + p[i].tf_body; k++)
            positions[i][k] = k < p[i].tf_title ? k : 1000 + k;
        p[i].pos = positions[i];
    }
    out->len = 0;
    return ni_block_encode(out, p, n);
}

/* Occurrences make_block puts in a block of n documents (tf 0). */
static uint64_t block_cf(uint32_t n)
{
    uint64_t cf = 0;
    uint32_t i;
    for (i = 0; i < n; i++)
        cf += 1 + i % 3 + (i == 1);
    return cf;
}

/* A one-document block of exactly want bytes, 0 when there is none. */
static int block_of_size(ni_buf *out, size_t want)
{
    uint32_t tf;
    for (tf = 1; tf < 300; tf++)
        if (make_block(out, 1, tf) == 0 && out->len == want)
            return 1;
    return 0;
}

/* Every position of an inline block read: 0 or NI_ECORRUPT. */
static int read_positions(const ni_term_info *ti)
{
    static uint32_t pos[1000];
    ni_block b;
    uint32_t i;
    int rc;
    if ((rc = ni_block_open(&b, ti->block, ti->block_len)) < 0 ||
        (rc = ni_block_decode_docs(&b)) < 0)
        return rc;
    for (i = 0; i < b.ndocs; i++)
        if ((rc = ni_block_positions(&b, i, pos, 1000)) < 0)
            return rc;
    return 0;
}

/* A truncated value is NI_ECORRUPT, or, cut in the positions of its
 * inline block (read only when a search asks for them), gives
 * NI_ECORRUPT when they are read. */
static int truncation_caught(const unsigned char *p, size_t len)
{
    ni_term_info r;
    int rc = ni_term_info_decode(&r, p, len);
    if (rc == 0 && r.block)
        return read_positions(&r) == NI_ECORRUPT;
    return rc == NI_ECORRUPT;
}

static int same_info(const ni_term_info *a, const ni_term_info *b)
{
    return a->df == b->df && a->postings == b->postings && a->cf == b->cf &&
           a->max_tf_title == b->max_tf_title && a->max_tf_body == b->max_tf_body &&
           a->min_len_title == b->min_len_title && a->min_len_body == b->min_len_body &&
           a->block_len == b->block_len &&
           (!a->block || memcmp(a->block, b->block, a->block_len) == 0);
}

static void term_info_kind0(void)
{
    ni_term_info ti = { 5, 7, 300, 2, 130, 1, 16384, NULL, 0 }, r;
    unsigned char p[NI_TERM_INFO_MAX];
    size_t n = ni_term_info_encode(p, &ti), len;
    /* u8 0, varints df, postings, cf, max_tf_title, max_tf_body,
     * min_len_title, min_len_body */
    static const unsigned char want[] = { 0, 5, 7, 0xac, 0x02, 2, 0x82, 0x01, 1,
                                          0x80, 0x80, 0x01 };
    CHECK(n == sizeof want && memcmp(p, want, n) == 0);
    CHECK_RC(ni_term_info_decode(&r, p, n), 0);
    CHECK(same_info(&r, &ti) && r.block == NULL);
    CHECK_RC(ni_term_info_decode_bounds(&r, p, n), 0);
    CHECK(r.cf == 0 && r.df == 5 && r.postings == 7 && r.max_tf_body == 130 &&
          r.min_len_body == 16384);
    /* the largest values: u32 counts and bounds, a u64 cf */
    ti.df = ti.postings = UINT32_MAX;
    ti.cf = UINT64_MAX;
    ti.max_tf_title = ti.max_tf_body = ti.min_len_title = ti.min_len_body = UINT32_MAX;
    n = ni_term_info_encode(p, &ti);
    CHECK(n == 1 + 5 + 5 + 10 + 4 * 5);
    CHECK_RC(ni_term_info_decode(&r, p, n), 0);
    CHECK(same_info(&r, &ti));
    /* every truncation, and a byte too many */
    for (len = 0; len < n; len++)
        CHECK_RC(ni_term_info_decode(&r, p, len), NI_ECORRUPT);
    p[n] = 0;
    CHECK_RC(ni_term_info_decode(&r, p, n + 1), NI_ECORRUPT);
    /* a count or bound past u32 (cf may be), df above postings */
    {
        unsigned char v[] = { 0, 1, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 1, 1, 1 };
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), 0);
        CHECK(r.cf == (uint64_t)1 << 32);
        v[1] = 2;
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), NI_ECORRUPT);
    }
    {
        unsigned char v[] = { 0, 1, 0x80, 0x80, 0x80, 0x80, 0x10, 1, 1, 1, 1, 1 };
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), NI_ECORRUPT);
        CHECK_RC(ni_term_info_decode_bounds(&r, v, sizeof v), NI_ECORRUPT);
    }
    {
        unsigned char v[] = { 0, 1, 1, 1, 1, 1, 1, 0xff, 0xff, 0xff, 0xff, 0x10 };
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), NI_ECORRUPT);
        v[11] = 0x0f;
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), 0);
        CHECK(r.min_len_body == UINT32_MAX);
    }
    {
        unsigned char v[] = { 0, 3, 3, 2, 1, 1, 1, 1 };
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), NI_ECORRUPT);      /* cf 2 < df 3 */
        CHECK_RC(ni_term_info_decode_bounds(&r, v, sizeof v), 0);         /* cf not read */
        v[3] = 3;
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), 0);
        v[0] = 3;
        CHECK_RC(ni_term_info_decode(&r, v, sizeof v), NI_ECORRUPT);      /* kind 3 */
    }
    CHECK_RC(ni_term_info_decode(&r, p, 0), NI_ECORRUPT);
}

/* Kind 2: a block with no deleted document, the value is the block. */
static void term_info_kind2(void)
{
    ni_buf blk = NI_BUF_INIT;
    ni_term_info ti, r;
    unsigned char p[NI_TERM_INFO_MAX];
    size_t n, len;
    ni_block b;

    CHECK_RC(make_block(&blk, 5, 0), 0);
    memset(&ti, 0, sizeof ti);
    ti.df = ti.postings = 5;
    ti.cf = block_cf(5);
    ti.max_tf_title = 99;                /* ignored: the block's bounds count */
    ti.block = blk.data;
    ti.block_len = blk.len;
    n = ni_term_info_encode(p, &ti);
    CHECK(n == 1 + blk.len && p[0] == 2 && memcmp(p + 1, blk.data, blk.len) == 0);
    CHECK_RC(ni_term_info_decode(&r, p, n), 0);
    CHECK_RC(ni_block_open(&b, blk.data, blk.len), 0);
    CHECK(r.df == 5 && r.postings == 5 && r.cf == block_cf(5) && r.block == p + 1 &&
          r.block_len == blk.len && r.max_tf_title == b.max_tf_title &&
          r.max_tf_body == b.max_tf_body && r.min_len_title == 3 && r.min_len_body == 50);
    CHECK_RC(ni_term_info_decode_bounds(&r, p, n), 0);
    CHECK(r.df == 5 && r.postings == 5 && r.cf == 0 && r.max_tf_body == b.max_tf_body);
    /* re-encoding from a block inside the output buffer itself */
    CHECK_RC(ni_term_info_decode(&r, p, n), 0);
    CHECK(ni_term_info_encode(p, &r) == n && p[0] == 2 &&
          memcmp(p + 1, blk.data, blk.len) == 0);
    CHECK_RC(read_positions(&r), 0);
    for (len = 0; len < n; len++)
        CHECK(truncation_caught(p, len));
    /* the document section damaged, the header whole: the bounds read,
     * the full decode does not */
    {
        unsigned char q[NI_TERM_INFO_MAX];
        size_t i;
        int found = 0;
        for (i = n; i-- > 1 && !found;) {
            memcpy(q, p, n);
            q[i] ^= 0x7f;
            if (ni_term_info_decode_bounds(&r, q, n) == 0 &&
                ni_term_info_decode(&r, q, n) == NI_ECORRUPT)
                found = 1;
        }
        CHECK(found);
    }
    ni_buf_free(&blk);
}

/* Kind 1: a block with deleted documents (df < postings), or whose cf
 * differs from the block's: counts first, then the block. */
static void term_info_kind1(void)
{
    ni_buf blk = NI_BUF_INIT;
    ni_term_info ti, r;
    unsigned char p[NI_TERM_INFO_MAX];
    size_t n, len;

    CHECK_RC(make_block(&blk, 5, 0), 0);
    memset(&ti, 0, sizeof ti);
    ti.df = 3;
    ti.postings = 5;
    ti.cf = 4;
    ti.block = blk.data;
    ti.block_len = blk.len;
    n = ni_term_info_encode(p, &ti);
    CHECK(n == 4 + blk.len && memcmp(p, "\x01\x03\x05\x04", 4) == 0 &&
          memcmp(p + 4, blk.data, blk.len) == 0);
    CHECK_RC(ni_term_info_decode(&r, p, n), 0);
    CHECK(r.df == 3 && r.postings == 5 && r.cf == 4 && r.block == p + 4 &&
          r.min_len_body == 50);
    CHECK_RC(ni_term_info_decode_bounds(&r, p, n), 0);
    CHECK(r.df == 3 && r.postings == 5 && r.cf == 0);
    for (len = 0; len < n; len++)
        CHECK(truncation_caught(p, len));
    /* postings must be the block's document count */
    p[2] = 6;
    CHECK_RC(ni_term_info_decode(&r, p, n), NI_ECORRUPT);
    p[2] = 4;
    CHECK_RC(ni_term_info_decode(&r, p, n), NI_ECORRUPT);
    /* no deleted document but another cf: kind 1 with the counts */
    ti.df = 5;
    ti.cf = block_cf(5) + 1;
    n = ni_term_info_encode(p, &ti);
    CHECK(p[0] == 1 && n == 4 + blk.len);
    CHECK_RC(ni_term_info_decode(&r, p, n), 0);
    CHECK(r.cf == block_cf(5) + 1);
    /* not a block after the counts */
    memcpy(p + 4, "\x07\x01\x01", 3);
    CHECK_RC(ni_term_info_decode(&r, p, n), NI_ECORRUPT);
    CHECK_RC(ni_term_info_decode_bounds(&r, p, n), NI_ECORRUPT);
    ni_buf_free(&blk);
}

/* An inline block of NI_INLINE_MAX bytes is one; of one more, not. */
/* Gives ti the block in blk; kind 2 (every document live) needs the cf its
 * block gives (one document with max_tf_body occurrences). */
static void set_block(ni_term_info *ti, const ni_buf *blk, int kind)
{
    ti->block = blk->data;
    ti->block_len = blk->len;
    if (kind == 2) {
        ni_block b;
        CHECK_RC(ni_block_open(&b, blk->data, blk->len), 0);
        ti->cf = b.max_tf_body;
    }
}

static void inline_max(void)
{
    ni_buf blk = NI_BUF_INIT;
    ni_term_info ti, r;
    unsigned char *p = malloc(NI_TERM_INFO_MAX);
    ni_txn *t;
    ni_store *s = new_store(&t);
    ni_cursor *c = NULL;
    size_t n;
    int kind;

    for (kind = 1; kind <= 2; kind++) {
        CHECK(block_of_size(&blk, NI_INLINE_MAX));
        memset(&ti, 0, sizeof ti);
        ti.df = ti.postings = 1;
        ti.cf = UINT64_MAX;           /* kind 1: not the block's cf */
        set_block(&ti, &blk, kind);
        n = ni_term_info_encode(p, &ti);
        CHECK(p[0] == kind && n <= NI_TERM_INFO_MAX);
        CHECK_RC(ni_term_info_decode(&r, p, n), 0);
        CHECK(r.block_len == NI_INLINE_MAX);
        CHECK_RC(ni_term_info_write(t, "term", 4, &ti, 0), 0);
        CHECK_RC(ni_term_info_read(t, "term", 4, &r), 0);
        CHECK(r.block_len == NI_INLINE_MAX && r.cf == ti.cf);
        CHECK(block_of_size(&blk, NI_INLINE_MAX + 1));
        set_block(&ti, &blk, kind);
        n = ni_term_info_encode(p, &ti);
        CHECK(p[0] == kind);
        CHECK_RC(ni_term_info_decode(&r, p, n), NI_ECORRUPT);
        CHECK_RC(ni_term_info_decode_bounds(&r, p, n), NI_ECORRUPT);
        CHECK_RC(ni_term_info_write(t, "term", 4, &ti, 0), NI_EINVAL);
        CHECK_RC(ni_cursor_open(&c, t, NI_T_TERMS), 0);
        CHECK_RC(ni_term_info_put(c, "term", 4, &ti, 0, 1, ti.cf), NI_EINVAL);
        ni_cursor_close(c);
        c = NULL;
    }
    /* the longest encoding fits NI_TERM_INFO_MAX (the sanitizer build
     * checks the bytes past it are not written) */
    CHECK(block_of_size(&blk, NI_INLINE_MAX));
    ti.df = ti.postings = UINT32_MAX;
    ti.cf = UINT64_MAX;
    ti.block = blk.data;
    ti.block_len = blk.len;
    CHECK(ni_term_info_encode(p, &ti) == 1 + 5 + 5 + 10 + NI_INLINE_MAX);
    ti.block = NULL;
    ti.max_tf_title = ti.max_tf_body = ti.min_len_title = ti.min_len_body = UINT32_MAX;
    CHECK(ni_term_info_encode(p, &ti) == 1 + 5 + 5 + 10 + 4 * 5);
    ni_txn_abort(t);
    ni_store_close(s);
    free(p);
    ni_buf_free(&blk);
}

/* Through the table: write (put and append), read, put through a cursor
 * with the block's counts given, and a damaged value named. */
static void term_info_table(void)
{
    ni_buf blk = NI_BUF_INIT;
    ni_term_info ti, r;
    unsigned char enc[NI_TERM_INFO_MAX];
    ni_txn *t;
    ni_store *s = new_store(&t);
    ni_cursor *c = NULL;
    ni_val v;
    size_t n;

    CHECK_RC(make_block(&blk, 3, 0), 0);
    memset(&ti, 0, sizeof ti);
    ti.df = ti.postings = 3;
    ti.cf = block_cf(3);
    ti.block = blk.data;
    ti.block_len = blk.len;
    n = ni_term_info_encode(enc, &ti);
    CHECK_RC(ni_term_info_write(t, "b", 1, &ti, 1), 0);
    CHECK_RC(ni_txn_get(t, NI_T_TERMS, "b", 1, &v), 0);
    CHECK(v.len == n && memcmp(v.data, enc, n) == 0 && v.data[0] == 2);
    CHECK_RC(ni_term_info_read(t, "b", 1, &r), 0);
    CHECK(r.df == 3 && r.cf == block_cf(3));
    CHECK_RC(ni_term_info_read_bounds(t, "b", 1, &r), 0);
    CHECK(r.df == 3 && r.cf == 0);
    CHECK_RC(ni_term_info_read(t, "a", 1, &r), NI_ENOTFOUND);
    /* the caller's counts of the block are taken as they are */
    CHECK_RC(ni_cursor_open(&c, t, NI_T_TERMS), 0);
    CHECK_RC(ni_term_info_put(c, "c", 1, &ti, 1, 3, block_cf(3)), 0);
    CHECK_RC(ni_term_info_put(c, "d", 1, &ti, 1, 3, block_cf(3) + 1), 0);
    CHECK_RC(ni_term_info_put(c, "e", 1, &ti, 1, 0, 0), 0);       /* 0: counted */
    ni_cursor_close(c);
    CHECK_RC(ni_txn_get(t, NI_T_TERMS, "c", 1, &v), 0);
    CHECK(v.len == n && memcmp(v.data, enc, n) == 0);
    CHECK_RC(ni_txn_get(t, NI_T_TERMS, "d", 1, &v), 0);
    CHECK(v.data[0] == 1);
    CHECK_RC(ni_txn_get(t, NI_T_TERMS, "e", 1, &v), 0);
    CHECK(v.len == n && memcmp(v.data, enc, n) == 0);
    /* kind 0 through the table */
    ti.block = NULL;
    ti.block_len = 0;
    ti.max_tf_body = 4;
    CHECK_RC(ni_term_info_write(t, "f", 1, &ti, 0), 0);
    CHECK_RC(ni_term_info_read(t, "f", 1, &r), 0);
    CHECK(r.block == NULL && r.max_tf_body == 4 && r.df == 3);
    CHECK_RC(ni_txn_put(t, NI_T_TERMS, "школа", 10, "\x00\x01", 2), 0);
    CHECK_RC(ni_term_info_read(t, "школа", 10, &r), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "'школа' (2 bytes)") != NULL);
    CHECK_RC(ni_term_info_read_bounds(t, "школа", 10, &r), NI_ECORRUPT);
    ni_txn_abort(t);
    ni_store_close(s);
    ni_buf_free(&blk);
}

/* Every bit flip of every kind gives 0 or NI_ECORRUPT (and, decoded,
 * a consistent entry). */
static void term_info_flips(void)
{
    ni_buf blk = NI_BUF_INIT;
    ni_term_info tis[3], r;
    unsigned char p[NI_TERM_INFO_MAX], q[NI_TERM_INFO_MAX];
    size_t k, n, bit;
    int ok = 1;

    CHECK_RC(make_block(&blk, 7, 0), 0);
    memset(tis, 0, sizeof tis);
    tis[0].df = 300;
    tis[0].postings = 301;
    tis[0].cf = 1000;
    tis[0].max_tf_body = 3;
    tis[1].df = 6;
    tis[1].postings = 7;
    tis[1].cf = 8;
    tis[1].block = blk.data;
    tis[1].block_len = blk.len;
    tis[2] = tis[1];
    tis[2].df = 7;
    tis[2].cf = block_cf(7);
    for (k = 0; k < 3; k++) {
        n = ni_term_info_encode(p, &tis[k]);
        CHECK(p[0] == k);
        for (bit = 0; bit < n * 8; bit++) {
            int rc;
            memcpy(q, p, n);
            q[bit / 8] ^= (unsigned char)(1u << (bit % 8));
            rc = ni_term_info_decode(&r, q, n);
            ok &= rc == NI_ECORRUPT || (rc == 0 && r.df <= r.postings && r.cf >= r.df);
            rc = ni_term_info_decode_bounds(&r, q, n);
            ok &= rc == NI_ECORRUPT || (rc == 0 && r.df <= r.postings);
        }
    }
    CHECK(ok);
    ni_buf_free(&blk);
}

/* ---- docinfo -------------------------------------------------------- */

static void docinfo_entries(void)
{
    ni_docinfo di = { NI_DELETED, 0x01020304, -2, 0, 0 }, r;
    unsigned char e[NI_DOCINFO_ENTRY], chunk[NI_DOCINFO_CHUNK * NI_DOCINFO_ENTRY], key[4];
    static const unsigned char want[16] = { 0xff, 0xff, 0xff, 0xff, 4, 3, 2, 1,
                                            0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    ni_txn *t;
    ni_store *s = new_store(&t);
    uint32_t i;

    ni_docinfo_encode(e, &di);
    CHECK(memcmp(e, want, 16) == 0);
    ni_docinfo_decode(e, &r);
    CHECK(r.len_title == NI_DELETED && r.len_body == 0x01020304 && r.date == -2 &&
          r.inv_title == 1.0 && r.inv_body == 1.0);
    CHECK(NI_DOCINFO_CHUNK == 254 && NI_DOCINFO_ENTRY == 16);

    /* chunk 0 holds docs 0..253, chunk 1 from doc 254 */
    for (i = 0; i < NI_DOCINFO_CHUNK; i++) {
        di.len_title = i;
        di.len_body = 1000 + i;
        di.date = (int64_t)i * 86400;
        ni_docinfo_encode(chunk + i * NI_DOCINFO_ENTRY, &di);
    }
    ni_put_be32(key, 0);
    CHECK_RC(ni_txn_put(t, NI_T_DOCINFO, key, 4, chunk, sizeof chunk), 0);
    di.len_title = NI_DELETED;
    di.len_body = 7;
    di.date = NI_DATE_NONE;
    ni_docinfo_encode(chunk, &di);
    ni_put_be32(key, 1);
    CHECK_RC(ni_txn_put(t, NI_T_DOCINFO, key, 4, chunk, NI_DOCINFO_ENTRY), 0);
    CHECK_RC(ni_docinfo_get(t, 0, &r), 0);
    CHECK(r.len_title == 0 && r.len_body == 1000 && r.date == 0);
    CHECK_RC(ni_docinfo_get(t, 253, &r), 0);
    CHECK(r.len_title == 253 && r.len_body == 1253 && r.date == 253 * 86400);
    CHECK_RC(ni_docinfo_get(t, 254, &r), 0);
    CHECK(r.len_title == NI_DELETED && r.len_body == 7 && r.date == NI_DATE_NONE);
    CHECK_RC(ni_docinfo_get(t, 255, &r), NI_ENOTFOUND);           /* past chunk 1's end */
    CHECK_RC(ni_docinfo_get(t, 508, &r), NI_ENOTFOUND);           /* no chunk 2 */
    CHECK_RC(ni_docinfo_get(t, UINT32_MAX, &r), NI_ENOTFOUND);
    /* a chunk one byte short of its last entry */
    ni_put_be32(key, 0);
    CHECK_RC(ni_txn_put(t, NI_T_DOCINFO, key, 4, chunk, sizeof chunk - 1), 0);
    CHECK_RC(ni_docinfo_get(t, 252, &r), 0);
    CHECK_RC(ni_docinfo_get(t, 253, &r), NI_ENOTFOUND);
    ni_txn_abort(t);
    ni_store_close(s);
}

/* The writer and ni_docinfo_get agree on documents around the chunk
 * boundary, deleted ones included. */
static void docinfo_written(void)
{
    const char *path = test_new_dir();
    ni_index *idx = NULL;
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_docinfo r;
    uint32_t i;
    char id[16], title[64];
    int ok = 1;

    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    for (i = 0; i < 300; i++) {
        ni_doc d = NI_DOC_INIT;
        snprintf(id, sizeof id, "d%u", i);
        d.id = id;
        d.id_len = strlen(id);
        {
            /* i % 5 + 1 title words */
            static const char *const w[] = { "раз", "два", "три", "четыре", "пять" };
            size_t k, n = 0;
            for (k = 0; k <= i % 5; k++)
                n += (size_t)snprintf(title + n, sizeof title - n, "%s%s", k ? " " : "", w[k]);
            d.title = title;
            d.title_len = n;
        }
        d.text = "текст";
        d.text_len = strlen(d.text);
        d.date = (int64_t)i * 86400;
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_delete(idx, "d255", 4), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    CHECK_RC(ni_store_open(&s, path, NI_STORE_READONLY, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 0), 0);
    for (i = 250; i < 300; i++) {
        ok &= ni_docinfo_get(t, i, &r) == 0 && r.date == (int64_t)i * 86400 &&
              r.len_body == 1 && r.len_title == (i == 255 ? NI_DELETED : i % 5 + 1);
    }
    CHECK(ok);
    CHECK_RC(ni_docinfo_get(t, 300, &r), NI_ENOTFOUND);
    ni_txn_abort(t);
    ni_store_close(s);
}

/* ---- posting keys --------------------------------------------------- */

static int key_cmp(const void *a, const void *b)
{
    const unsigned char *x = *(const unsigned char *const *)a;
    const unsigned char *y = *(const unsigned char *const *)b;
    size_t lx = x[0], ly = y[0];
    int c = memcmp(x + 1, y + 1, lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

static void posting_keys(void)
{
    /* in the order their keys must sort: by term (a term before its
     * extensions), then by last document as a number */
    static const struct { const char *term; uint32_t doc; } order[] = {
        { "a", 0 }, { "a", 1 }, { "a", 255 }, { "a", 256 }, { "a", 65536 },
        { "a", UINT32_MAX }, { "a\x01", 0 }, { "ab", 0 }, { "ab", 7 }, { "b", 3 },
        { "школ", 9 }, { "школа", 2 }, { "школа", 300 }, { "школаа", 1 }, { "школы", 0 },
    };
    enum { N = sizeof order / sizeof order[0] };
    unsigned char keys[N][1 + NI_POSTING_KEY_MAX], *sorted[N], k[NI_POSTING_KEY_MAX];
    char longest[NI_MAX_TERM_BYTES];
    ni_txn *t;
    ni_store *s = new_store(&t);
    ni_cursor *c = NULL;
    ni_val kv, vv;
    size_t i, n;

    n = ni_posting_key(k, "школа", 10, 0x01020304);
    CHECK(n == 15 && memcmp(k, "школа\x00\x01\x02\x03\x04", 15) == 0);
    memset(longest, 'x', sizeof longest);
    CHECK(ni_posting_key(k, longest, sizeof longest, 5) == NI_POSTING_KEY_MAX);
    CHECK(k[NI_MAX_TERM_BYTES] == 0 && ni_get_be32(k + NI_MAX_TERM_BYTES + 1) == 5);

    for (i = 0; i < N; i++) {
        keys[i][0] = (unsigned char)ni_posting_key(keys[i] + 1, order[i].term,
                                                   strlen(order[i].term), order[i].doc);
        sorted[N - 1 - i] = keys[i];
    }
    qsort(sorted, N, sizeof sorted[0], key_cmp);
    for (i = 0; i < N; i++)
        CHECK(sorted[i] == keys[i]);
    /* LMDB keeps them in that order, and a seek to (term, 0) finds the
     * term's first block */
    for (i = N; i-- > 0;)
        CHECK_RC(ni_txn_put(t, NI_T_POSTINGS, keys[i] + 1, keys[i][0], "v", 1), 0);
    CHECK_RC(ni_cursor_open(&c, t, NI_T_POSTINGS), 0);
    for (i = 0, n = 0; i < N; i++) {
        CHECK_RC(i ? ni_cursor_next(c) : ni_cursor_first(c), 0);
        if (ni_cursor_get(c, &kv, &vv) == 0 && kv.len == keys[i][0] &&
            memcmp(kv.data, keys[i] + 1, kv.len) == 0)
            n++;
    }
    CHECK(n == N);
    CHECK_RC(ni_cursor_seek(c, k, ni_posting_key(k, "школа", 10, 0)), 0);
    CHECK_RC(ni_cursor_get(c, &kv, &vv), 0);
    CHECK(kv.len == 15 && memcmp(kv.data, keys[11] + 1, 15) == 0);
    CHECK_RC(ni_cursor_seek(c, k, ni_posting_key(k, "a", 1, 0)), 0);
    CHECK_RC(ni_cursor_get(c, &kv, &vv), 0);
    CHECK(kv.len == 6 && memcmp(kv.data, keys[0] + 1, 6) == 0);
    ni_cursor_close(c);
    ni_txn_abort(t);
    ni_store_close(s);
}

/* ---- stored records in parts ---------------------------------------- */

static unsigned char *bytes(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);
    size_t i;
    for (i = 0; i < n; i++)
        p[i] = (unsigned char)(seed * 31 + i * 7 + i / 251);
    return p;
}

/* Entries of the docs table. */
static uint64_t doc_keys(ni_txn *t)
{
    uint64_t n = 0;
    if (ni_txn_count(t, NI_T_DOCS, &n) < 0)
        return UINT64_MAX;
    return n;
}

/* Records one byte under, at and over the head size and each part size:
 * the keys they take, what reads back, what deleting leaves. */
static void stored_parts(void)
{
    ni_txn *t;
    ni_store *s = new_store(&t);
    size_t hmax = ni_txn_leaf_value(t, 4, 8), pmax = ni_txn_leaf_value(t, 8, 8);
    struct { size_t len; uint64_t keys; } cases[] = {
        { 0, 1 }, { 1, 1 }, { NI_MAX_ID_BYTES + 32, 1 }, { hmax - 1, 1 }, { hmax, 1 },
        { hmax + 1, 2 }, { hmax + pmax - 1, 2 }, { hmax + pmax, 2 }, { hmax + pmax + 1, 3 },
        { hmax + 2 * pmax, 3 }, { hmax + 2 * pmax + 1, 4 },
    };
    enum { N = sizeof cases / sizeof cases[0] };
    ni_buf buf = NI_BUF_INIT;
    uint64_t before, count;
    ni_val v;
    uint32_t doc;
    unsigned char key[8];

    /* 4 KiB pages: eight values fill a leaf page */
    CHECK(hmax == 496 && pmax == 492);
    for (doc = 0; doc < N; doc++) {
        unsigned char *r = bytes(cases[doc].len, doc);
        before = doc_keys(t);
        CHECK_RC(ni_stored_put(t, doc, r, cases[doc].len), 0);
        CHECK(doc_keys(t) - before == cases[doc].keys);
        free(r);
    }
    CHECK_RC(ni_stored_count(t, &count), 0);
    CHECK(count == N);
    for (doc = 0; doc < N; doc++) {
        unsigned char *r = bytes(cases[doc].len, doc);
        size_t head = cases[doc].len <= hmax ? cases[doc].len : hmax;
        CHECK_RC(ni_stored_get(t, doc, &buf, &v), 0);
        CHECK(v.len == cases[doc].len && memcmp(v.data, r, v.len) == 0);
        CHECK_RC(ni_stored_head(t, doc, &v), 0);
        CHECK(v.len == head && memcmp(v.data, r, head) == 0);
        free(r);
    }
    /* parts are under be32(doc) be32(n), n from 1 */
    ni_put_be32(key, N - 1);
    ni_put_be32(key + 4, 3);
    CHECK_RC(ni_txn_get(t, NI_T_DOCS, key, 8, &v), 0);
    CHECK(v.len == 1);
    ni_put_be32(key + 4, 2);
    CHECK_RC(ni_txn_get(t, NI_T_DOCS, key, 8, &v), 0);
    CHECK(v.len == pmax);
    /* deleting takes every part and nothing of the neighbours */
    for (doc = 0; doc < N; doc += 2) {
        before = doc_keys(t);
        CHECK_RC(ni_stored_del(t, doc), 0);
        CHECK(before - doc_keys(t) == cases[doc].keys);
        CHECK_RC(ni_stored_get(t, doc, &buf, &v), NI_ECORRUPT);
        CHECK(strstr(ni_errmsg(), "no stored fields") != NULL);
        CHECK_RC(ni_stored_del(t, doc), NI_ECORRUPT);
    }
    CHECK_RC(ni_stored_count(t, &count), 0);
    CHECK(count == N / 2);
    for (doc = 1; doc < N; doc += 2) {
        unsigned char *r = bytes(cases[doc].len, doc);
        CHECK_RC(ni_stored_get(t, doc, &buf, &v), 0);
        CHECK(v.len == cases[doc].len && memcmp(v.data, r, v.len) == 0);
        free(r);
    }
    ni_txn_abort(t);
    ni_store_close(s);
    ni_buf_free(&buf);
}

/* Parts that follow no full head, a missing part, and keys of another
 * size are NI_ECORRUPT for the count; a head shorter than HEAD_ROOM is
 * never followed by parts. */
static void stored_damage(void)
{
    ni_txn *t;
    ni_store *s = new_store(&t);
    size_t hmax = ni_txn_leaf_value(t, 4, 8), pmax = ni_txn_leaf_value(t, 8, 8);
    unsigned char *r = bytes(hmax + 2 * pmax + 10, 1), key[8];
    ni_buf buf = NI_BUF_INIT;
    uint64_t count;
    ni_val v;

    CHECK_RC(ni_stored_put(t, 1, r, 100), 0);
    CHECK_RC(ni_stored_put(t, 2, r, hmax + 2 * pmax + 10), 0);
    CHECK_RC(ni_stored_count(t, &count), 0);
    CHECK(count == 2);
    /* a part after a short head: not read, reported by the count */
    ni_put_be32(key, 1);
    ni_put_be32(key + 4, 1);
    CHECK_RC(ni_txn_put(t, NI_T_DOCS, key, 8, "xyz", 3), 0);
    CHECK_RC(ni_stored_get(t, 1, &buf, &v), 0);
    CHECK(v.len == 100);
    CHECK_RC(ni_stored_count(t, &count), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "part 1 of document 1 follows part 0 of document 1 "
                              "(head of 100 bytes)") != NULL);
    CHECK_RC(ni_txn_del(t, NI_T_DOCS, key, 8), 0);
    /* a missing middle part: the record reads short, the count says so */
    ni_put_be32(key, 2);
    ni_put_be32(key + 4, 2);
    CHECK_RC(ni_txn_del(t, NI_T_DOCS, key, 8), 0);
    CHECK_RC(ni_stored_get(t, 2, &buf, &v), 0);
    CHECK(v.len == hmax + pmax && memcmp(v.data, r, v.len) == 0);
    CHECK_RC(ni_stored_count(t, &count), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "part 3 of document 2 follows part 1") != NULL);
    CHECK_RC(ni_txn_put(t, NI_T_DOCS, key, 8, r + hmax + pmax, pmax), 0);
    CHECK_RC(ni_stored_count(t, &count), 0);
    /* a part before any head; a key of 5 bytes */
    ni_put_be32(key, 0);
    ni_put_be32(key + 4, 1);
    CHECK_RC(ni_txn_put(t, NI_T_DOCS, key, 8, "x", 1), 0);
    CHECK_RC(ni_stored_count(t, &count), NI_ECORRUPT);
    CHECK_RC(ni_txn_del(t, NI_T_DOCS, key, 8), 0);
    CHECK_RC(ni_txn_put(t, NI_T_DOCS, "\0\0\0\1\0", 5, "x", 1), 0);
    CHECK_RC(ni_stored_count(t, &count), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "a key of 5 bytes after document 1") != NULL);
    ni_txn_abort(t);
    ni_store_close(s);
    ni_buf_free(&buf);
    free(r);
}

TEST_MAIN(TEST(meta_stats), TEST(term_info_kind0), TEST(term_info_kind2),
          TEST(term_info_kind1), TEST(inline_max), TEST(term_info_table),
          TEST(term_info_flips), TEST(docinfo_entries), TEST(docinfo_written),
          TEST(posting_keys), TEST(stored_parts), TEST(stored_damage))
