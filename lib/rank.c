/*
 * rank.c - BM25F and proximity (see rank.h for the formulas).  Pure
 * functions: no I/O, no state.
 */
#include <math.h>

#include "rank.h"

double ni_bm25_idf(double docs, double df)
{
    return log(1.0 + (docs - df + 0.5) / (df + 0.5));
}

/* A field's length normalisation.  A field holding a term has a length of
 * 1 or more, so an empty one is taken as 1: with b = 1 it would divide by
 * 0 (bounds of blocks whose shortest field is empty included). */
static double norm(double b, double len, double avg)
{
    return avg > 0 ? 1.0 - b + b * (len > 0 ? len : 1) / avg : 1.0;
}

double ni_bm25_term(const ni_bm25 *p, double idf, uint32_t tf_title,
                    uint32_t tf_body, uint32_t lead, uint32_t len_title, uint32_t len_body)
{
    double tf = 0, body = tf_body + (lead ? p->lead_weight : 0);
    if (tf_title)
        tf += p->title_weight * tf_title / norm(p->b, len_title, p->avg_title);
    if (body > 0)
        tf += body / norm(p->b, len_body, p->avg_body);
    return tf > 0 ? idf * tf * (p->k1 + 1.0) / (tf + p->k1) : 0;
}

/* For each occurrence x of a, the b that may be near it lie within
 * reach = window + qdist of x; j is the first b not left behind by an
 * earlier x (a and b ascend). */
double ni_prox_closeness(const uint32_t *a, uint32_t na, const uint32_t *b, uint32_t nb,
                         uint32_t qdist)
{
    uint64_t reach = (uint64_t)NI_PROX_WINDOW + qdist;
    uint32_t i, j = 0, k;
    double tp = 0;

    if (qdist == 0 || qdist > NI_PROX_QDIST_MAX)
        return 0;
    for (i = 0; i < na; i++) {
        uint64_t x = a[i];
        uint64_t best = 0;             /* the smallest d found, 0: none */
        while (j < nb && (uint64_t)b[j] + reach < x)
            j++;
        for (k = j; k < nb && (uint64_t)b[k] <= x + reach; k++) {
            uint64_t y = b[k], d;
            if (y == x)
                continue;
            d = y > x ? (y - x > qdist ? y - x - qdist : qdist - (y - x)) + 1
                      : x - y + qdist + 1;
            if (d <= NI_PROX_WINDOW && (best == 0 || d < best))
                best = d;
        }
        if (best)
            tp += 1.0 / (double)(best * best);
    }
    return tp;
}

double ni_prox_bonus(double weight, double idf_a, double idf_b, double tp)
{
    double idf = idf_a < idf_b ? idf_a : idf_b;
    return tp > 0 ? weight * idf * tp * (NI_PROX_K + 1.0) / (tp + NI_PROX_K) : 0;
}

double ni_prox_max(double weight, double idf_a, double idf_b)
{
    double idf = idf_a < idf_b ? idf_a : idf_b;
    return weight * idf * (NI_PROX_K + 1.0);
}
