/*
 * Unit tests of BM25F (lib/rank.c, lib/rank.h) against the formulas of
 * rank.h, with expected values worked out by hand from the formulas (not
 * from the code): idf at its edges (df = 1, df = N), a term's score,
 * growth in tf and saturation at idf * (k1 + 1), length normalisation
 * with b = 0 and b = 1, a field no document has, the title weight, and
 * the lead (lw more body occurrences, not for a term of the title), and
 * the hot-path form with inverted norms agreeing with ni_bm25_term; the
 * proximity of two words (closeness at each distance, in and out of order,
 * at the window's edge, nearest partner, fields apart) and its bonus,
 * below its bound.
 */
#include <math.h>

#include "../lib/rank.h"
#include "test.h"

/* Equal to a relative 1e-12 (the formulas in another order of operations). */
static int near(double got, double want)
{
    return fabs(got - want) <= 1e-12 * fmax(1.0, fabs(want));
}

static ni_bm25 params(double k1, double b, double w, double avg_title, double avg_body)
{
    ni_bm25 p;
    p.k1 = k1;
    p.b = b;
    p.title_weight = w;
    p.lead_weight = 1.0;
    p.avg_title = avg_title;
    p.avg_body = avg_body;
    p.docs = 1000;
    return p;
}

/* idf = ln(1 + (N - df + 0.5) / (df + 0.5)) */
static void idf_values(void)
{
    double prev = INFINITY, df;
    int ok = 1;
    /* N = 10, df = 1: ln(1 + 9.5 / 1.5) = ln(22 / 3) */
    CHECK(near(ni_bm25_idf(10, 1), 1.992430164690206));
    CHECK(near(ni_bm25_idf(10, 1), log(22.0 / 3.0)));
    /* df = N = 10: ln(1 + 0.5 / 10.5) = ln(22 / 21), small but positive */
    CHECK(near(ni_bm25_idf(10, 10), 0.04652001563489291));
    CHECK(ni_bm25_idf(10, 10) > 0);
    /* N = df = 1: ln(4 / 3) */
    CHECK(near(ni_bm25_idf(1, 1), 0.28768207245178085));
    /* df = 0 (a term no live document has): ln(2N + 2) */
    CHECK(near(ni_bm25_idf(10, 0), log(22.0)));
    /* falls as df grows, stays above 0 up to df = N */
    for (df = 1; df <= 1000; df++) {
        double v = ni_bm25_idf(1000, df);
        ok &= v < prev && v > 0;
        prev = v;
    }
    CHECK(ok);
}

/* score = idf * tf' * (k1 + 1) / (tf' + k1),
 * tf' = w * tf_t / (1 - b + b * len_t / avg_t) + tf_b / (1 - b + b * len_b / avg_b) */
static void term_value(void)
{
    ni_bm25 p = params(1.2, 0.75, 2.0, 10, 200);
    /* norms 0.25 + 0.75 * 0.8 = 0.85 and 0.25 + 0.75 * 1.5 = 1.375;
     * tf' = 2 / 0.85 + 3 / 1.375 = 4.5347593582...; 1.5 * tf' * 2.2 / (tf' + 1.2) */
    CHECK(near(ni_bm25_term(&p, 1.5, 1, 3, 0, 8, 300), 2.6094740768370013));
    /* swapping k1 and b gives another value */
    p = params(0.75, 1.2, 2.0, 10, 200);
    CHECK(!near(ni_bm25_term(&p, 1.5, 1, 3, 0, 8, 300), 2.6094740768370013));
    /* b = 1, title weight 0, body twice the average: tf' = 2 / 2 = 1, and
     * 1 * (k1 + 1) / (1 + k1) = 1: the score is idf, whatever k1 */
    p = params(1.2, 1.0, 0.0, 10, 200);
    CHECK(near(ni_bm25_term(&p, 0.8, 0, 2, 0, 3, 400), 0.8));
    p.k1 = 7.5;
    CHECK(near(ni_bm25_term(&p, 0.8, 0, 2, 0, 3, 400), 0.8));
    /* no frequency, no score */
    p = params(1.2, 0.75, 2.0, 10, 200);
    CHECK(ni_bm25_term(&p, 1.5, 0, 0, 0, 8, 300) == 0);
}

static void monotonic_in_tf(void)
{
    ni_bm25 p = params(1.2, 0.75, 2.0, 10, 200);
    double prev = 0, v, top = 1.5 * (1.2 + 1.0);
    uint32_t tf;
    int ok = 1;
    for (tf = 1; tf <= 2000; tf++) {
        v = ni_bm25_term(&p, 1.5, 0, tf, 0, 10, 200);
        ok &= v > prev && v < top;
        prev = v;
        v = ni_bm25_term(&p, 1.5, tf, 1, 0, 10, 200);
        ok &= v > ni_bm25_term(&p, 1.5, tf - 1, 1, 0, 10, 200);
    }
    CHECK(ok);
    /* saturates at idf * (k1 + 1) */
    v = ni_bm25_term(&p, 1.5, 0, UINT32_MAX, 0, 10, 200);
    CHECK(v < top && v > top * (1 - 1e-9));
}

static void length_normalisation(void)
{
    ni_bm25 p = params(1.2, 0.0, 2.0, 10, 200);
    double prev, v;
    uint32_t len;
    int ok = 1;

    /* b = 0: length does not matter */
    v = ni_bm25_term(&p, 1.0, 2, 3, 0, 1, 1);
    CHECK(v == ni_bm25_term(&p, 1.0, 2, 3, 0, 10, 200));
    CHECK(v == ni_bm25_term(&p, 1.0, 2, 3, 0, 100000, 4000000));
    CHECK(ni_bm25_inv_norm(&p, 100000, 200) == 1.0);
    /* b = 1: tf' = tf * avg / len exactly */
    p.b = 1.0;
    CHECK(near(ni_bm25_inv_norm(&p, 50, 200), 4.0));
    CHECK(near(ni_bm25_inv_norm(&p, 400, 200), 0.5));
    p.title_weight = 0;
    /* tf 1 at a quarter of the average: tf' = 4, 4 * 2.2 / 5.2 */
    CHECK(near(ni_bm25_term(&p, 1.0, 0, 1, 0, 0, 50), 4 * 2.2 / 5.2));
    /* tf 4 at four times the average: tf' = 1 */
    CHECK(near(ni_bm25_term(&p, 1.0, 0, 4, 0, 0, 800), 1.0));
    /* the longer the field, the lower the score, for any b > 0 */
    for (p.b = 0.25; p.b <= 1.0; p.b += 0.25)
        for (prev = INFINITY, len = 1; len < 5000; len += 7) {
            v = ni_bm25_term(&p, 1.0, 0, 3, 0, 0, len);
            ok &= v < prev;
            prev = v;
        }
    CHECK(ok);
}

/* A field whose average is 0 (no document has it) is not normalised. */
static void field_nobody_has(void)
{
    ni_bm25 p = params(1.2, 0.75, 2.0, 0, 200);
    /* tf' = 2 * 2 / 1 = 4: 0.7 * 4 * 2.2 / 5.2 */
    CHECK(near(ni_bm25_term(&p, 0.7, 2, 0, 0, 5, 0), 1.1846153846153846));
    CHECK(ni_bm25_term(&p, 0.7, 2, 0, 0, 5, 0) == ni_bm25_term(&p, 0.7, 2, 0, 0, 500, 0));
    CHECK(ni_bm25_inv_norm(&p, 5, 0) == 1.0);
    CHECK(!isnan(ni_bm25_term(&p, 0.7, 2, 0, 0, 0, 0)));
}

static void title_weight(void)
{
    ni_bm25 p = params(1.2, 0.0, 0.0, 10, 200);
    /* weight 0: title occurrences count for nothing */
    CHECK(ni_bm25_term(&p, 1.0, 5, 0, 0, 10, 200) == 0);
    CHECK(ni_bm25_term(&p, 1.0, 5, 2, 0, 10, 200) == ni_bm25_term(&p, 1.0, 0, 2, 0, 10, 200));
    CHECK(ni_bm25_term_inv(&p, 1.0, 5, 0, 0, 1.0, 1.0) == 0);
    /* weight 2 (b = 0): one title occurrence counts as two in the body */
    p.title_weight = 2.0;
    CHECK(near(ni_bm25_term(&p, 1.0, 1, 0, 0, 10, 200), ni_bm25_term(&p, 1.0, 0, 2, 0, 10, 200)));
    CHECK(near(ni_bm25_term(&p, 1.0, 1, 0, 0, 10, 200), 2 * 2.2 / 3.2));
    /* weight 3, title and body: tf' = 3 * 2 + 1 = 7 */
    p.title_weight = 3.0;
    CHECK(near(ni_bm25_term(&p, 1.0, 2, 1, 0, 10, 200), 7 * 2.2 / 8.2));
}

/* tf' = w * tf_t / norm_t + (tf_b + lw * lead) / norm_b */
static void lead(void)
{
    ni_bm25 p = params(1.2, 0.0, 2.0, 10, 200);
    /* lw 1, b 0: in the lead is one body occurrence more */
    CHECK(near(ni_bm25_term(&p, 1.0, 0, 1, 1, 10, 200), 2 * 2.2 / 3.2));
    CHECK(ni_bm25_term(&p, 1.0, 0, 1, 1, 10, 200) == ni_bm25_term(&p, 1.0, 0, 2, 0, 10, 200));
    CHECK(near(ni_bm25_term(&p, 1.5, 0, 3, 1, 10, 200), 1.5 * 4 * 2.2 / 5.2));
    /* a bound may have the lead without a body frequency: tf' = lw */
    CHECK(near(ni_bm25_term(&p, 1.0, 0, 0, 1, 10, 200), 2.2 / 2.2));
    /* lw 0.5, b 1, a body twice the average: tf' = (1 + 0.5) / 2 */
    p.lead_weight = 0.5;
    p.b = 1.0;
    CHECK(near(ni_bm25_term(&p, 1.0, 0, 1, 1, 10, 400), 0.75 * 2.2 / 1.95));
    /* with the title (w 2, title as long as the average): 2 + 0.75 */
    CHECK(near(ni_bm25_term(&p, 1.0, 1, 1, 1, 10, 400), 2.75 * 2.2 / 3.95));
    /* lw 0: the lead counts for nothing */
    p.lead_weight = 0;
    CHECK(ni_bm25_term(&p, 1.0, 0, 1, 1, 10, 400) == ni_bm25_term(&p, 1.0, 0, 1, 0, 10, 400));
    /* a document's lead counts only when the term is not in its title */
    CHECK(ni_bm25_lead(0, 1) == 1);
    CHECK(ni_bm25_lead(1, 1) == 0);
    CHECK(ni_bm25_lead(0, 0) == 0);
    CHECK(ni_bm25_lead(3, 0) == 0);
}

/* ni_bm25_term_inv with ni_bm25_inv_norm gives ni_bm25_term's score. */
static void inverted_norms_agree(void)
{
    ni_bm25 p = params(1.2, 0.75, 2.0, 11.5, 230.25);
    static const uint32_t tfs[] = { 0, 1, 2, 7, 130 }, lens[] = { 1, 5, 11, 12, 230, 231, 5000 };
    size_t a, b, c, d;
    uint32_t l;
    int ok = 1;
    for (a = 0; a < 5; a++)
        for (b = 0; b < 5; b++)
            for (c = 0; c < 7; c++)
                for (d = 0; d < 7; d++)
                    for (l = 0; l < 2; l++) {
                        double it = ni_bm25_inv_norm(&p, lens[c], p.avg_title);
                        double ib = ni_bm25_inv_norm(&p, lens[d], p.avg_body);
                        ok &= near(ni_bm25_term_inv(&p, 1.3, tfs[a], tfs[b], l, it, ib),
                                   ni_bm25_term(&p, 1.3, tfs[a], tfs[b], l, lens[c], lens[d]));
                    }
    CHECK(ok);
}

/* b = 1 and an empty field (a title-less document, or a block whose
 * shortest title is empty): finite scores and bounds, the empty field
 * adding nothing, and a bound over an empty field at least the score of a
 * field of length 1. */
static void empty_field_full_b(void)
{
    ni_bm25 p = params(0.3, 1.0, 4.0, 11.5, 230.25);
    double it = ni_bm25_inv_norm(&p, 0, p.avg_title), ib = ni_bm25_inv_norm(&p, 40, p.avg_body);
    double s = ni_bm25_term_inv(&p, 2.0, 0, 3, 0, it, ib);
    CHECK(isfinite(it) && isfinite(s) && s > 0);
    CHECK(near(s, ni_bm25_term(&p, 2.0, 0, 3, 0, 0, 40)));
    CHECK(near(s, ni_bm25_term_inv(&p, 2.0, 0, 3, 0, 0, ib)));   /* the title adds nothing */
    /* a bound with the shortest title empty */
    CHECK(isfinite(ni_bm25_term(&p, 2.0, 2, 3, 1, 0, 0)));
    CHECK(ni_bm25_term(&p, 2.0, 2, 3, 1, 0, 0) >= ni_bm25_term(&p, 2.0, 2, 3, 1, 1, 1));
}

/* Closeness of a at x and b at y for query distance q (one occurrence each). */
static double close1(uint32_t x, uint32_t y, uint32_t q)
{
    return ni_prox_closeness(&x, 1, &y, 1, q);
}

/* d = |(y - x) - q| + 1 when b follows a, (x - y) + q + 1 when it comes
 * first; 1 / d^2 up to d = 5 (NI_PROX_WINDOW). */
static void closeness_by_distance(void)
{
    static const uint32_t a[] = { 10, 40, 41 }, b[] = { 11, 42, 300 };
    static const uint32_t title[] = { 3 }, body[] = { 104 };
    /* adjacent as in the query, then one to four words between */
    CHECK(near(close1(10, 11, 1), 1.0));
    CHECK(near(close1(10, 12, 1), 1.0 / 4));
    CHECK(near(close1(10, 13, 1), 1.0 / 9));
    CHECK(near(close1(10, 15, 1), 1.0 / 25));   /* d = 5: the last counted */
    CHECK(close1(10, 16, 1) == 0);               /* d = 6 */
    /* the query has a word between them (qdist 2): as written is d = 1,
     * adjacent in the document is one off */
    CHECK(near(close1(10, 12, 2), 1.0));
    CHECK(near(close1(10, 11, 2), 1.0 / 4));
    CHECK(near(close1(10, 16, 2), 1.0 / 25));
    CHECK(close1(10, 17, 2) == 0);
    /* b first: d = (x - y) + q + 1 */
    CHECK(near(close1(11, 10, 1), 1.0 / 9));
    CHECK(near(close1(13, 10, 1), 1.0 / 25));
    CHECK(close1(14, 10, 1) == 0);
    CHECK(near(close1(12, 10, 2), 1.0 / 25));
    /* one position is one word: it pairs with nothing */
    CHECK(close1(10, 10, 1) == 0);
    /* qdist 0 or beyond NI_PROX_QDIST_MAX: no pair */
    CHECK(close1(10, 11, 0) == 0);
    CHECK(close1(10, 43, NI_PROX_QDIST_MAX + 1) == 0);
    CHECK(near(close1(10, 10 + NI_PROX_QDIST_MAX, NI_PROX_QDIST_MAX), 1.0));
    /* each a counts its nearest b: 10 -> 11 (1), 40 -> 42 (1/4),
     * 41 -> 42 (1); 300 is nobody's */
    CHECK(near(ni_prox_closeness(a, 3, b, 3, 1), 2.25));
    /* the other way round, a at 11, 42, 300 and b at 10, 40, 41: 11 -> 10
     * is d = 3, 42 -> 41 is d = 3, 42 -> 40 is d = 4 (the nearer wins) */
    CHECK(near(ni_prox_closeness(b, 3, a, 3, 1), 2.0 / 9));
    /* a title word and a body word never pair: NI_BODY_GAP apart */
    CHECK(ni_prox_closeness(title, 1, body, 1, 1) == 0);
    CHECK(ni_prox_closeness(a, 0, b, 3, 1) == 0);
    CHECK(ni_prox_closeness(a, 3, b, 0, 1) == 0);
}

/* bonus = weight * min(idf) * tp * 1.3 / (tp + 0.3), below weight * min(idf) * 1.3
 * (NI_PROX_K = 0.3) */
static void proximity_bonus(void)
{
    double prev = 0, tp;
    int ok = 1;
    CHECK(ni_prox_bonus(0.3, 2.0, 5.0, 0) == 0);
    CHECK(near(ni_prox_bonus(0.3, 2.0, 5.0, 1), 0.3 * 2.0 * 1.3 / 1.3));
    CHECK(near(ni_prox_bonus(0.3, 5.0, 2.0, 0.25), 0.3 * 2.0 * 0.25 * 1.3 / 0.55));
    CHECK(near(ni_prox_bonus(1.0, 3.0, 3.0, 4), 3.0 * 4 * 1.3 / 4.3));
    CHECK(near(ni_prox_max(0.3, 2.0, 5.0), 0.3 * 2.0 * 1.3));
    CHECK(ni_prox_bonus(0, 2.0, 5.0, 3) == 0);
    /* grows with the closeness and stays below the bound */
    for (tp = 0.04; tp < 1e6; tp *= 1.5) {
        double v = ni_prox_bonus(0.3, 4.0, 7.0, tp);
        ok &= v > prev && v < ni_prox_max(0.3, 4.0, 7.0);
        prev = v;
    }
    CHECK(ok);
}

TEST_MAIN(TEST(idf_values), TEST(term_value), TEST(monotonic_in_tf),
          TEST(length_normalisation), TEST(field_nobody_has), TEST(title_weight), TEST(lead),
          TEST(inverted_norms_agree), TEST(empty_field_full_b), TEST(closeness_by_distance),
          TEST(proximity_bonus))
