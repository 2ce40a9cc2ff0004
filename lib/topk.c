/*
 * topk.c - the best k documents of a matcher tree (topk.h): a min-heap of
 * k results (the worst on top), exhaustive evaluation through the
 * matchers' next and score, or prune.c's top-k evaluation, whose collector
 * is here.  Does not build matchers, nor decide which documents match.
 */
#include <math.h>

#include "prune.h"
#include "topk.h"

/* 1 when a ranks before b. */
static inline int better(const ni_result *a, const ni_result *b, int sort_by_date)
{
    int c = ni_rank_cmp(a->score, a->date, b->score, b->date, sort_by_date);
    return c ? c > 0 : a->doc < b->doc;
}

/* Puts r at the root of the min-heap h[0..n) (worst on top) in place of
 * what stood there, and sifts it down. */
static inline void sift_root(ni_result *h, size_t n, const ni_result *r, int by_date)
{
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const ni_result *cur = r;
        if (l < n && better(cur, &h[l], by_date))
            m = l, cur = &h[l];
        if (l + 1 < n && better(cur, &h[l + 1], by_date))
            m = l + 1;
        if (m == i)
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = *r;
}

/* A min-heap (worst on top) of at most k results. */
static inline void heap_push(ni_result *h, size_t *n, size_t k, const ni_result *r,
                             int by_date)
{
    size_t i, p;
    if (*n == k) {
        if (better(r, &h[0], by_date))
            sift_root(h, *n, r, by_date);
        return;
    }
    i = (*n)++;
    while (i > 0 && better(&h[p = (i - 1) / 2], r, by_date)) {
        h[i] = h[p];
        i = p;
    }
    h[i] = *r;
}

/* ni_collect_fn for pruned top-k: keeps the document, its score with
 * freshness applied, returns the threshold.  Freshness lowers scores
 * (fresh.h), so the pruning's bounds, on scores without it, stay bounds
 * and the threshold is the top k's. */
static double collect_top(void *arg, uint32_t doc, double score, const ni_docinfo *di)
{
    ni_topk *t = arg;
    if (doc != NI_NO_DOC) {
        ni_result r;
        r.doc = doc;
        r.score = ni_fresh_apply(t->fresh, score, di->date);
        r.date = di->date;
        t->total++;
        heap_push(t->res, &t->n, t->k, &r, 0);
    }
    return t->n == t->k ? t->res[0].score : -HUGE_VAL;
}

/* Sorts the heap h[0..n) best first: its worst, on top, goes to the end
 * one at a time (heapsort; the order is total, so it is the order any sort
 * gives, with better inline rather than called per comparison). */
static void heap_sort(ni_result *h, size_t n, int by_date)
{
    while (n > 1) {
        ni_result last = h[--n];
        h[n] = h[0];
        sift_root(h, n, &last, by_date);
    }
}

/*
 * The score of root at its document, which is live, into *out; 1 when it
 * is left out instead: with a bonus at the root (whose kid is kid),
 * sorted by score, when the score without the bonus plus the bonus cannot
 * beat the worst of a full heap (ni_hopeless: a tie may still win on
 * date), which the bonus may tell before it is all read.  Otherwise the
 * score is the root's score function's, to the last bit.
 */
static int score_doc(ni_topk *t, ni_matcher *root, ni_matcher *kid, const ni_docinfo *di,
                     int by_date, double *out)
{
    double b, theta = !by_date && t->n == t->k ? t->res[0].score : -HUGE_VAL;
    int rc;
    if (!kid) {
        *out = root->ops->score(root, di);
        return 0;
    }
    if (t->fresh->on)       /* what the score without freshness must reach */
        theta /= ni_fresh_factor(t->fresh, di->date);
    *out = kid->ops->score(kid, di);
    if ((rc = ni_matcher_bonus(root, root->doc, di, *out, theta, &b)) < 0)
        return rc;
    if (ni_hopeless(*out, b, theta))
        return 1;
    *out += b;
    return 0;
}

/* score_doc with freshness applied (the bonus's early stop holds: it
 * compares the score without freshness, which is not lower). */
static int score_fresh(ni_topk *t, ni_matcher *root, ni_matcher *kid, const ni_docinfo *di,
                       int by_date, double *out)
{
    int rc = score_doc(t, root, kid, di, by_date, out);
    if (rc == 0)
        *out = ni_fresh_apply(t->fresh, *out, di->date);
    return rc;
}

int ni_topk_run(ni_topk *t, ni_matcher *root, ni_match_ctx *c, int by_date, int may_prune)
{
    ni_matcher *kid = NULL;
    ni_match_parts p;
    size_t skip_at = 0;
    int rc = NI_ENOTFOUND;

    t->fresh = &c->fresh;
    if (!by_date && may_prune) {
        rc = ni_prune_topk(root, c, t->skip, t->nskip, collect_top, t);
        if (rc == 0) {
            t->approx = 1;
            t->headers_only += c->blocks_read - c->blocks_decoded;
            t->windows += c->windows_skipped;
        }
        c->blocks_read = c->blocks_decoded = c->windows_skipped = 0;
    }
    if (rc == NI_ENOTFOUND)
        rc = 0;
    else
        goto sort;
    ni_matcher_parts(root, &p);
    if (p.kind == NI_PARTS_BONUS)
        kid = p.kids[0];
    while (rc == 0 && root->doc != NI_NO_DOC) {
        ni_docinfo di;
        ni_result r;
        while (skip_at < t->nskip && t->skip[skip_at] < root->doc)
            skip_at++;
        if (skip_at < t->nskip && t->skip[skip_at] == root->doc)
            rc = 0;
        else if ((rc = ni_match_docinfo(c, root->doc, &di)) < 0)
            break;
        if (rc) {
            t->total++;
            r.doc = root->doc;
            r.date = di.date;
            if ((rc = score_fresh(t, root, kid, &di, by_date, &r.score)) < 0)
                break;
            if (rc == 0)
                heap_push(t->res, &t->n, t->k, &r, by_date);
        }
        rc = root->ops->next(root);
    }
sort:
    if (rc == 0)
        heap_sort(t->res, t->n, by_date);
    return rc;
}
