/*
 * explain.c - how one document fares with a query (ni_explain): whether it
 * matches, fully or as a partial match, the score ni_search gives it and
 * the terms that make it, or why it does not match.
 *
 * The query is built by search.c (ni_search_build) into the matchers
 * ni_search evaluates, and this module decides nothing about matching or
 * scoring itself.  The builder shows it every matcher it makes of a node
 * of the query (ni_search_note_fn) before any other matcher uses it; the
 * matcher is sent to the document there and then, so it stands on the
 * document exactly when it matches it, and that is recorded with the term
 * lines of the words, phrases and prefixes (term.h gives a term's
 * frequencies and score).  Their parents are made from them afterwards
 * and move them on, so what an AND, an OR or a date filter holds is read
 * from its parts and the records (match.h).  The root matcher, noted last
 * and moved by nobody, stands on the document when it matches; its score
 * there is the document's score: the same function over the same
 * matchers as ni_search's evaluation (pruned evaluation sums in the same
 * order), to the last bit.  When the strict pass does not match and
 * ni_search would look for partial matches, the partial pass is built
 * and looked at the same way.
 *
 * The rank comes from ni_search run first with the same options; its
 * snapshot is the one explained.  What the document lacks or holds
 * against the query is said with the query's own text (ni_qnode spans).
 * An explanation keeps copies, no matcher: it outlives the snapshot.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "explain.h"
#include "mem.h"
#include "search.h"
#include "term.h"

/* A matcher the builder noted. */
typedef struct rec {
    const ni_matcher *m;
    const ni_qnode *q;
    int held;                  /* it stood on the document when noted */
    int negated;               /* under a NOT: its lines are left out */
    size_t line, nlines;       /* a word, phrase or prefix: its term lines */
} rec;

/* A term line while the explanation is made. */
typedef struct tline {
    ni_explain_term t;         /* term and query are set at the end */
    size_t term_off;           /* the term in ex->strings */
    size_t rec;                /* its word, phrase or prefix */
    int held;                  /* its term (phrase) matcher stood on the document */
    double score;              /* the term's score there */
} tline;

/* One build of the query: the strict pass or the partial one. */
typedef struct pass {
    ni_matcher *root;
    ni_search_built info;
    rec *recs;
    size_t nrecs, rcap;
    tline *lines;
    size_t nlines, lcap;
} pass;

struct ni_explanation {
    char *query;               /* a copy: the query tree and the parts point into it */
    size_t query_len;
    int match;                 /* NI_EXPLAIN_* */
    double score;
    size_t rank;
    char mode[64];
    ni_explain_doc doc;
    ni_explain_term *terms;
    size_t nterms;
    ni_explain_reason *reasons;
    size_t nreasons, reasons_cap;
    ni_buf strings;            /* the terms' text */
    double proximity;          /* the part of the score beside the terms':
                                  the bonus for the words standing together */
    double freshness;          /* the factor the score was multiplied by */
    struct {
        const char *name;
        double value;
    } extra[4];
    size_t nextra;
};

typedef struct state {
    ni_explanation *ex;
    ni_index *idx;
    const ni_search_options *o;
    ni_match_ctx c;
    uint32_t doc;
    ni_docinfo di;
    ni_analyzer *an;           /* tells a word's stem from its other terms */
    pass *p;                   /* the pass being built */
} state;

/* 1 for a query node the builder makes a matcher of terms of: a word, a
 * phrase, a prefix, a rubric. */
static int is_atom(const ni_qnode *q)
{
    return q->type == NI_Q_WORD || q->type == NI_Q_PHRASE || q->type == NI_Q_PREFIX ||
           q->type == NI_Q_RUBRIC;
}

/* The array a of *cap items of size bytes, made larger when it has no
 * room for item n; NULL when out of memory (a is left as it was). */
static void *grow(void *a, size_t *cap, size_t n, size_t size)
{
    size_t ncap;
    void *p;
    if (n < *cap)
        return a;
    ncap = *cap ? *cap * 2 : 16;
    if (!(p = ni_mem_realloc(a, ncap * size))) {
        ni_error(NI_ENOMEM, "out of memory");
        return NULL;
    }
    *cap = ncap;
    return p;
}

/* The first record of m (a matcher noted twice was noted first with the
 * smaller node), or NULL. */
static rec *find_rec(const pass *p, const ni_matcher *m)
{
    size_t i;
    for (i = 0; i < p->nrecs; i++)
        if (p->recs[i].m == m)
            return &p->recs[i];
    return NULL;
}

/* ---- term lines, made as the builder notes the matchers ---------------- */

/* What a term of a word, phrase or prefix q is (of a matcher of nterms
 * terms: a phrase of one word is searched as that word).  A term that is
 * neither the stem nor the normal form of a word of q, such as another
 * key the builder searches a word under, is an alternate. */
static int term_kind(state *s, const ni_qnode *q, size_t words, const char *term,
                     size_t len)
{
    ni_token tok;
    int kind = NI_EXPLAIN_ALTERNATE;
    if (q->type == NI_Q_PREFIX)
        return NI_EXPLAIN_PREFIX;
    if (words > 1)
        return NI_EXPLAIN_PHRASE;
    if (len && (term[0] == NI_NAME_MID || term[0] == NI_NAME_START))
        return NI_EXPLAIN_NAME;
    if (ni_analyzer_start(s->an, q->text, q->len, 0) < 0)
        return kind;
    while (ni_analyzer_next(s->an, &tok) == 0) {
        if (tok.term_len == len && memcmp(tok.term, term, len) == 0)
            return NI_EXPLAIN_WORD;
        if (tok.norm_len == len && memcmp(tok.norm, term, len) == 0)
            kind = NI_EXPLAIN_FORM;
    }
    return kind;
}

/* The frequencies of d's term in the document when its matcher has gone
 * past it or stands elsewhere (a phrase that is not there). */
static int frequencies(state *s, ni_term_detail *d)
{
    ni_term_detail f;
    ni_matcher *t = NULL;
    int rc = ni_match_term(&t, &s->c, d->term, d->len, d->field, 1);
    if (rc == NI_ENOTFOUND)
        return 0;
    if (rc == 0 && (rc = t->ops->advance(t, s->doc)) == 0 &&
        (rc = ni_match_term_detail(&f, t, 0, s->doc, &s->di)) == 0) {
        d->tf_title = f.tf_title;
        d->tf_body = f.tf_body;
        d->lead = f.lead;
    }
    ni_matcher_free(t);
    return rc;
}

/* The term lines of the word, phrase or prefix q (record ri), whose
 * matcher m (or a part of it) was just sent to the document. */
static int add_lines(state *s, size_t ri, const ni_qnode *q, ni_matcher *m)
{
    pass *p = s->p;
    ni_match_parts parts;
    size_t i, n;
    int rc;

    ni_matcher_parts(m, &parts);
    if (parts.kind != NI_PARTS_NONE) {
        for (i = 0; i < parts.nkids; i++)
            if ((rc = add_lines(s, ri, q, parts.kids[i])) < 0)
                return rc;
        return 0;
    }
    n = ni_match_term_count(m);
    for (i = 0; i < n; i++) {
        ni_term_detail d;
        tline *l;
        int held = m->doc == s->doc;
        if ((rc = ni_match_term_detail(&d, m, i, s->doc, &s->di)) < 0)
            return rc;
        /* a word's term the document lacks, where another one holds it */
        held &= d.tf_title + d.tf_body > 0;
        if (!held && (rc = frequencies(s, &d)) < 0)
            return rc;
        if (q->type == NI_Q_PREFIX && d.tf_title == 0 && d.tf_body == 0)
            continue;
        if (!(l = grow(p->lines, &p->lcap, p->nlines, sizeof *p->lines)))
            return NI_ENOMEM;
        p->lines = l;
        l = &p->lines[p->nlines];
        memset(l, 0, sizeof *l);
        l->t.kind = term_kind(s, q, d.words, d.term, d.len);
        l->t.title_only = d.field == NI_QFIELD_TITLE;
        l->t.tf_title = d.tf_title;
        l->t.tf_body = d.tf_body;
        l->t.lead = (int)d.lead;
        l->t.df = d.df;
        l->t.idf = d.idf;
        l->t.query_len = q->end - q->offset;
        l->t.term_len = d.len;
        l->term_off = s->ex->strings.len;
        l->rec = ri;
        l->held = held;
        l->score = d.score;
        if ((rc = ni_buf_put(&s->ex->strings, d.term, d.len)) < 0)
            return rc;
        p->nlines++;
    }
    return 0;
}

/* ni_search_note_fn: sends m to the document and records where it stands
 * (and a word's, phrase's or prefix's term lines). */
static int note(void *arg, const ni_qnode *q, ni_matcher *m)
{
    state *s = arg;
    pass *p = s->p;
    int atom = is_atom(q) && q->type != NI_Q_RUBRIC && !find_rec(p, m);
    rec *r;
    int rc;

    if ((rc = m->ops->advance(m, s->doc)) < 0)
        return rc;
    if (!(r = grow(p->recs, &p->rcap, p->nrecs, sizeof *p->recs)))
        return NI_ENOMEM;
    p->recs = r;
    r = &p->recs[p->nrecs];
    memset(r, 0, sizeof *r);
    r->m = m;
    r->q = q;
    r->held = m->doc == s->doc;
    r->line = p->nlines;
    if (atom && (rc = add_lines(s, p->nrecs, q, m)) < 0)
        return rc;
    r->nlines = p->nlines - r->line;
    p->nrecs++;
    return 0;
}

/* ---- what the tree holds, counts and lacks ----------------------------- */

static int date_in(int64_t date, int64_t lo, int64_t hi)
{
    return date != NI_DATE_NONE && date >= lo && date <= hi;
}

/* 1 when m matches the document. */
static int holds(const state *s, const ni_matcher *m)
{
    const rec *r = find_rec(s->p, m);
    ni_match_parts parts;
    ni_matcher *kid;
    int64_t lo, hi;
    size_t k, n = 0;

    if (r)
        return r->held;
    ni_matcher_parts(m, &parts);
    if (parts.kind == NI_PARTS_AND) {
        for (k = 0; k < parts.nkids; k++)
            if (!holds(s, parts.kids[k]))
                return 0;
        for (k = 0; k < parts.nexcl; k++)
            if (holds(s, parts.excl[k]))
                return 0;
        return 1;
    }
    if (parts.kind == NI_PARTS_OR) {
        for (k = 0; k < parts.nkids; k++)
            n += (size_t)holds(s, parts.kids[k]);
        return n >= parts.min_match;
    }
    switch (ni_match_describe(m, &kid, &lo, &hi)) {
    case NI_MATCH_DATE:
        return date_in(s->di.date, lo, hi) && holds(s, kid);
    case NI_MATCH_ALL:
        return 1;
    case NI_MATCH_NONE:
        return 0;
    default:
        return m->doc == s->doc;
    }
}

/* Marks which term lines under m count in the score: counted says that
 * m's parents add m's score up (m matches and every parent does). */
static void attribute(state *s, const ni_matcher *m, int counted, int negated)
{
    rec *r = find_rec(s->p, m);
    ni_match_parts parts;
    ni_matcher *kid;
    int64_t lo, hi;
    size_t k;

    if (r && is_atom(r->q)) {
        r->negated = negated;
        for (k = r->line; k < r->line + r->nlines; k++) {
            tline *l = &s->p->lines[k];
            l->t.counted = counted && l->held;
            l->t.score = l->t.counted ? l->score : 0;
        }
        return;
    }
    ni_matcher_parts(m, &parts);
    if (parts.kind != NI_PARTS_NONE) {
        for (k = 0; k < parts.nkids; k++)
            attribute(s, parts.kids[k], counted && holds(s, parts.kids[k]), negated);
        for (k = 0; k < parts.nopt; k++)
            attribute(s, parts.opt[k], counted && holds(s, parts.opt[k]), negated);
        for (k = 0; k < parts.nexcl; k++)
            attribute(s, parts.excl[k], 0, 1);
    } else if (ni_match_describe(m, &kid, &lo, &hi) == NI_MATCH_DATE) {
        attribute(s, kid, counted, negated);
    }
}

static int add_reason(ni_explanation *ex, int kind, size_t from, size_t to, size_t held,
                      size_t needed, size_t of)
{
    ni_explain_reason *r = grow(ex->reasons, &ex->reasons_cap, ex->nreasons,
                                sizeof *ex->reasons);
    if (!r)
        return NI_ENOMEM;
    ex->reasons = r;
    r = &ex->reasons[ex->nreasons++];
    r->kind = kind;
    r->query = ex->query + from;
    r->query_len = to - from;
    r->held = held;
    r->needed = needed;
    r->of = of;
    return 0;
}

/* The part of the query that excluded what q stands for: the NOT of q
 * among ctx and its kids, or q. */
static const ni_qnode *negation(const ni_qnode *ctx, const ni_qnode *q)
{
    size_t k;
    if (ctx->type == NI_Q_NOT && ctx->kids[0] == q)
        return ctx;
    for (k = 0; k < ctx->nkids; k++)
        if (ctx->kids[k]->type == NI_Q_NOT && ctx->kids[k]->kids[0] == q)
            return ctx->kids[k];
    return q;
}

/* The date filter [lo, hi] among ctx and its kids, or ctx. */
static const ni_qnode *date_node(const ni_qnode *ctx, int64_t lo, int64_t hi)
{
    size_t k;
    for (k = 0; k < ctx->nkids; k++)
        if (ctx->kids[k]->type == NI_Q_DATE && ctx->kids[k]->lo == lo &&
            ctx->kids[k]->hi == hi)
            return ctx->kids[k];
    return ctx;
}

/* The reasons why m (made for the query node ctx, or inside it) does not
 * match the document. */
static int why(state *s, const ni_matcher *m, const ni_qnode *ctx)
{
    ni_explanation *ex = s->ex;
    const rec *r = find_rec(s->p, m);
    ni_match_parts parts;
    ni_matcher *kid;
    int64_t lo, hi;
    size_t k, n = 0, from, to;
    int rc = 0;

    if (r) {
        ctx = r->q;
        if (is_atom(ctx))
            return add_reason(ex, ctx->type == NI_Q_RUBRIC ? NI_WHY_RUBRIC : NI_WHY_LACKS,
                              ctx->offset, ctx->end, 0, 0, 0);
    }
    ni_matcher_parts(m, &parts);
    if (parts.kind == NI_PARTS_BONUS)
        return why(s, parts.kids[0], ctx);
    if (parts.kind == NI_PARTS_AND) {
        for (k = 0; k < parts.nkids && rc == 0; k++)
            if (!holds(s, parts.kids[k]))
                rc = why(s, parts.kids[k], ctx);
        for (k = 0; k < parts.nexcl && rc == 0; k++) {
            const rec *e = find_rec(s->p, parts.excl[k]);
            const ni_qnode *q = e ? negation(ctx, e->q) : ctx;
            if (holds(s, parts.excl[k]))
                rc = add_reason(ex, NI_WHY_EXCLUDED, q->offset, q->end, 0, 0, 0);
        }
        return rc;
    }
    if (parts.kind == NI_PARTS_OR) {
        /* an OR of the query, or one the builder made of some words of
         * ctx: the span of those */
        from = ctx->end;
        to = ctx->offset;
        for (k = 0; k < parts.nkids; k++) {
            const rec *e = find_rec(s->p, parts.kids[k]);
            n += (size_t)holds(s, parts.kids[k]);
            if (e && e->q->offset < from)
                from = e->q->offset;
            if (e && e->q->end > to)
                to = e->q->end;
        }
        if (from >= to || (r && r->q->type == NI_Q_OR))
            from = ctx->offset, to = ctx->end;
        /* none of the alternatives: why not, for those that are not just
         * a word; too few of the words: each word it lacks */
        if (parts.min_match <= 1)
            rc = add_reason(ex, NI_WHY_NONE_OF, from, to, 0, 0, 0);
        else
            rc = add_reason(ex, NI_WHY_TOO_FEW, from, to, n, parts.min_match, parts.nkids);
        for (k = 0; k < parts.nkids && rc == 0; k++) {
            const rec *e = find_rec(s->p, parts.kids[k]);
            if (!holds(s, parts.kids[k]) &&
                (parts.min_match > 1 || !e || !is_atom(e->q)))
                rc = why(s, parts.kids[k], ctx);
        }
        return rc;
    }
    switch (ni_match_describe(m, &kid, &lo, &hi)) {
    case NI_MATCH_DATE:
        if (!date_in(s->di.date, lo, hi)) {
            const ni_qnode *d = ctx->type == NI_Q_DATE ? ctx : date_node(ctx, lo, hi);
            rc = add_reason(ex, NI_WHY_DATE, d->offset, d->end, 0, 0, 0);
        }
        if (rc == 0 && !holds(s, kid))
            rc = why(s, kid, ctx);
        return rc;
    case NI_MATCH_ALL:
        return 0;
    case NI_MATCH_NONE:
        return add_reason(ex, NI_WHY_EMPTY, ctx->offset, ctx->end, 0, 0, 0);
    default:
        return add_reason(ex, NI_WHY_LACKS, ctx->offset, ctx->end, 0, 0, 0);
    }
}

/* Reasons in the order of the query: by where their part starts, a longer
 * part (a whole long query) before the words in it. */
static void sort_reasons(ni_explanation *ex)
{
    size_t i, j;
    for (i = 1; i < ex->nreasons; i++) {
        ni_explain_reason r = ex->reasons[i];
        for (j = i; j > 0; j--) {
            const ni_explain_reason *q = &ex->reasons[j - 1];
            if (q->query < r.query ||
                (q->query == r.query && q->query_len >= r.query_len))
                break;
            ex->reasons[j] = *q;
        }
        ex->reasons[j] = r;
    }
}

/* ---- the explanation --------------------------------------------------- */

static void pass_free(pass *p)
{
    ni_matcher_free(p->root);
    ni_mem_free(p->recs);
    ni_mem_free(p->lines);
    memset(p, 0, sizeof *p);
}

/* Builds tree into p (the partial pass when partial is set). */
static int build_pass(state *s, pass *p, const ni_qnode *tree, int partial)
{
    int rc;
    s->p = p;
    if ((rc = ni_index_borrow_analyzer(s->idx, &s->an)) < 0)
        return rc;
    rc = ni_search_build(&p->root, &p->info, s->idx, &s->c, tree, s->o, partial, note, s);
    ni_index_return_analyzer(s->idx, s->an);
    s->an = NULL;
    return rc;
}

/* 1 when the root of p matches the document; then its score there is the
 * explanation's, and the bonus of a root that adds one (proximity) its
 * part beside the terms'.  0, 1 or <0. */
static int matches(state *s, pass *p)
{
    ni_match_parts parts;
    int rc;
    if (!p->root || p->root->doc != s->doc)
        return 0;
    s->ex->score = p->root->ops->score(p->root, &s->di);
    ni_matcher_parts(p->root, &parts);
    if (parts.kind == NI_PARTS_BONUS &&
        (rc = ni_matcher_bonus(p->root, s->doc, &s->di, 0, -HUGE_VAL, &s->ex->proximity)) < 0)
        return rc;
    if (s->c.fresh.on) {
        s->ex->freshness = ni_fresh_factor(&s->c.fresh, s->di.date);
        s->ex->score = ni_fresh_apply(&s->c.fresh, s->ex->score, s->di.date);
    }
    return 1;
}

/* The explanation's term lines: those of p, NOT's left out. */
static int take_lines(state *s, pass *p)
{
    ni_explanation *ex = s->ex;
    size_t i;

    s->p = p;
    if (p->root)
        attribute(s, p->root, p->root->doc == s->doc, 0);
    if (p->nlines && !(ex->terms = ni_mem_alloc(p->nlines * sizeof *ex->terms)))
        return ni_error(NI_ENOMEM, "out of memory");
    for (i = 0; i < p->nlines; i++) {
        const tline *l = &p->lines[i];
        const rec *r = &p->recs[l->rec];
        ni_explain_term *t;
        if (r->negated)
            continue;
        t = &ex->terms[ex->nterms++];
        *t = l->t;
        t->term = (const char *)ex->strings.data + l->term_off;
        t->query = ex->query + r->q->offset;
    }
    return 0;
}

/* The rank of the hit that is id or that id was folded into (a near
 * copy of it), 0 when none is. */
static int find_rank(ni_hits *hits, const char *id, size_t id_len, size_t *rank)
{
    ni_hit hit;
    size_t i, n;
    int rc;
    *rank = 0;
    while ((rc = ni_hits_next(hits, &hit)) == 0) {
        if (hit.id_len == id_len && memcmp(hit.id, id, id_len) == 0) {
            *rank = hit.rank;
            return 0;
        }
        for (i = 0, n = ni_hits_duplicates(hits); i < n; i++) {
            if ((rc = ni_hits_duplicate(hits, i, &hit)) < 0)
                return rc;
            if (hit.id_len == id_len && memcmp(hit.id, id, id_len) == 0) {
                *rank = hit.rank;
                return 0;
            }
        }
    }
    return rc == NI_DONE ? 0 : rc;
}

/* Whether and how the document of s matches tree, its term lines and the
 * reasons. */
static int explain_tree(state *s, const ni_qnode *tree)
{
    ni_explanation *ex = s->ex;
    pass strict = { 0 }, partial = { 0 }, *shown = &strict;
    int rc;

    if ((rc = build_pass(s, &strict, tree, 0)) < 0)
        goto cleanup;
    s->p = &strict;
    if ((rc = matches(s, &strict)) < 0)
        goto cleanup;
    if (rc) {
        ex->match = NI_EXPLAIN_FULL;
    } else {
        rc = strict.root ? why(s, strict.root, tree)
                         : add_reason(ex, NI_WHY_EMPTY, 0, ex->query_len, 0, 0, 0);
        if (rc < 0)
            goto cleanup;
        sort_reasons(ex);
        if (strict.info.partial) {
            if ((rc = build_pass(s, &partial, tree, 1)) < 0)
                goto cleanup;
            if ((rc = matches(s, &partial)) < 0)
                goto cleanup;
            if (rc) {
                ex->match = NI_EXPLAIN_PARTIAL;
                shown = &partial;
            }
        }
    }
    rc = take_lines(s, shown);
cleanup:
    pass_free(&strict);
    pass_free(&partial);
    return rc;
}

int ni_explain_run(ni_explanation **out, ni_index *idx, const char *query, size_t len,
                   const char *id, size_t id_len, const ni_search_options *o)
{
    ni_search_options ids_only = *o;
    ni_explanation *ex;
    const char *parsed;
    ni_qnode *tree = NULL;
    ni_hits *hits = NULL;
    state s;
    int rc;

    *out = NULL;
    memset(&s, 0, sizeof s);
    ids_only.flags |= NI_SEARCH_IDS_ONLY;
    if (!(ex = ni_mem_calloc(1, sizeof *ex))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    ex->freshness = 1;
    /* the query as ni_search parsed it (with an unbalanced quote made a
     * space, or switched to the other keyboard layout) */
    if ((rc = ni_search_run(&hits, idx, query, len, &ids_only)) < 0)
        goto cleanup;
    parsed = ni_hits_parsed(hits, &len);
    if (!(ex->query = ni_mem_alloc(len + 1))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    memcpy(ex->query, parsed, len);
    ex->query[len] = '\0';
    ex->query_len = len;
    if ((rc = ni_query_parse(&tree, ex->query, len)) < 0 ||
        (rc = ni_id_get(ni_hits_txn(hits), id, id_len, &s.doc)) < 0 ||
        (rc = ni_search_ctx_init(&s.c, ni_hits_txn(hits), o)) < 0 ||
        (rc = ni_match_docinfo(&s.c, s.doc, &s.di)) < 0)
        goto cleanup;
    if (rc == 0) {
        rc = ni_error(NI_ENOTFOUND, "document '%.*s' is deleted",
                      (int)(id_len > 200 ? 200 : id_len), id);
        goto cleanup;
    }
    snprintf(ex->mode, sizeof ex->mode, "%s", ni_hits_mode(hits));
    ex->doc.len_title = s.di.len_title;
    ex->doc.len_body = s.di.len_body;
    ex->doc.date = s.di.date;
    ex->doc.avg_title = s.c.bm25.avg_title;
    ex->doc.avg_body = s.c.bm25.avg_body;
    ex->doc.docs = (uint64_t)s.c.bm25.docs;
    ex->doc.k1 = o->k1;
    ex->doc.b = o->b;
    ex->doc.title_weight = o->title_weight;
    ex->doc.lead_weight = s.c.bm25.lead_weight;
    s.ex = ex;
    s.idx = idx;
    s.o = o;
    if ((rc = find_rank(hits, id, id_len, &ex->rank)) < 0)
        goto cleanup;
    rc = tree ? explain_tree(&s, tree)
              : add_reason(ex, NI_WHY_EMPTY, 0, len, 0, 0, 0);
cleanup:
    ni_match_ctx_release(&s.c);
    ni_hits_free(hits);
    ni_query_free(tree);
    if (rc < 0) {
        ni_explanation_free(ex);
        return rc;
    }
    *out = ex;
    return 0;
}

/* ---- accessors --------------------------------------------------------- */

int ni_explanation_match(const ni_explanation *ex)
{
    return ex ? ex->match : NI_EXPLAIN_NO_MATCH;
}

double ni_explanation_score(const ni_explanation *ex)
{
    return ex ? ex->score : 0;
}

double ni_explanation_proximity(const ni_explanation *ex)
{
    return ex ? ex->proximity : 0;
}

double ni_explanation_freshness(const ni_explanation *ex)
{
    return ex ? ex->freshness : 1;
}

size_t ni_explanation_rank(const ni_explanation *ex)
{
    return ex ? ex->rank : 0;
}

const char *ni_explanation_mode(const ni_explanation *ex)
{
    return ex ? ex->mode : "";
}

void ni_explanation_doc(ni_explain_doc *out, const ni_explanation *ex)
{
    if (!out)
        return;
    if (ex)
        *out = ex->doc;
    else
        memset(out, 0, sizeof *out);
}

size_t ni_explanation_term_count(const ni_explanation *ex)
{
    return ex ? ex->nterms : 0;
}

int ni_explanation_term(ni_explain_term *out, const ni_explanation *ex, size_t i)
{
    if (!out || !ex || i >= ex->nterms)
        return ni_error(NI_EINVAL, "ni_explanation_term: no term line %zu", i);
    *out = ex->terms[i];
    return 0;
}

size_t ni_explanation_reason_count(const ni_explanation *ex)
{
    return ex ? ex->nreasons : 0;
}

int ni_explanation_reason(ni_explain_reason *out, const ni_explanation *ex, size_t i)
{
    if (!out || !ex || i >= ex->nreasons)
        return ni_error(NI_EINVAL, "ni_explanation_reason: no reason %zu", i);
    *out = ex->reasons[i];
    return 0;
}

void ni_explanation_free(ni_explanation *ex)
{
    if (!ex)
        return;
    ni_mem_free(ex->query);
    ni_mem_free(ex->terms);
    ni_mem_free(ex->reasons);
    ni_buf_free(&ex->strings);
    ni_mem_free(ex);
}
