/*
 * flush.c - writing a batch into a write transaction (flush.h).  The
 * tables' format is documented in layout.c.
 *
 * Order of the writes.  Committed documents the batch deletes or replaces
 * go first: each one's stored text is analysed again to decrement df and cf
 * of its terms, its docinfo entry is marked deleted and its stored fields
 * and id mapping are removed; its postings stay, skipped by searches,
 * until its term is reclaimed: by this flush when the term's deleted
 * postings reach their share (compact.h), by a later flush that takes the
 * term's last block holding them, or by compaction (compact.c).  Then
 * the batch's live documents get internal ids, from the statistics'
 * next_doc, in the order they were added (inside the write transaction, so
 * two writer processes never clash), with their docinfo entries and ids
 * (in byte order: those past the table's last id are appended).  Then
 * each term, in byte order: its new postings join its last block (inline
 * in the lexicon value or the last in the postings table) when that has
 * room, leaving out those of deleted documents, and the lexicon value is
 * rewritten.  The batch's surface words (terms with NI_WORD_PREFIX, which
 * sort before the word terms) go to the words table instead: each word's
 * count grows by its live documents and shrinks by the deleted documents
 * that had it, found again by the same analysis (words.h), in one change:
 * a word a replaced document keeps is not written at all.  The stored
 * records, compressed meanwhile by the pipeline's threads, come last, then
 * the statistics.
 *
 * The stored records' zstd dictionary is trained by the first flush with
 * enough text (DICT_MIN_BATCH) on an even sample of its records, stored in
 * meta, and used by every later flush.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compact.h"
#include "error.h"
#include "flush.h"
#include "layout.h"
#include "mem.h"
#include "minhash.h"
#include "postlist.h"
#include "record.h"
#include "words.h"

#define DICT_MIN_BATCH ((size_t)1 << 20)     /* bytes of tails to train on */
#define DICT_SAMPLE_BYTES ((size_t)2 << 20)  /* at most this many sampled */
#define ZPART_KEEP ((size_t)16 << 20)        /* larger buffers are freed after a batch */

/* What one thread of a flush compresses records with, and into. */
typedef struct zpart {
    ni_record_codec *codec;
    ni_buf out;
} zpart;

/* A word of the documents a flush deletes: wdel.data + off, len bytes, in
 * n of them. */
typedef struct wdel {
    size_t off;
    uint32_t len, n;
} wdel;

/* Where a document's compressed record is: zparts[part].out.data + off. */
typedef struct zrec {
    uint32_t part, len;
    size_t off;
} zrec;

struct ni_flush {
    ni_store *store;
    ni_record_codec *codec;    /* decodes documents to delete */
    ni_record_dict *dict;      /* the dictionary the transaction has, if any */
    ni_doc_terms dterms;       /* a document to delete, inverted again */
    ni_buf dec;                /* its decoded stored record */
    ni_buf raw;                /* a stored record gathered from its parts */
    ni_postlist pl;            /* one term's postings */
    unsigned reclaim_pct;      /* compact.h: NI_RECLAIM_PERCENT or the options' */
    ni_deadset dead;           /* deleted documents, when dead_ok */
    int dead_ok;
    ni_buf wdel;               /* the words of the documents deleted, */
    wdel *wd;                  /* uncounted with the batch's (write_words) */
    size_t nwd, cap_wd;
    uint32_t *docmap;          /* local doc -> internal id, UINT32_MAX: none */
    ni_buf post_last, terms_last, ids_last, words_last; /* last keys of the tables
                                                            at flush start */
    zpart *zparts;             /* one per thread compressing */
    unsigned nzparts;
    zrec *z;                   /* by local doc */
    size_t cap_z;

    /* the flush under way */
    ni_batch *b;
    ni_inverter *inv;
    ni_pipeline *pipe;
    ni_translit *tr;           /* keys of new words; made at the first need */
};

int ni_flush_new(ni_flush **out, ni_store *s)
{
    ni_flush *f = ni_mem_calloc(1, sizeof *f);
    int rc;

    *out = NULL;
    if (!f)
        return ni_error(NI_ENOMEM, "out of memory");
    f->store = s;
    f->reclaim_pct = NI_RECLAIM_PERCENT;
    if ((rc = ni_record_codec_new(&f->codec)) < 0) {
        ni_flush_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

void ni_flush_free(ni_flush *f)
{
    unsigned k;
    if (!f)
        return;
    ni_record_codec_free(f->codec);
    ni_record_dict_free(f->dict);
    ni_translit_free(f->tr);
    ni_doc_terms_free(&f->dterms);
    ni_buf_free(&f->dec);
    ni_buf_free(&f->raw);
    ni_postlist_free(&f->pl);
    ni_deadset_free(&f->dead);
    ni_buf_free(&f->wdel);
    ni_mem_free(f->wd);
    ni_mem_free(f->docmap);
    ni_buf_free(&f->post_last);
    ni_buf_free(&f->terms_last);
    ni_buf_free(&f->ids_last);
    ni_buf_free(&f->words_last);
    for (k = 0; k < f->nzparts; k++) {
        ni_record_codec_free(f->zparts[k].codec);
        ni_buf_free(&f->zparts[k].out);
    }
    ni_mem_free(f->zparts);
    ni_mem_free(f->z);
    ni_mem_free(f);
}

void ni_flush_set_reclaim(ni_flush *f, unsigned pct)
{
    f->reclaim_pct = pct ? pct : NI_RECLAIM_PERCENT;
}

void ni_flush_trim(ni_flush *f)
{
    unsigned k;
    for (k = 0; k < f->nzparts; k++)
        if (f->zparts[k].out.cap > ZPART_KEEP)
            ni_buf_free(&f->zparts[k].out);
}

/* The transliterator of the words' keys (words.h), made at the first word
 * (opening ICU's transliterator costs about 40 ms, once). */
static int need_translit(ni_flush *f)
{
    return f->tr ? 0 : ni_translit_new(&f->tr);
}

/* ---- committed documents deleted ---------------------------------------- */

/* The deleted documents of t, before the batch's (f->dead), read once a
 * flush when it first needs them. */
static int need_dead(ni_flush *f, ni_txn *t, const ni_meta *m)
{
    int rc;
    if (f->dead_ok)
        return 0;
    if (m->next_doc > UINT32_MAX)
        return ni_error(NI_ECORRUPT, "next document number %llu out of range",
                        (unsigned long long)m->next_doc);
    if ((rc = ni_deadset_load(&f->dead, t, (uint32_t)m->next_doc)) < 0)
        return rc;
    f->dead_ok = 1;
    return 0;
}

/* Deletes the committed document id, through c, a cursor on postings:
 * its docinfo is marked deleted, its terms' df and cf shrink and those
 * terms due for reclamation (compact.h) are rewritten without the deleted
 * documents. */
static int delete_committed(ni_flush *f, ni_txn *t, ni_cursor *c, ni_meta *m, const char *id,
                            size_t len)
{
    unsigned char none[NI_SIG_BYTES];
    ni_docinfo di;
    ni_term_info ti;
    ni_val v;
    ni_doc d;
    uint32_t doc;
    size_t i;
    int rc;

    rc = ni_txn_get(t, NI_T_IDS, id, len, &v);
    if (rc)
        return rc == NI_ENOTFOUND ? 0 : rc;
    if (v.len != 4)
        return ni_error(NI_ECORRUPT, "id entry of '%.*s' has %zu bytes",
                        (int)(len > 200 ? 200 : len), id, v.len);
    doc = ni_get_be32(v.data);
    if ((rc = ni_docinfo_get(t, doc, &di)) < 0)
        return rc == NI_ENOTFOUND ? ni_error(NI_ECORRUPT, "document %u has no docinfo", doc) : rc;
    if ((rc = ni_stored_get(t, doc, &f->raw, &v)) < 0 ||
        (rc = ni_record_decode(f->codec, &f->dec, &d, v.data, v.len)) < 0)
        return rc;
    if (di.len_title != NI_DELETED) {
        m->docs = m->docs ? m->docs - 1 : 0;
        m->deleted++;
        m->sum_title = m->sum_title >= di.len_title ? m->sum_title - di.len_title : 0;
        m->sum_body = m->sum_body >= di.len_body ? m->sum_body - di.len_body : 0;
    }
    /* marked first: a term reclaimed below leaves this document out */
    if ((rc = need_dead(f, t, m)) < 0)
        return rc;
    ni_deadset_add(&f->dead, doc);
    di.len_title = NI_DELETED;
    if ((rc = ni_docinfo_put(t, doc, &di)) < 0)
        return rc;

    /* The document's distinct terms and their frequencies, again, as
     * adding it counted them. */
    if ((rc = ni_invert_doc(f->inv, &d, &f->dterms)) < 0)
        return rc;
    for (i = 0; i < f->dterms.ndt; i++) {
        const ni_dterm *dt = &f->dterms.dt[i];
        const char *term = (const char *)f->dterms.terms.data + dt->term_off;
        const unsigned char *p = f->dterms.post.data + dt->post_off, *end = p + dt->post_len;
        uint64_t tft, tfb;
        if (dt->term_len > 0 && term[0] == NI_WORD_PREFIX) {
            if ((rc = NI_GROW(f->wd, f->cap_wd, f->nwd + 1)) < 0)
                return rc;
            f->wd[f->nwd].off = f->wdel.len;
            f->wd[f->nwd].len = (uint32_t)(dt->term_len - 1);
            f->wd[f->nwd].n = 1;
            if ((rc = ni_buf_put(&f->wdel, term + 1, dt->term_len - 1)) < 0)
                return rc;
            f->nwd++;
            continue;
        }
        if (ni_varint_get(&p, end, &tft) < 0 || ni_varint_get(&p, end, &tfb) < 0)
            return ni_error(NI_ECORRUPT, "postings of document %u damaged in memory", doc);
        if ((rc = ni_term_info_read(t, term, dt->term_len, &ti)) < 0)
            return rc == NI_ENOTFOUND ? ni_error(NI_ECORRUPT, "term of document %u missing from lexicon", doc) : rc;
        ti.df = ti.df ? ti.df - 1 : 0;
        ti.cf = ti.cf >= tft + tfb ? ti.cf - (tft + tfb) : 0;
        rc = ni_reclaim_due(&ti, f->reclaim_pct)
                 ? ni_compact_term(&f->pl, t, c, term, dt->term_len, &ti, &f->dead)
                 : ni_term_info_write(t, term, dt->term_len, &ti, 0);
        if (rc < 0)
            return rc;
    }

    ni_minhash_none(none);
    if ((rc = ni_sig_put(t, doc, none)) < 0 ||
        (rc = ni_txn_del(t, NI_T_IDS, id, len)) < 0 ||
        (rc = ni_stored_del(t, doc)) < 0)
        return rc;
    return 0;
}

/* ---- lexicon and postings ------------------------------------------------ */

/* Loads the last block of term from the postings table into f->pl when it
 * has room, removing it from the table, without the postings of deleted
 * documents (*dropped counts them). */
static int take_tail(ni_flush *f, ni_txn *t, ni_cursor *c, const char *term, size_t tlen,
                     uint32_t *dropped)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    size_t klen = ni_posting_key(key, term, tlen, UINT32_MAX);
    ni_val k, v;
    ni_block b;
    int rc;

    rc = ni_cursor_seek(c, key, klen);
    if (rc == NI_DONE)
        rc = ni_cursor_last(c);
    else if (rc == 0 && ni_cursor_get(c, &k, NULL) == 0 &&
             (k.len != klen || memcmp(k.data, key, klen) != 0))
        rc = ni_cursor_prev(c);
    if (rc == NI_DONE)
        return 0;
    if (rc < 0 || (rc = ni_cursor_get(c, &k, &v)) < 0)
        return rc;
    if (k.len != klen || memcmp(k.data, key, tlen + 1) != 0)
        return 0;
    if ((rc = ni_block_open(&b, v.data, v.len)) < 0)
        return rc;
    if (b.ndocs >= NI_BLOCK_DOCS)
        return 0;
    if ((rc = ni_postlist_add_live(&f->pl, v.data, v.len, f->dead_ok ? &f->dead : NULL,
                                   dropped)) < 0)
        return rc;
    return ni_txn_del(t, NI_T_POSTINGS, key, ni_posting_key(key, term, tlen, b.last_doc));
}

/* 1 when the batch postings of a include a live document (or are damaged:
 * add_batch reports it). */
static int has_live(const ni_flush *f, const ni_batch_term *a)
{
    const unsigned char *p = a->post.data, *end = p + a->post.len;
    uint64_t local, tft, tfb;
    while (p < end) {
        if (ni_batch_posting(&p, end, &local, &tft, &tfb) < 0)
            return 1;
        if (local < f->b->ndocs && f->docmap[local] != UINT32_MAX)
            return 1;
        if (ni_batch_positions(&p, end, tft + tfb, NULL) < 0)
            return 1;
    }
    return 0;
}

/* Appends the postings of a's live documents to f->pl, with their internal
 * ids; *live and *cf count them and their occurrences. */
static int add_batch(ni_flush *f, const ni_batch_term *a, size_t *live, uint64_t *cf)
{
    const ni_batch *b = f->b;
    const unsigned char *p = a->post.data, *end = p + a->post.len;
    ni_postlist *pl = &f->pl;
    int rc;

    /* a posting takes at least one byte a position */
    if ((rc = ni_postlist_reserve(pl, a->post.len, a->post.len)) < 0)
        return rc;
    while (p < end) {
        uint64_t local, tft, tfb;
        ni_posting *q = &pl->post[pl->n];
        if (ni_batch_posting(&p, end, &local, &tft, &tfb) < 0 || local >= b->ndocs ||
            ni_batch_positions(&p, end, tft + tfb, pl->pos + pl->npos) < 0)
            return ni_error(NI_ECORRUPT, "batch postings damaged");
        if (f->docmap[local] == UINT32_MAX)
            continue;
        q->doc = f->docmap[local];
        q->tf_title = (uint32_t)tft;
        q->tf_body = (uint32_t)tfb;
        q->len_title = b->docs[local].len_title;
        q->len_body = b->docs[local].len_body;
        q->pos = pl->pos + pl->npos;
        q->lead = ni_posting_lead(q->pos + tft, (uint32_t)tfb, q->len_title);
        pl->npos += (size_t)(tft + tfb);
        *cf += tft + tfb;
        ++*live;
        pl->n++;
    }
    return 0;
}

/* Widens ti's bounds to the postings of f->pl; *all_cf: their occurrences. */
static void widen_bounds(const ni_flush *f, ni_term_info *ti, uint64_t *all_cf)
{
    size_t i;
    for (i = 0; i < f->pl.n; i++) {
        const ni_posting *q = &f->pl.post[i];
        *all_cf += (uint64_t)q->tf_title + q->tf_body;
        if (q->tf_title > ti->max_tf_title)
            ti->max_tf_title = q->tf_title;
        if (q->tf_body > ti->max_tf_body)
            ti->max_tf_body = q->tf_body;
        if (q->len_title < ti->min_len_title)
            ti->min_len_title = q->len_title;
        if (q->len_body < ti->min_len_body)
            ti->min_len_body = q->len_body;
    }
}

/* ---- surface words -------------------------------------------------------- */

/* Byte order of word x of the deleted and w[0..len). */
static int cmp_word(const ni_flush *f, const wdel *x, const char *w, size_t len)
{
    size_t n = x->len < len ? x->len : len;
    int c = memcmp(f->wdel.data + x->off, w, n);
    return c ? c : (x->len > len) - (x->len < len);
}

static int cmp_wdel(const void *a, const void *b, void *ctx)
{
    const ni_flush *f = ctx;
    const wdel *y = b;
    return cmp_word(f, a, (const char *)f->wdel.data + y->off, y->len);
}

/* The deleted documents' words in byte order, each once with its count. */
static void sort_wdel(ni_flush *f)
{
    size_t i, n = 0;
    if (f->nwd > 1)
        qsort_r(f->wd, f->nwd, sizeof *f->wd, cmp_wdel, f);
    for (i = 0; i < f->nwd; i++) {
        if (n > 0 && cmp_wdel(&f->wd[n - 1], &f->wd[i], f) == 0)
            f->wd[n - 1].n += f->wd[i].n;
        else
            f->wd[n++] = f->wd[i];
    }
    f->nwd = n;
}

/* Uncounts deleted word x alone (the batch does not have it). */
static int uncount_word(ni_flush *f, ni_txn *t, const wdel *x)
{
    int rc;
    if ((rc = need_translit(f)) < 0)
        return rc;
    return ni_words_change(t, NULL, f->tr, (const char *)f->wdel.data + x->off, x->len,
                           -(int64_t)x->n, 0);
}

/*
 * The count of a surface word of the batch (a->term is NI_WORD_PREFIX and
 * the word) grows by its live documents and shrinks by the deleted
 * documents that had it, in one change through wc, a cursor on words; the
 * deleted words before it (f->wd from *j) are uncounted first.  A word
 * whose count does not change (a replaced document keeps it) is not
 * written, nor its page copied.
 */
static int write_word(ni_flush *f, ni_txn *t, ni_cursor *wc, const ni_batch_term *a,
                      size_t *j)
{
    const char *w = (const char *)f->b->terms.data + a->term_off + 1;
    size_t len = a->term_len - 1;
    const unsigned char *p = a->post.data, *end = p + a->post.len;
    int64_t delta = 0;
    int rc;

    while (p < end) {
        uint64_t local, tft, tfb;
        if (ni_batch_posting(&p, end, &local, &tft, &tfb) < 0 || local >= f->b->ndocs ||
            ni_batch_positions(&p, end, tft + tfb, NULL) < 0)
            return ni_error(NI_ECORRUPT, "batch postings damaged");
        if (f->docmap[local] != UINT32_MAX)
            delta++;
    }
    for (; *j < f->nwd && cmp_word(f, &f->wd[*j], w, len) < 0; ++*j)
        if ((rc = uncount_word(f, t, &f->wd[*j])) < 0)
            return rc;
    if (*j < f->nwd && cmp_word(f, &f->wd[*j], w, len) == 0)
        delta -= f->wd[(*j)++].n;
    if (!delta)
        return 0;
    if ((rc = need_translit(f)) < 0)
        return rc;
    return ni_words_change(t, wc, f->tr, w, len, delta,
                           delta > 0 && ni_store_key_after(w, len, f->words_last.data,
                                                           f->words_last.len));
}

/* The batch's postings of a term after the term's committed ones, and its
 * lexicon entry (through tc). */
static int write_term(ni_flush *f, ni_txn *t, ni_cursor *c, ni_cursor *tc,
                      const ni_batch_term *a)
{
    const char *term = (const char *)f->b->terms.data + a->term_off;
    ni_term_info ti;
    size_t live = 0, in_table = 0;
    uint64_t cf = 0, all_cf = 0;
    uint32_t dropped = 0;
    int rc, new_term, past_end;

    if (!a->post.len || !has_live(f, a))
        return 0;
    /* past the lexicon's last term at the flush's start: not there */
    past_end = ni_store_key_after(term, a->term_len, f->terms_last.data, f->terms_last.len);
    rc = past_end ? NI_ENOTFOUND : ni_term_info_read(t, term, a->term_len, &ti);
    new_term = rc == NI_ENOTFOUND;
    if (new_term) {
        memset(&ti, 0, sizeof ti);
        ti.min_len_title = ti.min_len_body = UINT32_MAX;
        rc = 0;
    } else if (rc < 0) {
        return rc;
    }
    /* the last block, inline or in the table, takes the new postings;
     * those of deleted documents in it are left out on the way */
    ni_postlist_clear(&f->pl);
    if (ti.block)
        rc = ni_postlist_add_live(&f->pl, ti.block, ti.block_len, f->dead_ok ? &f->dead : NULL,
                                  &dropped);
    else if (!new_term && (rc = take_tail(f, t, c, term, a->term_len, &dropped)) == 0)
        in_table = ti.postings - dropped > f->pl.n;
    if (rc < 0 || (rc = add_batch(f, a, &live, &cf)) < 0)
        return rc;
    if (dropped > ti.postings)
        return ni_error(NI_ECORRUPT, "term has fewer postings than its blocks");
    ti.postings -= dropped;
    ti.df += (uint32_t)live;
    ti.postings += (uint32_t)live;
    ti.cf += cf;
    widen_bounds(f, &ti, &all_cf);
    if ((rc = ni_postlist_store(&f->pl, t, term, a->term_len, (int)in_table, &f->post_last,
                                &ti)) < 0)
        return rc;
    /* an inline block holds all of the list */
    return ni_term_info_put(tc, term, a->term_len, &ti, past_end, (uint32_t)f->pl.n, all_cf);
}

/* ---- stored records ---------------------------------------------------- */

/*
 * Gives the codec the dictionary of the transaction: the stored one, or,
 * when there is none and the batch has enough text, one trained on an even
 * sample of the batch's tails and stored now.  Small batches go without.
 */
static int prepare_dict(ni_flush *f, ni_txn *t)
{
    const ni_batch *b = f->b;
    ni_buf samples = NI_BUF_INIT, dict = NI_BUF_INIT;
    size_t *sizes = NULL, n = 0, i, total = 0, step;
    ni_val v;
    int rc = ni_dict_read(t, &v);

    if (rc == 0) {
        if (!ni_record_dict_same(f->dict, v.data, v.len)) {
            ni_record_codec_set_dict(f->codec, NULL);
            ni_record_dict_free(f->dict);
            f->dict = NULL;
            if ((rc = ni_record_dict_new(&f->dict, v.data, v.len)) < 0)
                return rc;
        }
        ni_record_codec_set_dict(f->codec, f->dict);
        return 0;
    }
    if (rc != NI_ENOTFOUND)
        return rc;
    /* none in the index (an aborted transaction may have made one) */
    ni_record_codec_set_dict(f->codec, NULL);
    ni_record_dict_free(f->dict);
    f->dict = NULL;
    for (i = 0; i < b->ndocs; i++)
        if (!b->docs[i].dead)
            total += b->docs[i].rec_len;
    if (total < DICT_MIN_BATCH)
        return 0;
    step = (total + DICT_SAMPLE_BYTES - 1) / DICT_SAMPLE_BYTES;
    if (!(sizes = ni_mem_alloc((b->ndocs / step + 1) * sizeof *sizes))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < b->ndocs; i += step) {
        const ni_batch_doc *d = &b->docs[i];
        if (d->dead || d->rec_len == 0)
            continue;
        if ((rc = ni_buf_put(&samples, b->records.data + d->rec_off, d->rec_len)) < 0)
            goto cleanup;
        sizes[n++] = d->rec_len;
    }
    rc = ni_record_dict_train(&dict, samples.data, sizes, n);
    if (rc == NI_ENOTFOUND) {
        rc = 0;
        goto cleanup;
    }
    if (rc < 0 || (rc = ni_record_dict_new(&f->dict, dict.data, dict.len)) < 0 ||
        (rc = ni_dict_write(t, dict.data, dict.len)) < 0)
        goto cleanup;
    ni_record_codec_set_dict(f->codec, f->dict);
cleanup:
    ni_mem_free(sizes);
    ni_buf_free(&samples);
    ni_buf_free(&dict);
    return rc;
}

/* Compresses the record of live document i as thread k of the flush. */
static int compress_one(void *ctx, size_t i, unsigned k)
{
    ni_flush *f = ctx;
    const ni_batch_doc *d = &f->b->docs[i];
    ni_buf *out = &f->zparts[k].out;
    zrec *z = &f->z[i];
    int rc;

    if (d->dead)
        return 0;
    z->part = k;
    z->off = out->len;
    rc = ni_record_encode_packed(f->zparts[k].codec, out, ni_batch_id(f->b, d), d->id_len,
                                 d->date, d->date_offset, d->date_form,
                                 f->b->records.data + d->rec_off, d->rec_len);
    z->len = (uint32_t)(out->len - z->off);
    return rc;
}

/* The codecs let go of the dictionary, which may change before the next
 * flush (after an aborted one). */
static void forget_dict(ni_flush *f)
{
    unsigned k;
    for (k = 0; k < f->nzparts; k++)
        if (f->zparts[k].codec)
            ni_record_codec_set_dict(f->zparts[k].codec, NULL);
}

/* Compresses every live record of the batch with the dictionary f->dict:
 * compress_start sets the pipeline's threads on it, when there is a
 * pipeline, and returns; compress_wait (which must follow) finishes the
 * work, in the caller's thread too. */
static int compress_start(ni_flush *f)
{
    unsigned n = f->pipe ? ni_pipeline_threads(f->pipe) : 1, k;
    int rc;

    if ((rc = NI_GROW(f->z, f->cap_z, f->b->ndocs)) < 0)
        return rc;
    if (n > f->nzparts) {
        zpart *z = ni_mem_realloc(f->zparts, n * sizeof *z);
        if (!z)
            return ni_error(NI_ENOMEM, "out of memory");
        memset(z + f->nzparts, 0, (n - f->nzparts) * sizeof *z);
        f->zparts = z;
        f->nzparts = n;
    }
    for (k = 0; k < n; k++) {
        if (!f->zparts[k].codec && (rc = ni_record_codec_new(&f->zparts[k].codec)) < 0) {
            forget_dict(f);
            return rc;
        }
        ni_record_codec_set_dict(f->zparts[k].codec, f->dict);
        f->zparts[k].out.len = 0;
    }
    if (f->pipe)
        ni_pipeline_for_start(f->pipe, f->b->ndocs, compress_one, f);
    return 0;
}

static int compress_wait(ni_flush *f)
{
    size_t i;
    int rc = 0;

    if (f->pipe)
        rc = ni_pipeline_for_wait(f->pipe);
    else
        for (i = 0; i < f->b->ndocs && rc == 0; i++)
            rc = compress_one(f, i, 0);
    forget_dict(f);
    return rc;
}

/* ---- the whole batch ------------------------------------------------------ */

/* Copies the last key of a table into out (empty when the table is). */
static int last_key(ni_txn *t, enum ni_table tb, ni_buf *out)
{
    ni_cursor *c = NULL;
    ni_val k;
    int rc;
    out->len = 0;
    if ((rc = ni_cursor_open(&c, t, tb)) < 0)
        return rc;
    rc = ni_cursor_last(c);
    if (rc == 0 && (rc = ni_cursor_get(c, &k, NULL)) == 0)
        rc = ni_buf_put(out, k.data, k.len);
    ni_cursor_close(c);
    return rc == NI_DONE ? 0 : rc;
}

/* Gives the live documents internal ids (f->docmap) and writes their
 * docinfo and ids; *m counts them. */
static int number_docs(ni_flush *f, ni_txn *t, ni_meta *m)
{
    const ni_batch *b = f->b;
    unsigned char dk[4];
    uint64_t next = m->next_doc;
    size_t i, n;
    int rc;

    ni_mem_free(f->docmap);
    f->docmap = ni_mem_alloc((b->ndocs ? b->ndocs : 1) * sizeof *f->docmap);
    if (!f->docmap)
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < b->ndocs; i++) {
        const ni_batch_doc *d = &b->docs[i];
        ni_docinfo di;
        if (d->dead) {
            f->docmap[i] = UINT32_MAX;
            continue;
        }
        if (next >= UINT32_MAX)
            return ni_error(NI_EFULL, "index '%s' has no internal ids left; compact it",
                            ni_store_path(f->store));
        f->docmap[i] = (uint32_t)next;
        di.len_title = d->len_title;
        di.len_body = d->len_body;
        di.date = d->date;
        if ((rc = ni_docinfo_put(t, (uint32_t)next, &di)) < 0 ||
            (rc = ni_sig_put(t, (uint32_t)next, d->sig)) < 0)
            return rc;
        m->docs++;
        m->sum_title += d->len_title;
        m->sum_body += d->len_body;
        next++;
    }
    m->next_doc = next;

    /* in byte order: those past the table's last id are appended, which
     * fills pages instead of splitting them */
    if ((rc = ni_batch_sort_ids(f->b, &n)) < 0 || (rc = last_key(t, NI_T_IDS, &f->ids_last)) < 0)
        return rc;
    for (i = 0; i < n; i++) {
        const ni_batch_doc *d = &b->docs[b->order[i]];
        const char *id = ni_batch_id(b, d);
        ni_put_be32(dk, f->docmap[b->order[i]]);
        rc = ni_store_key_after(id, d->id_len, f->ids_last.data, f->ids_last.len)
                 ? ni_txn_append(t, NI_T_IDS, id, d->id_len, dk, 4)
                 : ni_txn_put(t, NI_T_IDS, id, d->id_len, dk, 4);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Everything of the batch but its stored records: deletions, internal
 * ids, docinfo, postings and lexicon; *m updated. */
static int write_batch(ni_flush *f, ni_txn *t, ni_meta *m)
{
    ni_batch *b = f->b;
    ni_cursor *c = NULL, *tc = NULL, *wc = NULL;
    size_t i, j = 0;
    int rc;

    f->dead_ok = 0;
    f->nwd = 0;
    f->wdel.len = 0;
    /* postings of deleted documents remain: the last blocks leave them out */
    if (m->deleted > 0 && (rc = need_dead(f, t, m)) < 0)
        return rc;
    if ((rc = ni_cursor_open(&c, t, NI_T_POSTINGS)) < 0)
        return rc;
    for (i = 0; i < b->ndels && rc == 0; i++)
        rc = delete_committed(f, t, c, m, (const char *)b->ids.data + b->dels[i].off,
                              b->dels[i].len);
    for (i = 0; i < b->ndocs && rc == 0; i++)
        if (b->docs[i].dead != NI_BATCH_FAILED)
            rc = delete_committed(f, t, c, m, ni_batch_id(b, &b->docs[i]), b->docs[i].id_len);
    if (rc < 0 || (rc = number_docs(f, t, m)) < 0 || (rc = ni_batch_sort_terms(b)) < 0)
        goto cleanup;
    sort_wdel(f);
    if ((rc = last_key(t, NI_T_POSTINGS, &f->post_last)) < 0 ||
        (rc = last_key(t, NI_T_TERMS, &f->terms_last)) < 0 ||
        (rc = last_key(t, NI_T_WORDS, &f->words_last)) < 0 ||
        (rc = ni_cursor_open(&tc, t, NI_T_TERMS)) < 0 ||
        (rc = ni_cursor_open(&wc, t, NI_T_WORDS)) < 0)
        goto cleanup;
    for (i = 0; i < b->nterms && rc == 0; i++) {
        const ni_batch_term *a = &b->term[b->sorted[i].term];
        rc = a->term_len > 0 && b->terms.data[a->term_off] == NI_WORD_PREFIX
                 ? write_word(f, t, wc, a, &j)
                 : write_term(f, t, c, tc, a);
    }
    for (; j < f->nwd && rc == 0; j++)
        rc = uncount_word(f, t, &f->wd[j]);
cleanup:
    ni_cursor_close(wc);
    ni_cursor_close(tc);
    ni_cursor_close(c);
    return rc;
}

int ni_flush_batch(ni_flush *f, ni_txn *t, ni_batch *b, ni_inverter *inv, ni_pipeline *pipe)
{
    ni_meta m;
    int64_t newest = NI_DATE_NONE;
    size_t i;
    int rc;

    f->b = b;
    f->inv = inv;
    f->pipe = pipe;
    if ((rc = ni_meta_read(t, &m)) < 0 || (rc = prepare_dict(f, t)) < 0 ||
        (rc = compress_start(f)) < 0)
        return rc;
    if ((rc = write_batch(f, t, &m)) < 0) {
        /* that failure is the one to report, not the compression's */
        char msg[400];
        snprintf(msg, sizeof msg, "%s", ni_errmsg());
        compress_wait(f);
        return ni_error(rc, "%s", msg);
    }
    if ((rc = compress_wait(f)) < 0)
        return rc;
    for (i = 0; i < b->ndocs; i++) {
        const zrec *z = &f->z[i];
        if (b->docs[i].dead)
            continue;
        if ((rc = ni_stored_put(t, f->docmap[i], f->zparts[z->part].out.data + z->off,
                                z->len)) < 0)
            return rc;
        if (b->docs[i].date != NI_DATE_NONE &&
            (newest == NI_DATE_NONE || b->docs[i].date > newest))
            newest = b->docs[i].date;
    }
    if ((rc = ni_newest_note(t, newest)) < 0)
        return rc;
    return ni_meta_write(t, &m);
}
