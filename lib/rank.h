/*
 * rank.h - BM25F scoring over the title and body fields.  Pure functions.
 *
 *   idf = ln(1 + (N - df + 0.5) / (df + 0.5))
 *   tf' = w * tf_title / (1 - b + b * len_title / avg_title)
 *             + (tf_body + lw * lead) / (1 - b + b * len_body / avg_body)
 *   score(term) = idf * tf' * (k1 + 1) / (tf' + k1)
 *
 * A field whose average length is 0 (no document has it) is not
 * normalised.  lead is 1 when the term occurs in the lead of the body
 * (its first NI_LEAD_POSITIONS positions, postings.h) and not in the
 * title, else 0: lead weighting, the news convention that the first
 * sentences say what the headline says (the inverted pyramid; a
 * positional prior on early occurrences as in Troy & Zhang, "Incorporating
 * term position", and the first-position feature of Lv & Zhai's
 * positional models), counted as lw more occurrences in the body.  A
 * term of the title gets no lead credit: a telegram post's body starts
 * with a copy of its headline, which the title already counts.  The
 * weight lw is NI_LEAD_WEIGHT (bench/README.md, "Lead").  The document score is the sum over the query terms, plus
 * the proximity of the query's words (ni_prox_*, below).
 */
#ifndef NI_RANK_H
#define NI_RANK_H

#include <stdint.h>

#define NI_LEAD_WEIGHT 1.5

typedef struct ni_bm25 {
    double k1, b, title_weight;
    double lead_weight;        /* lw */
    double avg_title, avg_body;
    double docs;
} ni_bm25;

double ni_bm25_idf(double docs, double df);

/* The contribution of one term with the given frequencies and lengths,
 * lead 1 adding the lead's weight (for a document: the term is in its lead
 * and not in its title, see ni_bm25_lead).  Also an upper bound for a block
 * when given its largest frequencies, smallest lengths and lead 1 when any
 * of its documents has the term in the lead (the score grows with tf and
 * lead, shrinks with length). */
double ni_bm25_term(const ni_bm25 *p, double idf, uint32_t tf_title,
                    uint32_t tf_body, uint32_t lead, uint32_t len_title, uint32_t len_body);

/* A document's lead as ni_bm25_term counts it: in the lead (in_lead 1) and
 * not in the title. */
static inline uint32_t ni_bm25_lead(uint32_t tf_title, uint32_t in_lead)
{
    return tf_title == 0 ? in_lead : 0;
}

/* The inverted length normalisation of a field: 1 / (1 - b + b * len / avg),
 * 1 when no document has the field; an empty field as one of length 1 (it
 * holds no term, and with b = 1 would divide by 0: ni_bm25_term).  Inline:
 * computed for every candidate. */
static inline double ni_bm25_inv_norm(const ni_bm25 *p, uint32_t len, double avg)
{
    return avg > 0 ? 1.0 / (1.0 - p->b + p->b * (double)(len ? len : 1) / avg) : 1.0;
}

/* ni_bm25_term with the document's inverted normalisations computed once
 * (the hot path: one division per term and document). */
static inline double ni_bm25_term_inv(const ni_bm25 *p, double idf, uint32_t tf_title,
                                      uint32_t tf_body, uint32_t lead, double inv_title,
                                      double inv_body)
{
    double tf = p->title_weight * tf_title * inv_title +
                (tf_body + (lead ? p->lead_weight : 0)) * inv_body;
    return tf > 0 ? idf * tf * (p->k1 + 1.0) / (tf + p->k1) : 0;
}

/*
 * Proximity: BM25TP (Rasolofo & Savoy 2003) over neighbouring query words.
 * Two content words a and b that stand qdist positions apart in the query
 * (qdist >= 1; the function words between them count) are looked for near
 * each other in a document: each occurrence of a is paired with the
 * nearest occurrence of b, at the distance
 *
 *   d = |(pos_b - pos_a) - qdist| + 1    when b follows a (1: as in the query)
 *   d = (pos_a - pos_b) + qdist + 1      when b comes first,
 *
 * which adds 1 / d^2 to their closeness tp when d <= NI_PROX_WINDOW.  The
 * pair's bonus saturates like a frequency and weighs as the commoner word:
 *
 *   bonus = weight * min(idf_a, idf_b) * tp * (K + 1) / (tp + K),  K = NI_PROX_K
 *
 * so it stays below ni_prox_max = weight * min(idf_a, idf_b) * (K + 1),
 * the bound dynamic pruning uses.  Title and body positions are
 * NI_BODY_GAP apart, more than any distance counted (qdist is at most
 * NI_PROX_QDIST_MAX): a pair never joins the two fields.
 */
#define NI_PROX_WINDOW 5
#define NI_PROX_K 0.3
#define NI_PROX_QDIST_MAX 32

/* The closeness tp of words at the sorted positions a[0..na) and
 * b[0..nb) that stand qdist apart in the query (0 when qdist is 0 or
 * above NI_PROX_QDIST_MAX).  A position in both lists pairs with no
 * other. */
double ni_prox_closeness(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb,
                         uint32_t qdist);

/* The bonus of a pair of closeness tp (see above). */
double ni_prox_bonus(double weight, double idf_a, double idf_b, double tp);

/* No pair of words with these idfs has a bonus above this. */
double ni_prox_max(double weight, double idf_a, double idf_b);

#endif
