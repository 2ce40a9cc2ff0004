/*
 * search.c - running a query against a snapshot of the index into a
 * cursor of hits (hits.c hands them out).
 *
 * The query string is parsed (query.c) into a tree; its words and phrases
 * are analysed with the index-time analyzer and the tree becomes a tree of
 * document-at-a-time matchers (match.c).  How plain words (a quoted phrase
 * among them is one word here) combine:
 *  - default AND: every content word is required; function words (see
 *    ni_is_function_word) are optional and only add to the score, unless
 *    the query has nothing else;
 *  - a long list of plain words (NI_LONG_QUERY_WORDS or more, e.g. a pasted
 *    headline) requires only NI_LONG_QUERY_SHARE of them, ranked by BM25F,
 *    unless NI_SEARCH_ALL_WORDS asks for all;
 *  - default OR: any content word.
 * When plain words in the default AND match fewer documents than offset +
 * limit, the hits go on with partial matches: the query evaluated again
 * with any content word, the full matches left out (not with
 * NI_SEARCH_ALL_WORDS or NI_SEARCH_NO_PARTIAL).
 * The content words of the query's top level also score their proximity
 * (prox.h): the tree is wrapped with it.
 * NOT excludes, dates filter on docinfo, rubric: matches the rubric term.
 * Deleted documents (marked in docinfo) are skipped.  The best offset +
 * limit documents are kept (topk.c) in a heap ordered by score, then newer
 * date, then indexing order (internal id): one total order, so pages of a
 * result never repeat or skip a hit.  The same builder gives explain.c the
 * matchers of a query (ni_search_build), showing it each one as it is
 * made.
 * Unless NI_SEARCH_NO_COLLAPSE, near copies are folded into the hit that
 * represents them (collapse.h): candidates are fetched until they hold
 * offset + limit stories.
 * The query rescue (rescue.h) costs a query nothing unless a plain word of
 * it matches nothing: the tree is built without it first, and only then
 * built again, switched to the other keyboard layout when it was typed in
 * it, with its words rescued.  A query with an unbalanced quote or bracket
 * is parsed as words (query.h); after a search that found nothing, why
 * (nohits.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "collapse.h"
#include "error.h"
#include "hits.h"
#include "index.h"
#include "layout.h"
#include "match.h"
#include "mem.h"
#include "nohits.h"
#include "prox.h"
#include "query.h"
#include "qword.h"
#include "rescue.h"
#include "search.h"
#include "term.h"
#include "topk.h"


/* ---- from the query tree to matchers ----------------------------------- */

#define MAX_PREFIX_TERMS 128

typedef struct builder {
    ni_match_ctx *c;
    ni_analyzer *an;
    int and_mode;
    int all_words;             /* NI_SEARCH_ALL_WORDS: no share for long queries */
    int rescue;                /* not NI_SEARCH_EXACT: words matching nothing rescued */
    size_t unknown;            /* plain words that matched nothing, built so far */
    size_t nterms, max_terms;  /* terms the tree is searched by, and its budget */
    ni_hits *h;
    int boolean;               /* operators were used */
    size_t words;              /* content words of the last plain AND built */
    ni_search_note_fn note;    /* see ni_search_build; NULL for searches */
    void *note_arg;
    /* proximity (prox.h): the content words of the query's top AND */
    const ni_qnode *root;
    double prox;               /* its weight; 0: none */
    ni_matcher *slot[NI_PROX_WORDS];
    uint32_t slot_qpos[NI_PROX_WORDS];
    size_t nslots;
    uint32_t qpos;             /* query position of the next word */
    uint32_t text_end;         /* positions the last text built took */
} builder;

static int build(builder *b, const ni_qnode *q, ni_matcher **out);

/* b->note on the matcher *m just made for q, if b has one; frees *m when
 * that fails. */
static int noted(builder *b, const ni_qnode *q, ni_matcher **m)
{
    int rc;
    if (!b->note || !*m || (rc = b->note(b->note_arg, q, *m)) == 0)
        return 0;
    ni_matcher_free(*m);
    *m = NULL;
    return rc;
}

/* Remembers a term to highlight in snippets. */
static int keep_term(ni_hits *h, const char *term, size_t len)
{
    int rc;
    if (len > 0xffff || h->building_negated)
        return 0;
    if ((rc = ni_buf_putc(&h->terms, (unsigned char)(len >> 8))) < 0 ||
        (rc = ni_buf_putc(&h->terms, (unsigned char)len)) < 0)
        return rc;
    return ni_buf_put(&h->terms, term, len);
}

static int none_or(int rc, ni_matcher **out)
{
    if (rc == NI_ENOTFOUND)
        return ni_match_none(out);
    return rc;
}

/* The byte offset in the query as parsed of byte off of q's text, or
 * SIZE_MAX when the builder does not know that query (ni_search_build). */
static size_t query_at(const ni_hits *h, const ni_qnode *q, size_t off)
{
    if (!h->qbase)
        return SIZE_MAX;
    return (size_t)(q->text - h->qbase) + off;
}

/* Counts n more terms against the query's budget (max_terms): NI_ELIMIT
 * when it is spent. */
static int spend_terms(builder *b, size_t n)
{
    b->nterms += n;
    if (b->nterms <= b->max_terms)
        return 0;
    return ni_error(NI_ELIMIT, "query too broad: more than %zu terms; at most %zu "
                    "(ni_search_options.max_terms)", b->max_terms, b->max_terms);
}

/*
 * The words of a text node and the terms each is searched by, kept for the
 * life of the cursor: the partial pass builds the tree again (add_partial),
 * and would analyse and look up every word again.  Keyed by node and by
 * whether words were rescued; dropped when the tree is (ni_search_cache_drop).
 */
struct ni_wcache {
    const ni_qnode *q;
    int rescue;                 /* built with words rescued */
    int function_word;          /* one word, a function word (or rescued as one) */
    uint32_t end_position;      /* the positions the text takes */
    ni_qwords ws;
    ni_alts *alts;              /* ws.n of them */
    char **mem;                 /* rescued words' term strings (ni_rescue_word) */
};

static void wcache_free(ni_wcache *e)
{
    size_t i;
    if (!e)
        return;
    for (i = 0; e->mem && i < e->ws.n; i++)
        ni_mem_free(e->mem[i]);
    ni_mem_free(e->mem);
    ni_mem_free(e->alts);
    ni_qwords_free(&e->ws);
    ni_mem_free(e);
}

void ni_search_cache_drop(ni_hits *h)
{
    size_t i;
    for (i = 0; i < h->nwcache; i++)
        wcache_free(h->wcache[i]);
    ni_mem_free(h->wcache);
    h->wcache = NULL;
    h->nwcache = h->capwcache = 0;
}

/* Analyses q's text and chooses each word's terms (rescuing the words that
 * match nothing when rescue is set) into a new entry *out. */
static int wcache_make(builder *b, const ni_qnode *q, int rescue, ni_wcache **out)
{
    ni_wcache *e = ni_mem_calloc(1, sizeof *e);
    size_t i;
    int rc;

    *out = NULL;
    if (!e)
        return ni_error(NI_ENOMEM, "out of memory");
    e->q = q;
    e->rescue = rescue;
    if ((rc = ni_qwords_read(&e->ws, b->an, q->text, q->len, q->type == NI_Q_PHRASE)) < 0)
        goto cleanup;
    e->function_word = e->ws.n == 1 && e->ws.all_function;
    e->end_position = ni_analyzer_end_position(b->an);   /* before a rescue analyses */
    if (e->ws.n && (!(e->alts = ni_mem_calloc(e->ws.n, sizeof *e->alts)) ||
                    !(e->mem = ni_mem_calloc(e->ws.n, sizeof *e->mem)))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < e->ws.n; i++) {
        const ni_qword *w = &e->ws.w[i];
        if ((rc = ni_qword_alts(b->c, &e->ws, i, &e->alts[i])) < 0 ||
            (rescue && (rc = ni_rescue_word(&b->h->rescue, b->c, b->an, &e->ws, i,
                                            q->text + w->start, w->end - w->start,
                                            query_at(b->h, q, w->start), &e->alts[i],
                                            &e->mem[i])) < 0))
            goto cleanup;
        if (rc == 2 && e->ws.n == 1)
            e->function_word = 1;     /* rescued as a function word */
    }
    rc = 0;
cleanup:
    if (rc < 0) {
        wcache_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

/* q's entry, found or made and kept. */
static int wcache_get(builder *b, const ni_qnode *q, int rescue, ni_wcache **out)
{
    ni_hits *h = b->h;
    size_t i;
    int rc;

    for (i = 0; i < h->nwcache; i++)
        if (h->wcache[i]->q == q && h->wcache[i]->rescue == rescue) {
            *out = h->wcache[i];
            return 0;
        }
    if ((rc = NI_GROW(h->wcache, h->capwcache, h->nwcache + 1)) < 0 ||
        (rc = wcache_make(b, q, rescue, out)) < 0)
        return rc;
    h->wcache[h->nwcache++] = *out;
    return 0;
}

/* A word or phrase: its words as one word (ni_match_word) or a phrase of
 * them, each by the terms ni_qword_alts chooses (and the rescue adds). */
static int build_text(builder *b, const ni_qnode *q, int *function_word,
                      ni_matcher **out)
{
    uint32_t qpos[NI_MAX_QWORDS];
    ni_wcache *e;
    int rescue = b->rescue && q->type == NI_Q_WORD && q->field == NI_QFIELD_ANY &&
                 !b->h->building_negated;
    size_t i, j;
    int rc;

    *out = NULL;
    b->text_end = 0;
    if ((rc = wcache_get(b, q, rescue, &e)) < 0)
        return rc;
    b->text_end = e->end_position;
    if (function_word)
        *function_word = e->function_word;
    for (i = 0; i < e->ws.n; i++) {
        if ((rc = spend_terms(b, e->alts[i].n)) < 0)
            return rc;
        b->unknown += e->alts[i].df < 1 && q->type == NI_Q_WORD && !b->h->building_negated &&
                      !(e->ws.w[i].flags & NI_TOKEN_FUNCTION);
        for (j = 0; j < e->alts[i].n; j++)
            if ((rc = keep_term(b->h, e->alts[i].term[j], e->alts[i].len[j])) < 0)
                return rc;
        qpos[i] = e->ws.w[i].qpos;
    }
    if (e->ws.n == 1)
        rc = none_or(ni_match_word(out, b->c, &e->alts[0], q->field), out);
    else if (e->ws.n > 1)
        rc = none_or(ni_match_phrase(out, b->c, e->alts, qpos, e->ws.n, q->slop, q->field),
                     out);
    return rc < 0 ? rc : 0;
}

/* Adds a matcher to kids[] for each term starting with prefix[0..plen)
 * (up to MAX_PREFIX_TERMS in all; *more counts those beyond). */
static int scan_prefix(builder *b, ni_cursor *cur, const char *prefix, size_t plen,
                       unsigned field, ni_matcher **kids, size_t *n, size_t *more)
{
    ni_val k;
    int rc;

    for (rc = ni_cursor_seek(cur, prefix, plen); rc == 0; rc = ni_cursor_next(cur)) {
        ni_matcher *m;
        if ((rc = ni_cursor_get(cur, &k, NULL)) < 0)
            break;
        if (k.len < plen || memcmp(k.data, prefix, plen) != 0)
            break;
        if (*n == MAX_PREFIX_TERMS) {
            if (++*more >= 10000)
                break;
            continue;
        }
        rc = ni_match_term(&m, b->c, (const char *)k.data, k.len, field, 1);
        if (rc == NI_ENOTFOUND)
            continue;
        if (rc == 0 && (rc = spend_terms(b, 1)) < 0) {
            ni_matcher_free(m);
            break;
        }
        if (rc < 0 || (rc = keep_term(b->h, (const char *)k.data, k.len)) < 0) {
            ni_matcher_free(m);
            break;
        }
        kids[(*n)++] = m;
    }
    return rc == NI_DONE ? 0 : rc;
}

/* A prefix: the terms starting with the first word's term, and the name
 * keys starting with it (names written with a capital are indexed under
 * those). */
static int build_prefix(builder *b, const ni_qnode *q, ni_matcher **out)
{
    static const char name_prefixes[] = { 0, NI_NAME_MID, NI_NAME_START };
    ni_matcher *kids[MAX_PREFIX_TERMS];
    ni_cursor *cur = NULL;
    char prefix[NI_MAX_WORD_BYTES * 2 + 2];
    size_t plen = 0, n = 0, more = 0, i;
    ni_token tok;
    int rc;

    *out = NULL;
    if ((rc = ni_analyzer_start(b->an, q->text, q->len, 0)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(b->an, &tok)) == 0)
        if (!(tok.flags & (NI_TOKEN_PART | NI_TOKEN_NAME)) && tok.term_len &&
            tok.term_len < sizeof prefix - 1) {
            memcpy(prefix + 1, tok.term, tok.term_len);
            plen = tok.term_len;
            break;
        }
    if (rc < 0)
        return rc;
    if (plen == 0)
        return 0;
    if ((rc = ni_cursor_open(&cur, b->c->txn, NI_T_TERMS)) < 0)
        return rc;
    for (i = 0; i < sizeof name_prefixes && rc == 0; i++) {
        prefix[0] = name_prefixes[i];
        rc = i ? scan_prefix(b, cur, prefix, plen + 1, q->field, kids, &n, &more)
               : scan_prefix(b, cur, prefix + 1, plen, q->field, kids, &n, &more);
    }
    ni_cursor_close(cur);
    if (rc < 0) {
        while (n)
            ni_matcher_free(kids[--n]);
        return rc;
    }
    if (more)
        snprintf(b->h->notice, sizeof b->h->notice,
                 "prefix '%.*s*' matches %s%zu terms; searched the first %d",
                 (int)(q->len > 60 ? 60 : q->len), q->text, more >= 10000 ? "over " : "",
                 n + more, MAX_PREFIX_TERMS);
    if (n == 0)
        return ni_match_none(out);
    if (n == 1) {
        *out = kids[0];
        return 0;
    }
    return ni_match_or(out, kids, n, 1);
}

static int build_rubric(builder *b, const ni_qnode *q, ni_matcher **out)
{
    ni_buf term = NI_BUF_INIT;
    int rc = ni_rubric_term(b->an, &term, q->text, q->len);
    *out = NULL;
    if (rc > 0)
        rc = none_or(ni_match_term(out, b->c, (const char *)term.data, term.len,
                                   NI_QFIELD_ANY, 0), out);
    else if (rc == 0)
        rc = ni_match_none(out);
    ni_buf_free(&term);
    return rc;
}

/* A list of matchers being collected; frees them all on failure. */
typedef struct mlist {
    ni_matcher **m;
    size_t n, cap;
} mlist;

static int mlist_add(mlist *l, ni_matcher *m)
{
    if (!m)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        ni_matcher **p = ni_mem_realloc(l->m, cap * sizeof *p);
        if (!p) {
            ni_matcher_free(m);
            return ni_error(NI_ENOMEM, "out of memory");
        }
        l->m = p;
        l->cap = cap;
    }
    l->m[l->n++] = m;
    return 0;
}

static void mlist_free(mlist *l)
{
    while (l->n)
        ni_matcher_free(l->m[--l->n]);
    ni_mem_free(l->m);
}

/* 1 when kid i of q is a prefix an earlier kid of q is too (a* a*: one
 * part, expanded once). */
static int repeated_prefix(const ni_qnode *q, size_t i)
{
    const ni_qnode *k = q->kids[i];
    size_t j;
    if (k->type != NI_Q_PREFIX)
        return 0;
    for (j = 0; j < i; j++) {
        const ni_qnode *e = q->kids[j];
        if (e->type == NI_Q_PREFIX && e->field == k->field && e->len == k->len &&
            memcmp(e->text, k->text, k->len) == 0)
            return 1;
    }
    return 0;
}


/* 1 when q only filters documents by a field: a rubric, a date, or a
 * group of them (rubric:(a OR b), date:(X OR Y)). */
static int is_filter(const ni_qnode *q)
{
    size_t i;
    if (q->type == NI_Q_RUBRIC || q->type == NI_Q_DATE)
        return 1;
    if (q->type != NI_Q_OR || q->nkids == 0)
        return 0;
    for (i = 0; i < q->nkids; i++)
        if (q->kids[i]->type != NI_Q_RUBRIC && q->kids[i]->type != NI_Q_DATE)
            return 0;
    return 1;
}

/* An AND node, explicit or made by juxtaposition (then the default
 * operator decides): NOT kids exclude, function words are optional, and a
 * long list of plain words needs only a share of them.  Rubric and date
 * kids filter: the words are matched as they would be without them (the
 * default operator, the share of a long list, partial matches), and the
 * filters narrow what they match.  The content words of the query's root,
 * in query order, are its slots for proximity: their shares are set before
 * they are combined. */
static int build_and(builder *b, const ni_qnode *q, ni_matcher **out)
{
    mlist req = { 0 }, opt = { 0 }, excl = { 0 }, flt = { 0 };
    ni_matcher *m = NULL;
    size_t i, words = 0, plain = 1, dated = 0;
    int rc = 0, fw;
    int any = q->implicit && !b->and_mode;

    *out = NULL;
    for (i = 0; i < q->nkids && rc == 0; i++) {
        const ni_qnode *k = q->kids[i];
        if (k->type == NI_Q_NOT) {
            b->boolean = 1;
            plain = 0;
            b->h->building_negated++;
            rc = build(b, k->kids[0], &m);
            b->h->building_negated--;
            if (rc == 0)
                rc = mlist_add(&excl, m);
        } else if (k->type == NI_Q_DATE) {
            dated = 1;              /* applied last, below */
        } else if (is_filter(k)) {
            int was = b->boolean;   /* a filter leaves the words' mode as it is */
            rc = build(b, k, &m);
            b->boolean = was;
            if (rc == 0)
                rc = mlist_add(&flt, m);
        } else if ((k->type == NI_Q_WORD || k->type == NI_Q_PHRASE) &&
                   k->field == NI_QFIELD_ANY) {
            /* a quoted phrase counts as one word: a pasted headline with
             * «quotes» is a list of words too */
            uint32_t at = b->qpos;
            rc = build_text(b, k, &fw, &m);
            b->qpos += b->text_end;
            if (rc < 0 || !m || (rc = noted(b, k, &m)) < 0)
                continue;
            if (q == b->root && !fw && b->nslots < NI_PROX_WORDS && ni_match_idf(m) > 0) {
                b->slot_qpos[b->nslots] = at;
                b->slot[b->nslots++] = m;
            }
            if (fw)
                rc = mlist_add(&opt, m);
            else {
                words++;
                rc = mlist_add(&req, m);
            }
        } else {
            plain = 0;
            if (!repeated_prefix(q, i) && (rc = build(b, k, &m)) == 0)
                rc = mlist_add(&req, m);
        }
    }
    if (rc < 0)
        goto fail;
    if (q == b->root && b->prox > 0)
        ni_prox_share(b->slot, b->slot_qpos, b->nslots, b->prox);
    if (q->implicit && plain)
        b->words = words;
    if (any && req.n) {
        rc = ni_match_or(&m, req.m, req.n, 1);
        req.n = 0;
        if (rc < 0 || (rc = mlist_add(&req, m)) < 0)
            goto fail;
    } else if (q->implicit && plain && !b->all_words && words >= NI_LONG_QUERY_WORDS &&
               words == req.n) {
        size_t need = (size_t)((double)words * NI_LONG_QUERY_SHARE + 0.999);
        snprintf(b->h->mode, sizeof b->h->mode, "at least %zu of %zu words", need, words);
        rc = ni_match_or(&m, req.m, req.n, need);
        req.n = 0;
        if (rc < 0 || (rc = mlist_add(&req, m)) < 0)
            goto fail;
    }
    if (req.n == 0 && opt.n) {
        /* only function words: they are what was asked for */
        rc = b->and_mode && !any ? ni_match_and(&m, opt.m, opt.n, NULL, 0, NULL, 0)
                                 : ni_match_or(&m, opt.m, opt.n, 1);
        opt.n = 0;
        if (rc < 0 || (rc = mlist_add(&req, m)) < 0)
            goto fail;
    }
    while (flt.n) {
        m = flt.m[--flt.n];
        if ((rc = mlist_add(&req, m)) < 0) {
            ni_matcher_free(m);
            goto fail;
        }
    }
    if (req.n == 0) {
        if (!excl.n && dated) {
            /* dates only */
        } else if (!excl.n) {
            mlist_free(&excl);
            ni_mem_free(req.m);
            ni_mem_free(opt.m);
            return ni_match_none(out);
        }
        if ((rc = ni_match_all(&m, b->c)) < 0 || (rc = mlist_add(&req, m)) < 0)
            goto fail;
    }
    if (req.n == 1 && !opt.n && !excl.n) {
        m = req.m[0];
        req.n = 0;
    } else {
        rc = ni_match_and(&m, req.m, req.n, opt.m, opt.n, excl.m, excl.n);
        req.n = opt.n = excl.n = 0;
        if (rc < 0)
            goto fail;
    }
    for (i = 0; i < q->nkids; i++)
        if (q->kids[i]->type == NI_Q_DATE &&
            (rc = ni_match_date(&m, b->c, m, q->kids[i]->lo, q->kids[i]->hi)) < 0)
            goto fail;
    *out = m;
    rc = 0;
fail:
    mlist_free(&req);
    mlist_free(&opt);
    mlist_free(&excl);
    mlist_free(&flt);
    return rc;
}

static int build_node(builder *b, const ni_qnode *q, ni_matcher **out)
{
    mlist kids = { 0 };
    ni_matcher *m = NULL;
    size_t i;
    int rc = 0;

    *out = NULL;
    switch (q->type) {
    case NI_Q_WORD:
    case NI_Q_PHRASE:
        if (q->type == NI_Q_PHRASE || q->field != NI_QFIELD_ANY)
            b->boolean = 1;
        return build_text(b, q, NULL, out);
    case NI_Q_PREFIX:
        b->boolean = 1;
        return build_prefix(b, q, out);
    case NI_Q_RUBRIC:
        b->boolean = 1;
        return build_rubric(b, q, out);
    case NI_Q_DATE:
    case NI_Q_NOT:
        b->boolean = 1;
        return build_and(b, &(ni_qnode){ .type = NI_Q_AND, .kids = (ni_qnode **)&q, .nkids = 1 }, out);
    case NI_Q_AND:
        if (!q->implicit)
            b->boolean = 1;
        return build_and(b, q, out);
    case NI_Q_OR:
        b->boolean = 1;
        for (i = 0; i < q->nkids && rc == 0; i++)
            if (!repeated_prefix(q, i) && (rc = build(b, q->kids[i], &m)) == 0)
                rc = mlist_add(&kids, m);
        if (rc == 0 && kids.n == 0)
            rc = ni_match_none(out);
        else if (rc == 0 && kids.n == 1) {
            *out = kids.m[0];
            kids.n = 0;
        } else if (rc == 0) {
            rc = ni_match_or(out, kids.m, kids.n, 1);
            kids.n = 0;
        }
        mlist_free(&kids);
        return rc;
    }
    return ni_error(NI_EINVAL, "unknown query node");
}

/* Builds q and notes what it made. */
static int build(builder *b, const ni_qnode *q, ni_matcher **out)
{
    int rc = build_node(b, q, out);
    return rc < 0 ? rc : noted(b, q, out);
}

static void builder_init(builder *b, ni_hits *h, ni_match_ctx *c, const ni_search_options *o)
{
    memset(b, 0, sizeof *b);
    b->c = c;
    b->and_mode = !o->default_or;
    b->all_words = (o->flags & NI_SEARCH_ALL_WORDS) != 0;
    b->rescue = !(o->flags & NI_SEARCH_EXACT);
    b->max_terms = o->max_terms ? o->max_terms : NI_SEARCH_MAX_TERMS;
    b->prox = o->proximity;
    b->h = h;
    snprintf(h->mode, sizeof h->mode, "%s", b->and_mode ? "all words" : "any word");
}

/* Builds tree with an analyzer of the index, the root wrapped with the
 * proximity of its words (see build_and); "boolean" becomes the mode when
 * operators were used. */
static int build_tree(builder *b, const ni_qnode *tree, ni_matcher **root)
{
    int rc;
    *root = NULL;
    b->root = tree;
    b->nslots = 0;
    b->qpos = 0;
    b->nterms = 0;
    if ((rc = ni_index_borrow_analyzer(b->h->idx, &b->an)) < 0)
        return rc;
    ni_analyzer_set_query(b->an, 1);       /* name keys for every word */
    rc = build(b, tree, root);
    ni_analyzer_set_query(b->an, 0);
    ni_index_return_analyzer(b->h->idx, b->an);
    if (rc == 0 && *root && b->prox > 0 && b->nslots >= 2)
        rc = ni_match_prox(root, *root, b->slot, b->slot_qpos, b->nslots, b->prox);
    if (rc == 0 && b->boolean)
        snprintf(b->h->mode, sizeof b->h->mode, "boolean");
    return rc;
}

/* 1 when the full matches of the tree b built are followed by partial
 * ones if they are fewer than asked for. */
static int wants_partial(const builder *b, const ni_qnode *tree, const ni_search_options *o)
{
    return b->and_mode && !b->all_words && b->words >= 2 && tree->type == NI_Q_AND &&
           !(o->flags & NI_SEARCH_NO_PARTIAL);
}

/* ---- evaluation -------------------------------------------------------- */

/* Evaluates root into t (t->k > 0), pruned when o allows it; counts what
 * pruning saved in h. */
static int run_topk(ni_hits *h, ni_topk *t, ni_matcher *root, ni_match_ctx *c,
                    const ni_search_options *o)
{
    int rc = ni_topk_run(t, root, c, o->sort == NI_SORT_DATE,
                         (o->flags & NI_SEARCH_APPROX_TOTAL) != 0);
    h->headers_only += t->headers_only;
    h->windows += t->windows;
    return rc;
}

static int cmp_doc(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * The partial matches after the h->nres full ones (fewer than k, so all
 * of them): tree built again with any content word, evaluated with the
 * full matches left out before they are scored, its best k - nres
 * appended to h->res.  They are the partial matches that the best k of
 * the tree would hold after the full ones, in the same order (one total
 * order), and with the same scores.
 */
static int add_partial(ni_hits *h, builder *b, const ni_qnode *tree,
                       const ni_search_options *o, size_t k)
{
    ni_topk t = { 0 };
    ni_matcher *root = NULL;
    uint32_t *full = NULL;
    size_t i, nterms = h->terms.len;
    int rc;

    b->and_mode = 0;
    /* with two words, a document holding both is a full match: no partial
     * one has a proximity bonus, and the words need no shares of it */
    if (b->words == 2 && b->nslots == 2)
        b->prox = 0;
    rc = build_tree(b, tree, &root);
    h->terms.len = nterms;      /* the same words: highlighted once */
    if (rc < 0)
        goto cleanup;
    t.k = k - h->nres;
    t.res = h->res + h->nres;
    full = ni_mem_alloc((h->nres ? h->nres : 1) * sizeof *full);
    if (!full) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    for (i = 0; i < h->nres; i++)
        full[i] = h->res[i].doc;
    qsort(full, h->nres, sizeof *full, cmp_doc);
    t.skip = full;
    t.nskip = h->nres;
    if ((rc = run_topk(h, &t, root, b->c, o)) < 0)
        goto cleanup;
    h->has_partial = 1;
    h->nstrict = h->nres;
    h->nres += t.n;
    h->partial_total = t.total;
    if (t.approx)
        h->total_approx = 1;
cleanup:
    ni_matcher_free(root);
    ni_mem_free(full);
    return rc;
}

int ni_search_ctx_init(ni_match_ctx *c, ni_txn *txn, const ni_search_options *o)
{
    ni_meta m;
    int rc;

    memset(c, 0, sizeof *c);
    if ((rc = ni_meta_read(txn, &m)) < 0)
        return rc;
    c->txn = txn;
    c->bm25.k1 = o->k1;
    c->bm25.b = o->b;
    c->bm25.title_weight = o->title_weight;
    c->bm25.lead_weight = NI_LEAD_WEIGHT;
    c->bm25.docs = (double)m.docs;
    c->bm25.avg_title = m.docs ? (double)m.sum_title / (double)m.docs : 0;
    c->bm25.avg_body = m.docs ? (double)m.sum_body / (double)m.docs : 0;
    c->next_doc = (uint32_t)m.next_doc;
    return ni_fresh_init(&c->fresh, txn, o);
}

/* Whether the query was typed in Latin letters (ni_rescue_scan), for a
 * build that did not go through rescue_prepare. */
static int scan_latin(ni_hits *h, ni_match_ctx *c, const ni_qnode *tree)
{
    ni_analyzer *an;
    int rc = ni_index_borrow_analyzer(h->idx, &an);
    if (rc < 0)
        return rc;
    ni_analyzer_set_query(an, 1);
    rc = ni_rescue_scan(&h->rescue, c, an, tree);
    ni_analyzer_set_query(an, 0);
    ni_index_return_analyzer(h->idx, an);
    return rc;
}

int ni_search_build(ni_matcher **out, ni_search_built *info, ni_index *idx,
                    ni_match_ctx *c, const ni_qnode *tree, const ni_search_options *o,
                    int partial, ni_search_note_fn note, void *arg)
{
    ni_hits *h = ni_mem_calloc(1, sizeof *h);
    builder b;
    int rc;

    *out = NULL;
    if (!h)
        return ni_error(NI_ENOMEM, "out of memory");
    h->idx = idx;
    builder_init(&b, h, c, o);
    b.note = note;
    b.note_arg = arg;
    if (partial)
        b.and_mode = 0;
    rc = b.rescue && tree ? scan_latin(h, c, tree) : 0;
    if (rc == 0)
        rc = build_tree(&b, tree, out);
    if (info) {
        snprintf(info->mode, sizeof info->mode, "%s", h->mode);
        info->partial = !partial && wants_partial(&b, tree, o);
    }
    ni_buf_free(&h->terms);
    ni_rescue_free(&h->rescue);
    ni_search_cache_drop(h);
    ni_mem_free(h);
    return rc;
}

/* The rescue of words typed in the wrong keyboard layout (rescue.h), on
 * the query string: when it switches some, *tree becomes the switched
 * query's (whose texts point into h->rescue.searched); then whether the
 * query was typed in Latin letters (ni_rescue_scan). */
static int rescue_prepare(ni_hits *h, const ni_search_options *o, const char *s, size_t len,
                         ni_qnode **tree)
{
    ni_match_ctx c;
    ni_analyzer *an;
    ni_qnode *t2 = NULL;
    int rc;

    if ((rc = ni_search_ctx_init(&c, h->txn, o)) < 0)
        return rc;
    if ((rc = ni_index_borrow_analyzer(h->idx, &an)) < 0)
        goto cleanup;
    ni_analyzer_set_query(an, 1);
    rc = ni_rescue_layout(&h->rescue, &c, an, s, len);
    if (rc > 0) {
        rc = ni_query_parse(&t2, (const char *)h->rescue.layout.data, h->rescue.layout.len);
        if (rc == NI_ESYNTAX) {    /* the switch made syntax: search as typed */
            ni_rescue_free(&h->rescue);
            rc = 0;
        } else if (rc == 0) {
            ni_query_free(*tree);
            *tree = t2;
            h->qbase = (const char *)h->rescue.layout.data;
            h->qlen = h->rescue.layout.len;
        }
    }
    if (rc == 0)
        rc = ni_rescue_scan(&h->rescue, &c, an, *tree);
    ni_analyzer_set_query(an, 0);
    ni_index_return_analyzer(h->idx, an);
cleanup:
    ni_match_ctx_release(&c);
    return rc;
}

/*
 * Builds *treep into *root.  The query rescue costs a query whose words
 * all match nothing: the tree is built with it off first, and only when a
 * plain word matched nothing are the matchers dropped, the query switched
 * to the other keyboard layout if it was typed in it (*treep replaced),
 * and built again with words rescued.
 */
static int build_rescued(ni_hits *h, builder *b, ni_match_ctx *c, ni_qnode **treep,
                         const ni_search_options *o, const char *s, size_t len,
                         ni_matcher **root)
{
    int rc;
    b->rescue = 0;
    h->built_rescue = 0;
    if ((rc = build_tree(b, *treep, root)) < 0 || (o->flags & NI_SEARCH_EXACT) ||
        b->unknown == 0)
        return rc;
    ni_matcher_free(*root);
    *root = NULL;
    h->terms.len = 0;
    ni_search_cache_drop(h);      /* the tree may be replaced */
    if ((rc = rescue_prepare(h, o, s, len, treep)) < 0)
        return rc;
    builder_init(b, h, c, o);
    h->built_rescue = b->rescue;
    return build_tree(b, *treep, root);
}

/* The best k documents of *root (freed) into h->res, partial matches
 * after them when wanted and partial is set. */
static int fetch(ni_hits *h, builder *b, const ni_qnode *tree, ni_matcher **root,
                 const ni_search_options *o, size_t k, int partial)
{
    ni_topk t = { 0 };
    int rc;

    if (!(h->res = ni_mem_alloc(k * sizeof *h->res)))
        return ni_error(NI_ENOMEM, "out of memory");
    t.res = h->res;
    t.k = k;
    rc = run_topk(h, &t, *root, b->c, o);
    h->nres = t.n;
    h->total = t.total;
    h->total_approx = t.approx;
    ni_matcher_free(*root);
    *root = NULL;
    if (rc == 0 && partial && h->nres < k && wants_partial(b, tree, o))
        rc = add_partial(h, b, tree, o, k);
    return rc;
}

/* fetch with near copies folded (collapse.h): the first want stories.
 * Candidates are fetched in growing rounds (ni_collapse_fetch) until they
 * hold want stories or the matches end; each round builds the tree again
 * and searches deeper, its first documents the same as the last round's
 * (one total order).  Partial matches are fetched only once the full
 * matches ran out with fewer than want stories: as without collapsing,
 * but counting stories. */
static int fetch_stories(ni_hits *h, builder *b, const ni_qnode *tree, ni_matcher **root,
                         const ni_search_options *o, size_t want)
{
    size_t k = ni_collapse_fetch(want, 0), next;
    int rescue = b->rescue, partial = 0, full_ended, rc;

    for (;;) {
        if ((rc = fetch(h, b, tree, root, o, k, partial)) < 0)
            return rc;
        next = h->nres == k ? ni_collapse_fetch(want, k) : 0;
        full_ended = !partial && h->nres < k && wants_partial(b, tree, o);
        if (!h->has_partial)
            h->nstrict = h->nres;
        if ((rc = ni_collapse_fold(&h->collapse, &h->dup_rd, h->res, &h->nres, &h->nstrict,
                                   want, next > k || full_ended)) <= 0)
            return rc;
        if (full_ended)
            partial = 1;        /* the same k again, with partial matches */
        else
            k = next;
        ni_mem_free(h->res);
        h->res = NULL;
        h->nres = h->nstrict = 0;
        h->has_partial = 0;
        h->partial_total = 0;
        h->terms.len = 0;
        builder_init(b, h, b->c, o);
        b->rescue = rescue;
        if ((rc = build_tree(b, tree, root)) < 0)
            return rc;
    }
}

static int evaluate(ni_hits *h, ni_qnode **treep, const ni_search_options *o, const char *s,
                    size_t len)
{
    ni_match_ctx c;
    builder b;
    ni_matcher *root = NULL;
    size_t k = o->offset + o->limit;
    const ni_qnode *tree;
    int rc;

    if ((rc = ni_search_ctx_init(&c, h->txn, o)) < 0)
        return rc;
    builder_init(&b, h, &c, o);
    if (!*treep)
        return 0;
    if ((rc = build_rescued(h, &b, &c, treep, o, s, len, &root)) < 0)
        goto cleanup;
    tree = *treep;
    if (!root)
        goto cleanup;
    if (!k) {
        /* nothing to return: count the matches */
        while (rc == 0 && root->doc != NI_NO_DOC) {
            ni_docinfo di;
            if ((rc = ni_match_docinfo(&c, root->doc, &di)) < 0)
                break;
            h->total += (uint64_t)rc;
            rc = root->ops->next(root);
        }
        goto cleanup;
    }
    rc = (o->flags & NI_SEARCH_NO_COLLAPSE) ? fetch(h, &b, tree, &root, o, k, 1)
                                             : fetch_stories(h, &b, tree, &root, o, k);
cleanup:
    ni_matcher_free(root);
    ni_match_ctx_release(&c);
    return rc;
}


/* Whether the rescue searched the word at text of the query as parsed as
 * other words (ni_nohits_rescued_fn). */
static int was_rescued(void *arg, const char *text)
{
    const ni_hits *h = arg;
    return h->qbase && text >= h->qbase && text <= h->qbase + h->qlen &&
           ni_rescue_at(&h->rescue, (size_t)(text - h->qbase)) == 1;
}

/* What runs after a search with a context and an analyzer in query mode. */
typedef int (*after_fn)(ni_hits *h, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *tree);

static int run_after(ni_hits *h, const ni_search_options *o, const ni_qnode *tree,
                     after_fn fn)
{
    ni_match_ctx c;
    ni_analyzer *an;
    int rc;

    if ((rc = ni_search_ctx_init(&c, h->txn, o)) < 0)
        return rc;
    if ((rc = ni_index_borrow_analyzer(h->idx, &an)) == 0) {
        ni_analyzer_set_query(an, 1);
        rc = fn(h, &c, an, tree);
        ni_analyzer_set_query(an, 0);
        ni_index_return_analyzer(h->idx, an);
    }
    ni_match_ctx_release(&c);
    return rc;
}

/* Why tree found nothing, into h->why_none (nohits.h). */
static int why_none(ni_hits *h, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *tree)
{
    int rc = ni_nohits_explain(&h->why_none, c, an, tree, was_rescued, h);
    return rc < 0 ? rc : ni_buf_putc(&h->why_none, 0);
}

/* Suggestions for the rare words of a query that found little (rescue.h). */
static int suggest(ni_hits *h, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *tree)
{
    return ni_rescue_suggest(&h->rescue, c, an, tree, h->qbase);
}


/* The query parsed into *tree; one with an unbalanced quote or bracket
 * (pasted text, mostly) is parsed as words, with a notice (query.h). */
static int parse(ni_hits *h, const char *s, size_t len, ni_qnode **tree)
{
    int rc = ni_query_parse_lenient(tree, s, len, &h->lenient);
    if (rc < 0)
        return rc;
    h->qbase = rc ? (const char *)h->lenient.data : s;
    h->qlen = len;
    if (rc)
        snprintf(h->notice, sizeof h->notice,
                 "an unbalanced quote or bracket: the query was searched as plain words");
    return 0;
}

int ni_search_run(ni_hits **out, ni_index *idx, const char *s, size_t len,
                  const ni_search_options *o)
{
    ni_qnode *tree = NULL;
    ni_hits *h;
    int rc;

    *out = NULL;
    h = ni_mem_calloc(1, sizeof *h);
    if (!h)
        return ni_error(NI_ENOMEM, "out of memory");
    /* the tree is kept (ni_search_rebuild): its texts must outlive s */
    if ((rc = ni_buf_put(&h->query, s, len)) < 0 || (rc = ni_buf_putc(&h->query, 0)) < 0) {
        ni_hits_free(h);
        return rc;
    }
    s = (const char *)h->query.data;
    h->opts = *o;
    if ((rc = parse(h, s, len, &tree)) < 0) {
        ni_hits_free(h);
        return rc;
    }
    h->idx = idx;
    h->offset = o->offset;
    h->ids_only = (o->flags & NI_SEARCH_IDS_ONLY) != 0;
    if ((rc = ni_txn_begin(&h->txn, idx->store, 0)) < 0)
        goto cleanup;
    ni_index_hold(idx);
    h->held = 1;
    ni_doc_reader_init(&h->rd, idx, h->txn);
    ni_doc_reader_init(&h->dup_rd, idx, h->txn);
    if ((rc = evaluate(h, &tree, o, s, len)) < 0)
        goto cleanup;
    if (tree && !(o->flags & NI_SEARCH_EXACT) && h->total + h->partial_total < NI_RESCUE_FEW &&
        (rc = run_after(h, o, tree, suggest)) < 0)
        goto cleanup;
    if (h->total == 0 && h->partial_total == 0 && (rc = run_after(h, o, tree, why_none)) < 0)
        goto cleanup;
    if (h->qbase && (rc = ni_rescue_compose(&h->rescue, h->qbase, h->qlen)) < 0)
        goto cleanup;
    h->next = h->offset;
    h->tree = tree;
    tree = NULL;
cleanup:
    ni_query_free(tree);
    if (rc < 0) {
        ni_hits_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

int ni_search_rebuild(ni_hits *h, ni_match_ctx *c, ni_matcher **out)
{
    char mode[sizeof h->mode], notice[sizeof h->notice];
    size_t nterms = h->terms.len;
    builder b;
    int rc;

    *out = NULL;
    if ((rc = ni_search_ctx_init(c, h->txn, &h->opts)) < 0 || !h->tree)
        return rc;
    memcpy(mode, h->mode, sizeof mode);
    memcpy(notice, h->notice, sizeof notice);
    builder_init(&b, h, c, &h->opts);
    b.rescue = h->built_rescue;
    b.prox = 0;
    rc = build_tree(&b, h->tree, out);
    memcpy(h->mode, mode, sizeof mode);
    memcpy(h->notice, notice, sizeof notice);
    h->terms.len = nterms;
    return rc;
}
