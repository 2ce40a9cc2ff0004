/*
 * batch.h - the in-memory batch: the documents added since the last flush,
 * inverted.  Each term of the batch accumulates, as varints, the postings
 * of the documents that have it; each document keeps its id, its packed
 * stored fields and its lengths; ids deleted from the committed index are
 * listed.  Documents are numbered in the order they were added (their
 * local number); internal ids are given at flush (flush.h).
 *
 * Replacing: adding an id already in the batch marks the earlier copy
 * replaced (the flush skips its postings and record).  The batch knows
 * nothing of LMDB, threads or the memory budget; writer.c decides when it
 * is flushed, flush.c writes it.
 */
#ifndef NI_BATCH_H
#define NI_BATCH_H

#include "hash.h"
#include "invert.h"

/*
 * A term of the batch.  Its postings, post, are for each document that has
 * it, in local order: varint local number, then the document's bytes from
 * invert.c (varint title tf, body tf, the gaps between its positions).
 */
typedef struct ni_batch_term {
    uint32_t term_off, term_len;    /* in ni_batch.terms */
    uint32_t hash;                  /* ni_term_hash of the term */
    ni_buf post;
} ni_batch_term;

/* What became of a document of the batch (ni_batch_doc.dead). */
enum {
    NI_BATCH_LIVE,
    NI_BATCH_REPLACED,              /* by a later copy, or deleted */
    NI_BATCH_FAILED                 /* not indexed; postings it left are skipped */
};

typedef struct ni_batch_doc {
    size_t id_off, rec_off;         /* in ni_batch.ids and ni_batch.records */
    uint32_t id_len, rec_len;
    uint32_t len_title, len_body;   /* in positions */
    int64_t date;
    int16_t date_offset;            /* ni_doc.date_offset, */
    uint8_t date_form;              /* .date_form */
    int dead;                       /* NI_BATCH_* */
    unsigned char sig[NI_SIG_BYTES]; /* near-duplicate signature (minhash.h) */
} ni_batch_doc;

/* An id to delete from the committed index: bytes of ni_batch.ids. */
typedef struct ni_batch_span {
    size_t off;
    uint32_t len;
} ni_batch_span;

/* A term to sort: its first 8 bytes as a big-endian number (zeros past
 * its end), which orders most pairs without looking at the bytes. */
typedef struct ni_batch_key {
    uint64_t prefix;
    uint32_t term;                  /* index in ni_batch.term */
} ni_batch_key;

/* Zeroed memory is an empty batch. */
typedef struct ni_batch {
    ni_buf terms;                   /* bytes of the terms */
    ni_batch_term *term;
    size_t nterms, cap_terms;
    ni_hash term_hash;              /* term bytes -> index in term */

    ni_buf records;                 /* packed stored fields (ni_record_pack) */
    ni_buf ids;                     /* bytes of the documents' and deleted ids */
    ni_batch_doc *docs;             /* by local number */
    size_t ndocs, cap_docs;
    uint32_t merged;                /* docs[0..merged) have their postings */
    ni_hash id_hash;                /* id -> its latest document */
    ni_batch_span *dels;            /* committed ids to delete */
    size_t ndels, cap_dels;

    size_t mem;                     /* bytes held, as estimated when added */

    ni_batch_key *sorted;           /* ni_batch_sort_terms' result */
    size_t cap_sorted;
    uint32_t *order;                /* ni_batch_sort_ids' result */
    size_t cap_order;
} ni_batch;

/* Empties the batch, keeping its memory for the next one. */
void ni_batch_clear(ni_batch *b);
void ni_batch_free(ni_batch *b);

/*
 * Adding document number b->ndocs takes three steps.  ni_batch_begin copies
 * its id and makes room for the rest; then its postings are merged (at
 * once, or later when the pipeline has inverted it); ni_batch_end counts it
 * in.  When it cannot be added, ni_batch_cancel forgets it (before any
 * postings were merged) or ni_batch_fail keeps its number taken by a failed
 * entry (merging failed half way).  Neither allocates.
 */
int ni_batch_begin(ni_batch *b, const ni_doc *doc);
void ni_batch_cancel(ni_batch *b);
void ni_batch_fail(ni_batch *b);
/* Counts doc in: an earlier copy with its id is replaced, the memory
 * estimate grows by what doc adds (see the comment in batch.c). */
void ni_batch_end(ni_batch *b, const ni_doc *doc);

/* Merges the inverted document dt as document b->merged (which must have
 * begun): its postings, stored record and lengths; then b->merged grows.
 * On failure some terms may hold postings of it: fail or clear the batch. */
int ni_batch_merge(ni_batch *b, const ni_doc_terms *dt);

/* Marks the live document with this id replaced: 1 when there was one. */
int ni_batch_kill(ni_batch *b, const char *id, size_t len);

/* Lists a committed id for deletion at flush.  NI_ENOMEM. */
int ni_batch_delete(ni_batch *b, const char *id, size_t len);

/* The id of a document of the batch. */
static inline const char *ni_batch_id(const ni_batch *b, const ni_batch_doc *d)
{
    return (const char *)b->ids.data + d->id_off;
}

/* Sorts the terms in byte order into b->sorted[0..b->nterms).  NI_ENOMEM. */
int ni_batch_sort_terms(ni_batch *b);

/* Puts the local numbers of the live documents, in byte order of their
 * ids, into b->order[0..*n).  NI_ENOMEM. */
int ni_batch_sort_ids(ni_batch *b, size_t *n);

/*
 * A term's postings, read: ni_batch_posting reads the next document's
 * local number and frequencies at *p (before end), ni_batch_positions then
 * its n = tft + tfb positions into pos (skips them when pos is NULL).
 * Both return 0, or NI_ECORRUPT when the bytes are damaged.
 */
static inline int ni_batch_posting(const unsigned char **p, const unsigned char *end,
                                   uint64_t *local, uint64_t *tft, uint64_t *tfb)
{
    return ni_varint_get(p, end, local) || ni_varint_get(p, end, tft) ||
                   ni_varint_get(p, end, tfb)
               ? NI_ECORRUPT : 0;
}
static inline int ni_batch_positions(const unsigned char **p, const unsigned char *end,
                                     uint64_t n, uint32_t *pos)
{
    uint64_t gap, at = 0, k;
    for (k = 0; k < n; k++) {
        if (ni_varint_get(p, end, &gap))
            return NI_ECORRUPT;
        at += gap;
        if (pos)
            pos[k] = (uint32_t)at;
    }
    return 0;
}

#endif
