/*
 * check.c - verifying a whole index (ni_index_check) against the
 * invariants of the format documented in layout.c.  It only reads;
 * compaction is compact.c's.
 *
 * The check reads one snapshot and stops at the first inconsistency, which
 * it names in an NI_ECORRUPT message: statistics against docinfo, ids
 * against stored documents (every stored record is decoded, so its
 * checksums are verified: record.c; records that fail are all named, up to
 * BAD_RECORDS_NAMED of them, with the walk going on past them), every posting block (keys, order, bounds,
 * positions) against the lexicon's counts, and each entry of the words
 * table: a word words.h keeps, a df from 1 to the live documents, and the
 * translit table: an entry per word with a key, under that key; the sigs
 * table: a signature for every document, none for a deleted one.  The
 * words' counts are not recomputed (the check does not analyse text).
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "index.h"
#include "layout.h"
#include "mem.h"
#include "minhash.h"
#include "words.h"

#define BAD(...) ni_error(NI_ECORRUPT, __VA_ARGS__)
#define BAD_RECORDS_NAMED 20

typedef struct checker {
    ni_txn *t;
    ni_meta m;
    ni_doc_reader rd;
    uint32_t *pos;
    size_t cap_pos;
    ni_index_check_stats *st;
    uint64_t table_blocks;     /* blocks seen in the postings table */
    uint64_t bad_records;      /* stored records that fail to decode */
    char bad_names[BAD_RECORDS_NAMED * 48];  /* their ids, the first ones */
    char first_bad[256];       /* the first one's error */
} checker;

/* The sigs table: one chunk per NI_SIG_CHUNK documents numbered so far,
 * each of whole signatures; then every document has one, and a deleted
 * document the signature of no words. */
static int check_sigs(checker *c)
{
    ni_cursor *cur = NULL;
    const unsigned char *sig;
    ni_val k, v;
    uint64_t chunks = 0, want = (c->m.next_doc + NI_SIG_CHUNK - 1) / NI_SIG_CHUNK;
    ni_docinfo di;
    uint32_t doc;
    int rc;

    if ((rc = ni_cursor_open(&cur, c->t, NI_T_SIGS)) < 0)
        return rc;
    for (rc = ni_cursor_first(cur); rc == 0; rc = ni_cursor_next(cur), chunks++) {
        if ((rc = ni_cursor_get(cur, &k, &v)) < 0)
            break;
        if (k.len != 4 || ni_get_be32(k.data) != chunks || v.len % NI_SIG_BYTES ||
            v.len > NI_SIG_CHUNK * NI_SIG_BYTES) {
            rc = BAD("signature chunk %llu is malformed", (unsigned long long)chunks);
            break;
        }
    }
    ni_cursor_close(cur);
    if (rc != NI_DONE)
        return rc;
    if (chunks != want)
        return BAD("sigs table has %llu chunks for %llu documents", (unsigned long long)chunks,
                   (unsigned long long)c->m.next_doc);
    for (doc = 0; doc < c->m.next_doc; doc++) {
        if ((rc = ni_sig_get(c->t, doc, &sig)) == NI_ENOTFOUND)
            return BAD("document %u has no signature", doc);
        if (rc < 0 || (rc = ni_docinfo_get(c->t, doc, &di)) < 0)
            return rc;
        if (di.len_title == NI_DELETED && !ni_minhash_is_none(sig))
            return BAD("deleted document %u keeps its signature", doc);
    }
    return 0;
}

/* Notes a stored record that failed to decode (the error is ni_errmsg). */
static void note_bad_record(checker *c, const unsigned char *id, size_t len)
{
    size_t at = strlen(c->bad_names);
    if (c->bad_records++ == 0)
        snprintf(c->first_bad, sizeof c->first_bad, "%s", ni_errmsg());
    if (c->bad_records <= BAD_RECORDS_NAMED)
        snprintf(c->bad_names + at, sizeof c->bad_names - at, "%s'%.*s'", at ? ", " : "",
                 (int)(len < 40 ? len : 40), id);
}

static int check_docs(checker *c)
{
    ni_cursor *cur = NULL;
    ni_val k, v;
    ni_docinfo di;
    uint64_t live = 0, st = 0, sb = 0, nids = 0, ndocs = 0;
    int64_t newest;
    uint32_t doc;
    int rc;

    if ((rc = ni_newest_read(c->t, &newest)) < 0)
        return rc;
    for (doc = 0; doc < c->m.next_doc; doc++) {
        rc = ni_docinfo_get(c->t, doc, &di);
        if (rc == NI_ENOTFOUND)
            return BAD("document %u has no docinfo entry", doc);
        if (rc < 0)
            return rc;
        if (di.len_title == NI_DELETED)
            continue;
        if (di.date != NI_DATE_NONE && (newest == NI_DATE_NONE || di.date > newest))
            return BAD("document %u is dated after the index's newest date", doc);
        live++;
        st += di.len_title;
        sb += di.len_body;
    }
    if (live != c->m.docs)
        return BAD("statistics count %llu documents, docinfo has %llu live",
                   (unsigned long long)c->m.docs, (unsigned long long)live);
    if (st != c->m.sum_title || sb != c->m.sum_body)
        return BAD("statistics of lengths (%llu, %llu) differ from docinfo (%llu, %llu)",
                   (unsigned long long)c->m.sum_title, (unsigned long long)c->m.sum_body,
                   (unsigned long long)st, (unsigned long long)sb);

    if ((rc = ni_cursor_open(&cur, c->t, NI_T_IDS)) < 0)
        return rc;
    for (rc = ni_cursor_first(cur); rc == 0; rc = ni_cursor_next(cur)) {
        ni_doc d;
        if ((rc = ni_cursor_get(cur, &k, &v)) < 0)
            break;
        nids++;
        if (v.len != 4) {
            rc = BAD("id '%.*s' maps to %zu bytes", (int)k.len, k.data, v.len);
            break;
        }
        doc = ni_get_be32(v.data);
        if (doc >= c->m.next_doc || (rc = ni_docinfo_get(c->t, doc, &di)) < 0 ||
            di.len_title == NI_DELETED) {
            rc = BAD("id '%.*s' maps to document %u, which is not live",
                     (int)k.len, k.data, doc);
            break;
        }
        if ((rc = ni_doc_reader_get(&c->rd, doc, &d)) == NI_ECORRUPT) {
            note_bad_record(c, k.data, k.len);
            rc = 0;
            continue;
        }
        if (rc < 0)
            break;
        if (d.id_len != k.len || memcmp(d.id, k.data, k.len) != 0) {
            rc = BAD("document %u stores another id than '%.*s'", doc, (int)k.len, k.data);
            break;
        }
        if (d.date != di.date) {
            rc = BAD("document %u: stored date differs from docinfo", doc);
            break;
        }
    }
    ni_cursor_close(cur);
    if (rc < 0 && rc != NI_DONE)
        return rc;
    if (c->bad_records)
        return BAD("%llu stored document%s fail%s to read back: %s%s (the first: %s)",
                   (unsigned long long)c->bad_records, c->bad_records > 1 ? "s" : "",
                   c->bad_records > 1 ? "" : "s", c->bad_names,
                   c->bad_records > BAD_RECORDS_NAMED ? ", ..." : "", c->first_bad);
    if ((rc = ni_stored_count(c->t, &ndocs)) < 0)
        return rc;
    if (nids != c->m.docs || ndocs != c->m.docs)
        return BAD("%llu ids and %llu stored documents for %llu live documents",
                   (unsigned long long)nids, (unsigned long long)ndocs,
                   (unsigned long long)c->m.docs);
    c->st->docs = c->m.docs;
    return 0;
}

/* Counts of one term's postings, summed over its blocks. */
typedef struct term_sums {
    uint64_t postings, df, cf;
    int64_t prev;              /* last document of the previous block */
} term_sums;

/* Checks one block of a term (order, bounds, positions, documents). */
static int check_block(checker *c, const unsigned char *data, size_t len,
                       const unsigned char *term, size_t tlen, const ni_term_info *ti,
                       term_sums *sum, ni_block *b)
{
    ni_docinfo di;
    uint32_t i, j;
    int rc;

    if ((rc = ni_block_open(b, data, len)) < 0 || (rc = ni_block_decode_docs(b)) < 0)
        return BAD("term '%.*s': %s", (int)tlen, term, ni_errmsg());
    if ((int64_t)b->first_doc <= sum->prev)
        return BAD("term '%.*s': blocks overlap at document %u", (int)tlen, term,
                   b->first_doc);
    sum->prev = b->last_doc;
    c->st->blocks++;
    for (i = 0; i < b->ndocs; i++) {
        uint32_t tf = b->tf_title[i] + b->tf_body[i];
        if (b->docs[i] >= c->m.next_doc)
            return BAD("term '%.*s': document %u beyond the last one", (int)tlen,
                       term, b->docs[i]);
        if (b->tf_title[i] > b->max_tf_title || b->tf_body[i] > b->max_tf_body ||
            b->tf_title[i] > ti->max_tf_title || b->tf_body[i] > ti->max_tf_body)
            return BAD("term '%.*s': a bound is below document %u's frequency",
                       (int)tlen, term, b->docs[i]);
        if (tf > c->cap_pos) {
            uint32_t *np = ni_mem_realloc(c->pos, (size_t)tf * sizeof *np);
            if (!np)
                return ni_error(NI_ENOMEM, "out of memory");
            c->pos = np;
            c->cap_pos = tf;
        }
        if ((rc = ni_block_positions(b, i, c->pos, tf)) < 0)
            return BAD("term '%.*s', document %u: %s", (int)tlen, term, b->docs[i],
                       ni_errmsg());
        for (j = 1; j < tf; j++)
            if (c->pos[j] <= c->pos[j - 1])
                return BAD("term '%.*s', document %u: positions out of order",
                           (int)tlen, term, b->docs[i]);
        if ((rc = ni_docinfo_get(c->t, b->docs[i], &di)) < 0)
            return rc == NI_ENOTFOUND ? BAD("document %u has no docinfo", b->docs[i]) : rc;
        sum->postings++;
        if (di.len_title == NI_DELETED)
            continue;
        if (di.len_title < b->min_len_title || di.len_body < b->min_len_body ||
            di.len_title < ti->min_len_title || di.len_body < ti->min_len_body)
            return BAD("term '%.*s': a length bound is above document %u's lengths",
                       (int)tlen, term, b->docs[i]);
        sum->df++;
        sum->cf += tf;
    }
    return 0;
}

/* Checks a term's inline block or its blocks in the table from the
 * cursor's position (rc_seek: how seeking it there went). */
static int check_term(checker *c, ni_cursor *cur, int rc_seek, const unsigned char *term,
                      size_t tlen, const ni_term_info *ti)
{
    term_sums sum = { 0, 0, 0, -1 };
    ni_val k, v;
    ni_block b;
    int rc, in_table = 0;

    for (rc = rc_seek; rc == 0; rc = ni_cursor_next(cur)) {
        if ((rc = ni_cursor_get(cur, &k, &v)) < 0)
            break;
        if (k.len != tlen + 5 || memcmp(k.data, term, tlen) != 0 || k.data[tlen] != 0)
            break;
        if (ti->block)
            return BAD("term '%.*s' has an inline block and blocks in the table",
                       (int)tlen, term);
        in_table++;
        if ((rc = check_block(c, v.data, v.len, term, tlen, ti, &sum, &b)) < 0)
            return rc;
        if (b.last_doc != ni_get_be32(k.data + tlen + 1))
            return BAD("term '%.*s': block under key %u ends at %u", (int)tlen, term,
                       ni_get_be32(k.data + tlen + 1), b.last_doc);
    }
    if (rc < 0 && rc != NI_DONE)
        return rc;
    c->table_blocks += (uint64_t)in_table;
    if (ti->block && (rc = check_block(c, ti->block, ti->block_len, term, tlen, ti, &sum,
                                       &b)) < 0)
        return rc;
    if (sum.postings != ti->postings || sum.df != ti->df || sum.cf != ti->cf)
        return BAD("term '%.*s': lexicon says df %u, postings %u, cf %llu; blocks have "
                   "df %llu, postings %llu, cf %llu", (int)tlen, term, ti->df,
                   ti->postings, (unsigned long long)ti->cf, (unsigned long long)sum.df,
                   (unsigned long long)sum.postings, (unsigned long long)sum.cf);
    return 0;
}

static int check_postings(checker *c)
{
    ni_cursor *terms = NULL, *post = NULL;
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_term_info ti;
    ni_val k, v;
    uint64_t total_blocks = 0;
    int rc;

    if ((rc = ni_cursor_open(&terms, c->t, NI_T_TERMS)) < 0 ||
        (rc = ni_cursor_open(&post, c->t, NI_T_POSTINGS)) < 0)
        goto done;
    for (rc = ni_cursor_first(terms); rc == 0; rc = ni_cursor_next(terms)) {
        if ((rc = ni_cursor_get(terms, &k, &v)) < 0)
            break;
        if (k.len == 0 || k.len > NI_MAX_WORD_BYTES * 2 ||
            ni_term_info_decode(&ti, v.data, v.len) < 0) {
            rc = BAD("lexicon entry of %zu bytes with a %zu-byte value is damaged", k.len,
                     v.len);
            break;
        }
        c->st->terms++;
        rc = ni_cursor_seek(post, key, ni_posting_key(key, (const char *)k.data, k.len, 0));
        if (rc < 0 || (rc = check_term(c, post, rc, k.data, k.len, &ti)) < 0)
            break;
    }
    if (rc == NI_DONE)
        rc = 0;
    if (rc == 0 && (rc = ni_txn_count(c->t, NI_T_POSTINGS, &total_blocks)) == 0 &&
        total_blocks != c->table_blocks)
        rc = BAD("%llu posting blocks belong to no lexicon term",
                 (unsigned long long)(total_blocks - c->table_blocks));
done:
    ni_cursor_close(terms);
    ni_cursor_close(post);
    return rc;
}

/* Each entry of the translit table is a word of the words table under
 * that word's key; *n counts them. */
static int check_translit(checker *c, ni_translit *tr, uint64_t *n)
{
    ni_cursor *cur = NULL;
    ni_buf key = NI_BUF_INIT;
    ni_val k;
    int rc;

    *n = 0;
    if ((rc = ni_cursor_open(&cur, c->t, NI_T_TRANSLIT)) < 0)
        return rc;
    for (rc = ni_cursor_first(cur); rc == 0; rc = ni_cursor_next(cur)) {
        const char *z;
        uint32_t df;
        size_t klen;
        if ((rc = ni_cursor_get(cur, &k, NULL)) < 0)
            break;
        z = memchr(k.data, 0, k.len);
        klen = z ? (size_t)(z - (const char *)k.data) : 0;
        if (z && (rc = ni_translit_key_cyr(tr, z + 1, k.len - klen - 1, &key)) == NI_ENOMEM)
            break;
        if (!z || rc != 1 || ni_words_df(c->t, z + 1, k.len - klen - 1, &df) != 0 ||
            key.len != klen || memcmp(key.data, k.data, klen) != 0) {
            rc = BAD("translit table has an entry (%zu bytes) that is no word's key", k.len);
            break;
        }
        ++*n;
    }
    ni_cursor_close(cur);
    ni_buf_free(&key);
    return rc == NI_DONE ? 0 : rc;
}

static int check_words(checker *c)
{
    ni_cursor *cur = NULL;
    ni_translit *tr = NULL;
    ni_buf key = NI_BUF_INIT;
    uint64_t keyed = 0, entries = 0;
    ni_val k, v;
    uint32_t df;
    int rc;

    if ((rc = ni_translit_new(&tr)) < 0 || (rc = ni_cursor_open(&cur, c->t, NI_T_WORDS)) < 0)
        goto done;
    for (rc = ni_cursor_first(cur); rc == 0; rc = ni_cursor_next(cur)) {
        if ((rc = ni_cursor_get(cur, &k, &v)) < 0)
            break;
        if (!ni_words_accept((const char *)k.data, k.len)) {
            rc = BAD("words table has a %zu-byte key that is no word", k.len);
            break;
        }
        if (ni_words_value(&v, &df) < 0 || df > c->m.docs) {
            rc = BAD("words entry of '%.*s' is damaged or counts more than %llu documents",
                     (int)k.len, k.data, (unsigned long long)c->m.docs);
            break;
        }
        if ((rc = ni_translit_key_cyr(tr, (const char *)k.data, k.len, &key)) == NI_ENOMEM)
            break;
        keyed += rc == 1;
    }
    if (rc == NI_DONE && (rc = check_translit(c, tr, &entries)) == 0 && entries != keyed)
        rc = BAD("translit table has %llu entries for %llu words with a key",
                 (unsigned long long)entries, (unsigned long long)keyed);
done:
    ni_cursor_close(cur);
    ni_translit_free(tr);
    ni_buf_free(&key);
    return rc == NI_DONE ? 0 : rc;
}

int ni_index_check(ni_index_check_stats *out, ni_index *idx)
{
    ni_index_check_stats dummy;
    checker c;
    int rc;

    ni_error_clear();
    if ((rc = ni_index_enter(idx, "ni_index_check")) < 0)
        return rc;
    memset(&c, 0, sizeof c);
    c.st = out ? out : &dummy;
    memset(c.st, 0, sizeof *c.st);
    if ((rc = ni_txn_begin(&c.t, idx->store, 0)) == 0)
        ni_doc_reader_init(&c.rd, idx, c.t);
    /* the dictionary is checked even when no document needs it */
    if (rc == 0 &&
        (rc = ni_index_record_codec(&c.rd.codec, idx, c.t)) == 0 &&
        (rc = ni_meta_read(c.t, &c.m)) == 0 &&
        (rc = check_docs(&c)) == 0 &&
        (rc = check_sigs(&c)) == 0 &&
        (rc = check_postings(&c)) == 0)
        rc = check_words(&c);
    ni_doc_reader_release(&c.rd);
    ni_txn_abort(c.t);
    ni_mem_free(c.pos);
    ni_index_leave(idx);
    return rc;
}
