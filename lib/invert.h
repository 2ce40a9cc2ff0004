/*
 * invert.h - one document analysed and inverted on its own, without the
 * batch: its stored record, its field lengths and, for each distinct term,
 * the postings bytes the batch appends after the document's number.  This
 * is the part of indexing that needs no shared state, so any thread can do
 * it (pipeline.c); merging the result into the batch is batch.c's.
 */
#ifndef NI_INVERT_H
#define NI_INVERT_H

#include "buf.h"
#include "minhash.h"

/* A distinct term of the document. */
typedef struct ni_dterm {
    uint32_t term_off, term_len;    /* in ni_doc_terms.terms */
    uint32_t hash;                  /* ni_term_hash of the term */
    uint32_t post_off, post_len;    /* in ni_doc_terms.post: varint title tf,
                                       body tf, then the gaps between its
                                       positions (title first, ascending) */
} ni_dterm;

typedef struct ni_doc_terms {
    ni_buf record;                  /* its packed stored fields (ni_record_pack) */
    ni_buf terms;
    ni_buf post;
    ni_dterm *dt;
    size_t ndt, cap_dt;
    uint32_t len_title, len_body;   /* in positions */
    unsigned char sig[NI_SIG_BYTES]; /* its near-duplicate signature (minhash.h) */
} ni_doc_terms;

typedef struct ni_inverter ni_inverter;

/* One per thread: an analyzer and scratch space. */
int ni_inverter_new(ni_inverter **out);
void ni_inverter_free(ni_inverter *inv);

/* The inverter's analyzer, for other uses in the same thread. */
ni_analyzer *ni_inverter_analyzer(ni_inverter *inv);

/*
 * Analyses doc into *out (its previous contents replaced; zeroed memory is
 * an empty ni_doc_terms).  The title takes positions 0..T-1, the body starts
 * at T + NI_BODY_GAP, the rubric term follows the body after another gap.
 * Returns 0, NI_ENOMEM, or NI_EINVAL for a document too large to store.
 */
int ni_invert_doc(ni_inverter *inv, const ni_doc *doc, ni_doc_terms *out);

void ni_doc_terms_free(ni_doc_terms *d);

#endif
