/*
 * Unit tests of index verification (lib/check.c, ni_index_check): a clean
 * index passes (with deleted documents, after compaction) and reports what
 * it walked; then, on copies of it, each table is damaged through the
 * store layer in each way the check is meant to detect, and the check must
 * return NI_ECORRUPT with a message naming that inconsistency.
 *
 * The index: 300 documents n0 .. n299 (internal ids 0 .. 299), each with
 * the title «общий заголовок» (a term in every document: three posting
 * blocks in the postings table) and a body «текст номер <i>» (the number
 * a rare term: its one block inline in the lexicon); n5 deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/layout.h"
#include "../lib/mem.h"
#include "../lib/record.h"
#include "test.h"
#include "tmpdir.h"

#define NDOCS 300
#define DELETED_DOC 5

static char clean[256];
static char common[64];     /* the term of «заголовок» */
static size_t common_len;

/* The term the analyzer makes of word. */
static void term_of(const char *word, char *out, size_t *len)
{
    ni_analyzer *an = NULL;
    ni_token tok;
    *len = 0;
    if (ni_analyzer_new(&an) == 0 && ni_analyzer_start(an, word, strlen(word), 0) == 0 &&
        ni_analyzer_next(an, &tok) == 0 && tok.term_len < 64) {
        memcpy(out, tok.term, tok.term_len);
        *len = tok.term_len;
    }
    ni_analyzer_free(an);
}

static void build(void)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    char id[16], text[64];
    int i;

    snprintf(clean, sizeof clean, "%s", test_new_dir());
    term_of("заголовок", common, &common_len);
    CHECK(common_len > 0);
    o.reclaim_percent = 101;    /* the deleted postings left to compaction */
    CHECK_RC(ni_index_open(&idx, clean, &o), 0);
    for (i = 0; i < NDOCS; i++) {
        ni_doc d = NI_DOC_INIT;
        snprintf(id, sizeof id, "n%d", i);
        snprintf(text, sizeof text, "текст номер %d", i);
        d.id = id;
        d.id_len = strlen(id);
        d.title = "общий заголовок";
        d.title_len = strlen(d.title);
        d.text = text;
        d.text_len = strlen(text);
        d.date = 1700000000 + i * 3600;
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_delete(idx, "n5", 2), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
}

/* ni_index_check of the index at path (opened read-only). */
static int check(const char *path, ni_index_check_stats *st)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    int rc;
    o.flags = NI_OPEN_READONLY;
    if ((rc = ni_index_open(&idx, path, &o)) < 0)
        return rc;
    rc = ni_index_check(st, idx);
    ni_index_close(idx);
    return rc;
}

static void clean_index(void)
{
    ni_index_check_stats st;
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_term_info ti;
    uint64_t terms = 0, blocks = 0;
    ni_index *idx = NULL;

    CHECK_RC(check(clean, &st), 0);
    CHECK(st.docs == NDOCS - 1);
    CHECK_RC(ni_store_open(&s, clean, NI_STORE_READONLY, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 0), 0);
    CHECK_RC(ni_txn_count(t, NI_T_TERMS, &terms), 0);
    CHECK_RC(ni_txn_count(t, NI_T_POSTINGS, &blocks), 0);
    CHECK_RC(ni_term_info_read(t, common, common_len, &ti), 0);
    CHECK(ti.block == NULL && ti.df == NDOCS - 1 && ti.postings == NDOCS);
    CHECK_RC(ni_term_info_read(t, "7", 1, &ti), 0);
    CHECK(ti.block != NULL);
    ni_txn_abort(t);
    ni_store_close(s);
    /* every lexicon entry; the table's blocks and one inline block for
     * each term without any (all but «общий», «заголовок», «текст», «номер») */
    CHECK(blocks == 3 * 4);
    CHECK(st.terms == terms && st.blocks == blocks + (terms - 4));
    CHECK_RC(ni_index_check(NULL, NULL), NI_EINVAL);
    /* after compaction, without the deleted document's postings */
    {
        char path[256], cmd[600];
        snprintf(path, sizeof path, "%s", test_new_dir());
        snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", clean, path);
        CHECK(system(cmd) == 0);
        CHECK_RC(ni_index_open(&idx, path, NULL), 0);
        CHECK_RC(ni_index_compact(idx), 0);
        CHECK_RC(ni_index_check(&st, idx), 0);
        CHECK(st.docs == NDOCS - 1 && st.terms == terms - 1);   /* «5» is gone */
        ni_index_close(idx);
        /* no term counts a posting of the deleted document any more */
        {
            ni_cursor *c = NULL;
            ni_val k, v;
            uint64_t more = 0;
            int rc;
            CHECK_RC(ni_store_open(&s, path, NI_STORE_READONLY, 0, 0), 0);
            CHECK_RC(ni_txn_begin(&t, s, 0), 0);
            CHECK_RC(ni_term_info_read(t, common, common_len, &ti), 0);
            CHECK(ti.df == NDOCS - 1 && ti.postings == NDOCS - 1);
            CHECK_RC(ni_cursor_open(&c, t, NI_T_TERMS), 0);
            for (rc = ni_cursor_first(c); rc == 0; rc = ni_cursor_next(c))
                if (ni_cursor_get(c, &k, &v) != 0 || ni_term_info_decode(&ti, v.data, v.len) != 0 ||
                    ti.postings != ti.df)
                    more++;
            CHECK(rc == NI_DONE && more == 0);
            ni_cursor_close(c);
            ni_txn_abort(t);
            ni_store_close(s);
        }
    }
}

/* ---- damages: each returns 0 when it could be done -------------------- */

static int put_doc_key(ni_txn *t, enum ni_table tb, uint32_t doc, const void *v, size_t n)
{
    unsigned char key[4];
    ni_put_be32(key, doc);
    return ni_txn_put(t, tb, key, 4, v, n);
}

static int stats_docs(ni_txn *t)
{
    ni_meta m;
    int rc = ni_meta_read(t, &m);
    m.docs++;
    return rc < 0 ? rc : ni_meta_write(t, &m);
}

static int stats_lengths(ni_txn *t)
{
    ni_meta m;
    int rc = ni_meta_read(t, &m);
    m.sum_body++;
    return rc < 0 ? rc : ni_meta_write(t, &m);
}

/* Chunk 1 (docs 254 .. 299) one entry short. */
static int docinfo_short(ni_txn *t)
{
    unsigned char key[4];
    ni_val v;
    int rc;
    ni_put_be32(key, 1);
    if ((rc = ni_txn_get(t, NI_T_DOCINFO, key, 4, &v)) < 0)
        return rc;
    return v.len == 46 * NI_DOCINFO_ENTRY ? ni_txn_put(t, NI_T_DOCINFO, key, 4, v.data,
                                                       v.len - NI_DOCINFO_ENTRY) : -1;
}

/* The docinfo date of doc 7 one second later. */
static int docinfo_date(ni_txn *t)
{
    unsigned char key[4], chunk[NI_DOCINFO_CHUNK * NI_DOCINFO_ENTRY];
    ni_docinfo di;
    ni_val v;
    int rc;
    ni_put_be32(key, 0);
    if ((rc = ni_txn_get(t, NI_T_DOCINFO, key, 4, &v)) < 0 || v.len != sizeof chunk)
        return -1;
    memcpy(chunk, v.data, v.len);
    ni_docinfo_decode(chunk + 7 * NI_DOCINFO_ENTRY, &di);
    di.date++;
    ni_docinfo_encode(chunk + 7 * NI_DOCINFO_ENTRY, &di);
    return ni_txn_put(t, NI_T_DOCINFO, key, 4, chunk, sizeof chunk);
}

static int id_value(ni_txn *t)
{
    return ni_txn_put(t, NI_T_IDS, "n7", 2, "\0\0\7", 3);
}

static int id_deleted(ni_txn *t)
{
    return ni_txn_put(t, NI_T_IDS, "n7", 2, "\0\0\0\5", 4);
}

static int id_beyond(ni_txn *t)
{
    unsigned char v[4];
    ni_put_be32(v, NDOCS);
    return ni_txn_put(t, NI_T_IDS, "n7", 2, v, 4);
}

static int id_missing(ni_txn *t)
{
    return ni_txn_del(t, NI_T_IDS, "n7", 2);
}

/* Doc 7's record made again with the id n8. */
static int stored_other_id(ni_txn *t)
{
    ni_record_codec *c = NULL;
    ni_buf scratch = NI_BUF_INIT, rec = NI_BUF_INIT;
    ni_doc d;
    ni_val v;
    int rc;
    if ((rc = ni_stored_head(t, 7, &v)) == 0 && (rc = ni_record_codec_new(&c)) == 0 &&
        (rc = ni_record_decode(c, &scratch, &d, v.data, v.len)) == 0) {
        d.id = "n8";
        if ((rc = ni_record_encode(c, &rec, &d)) == 0)
            rc = put_doc_key(t, NI_T_DOCS, 7, rec.data, rec.len);
    }
    ni_record_codec_free(c);
    ni_buf_free(&scratch);
    ni_buf_free(&rec);
    return rc;
}

static int stored_missing(ni_txn *t)
{
    return ni_stored_del(t, 7);
}

static int stored_garbage(ni_txn *t)
{
    return put_doc_key(t, NI_T_DOCS, 7, "\x04garbage", 8);
}

/* The last byte (of zstd's content checksum) of documents 7 and 9 flipped:
 * both are named. */
static int stored_flips(ni_txn *t)
{
    unsigned char rec[4096];
    ni_buf b = NI_BUF_INIT;
    ni_val v;
    uint32_t doc;
    int rc = 0;
    for (doc = 7; doc <= 9 && rc == 0; doc += 2) {
        if ((rc = ni_stored_get(t, doc, &b, &v)) < 0 || v.len > sizeof rec)
            break;
        memcpy(rec, v.data, v.len);
        rec[v.len - 1] ^= 1;
        rc = put_doc_key(t, NI_T_DOCS, doc, rec, v.len);
    }
    ni_buf_free(&b);
    return rc;
}

/* The first byte of document 7's id: its head check fails. */
static int stored_head_flip(ni_txn *t)
{
    unsigned char rec[4096];
    ni_buf b = NI_BUF_INIT;
    ni_val v;
    int rc = ni_stored_get(t, 7, &b, &v);
    if (rc == 0 && v.len <= sizeof rec) {
        memcpy(rec, v.data, v.len);
        rec[2] ^= 0x20;
        rc = put_doc_key(t, NI_T_DOCS, 7, rec, v.len);
    }
    ni_buf_free(&b);
    return rc;
}

static int stored_extra(ni_txn *t)
{
    ni_val v;
    int rc = ni_stored_head(t, 7, &v);
    return rc < 0 ? rc : ni_stored_put(t, NDOCS, v.data, v.len);
}

/* A part after doc 7's record, which is not cut. */
static int stored_stray_part(ni_txn *t)
{
    unsigned char key[8];
    ni_put_be32(key, 7);
    ni_put_be32(key + 4, 1);
    return ni_txn_put(t, NI_T_DOCS, key, 8, "part", 4);
}

static int lexicon_value(ni_txn *t)
{
    return ni_txn_put(t, NI_T_TERMS, common, common_len, "\x05", 1);
}

static int lexicon_key_long(ni_txn *t)
{
    char key[NI_MAX_WORD_BYTES * 2 + 1];
    unsigned char v[NI_TERM_INFO_MAX];
    ni_term_info ti;
    int rc = ni_term_info_read(t, "7", 1, &ti);
    memset(key, 'z', sizeof key);
    return rc < 0 ? rc : ni_txn_put(t, NI_T_TERMS, key, sizeof key, v,
                                     ni_term_info_encode(v, &ti));
}

/* Changes the lexicon entry of the common term with fn. */
static int edit_common(ni_txn *t, void (*fn)(ni_term_info *))
{
    ni_term_info ti;
    int rc = ni_term_info_read(t, common, common_len, &ti);
    if (rc < 0)
        return rc;
    fn(&ti);
    return ni_term_info_write(t, common, common_len, &ti, 0);
}

static void df_down(ni_term_info *ti) { ti->df--; }
static void postings_up(ni_term_info *ti) { ti->postings++; }
static void cf_up(ni_term_info *ti) { ti->cf++; }
static void tf_bound_down(ni_term_info *ti) { ti->max_tf_title = 0; }
static void len_bound_up(ni_term_info *ti) { ti->min_len_body = 100; }
static int lexicon_df(ni_txn *t) { return edit_common(t, df_down); }
static int lexicon_postings(ni_txn *t) { return edit_common(t, postings_up); }
static int lexicon_cf(ni_txn *t) { return edit_common(t, cf_up); }
static int lexicon_tf_bound(ni_txn *t) { return edit_common(t, tf_bound_down); }
static int lexicon_len_bound(ni_txn *t) { return edit_common(t, len_bound_up); }

/* The key and value of the n-th block of the common term (copied). */
static int common_block(ni_txn *t, int n, unsigned char *key, size_t *klen,
                        ni_buf *val)
{
    unsigned char k[NI_POSTING_KEY_MAX];
    ni_cursor *c = NULL;
    ni_val kv, vv;
    int rc;
    if ((rc = ni_cursor_open(&c, t, NI_T_POSTINGS)) < 0)
        return rc;
    rc = ni_cursor_seek(c, k, ni_posting_key(k, common, common_len, 0));
    while (rc == 0 && n-- > 0)
        rc = ni_cursor_next(c);
    if (rc == 0 && (rc = ni_cursor_get(c, &kv, &vv)) == 0) {
        memcpy(key, kv.data, kv.len);
        *klen = kv.len;
        val->len = 0;
        rc = ni_buf_put(val, vv.data, vv.len);
    }
    ni_cursor_close(c);
    return rc == 0 && *klen == common_len + 5 ? 0 : -1;
}

/* The last block of the common term moved to the key of its last doc + 1. */
static int block_key(ni_txn *t)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_buf v = NI_BUF_INIT;
    size_t klen;
    int rc;
    if ((rc = common_block(t, 2, key, &klen, &v)) == 0 &&
        (rc = ni_txn_del(t, NI_T_POSTINGS, key, klen)) == 0) {
        ni_put_be32(key + common_len + 1, ni_get_be32(key + common_len + 1) + 1);
        rc = ni_txn_put(t, NI_T_POSTINGS, key, klen, v.data, v.len);
    }
    ni_buf_free(&v);
    return rc;
}

/* A copy of the first block under its last doc + 1, before the second. */
static int block_overlap(ni_txn *t)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_buf v = NI_BUF_INIT;
    size_t klen;
    int rc;
    if ((rc = common_block(t, 0, key, &klen, &v)) == 0) {
        ni_put_be32(key + common_len + 1, ni_get_be32(key + common_len + 1) + 1);
        rc = ni_txn_put(t, NI_T_POSTINGS, key, klen, v.data, v.len);
    }
    ni_buf_free(&v);
    return rc;
}

/* A block of doc 127 alone, the first block's last document, under the
 * key 128 (before the second block). */
static int block_touch(ni_txn *t)
{
    static const uint32_t pos[1] = { 1 };
    ni_posting p = { 127, 1, 0, 2, 3, pos, 0 };
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_buf b = NI_BUF_INIT, v = NI_BUF_INIT;
    size_t klen;
    int rc;
    if ((rc = common_block(t, 0, key, &klen, &v)) == 0 &&
        (rc = ni_get_be32(key + common_len + 1) == 127 ? 0 : -1) == 0 &&
        (rc = ni_block_encode(&b, &p, 1)) == 0)
        rc = ni_txn_put(t, NI_T_POSTINGS, key, ni_posting_key(key, common, common_len, 128),
                        b.data, b.len);
    ni_buf_free(&b);
    ni_buf_free(&v);
    return rc;
}

/* The second block's format byte changed. */
static int block_bytes(ni_txn *t)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_buf v = NI_BUF_INIT;
    size_t klen;
    int rc;
    if ((rc = common_block(t, 1, key, &klen, &v)) == 0) {
        v.data[0] ^= 0x40;
        rc = ni_txn_put(t, NI_T_POSTINGS, key, klen, v.data, v.len);
    }
    ni_buf_free(&v);
    return rc;
}

/* A block for a term the lexicon does not have. */
static int orphan_block(ni_txn *t)
{
    unsigned char key[NI_POSTING_KEY_MAX], k2[NI_POSTING_KEY_MAX];
    ni_buf v = NI_BUF_INIT;
    size_t klen;
    int rc;
    if ((rc = common_block(t, 0, key, &klen, &v)) == 0)
        rc = ni_txn_put(t, NI_T_POSTINGS, k2, ni_posting_key(k2, "zzz", 3, 7), v.data, v.len);
    ni_buf_free(&v);
    return rc;
}

/* The inline term «7» also given a block in the table. */
static int inline_and_table(ni_txn *t)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_buf v = NI_BUF_INIT;
    ni_term_info ti;
    int rc;
    if ((rc = ni_term_info_read(t, "7", 1, &ti)) == 0 &&
        (rc = ni_buf_put(&v, ti.block, ti.block_len)) == 0)
        rc = ni_txn_put(t, NI_T_POSTINGS, key, ni_posting_key(key, "7", 1, 7), v.data, v.len);
    ni_buf_free(&v);
    return rc;
}

/* «7» said to be in document NDOCS, which was never given out. */
static int doc_beyond(ni_txn *t)
{
    static const uint32_t pos[1] = { 104 };
    ni_posting p = { NDOCS, 0, 1, 2, 3, pos, 0 };
    ni_buf b = NI_BUF_INIT;
    ni_term_info ti;
    int rc;
    if ((rc = ni_block_encode(&b, &p, 1)) == 0) {
        memset(&ti, 0, sizeof ti);
        ti.df = ti.postings = 1;
        ti.cf = 1;
        ti.block = b.data;
        ti.block_len = b.len;
        rc = ni_term_info_write(t, "7", 1, &ti, 0);
    }
    ni_buf_free(&b);
    return rc;
}

/* «7»'s inline block without its last byte (a position). */
static int positions_cut(ni_txn *t)
{
    unsigned char v[NI_TERM_INFO_MAX];
    ni_val val;
    int rc;
    if ((rc = ni_txn_get(t, NI_T_TERMS, "7", 1, &val)) < 0)
        return rc;
    memcpy(v, val.data, val.len);
    return ni_txn_put(t, NI_T_TERMS, "7", 1, v, val.len - 1);
}

static const struct {
    const char *name;
    int (*damage)(ni_txn *t);
    const char *msg;            /* what ni_errmsg() must contain */
} damages[] = {
    { "stats_docs", stats_docs, "statistics count 300 documents, docinfo has 299 live" },
    { "stats_lengths", stats_lengths, "statistics of lengths" },
    { "docinfo_short", docinfo_short, "document 299 has no docinfo entry" },
    { "docinfo_date", docinfo_date, "document 7: stored date differs from docinfo" },
    { "id_value", id_value, "id 'n7' maps to 3 bytes" },
    { "id_deleted", id_deleted, "id 'n7' maps to document 5, which is not live" },
    { "id_beyond", id_beyond, "id 'n7' maps to document 300, which is not live" },
    { "id_missing", id_missing, "298 ids and 299 stored documents for 299 live documents" },
    { "stored_other_id", stored_other_id, "document 7 stores another id than 'n7'" },
    { "stored_missing", stored_missing, "document 7 has no stored fields" },
    { "stored_garbage", stored_garbage, "1 stored document fails to read back: 'n7' (the "
                                        "first: stored document: bad fields)" },
    { "stored_flips", stored_flips, "2 stored documents fail to read back: 'n7', 'n9' (the "
                                    "first: stored document 'n7' fails its checksum" },
    { "stored_head_flip", stored_head_flip, "'n7' (the first: stored document fails its "
                                            "checksum (head))" },
    { "stored_extra", stored_extra, "299 ids and 300 stored documents for 299 live" },
    { "stored_stray_part", stored_stray_part, "part 1 of document 7 follows part 0" },
    { "lexicon_value", lexicon_value, "with a 1-byte value is damaged" },
    { "lexicon_key_long", lexicon_key_long, "lexicon entry of 241 bytes" },
    { "lexicon_df", lexicon_df, "term 'заголовок': lexicon says df 298, postings 300, "
                                "cf 299; blocks have df 299, postings 300, cf 299" },
    { "lexicon_postings", lexicon_postings, "lexicon says df 299, postings 301, cf 299; "
                                            "blocks have df 299, postings 300, cf 299" },
    { "lexicon_cf", lexicon_cf, "lexicon says df 299, postings 300, cf 300; blocks have "
                                "df 299, postings 300, cf 299" },
    { "lexicon_tf_bound", lexicon_tf_bound, "a bound is below document 0's frequency" },
    { "lexicon_len_bound", lexicon_len_bound, "a length bound is above document 0's" },
    { "block_key", block_key, "ends at 299" },
    { "block_overlap", block_overlap, "blocks overlap at document 0" },
    { "block_touch", block_touch, "blocks overlap at document 127" },
    { "block_bytes", block_bytes, "term 'заголовок': posting block: unknown format" },
    { "orphan_block", orphan_block, "1 posting blocks belong to no lexicon term" },
    { "inline_and_table", inline_and_table, "term '7' has an inline block and blocks" },
    { "doc_beyond", doc_beyond, "term '7': document 300 beyond the last one" },
    { "positions_cut", positions_cut, "term '7', document 7: posting block: truncated "
                                      "positions" },
};

/* Copies the clean index, damages the copy, checks it. */
static void damaged(void)
{
    char path[256], cmd[600];
    size_t i;

    for (i = 0; i < sizeof damages / sizeof damages[0]; i++) {
        ni_store *s = NULL;
        ni_txn *t = NULL;
        int rc;

        snprintf(path, sizeof path, "%s", test_new_dir());
        snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", clean, path);
        if (system(cmd) != 0) {
            CHECK(!"cp failed");
            return;
        }
        CHECK_RC(ni_store_open(&s, path, 0, 0, 0), 0);
        CHECK_RC(ni_txn_begin(&t, s, 1), 0);
        rc = t ? damages[i].damage(t) : -1;
        if (rc == 0)
            rc = ni_txn_commit(t);
        else
            ni_txn_abort(t);
        ni_store_close(s);
        if (rc != 0) {
            test_failures++;
            fprintf(stderr, "%s: could not damage the index (%d)\n", damages[i].name, rc);
            continue;
        }
        rc = check(path, NULL);
        if (rc != NI_ECORRUPT || !strstr(ni_errmsg(), damages[i].msg)) {
            test_failures++;
            fprintf(stderr, "%s: check returned %d '%s', want NI_ECORRUPT '%s'\n",
                    damages[i].name, rc, ni_errmsg(), damages[i].msg);
        }
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
        if (system(cmd) != 0)
            CHECK(!"rm failed");
    }
}

/*
 * A bit flipped in data.mdb itself (not through the store, which would seal
 * the damaged value anew) in the middle of each copy of a posting block of
 * «заголовок»: a search for the word reports the block's failed checksum
 * instead of decoding it, and the check does too.
 */
static void raw_flip(void)
{
    char path[256], cmd[600], file[300];
    unsigned char key[128], *val = NULL, *data = NULL;
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_cursor *c = NULL;
    ni_index *idx = NULL;
    ni_hits *h = NULL;
    ni_val k, v;
    size_t klen, vlen = 0, n = 0, at, copies = 0;
    FILE *f;

    snprintf(path, sizeof path, "%s", test_new_dir());
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", clean, path);
    if (system(cmd) != 0) {
        CHECK(!"cp failed");
        return;
    }
    /* the first block of the word, as stored */
    klen = ni_posting_key(key, common, common_len, 0);
    CHECK_RC(ni_store_open(&s, path, NI_STORE_READONLY, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 0), 0);
    CHECK_RC(ni_cursor_open(&c, t, NI_T_POSTINGS), 0);
    CHECK_RC(ni_cursor_seek(c, key, klen - 4), 0);
    CHECK_RC(ni_cursor_get(c, &k, &v), 0);
    CHECK(k.len == klen && memcmp(k.data, key, klen - 4) == 0 && v.len > 100);
    if (k.len == klen && v.len > 100 && (val = malloc(v.len)) != NULL) {
        memcpy(val, v.data, v.len);
        vlen = v.len;
    }
    ni_cursor_close(c);
    ni_txn_abort(t);
    ni_store_close(s);

    snprintf(file, sizeof file, "%s/data.mdb", path);
    if (val && (f = fopen(file, "rb")) != NULL) {
        data = malloc(64 << 20);
        n = data ? fread(data, 1, 64 << 20, f) : 0;
        fclose(f);
    }
    for (at = 0; data && vlen && at + vlen <= n; at++)
        if (memcmp(data + at, val, vlen) == 0) {
            data[at + vlen / 2] ^= 0x08;
            copies++;
        }
    CHECK(copies >= 1);
    if (copies && (f = fopen(file, "r+b")) != NULL) {
        CHECK(fwrite(data, 1, n, f) == n);
        fclose(f);
    }
    free(data);
    free(val);

    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(ni_search(&h, idx, "заголовок", strlen("заголовок"),
                       &(ni_search_options){ NI_SEARCH_OPTIONS_VERSION, 1000, 0, 1, 1.2, 0.75,
                                             2.0, NI_SORT_DATE, 0, 0.3, 0, 0, NI_FRESH_WEIGHT,
                                             NI_DATE_NONE }), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "checksum") != NULL);
    ni_hits_free(h);
    CHECK_RC(ni_index_check(NULL, idx), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "checksum") != NULL);
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        CHECK(!"rm failed");
}

static void setup(void)
{
    build();
}

TEST_MAIN(TEST(setup), TEST(clean_index), TEST(damaged), TEST(raw_flip))
