/*
 * rank.h - BM25F scoring over the title and body fields.  Pure functions.
 *
 *   idf = ln(1 + (N - df + 0.5) / (df + 0.5))
 *   tf' = w * tf_title / (1 - b + b * len_title / avg_title)
 *             + tf_body / (1 - b + b * len_body / avg_body)
 *   score(term) = idf * tf' * (k1 + 1) / (tf' + k1)
 *
 * A field whose average length is 0 (no document has it) is not
 * normalised.  The document score is the sum over the query terms.
 */
#ifndef NI_RANK_H
#define NI_RANK_H

#include <stdint.h>

typedef struct ni_bm25 {
    double k1, b, title_weight;
    double avg_title, avg_body;
    double docs;
} ni_bm25;

double ni_bm25_idf(double docs, double df);

/* The contribution of one term with the given frequencies and lengths.
 * Also an upper bound for a block when given its largest frequencies and
 * smallest lengths (the score grows with tf and shrinks with length). */
double ni_bm25_term(const ni_bm25 *p, double idf, uint32_t tf_title,
                    uint32_t tf_body, uint32_t len_title, uint32_t len_body);

/* The inverted length normalisation of a field: 1 / (1 - b + b * len / avg),
 * 1 when no document has the field.  Inline: computed for every candidate. */
static inline double ni_bm25_inv_norm(const ni_bm25 *p, uint32_t len, double avg)
{
    return avg > 0 ? 1.0 / (1.0 - p->b + p->b * (double)len / avg) : 1.0;
}

/* ni_bm25_term with the document's inverted normalisations computed once
 * (the hot path: one division per term and document). */
static inline double ni_bm25_term_inv(const ni_bm25 *p, double idf, uint32_t tf_title,
                                      uint32_t tf_body, double inv_title, double inv_body)
{
    double tf = p->title_weight * tf_title * inv_title + tf_body * inv_body;
    return tf > 0 ? idf * tf * (p->k1 + 1.0) / (tf + p->k1) : 0;
}

#endif
