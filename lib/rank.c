/*
 * rank.c - BM25F (see rank.h for the formulas).
 */
#include <math.h>

#include "rank.h"

double ni_bm25_idf(double docs, double df)
{
    return log(1.0 + (docs - df + 0.5) / (df + 0.5));
}

static double norm(double b, double len, double avg)
{
    return avg > 0 ? 1.0 - b + b * len / avg : 1.0;
}

double ni_bm25_term(const ni_bm25 *p, double idf, uint32_t tf_title,
                    uint32_t tf_body, uint32_t len_title, uint32_t len_body)
{
    double tf = 0;
    if (tf_title)
        tf += p->title_weight * tf_title / norm(p->b, len_title, p->avg_title);
    if (tf_body)
        tf += tf_body / norm(p->b, len_body, p->avg_body);
    return idf * tf * (p->k1 + 1.0) / (tf + p->k1);
}
