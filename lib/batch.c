/*
 * batch.c - the in-memory batch (batch.h): documents begun, merged and
 * counted in, replaced and failed; the term and pending-id tables (hash.h);
 * the batch's terms and ids put in byte order for the flush.  Does not
 * analyse documents (invert.c), write LMDB (flush.c) or decide when to
 * flush (writer.c).
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "mem.h"

/*
 * What a document adds to the batch's memory, estimated from its size
 * when it is added (its packed fields, about as many bytes of postings,
 * and bookkeeping), so that the batch is flushed after the same document
 * whichever thread analyses it: flush points decide what the stored
 * fields' dictionary is trained on.  The bookkeeping, DOC_BYTES, is what
 * a document's entry took when the estimate was made (64 bytes on 64-bit
 * hosts) plus 64; it is part of the format's behaviour, not a measure:
 * changing it moves flush points and changes the index written.
 */
#define DOC_BYTES 128

static size_t doc_bytes(const ni_doc *doc)
{
    size_t text = doc->title_len + doc->text_len + doc->rubric_len;
    return DOC_BYTES + doc->id_len + doc->url_len + doc->credit_len + 2 * text;
}

void ni_batch_clear(ni_batch *b)
{
    size_t i;
    for (i = 0; i < b->nterms; i++)
        ni_buf_free(&b->term[i].post);
    b->nterms = 0;
    b->terms.len = 0;
    ni_hash_clear(&b->term_hash);
    ni_hash_clear(&b->id_hash);
    b->records.len = 0;
    b->ids.len = 0;
    b->ndocs = 0;
    b->merged = 0;
    b->ndels = 0;
    b->mem = 0;
}

void ni_batch_free(ni_batch *b)
{
    ni_batch_clear(b);
    ni_buf_free(&b->terms);
    ni_mem_free(b->term);
    ni_hash_free(&b->term_hash);
    ni_buf_free(&b->records);
    ni_buf_free(&b->ids);
    ni_mem_free(b->docs);
    ni_hash_free(&b->id_hash);
    ni_mem_free(b->dels);
    ni_mem_free(b->sorted);
    ni_mem_free(b->order);
    memset(b, 0, sizeof *b);
}

/* ---- the term table ---------------------------------------------------- */

static uint32_t hash_of_term(const void *ctx, uint32_t i)
{
    return ((const ni_batch *)ctx)->term[i].hash;
}

static int term_is(const void *ctx, uint32_t i, const void *term, size_t len, uint32_t h)
{
    const ni_batch *b = ctx;
    const ni_batch_term *a = &b->term[i];
    return ni_term_same(b->terms.data, a->term_off, a->term_len, a->hash, term, len, h);
}

/* The index of term (whose ni_term_hash is h) in b->term, added when new. */
static int intern(ni_batch *b, const char *term, size_t len, uint32_t h, uint32_t *out)
{
    ni_batch_term *a;
    size_t slot;
    int rc;

    if ((rc = ni_hash_reserve(&b->term_hash, 1024, hash_of_term, b)) < 0)
        return rc;
    if ((*out = ni_hash_find(&b->term_hash, h, term_is, b, term, len, &slot)) != NI_HASH_NONE)
        return 0;
    if ((rc = NI_GROW(b->term, b->cap_terms, b->nterms + 1)) < 0)
        return rc;
    a = &b->term[b->nterms];
    a->term_off = (uint32_t)b->terms.len;
    if ((rc = ni_buf_put(&b->terms, term, len)) < 0)
        return rc;
    a->term_len = (uint32_t)len;
    a->hash = h;
    memset(&a->post, 0, sizeof a->post);
    ni_hash_add(&b->term_hash, slot, (uint32_t)b->nterms);
    *out = (uint32_t)b->nterms++;
    return 0;
}

/* ---- the pending id table ---------------------------------------------- */

static uint32_t hash_of_id(const void *ctx, uint32_t i)
{
    const ni_batch *b = ctx;
    return ni_term_hash(ni_batch_id(b, &b->docs[i]), b->docs[i].id_len);
}

static int id_is(const void *ctx, uint32_t i, const void *id, size_t len, uint32_t h)
{
    const ni_batch *b = ctx;
    const ni_batch_doc *d = &b->docs[i];
    (void)h;
    return d->id_len == len && memcmp(ni_batch_id(b, d), id, len) == 0;
}

/* The latest document with this id, or NI_HASH_NONE; *slot as
 * ni_hash_find. */
static uint32_t find_id(const ni_batch *b, const char *id, size_t len, size_t *slot)
{
    *slot = 0;
    if (!b->id_hash.nslots)
        return NI_HASH_NONE;
    return ni_hash_find(&b->id_hash, ni_term_hash(id, len), id_is, b, id, len, slot);
}

/* ---- adding and deleting ----------------------------------------------- */

int ni_batch_begin(ni_batch *b, const ni_doc *doc)
{
    ni_batch_doc *d;
    int rc;

    if ((rc = NI_GROW(b->docs, b->cap_docs, b->ndocs + 1)) < 0 ||
        (rc = ni_hash_reserve(&b->id_hash, 256, hash_of_id, b)) < 0)
        return rc;
    d = &b->docs[b->ndocs];
    memset(d, 0, sizeof *d);
    d->id_off = b->ids.len;
    return ni_buf_put(&b->ids, doc->id, doc->id_len);
}

void ni_batch_cancel(ni_batch *b)
{
    b->ids.len = b->docs[b->ndocs].id_off;
}

void ni_batch_fail(ni_batch *b)
{
    ni_batch_cancel(b);
    b->docs[b->ndocs].dead = NI_BATCH_FAILED;
    b->ndocs++;
    b->merged++;
}

void ni_batch_end(ni_batch *b, const ni_doc *doc)
{
    ni_batch_doc *d = &b->docs[b->ndocs];
    size_t slot;
    uint32_t prev = find_id(b, doc->id, doc->id_len, &slot);

    if (prev == NI_HASH_NONE) {
        ni_hash_add(&b->id_hash, slot, (uint32_t)b->ndocs);
    } else {
        b->docs[prev].dead = NI_BATCH_REPLACED;
        ni_hash_replace(&b->id_hash, slot, (uint32_t)b->ndocs);
    }
    d->id_len = (uint32_t)doc->id_len;
    d->date = doc->date;
    d->date_offset = (int16_t)doc->date_offset;
    d->date_form = (uint8_t)doc->date_form;
    b->ndocs++;
    b->mem += doc_bytes(doc);
}

int ni_batch_merge(ni_batch *b, const ni_doc_terms *dt)
{
    ni_batch_doc *d = &b->docs[b->merged];
    size_t i;
    int rc;

    for (i = 0; i < dt->ndt; i++) {
        const ni_dterm *t = &dt->dt[i];
        ni_batch_term *a;
        uint32_t ai;
        unsigned char *p;
        if ((rc = intern(b, (const char *)dt->terms.data + t->term_off, t->term_len, t->hash,
                         &ai)) < 0)
            return rc;
        a = &b->term[ai];
        if ((rc = ni_buf_reserve(&a->post, 5 + (size_t)t->post_len)) < 0)
            return rc;
        p = ni_varint_put32(a->post.data + a->post.len, b->merged);
        memcpy(p, dt->post.data + t->post_off, t->post_len);
        p += t->post_len;
        a->post.len = (size_t)(p - a->post.data);
    }
    d->rec_off = b->records.len;
    d->rec_len = (uint32_t)dt->record.len;
    if ((rc = ni_buf_put(&b->records, dt->record.data, dt->record.len)) < 0)
        return rc;
    d->len_title = dt->len_title;
    d->len_body = dt->len_body;
    memcpy(d->sig, dt->sig, sizeof d->sig);
    b->merged++;
    return 0;
}

int ni_batch_kill(ni_batch *b, const char *id, size_t len)
{
    size_t slot;
    uint32_t prev = find_id(b, id, len, &slot);
    if (prev == NI_HASH_NONE || b->docs[prev].dead)
        return 0;
    b->docs[prev].dead = NI_BATCH_REPLACED;
    return 1;
}

int ni_batch_delete(ni_batch *b, const char *id, size_t len)
{
    int rc;
    if ((rc = NI_GROW(b->dels, b->cap_dels, b->ndels + 1)) < 0)
        return rc;
    b->dels[b->ndels].off = b->ids.len;
    b->dels[b->ndels].len = (uint32_t)len;
    if ((rc = ni_buf_put(&b->ids, id, len)) < 0)
        return rc;
    b->ndels++;
    return 0;
}

/* ---- byte order, for the flush ------------------------------------------ */

static uint64_t term_prefix(const unsigned char *p, size_t len)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < 8; i++)
        v = v << 8 | (i < len ? p[i] : 0);
    return v;
}

/* Byte order of terms, by prefix first: two different prefixes order as
 * their terms do (a term ending within 8 bytes is padded with zeros, so it
 * sorts before a longer one with the same bytes, or the prefixes are equal
 * when that one goes on with zeros); equal prefixes compare the terms. */
static int cmp_terms(const void *a, const void *b, void *ctx)
{
    const ni_batch *bt = ctx;
    const ni_batch_key *kx = a, *ky = b;
    const ni_batch_term *x, *y;
    size_t n;
    int c;
    if (kx->prefix != ky->prefix)
        return kx->prefix < ky->prefix ? -1 : 1;
    x = &bt->term[kx->term];
    y = &bt->term[ky->term];
    n = x->term_len < y->term_len ? x->term_len : y->term_len;
    c = memcmp(bt->terms.data + x->term_off, bt->terms.data + y->term_off, n);
    return c ? c : (x->term_len > y->term_len) - (x->term_len < y->term_len);
}

int ni_batch_sort_terms(ni_batch *b)
{
    size_t i;
    int rc;

    if ((rc = NI_GROW(b->sorted, b->cap_sorted, b->nterms)) < 0)
        return rc;
    for (i = 0; i < b->nterms; i++) {
        b->sorted[i].prefix = term_prefix(b->terms.data + b->term[i].term_off,
                                          b->term[i].term_len);
        b->sorted[i].term = (uint32_t)i;
    }
    if (b->nterms > 1)
        qsort_r(b->sorted, b->nterms, sizeof *b->sorted, cmp_terms, b);
    return 0;
}

static int cmp_ids(const void *a, const void *b, void *ctx)
{
    const ni_batch *bt = ctx;
    const ni_batch_doc *x = &bt->docs[*(const uint32_t *)a], *y = &bt->docs[*(const uint32_t *)b];
    size_t n = x->id_len < y->id_len ? x->id_len : y->id_len;
    int c = memcmp(ni_batch_id(bt, x), ni_batch_id(bt, y), n);
    return c ? c : (x->id_len > y->id_len) - (x->id_len < y->id_len);
}

int ni_batch_sort_ids(ni_batch *b, size_t *n)
{
    size_t i;
    int rc;

    *n = 0;
    if ((rc = NI_GROW(b->order, b->cap_order, b->ndocs)) < 0)
        return rc;
    for (i = 0; i < b->ndocs; i++)
        if (!b->docs[i].dead)
            b->order[(*n)++] = (uint32_t)i;
    if (*n > 1)
        qsort_r(b->order, *n, sizeof *b->order, cmp_ids, b);
    return 0;
}
