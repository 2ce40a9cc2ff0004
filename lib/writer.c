/*
 * writer.c - adding, replacing and deleting documents: in-memory inversion
 * of a batch and its flush into LMDB.  This file writes the on-disk format
 * and is where it is documented.
 *
 * On-disk format, version 3 (NI_FORMAT_VERSION; checked at open: version
 * 2, the same without records in parts, is read as it is and becomes 3
 * when opened to write; any other gives NI_EVERSION).  One LMDB environment (data.mdb in
 * the index directory) with these named tables; integers in values are
 * little-endian, integers in keys big-endian so that keys sort by number:
 *
 *   meta      "format"  -> u32 format version
 *             "stats"   -> u64 docs, deleted, next_doc, sum_title, sum_body
 *                          (see ni_meta in index.h)
 *             "dict"    -> the zstd dictionary of stored records (record.c),
 *                          absent until a flush has at least DICT_MIN_BATCH
 *                          bytes of text to train it on (an even sample of
 *                          DICT_SAMPLE_BYTES); written once, never changed
 *   terms     term      -> u8 kind, then
 *                          kind 0: varint df, postings, cf, max_tf_title,
 *                          max_tf_body, min_len_title, min_len_body
 *                          (ni_term_info: counts and pruning bounds; the
 *                          blocks are in postings);
 *                          kind 1: varint df, postings, cf, then the term's
 *                          only posting block, at most NI_INLINE_MAX bytes,
 *                          to the end of the value (its header gives the
 *                          bounds; no postings entries);
 *                          kind 2: as kind 1 when none of the block's
 *                          documents is deleted: only the block, whose
 *                          documents and frequencies give df = postings
 *                          and cf.  Most terms are rare: inline, they cost
 *                          no postings key and no second lookup
 *   postings  term 0x00 be32(last doc of block) -> posting block
 *                          (format at the top of postings.c): the blocks of
 *                          a term in doc order, up to 128 documents each, so
 *                          a reader skips to any document with one B-tree
 *                          seek and reads each block's pruning bounds first
 *   docs      be32(doc) -> stored fields (format at the top of record.c),
 *                          or, when they are longer than an eighth of a
 *                          page (496 bytes with 4 KiB pages), their first
 *                          part of that size: then be32(doc) be32(n) ->
 *                          part n, n = 1, 2, ... with no gap; a reader
 *                          follows the keys, whatever the sizes (layout.c,
 *                          ni_stored_put; new in version 3)
 *   ids       external id -> be32(doc); a flush writes its ids in byte
 *                          order, appending those past the table's last
 *   docinfo   be32(doc / 255) -> up to 255 entries of u32 title length,
 *                          u32 body length, i64 date; title length
 *                          0xffffffff marks a deleted document
 *
 * Terms are the analyzer's tokens.  A document's title takes positions
 * 0..T-1 and its body starts at T + NI_BODY_GAP.  Lengths count positions.
 *
 * A batch (everything since the last commit) is inverted in memory: each
 * term accumulates its postings as varints (local doc number, title tf,
 * body tf, position gaps).  When the batch outgrows the memory budget (an
 * estimate from the sizes of the documents added, see batch_bytes) it is
 * flushed into a write transaction that stays open until ni_index_commit,
 * so readers never see part of a batch.  Internal ids are assigned at flush
 * time, inside the write transaction, so two writer processes never clash.
 *
 * Documents are analysed and inverted one by one (invert.c), in the
 * calling thread or, with ni_open_options.threads > 1, in the pipeline's
 * threads (pipeline.c); either way they are merged into the batch in the
 * order they were added and flushed after the same documents, so the index
 * written is the same byte for byte.  At flush the stored records are
 * compressed by the same threads.
 *
 * Replacing and deleting: adding an id already in the batch kills the
 * earlier pending copy (its postings are dropped at flush); an id already
 * committed is deleted at flush: its stored text is analysed again to
 * decrement df and cf of its terms, its docinfo entry is marked deleted
 * and its stored fields and id mapping are removed.  Its postings stay
 * until compaction and are skipped by searches.
 *
 * Before a write transaction starts, the map is grown to leave room for
 * this flush and the next ones (twice the memory budget, four times
 * the batch).  A full map (MDB_MAP_FULL) aborts
 * the transaction and grows the map; when the batch was still wholly in
 * memory the flush is redone, otherwise the batch is discarded (NI_EFULL)
 * and the committed index is intact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "index.h"
#include "invert.h"
#include "pipeline.h"

#define DEFAULT_BUDGET ((size_t)256 << 20)
#define DICT_MIN_BATCH ((size_t)1 << 20)     /* bytes of tails to train on */
#define DICT_SAMPLE_BYTES ((size_t)2 << 20)  /* at most this many sampled */

typedef struct acc {
    uint32_t term_off, term_len;
    uint32_t hash;
    ni_buf post;
} acc;

typedef struct pending {
    size_t id_off, rec_off;
    uint32_t id_len, rec_len;
    uint32_t len_title, len_body;
    int64_t date;
    int dead;                  /* LIVE, REPLACED (later copy or deleted), FAILED */
    uint32_t z_part, z_len;    /* at flush: its record, compressed, in */
    size_t z_off;              /* zparts[z_part].out */
} pending;

/* What one thread of a flush compresses records with, and into. */
typedef struct zpart {
    ni_record_codec *codec;
    ni_buf out;
} zpart;

#define ZPART_KEEP ((size_t)16 << 20)   /* larger buffers are freed after a flush */

enum { LIVE, REPLACED, FAILED };

/* A term to sort: its first 8 bytes as a big-endian number (zeros past
 * its end), which orders most pairs without looking at the bytes. */
typedef struct sort_key {
    uint64_t prefix;
    uint32_t acc;
} sort_key;

typedef struct span {
    size_t off;
    uint32_t len;
} span;

struct ni_writer {
    ni_index *idx;
    ni_inverter *inv;          /* analyses added documents in this thread */
    ni_doc_terms dterms;       /* its result */
    ni_pipeline *pipe;         /* or in others (idx->threads > 1) */
    ni_analyzer *an;           /* inv's, for deletions */
    ni_record_codec *codec;    /* compresses records; decodes documents to delete */
    ni_record_dict *dict;      /* the dictionary the transaction has, if any */

    ni_buf terms;              /* bytes of the batch's terms */
    uint32_t *slots;           /* term hash: acc index + 1, 0 empty */
    size_t nslots;
    acc *accs;
    size_t nacc, cap_acc;

    ni_buf records;            /* packed tails of pending docs (ni_record_pack) */
    ni_buf ids;                /* bytes of pending and deleted ids */
    pending *docs;
    size_t ndocs, cap_docs;
    uint32_t merged;           /* docs[0..merged) have their postings */
    uint32_t *id_slots;        /* id hash: doc index + 1 */
    size_t n_id_slots;
    span *dels;
    size_t ndels, cap_dels;

    size_t mem;                /* bytes held by the batch, roughly */
    ni_txn *txn;               /* open after a flush forced by the budget */

    /* scratch */
    ni_posting *post;          /* one term's postings during a flush */
    size_t cap_post;
    uint32_t *pos;             /* their positions */
    size_t npos, cap_pos;
    uint32_t *order;           /* ids in byte order */
    size_t cap_order;
    sort_key *sorted;          /* terms in byte order */
    size_t cap_sorted;
    uint32_t *docmap;          /* local doc -> internal id */
    ni_buf block;
    ni_buf dec;                /* decoded stored record */
    ni_buf raw;                /* a stored record gathered from its parts */
    ni_buf post_last, terms_last, ids_last; /* last keys of the tables at flush start */
    zpart *zparts;             /* one per thread compressing at flush */
    unsigned nzparts;
};

int ni_writer_new(ni_writer **out, ni_index *idx)
{
    ni_writer *w = ni_mem_calloc(1, sizeof *w);
    int rc;

    *out = NULL;
    if (!w)
        return ni_error(NI_ENOMEM, "out of memory");
    w->idx = idx;
    if ((rc = ni_inverter_new(&w->inv)) < 0 ||
        (rc = ni_record_codec_new(&w->codec)) < 0) {
        ni_writer_free(w);
        return rc;
    }
    w->an = ni_inverter_analyzer(w->inv);
    *out = w;
    return 0;
}

static void batch_clear(ni_writer *w)
{
    const ni_doc_terms *dt;
    char msg[512];
    size_t i;
    if (w->pipe && ni_pipeline_busy(w->pipe)) {
        /* documents still in the pipeline belong to this batch; their
         * errors do not replace the message of the caller's */
        snprintf(msg, sizeof msg, "%s", ni_errmsg());
        while (ni_pipeline_next(w->pipe, 1, &dt) != NI_DONE)
            ni_pipeline_release(w->pipe);
        ni_error(NI_OK, "%s", msg);
    }
    for (i = 0; i < w->nacc; i++)
        ni_buf_free(&w->accs[i].post);
    w->nacc = 0;
    w->terms.len = 0;
    if (w->slots)
        memset(w->slots, 0, w->nslots * sizeof *w->slots);
    if (w->id_slots)
        memset(w->id_slots, 0, w->n_id_slots * sizeof *w->id_slots);
    w->records.len = 0;
    w->ids.len = 0;
    w->ndocs = 0;
    w->merged = 0;
    w->ndels = 0;
    w->mem = 0;
    for (i = 0; i < w->nzparts; i++)
        if (w->zparts[i].out.cap > ZPART_KEEP)
            ni_buf_free(&w->zparts[i].out);
}

void ni_writer_free(ni_writer *w)
{
    if (!w)
        return;
    ni_pipeline_free(w->pipe);     /* first: its threads use w->inv */
    w->pipe = NULL;
    batch_clear(w);
    ni_txn_abort(w->txn);
    ni_inverter_free(w->inv);
    ni_doc_terms_free(&w->dterms);
    ni_record_codec_free(w->codec);
    ni_record_dict_free(w->dict);
    ni_buf_free(&w->terms);
    ni_buf_free(&w->records);
    ni_buf_free(&w->ids);
    ni_buf_free(&w->block);
    ni_buf_free(&w->dec);
    ni_buf_free(&w->raw);
    ni_buf_free(&w->post_last);
    ni_buf_free(&w->terms_last);
    ni_buf_free(&w->ids_last);
    for (unsigned k = 0; k < w->nzparts; k++) {
        ni_record_codec_free(w->zparts[k].codec);
        ni_buf_free(&w->zparts[k].out);
    }
    ni_mem_free(w->zparts);
    ni_mem_free(w->slots);
    ni_mem_free(w->accs);
    ni_mem_free(w->docs);
    ni_mem_free(w->id_slots);
    ni_mem_free(w->dels);
    ni_mem_free(w->post);
    ni_mem_free(w->pos);
    ni_mem_free(w->order);
    ni_mem_free(w->sorted);
    ni_mem_free(w->docmap);
    ni_mem_free(w);
}

/* ---- the term hash ---------------------------------------------------- */

static int rehash_terms(ni_writer *w)
{
    size_t n = w->nslots ? w->nslots * 2 : 1024, i;
    uint32_t *slots = ni_mem_calloc(n, sizeof *slots);
    if (!slots)
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < w->nacc; i++) {
        size_t j = w->accs[i].hash & (n - 1);
        while (slots[j])
            j = (j + 1) & (n - 1);
        slots[j] = (uint32_t)i + 1;
    }
    ni_mem_free(w->slots);
    w->slots = slots;
    w->nslots = n;
    return 0;
}

/* The accumulator of term (whose ni_term_hash is h), made when new. */
static int intern(ni_writer *w, const char *term, size_t len, uint32_t h, uint32_t *out)
{
    size_t j;
    acc *a;
    int rc;

    if (w->nacc * 2 >= w->nslots && (rc = rehash_terms(w)) < 0)
        return rc;
    for (j = h & (w->nslots - 1); w->slots[j]; j = (j + 1) & (w->nslots - 1)) {
        a = &w->accs[w->slots[j] - 1];
        if (a->hash == h && a->term_len == len &&
            memcmp(w->terms.data + a->term_off, term, len) == 0) {
            *out = w->slots[j] - 1;
            return 0;
        }
    }
    if ((rc = NI_GROW(w->accs, w->cap_acc, w->nacc + 1)) < 0)
        return rc;
    a = &w->accs[w->nacc];
    a->term_off = (uint32_t)w->terms.len;
    if ((rc = ni_buf_put(&w->terms, term, len)) < 0)
        return rc;
    a->term_len = (uint32_t)len;
    a->hash = h;
    memset(&a->post, 0, sizeof a->post);
    w->slots[j] = (uint32_t)w->nacc + 1;
    *out = (uint32_t)w->nacc++;
    return 0;
}

/* ---- the pending id hash ---------------------------------------------- */

static const char *doc_id(const ni_writer *w, const pending *d)
{
    return (const char *)w->ids.data + d->id_off;
}

/* The index of the live pending doc with this id, or -1. */
static long find_pending(const ni_writer *w, const char *id, size_t len,
                         size_t *slot)
{
    uint32_t h = ni_term_hash(id, len);
    size_t j;
    if (!w->n_id_slots) {
        *slot = 0;
        return -1;
    }
    for (j = h & (w->n_id_slots - 1); w->id_slots[j];
         j = (j + 1) & (w->n_id_slots - 1)) {
        const pending *d = &w->docs[w->id_slots[j] - 1];
        if (d->id_len == len && memcmp(doc_id(w, d), id, len) == 0) {
            *slot = j;
            return d->dead ? -1 : (long)(w->id_slots[j] - 1);
        }
    }
    *slot = j;
    return -1;
}

static int rehash_ids(ni_writer *w)
{
    size_t n = w->n_id_slots ? w->n_id_slots * 2 : 256, i, j;
    uint32_t *slots = ni_mem_calloc(n, sizeof *slots);
    if (!slots)
        return ni_error(NI_ENOMEM, "out of memory");
    /* In batch order, so the slot of an id ends on its latest copy. */
    for (i = 0; i < w->ndocs; i++) {
        const pending *d = &w->docs[i];
        if (d->dead == FAILED)
            continue;
        j = ni_term_hash(doc_id(w, d), d->id_len) & (n - 1);
        for (; slots[j]; j = (j + 1) & (n - 1)) {
            const pending *e = &w->docs[slots[j] - 1];
            if (e->id_len == d->id_len &&
                memcmp(doc_id(w, e), doc_id(w, d), d->id_len) == 0)
                break;
        }
        slots[j] = (uint32_t)i + 1;
    }
    ni_mem_free(w->id_slots);
    w->id_slots = slots;
    w->n_id_slots = n;
    return 0;
}

/* ---- adding ------------------------------------------------------------ */

/* Adds the inverted document dt to the batch as its local document
 * number `local` (w->docs[local]): postings, stored record, lengths.  On
 * failure some terms may hold postings of it: the caller marks it FAILED. */
static int merge_doc(ni_writer *w, uint32_t local, const ni_doc_terms *dt)
{
    pending *d = &w->docs[local];
    size_t i;
    int rc;

    for (i = 0; i < dt->ndt; i++) {
        const ni_dterm *t = &dt->dt[i];
        uint32_t ai;
        acc *a;
        unsigned char *p;
        if ((rc = intern(w, (const char *)dt->terms.data + t->term_off, t->term_len, t->hash,
                         &ai)) < 0)
            return rc;
        a = &w->accs[ai];
        if ((rc = ni_buf_reserve(&a->post, 5 + (size_t)t->post_len)) < 0)
            return rc;
        p = ni_varint_put32(a->post.data + a->post.len, local);
        memcpy(p, dt->post.data + t->post_off, t->post_len);
        p += t->post_len;
        a->post.len = (size_t)(p - a->post.data);
    }
    d->rec_off = w->records.len;
    d->rec_len = (uint32_t)dt->record.len;
    if ((rc = ni_buf_put(&w->records, dt->record.data, dt->record.len)) < 0)
        return rc;
    d->len_title = dt->len_title;
    d->len_body = dt->len_body;
    return 0;
}

/* Discards the batch after documents of the pipeline failed: rc with the
 * message of that failure. */
static int discard(ni_writer *w, int rc)
{
    char msg[400];
    snprintf(msg, sizeof msg, "%s", ni_errmsg());
    ni_txn_abort(w->txn);
    w->txn = NULL;
    batch_clear(w);
    return ni_error(rc, "%s; the uncommitted batch was discarded", msg);
}

/* Merges the pipeline's oldest document into the batch (waiting for it
 * when wait is set): 0, NI_DONE when there is none (ready), or an error
 * after which the batch is discarded. */
static int collect(ni_writer *w, int wait)
{
    const ni_doc_terms *dt;
    uint32_t local = w->merged;
    int rc = ni_pipeline_next(w->pipe, wait, &dt);

    if (rc == NI_DONE)
        return NI_DONE;
    if (rc < 0)
        rc = ni_error(rc, "document '%.*s' was not indexed: %s",
                      (int)(w->docs[local].id_len > 200 ? 200 : w->docs[local].id_len),
                      doc_id(w, &w->docs[local]), ni_errmsg());
    else
        rc = merge_doc(w, local, dt);
    ni_pipeline_release(w->pipe);
    if (rc < 0)
        return discard(w, rc);
    w->merged++;
    return 0;
}

static int flush(ni_writer *w);

/*
 * What a document adds to the batch's memory, estimated from its size
 * when it is added (its packed fields, about as many bytes of postings,
 * and bookkeeping), so that the batch is flushed after the same document
 * whichever thread analyses it: flush points decide what the stored
 * fields' dictionary is trained on.
 */
static size_t batch_bytes(const ni_doc *doc)
{
    size_t text = doc->title_len + doc->text_len + doc->rubric_len;
    return sizeof(pending) + doc->id_len + doc->url_len + doc->credit_len + 2 * text + 64;
}

/* Makes room in the pipeline (started by the first add) for one more
 * document. */
static int pipeline_room(ni_writer *w)
{
    int rc;
    if (!w->pipe && (rc = ni_pipeline_new(&w->pipe, w->idx->threads, w->inv)) < 0)
        return rc;
    while (ni_pipeline_full(w->pipe))
        if ((rc = collect(w, 1)) < 0)
            return rc;
    return 0;
}

int ni_writer_add(ni_writer *w, const ni_doc *doc)
{
    pending *d;
    size_t slot, id_start = w->ids.len;
    long prev;
    int rc;

    if (!doc->id || doc->id_len == 0 || doc->id_len > NI_MAX_ID_BYTES)
        return ni_error(NI_EINVAL, "document id must be 1 to %d bytes (got %zu)",
                        NI_MAX_ID_BYTES, doc->id ? doc->id_len : 0);
    if (w->ndocs >= UINT32_MAX / 2)
        return ni_error(NI_EFULL, "too many documents in one batch");
    if ((rc = ni_record_check(doc)) < 0)
        return rc;
    if (w->idx->threads > 1 && (rc = pipeline_room(w)) < 0)
        return rc;
    /* Reserved first so that a failure below can always record the
     * document as failed without allocating. */
    if ((rc = NI_GROW(w->docs, w->cap_docs, w->ndocs + 1)) < 0)
        return rc;
    if ((w->ndocs + 1) * 2 > w->n_id_slots && (rc = rehash_ids(w)) < 0)
        return rc;
    d = &w->docs[w->ndocs];
    memset(d, 0, sizeof *d);
    if ((rc = ni_buf_put(&w->ids, doc->id, doc->id_len)) < 0)
        return rc;
    if (w->pipe) {
        if ((rc = ni_pipeline_put(w->pipe, doc)) < 0) {
            w->ids.len = id_start;
            return rc;
        }
    } else if ((rc = ni_invert_doc(w->inv, doc, &w->dterms)) < 0 ||
               (rc = merge_doc(w, (uint32_t)w->ndocs, &w->dterms)) < 0) {
        /* Some accumulators may hold postings of this local number: keep
         * it taken by a failed entry whose postings the flush skips. */
        w->ids.len = id_start;
        d->dead = FAILED;
        w->ndocs++;
        w->merged++;
        return rc;
    } else {
        w->merged++;
    }

    prev = find_pending(w, doc->id, doc->id_len, &slot);
    if (prev >= 0)
        w->docs[prev].dead = REPLACED;
    d->id_off = id_start;
    d->id_len = (uint32_t)doc->id_len;
    d->date = doc->date;
    w->id_slots[slot] = (uint32_t)w->ndocs + 1;
    w->ndocs++;
    w->mem += batch_bytes(doc);
    if (w->pipe)
        while ((rc = collect(w, 0)) == 0)
            ;
    if (rc < 0)
        return rc;
    if (w->mem >= w->idx->memory_budget)
        return flush(w);
    return 0;
}

int ni_writer_delete(ni_writer *w, const char *id, size_t len)
{
    ni_txn *t = w->txn;
    ni_val v;
    size_t slot;
    long prev;
    int rc, found = 0;

    if (!id || len == 0 || len > NI_MAX_ID_BYTES)
        return ni_error(NI_EINVAL, "document id must be 1 to %d bytes",
                        NI_MAX_ID_BYTES);
    if ((rc = NI_GROW(w->dels, w->cap_dels, w->ndels + 1)) < 0)
        return rc;
    prev = find_pending(w, id, len, &slot);
    if (prev >= 0) {
        w->docs[prev].dead = REPLACED;
        found = 1;
    }
    if (!t && (rc = ni_txn_begin(&t, w->idx->store, 0)) < 0)
        return rc;
    rc = ni_txn_get(t, NI_T_IDS, id, len, &v);
    if (t != w->txn)
        ni_txn_abort(t);
    if (rc == 0)
        found = 1;
    else if (rc != NI_ENOTFOUND)
        return rc;
    if (!found)
        return ni_error(NI_ENOTFOUND, "no document with id '%.*s'",
                        (int)(len > 200 ? 200 : len), id);
    w->dels[w->ndels].off = w->ids.len;
    w->dels[w->ndels].len = (uint32_t)len;
    if ((rc = ni_buf_put(&w->ids, id, len)) < 0)
        return rc;
    w->ndels++;
    return 0;
}

/* ---- flushing ---------------------------------------------------------- */

/* Byte order of terms, by prefix first: two different prefixes order as
 * their terms do (a term ending within 8 bytes is padded with zeros, so it
 * sorts before a longer one with the same bytes, or the prefixes are equal
 * when that one goes on with zeros); equal prefixes compare the terms. */
static int cmp_terms(const void *a, const void *b, void *ctx)
{
    const ni_writer *w = ctx;
    const sort_key *kx = a, *ky = b;
    const acc *x, *y;
    size_t n;
    int c;
    if (kx->prefix != ky->prefix)
        return kx->prefix < ky->prefix ? -1 : 1;
    x = &w->accs[kx->acc];
    y = &w->accs[ky->acc];
    n = x->term_len < y->term_len ? x->term_len : y->term_len;
    c = memcmp(w->terms.data + x->term_off, w->terms.data + y->term_off, n);
    return c ? c : (x->term_len > y->term_len) - (x->term_len < y->term_len);
}

static uint64_t term_prefix(const unsigned char *p, size_t len)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < 8; i++)
        v = v << 8 | (i < len ? p[i] : 0);
    return v;
}

static int docinfo_set(ni_txn *t, uint32_t doc, const ni_docinfo *di)
{
    unsigned char key[4], chunk[NI_DOCINFO_CHUNK * NI_DOCINFO_ENTRY];
    size_t i = doc % NI_DOCINFO_CHUNK, n = 0;
    ni_val v;
    int rc;

    ni_put_be32(key, doc / NI_DOCINFO_CHUNK);
    memset(chunk, 0, sizeof chunk);
    rc = ni_txn_get(t, NI_T_DOCINFO, key, 4, &v);
    if (rc == 0) {
        if (v.len > sizeof chunk || v.len % NI_DOCINFO_ENTRY)
            return ni_error(NI_ECORRUPT, "docinfo chunk %u has %zu bytes",
                            doc / NI_DOCINFO_CHUNK, v.len);
        memcpy(chunk, v.data, v.len);
        n = v.len;
    } else if (rc != NI_ENOTFOUND) {
        return rc;
    }
    ni_docinfo_encode(chunk + i * NI_DOCINFO_ENTRY, di);
    if (n < (i + 1) * NI_DOCINFO_ENTRY)
        n = (i + 1) * NI_DOCINFO_ENTRY;
    return ni_txn_put(t, NI_T_DOCINFO, key, 4, chunk, n);
}

static int delete_committed(ni_writer *w, ni_txn *t, ni_meta *m,
                            const char *id, size_t len)
{
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
    if ((rc = ni_stored_get(t, doc, &w->raw, &v)) < 0 ||
        (rc = ni_record_decode(w->codec, &w->dec, &d, v.data, v.len)) < 0)
        return rc;

    /* The document's distinct terms and their frequencies, again, as
     * adding it counted them (the batch's documents are all merged: the
     * writer's own inverter is free). */
    if ((rc = ni_invert_doc(w->inv, &d, &w->dterms)) < 0)
        return rc;
    for (i = 0; i < w->dterms.ndt; i++) {
        const ni_dterm *dt = &w->dterms.dt[i];
        const char *term = (const char *)w->dterms.terms.data + dt->term_off;
        const unsigned char *p = w->dterms.post.data + dt->post_off, *end = p + dt->post_len;
        uint64_t tft, tfb;
        if (ni_varint_get(&p, end, &tft) < 0 || ni_varint_get(&p, end, &tfb) < 0)
            return ni_error(NI_ECORRUPT, "postings of document %u damaged in memory", doc);
        if ((rc = ni_term_info_read(t, term, dt->term_len, &ti)) < 0)
            return rc == NI_ENOTFOUND ? ni_error(NI_ECORRUPT, "term of document %u missing from lexicon", doc) : rc;
        ti.df = ti.df ? ti.df - 1 : 0;
        ti.cf = ti.cf >= tft + tfb ? ti.cf - (tft + tfb) : 0;
        if ((rc = ni_term_info_write(t, term, dt->term_len, &ti, 0)) < 0)
            return rc;
    }

    if (di.len_title != NI_DELETED) {
        m->docs = m->docs ? m->docs - 1 : 0;
        m->deleted++;
        m->sum_title = m->sum_title >= di.len_title ? m->sum_title - di.len_title : 0;
        m->sum_body = m->sum_body >= di.len_body ? m->sum_body - di.len_body : 0;
    }
    di.len_title = NI_DELETED;
    if ((rc = docinfo_set(t, doc, &di)) < 0 ||
        (rc = ni_txn_del(t, NI_T_IDS, id, len)) < 0 ||
        (rc = ni_stored_del(t, doc)) < 0)
        return rc;
    return 0;
}

/* Decodes block data[0..len) into w->post[0..) and w->pos, with room for
 * extra more postings and positions; *npost its documents. */
static int load_block(ni_writer *w, const unsigned char *data, size_t len, size_t extra,
                      size_t *npost)
{
    ni_block b;
    size_t total = 0;
    uint32_t i;
    int rc;

    if ((rc = ni_block_open(&b, data, len)) < 0 || (rc = ni_block_decode_docs(&b)) < 0)
        return rc;
    for (i = 0; i < b.ndocs; i++)
        total += (size_t)b.tf_title[i] + b.tf_body[i];
    if ((rc = NI_GROW(w->post, w->cap_post, b.ndocs + extra)) < 0 ||
        (rc = NI_GROW(w->pos, w->cap_pos, total + extra)) < 0)
        return rc;
    w->npos = 0;
    for (i = 0; i < b.ndocs; i++) {
        ni_posting *p = &w->post[i];
        uint32_t tf = b.tf_title[i] + b.tf_body[i];
        p->doc = b.docs[i];
        p->tf_title = b.tf_title[i];
        p->tf_body = b.tf_body[i];
        p->len_title = b.min_len_title;
        p->len_body = b.min_len_body;
        p->pos = w->pos + w->npos;
        if ((rc = ni_block_positions(&b, i, w->pos + w->npos, tf)) < 0)
            return rc;
        w->npos += tf;
    }
    *npost = b.ndocs;
    return 0;
}

/* Loads the last block of term from the postings table when it has room,
 * removing it: its postings become the first of w->post. */
static int take_tail(ni_writer *w, ni_txn *t, ni_cursor *c, const char *term,
                     size_t tlen, size_t extra_pos, size_t *npost)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    size_t klen = ni_posting_key(key, term, tlen, UINT32_MAX);
    ni_val k, v;
    ni_block b;
    int rc;

    *npost = 0;
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
    if ((rc = load_block(w, v.data, v.len, extra_pos, npost)) < 0)
        return rc;
    return ni_txn_del(t, NI_T_POSTINGS, key, ni_posting_key(key, term, tlen, b.last_doc));
}

/* Whether key sorts after the last key the table had when the flush began
 * (w->post_last); then every later key of the flush does too. */
static int after_end(const ni_buf *last, const unsigned char *key, size_t len)
{
    size_t n = len < last->len ? len : last->len;
    int c;
    if (last->len == 0)
        return 1;
    c = memcmp(key, last->data, n);
    return c > 0 || (c == 0 && len > last->len);
}

/*
 * Writes the postings w->post[0..n) of term, which follow every posting
 * the term has in the postings table: inline in ti when the term has no
 * blocks in the table (in_table 0) and they make one small block, as
 * blocks otherwise (appended, when may_append, if they sort last).  Sets
 * ti->block; the caller writes ti.
 */
static int store_postings(ni_writer *w, ni_txn *t, const char *term, size_t tlen,
                          size_t n, int in_table, int may_append, ni_term_info *ti)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    size_t i;
    int rc;

    ti->block = NULL;
    ti->block_len = 0;
    for (i = 0; i < n; i += NI_BLOCK_DOCS) {
        size_t m = n - i < NI_BLOCK_DOCS ? n - i : NI_BLOCK_DOCS;
        size_t klen = ni_posting_key(key, term, tlen, w->post[i + m - 1].doc);
        w->block.len = 0;
        if ((rc = ni_block_encode(&w->block, w->post + i, m)) < 0)
            return rc;
        if (m == n && !in_table && w->block.len <= NI_INLINE_MAX) {
            ti->block = w->block.data;
            ti->block_len = w->block.len;
            return 0;
        }
        rc = may_append && after_end(&w->post_last, key, klen)
                 ? ni_txn_append(t, NI_T_POSTINGS, key, klen, w->block.data, w->block.len)
                 : ni_txn_put(t, NI_T_POSTINGS, key, klen, w->block.data, w->block.len);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* 1 when the batch postings of a (varints, see invert_doc) include a live
 * document. */
static int has_live(const ni_writer *w, const acc *a)
{
    const unsigned char *p = a->post.data, *end = p + a->post.len;
    uint64_t local, tft, tfb, gap, k;
    while (p < end) {
        if (ni_varint_get(&p, end, &local) || ni_varint_get(&p, end, &tft) ||
            ni_varint_get(&p, end, &tfb))
            return 1;     /* damaged: let write_term report it */
        if (local < w->ndocs && w->docmap[local] != UINT32_MAX)
            return 1;
        for (k = 0; k < tft + tfb; k++)
            if (ni_varint_get(&p, end, &gap))
                return 1;
    }
    return 0;
}

static int write_term(ni_writer *w, ni_txn *t, ni_cursor *c, ni_cursor *tc, const acc *a)
{
    const char *term = (const char *)w->terms.data + a->term_off;
    const unsigned char *p = a->post.data, *end = p + a->post.len;
    ni_term_info ti;
    size_t n = 0, i, live = 0, in_table = 0;
    uint64_t cf = 0, all_cf = 0;
    int rc, new_term, past_end;

    if (!a->post.len || !has_live(w, a))
        return 0;
    /* past the lexicon's last term at the flush's start: not there */
    past_end = after_end(&w->terms_last, (const unsigned char *)term, a->term_len);
    rc = past_end ? NI_ENOTFOUND : ni_term_info_read(t, term, a->term_len, &ti);
    new_term = rc == NI_ENOTFOUND;
    if (new_term) {
        memset(&ti, 0, sizeof ti);
        ti.min_len_title = ti.min_len_body = UINT32_MAX;
        rc = 0;
    } else if (rc < 0) {
        return rc;
    }
    /* the last block, inline or in the table, takes the new postings */
    if (ti.block)
        rc = load_block(w, ti.block, ti.block_len, a->post.len, &n);
    else if (!new_term && (rc = take_tail(w, t, c, term, a->term_len, a->post.len, &n)) == 0)
        in_table = ti.postings > n;
    if (rc < 0)
        return rc;
    if (n == 0) {
        w->npos = 0;
        if ((rc = NI_GROW(w->post, w->cap_post, a->post.len)) < 0 ||
            (rc = NI_GROW(w->pos, w->cap_pos, a->post.len)) < 0)
            return rc;
    }
    while (p < end) {
        uint64_t local, tft, tfb, gap, pos = 0, k;
        ni_posting *q = &w->post[n];
        if (ni_varint_get(&p, end, &local) || ni_varint_get(&p, end, &tft) ||
            ni_varint_get(&p, end, &tfb) || local >= w->ndocs)
            return ni_error(NI_ECORRUPT, "batch postings damaged");
        q->pos = w->pos + w->npos;
        for (k = 0; k < tft + tfb; k++) {
            if (ni_varint_get(&p, end, &gap))
                return ni_error(NI_ECORRUPT, "batch postings damaged");
            pos += gap;
            w->pos[w->npos + k] = (uint32_t)pos;
        }
        if (w->docmap[local] == UINT32_MAX)
            continue;
        q->doc = w->docmap[local];
        q->tf_title = (uint32_t)tft;
        q->tf_body = (uint32_t)tfb;
        q->len_title = w->docs[local].len_title;
        q->len_body = w->docs[local].len_body;
        w->npos += (size_t)(tft + tfb);
        cf += tft + tfb;
        live++;
        n++;
    }
    ti.df += (uint32_t)live;
    ti.postings += (uint32_t)live;
    ti.cf += cf;
    for (i = 0; i < n; i++) {
        const ni_posting *q = &w->post[i];
        all_cf += (uint64_t)q->tf_title + q->tf_body;
        if (q->tf_title > ti.max_tf_title)
            ti.max_tf_title = q->tf_title;
        if (q->tf_body > ti.max_tf_body)
            ti.max_tf_body = q->tf_body;
        if (q->len_title < ti.min_len_title)
            ti.min_len_title = q->len_title;
        if (q->len_body < ti.min_len_body)
            ti.min_len_body = q->len_body;
    }
    if ((rc = store_postings(w, t, term, a->term_len, n, (int)in_table, 1, &ti)) < 0)
        return rc;
    /* an inline block holds all n */
    return ni_term_info_put(tc, term, a->term_len, &ti, past_end, (uint32_t)n, all_cf);
}

/*
 * Gives the codec the dictionary of the transaction: the stored one, or,
 * when there is none and the batch has enough text, one trained on an even
 * sample of the batch's tails and stored now.  Small batches go without.
 */
static int prepare_dict(ni_writer *w, ni_txn *t)
{
    ni_buf samples = NI_BUF_INIT, dict = NI_BUF_INIT;
    size_t *sizes = NULL, n = 0, i, total = 0, step;
    ni_val v;
    int rc = ni_dict_read(t, &v);

    if (rc == 0) {
        if (!ni_record_dict_same(w->dict, v.data, v.len)) {
            ni_record_codec_set_dict(w->codec, NULL);
            ni_record_dict_free(w->dict);
            w->dict = NULL;
            if ((rc = ni_record_dict_new(&w->dict, v.data, v.len)) < 0)
                return rc;
        }
        ni_record_codec_set_dict(w->codec, w->dict);
        return 0;
    }
    if (rc != NI_ENOTFOUND)
        return rc;
    /* none in the index (an aborted transaction may have made one) */
    ni_record_codec_set_dict(w->codec, NULL);
    ni_record_dict_free(w->dict);
    w->dict = NULL;
    for (i = 0; i < w->ndocs; i++)
        if (!w->docs[i].dead)
            total += w->docs[i].rec_len;
    if (total < DICT_MIN_BATCH)
        return 0;
    step = (total + DICT_SAMPLE_BYTES - 1) / DICT_SAMPLE_BYTES;
    if (!(sizes = ni_mem_alloc((w->ndocs / step + 1) * sizeof *sizes))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < w->ndocs; i += step) {
        const pending *d = &w->docs[i];
        if (d->dead || d->rec_len == 0)
            continue;
        if ((rc = ni_buf_put(&samples, w->records.data + d->rec_off, d->rec_len)) < 0)
            goto cleanup;
        sizes[n++] = d->rec_len;
    }
    rc = ni_record_dict_train(&dict, samples.data, sizes, n);
    if (rc == NI_ENOTFOUND) {
        rc = 0;
        goto cleanup;
    }
    if (rc < 0 || (rc = ni_record_dict_new(&w->dict, dict.data, dict.len)) < 0 ||
        (rc = ni_dict_write(t, dict.data, dict.len)) < 0)
        goto cleanup;
    ni_record_codec_set_dict(w->codec, w->dict);
cleanup:
    ni_mem_free(sizes);
    ni_buf_free(&samples);
    ni_buf_free(&dict);
    return rc;
}

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

static int cmp_ids(const void *a, const void *b, void *ctx)
{
    const ni_writer *w = ctx;
    const pending *x = &w->docs[*(const uint32_t *)a], *y = &w->docs[*(const uint32_t *)b];
    size_t n = x->id_len < y->id_len ? x->id_len : y->id_len;
    int c = memcmp(doc_id(w, x), doc_id(w, y), n);
    return c ? c : (x->id_len > y->id_len) - (x->id_len < y->id_len);
}

/* The ids of the batch's live documents, in byte order: those past the
 * table's last id are appended, which fills pages instead of splitting
 * them. */
static int write_ids(ni_writer *w, ni_txn *t)
{
    unsigned char dk[4];
    size_t i, n = 0;
    int rc;

    if ((rc = NI_GROW(w->order, w->cap_order, w->ndocs)) < 0 ||
        (rc = last_key(t, NI_T_IDS, &w->ids_last)) < 0)
        return rc;
    for (i = 0; i < w->ndocs; i++)
        if (!w->docs[i].dead)
            w->order[n++] = (uint32_t)i;
    if (n > 1)
        qsort_r(w->order, n, sizeof *w->order, cmp_ids, w);
    for (i = 0; i < n; i++) {
        const pending *d = &w->docs[w->order[i]];
        ni_put_be32(dk, w->docmap[w->order[i]]);
        rc = after_end(&w->ids_last, (const unsigned char *)doc_id(w, d), d->id_len)
                 ? ni_txn_append(t, NI_T_IDS, doc_id(w, d), d->id_len, dk, 4)
                 : ni_txn_put(t, NI_T_IDS, doc_id(w, d), d->id_len, dk, 4);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* Compresses the record of live document i as thread k of the flush. */
static int compress_one(void *ctx, size_t i, unsigned k)
{
    ni_writer *w = ctx;
    pending *d = &w->docs[i];
    ni_buf *out = &w->zparts[k].out;
    int rc;

    if (d->dead)
        return 0;
    d->z_part = k;
    d->z_off = out->len;
    rc = ni_record_encode_packed(w->zparts[k].codec, out, doc_id(w, d), d->id_len, d->date,
                                 w->records.data + d->rec_off, d->rec_len);
    d->z_len = (uint32_t)(out->len - d->z_off);
    return rc;
}

/* The codecs let go of the dictionary, which may change before the next
 * flush (after an aborted one). */
static void forget_dict(ni_writer *w)
{
    unsigned k;
    for (k = 0; k < w->nzparts; k++)
        if (w->zparts[k].codec)
            ni_record_codec_set_dict(w->zparts[k].codec, NULL);
}

/* Compresses every live record of the batch with the dictionary w->dict:
 * compress_start sets the pipeline's threads on it, when there is a
 * pipeline, and returns; compress_wait (which must follow) finishes the
 * work, in the caller's thread too. */
static int compress_start(ni_writer *w)
{
    unsigned n = w->pipe ? ni_pipeline_threads(w->pipe) : 1, k;
    int rc;

    if (n > w->nzparts) {
        zpart *z = ni_mem_realloc(w->zparts, n * sizeof *z);
        if (!z)
            return ni_error(NI_ENOMEM, "out of memory");
        memset(z + w->nzparts, 0, (n - w->nzparts) * sizeof *z);
        w->zparts = z;
        w->nzparts = n;
    }
    for (k = 0; k < n; k++) {
        if (!w->zparts[k].codec && (rc = ni_record_codec_new(&w->zparts[k].codec)) < 0) {
            forget_dict(w);
            return rc;
        }
        ni_record_codec_set_dict(w->zparts[k].codec, w->dict);
        w->zparts[k].out.len = 0;
    }
    if (w->pipe)
        ni_pipeline_for_start(w->pipe, w->ndocs, compress_one, w);
    return 0;
}

static int compress_wait(ni_writer *w)
{
    size_t i;
    int rc = 0;

    if (w->pipe)
        rc = ni_pipeline_for_wait(w->pipe);
    else
        for (i = 0; i < w->ndocs && rc == 0; i++)
            rc = compress_one(w, i, 0);
    forget_dict(w);
    return rc;
}

/* Everything of the batch but its stored records: deletions, internal
 * ids, docinfo, postings and lexicon; *m updated. */
static int write_batch(ni_writer *w, ni_txn *t, ni_meta *m)
{
    ni_cursor *c = NULL, *tc = NULL;
    uint64_t next;
    size_t i;
    int rc;

    for (i = 0; i < w->ndels; i++)
        if ((rc = delete_committed(w, t, m, (const char *)w->ids.data + w->dels[i].off,
                                   w->dels[i].len)) < 0)
            return rc;
    for (i = 0; i < w->ndocs; i++)
        if (w->docs[i].dead != FAILED &&
            (rc = delete_committed(w, t, m, doc_id(w, &w->docs[i]), w->docs[i].id_len)) < 0)
            return rc;

    ni_mem_free(w->docmap);
    w->docmap = ni_mem_alloc((w->ndocs ? w->ndocs : 1) * sizeof *w->docmap);
    if (!w->docmap)
        return ni_error(NI_ENOMEM, "out of memory");
    next = m->next_doc;
    for (i = 0; i < w->ndocs; i++) {
        const pending *d = &w->docs[i];
        ni_docinfo di;
        if (d->dead) {
            w->docmap[i] = UINT32_MAX;
            continue;
        }
        if (next >= UINT32_MAX)
            return ni_error(NI_EFULL, "index '%s' has no internal ids left; compact it",
                            ni_store_path(w->idx->store));
        w->docmap[i] = (uint32_t)next;
        di.len_title = d->len_title;
        di.len_body = d->len_body;
        di.date = d->date;
        if ((rc = docinfo_set(t, (uint32_t)next, &di)) < 0)
            return rc;
        m->docs++;
        m->sum_title += d->len_title;
        m->sum_body += d->len_body;
        next++;
    }
    m->next_doc = next;
    if ((rc = write_ids(w, t)) < 0)
        return rc;

    if ((rc = NI_GROW(w->sorted, w->cap_sorted, w->nacc)) < 0)
        return rc;
    for (i = 0; i < w->nacc; i++) {
        w->sorted[i].prefix = term_prefix(w->terms.data + w->accs[i].term_off,
                                          w->accs[i].term_len);
        w->sorted[i].acc = (uint32_t)i;
    }
    if (w->nacc > 1)
        qsort_r(w->sorted, w->nacc, sizeof *w->sorted, cmp_terms, w);
    if ((rc = last_key(t, NI_T_POSTINGS, &w->post_last)) < 0 ||
        (rc = last_key(t, NI_T_TERMS, &w->terms_last)) < 0 ||
        (rc = ni_cursor_open(&c, t, NI_T_POSTINGS)) < 0)
        return rc;
    if ((rc = ni_cursor_open(&tc, t, NI_T_TERMS)) < 0) {
        ni_cursor_close(c);
        return rc;
    }
    for (i = 0; i < w->nacc && rc == 0; i++)
        rc = write_term(w, t, c, tc, &w->accs[w->sorted[i].acc]);
    ni_cursor_close(tc);
    ni_cursor_close(c);
    return rc;
}

/* The batch into t.  The records are compressed (on the pipeline's
 * threads) while the rest is written, and stored last: the order of the
 * writes, hence the file, is the same with any number of threads. */
static int flush_into(ni_writer *w, ni_txn *t)
{
    ni_meta m;
    size_t i;
    int rc;

    if ((rc = ni_meta_read(t, &m)) < 0 || (rc = prepare_dict(w, t)) < 0 ||
        (rc = compress_start(w)) < 0)
        return rc;
    if ((rc = write_batch(w, t, &m)) < 0) {
        /* that failure is the one to report, not the compression's */
        char msg[400];
        snprintf(msg, sizeof msg, "%s", ni_errmsg());
        compress_wait(w);
        return ni_error(rc, "%s", msg);
    }
    if ((rc = compress_wait(w)) < 0)
        return rc;
    for (i = 0; i < w->ndocs; i++) {
        const pending *d = &w->docs[i];
        if (!d->dead && (rc = ni_stored_put(t, w->docmap[i], w->zparts[d->z_part].out.data +
                                            d->z_off, d->z_len)) < 0)
            return rc;
    }
    return ni_meta_write(t, &m);
}

/*
 * Flushes the batch into the open write transaction (opening it first).
 * commit: also commits it.  A full map is grown and the flush redone when
 * no earlier flush of the batch is in the transaction.
 */
static int flush_batch(ni_writer *w, int commit)
{
    ni_store *s = w->idx->store;
    int rc, attempt, had_txn;

    while (w->pipe && (rc = collect(w, 1)) == 0)
        ;
    if (w->pipe && rc < 0)
        return rc;

    for (attempt = 0;; attempt++) {
        had_txn = w->txn != NULL;
        /* room for this flush and a few more of the batch: the map cannot
         * grow while the transaction is open */
        if (!w->txn && (rc = ni_store_reserve(s, (uint64_t)w->idx->memory_budget * 2 +
                                                     (uint64_t)w->mem * 4 + (64u << 20))) < 0)
            break;
        if (!w->txn && (rc = ni_txn_begin(&w->txn, s, 1)) < 0)
            break;
        rc = flush_into(w, w->txn);
        if (rc == 0 && commit) {
            rc = ni_txn_commit(w->txn);
            w->txn = NULL;
        }
        if (rc == 0) {
            batch_clear(w);
            return 0;
        }
        ni_txn_abort(w->txn);
        w->txn = NULL;
        if (rc == NI_EFULL && ni_store_take_map_full(s)) {
            /* grow in any case, so that the next batch fits; redo this one
             * when it was still wholly in memory */
            int grown = ni_store_grow(s, w->mem) == 0;
            if (grown && !had_txn && attempt < 16)
                continue;
            rc = ni_error(NI_EFULL, "index '%s' was full; the map has %s; the "
                          "uncommitted batch was discarded", ni_store_path(s),
                          grown ? "grown, add the batch again" : "not grown");
        }
        break;
    }
    batch_clear(w);
    /* a failed flush discards the batch: never report it as one bad document */
    if (rc == NI_EINVAL)
        rc = ni_error(NI_EIO, "writing the batch failed (%s); it was discarded", ni_errmsg());
    return rc;
}

static int flush(ni_writer *w)
{
    return flush_batch(w, 0);
}

static int maybe_compact(ni_writer *w);

int ni_writer_commit(ni_writer *w)
{
    int rc, deleting = w->ndels > 0 || w->ndocs > 0;
    if (!w->txn && w->ndocs == 0 && w->ndels == 0)
        return 0;
    if ((rc = flush_batch(w, 1)) < 0)
        return rc;
    /* the batch is committed: a failed compaction only leaves space unused */
    if (deleting && maybe_compact(w) < 0)
        ni_error_clear();
    return 0;
}

/* ---- compaction -------------------------------------------------------- */

/* Appends the postings of live documents of block data[0..len) to
 * w->post[*n..) (positions as offsets into w->pos, fixed by the caller). */
static int keep_live(ni_writer *w, ni_txn *t, const unsigned char *data, size_t len,
                     size_t *n)
{
    ni_block b;
    ni_docinfo di;
    uint32_t j;
    int rc;

    if ((rc = ni_block_open(&b, data, len)) < 0 || (rc = ni_block_decode_docs(&b)) < 0)
        return rc;
    if ((rc = NI_GROW(w->post, w->cap_post, *n + b.ndocs)) < 0)
        return rc;
    for (j = 0; j < b.ndocs; j++) {
        uint32_t tf = b.tf_title[j] + b.tf_body[j];
        ni_posting *q = &w->post[*n];
        if ((rc = ni_docinfo_get(t, b.docs[j], &di)) < 0)
            return rc == NI_ENOTFOUND ? ni_error(NI_ECORRUPT, "document %u has no docinfo", b.docs[j]) : rc;
        if (di.len_title == NI_DELETED)
            continue;
        if ((rc = NI_GROW(w->pos, w->cap_pos, w->npos + tf)) < 0 ||
            (rc = ni_block_positions(&b, j, w->pos + w->npos, tf)) < 0)
            return rc;
        q->doc = b.docs[j];
        q->tf_title = b.tf_title[j];
        q->tf_body = b.tf_body[j];
        q->len_title = di.len_title;
        q->len_body = di.len_body;
        q->pos = (const uint32_t *)(uintptr_t)w->npos;
        w->npos += tf;
        (*n)++;
    }
    return 0;
}

/* Rewrites the blocks of one term without deleted documents. */
static int compact_term(ni_writer *w, ni_txn *t, ni_cursor *c, const char *term,
                        size_t tlen, ni_term_info *ti)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_val k, v;
    size_t n = 0, i;
    int rc = NI_DONE;

    w->npos = 0;
    if (ti->block) {
        if ((rc = keep_live(w, t, ti->block, ti->block_len, &n)) < 0)
            return rc;
    } else {
        for (rc = ni_cursor_seek(c, key, ni_posting_key(key, term, tlen, 0)); rc == 0;
             rc = ni_cursor_next(c)) {
            if ((rc = ni_cursor_get(c, &k, &v)) < 0)
                return rc;
            if (k.len != tlen + 5 || memcmp(k.data, term, tlen) != 0 || k.data[tlen] != 0)
                break;
            if ((rc = keep_live(w, t, v.data, v.len, &n)) < 0)
                return rc;
        }
        if (rc < 0 && rc != NI_DONE)
            return rc;
        /* drop the old blocks; the new ones are written below */
        while ((rc = ni_cursor_seek(c, key, ni_posting_key(key, term, tlen, 0))) == 0 &&
               (rc = ni_cursor_get(c, &k, NULL)) == 0 && k.len == tlen + 5 &&
               memcmp(k.data, term, tlen) == 0 && k.data[tlen] == 0) {
            memcpy(key, k.data, k.len);
            if ((rc = ni_txn_del(t, NI_T_POSTINGS, key, k.len)) < 0)
                return rc;
        }
        if (rc < 0 && rc != NI_DONE)
            return rc;
    }
    for (i = 0; i < n; i++)
        w->post[i].pos = w->pos + (uintptr_t)w->post[i].pos;
    ti->postings = (uint32_t)n;
    if (n == 0)
        return ni_txn_del(t, NI_T_TERMS, term, tlen);
    if ((rc = store_postings(w, t, term, tlen, n, 0, 0, ti)) < 0)
        return rc;
    return ni_term_info_write(t, term, tlen, ti, 0);
}

static int compact_into(ni_writer *w, ni_txn *t)
{
    ni_cursor *terms = NULL, *post = NULL;
    ni_meta m;
    ni_val k, v;
    size_t off, i, nterms = 0;
    int rc;

    /* the terms with postings of deleted documents, collected first */
    w->terms.len = 0;
    if ((rc = ni_meta_read(t, &m)) < 0 || (rc = ni_cursor_open(&terms, t, NI_T_TERMS)) < 0)
        return rc;
    for (rc = ni_cursor_first(terms); rc == 0; rc = ni_cursor_next(terms)) {
        unsigned char len[2];
        if ((rc = ni_cursor_get(terms, &k, &v)) < 0)
            break;
        {
            ni_term_info ti;
            if (k.len == 0 || k.len > NI_MAX_WORD_BYTES * 2 ||
                ni_term_info_decode(&ti, v.data, v.len) < 0) {
                rc = ni_error(NI_ECORRUPT, "bad lexicon entry");
                break;
            }
            if (ti.postings == ti.df)
                continue;
        }
        len[0] = (unsigned char)(k.len >> 8);
        len[1] = (unsigned char)k.len;
        if ((rc = ni_buf_put(&w->terms, len, 2)) < 0 ||
            (rc = ni_buf_put(&w->terms, k.data, k.len)) < 0)
            break;
        nterms++;
    }
    ni_cursor_close(terms);
    if (rc < 0 && rc != NI_DONE)
        return rc;
    if ((rc = ni_cursor_open(&post, t, NI_T_POSTINGS)) < 0)
        return rc;
    for (i = 0, off = 0; i < nterms && rc >= 0; i++) {
        size_t tlen = (size_t)w->terms.data[off] << 8 | w->terms.data[off + 1];
        const char *term = (const char *)w->terms.data + off + 2;
        ni_term_info ti;
        if ((rc = ni_term_info_read(t, term, tlen, &ti)) == 0)
            rc = compact_term(w, t, post, term, tlen, &ti);
        off += 2 + tlen;
    }
    ni_cursor_close(post);
    w->terms.len = 0;
    if (rc < 0)
        return rc;
    m.deleted = 0;
    return ni_meta_write(t, &m);
}

int ni_writer_compact(ni_writer *w)
{
    ni_store *s = w->idx->store;
    int rc, attempt;

    if ((rc = ni_writer_commit(w)) < 0)
        return rc;
    for (attempt = 0;; attempt++) {
        ni_txn *t;
        if ((rc = ni_txn_begin(&t, s, 1)) < 0)
            return rc;
        if ((rc = compact_into(w, t)) < 0) {
            ni_txn_abort(t);
            if (rc == NI_EFULL && ni_store_take_map_full(s) && attempt < 16 &&
                ni_store_grow(s, 0) == 0)
                continue;
            return rc;
        }
        return ni_txn_commit(t);
    }
}

/* Compacts when a quarter of the documents, and at least 1,024, are
 * deleted. */
static int maybe_compact(ni_writer *w)
{
    ni_txn *t;
    ni_meta m;
    int rc;
    if ((rc = ni_txn_begin(&t, w->idx->store, 0)) < 0)
        return rc;
    rc = ni_meta_read(t, &m);
    ni_txn_abort(t);
    if (rc < 0)
        return rc;
    if (m.deleted >= 1024 && m.deleted * 4 >= m.docs + m.deleted)
        return ni_writer_compact(w);
    return 0;
}
