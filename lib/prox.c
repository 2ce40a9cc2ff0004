/*
 * prox.c - proximity in the score (prox.h): the shares of the pair bounds
 * and the matcher that adds the bonus.  The formula is rank.c's, the
 * positions come from term.c; this file only pairs neighbouring words and
 * reads each word's positions once per document, when a neighbour stands
 * on the document too.
 */
#include <math.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "prox.h"
#include "term.h"

/* For the bonus's test of every candidate: its slow part out of line, so
 * that the test does not pay for the slow part's registers. */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

/* The query distance of neighbours k and k + 1, 0 when they form no pair. */
static uint32_t qdist(const uint32_t *qpos, size_t k)
{
    uint32_t d = qpos[k + 1] > qpos[k] ? qpos[k + 1] - qpos[k] : 0;
    return d <= NI_PROX_QDIST_MAX ? d : 0;
}

/* max[k] = the bound of pair k (ni_prox_max), 0 for the pairs that do not
 * count: those whose words stand too far apart in the query, and those
 * beyond the NI_PROX_PAIRS with the largest bounds (the first on ties). */
static void pair_bounds(ni_matcher *const *words, const uint32_t *qpos, size_t n,
                        double weight, double *max)
{
    size_t k, kept, best;
    for (k = 0; k + 1 < n; k++)
        max[k] = qdist(qpos, k) ? -ni_prox_max(weight, ni_match_idf(words[k]),
                                                ni_match_idf(words[k + 1])) : 0;
    /* the largest, made positive one at a time; the rest left out */
    for (kept = 0; kept < NI_PROX_PAIRS; kept++) {
        for (best = n, k = 0; k + 1 < n; k++)
            if (max[k] < 0 && (best == n || max[k] < max[best]))
                best = k;
        if (best == n)
            break;
        max[best] = -max[best];
    }
    for (k = 0; k + 1 < n; k++)
        if (max[k] < 0)
            max[k] = 0;
}

void ni_prox_share(ni_matcher *const *words, const uint32_t *qpos, size_t n, double weight)
{
    double max[NI_PROX_WORDS];
    size_t k;
    if (n > NI_PROX_WORDS)
        n = NI_PROX_WORDS;
    pair_bounds(words, qpos, n, weight, max);
    for (k = 0; k + 1 < n; k++) {
        ni_matcher *a = words[k], *b = words[k + 1], *rare;
        if (max[k] == 0)
            continue;
        rare = b->cost < a->cost ? b : a;
        rare->share += max[k];
        rare->max_score += max[k];
    }
}

typedef struct prox_m {
    ni_matcher m;
    ni_matcher *kid;
    size_t n;
    double weight;
    int err;                   /* a failure while scoring, for next/advance */
    ni_matcher *w[NI_PROX_WORDS]; /* the words, borrowed */
    uint32_t qpos[NI_PROX_WORDS];
    double idf[NI_PROX_WORDS];
    double pmax[NI_PROX_WORDS]; /* pair k's ni_prox_max, 0: no pair */
    size_t pair[NI_PROX_PAIRS], npairs; /* the pairs that count, in query order */
    double ub[NI_PROX_PAIRS];  /* their bounds in the document being scored */
    uint32_t *pos[NI_PROX_WORDS]; /* word k's positions in doc read_at[k] - 1 */
    uint32_t npos[NI_PROX_WORDS], cap[NI_PROX_WORDS], read_at[NI_PROX_WORDS];
} prox_m;

/* Word k's positions in doc, read once. */
static int positions(prox_m *p, size_t k, uint32_t doc)
{
    int rc;
    if (p->read_at[k] == doc + 1)
        return 0;
    if ((rc = ni_match_positions(p->w[k], &p->pos[k], &p->npos[k], &p->cap[k])) < 0)
        return rc;
    p->read_at[k] = doc + 1;
    return 0;
}

/*
 * The bonus of the pairs pair[first..npairs) whose two words stand on doc
 * (pair first's do).  Each is first bounded at the closeness its first
 * word's frequency allows (an occurrence adds at most 1, and the bonus
 * grows with the closeness: rank.h); positions are read pair by pair while
 * score, the bonus so far and the bounds of the pairs left can still reach
 * theta.
 */
static NOINLINE int bonus_from(prox_m *p, size_t first, uint32_t doc, double score,
                               double theta, double *out)
{
    double left = 0, tp;
    size_t i, k;
    int rc;
    for (i = first; i < p->npairs; i++) {
        k = p->pair[i];
        p->ub[i] = 0;
        if (p->w[k]->doc == doc && p->w[k + 1]->doc == doc) {
            tp = (double)ni_match_tf(p->w[k]);
            p->ub[i] = p->pmax[k] * tp / (tp + NI_PROX_K);
            left += p->ub[i];
        }
    }
    for (i = first; i < p->npairs; i++) {
        k = p->pair[i];
        if (p->ub[i] == 0)
            continue;
        if (ni_hopeless(score, *out + left, theta)) {
            *out += left;              /* still out of reach */
            return 0;
        }
        left -= p->ub[i];
        if ((rc = positions(p, k, doc)) < 0 || (rc = positions(p, k + 1, doc)) < 0)
            return rc;
        tp = ni_prox_closeness(p->pos[k], p->npos[k], p->pos[k + 1], p->npos[k + 1],
                               qdist(p->qpos, k));
        *out += ni_prox_bonus(p->weight, p->idf[k], p->idf[k + 1], tp);
    }
    return 0;
}

/* ops->bonus: 0 unless both words of a pair stand on doc (most candidates
 * of an OR hold one word), then bonus_from. */
static int prox_bonus(ni_matcher *m, uint32_t doc, const ni_docinfo *di, double score,
                      double theta, double *out)
{
    prox_m *p = (prox_m *)m;
    size_t i;
    (void)di;
    *out = 0;
    for (i = 0; i < p->npairs; i++)
        if (p->w[p->pair[i]]->doc == doc && p->w[p->pair[i] + 1]->doc == doc)
            return bonus_from(p, i, doc, score, theta, out);
    return 0;
}

static int prox_next(ni_matcher *m)
{
    prox_m *p = (prox_m *)m;
    int rc = p->err ? p->err : p->kid->ops->next(p->kid);
    m->doc = p->kid->doc;
    return rc;
}

static int prox_advance(ni_matcher *m, uint32_t target)
{
    prox_m *p = (prox_m *)m;
    int rc = p->err ? p->err : p->kid->ops->advance(p->kid, target);
    m->doc = p->kid->doc;
    return rc;
}

static double prox_score(ni_matcher *m, const ni_docinfo *di)
{
    prox_m *p = (prox_m *)m;
    double s = p->kid->ops->score(p->kid, di), b;
    int rc;
    if (p->err)
        return s;
    if ((rc = prox_bonus(m, m->doc, di, 0, -HUGE_VAL, &b)) < 0) {
        p->err = rc;
        return s;
    }
    return s + b;
}

static int prox_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    return ni_matcher_bound(((prox_m *)m)->kid, target, upto, out);
}

static void prox_parts(const ni_matcher *m, ni_match_parts *out)
{
    prox_m *p = (prox_m *)m;
    memset(out, 0, sizeof *out);
    out->kind = NI_PARTS_BONUS;
    out->kids = &p->kid;
    out->nkids = 1;
}

static void prox_free(ni_matcher *m)
{
    prox_m *p = (prox_m *)m;
    size_t k;
    ni_matcher_free(p->kid);
    for (k = 0; k < p->n; k++)
        ni_mem_free(p->pos[k]);
    ni_mem_free(p);
}

static const ni_matcher_ops prox_ops = {
    .next = prox_next, .advance = prox_advance, .score = prox_score, .free = prox_free,
    .bound = prox_bound, .parts = prox_parts, .bonus = prox_bonus,
};

int ni_match_prox(ni_matcher **out, ni_matcher *kid, ni_matcher *const *words,
                  const uint32_t *qpos, size_t n, double weight)
{
    prox_m *p;
    size_t k;

    *out = NULL;
    if (n > NI_PROX_WORDS)
        n = NI_PROX_WORDS;
    if (!(p = ni_mem_calloc(1, sizeof *p))) {
        ni_matcher_free(kid);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    p->kid = kid;
    p->n = n;
    p->m.ops = &prox_ops;
    p->m.doc = kid->doc;
    p->m.cost = kid->cost;
    p->m.max_score = kid->max_score;
    p->weight = weight;
    memcpy(p->w, words, n * sizeof *words);
    memcpy(p->qpos, qpos, n * sizeof *qpos);
    for (k = 0; k < n; k++)
        p->idf[k] = ni_match_idf(words[k]);
    pair_bounds(words, qpos, n, weight, p->pmax);
    for (k = 0; k + 1 < n; k++)
        if (p->pmax[k] > 0)
            p->pair[p->npairs++] = k;
    *out = &p->m;
    return 0;
}
