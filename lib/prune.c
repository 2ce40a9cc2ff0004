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
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "prune.h"

static int cmp_max_score(const void *x, const void *y)
{
    const ni_matcher *a = *(ni_matcher *const *)x, *b = *(ni_matcher *const *)y;
    return (a->max_score > b->max_score) - (a->max_score < b->max_score);
}

static int cmp_max_score_desc(const void *x, const void *y)
{
    return cmp_max_score(y, x);
}

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

/* True when score plus the bound of what is left cannot beat theta (with
 * room for rounding: a tie may still win on date, so it is kept). */
static int hopeless(double score, double bound, double theta)
{
    return (score + bound) * (1.0 + 1e-9) < theta;
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

static void set_lazy(ni_matcher **ms, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++)
        ni_matcher_set_lazy(ms[k]);
}

#define MAX_SCORERS 64

/*
 * Adds the optional scorers opts[0..no) (by decreasing bound) at doc to
 * *score as long as their bounds can still lift it to theta; 1 when the
 * document was ruled out on the way.  Those already past doc are not
 * there.  The caller sums the final score in query order.
 */
static int add_optional(ni_matcher **opts, size_t no, uint32_t doc, const ni_docinfo *di,
                        double theta, double *score)
{
    double left = 0;
    size_t j;
    int rc;

    for (j = 0; j < no; j++)
        if (opts[j]->doc <= doc)
            left += opts[j]->max_score;
    for (j = 0; j < no; j++) {
        ni_matcher *o = opts[j];
        if (o->doc > doc)
            continue;
        if (hopeless(*score, left, theta))
            return 1;
        left -= o->max_score;
        if ((rc = ni_matcher_advance(o, doc)) < 0)
            return rc;
        if (o->doc == doc) {
            if ((rc = ni_matcher_ready(o)) < 0)
                return rc;
            *score += score_at(o, doc, di);
        }
    }
    return 0;
}

/* Scores m at doc into *score when m is there (advancing m to doc); counts it. */
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
    *score += score_at(m, doc, di);
    ++*count;
    return 0;
}

/*
 * The score at doc of an OR (flat: its doc field is stale, as are those of
 * nested ORs flattened by flatten_or), added up in the order or_score would:
 * pruned and exhaustive evaluation must agree to the last bit.  Every
 * scorer holding doc stands on it.  run_or compiles this walk into a
 * sum_prog (below) once per query.
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
 * that are not flattened, whose score is or_score's) in walk order, with
 * the subtotals of flattened ORs opened and closed around their kids, so
 * that the additions happen in the same order.
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

/*
 * Block-max MaxScore over the scorers terms[0..nt) of an OR (a document
 * needs min_match of them) plus optional scorers.  Terms are sorted by
 * their global bound: terms[0..first) together cannot lift a document
 * above theta, so they never propose candidates, only get probed.  The
 * others are taken window by window: from the window's start to the end of
 * the shortest of their posting blocks there, each is bounded by its
 * block's bound.  A window whose bounds cannot reach theta is skipped
 * having read block headers only; in the others the terms are split again
 * by block bounds, and only those that can still matter propose candidates.
 */
/*
 * With a minimum match, a document holds one of the ngen rarest kids of
 * the OR (or_m's generators, terms with their generator bit set in
 * ngen[]) as well as one of the terms that can still reach theta
 * (ess[0..ne)): from *doc on, the first document in both
 * unions, leapfrogging; beyond upto, *doc is only a lower bound.
 */
static int meet_generators(ni_matcher **terms, size_t nt, const unsigned char *ngen,
                           ni_matcher **ess, size_t ne, uint32_t upto, uint32_t *doc)
{
    size_t i, m;
    int rc;
    while (*doc <= upto) {
        uint32_t g = NI_NO_DOC;
        for (i = 0; i < nt; i++) {
            if (!ngen[i])
                continue;
            if ((rc = ni_matcher_advance(terms[i], *doc)) < 0)
                return rc;
            if (terms[i]->doc < g)
                g = terms[i]->doc;
        }
        if (g == *doc || g > upto) {
            *doc = g;
            return 0;
        }
        *doc = NI_NO_DOC;
        for (m = 0; m < ne; m++) {
            ni_matcher *t = ess[m];
            if ((rc = ni_matcher_advance(t, g)) < 0)
                return rc;
            if (t->doc < *doc)
                *doc = t->doc;
        }
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

static int run_or(ni_matcher *or, ni_matcher **terms, size_t nt, size_t min_match,
                  ni_matcher **opts, size_t no, ni_match_ctx *c, ni_collect_fn collect,
                  void *arg)
{
    unsigned char ngen[MAX_SCORERS];
    double pre[MAX_SCORERS + 1], bm[MAX_SCORERS], lpre[MAX_SCORERS + 1];
    double pb[MAX_SCORERS], rest[MAX_SCORERS + 1];
    ni_matcher *probes[MAX_SCORERS], *ess[MAX_SCORERS], *byb[MAX_SCORERS];
    double ebm[MAX_SCORERS];
    uint32_t edoc[MAX_SCORERS];
    ni_matcher *extra[MAX_SCORERS], *others[MAX_SCORERS];
    sum_prog prog;
    ni_match_parts parts;
    int prog_ok;
    size_t ord[MAX_SCORERS], at[MAX_SCORERS], ne = 0, nx = 0, nothers = 0;
    uint32_t floor;
    int stale, gen_only = 0;
    double opt_bound = 0, theta;
    size_t i, first = 0;
    uint32_t wmin = 0;
    ni_docinfo di;
    int rc;

    prog.n = 0;
    prog_ok = sum_compile(&prog, or) == 0;
    qsort(terms, nt, sizeof *terms, cmp_max_score);
    if (no)
        memcpy(byb, opts, no * sizeof *opts);
    qsort(byb, no, sizeof *byb, cmp_max_score_desc);
    ni_matcher_parts(or, &parts);
    for (i = 0; i < nt; i++) {
        size_t g;
        ngen[i] = 0;
        for (g = 0; min_match > 1 && g < parts.ngen; g++)
            ngen[i] |= terms[i] == parts.kids[g];
    }
    set_lazy(terms, nt);
    set_lazy(opts, no);
    for (i = 0; i < no; i++)
        opt_bound += opts[i]->max_score;
    pre[0] = opt_bound;
    for (i = 0; i < nt; i++)
        pre[i + 1] = pre[i] + terms[i]->max_score;
    theta = collect(arg, NI_NO_DOC, 0, NULL);
    for (;;) {
        uint32_t start = NI_NO_DOC, upto = NI_NO_DOC - 1;
        size_t ness, lfirst = 0, m;

        while (first < nt && hopeless(0, pre[first + 1], theta))
            first++;
        /* terms that did not propose in the last window may lag behind it */
        for (i = first; i < nt; i++) {
            uint32_t d = terms[i]->doc < wmin ? wmin : terms[i]->doc;
            if (d < start)
                start = d;
        }
        if (start == NI_NO_DOC)
            return 0;
        ness = nt - first;
        lpre[0] = pre[first];
        for (i = first; i < nt; i++) {
            /* no bound matters while the top k is not full: one window
             * then, up to the document that fills it */
            if (theta == -HUGE_VAL)
                bm[i] = terms[i]->max_score;
            else if ((rc = ni_matcher_bound(terms[i], start, &upto, &bm[i])) < 0)
                return rc;
            /* insertion by block bound, ascending */
            for (m = i - first; m > 0 && bm[ord[m - 1]] > bm[i]; m--)
                ord[m] = ord[m - 1];
            ord[m] = i;
        }
        for (m = 0; m < ness; m++)
            lpre[m + 1] = lpre[m] + bm[ord[m]];
        if (hopeless(0, lpre[ness], theta)) {
            c->windows_skipped++;
            wmin = upto + 1;
            continue;
        }
        while (lfirst < ness && hopeless(0, lpre[lfirst + 1], theta))
            lfirst++;
        floor = start;
        stale = 1;
        for (;;) {
            uint32_t doc = NI_NO_DOC, far = NI_NO_DOC;
            double score = 0, bound;
            size_t count = 0, np, nat, j;
            int pruned;

            while (lfirst < ness && hopeless(0, lpre[lfirst + 1], theta))
                lfirst++, stale = 1;
            if (stale) {
                /* The terms that propose, with copies of their documents
                 * and bounds side by side for the scans below.  With a
                 * minimum match, when every generator is among them, the
                 * generators alone propose (a document holds one of them)
                 * and the others are probed like the terms that cannot
                 * reach theta alone. */
                gen_only = min_match > 1;
                for (i = 0; i < first && gen_only; i++)
                    gen_only = !ngen[i];
                for (m = 0; m < lfirst && gen_only; m++)
                    gen_only = !ngen[ord[m]];
                for (ne = nx = 0, m = ness; m-- > lfirst;) {
                    ni_matcher *t = terms[ord[m]];
                    if (gen_only && !ngen[ord[m]]) {
                        extra[nx++] = t;
                        continue;
                    }
                    if (t->doc < floor && (rc = t->ops->advance(t, floor)) < 0)
                        return rc;
                    ess[ne] = t;
                    edoc[ne] = t->doc;
                    ebm[ne++] = bm[ord[m]];
                }
                /* the others, in the order they are probed: those that
                 * could reach theta with the proposers first */
                for (nothers = 0, m = nx + lfirst + first; m-- > 0;)
                    others[nothers++] = m >= lfirst + first ? extra[nx + lfirst + first - 1 - m]
                                        : m >= first       ? terms[ord[m - first]]
                                                           : terms[m];
                stale = 0;
            }
            /* the next document and the terms on it, with the bounds of
             * their blocks */
            for (j = 0; j < ne; j++)
                doc = edoc[j] < doc ? edoc[j] : doc;
            bound = 0;
            for (nat = 0, j = 0; j < ne; j++)
                if (edoc[j] == doc) {
                    bound += ebm[j];
                    at[nat++] = j;
                }
            if (min_match > 1 && !gen_only) {
                if ((rc = meet_generators(terms, nt, ngen, ess, ne, upto, &doc)) < 0)
                    return rc;
                bound = 0;
                for (nat = 0, j = 0; j < ne; j++) {
                    edoc[j] = ess[j]->doc;
                    if (edoc[j] == doc) {
                        bound += ebm[j];
                        at[nat++] = j;
                    }
                }
            }
            if (doc > upto)
                break;
            /* with a minimum match, the count first: it needs no
             * document lengths and rules out most candidates */
            pruned = 0;
            if (min_match > 1 && nat < min_match) {
                if ((rc = count_reaches(others, nothers, doc, min_match - nat)) < 0)
                    return rc;
                pruned = !rc;
            }
            /* the terms that may hold doc too, with their bounds there */
            np = 0;
            for (j = 0; j < nothers && !pruned; j++) {
                ni_matcher *t = others[j];
                if (t->doc > doc)
                    continue;
                /* no bound matters while the top k is not full */
                pb[np] = t->max_score;
                if (theta > -HUGE_VAL && (rc = ni_matcher_bound(t, doc, &far, &pb[np])) < 0)
                    return rc;
                if (t->doc <= doc)
                    probes[np++] = t;
            }
            rest[np] = opt_bound;
            for (j = np; j-- > 0;)
                rest[j] = rest[j + 1] + pb[j];
            if (pruned || hopeless(0, bound + rest[0], theta)) {
                pruned = 1;
            } else {
                if ((rc = ni_match_docinfo(c, doc, &di)) < 0)
                    return rc;
                pruned = !rc;
            }
            for (j = 0; j < nat && !pruned; j++) {
                ni_matcher *t = ess[at[j]];
                if ((rc = ni_matcher_ready(t)) < 0)
                    return rc;
                score += score_at(t, doc, &di);
                count++;
            }
            for (j = 0; j < np && !pruned; j++) {
                if (hopeless(score, rest[j], theta) || count + np - j < min_match)
                    pruned = 1;
                else if ((rc = probe(probes[j], doc, &di, &score, &count)) < 0)
                    return rc;
            }
            if (!pruned && count < min_match)
                pruned = 1;
            if (!pruned && (rc = add_optional(byb, no, doc, &di, theta, &score)) != 0) {
                if (rc < 0)
                    return rc;
                pruned = 1;
            }
            if (!pruned) {
                score = prog_ok ? sum_run(&prog, doc, &di) : or_sum(or, doc, &di, 1);
                for (i = 0; i < no; i++)
                    if (opts[i]->doc == doc)
                        score += score_at(opts[i], doc, &di);
                if ((theta = collect(arg, doc, score, &di)) > -HUGE_VAL && upto == NI_NO_DOC - 1)
                    upto = doc;    /* full now: windows with bounds from the next one */
            }
            for (j = 0; j < nat; j++) {
                ni_matcher *t = ess[at[j]];
                if ((rc = ni_matcher_next(t)) < 0)
                    return rc;
                edoc[at[j]] = t->doc;
            }
            floor = doc + 1;
        }
        if (upto == NI_NO_DOC - 1)
            return 0;
        wmin = upto + 1;
    }
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
                   ni_matcher **excl, size_t nexcl, ni_match_ctx *c,
                   ni_collect_fn collect, void *arg)
{
    double opt_bound = 0, bound = 0, theta;
    ni_matcher *lead = req[0], *byb[MAX_SCORERS];
    uint32_t upto = 0;
    int have_window = 0;
    ni_docinfo di;
    size_t k;
    int rc;

    set_lazy(req, nreq);
    set_lazy(opts, no);
    for (k = 0; k < no; k++)
        opt_bound += opts[k]->max_score;
    if (no)
        memcpy(byb, opts, no * sizeof *opts);
    qsort(byb, no, sizeof *byb, cmp_max_score_desc);
    theta = collect(arg, NI_NO_DOC, 0, NULL);
    while (lead->doc != NI_NO_DOC) {
        uint32_t doc = lead->doc;
        double score = 0, b;

        if (!have_window || doc > upto) {
            upto = NI_NO_DOC - 1;
            bound = opt_bound;
            /* no bound matters while the top k is not full */
            for (k = 0; k < nreq && theta > -HUGE_VAL; k++) {
                if ((rc = ni_matcher_bound(req[k], doc, &upto, &b)) < 0)
                    return rc;
                bound += b;
            }
            have_window = 1;
        }
        if (hopeless(0, bound, theta)) {
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
        if (k == nexcl) {
            if ((rc = ni_match_docinfo(c, doc, &di)) < 0)
                return rc;
            if (rc) {
                for (k = 0; k < nreq; k++) {
                    if ((rc = ni_matcher_ready(req[k])) < 0)
                        return rc;
                    score += score_at(req[k], doc, &di);
                }
                b = score;
                rc = add_optional(byb, no, doc, &di, theta, &b);
                if (rc < 0)
                    return rc;
                if (rc == 0) {
                    for (k = 0; k < no; k++)
                        if (opts[k]->doc == doc)
                            score += score_at(opts[k], doc, &di);
                    if ((theta = collect(arg, doc, score, &di)) > -HUGE_VAL &&
                        upto == NI_NO_DOC - 1)
                        upto = doc;    /* full now: windows with bounds from the next one */
                }
            }
        }
        if ((rc = ni_matcher_next(lead)) < 0)
            return rc;
    }
    return 0;
}

int ni_prune_topk(ni_matcher *root, ni_match_ctx *c, ni_collect_fn collect, void *arg)
{
    ni_matcher *terms[MAX_SCORERS], *or = root, **opts = NULL;
    size_t nt = 0, no = 0, min_match = 1;
    ni_match_parts p, op;

    ni_matcher_parts(root, &p);
    if (p.kind == NI_PARTS_NONE)
        /* alone, a matcher with block bounds: a term, a phrase */
        return root->ops->bound ? run_and(&root, 1, NULL, 0, NULL, 0, c, collect, arg)
                                : NI_ENOTFOUND;
    if (p.kind == NI_PARTS_AND) {
        if (p.nopt > MAX_SCORERS)
            return NI_ENOTFOUND;
        ni_matcher_parts(p.kids[0], &op);
        if (p.nkids != 1 || p.nexcl != 0 || op.kind != NI_PARTS_OR)
            return run_and(p.kids, p.nkids, p.opt, p.nopt, p.excl, p.nexcl, c, collect, arg);
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
    return run_or(or, terms, nt, min_match, opts, no, c, collect, arg);
}
