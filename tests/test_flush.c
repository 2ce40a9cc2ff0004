/*
 * Unit tests of the flush (lib/flush.c, with lib/postlist.c) and of
 * compaction (lib/compact.c), on a real LMDB store: a batch filled by the
 * inverter and flushed gives the right statistics, lexicon entries,
 * postings, docinfo, ids and stored records; flushes of several batches
 * join a term's last block at the 128-document boundary (both sides);
 * a term's only block is kept inline up to NI_INLINE_MAX bytes (both
 * sides); committed documents deleted or replaced are taken out of the
 * counts; the stored records' dictionary is trained from 1 MiB of live
 * records (both sides) and kept; compaction drops deleted documents' postings and leaves the rest
 * as it was; a flush that deletes reclaims a term's deleted postings from
 * its share (compact.h, both sides), and one that adds to a term leaves
 * them out of the last block it takes.  Bodies are numbers, which the analyzer keeps as
 * written, so every term is known.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/compact.h"
#include "../lib/flush.h"
#include "../lib/layout.h"
#include "../lib/mem.h"
#include "../lib/record.h"
#include "test.h"
#include "tmpdir.h"

typedef struct env {
    ni_store *s;
    ni_inverter *inv;
    ni_flush *f;
    ni_batch b;
    ni_doc_terms dt;
    ni_txn *rt;                     /* a read transaction for the checks */
} env;

static void env_open(env *e)
{
    memset(e, 0, sizeof *e);
    if (ni_store_open(&e->s, test_new_dir(), 0, 0, 1) < 0 || ni_inverter_new(&e->inv) < 0 ||
        ni_flush_new(&e->f, e->s) < 0) {
        fprintf(stderr, "cannot set up: %s\n", ni_errmsg());
        exit(2);
    }
}

static void env_close(env *e)
{
    ni_txn_abort(e->rt);
    ni_flush_free(e->f);
    ni_batch_free(&e->b);
    ni_doc_terms_free(&e->dt);
    ni_inverter_free(e->inv);
    ni_store_close(e->s);
}

/* Adds a document with this body to the batch; 0 or <0. */
static int env_add(env *e, const char *id, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    int rc;
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = strlen(text);
    d.date = 86400;
    if ((rc = ni_batch_begin(&e->b, &d)) < 0)
        return rc;
    if ((rc = ni_invert_doc(e->inv, &d, &e->dt)) < 0 || (rc = ni_batch_merge(&e->b, &e->dt)) < 0) {
        ni_batch_fail(&e->b);
        return rc;
    }
    ni_batch_end(&e->b, &d);
    return 0;
}

/* Adds documents id0, id1, ... (numbered from first) with this body. */
static int env_add_many(env *e, const char *prefix, int first, int n, const char *text)
{
    char id[32];
    int i, rc = 0;
    for (i = first; i < first + n && rc == 0; i++) {
        snprintf(id, sizeof id, "%s%d", prefix, i);
        rc = env_add(e, id, text);
    }
    return rc;
}

/* Lists a committed id for deletion. */
static int env_delete(env *e, const char *id)
{
    ni_batch_kill(&e->b, id, strlen(id));
    return ni_batch_delete(&e->b, id, strlen(id));
}

/* Flushes the batch in a write transaction of its own and commits it. */
static int env_flush(env *e)
{
    ni_txn *t;
    int rc;
    ni_txn_abort(e->rt);
    e->rt = NULL;
    if ((rc = ni_txn_begin(&t, e->s, 1)) < 0)
        return rc;
    if ((rc = ni_flush_batch(e->f, t, &e->b, e->inv, NULL)) < 0)
        ni_txn_abort(t);
    else
        rc = ni_txn_commit(t);
    ni_batch_clear(&e->b);
    ni_flush_trim(e->f);
    return rc;
}

/* The read transaction of the checks (begun at the first use after a
 * flush or compaction). */
static ni_txn *env_read(env *e)
{
    if (!e->rt && ni_txn_begin(&e->rt, e->s, 0) < 0) {
        fprintf(stderr, "cannot read: %s\n", ni_errmsg());
        exit(2);
    }
    return e->rt;
}

static int env_compact(env *e)
{
    ni_txn_abort(e->rt);
    e->rt = NULL;
    return ni_compact(e->s);
}

/* The lexicon entry of term: 0, or NI_ENOTFOUND. */
static int env_term(env *e, const char *term, ni_term_info *ti)
{
    return ni_term_info_read(env_read(e), term, strlen(term), ti);
}

/*
 * The blocks of term, in order: in the postings table, with the last
 * document each key names (last may be NULL), or, when with_inline is set
 * and the lexicon value holds the term's block, that one.  Up to max of
 * them, pointing into the read transaction; their count.
 */
static size_t env_blocks(env *e, const char *term, int with_inline, ni_val *blocks,
                         uint32_t *last, size_t max)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    size_t tlen = strlen(term), n = 0;
    ni_term_info ti;
    ni_cursor *c = NULL;
    ni_val k, v;
    int rc;

    if (with_inline && env_term(e, term, &ti) == 0 && ti.block) {
        blocks[0].data = ti.block;
        blocks[0].len = ti.block_len;
        return 1;
    }
    if (ni_cursor_open(&c, env_read(e), NI_T_POSTINGS) < 0)
        return 0;
    for (rc = ni_cursor_seek(c, key, ni_posting_key(key, term, tlen, 0)); rc == 0;
         rc = ni_cursor_next(c)) {
        if (ni_cursor_get(c, &k, &v) < 0 || k.len != tlen + 5 ||
            memcmp(k.data, term, tlen) != 0 || k.data[tlen] != 0)
            break;
        if (n < max) {
            blocks[n] = v;
            if (last)
                last[n] = ni_get_be32(k.data + tlen + 1);
        }
        n++;
    }
    ni_cursor_close(c);
    return n;
}

/* The keys of term's blocks in the postings table (the last document
 * each names) and their document counts; how many (up to 4 are given). */
static size_t env_keys(env *e, const char *term, uint32_t last[4], uint32_t ndocs[4])
{
    ni_val blocks[4];
    ni_block b;
    size_t n = env_blocks(e, term, 0, blocks, last, 4), i;
    for (i = 0; i < n && i < 4; i++)
        ndocs[i] = ni_block_open(&b, blocks[i].data, blocks[i].len) == 0 ? b.ndocs : 0;
    return n;
}

/*
 * Appends the postings of term (inline or in the table), in order, as
 * numbers to out: doc, title tf, body tf, the positions; live only: of
 * the documents docinfo does not mark deleted.  0, or <0 when damaged.
 */
static int env_postings(env *e, const char *term, int live_only, ni_buf *out)
{
    ni_val blocks[8];
    size_t n = env_blocks(e, term, 1, blocks, NULL, 8), i;
    uint32_t j, pos[64];
    ni_docinfo di;
    ni_block b;

    out->len = 0;
    for (i = 0; i < n && i < 8; i++) {
        if (ni_block_open(&b, blocks[i].data, blocks[i].len) < 0 ||
            ni_block_decode_docs(&b) < 0)
            return -1;
        for (j = 0; j < b.ndocs; j++) {
            uint32_t tf = b.tf_title[j] + b.tf_body[j];
            if (live_only && (ni_docinfo_get(env_read(e), b.docs[j], &di) < 0 ||
                              di.len_title == NI_DELETED))
                continue;
            if (tf > 64 || ni_block_positions(&b, j, pos, 64) < 0)
                return -1;
            ni_buf_put(out, &b.docs[j], 4);
            ni_buf_put(out, &b.tf_title[j], 4);
            ni_buf_put(out, &b.tf_body[j], 4);
            ni_buf_put(out, pos, tf * 4);
        }
    }
    return n <= 8 ? 0 : -1;
}

/* The documents of term (up to max), in order; their count. */
static size_t env_docs(env *e, const char *term, uint32_t *docs, size_t max)
{
    ni_buf p = NI_BUF_INIT;
    size_t at = 0, n = 0;
    uint32_t w[3];

    if (env_postings(e, term, 0, &p) < 0)
        return (size_t)-1;
    while (at < p.len && n < max) {
        memcpy(w, p.data + at, sizeof w);
        docs[n++] = w[0];
        at += (3 + (size_t)w[1] + w[2]) * 4;
    }
    ni_buf_free(&p);
    return n;
}

static ni_meta env_meta(env *e)
{
    ni_meta m;
    if (ni_meta_read(env_read(e), &m) < 0)
        memset(&m, 0xff, sizeof m);
    return m;
}

/* Whether term's lexicon entry counts df live documents, postings in its
 * blocks and cf occurrences. */
static int counts(env *e, const char *term, uint32_t df, uint32_t postings, uint64_t cf)
{
    ni_term_info ti;
    return env_term(e, term, &ti) == 0 && ti.df == df && ti.postings == postings &&
           ti.cf == cf;
}

/* ---- the flush ----------------------------------------------------------- */

static void one_batch(void)
{
    env e;
    ni_term_info ti;
    ni_docinfo di;
    ni_block b;
    ni_val v;
    ni_doc d;
    uint32_t pos[4];
    uint64_t n;
    ni_meta m;

    env_open(&e);
    CHECK_RC(env_add(&e, "d1", "101 202"), 0);
    CHECK_RC(env_add(&e, "d2", "202 303 303"), 0);
    CHECK_RC(env_flush(&e), 0);
    m = env_meta(&e);
    CHECK(m.docs == 2 && m.next_doc == 2 && m.deleted == 0);
    CHECK(m.sum_title == 0 && m.sum_body == 5);
    CHECK_RC(env_term(&e, "202", &ti), 0);
    CHECK(ti.df == 2 && ti.postings == 2 && ti.cf == 2 && ti.block != NULL);
    CHECK(counts(&e, "101", 1, 1, 1));
    CHECK_RC(env_term(&e, "303", &ti), 0);
    CHECK(ti.df == 1 && ti.cf == 2 && ti.max_tf_body == 2 && ti.max_tf_title == 0);
    CHECK(ti.min_len_body == 3 && ti.min_len_title == 0);
    if (ti.block) {
        CHECK(ni_block_open(&b, ti.block, ti.block_len) == 0 && ni_block_decode_docs(&b) == 0);
        CHECK(b.ndocs == 1 && b.docs[0] == 1 && b.tf_title[0] == 0 && b.tf_body[0] == 2);
        CHECK_RC(ni_block_positions(&b, 0, pos, 4), 0);
        CHECK(pos[0] == NI_BODY_GAP + 1 && pos[1] == NI_BODY_GAP + 2);
    }
    CHECK(env_term(&e, "404", &ti) == NI_ENOTFOUND);
    CHECK_RC(ni_txn_count(env_read(&e), NI_T_POSTINGS, &n), 0);
    CHECK(n == 0);                  /* every term's block is inline */
    CHECK_RC(ni_docinfo_get(env_read(&e), 1, &di), 0);
    CHECK(di.len_title == 0 && di.len_body == 3 && di.date == 86400);
    CHECK_RC(ni_txn_get(env_read(&e), NI_T_IDS, "d2", 2, &v), 0);
    CHECK(v.len == 4 && ni_get_be32(v.data) == 1);
    CHECK_RC(ni_stored_head(env_read(&e), 0, &v), 0);
    CHECK(ni_record_decode_head(&d, v.data, v.len) == 0 && d.id_len == 2 &&
          memcmp(d.id, "d1", 2) == 0);
    env_close(&e);
}

/* A copy replaced within the batch is not written; a term only it had
 * gets no lexicon entry. */
static void replaced_in_batch(void)
{
    env e;
    ni_term_info ti;
    ni_val v;

    env_open(&e);
    CHECK_RC(env_add(&e, "d1", "111 222"), 0);
    CHECK_RC(env_add(&e, "d1", "222 333"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_meta(&e).docs == 1 && env_meta(&e).next_doc == 1);
    CHECK(env_term(&e, "111", &ti) == NI_ENOTFOUND);
    CHECK_RC(env_term(&e, "222", &ti), 0);
    CHECK(ti.df == 1 && ti.postings == 1);
    CHECK_RC(ni_txn_get(env_read(&e), NI_T_IDS, "d1", 2, &v), 0);
    CHECK(ni_get_be32(v.data) == 0);
    env_close(&e);
}

/* Committed documents deleted, or replaced by a later batch. */
static void deleted_committed(void)
{
    env e;
    ni_docinfo di;
    ni_val v;
    ni_meta m;

    env_open(&e);
    ni_flush_set_reclaim(e.f, 101);             /* the counts, not reclamation */
    CHECK_RC(env_add(&e, "d1", "101 202"), 0);
    CHECK_RC(env_add(&e, "d2", "202 202"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_delete(&e, "d1"), 0);
    CHECK_RC(env_add(&e, "d2", "303"), 0);
    CHECK_RC(env_flush(&e), 0);
    m = env_meta(&e);
    CHECK(m.docs == 1 && m.deleted == 2 && m.next_doc == 3 && m.sum_body == 1);
    CHECK(counts(&e, "202", 0, 2, 0));
    CHECK(counts(&e, "101", 0, 1, 0));
    CHECK(counts(&e, "303", 1, 1, 1));
    CHECK_RC(ni_docinfo_get(env_read(&e), 0, &di), 0);
    CHECK(di.len_title == NI_DELETED);
    CHECK_RC(ni_docinfo_get(env_read(&e), 1, &di), 0);
    CHECK(di.len_title == NI_DELETED);
    CHECK_RC(ni_docinfo_get(env_read(&e), 2, &di), 0);
    CHECK(di.len_title == 0 && di.len_body == 1);
    CHECK(ni_txn_get(env_read(&e), NI_T_IDS, "d1", 2, &v) == NI_ENOTFOUND);
    CHECK_RC(ni_txn_get(env_read(&e), NI_T_IDS, "d2", 2, &v), 0);
    CHECK(ni_get_be32(v.data) == 2);
    CHECK(ni_stored_head(env_read(&e), 0, &v) == NI_ECORRUPT);
    CHECK_RC(ni_stored_head(env_read(&e), 2, &v), 0);
    env_close(&e);
}

/* n documents with term 7 in one batch: 128 make one block, 129 two. */
static void blocks_of_one_batch(void)
{
    uint32_t last[4], ndocs[4];
    env e;

    env_open(&e);
    CHECK_RC(env_add_many(&e, "a", 0, 128, "7"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_keys(&e, "7", last, ndocs) == 1 && last[0] == 127 && ndocs[0] == 128);
    env_close(&e);

    env_open(&e);
    CHECK_RC(env_add_many(&e, "a", 0, 129, "7"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_keys(&e, "7", last, ndocs) == 2);
    CHECK(last[0] == 127 && ndocs[0] == 128 && last[1] == 128 && ndocs[1] == 1);
    env_close(&e);
}

/* A later batch's postings join the term's last block while it has fewer
 * than 128 documents. */
static void blocks_across_batches(void)
{
    uint32_t last[4], ndocs[4], docs[200];
    ni_term_info ti;
    size_t i;
    env e;
    int ok = 1;

    env_open(&e);
    CHECK_RC(env_add_many(&e, "a", 0, 127, "7"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_term(&e, "7", &ti), 0);
    CHECK(ti.block == NULL && ti.df == 127);
    CHECK(env_keys(&e, "7", last, ndocs) == 1 && last[0] == 126 && ndocs[0] == 127);
    CHECK_RC(env_add_many(&e, "a", 127, 1, "7"), 0);   /* 127 + 1: one full block */
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_keys(&e, "7", last, ndocs) == 1 && last[0] == 127 && ndocs[0] == 128);
    CHECK_RC(env_add_many(&e, "a", 128, 1, "7"), 0);   /* 128 + 1: a new block */
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_keys(&e, "7", last, ndocs) == 2);
    CHECK(last[0] == 127 && ndocs[0] == 128 && last[1] == 128 && ndocs[1] == 1);
    CHECK_RC(env_add_many(&e, "a", 129, 2, "7"), 0);   /* 1 + 2 in the last one */
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_keys(&e, "7", last, ndocs) == 2);
    CHECK(last[0] == 127 && ndocs[0] == 128 && last[1] == 130 && ndocs[1] == 3);
    CHECK(counts(&e, "7", 131, 131, 131));
    CHECK(env_docs(&e, "7", docs, 200) == 131);
    for (i = 0; i < 131; i++)
        ok &= docs[i] == i;
    CHECK(ok);
    env_close(&e);

    env_open(&e);
    CHECK_RC(env_add_many(&e, "a", 0, 127, "7"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_add_many(&e, "a", 127, 2, "7"), 0);   /* 127 + 2: 128 and 1 */
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_keys(&e, "7", last, ndocs) == 2);
    CHECK(last[0] == 127 && ndocs[0] == 128 && last[1] == 128 && ndocs[1] == 1);
    env_close(&e);
}

/* The size of the block of one document whose body is the term n times
 * (positions NI_BODY_GAP.., as the inverter gives them). */
static size_t block_size(uint32_t n)
{
    static uint32_t pos[1000];
    ni_buf out = NI_BUF_INIT;
    ni_posting p;
    uint32_t i;
    size_t len;

    for (i = 0; i < n; i++)
        pos[i] = NI_BODY_GAP + i;
    p.doc = 0;
    p.tf_title = 0;
    p.tf_body = n;
    p.len_title = 0;
    p.len_body = n;
    p.pos = pos;
    len = ni_block_encode(&out, &p, 1) == 0 ? out.len : 0;
    ni_buf_free(&out);
    return len;
}

/* A body of the term 7, n times. */
static const char *sevens(uint32_t n)
{
    static char text[2000];
    uint32_t i;
    for (i = 0; i < n; i++) {
        text[2 * i] = '7';
        text[2 * i + 1] = ' ';
    }
    text[n ? 2 * n - 1 : 0] = 0;
    return text;
}

/* A term's only block stays in its lexicon value up to NI_INLINE_MAX
 * bytes; one byte more and it goes to the postings table. */
static void inline_boundary(void)
{
    uint32_t n, last[4], ndocs[4];
    ni_term_info ti;
    ni_val v;
    env e;

    for (n = 1; n < 900 && block_size(n) < NI_INLINE_MAX; n++)
        ;
    CHECK(block_size(n) == NI_INLINE_MAX && block_size(n + 1) == NI_INLINE_MAX + 1);

    env_open(&e);
    CHECK_RC(env_add(&e, "d", sevens(n)), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_term(&e, "7", &ti), 0);
    CHECK(ti.block != NULL && ti.block_len == NI_INLINE_MAX && ti.cf == n);
    CHECK(env_keys(&e, "7", last, ndocs) == 0);
    /* kind 2: the block alone, its counts are the lexicon's */
    CHECK_RC(ni_txn_get(env_read(&e), NI_T_TERMS, "7", 1, &v), 0);
    CHECK(v.len == 1 + NI_INLINE_MAX && v.data[0] == 2);
    /* a later batch makes it larger: into the table */
    CHECK_RC(env_add(&e, "d2", "7"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_term(&e, "7", &ti), 0);
    CHECK(ti.block == NULL && ti.df == 2 && ti.cf == n + 1 && ti.max_tf_body == n);
    CHECK(env_keys(&e, "7", last, ndocs) == 1 && last[0] == 1 && ndocs[0] == 2);
    env_close(&e);

    env_open(&e);
    CHECK_RC(env_add(&e, "d", sevens(n + 1)), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_term(&e, "7", &ti), 0);
    CHECK(ti.block == NULL && ti.df == 1 && ti.cf == n + 1);
    CHECK(env_keys(&e, "7", last, ndocs) == 1 && last[0] == 0 && ndocs[0] == 1);
    env_close(&e);

    /* small ones grow inline over several batches */
    env_open(&e);
    CHECK_RC(env_add(&e, "d", "7"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_add(&e, "d2", "7 7"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_term(&e, "7", &ti), 0);
    CHECK(ti.block != NULL && ti.df == 2 && ti.cf == 3 && ti.max_tf_body == 2);
    CHECK(ti.min_len_body == 1);
    env_close(&e);
}

/* A body of n bytes: numbers from a fixed sequence, spaces between. */
static void numbers(char *text, size_t n, uint32_t *seed)
{
    size_t i = 0;
    while (i < n) {
        *seed = *seed * 1103515245u + 12345u;
        i += (size_t)snprintf(text + i, n + 1 - i, "%u ", (*seed >> 8) % 100000);
    }
    text[n] = 0;
    if (n)
        text[n - 1] = '7';
}

/* The packed size of a document with this body (what the batch keeps). */
static size_t packed(const char *id, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    ni_buf out = NI_BUF_INIT;
    size_t len;
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = strlen(text);
    len = ni_record_pack(&out, &d) == 0 ? out.len : 0;
    ni_buf_free(&out);
    return len;
}

/* Fills the batch with live records of exactly total packed bytes (from
 * 3 KB), after a large copy of n0 that a short one replaces; 0 or <0. */
static int fill(env *e, size_t total)
{
    static char text[2200];
    uint32_t seed = 1, s;
    size_t sum, len;
    char id[16];
    int i, rc;

    numbers(text, 1000, &seed);
    if ((rc = env_add(e, "n0", text)) < 0 || (rc = env_add(e, "n0", "7")) < 0)
        return rc;
    sum = packed("n0", "7");
    for (i = 1; total - sum > 2100; i++) {
        snprintf(id, sizeof id, "n%d", i);
        numbers(text, 1000, &seed);
        if ((rc = env_add(e, id, text)) < 0)
            return rc;
        sum += packed(id, text);
    }
    for (len = 1; len < sizeof text - 1; len++) {
        s = seed;
        numbers(text, len, &s);
        if (sum + packed("last", text) == total)
            return env_add(e, "last", text);
    }
    return -100;
}

/* The stored records' dictionary is trained by the first flush with at
 * least DICT_MIN_BATCH (1 MiB) bytes of live records, and kept. */
static void dictionary(void)
{
    ni_record_codec *codec = NULL;
    ni_record_dict *dict = NULL;
    ni_buf raw = NI_BUF_INIT, dec = NI_BUF_INIT, first = NI_BUF_INIT;
    ni_val v;
    ni_doc d;
    env e;

    env_open(&e);
    CHECK_RC(fill(&e, ((size_t)1 << 20) - 1), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(ni_dict_read(env_read(&e), &v) == NI_ENOTFOUND);
    env_close(&e);

    env_open(&e);
    CHECK_RC(fill(&e, (size_t)1 << 20), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(ni_dict_read(env_read(&e), &v), 0);
    ni_buf_put(&first, v.data, v.len);
    /* a new writer reads it from the index */
    ni_flush_free(e.f);
    CHECK_RC(ni_flush_new(&e.f, e.s), 0);
    CHECK_RC(env_add(&e, "more", "12 34 56"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(ni_dict_read(env_read(&e), &v), 0);
    CHECK(v.len == first.len && memcmp(v.data, first.data, v.len) == 0);
    /* records read back with it: the replacing copy, the last batch's */
    CHECK_RC(ni_record_codec_new(&codec), 0);
    CHECK_RC(ni_record_dict_new(&dict, v.data, v.len), 0);
    ni_record_codec_set_dict(codec, dict);
    CHECK_RC(ni_txn_get(env_read(&e), NI_T_IDS, "n0", 2, &v), 0);
    CHECK_RC(ni_stored_get(env_read(&e), ni_get_be32(v.data), &raw, &v), 0);
    CHECK(v.len > 0 && v.data[0] == 5);
    CHECK_RC(ni_record_decode(codec, &dec, &d, v.data, v.len), 0);
    CHECK(d.text_len == 1 && d.text[0] == '7');
    CHECK_RC(ni_txn_get(env_read(&e), NI_T_IDS, "more", 4, &v), 0);
    CHECK_RC(ni_stored_get(env_read(&e), ni_get_be32(v.data), &raw, &v), 0);
    CHECK(v.len > 0 && v.data[0] == 5);         /* record format 5: with the dictionary */
    CHECK_RC(ni_record_decode(codec, &dec, &d, v.data, v.len), 0);
    CHECK(d.text_len == 8 && memcmp(d.text, "12 34 56", 8) == 0);
    ni_record_codec_free(codec);
    ni_record_dict_free(dict);
    ni_buf_free(&raw);
    ni_buf_free(&dec);
    ni_buf_free(&first);
    env_close(&e);
}

/* ---- compaction ---------------------------------------------------------- */

/* Every key and value of a table, end to end. */
static void table_bytes(env *e, enum ni_table tb, ni_buf *out)
{
    ni_cursor *c = NULL;
    ni_val k, v;
    int rc;
    out->len = 0;
    if (ni_cursor_open(&c, env_read(e), tb) < 0)
        return;
    for (rc = ni_cursor_first(c); rc == 0; rc = ni_cursor_next(c))
        if (ni_cursor_get(c, &k, &v) == 0) {
            ni_buf_put(out, k.data, k.len);
            ni_buf_put(out, v.data, v.len);
        }
    ni_cursor_close(c);
}

static int same_buf(const ni_buf *a, const ni_buf *b)
{
    return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void compaction(void)
{
    static const char *const terms[] = { "7", "8", "5", "4", "6" };
    static const enum ni_table same_tables[] = { NI_T_DOCS, NI_T_IDS, NI_T_DOCINFO };
    ni_buf before[5], after = NI_BUF_INIT, tb[3];
    uint32_t last[4], ndocs[4];
    char id[16], text[200];
    ni_term_info ti;
    size_t i;
    ni_meta m;
    env e;

    memset(before, 0, sizeof before);
    memset(tb, 0, sizeof tb);
    env_open(&e);
    ni_flush_set_reclaim(e.f, 101);             /* all left to compaction */
    for (i = 0; i < 200; i++) {
        snprintf(id, sizeof id, "c%zu", i);
        snprintf(text, sizeof text, "7%s%s", i % 2 ? "" : " 8",
                 i < 10 ? " 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4" : "");
        CHECK_RC(env_add(&e, id, text), 0);
    }
    CHECK_RC(env_add_many(&e, "r", 0, 3, "5 7"), 0);  /* docs 200..202 */
    CHECK_RC(env_add(&e, "gone", "6 7"), 0);          /* doc 203 */
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(env_term(&e, "4", &ti), 0);
    CHECK(ti.block == NULL && ti.df == 10);           /* in the table */
    for (i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "c%zu", i);
        CHECK_RC(env_delete(&e, id), 0);
    }
    CHECK_RC(env_delete(&e, "c150"), 0);
    CHECK_RC(env_delete(&e, "r1"), 0);
    CHECK_RC(env_delete(&e, "gone"), 0);
    CHECK_RC(env_flush(&e), 0);
    m = env_meta(&e);
    CHECK(m.deleted == 13 && m.docs == 191);
    for (i = 0; i < 5; i++)
        CHECK_RC(env_postings(&e, terms[i], 1, &before[i]), 0);
    for (i = 0; i < 3; i++)
        table_bytes(&e, same_tables[i], &tb[i]);

    CHECK_RC(env_compact(&e), 0);
    m = env_meta(&e);
    CHECK(m.deleted == 0 && m.docs == 191 && m.next_doc == 204);
    /* the postings of live documents are as they were, the others gone */
    for (i = 0; i < 5; i++) {
        CHECK_RC(env_postings(&e, terms[i], 1, &after), 0);
        CHECK(same_buf(&before[i], &after));
    }
    CHECK(counts(&e, "7", 191, 191, 191));
    /* 10..137 (128 documents), then 138..202 but 150 and 201 */
    CHECK(env_keys(&e, "7", last, ndocs) == 2);
    CHECK(last[0] == 137 && ndocs[0] == 128 && last[1] == 202 && ndocs[1] == 63);
    CHECK_RC(env_term(&e, "8", &ti), 0);
    CHECK(ti.df == 94 && ti.postings == 94);
    CHECK_RC(env_term(&e, "5", &ti), 0);
    CHECK(ti.df == 2 && ti.postings == 2 && ti.block != NULL);
    CHECK(env_term(&e, "4", &ti) == NI_ENOTFOUND);
    CHECK(env_keys(&e, "4", last, ndocs) == 0);
    CHECK(env_term(&e, "6", &ti) == NI_ENOTFOUND);
    /* documents, ids and docinfo are not compaction's */
    for (i = 0; i < 3; i++) {
        table_bytes(&e, same_tables[i], &after);
        CHECK(same_buf(&tb[i], &after));
    }
    /* nothing left to do: a second compaction changes nothing */
    table_bytes(&e, NI_T_POSTINGS, &tb[0]);
    CHECK_RC(env_compact(&e), 0);
    table_bytes(&e, NI_T_POSTINGS, &after);
    CHECK(same_buf(&tb[0], &after));
    for (i = 0; i < 5; i++)
        ni_buf_free(&before[i]);
    for (i = 0; i < 3; i++)
        ni_buf_free(&tb[i]);
    ni_buf_free(&after);
    env_close(&e);
}

/* Deletes documents x<first>..x<first + n - 1> and flushes; 0 or <0. */
static int delete_range(env *e, int first, int n)
{
    char id[16];
    int i, rc = 0;
    for (i = first; i < first + n && rc == 0; i++) {
        snprintf(id, sizeof id, "x%d", i);
        rc = env_delete(e, id);
    }
    return rc < 0 ? rc : env_flush(e);
}

/* Incremental reclamation of a term in the postings table: a flush that
 * deletes documents rewrites the term once its deleted postings reach the
 * share (20 % by default): 39 of 200 leave it, the 40th rewrites it
 * without the 40, in blocks of the documents left; the other term of the
 * same documents, with more postings, keeps its share under it. */
static void reclaim_table_term(void)
{
    ni_buf live = NI_BUF_INIT, now = NI_BUF_INIT;
    uint32_t last[4], ndocs[4];
    ni_term_info ti;
    env e;

    env_open(&e);
    ni_flush_set_reclaim(e.f, 0);               /* 0: the default, 20 % */
    CHECK_RC(env_add_many(&e, "x", 0, 200, "7 8"), 0);
    CHECK_RC(env_add_many(&e, "y", 0, 200, "8"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(delete_range(&e, 0, 39), 0);
    CHECK(counts(&e, "7", 161, 200, 161));
    CHECK(env_keys(&e, "7", last, ndocs) == 2 && ndocs[0] == 128 && ndocs[1] == 72);
    CHECK_RC(env_postings(&e, "7", 1, &live), 0);
    CHECK_RC(delete_range(&e, 39, 1), 0);         /* 40 of 200: 20 % */
    CHECK(counts(&e, "7", 160, 160, 160));
    CHECK(env_keys(&e, "7", last, ndocs) == 2);
    CHECK(last[0] == 167 && ndocs[0] == 128 && last[1] == 199 && ndocs[1] == 32);
    CHECK_RC(env_postings(&e, "7", 0, &now), 0);
    CHECK(now.len == live.len - 3 * 4 - 4 && now.len > 0 &&
          memcmp(now.data, live.data + 16, now.len) == 0);
    /* "8": 40 of 400 deleted, 10 % */
    CHECK(counts(&e, "8", 360, 400, 360));
    CHECK_RC(env_term(&e, "7", &ti), 0);
    CHECK(ti.block == NULL && ti.max_tf_body == 1);
    CHECK(env_meta(&e).deleted == 40 && env_meta(&e).docs == 360);
    ni_buf_free(&live);
    ni_buf_free(&now);
    env_close(&e);
}

/* The same for a term inline in its lexicon value, at another share: 2 of
 * 10 deleted stay under 25 %, the 3rd (30 %) rewrites it inline; a term
 * whose documents are all deleted leaves the lexicon.  Above 100 % the
 * flush never reclaims. */
static void reclaim_inline_term(void)
{
    ni_term_info ti;
    uint32_t docs[16];
    env e;

    env_open(&e);
    ni_flush_set_reclaim(e.f, 25);
    CHECK_RC(env_add_many(&e, "x", 0, 10, "5"), 0);
    CHECK_RC(env_add(&e, "z", "6"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(delete_range(&e, 0, 2), 0);
    CHECK(counts(&e, "5", 8, 10, 8));
    CHECK_RC(delete_range(&e, 2, 1), 0);
    CHECK(counts(&e, "5", 7, 7, 7));
    CHECK_RC(env_term(&e, "5", &ti), 0);
    CHECK(ti.block != NULL);
    CHECK(env_docs(&e, "5", docs, 16) == 7 && docs[0] == 3 && docs[6] == 9);
    CHECK_RC(env_delete(&e, "z"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_term(&e, "6", &ti) == NI_ENOTFOUND);
    env_close(&e);

    env_open(&e);
    ni_flush_set_reclaim(e.f, 101);
    CHECK_RC(env_add_many(&e, "x", 0, 10, "5"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(delete_range(&e, 0, 10), 0);
    CHECK(counts(&e, "5", 0, 10, 0));
    env_close(&e);
}

/* A batch that adds to a term takes its last block (or inline block) and
 * leaves out the postings of deleted documents in it, whatever the share;
 * the blocks before it stay as they were. */
static void reclaim_last_block(void)
{
    uint32_t last[4], ndocs[4], docs[16];
    ni_buf first = NI_BUF_INIT, after = NI_BUF_INIT;
    ni_val blocks[4];
    env e;

    env_open(&e);
    ni_flush_set_reclaim(e.f, 101);
    CHECK_RC(env_add_many(&e, "x", 0, 150, "7"), 0);
    CHECK_RC(env_add_many(&e, "w", 0, 10, "5"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK_RC(delete_range(&e, 0, 1), 0);          /* doc 0, in the first block */
    CHECK_RC(delete_range(&e, 140, 5), 0);        /* docs 140..144, in the last */
    CHECK_RC(env_delete(&e, "w3"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(counts(&e, "7", 144, 150, 144) && counts(&e, "5", 9, 10, 9));
    CHECK(env_blocks(&e, "7", 0, blocks, last, 4) == 2);
    CHECK_RC(ni_buf_put(&first, blocks[0].data, blocks[0].len), 0);
    CHECK_RC(env_add(&e, "x150", "7 5"), 0);      /* doc 160 */
    CHECK_RC(env_flush(&e), 0);
    CHECK(counts(&e, "7", 145, 146, 145));
    CHECK(env_keys(&e, "7", last, ndocs) == 2);
    CHECK(last[0] == 127 && ndocs[0] == 128 && last[1] == 160 && ndocs[1] == 18);
    CHECK(env_blocks(&e, "7", 0, blocks, last, 4) == 2);
    CHECK_RC(ni_buf_put(&after, blocks[0].data, blocks[0].len), 0);
    CHECK(same_buf(&first, &after));
    CHECK(counts(&e, "5", 10, 10, 10));
    CHECK(env_docs(&e, "5", docs, 16) == 10 && docs[2] == 152 && docs[3] == 154 &&
          docs[9] == 160);
    ni_buf_free(&first);
    ni_buf_free(&after);
    env_close(&e);

    /* a term's only block in the table, too big to be inline, goes inline
     * when the deleted documents that made it big are left out */
    env_open(&e);
    ni_flush_set_reclaim(e.f, 101);
    CHECK_RC(env_add_many(&e, "x", 0, 10, "4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4 4"),
             0);
    CHECK_RC(env_add(&e, "y", "4"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(env_keys(&e, "4", last, ndocs) == 1);
    CHECK_RC(delete_range(&e, 0, 10), 0);
    CHECK_RC(env_add(&e, "z", "4"), 0);
    CHECK_RC(env_flush(&e), 0);
    CHECK(counts(&e, "4", 2, 2, 2));
    CHECK(env_keys(&e, "4", last, ndocs) == 0);
    CHECK(env_docs(&e, "4", docs, 16) == 2 && docs[0] == 10 && docs[1] == 11);
    env_close(&e);
}

TEST_MAIN(TEST(one_batch), TEST(replaced_in_batch), TEST(deleted_committed),
          TEST(blocks_of_one_batch), TEST(blocks_across_batches), TEST(inline_boundary),
          TEST(dictionary), TEST(compaction), TEST(reclaim_table_term),
          TEST(reclaim_inline_term), TEST(reclaim_last_block))
