/*
 * build.c - from the parsed query tree to a tree of document-at-a-time
 * matchers (match.h), on one snapshot: search.c runs what is built here.
 *
 * The words and phrases of the tree are analysed with the index-time
 * analyzer (a quoted phrase is one word here) and looked up; how plain
 * words combine:
 *  - default AND: every content word is required; function words (see
 *    ni_is_function_word) are optional and only add to the score, unless
 *    the query has nothing else;
 *  - a long list of plain words (NI_LONG_QUERY_WORDS or more, e.g. a pasted
 *    headline) requires only NI_LONG_QUERY_SHARE of them, ranked by BM25F,
 *    unless NI_SEARCH_ALL_WORDS asks for all;
 *  - default OR: any content word;
 *  - rubric: and date: beside words are filters: they do not change how
 *    the words match.
 * The content words of the query's top level also score their proximity
 * (prox.h): the tree is wrapped with it.  NOT excludes, dates filter on
 * docinfo, rubric: matches the rubric term.  A prefix expands to at most
 * MAX_PREFIX_TERMS terms, the whole query to ni_search_options.max_terms.
 * With the rescue on, a word that matches nothing is searched as the words
 * the query rescue offers (rescue.h).  The words of each text node and
 * their terms are kept with the hits (the word cache), so building the
 * tree again, for the partial pass or a deeper round, analyses nothing
 * twice.  Builds only: evaluating, the partial pass and the rescue's
 * order of work are search.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "build.h"
#include "error.h"
#include "hits.h"
#include "index.h"
#include "match.h"
#include "mem.h"
#include "prox.h"
#include "query.h"
#include "qword.h"
#include "rescue.h"
#include "store.h"
#include "term.h"

#define MAX_PREFIX_TERMS 128

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
 * whether words were rescued; dropped when the tree is (ni_build_cache_drop).
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

void ni_build_cache_drop(ni_hits *h)
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

void ni_build_init(builder *b, ni_hits *h, ni_match_ctx *c, const ni_search_options *o)
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
int ni_build_tree(builder *b, const ni_qnode *tree, ni_matcher **root)
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
int ni_build_wants_partial(const builder *b, const ni_qnode *tree, const ni_search_options *o)
{
    return b->and_mode && !b->all_words && b->words >= 2 && tree->type == NI_Q_AND &&
           !(o->flags & NI_SEARCH_NO_PARTIAL);
}

