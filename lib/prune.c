/*
 * prune.c - top-k evaluation with dynamic pruning (prune.h): MaxScore for
 * ORs, block-max bounds for ORs and ANDs.  It drives the matchers of
 * match.h through their interface only: next/advance/score, the pruning
 * hooks (a bound up to a target document, the parts of an AND or an OR,
 * lazy decoding) and the inline stepping of a term's decoded block.  It
 * builds no matchers and decides nothing about which documents match,
 * only which cannot enter the top k.
 *
 * Runs of documents are bounded with the block headers alone (largest
 * frequencies, smallest lengths), and those that cannot enter the top k
 * are skipped.  Term cursors are lazy here: a block's documents are
 * decoded only when one of them is needed, so a block whose header rules
 * it out, or whose first document is past where the cursor is sent, is
 * never decoded.  Pruned results equal exhaustive ones to the last bit:
 * bounds are checked with a margin for rounding, and the final score of a
 * document is summed in the order the matchers' score functions use.
 *
 * A bonus at the root (proximity, prox.h) is added last, as the root's
 * score function adds it.  Bounds stay bounds of scores with their bonus
 * through the shares of the scorers (match.h): every bound includes them,
 * and so do the partial scores compared with the threshold; a document's
 * bonus, which reads positions, is given the threshold, and stops reading
 * them once its exact score plus what the bonus can still add cannot reach
 * it (ops->bonus).
 *
 * Freshness (fresh.h) multiplies the collected scores by a factor of at
 * most 1, so bounds of scores without it stay bounds of those with it;
 * once a candidate's docinfo is read, its bounds are compared with the
 * threshold over its own factor (doc_theta), which rules out more.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "prune.h"

#define MAX_SCORERS 64

static int cmp_max_score(const void *x, const void *y)
{
    const ni_matcher *a = *(ni_matcher *const *)x, *b = *(ni_matcher *const *)y;
    return (a->max_score > b->max_score) - (a->max_score < b->max_score);
}

static int cmp_max_score_desc(const void *x, const void *y)
{
    return cmp_max_score(y, x);
}

/* m's score at doc, where m stands (computed once per document). */
static double score_at(ni_matcher *m, uint32_t doc, const ni_docinfo *di)
{
    if (m->scored_at != doc + 1) {
        m->scored = m->ops->score(m, di);
        m->scored_at = doc + 1;
    }
    return m->scored;
}

/* score_at plus m's share: a bound of what m adds to doc's score with its
 * bonus, for comparisons with the threshold (final sums use score_at). */
static double bound_at(ni_matcher *m, uint32_t doc, const ni_docinfo *di)
{
    return score_at(m, doc, di) + m->share;
}

static void set_lazy(ni_matcher **ms, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++)
        ni_matcher_set_lazy(ms[k]);
}

/* Adds m's bound_at doc to *score when m is there (advancing m to doc);
 * counts it. */
static int probe(ni_matcher *m, uint32_t doc, const ni_docinfo *di, double *score,
                 size_t *count)
{
    int rc;
    if ((rc = ni_matcher_advance(m, doc)) < 0)
        return rc;
    if (m->doc != doc)
        return 0;
    if ((rc = ni_matcher_ready(m)) < 0)
        return rc;
    *score += bound_at(m, doc, di);
    ++*count;
    return 0;
}

/* ---- what an OR and an AND share: the collector, optional scorers ----- */

typedef struct topk {
    ni_match_ctx *c;
    ni_collect_fn collect;
    void *arg;
    double theta;                /* the score a document must reach now */
    ni_matcher *bonus;           /* adds its bonus to the final score, or NULL */
    const uint32_t *skip;        /* documents left out, ascending */
    size_t nskip, skip_at;       /* skip[skip_at] is the next one that may come */
    ni_matcher **opts;           /* optional scorers, in query order */
    ni_matcher *byb[MAX_SCORERS]; /* the same by decreasing bound */
    size_t no;
    double opt_bound;            /* the sum of their bounds */
} topk;

/* Sets up *t for optional scorers opts[0..no) (no <= MAX_SCORERS), with
 * bonus (or NULL) adding to the final score and the documents skip[0..nskip)
 * left out, and asks the collector for the starting threshold. */
static void topk_init(topk *t, ni_matcher **opts, size_t no, ni_matcher *bonus,
                      const uint32_t *skip, size_t nskip, ni_match_ctx *c,
                      ni_collect_fn collect, void *arg)
{
    size_t k;
    t->c = c;
    t->skip = skip;
    t->nskip = nskip;
    t->skip_at = 0;
    t->collect = collect;
    t->arg = arg;
    t->bonus = bonus;
    t->opts = opts;
    t->no = no;
    set_lazy(opts, no);
    t->opt_bound = 0;
    for (k = 0; k < no; k++)
        t->opt_bound += opts[k]->max_score;
    if (no)
        memcpy(t->byb, opts, no * sizeof *opts);
    qsort(t->byb, no, sizeof *t->byb, cmp_max_score_desc);
    t->theta = collect(arg, NI_NO_DOC, 0, NULL);
}

/* The threshold a document's score without freshness must reach, once
 * its docinfo is read: theta over its freshness factor (fresh.h), which
 * is at most 1, so a document is ruled out by the score it can reach
 * times its factor, as the collector will compare it. */
static inline double doc_theta(const topk *t, const ni_docinfo *di)
{
    return t->c->fresh.on ? t->theta / ni_fresh_factor(&t->c->fresh, di->date) : t->theta;
}

/* 1 when doc is one of the documents left out; candidates come in
 * ascending order. */
static inline int skipped(topk *t, uint32_t doc)
{
    while (t->skip_at < t->nskip && t->skip[t->skip_at] < doc)
        t->skip_at++;
    return t->skip_at < t->nskip && t->skip[t->skip_at] == doc;
}

/*
 * Adds the optional scorers (by decreasing bound) at doc to *score (their
 * bound_at) as long as their bounds can still lift it to theta; 1 when the
 * document was ruled out on the way.  Those already past doc are not
 * there.  topk_collect sums the final score in query order.
 */
static int add_optional(topk *t, uint32_t doc, const ni_docinfo *di, double *score)
{
    double left = 0, theta;
    size_t j;
    int rc;

    if (!t->no)
        return 0;
    theta = doc_theta(t, di);
    for (j = 0; j < t->no; j++)
        if (t->byb[j]->doc <= doc)
            left += t->byb[j]->max_score;
    for (j = 0; j < t->no; j++) {
        ni_matcher *o = t->byb[j];
        if (o->doc > doc)
            continue;
        if (ni_hopeless(*score, left, theta))
            return 1;
        left -= o->max_score;
        if ((rc = ni_matcher_advance(o, doc)) < 0)
            return rc;
        if (o->doc == doc) {
            if ((rc = ni_matcher_ready(o)) < 0)
                return rc;
            *score += bound_at(o, doc, di);
        }
    }
    return 0;
}

/* Collects doc, unless it is left out, with score (its required part's)
 * plus the optional scorers on it, in query order, plus the bonus, which
 * is 0 when fewer than two of an OR's scorers stand on doc (nstand: how
 * many do, SIZE_MAX when not counted; match.h); the first time the top k
 * is full, ends the window at doc (*upto), so that block bounds count
 * from the next one.
 * The bonus may stop early when it cannot lift the score to theta; then
 * doc is not collected (it cannot enter the top k).  0 or <0. */
static int topk_collect(topk *t, uint32_t doc, double score, const ni_docinfo *di,
                        size_t nstand, uint32_t *upto)
{
    double bonus = 0;
    size_t k;
    int rc;
    if (skipped(t, doc))
        return 0;
    for (k = 0; k < t->no; k++)
        if (t->opts[k]->doc == doc)
            score += score_at(t->opts[k], doc, di);
    if (t->bonus) {
        double theta = doc_theta(t, di);
        if (nstand >= 2 &&
            (rc = ni_matcher_bonus(t->bonus, doc, di, score, theta, &bonus)) < 0)
            return rc;
        if (ni_hopeless(score, bonus, theta))
            return 0;
        score += bonus;
    }
    if ((t->theta = t->collect(t->arg, doc, score, di)) > -HUGE_VAL && *upto == NI_NO_DOC - 1)
        *upto = doc;
    return 0;
}

/* ---- the score of an OR, in its own order ------------------------------ */

/* 1 when m is an OR of any one of its kids, with its parts in *p. */
static int any_of(const ni_matcher *m, ni_match_parts *p)
{
    ni_matcher_parts(m, p);
    return p->kind == NI_PARTS_OR && p->min_match <= 1;
}

/* Adds the kids of an OR (nested ORs flattened: the same documents, the
 * same sums) to out; 0, or NI_ENOTFOUND when there are too many. */
static int flatten_or(ni_matcher *m, ni_matcher **out, size_t *n, size_t cap)
{
    ni_match_parts p;
    size_t k;
    if (any_of(m, &p)) {
        for (k = 0; k < p.nkids; k++)
            if (flatten_or(p.kids[k], out, n, cap) < 0)
                return NI_ENOTFOUND;
        return 0;
    }
    if (*n == cap)
        return NI_ENOTFOUND;
    out[(*n)++] = m;
    return 0;
}

/*
 * The score at doc of an OR (flat: its doc field is stale, as are those of
 * nested ORs flattened by flatten_or), added up in the order its score
 * function would: pruned and exhaustive evaluation must agree to the last
 * bit.  Every scorer holding doc stands on it.  run_or compiles this walk
 * into a sum_prog (below) once per query.
 */
static double or_sum(ni_matcher *m, uint32_t doc, const ni_docinfo *di, int flat)
{
    ni_match_parts p, kp;
    double s = 0;
    size_t k;
    ni_matcher_parts(m, &p);
    if (p.kind != NI_PARTS_OR || !(flat || m->doc == doc))
        return m->doc == doc ? m->ops->score(m, di) : 0;
    for (k = 0; k < p.nkids; k++)
        s += or_sum(p.kids[k], doc, di, flat && any_of(p.kids[k], &kp));
    return s;
}

/*
 * or_sum(or, doc, di, 1) as a flat program: the leaves (scorers, and ORs
 * that are not flattened, whose score is their score function's) in walk
 * order, with the subtotals of flattened ORs opened and closed around
 * their kids, so that the additions happen in the same order.
 */
#define SUM_PROG_MAX (4 * MAX_SCORERS)
enum { SUM_LEAF, SUM_OPEN, SUM_CLOSE };

typedef struct sum_prog {
    unsigned char kind[SUM_PROG_MAX];
    ni_matcher *leaf[SUM_PROG_MAX];   /* for SUM_LEAF */
    size_t n;
} sum_prog;

/* Appends the walk of the kids of the flat OR m; -1 when it does not fit. */
static int sum_compile(sum_prog *p, ni_matcher *m)
{
    ni_match_parts mp, kp;
    size_t k;
    ni_matcher_parts(m, &mp);
    for (k = 0; k < mp.nkids; k++) {
        ni_matcher *kid = mp.kids[k];
        if (p->n + 2 > SUM_PROG_MAX)
            return -1;
        if (any_of(kid, &kp)) {
            p->kind[p->n++] = SUM_OPEN;
            if (sum_compile(p, kid) < 0 || p->n == SUM_PROG_MAX)
                return -1;
            p->kind[p->n++] = SUM_CLOSE;
        } else {
            p->kind[p->n] = SUM_LEAF;
            p->leaf[p->n++] = kid;
        }
    }
    return 0;
}

static double sum_run(const sum_prog *p, uint32_t doc, const ni_docinfo *di)
{
    double stack[SUM_PROG_MAX / 2], s = 0;
    size_t i, sp = 0;
    for (i = 0; i < p->n; i++) {
        if (p->kind[i] == SUM_OPEN) {
            stack[sp++] = s;
            s = 0;
        } else if (p->kind[i] == SUM_CLOSE) {
            s = stack[--sp] + s;
        } else if (p->leaf[i]->doc == doc) {
            s += score_at(p->leaf[i], doc, di);
        }
    }
    return s;
}

/* ---- OR: block-max MaxScore -------------------------------------------- */

/*
 * Block-max MaxScore over the scorers terms[0..nt) of an OR (a document
 * needs min_match of them) plus optional scorers.  Terms are sorted by
 * their global bound: terms[0..first) together cannot lift a document
 * above theta, so they never propose candidates, only get probed.  The
 * others are taken window by window: from the window's start to the end of
 * the shortest of their posting blocks there, each is bounded by its
 * block's bound.  A window whose bounds cannot reach theta is skipped
 * having read block headers only; in the others the terms are split again
 * by block bounds, and only those that can still matter (the essential
 * ones) propose candidates; the others are probed on each candidate while
 * it can still make it.
 */
typedef struct or_run {
    topk t;
    /* the query */
    ni_matcher *or;              /* the OR, for its final sum */
    sum_prog prog;               /* that sum, when prog_ok */
    int prog_ok;
    ni_matcher **terms;          /* its scorers, by increasing bound */
    size_t nt, min_match;
    unsigned char ngen[MAX_SCORERS]; /* with a minimum match: terms[i] is
                                    one of the OR's generators (every
                                    matching document holds one) */
    double pre[MAX_SCORERS + 1]; /* opt_bound + the bounds of terms[0..i) */
    size_t first;                /* terms[0..first) only probed from now on */
    /* the window [start, upto] */
    uint32_t wmin;               /* the next window starts here or later */
    uint32_t upto;
    size_t ness;                 /* terms[first..nt) in it */
    double bm[MAX_SCORERS];      /* block bound of terms[i] there */
    size_t ord[MAX_SCORERS];     /* terms[ord[0..ness)]: by block bound */
    double lpre[MAX_SCORERS + 1]; /* pre[first] + bm of terms[ord[0..m)] */
    size_t lfirst;               /* terms[ord[0..lfirst)] only probed in it */
    /* who proposes candidates in the window (recomputed when stale) */
    int stale;
    int gen_only;                /* the generators alone propose */
    uint32_t floor;              /* the next candidate is here or later */
    ni_matcher *ess[MAX_SCORERS]; /* the proposers, with copies of their */
    uint32_t edoc[MAX_SCORERS];  /* documents and block bounds side by side */
    double ebm[MAX_SCORERS];     /* for the scans for the next candidate */
    size_t ne;
    ni_matcher *others[MAX_SCORERS]; /* the others, in the order they are probed */
    size_t nothers;
    /* the candidate */
    size_t at[MAX_SCORERS], nat; /* ess[at[0..nat)] stand on it */
    ni_matcher *probes[MAX_SCORERS]; /* others that may stand on it */
    double pb[MAX_SCORERS];      /* their block bounds there */
    double rest[MAX_SCORERS + 1]; /* opt_bound + pb[j..np) */
    size_t np;
} or_run;

static void or_init(or_run *r, ni_matcher *or, ni_matcher **terms, size_t nt,
                    size_t min_match)
{
    ni_match_parts parts;
    size_t i, g;

    r->or = or;
    r->prog.n = 0;
    r->prog_ok = sum_compile(&r->prog, or) == 0;
    r->terms = terms;
    r->nt = nt;
    r->min_match = min_match;
    qsort(terms, nt, sizeof *terms, cmp_max_score);
    ni_matcher_parts(or, &parts);
    for (i = 0; i < nt; i++) {
        r->ngen[i] = 0;
        for (g = 0; min_match > 1 && g < parts.ngen; g++)
            r->ngen[i] |= terms[i] == parts.kids[g];
    }
    set_lazy(terms, nt);
    r->pre[0] = r->t.opt_bound;
    for (i = 0; i < nt; i++)
        r->pre[i + 1] = r->pre[i] + terms[i]->max_score;
    r->first = 0;
    r->wmin = 0;
}

/* The block bounds of terms[first..nt) from start on, in bm[], ord[] and
 * lpre[]; the window ends at the end of the shortest block (upto). */
static int bound_window(or_run *r, uint32_t start)
{
    size_t i, m;
    int rc;
    r->upto = NI_NO_DOC - 1;
    r->ness = r->nt - r->first;
    r->lpre[0] = r->pre[r->first];
    for (i = r->first; i < r->nt; i++) {
        /* no bound matters while the top k is not full: one window
         * then, up to the document that fills it */
        if (r->t.theta == -HUGE_VAL)
            r->bm[i] = r->terms[i]->max_score;
        else if ((rc = ni_matcher_bound(r->terms[i], start, &r->upto, &r->bm[i])) < 0)
            return rc;
        /* insertion by block bound, ascending */
        for (m = i - r->first; m > 0 && r->bm[r->ord[m - 1]] > r->bm[i]; m--)
            r->ord[m] = r->ord[m - 1];
        r->ord[m] = i;
    }
    for (m = 0; m < r->ness; m++)
        r->lpre[m + 1] = r->lpre[m] + r->bm[r->ord[m]];
    return 0;
}

/* Opens the next window whose block bounds can reach theta (those that
 * cannot are skipped): 1, or 0 when no document is left. */
static int open_window(or_run *r)
{
    for (;;) {
        uint32_t start = NI_NO_DOC;
        size_t i;
        int rc;
        while (r->first < r->nt && ni_hopeless(0, r->pre[r->first + 1], r->t.theta))
            r->first++;
        /* terms that did not propose in the last window may lag behind it */
        for (i = r->first; i < r->nt; i++) {
            uint32_t d = r->terms[i]->doc < r->wmin ? r->wmin : r->terms[i]->doc;
            if (d < start)
                start = d;
        }
        if (start == NI_NO_DOC)
            return 0;
        if ((rc = bound_window(r, start)) < 0)
            return rc;
        if (!ni_hopeless(0, r->lpre[r->ness], r->t.theta)) {
            r->lfirst = 0;
            r->floor = start;
            r->stale = 1;
            return 1;
        }
        r->t.c->windows_skipped++;
        r->wmin = r->upto + 1;
    }
}

/*
 * The terms that propose (ess[]) and the others (others[]).  With a
 * minimum match, when every generator is among those that can reach theta,
 * the generators alone propose (a document holds one of them) and the
 * others are probed like the terms that cannot reach theta alone.
 */
static int pick_proposers(or_run *r)
{
    size_t i, m;
    int rc;

    r->gen_only = r->min_match > 1;
    for (i = 0; i < r->first && r->gen_only; i++)
        r->gen_only = !r->ngen[i];
    for (m = 0; m < r->lfirst && r->gen_only; m++)
        r->gen_only = !r->ngen[r->ord[m]];
    /* the others in the order they are probed: those that could reach
     * theta with the proposers first */
    r->ne = r->nothers = 0;
    for (m = r->ness; m-- > r->lfirst;) {
        ni_matcher *t = r->terms[r->ord[m]];
        if (r->gen_only && !r->ngen[r->ord[m]]) {
            r->others[r->nothers++] = t;
            continue;
        }
        if (t->doc < r->floor && (rc = t->ops->advance(t, r->floor)) < 0)
            return rc;
        r->ess[r->ne] = t;
        r->edoc[r->ne] = t->doc;
        r->ebm[r->ne++] = r->bm[r->ord[m]];
    }
    for (m = r->lfirst; m-- > 0;)
        r->others[r->nothers++] = r->terms[r->ord[m]];
    for (i = r->first; i-- > 0;)
        r->others[r->nothers++] = r->terms[i];
    r->stale = 0;
    return 0;
}

/*
 * With a minimum match, a document holds one of the generators (terms
 * with their bit set in ngen[]) as well as one of the proposers: from
 * *doc on, the first document in both unions, leapfrogging; beyond upto,
 * *doc is only a lower bound.
 */
static int meet_generators(or_run *r, uint32_t *doc)
{
    size_t i, m;
    int rc;
    while (*doc <= r->upto) {
        uint32_t g = NI_NO_DOC;
        for (i = 0; i < r->nt; i++) {
            if (!r->ngen[i])
                continue;
            if ((rc = ni_matcher_advance(r->terms[i], *doc)) < 0)
                return rc;
            if (r->terms[i]->doc < g)
                g = r->terms[i]->doc;
        }
        if (g == *doc || g > r->upto) {
            *doc = g;
            return 0;
        }
        *doc = NI_NO_DOC;
        for (m = 0; m < r->ne; m++) {
            ni_matcher *t = r->ess[m];
            if ((rc = ni_matcher_advance(t, g)) < 0)
                return rc;
            if (t->doc < *doc)
                *doc = t->doc;
        }
    }
    return 0;
}

/* The next candidate (*doc, past upto when the window is done), the
 * proposers on it (at[0..nat)) and the sum of their block bounds. */
static int next_candidate(or_run *r, uint32_t *doc, double *bound)
{
    size_t j;
    int rc;
    *doc = NI_NO_DOC;
    for (j = 0; j < r->ne; j++)
        *doc = r->edoc[j] < *doc ? r->edoc[j] : *doc;
    if (r->min_match > 1 && !r->gen_only) {
        if ((rc = meet_generators(r, doc)) < 0)
            return rc;
        for (j = 0; j < r->ne; j++)
            r->edoc[j] = r->ess[j]->doc;
    }
    *bound = 0;
    for (r->nat = 0, j = 0; j < r->ne; j++)
        if (r->edoc[j] == *doc) {
            *bound += r->ebm[j];
            r->at[r->nat++] = j;
        }
    return 0;
}

/*
 * Whether need of ms[0..n) can stand on doc: advances them to doc, in
 * order, until need are there (1) or too few are left that could be (0).
 */
static int count_reaches(ni_matcher **ms, size_t n, uint32_t doc, size_t need)
{
    size_t j, left = 0, have = 0;
    int rc;
    for (j = 0; j < n; j++)
        left += ms[j]->doc <= doc;
    for (j = 0; j < n && have < need; j++) {
        ni_matcher *t = ms[j];
        if (t->doc > doc)
            continue;
        if (have + left < need)
            return 0;
        left--;
        if ((rc = ni_matcher_advance(t, doc)) < 0)
            return rc;
        have += t->doc == doc;
    }
    return have >= need;
}

/* The others that may hold doc too (probes[0..np)), with their block
 * bounds there and, in rest[], what they and the optional scorers can
 * still add from each on. */
static int bound_probes(or_run *r, uint32_t doc)
{
    uint32_t far = NI_NO_DOC;
    size_t j;
    int rc;
    r->np = 0;
    for (j = 0; j < r->nothers; j++) {
        ni_matcher *t = r->others[j];
        if (t->doc > doc)
            continue;
        /* no bound matters while the top k is not full */
        r->pb[r->np] = t->max_score;
        if (r->t.theta > -HUGE_VAL && (rc = ni_matcher_bound(t, doc, &far, &r->pb[r->np])) < 0)
            return rc;
        if (t->doc <= doc)
            r->probes[r->np++] = t;
    }
    r->rest[r->np] = r->t.opt_bound;
    for (j = r->np; j-- > 0;)
        r->rest[j] = r->rest[j + 1] + r->pb[j];
    return 0;
}

/* Scores the candidate doc, whose proposers' block bounds sum to bound,
 * and collects it unless it is ruled out on the way. */
static int or_candidate(or_run *r, uint32_t doc, double bound)
{
    ni_docinfo di;
    double score = 0, theta;
    size_t count = 0, j;
    int rc;

    /* with a minimum match, the count first: it needs no document
     * lengths and rules out most candidates */
    if (r->min_match > 1 && r->nat < r->min_match &&
        (rc = count_reaches(r->others, r->nothers, doc, r->min_match - r->nat)) <= 0)
        return rc;
    if ((rc = bound_probes(r, doc)) < 0)
        return rc;
    if (ni_hopeless(0, bound + r->rest[0], r->t.theta))
        return 0;
    if ((rc = ni_match_docinfo(r->t.c, doc, &di)) <= 0)
        return rc;
    theta = doc_theta(&r->t, &di);
    for (j = 0; j < r->nat; j++) {
        ni_matcher *t = r->ess[r->at[j]];
        if ((rc = ni_matcher_ready(t)) < 0)
            return rc;
        score += bound_at(t, doc, &di);
        count++;
    }
    for (j = 0; j < r->np; j++) {
        if (ni_hopeless(score, r->rest[j], theta) || count + r->np - j < r->min_match)
            return 0;
        if ((rc = probe(r->probes[j], doc, &di, &score, &count)) < 0)
            return rc;
    }
    if (count < r->min_match)
        return 0;
    if ((rc = add_optional(&r->t, doc, &di, &score)) != 0)
        return rc < 0 ? rc : 0;
    score = r->prog_ok ? sum_run(&r->prog, doc, &di) : or_sum(r->or, doc, &di, 1);
    return topk_collect(&r->t, doc, score, &di, count, &r->upto);
}

/* Moves the proposers that stood on the candidate past it. */
static int step_proposers(or_run *r)
{
    size_t j;
    int rc;
    for (j = 0; j < r->nat; j++) {
        ni_matcher *t = r->ess[r->at[j]];
        if ((rc = ni_matcher_next(t)) < 0)
            return rc;
        r->edoc[r->at[j]] = t->doc;
    }
    return 0;
}

static int run_or(ni_matcher *or, ni_matcher **terms, size_t nt, size_t min_match,
                  ni_matcher **opts, size_t no, ni_matcher *bonus, const uint32_t *skip,
                  size_t nskip, ni_match_ctx *c, ni_collect_fn collect, void *arg)
{
    or_run r;
    int rc;

    topk_init(&r.t, opts, no, bonus, skip, nskip, c, collect, arg);
    or_init(&r, or, terms, nt, min_match);
    while ((rc = open_window(&r)) > 0) {
        for (;;) {
            uint32_t doc;
            double bound;
            while (r.lfirst < r.ness && ni_hopeless(0, r.lpre[r.lfirst + 1], r.t.theta))
                r.lfirst++, r.stale = 1;
            if (r.stale && (rc = pick_proposers(&r)) < 0)
                return rc;
            if ((rc = next_candidate(&r, &doc, &bound)) < 0)
                return rc;
            if (doc > r.upto)
                break;
            if ((rc = or_candidate(&r, doc, bound)) < 0 || (rc = step_proposers(&r)) < 0)
                return rc;
            r.floor = doc + 1;
        }
        if (r.upto == NI_NO_DOC - 1)
            return 0;
        r.wmin = r.upto + 1;
    }
    return rc;
}

/* ---- AND: block-max ---------------------------------------------------- */

/* Scores doc, where every required part stands, and collects it unless
 * it is deleted or ruled out on the way. */
static int and_candidate(topk *t, ni_matcher **req, size_t nreq, uint32_t doc,
                         uint32_t *upto)
{
    ni_docinfo di;
    double score = 0, b = 0;
    size_t k;
    int rc;

    if ((rc = ni_match_docinfo(t->c, doc, &di)) <= 0)
        return rc;
    for (k = 0; k < nreq; k++) {
        if ((rc = ni_matcher_ready(req[k])) < 0)
            return rc;
        score += score_at(req[k], doc, &di);
        b += req[k]->share;
    }
    b += score;
    if ((rc = add_optional(t, doc, &di, &b)) != 0)
        return rc < 0 ? rc : 0;
    /* a required part may hold several words (an OR beside a NOT) */
    return topk_collect(t, doc, score, &di, SIZE_MAX, upto);
}

/*
 * Block-max AND: the rarest required matcher leads.  Before the others
 * are advanced to its document, the block bounds of the required scorers
 * there are summed (once per window: up to the end of the shortest of
 * those blocks); when they cannot reach theta, the whole window is skipped
 * having read block headers only.  Matches are scored with the optional
 * scorers probed while they can still matter.
 */
static int run_and(ni_matcher **req, size_t nreq, ni_matcher **opts, size_t no,
                   ni_matcher **excl, size_t nexcl, ni_matcher *bonus, const uint32_t *skip,
                   size_t nskip, ni_match_ctx *c, ni_collect_fn collect, void *arg)
{
    topk t;
    double bound = 0, b;
    ni_matcher *lead = req[0];
    uint32_t upto = 0;
    int have_window = 0;
    size_t k;
    int rc;

    set_lazy(req, nreq);
    topk_init(&t, opts, no, bonus, skip, nskip, c, collect, arg);
    while (lead->doc != NI_NO_DOC) {
        uint32_t doc = lead->doc;

        if (!have_window || doc > upto) {
            upto = NI_NO_DOC - 1;
            bound = t.opt_bound;
            /* no bound matters while the top k is not full */
            for (k = 0; k < nreq && t.theta > -HUGE_VAL; k++) {
                if ((rc = ni_matcher_bound(req[k], doc, &upto, &b)) < 0)
                    return rc;
                bound += b;
            }
            have_window = 1;
        }
        if (ni_hopeless(0, bound, t.theta)) {
            c->windows_skipped++;
            have_window = 0;
            if ((rc = lead->ops->advance(lead, upto + 1)) < 0)
                return rc;
            continue;
        }
        for (k = 1; k < nreq; k++) {
            if ((rc = req[k]->ops->advance(req[k], doc)) < 0)
                return rc;
            if (req[k]->doc != doc)
                break;
        }
        if (k < nreq) {
            if (req[k]->doc == NI_NO_DOC)
                return 0;
            if ((rc = lead->ops->advance(lead, req[k]->doc)) < 0)
                return rc;
            continue;
        }
        for (k = 0; k < nexcl; k++) {
            if ((rc = excl[k]->ops->advance(excl[k], doc)) < 0)
                return rc;
            if (excl[k]->doc == doc)
                break;
        }
        if (k == nexcl && (rc = and_candidate(&t, req, nreq, doc, &upto)) < 0)
            return rc;
        if ((rc = ni_matcher_next(lead)) < 0)
            return rc;
    }
    return 0;
}

/* ---- the shapes pruning handles ---------------------------------------- */

int ni_prune_topk(ni_matcher *root, ni_match_ctx *c, const uint32_t *skip, size_t nskip,
                  ni_collect_fn collect, void *arg)
{
    ni_matcher *terms[MAX_SCORERS], *or, **opts = NULL, *bonus = NULL;
    size_t nt = 0, no = 0, min_match = 1;
    ni_match_parts p, op;

    ni_matcher_parts(root, &p);
    if (p.kind == NI_PARTS_BONUS) {
        bonus = root;
        root = p.kids[0];
        ni_matcher_parts(root, &p);
    }
    or = root;
    if (p.kind == NI_PARTS_NONE)
        /* alone, a matcher with block bounds: a term, a phrase */
        return root->ops->bound ? run_and(&root, 1, NULL, 0, NULL, 0, bonus, skip, nskip, c,
                                          collect, arg)
                                : NI_ENOTFOUND;
    if (p.kind == NI_PARTS_BONUS)
        return NI_ENOTFOUND;
    if (p.kind == NI_PARTS_AND) {
        if (p.nopt > MAX_SCORERS)
            return NI_ENOTFOUND;
        ni_matcher_parts(p.kids[0], &op);
        if (p.nkids != 1 || p.nexcl != 0 || op.kind != NI_PARTS_OR)
            return run_and(p.kids, p.nkids, p.opt, p.nopt, p.excl, p.nexcl, bonus, skip,
                           nskip, c, collect, arg);
        or = p.kids[0];
        opts = p.opt;
        no = p.nopt;
        p = op;
    }
    if (p.min_match > 1) {
        if (p.nkids > MAX_SCORERS)
            return NI_ENOTFOUND;
        memcpy(terms, p.kids, p.nkids * sizeof *terms);
        nt = p.nkids;
        min_match = p.min_match;
    } else if (flatten_or(or, terms, &nt, MAX_SCORERS) < 0) {
        return NI_ENOTFOUND;
    }
    return run_or(or, terms, nt, min_match, opts, no, bonus, skip, nskip, c, collect, arg);
}
