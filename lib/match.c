/*
 * match.c - the matchers of match.h that combine others or read only
 * docinfo: AND / AND NOT with optional scorers, OR with a minimum number of
 * matching kids, all documents, a date filter and nothing; and the docinfo
 * cache they share with the top-k evaluator.  The matchers that read
 * posting blocks (term, phrase, NEAR) are in term.c.  No matcher allocates
 * per document.  Each also answers the pruning hooks of ni_matcher_ops
 * (its bound is the sum of its parts', and ANDs and ORs list their parts);
 * the top-k evaluator that uses them is prune.c.  For explanations
 * (explain.c) it says which of them a matcher without parts is.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "match.h"
#include "mem.h"

/* ---- docinfo ----------------------------------------------------------- */

/* Makes the docinfo chunk holding doc the cached one. */
static int docinfo_chunk(ni_match_ctx *c, uint32_t chunk, uint32_t doc)
{
    unsigned char key[4];
    ni_val k, v;
    int rc;
    ni_put_be32(key, chunk);
    if (!c->di_cur && (rc = ni_cursor_open(&c->di_cur, c->txn, NI_T_DOCINFO)) < 0)
        return rc;
    /* documents come in increasing order: the next chunk is mostly the
     * cursor's next entry, cheaper than a search from the root */
    if (c->di_data && chunk == c->di_chunk + 1)
        rc = ni_cursor_next(c->di_cur);
    else
        rc = ni_cursor_seek(c->di_cur, key, 4);
    c->di_data = NULL;
    if (rc == 0)
        rc = ni_cursor_get(c->di_cur, &k, &v);
    if (rc == NI_DONE || (rc == 0 && (k.len != 4 || memcmp(k.data, key, 4) != 0)))
        return ni_error(NI_ECORRUPT, "document %u has no docinfo", doc);
    if (rc < 0)
        return rc;
    c->di_chunk = chunk;
    c->di_data = v.data;
    c->di_len = v.len;
    return 0;
}

int ni_match_docinfo_load(ni_match_ctx *c, uint32_t doc)
{
    uint32_t chunk = doc / NI_DOCINFO_CHUNK;
    size_t off = (size_t)(doc % NI_DOCINFO_CHUNK) * NI_DOCINFO_ENTRY;
    int rc;
    if ((!c->di_data || c->di_chunk != chunk) && (rc = docinfo_chunk(c, chunk, doc)) < 0)
        return rc;
    if (c->di_len < off + NI_DOCINFO_ENTRY)
        return ni_error(NI_ECORRUPT, "document %u has no docinfo", doc);
    return 0;
}

void ni_match_ctx_release(ni_match_ctx *c)
{
    ni_cursor_close(c->di_cur);
    c->di_cur = NULL;
    c->di_data = NULL;
}

void ni_matcher_free(ni_matcher *m)
{
    if (m)
        m->ops->free(m);
}

static void free_all(ni_matcher **ms, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        ni_matcher_free(ms[i]);
}

/* ---- AND / AND NOT ----------------------------------------------------- */

/* The sum of the bounds of ms[0..n) (see ops->bound). */
static int sum_bounds(ni_matcher **ms, size_t n, uint32_t target, uint32_t *upto,
                      double *out)
{
    double s = 0, b;
    size_t k;
    int rc;
    for (k = 0; k < n; k++) {
        if ((rc = ni_matcher_bound(ms[k], target, upto, &b)) < 0)
            return rc;
        s += b;
    }
    *out = s;
    return 0;
}

typedef struct and_m {
    ni_matcher m;
    ni_matcher **req, **opt, **excl;
    size_t nreq, nopt, nexcl;
} and_m;

static int and_find(and_m *a)
{
    uint32_t doc;
    size_t k;
    int rc, agree;

    for (;;) {
        doc = a->req[0]->doc;
        do {
            agree = 1;
            for (k = 0; k < a->nreq; k++) {
                ni_matcher *r = a->req[k];
                if ((rc = r->ops->advance(r, doc)) < 0)
                    return rc;
                if (r->doc == NI_NO_DOC) {
                    a->m.doc = NI_NO_DOC;
                    return 0;
                }
                if (r->doc > doc) {
                    doc = r->doc;
                    agree = 0;
                }
            }
        } while (!agree);
        for (k = 0; k < a->nexcl; k++) {
            ni_matcher *e = a->excl[k];
            if ((rc = e->ops->advance(e, doc)) < 0)
                return rc;
            if (e->doc == doc)
                break;
        }
        if (k == a->nexcl) {
            a->m.doc = doc;
            return 0;
        }
        if ((rc = a->req[0]->ops->next(a->req[0])) < 0)
            return rc;
        if (a->req[0]->doc == NI_NO_DOC) {
            a->m.doc = NI_NO_DOC;
            return 0;
        }
    }
}

static int and_next(ni_matcher *m)
{
    and_m *a = (and_m *)m;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    if ((rc = a->req[0]->ops->next(a->req[0])) < 0)
        return rc;
    return and_find(a);
}

static int and_advance(ni_matcher *m, uint32_t target)
{
    and_m *a = (and_m *)m;
    int rc;
    if (m->doc >= target)
        return 0;
    if ((rc = a->req[0]->ops->advance(a->req[0], target)) < 0)
        return rc;
    return and_find(a);
}

static double and_score(ni_matcher *m, const ni_docinfo *di)
{
    and_m *a = (and_m *)m;
    double s = 0;
    size_t k;
    for (k = 0; k < a->nreq; k++)
        s += a->req[k]->ops->score(a->req[k], di);
    for (k = 0; k < a->nopt; k++) {
        ni_matcher *o = a->opt[k];
        /* advance errors leave the optional scorer where it was */
        if (o->doc < m->doc && o->ops->advance(o, m->doc) < 0)
            continue;
        if (o->doc == m->doc)
            s += o->ops->score(o, di);
    }
    return s;
}

static void and_free(ni_matcher *m)
{
    and_m *a = (and_m *)m;
    free_all(a->req, a->nreq);
    free_all(a->opt, a->nopt);
    free_all(a->excl, a->nexcl);
    ni_mem_free(a->req);
    ni_mem_free(a);
}

/* ops->bound: the sum of the bounds of the required and optional parts. */
static int and_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    and_m *a = (and_m *)m;
    return sum_bounds(a->req, a->nreq + a->nopt, target, upto, out);
}

static void and_parts(const ni_matcher *m, ni_match_parts *out)
{
    const and_m *a = (const and_m *)m;
    memset(out, 0, sizeof *out);
    out->kind = NI_PARTS_AND;
    out->kids = a->req;
    out->nkids = a->nreq;
    out->opt = a->opt;
    out->nopt = a->nopt;
    out->excl = a->excl;
    out->nexcl = a->nexcl;
}

static const ni_matcher_ops and_ops = {
    .next = and_next, .advance = and_advance, .score = and_score, .free = and_free,
    .bound = and_bound, .parts = and_parts,
};

static int cmp_cost(const void *x, const void *y)
{
    const ni_matcher *a = *(ni_matcher *const *)x, *b = *(ni_matcher *const *)y;
    return (a->cost > b->cost) - (a->cost < b->cost);
}

int ni_match_and(ni_matcher **out, ni_matcher **req, size_t nreq,
                 ni_matcher **opt, size_t nopt, ni_matcher **excl, size_t nexcl)
{
    and_m *a;
    size_t k, total = nreq + nopt + nexcl;
    int rc;

    *out = NULL;
    a = ni_mem_calloc(1, sizeof *a);
    if (a)
        a->req = ni_mem_alloc((total ? total : 1) * sizeof *a->req);
    if (!a || !a->req || nreq == 0) {
        ni_mem_free(a ? a->req : NULL);
        ni_mem_free(a);
        free_all(req, nreq);
        free_all(opt, nopt);
        free_all(excl, nexcl);
        return nreq == 0 ? ni_error(NI_EINVAL, "AND without a required part")
                         : ni_error(NI_ENOMEM, "out of memory");
    }
    memcpy(a->req, req, nreq * sizeof *req);
    a->opt = a->req + nreq;
    if (nopt)
        memcpy(a->opt, opt, nopt * sizeof *opt);
    a->excl = a->opt + nopt;
    if (nexcl)
        memcpy(a->excl, excl, nexcl * sizeof *excl);
    a->nreq = nreq;
    a->nopt = nopt;
    a->nexcl = nexcl;
    a->m.ops = &and_ops;
    /* the rarest required matcher leads */
    qsort(a->req, nreq, sizeof *a->req, cmp_cost);
    a->m.cost = a->req[0]->cost;
    for (k = 0; k < nreq; k++)
        a->m.max_score += a->req[k]->max_score;
    for (k = 0; k < nopt; k++)
        a->m.max_score += a->opt[k]->max_score;
    if ((rc = and_find(a)) < 0) {
        and_free(&a->m);
        return rc;
    }
    *out = &a->m;
    return 0;
}

/* ---- OR with a minimum number of matching kids ------------------------ */

/*
 * With a minimum of m matching kids out of n, a matching document holds at
 * least one of any n - m + 1 kids (it misses at most n - m): only the
 * n - m + 1 rarest kids propose documents, the others are advanced to each
 * proposal and counted.
 */
typedef struct or_m {
    ni_matcher m;
    ni_matcher **kids;         /* by cost when min_match > 1 */
    size_t n, min_match;
    size_t ngen;               /* kids[0..ngen) propose documents */
} or_m;

/* From the kids' current documents, the first with enough kids on it. */
static int or_find(or_m *o)
{
    size_t k, count;
    int rc;
    for (;;) {
        uint32_t doc = NI_NO_DOC;
        for (k = 0; k < o->ngen; k++)
            if (o->kids[k]->doc < doc)
                doc = o->kids[k]->doc;
        o->m.doc = doc;
        if (doc == NI_NO_DOC || o->min_match <= 1)
            return 0;
        /* the others are advanced to doc, rarest first, until too few are
         * left to make the count (kids left behind are advanced later:
         * or_score only adds kids that stand on the document) */
        for (count = 0, k = 0; k < o->n && count + (o->n - k) >= o->min_match; k++) {
            ni_matcher *kid = o->kids[k];
            if (k >= o->ngen && kid->doc < doc && (rc = kid->ops->advance(kid, doc)) < 0)
                return rc;
            count += kid->doc == doc;
        }
        if (count >= o->min_match)
            return 0;
        for (k = 0; k < o->ngen; k++)
            if (o->kids[k]->doc == doc && (rc = o->kids[k]->ops->next(o->kids[k])) < 0)
                return rc;
    }
}

static int or_next(ni_matcher *m)
{
    or_m *o = (or_m *)m;
    uint32_t doc = m->doc;
    size_t k;
    int rc;
    if (doc == NI_NO_DOC)
        return 0;
    for (k = 0; k < o->ngen; k++)
        if (o->kids[k]->doc == doc && (rc = o->kids[k]->ops->next(o->kids[k])) < 0)
            return rc;
    return or_find(o);
}

static int or_advance(ni_matcher *m, uint32_t target)
{
    or_m *o = (or_m *)m;
    size_t k;
    int rc;
    if (m->doc >= target)
        return 0;
    for (k = 0; k < o->ngen; k++)
        if ((rc = o->kids[k]->ops->advance(o->kids[k], target)) < 0)
            return rc;
    return or_find(o);
}

static double or_score(ni_matcher *m, const ni_docinfo *di)
{
    or_m *o = (or_m *)m;
    double s = 0;
    size_t k;
    for (k = 0; k < o->n; k++)
        if (o->kids[k]->doc == m->doc)
            s += o->kids[k]->ops->score(o->kids[k], di);
    return s;
}

static void or_free(ni_matcher *m)
{
    or_m *o = (or_m *)m;
    free_all(o->kids, o->n);
    ni_mem_free(o->kids);
    ni_mem_free(o);
}

/* ops->bound: the sum of the kids' bounds. */
static int or_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    or_m *o = (or_m *)m;
    return sum_bounds(o->kids, o->n, target, upto, out);
}

static void or_parts(const ni_matcher *m, ni_match_parts *out)
{
    const or_m *o = (const or_m *)m;
    memset(out, 0, sizeof *out);
    out->kind = NI_PARTS_OR;
    out->kids = o->kids;
    out->nkids = o->n;
    out->min_match = o->min_match;
    out->ngen = o->ngen;
}

static const ni_matcher_ops or_ops = {
    .next = or_next, .advance = or_advance, .score = or_score, .free = or_free,
    .bound = or_bound, .parts = or_parts,
};

int ni_match_or(ni_matcher **out, ni_matcher **kids, size_t n, size_t min_match)
{
    or_m *o;
    size_t k;
    int rc;

    *out = NULL;
    o = ni_mem_calloc(1, sizeof *o);
    if (o)
        o->kids = ni_mem_alloc((n ? n : 1) * sizeof *kids);
    if (!o || !o->kids) {
        ni_mem_free(o);
        free_all(kids, n);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    memcpy(o->kids, kids, n * sizeof *kids);
    o->n = n;
    o->min_match = min_match ? min_match : 1;
    o->ngen = n;
    if (o->min_match > 1 && o->min_match <= n) {
        qsort(o->kids, n, sizeof *o->kids, cmp_cost);
        o->ngen = n - o->min_match + 1;
    }
    o->m.ops = &or_ops;
    for (k = 0; k < n; k++) {
        o->m.max_score += kids[k]->max_score;
        o->m.cost += kids[k]->cost;
    }
    if ((rc = or_find(o)) < 0) {
        or_free(&o->m);
        return rc;
    }
    *out = &o->m;
    return 0;
}

/* ---- all documents, date filter, nothing ------------------------------- */

typedef struct all_m {
    ni_matcher m;
    ni_match_ctx *c;
} all_m;

static int all_settle(all_m *a, uint32_t doc)
{
    ni_docinfo di;
    int rc;
    for (; doc < a->c->next_doc; doc++) {
        if ((rc = ni_match_docinfo(a->c, doc, &di)) < 0)
            return rc;
        if (rc) {
            a->m.doc = doc;
            return 0;
        }
    }
    a->m.doc = NI_NO_DOC;
    return 0;
}

static int all_next(ni_matcher *m)
{
    return m->doc == NI_NO_DOC ? 0 : all_settle((all_m *)m, m->doc + 1);
}

static int all_advance(ni_matcher *m, uint32_t target)
{
    return m->doc >= target ? 0 : all_settle((all_m *)m, target);
}

static double zero_score(ni_matcher *m, const ni_docinfo *di)
{
    (void)m;
    (void)di;
    return 0;
}

static void plain_free(ni_matcher *m)
{
    ni_mem_free(m);
}

static const ni_matcher_ops all_ops = {
    .next = all_next, .advance = all_advance, .score = zero_score, .free = plain_free,
};

int ni_match_all(ni_matcher **out, ni_match_ctx *c)
{
    all_m *a = ni_mem_calloc(1, sizeof *a);
    int rc;
    *out = NULL;
    if (!a)
        return ni_error(NI_ENOMEM, "out of memory");
    a->m.ops = &all_ops;
    a->m.cost = c->next_doc;
    a->c = c;
    if ((rc = all_settle(a, 0)) < 0) {
        ni_mem_free(a);
        return rc;
    }
    *out = &a->m;
    return 0;
}

typedef struct date_m {
    ni_matcher m;
    ni_match_ctx *c;
    ni_matcher *kid;
    int64_t lo, hi;
} date_m;

static int date_settle(date_m *d)
{
    ni_docinfo di;
    int rc;
    for (;;) {
        d->m.doc = d->kid->doc;
        if (d->m.doc == NI_NO_DOC)
            return 0;
        if ((rc = ni_match_docinfo(d->c, d->m.doc, &di)) < 0)
            return rc;
        if (di.date != NI_DATE_NONE && di.date >= d->lo && di.date <= d->hi)
            return 0;
        if ((rc = d->kid->ops->next(d->kid)) < 0)
            return rc;
    }
}

static int date_next(ni_matcher *m)
{
    date_m *d = (date_m *)m;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    if ((rc = d->kid->ops->next(d->kid)) < 0)
        return rc;
    return date_settle(d);
}

static int date_advance(ni_matcher *m, uint32_t target)
{
    date_m *d = (date_m *)m;
    int rc;
    if (m->doc >= target)
        return 0;
    if ((rc = d->kid->ops->advance(d->kid, target)) < 0)
        return rc;
    return date_settle(d);
}

static double date_score(ni_matcher *m, const ni_docinfo *di)
{
    date_m *d = (date_m *)m;
    return d->kid->ops->score(d->kid, di);
}

static void date_free(ni_matcher *m)
{
    date_m *d = (date_m *)m;
    ni_matcher_free(d->kid);
    ni_mem_free(d);
}

static const ni_matcher_ops date_ops = {
    .next = date_next, .advance = date_advance, .score = date_score, .free = date_free,
};

int ni_match_date(ni_matcher **out, ni_match_ctx *c, ni_matcher *kid,
                  int64_t lo, int64_t hi)
{
    date_m *d = ni_mem_calloc(1, sizeof *d);
    int rc;
    *out = NULL;
    if (!d) {
        ni_matcher_free(kid);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    d->m.ops = &date_ops;
    d->m.cost = kid->cost;
    d->m.max_score = kid->max_score;
    d->c = c;
    d->kid = kid;
    d->lo = lo;
    d->hi = hi;
    if ((rc = date_settle(d)) < 0) {
        date_free(&d->m);
        return rc;
    }
    *out = &d->m;
    return 0;
}

static int none_move(ni_matcher *m)
{
    m->doc = NI_NO_DOC;
    return 0;
}

static int none_advance(ni_matcher *m, uint32_t target)
{
    (void)target;
    return none_move(m);
}

static const ni_matcher_ops none_ops = {
    .next = none_move, .advance = none_advance, .score = zero_score, .free = plain_free,
};

int ni_match_none(ni_matcher **out)
{
    ni_matcher *m = ni_mem_calloc(1, sizeof *m);
    *out = m;
    if (!m)
        return ni_error(NI_ENOMEM, "out of memory");
    m->ops = &none_ops;
    m->doc = NI_NO_DOC;
    return 0;
}

ni_match_kind ni_match_describe(const ni_matcher *m, ni_matcher **kid, int64_t *lo,
                                int64_t *hi)
{
    if (m->ops == &date_ops) {
        const date_m *d = (const date_m *)m;
        *kid = d->kid;
        *lo = d->lo;
        *hi = d->hi;
        return NI_MATCH_DATE;
    }
    if (m->ops == &all_ops)
        return NI_MATCH_ALL;
    return m->ops == &none_ops ? NI_MATCH_NONE : NI_MATCH_OTHER;
}
