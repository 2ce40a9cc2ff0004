/*
 * invert.h - one document analysed and inverted on its own, without the
 * batch: its stored record, its field lengths and, for each distinct term,
 * the postings bytes the batch appends after the document's number.  This
 * is the part of indexing that needs no shared state, so any thread can do
 * it (pipeline.c); merging the result into the batch is writer.c's.
 */
#ifndef NI_INVERT_H
#define NI_INVERT_H

#include <string.h>

#include "internal.h"

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

/* The hash of a term's bytes used by the inverter and the batch (in
 * memory only); never 0.  Eight bytes at a time: terms are short. */
static inline uint32_t ni_term_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
    size_t i;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    for (w = 0, i = 0; i < n; i++)
        w |= (uint64_t)s[i] << (8 * i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 32;
    return (uint32_t)h ? (uint32_t)h : 1;
}

#endif
