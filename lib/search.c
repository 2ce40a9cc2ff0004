/*
 * search.c - running a query against a snapshot of the index and handing
 * out the hits.
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
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "index.h"
#include "layout.h"
#include "match.h"
#include "mem.h"
#include "namekey.h"
#include "prox.h"
#include "query.h"
#include "search.h"
#include "snippet.h"
#include "term.h"
#include "topk.h"

struct ni_hits {
    ni_index *idx;
    ni_txn *txn;
    ni_doc_reader rd;          /* stored fields of txn's snapshot */
    ni_result *res;
    size_t nres, next, offset;
    uint64_t total;
    ni_buf terms;              /* terms to highlight: be16 length + bytes */
    char mode[64];             /* how plain words were combined */
    char notice[160];          /* e.g. a capped prefix expansion */
    ni_doc cur;                /* the hit last returned */
    uint32_t cur_doc;
    int have_cur, cur_full;    /* cur_full: cur has every field (in rd) */
    int ids_only;
    int building_negated;      /* building a NOT branch: no highlight terms */
    int total_approx;          /* pruning skipped documents: total is a bound */
    int has_partial;           /* res[nstrict..nres) are partial matches */
    size_t nstrict;
    uint64_t partial_total;    /* documents matching only partly */
    int cur_partial;           /* the hit last returned is one of them */
    uint64_t headers_only, windows; /* see ni_hits_pruning */
    ni_buf snip_text, snip_ranges;
};

/* ---- from the query tree to matchers ----------------------------------- */

#define MAX_PREFIX_TERMS 128

typedef struct builder {
    ni_match_ctx *c;
    ni_analyzer *an;
    int and_mode;
    int all_words;             /* NI_SEARCH_ALL_WORDS: no share for long queries */
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

/*
 * One word of a query text, its strings in a buffer: its term; its normal
 * form when that differs (Snowball sometimes stems a form shorter than its
 * inflections: «ростов» -> «рост», «Ростове» -> «ростов»); and its name key
 * with each prefix (NI_NAME_MID, then NI_NAME_START), when it has one.
 */
typedef struct qword {
    size_t term_off, term_len, norm_off, norm_len, key_off, key_len;
    unsigned flags;
    uint32_t qpos;
} qword;

#define MAX_QWORDS 64


/*
 * The terms a query word is searched by.  Its term and normal form; its
 * name key as written mid-sentence (a name, or a word capitalised there,
 * which is indexed under its key only).  When the index holds the key
 * mid-sentence at least half as often as at sentence starts, the word is a
 * name: its key at sentence starts too, and, when Snowball cut the name's
 * suffix (so the term is a common word's: «песк» of «песок») or stemmed it
 * to a function word («вас» of «Васю»), not the term.
 * The key at sentence starts is also the last resort of a word nothing
 * else finds.
 */
static int word_alts(builder *b, const char *base, const qword *w, ni_alts *a)
{
    const char *term = base + w->term_off, *key = base + w->key_off;
    ni_term_info mid, start;
    int rc, has_mid = 0, has_start = 0, is_name = 0, drop_term = 0;
    size_t i;

    memset(a, 0, sizeof *a);
    if (w->key_len) {
        if ((rc = has_mid = ni_term_lookup(b->c, key, w->key_len, &mid)) < 0 ||
            (rc = has_start = ni_term_lookup(b->c, key + w->key_len, w->key_len, &start)) < 0)
            return rc;
        is_name = has_mid && 2 * (uint64_t)mid.df >= (has_start ? start.df : 0);
        drop_term = is_name && ((w->flags & NI_TOKEN_COMPOUND) ||
                                ni_name_overstemmed(term, w->term_len, key + 1, w->key_len - 1) ||
                                ni_is_function_word(term, w->term_len));
    }
    if ((!drop_term && (rc = ni_alts_add(a, b->c, term, w->term_len)) < 0) ||
        (w->norm_len && (rc = ni_alts_add(a, b->c, base + w->norm_off, w->norm_len)) < 0))
        return rc;
    if (has_mid)
        ni_alts_put(a, b->c, key, w->key_len, &mid);
    if (has_start && (is_name || a->n == 0))
        ni_alts_put(a, b->c, key + w->key_len, w->key_len, &start);
    for (i = 0; i < a->n; i++)
        if ((rc = keep_term(b->h, a->term[i], a->len[i])) < 0)
            return rc;
    return 0;
}

/* Reads the words of q's text into w[] (at most MAX_QWORDS) and their
 * strings into buf; *fw is 1 when every word is a function word.  A
 * phrase reads compounds by their parts, a word whole. */
static int read_words(builder *b, const ni_qnode *q, ni_buf *buf, qword *w, size_t *n,
                      int *fw)
{
    unsigned skip = q->type == NI_Q_PHRASE ? NI_TOKEN_COMPOUND : NI_TOKEN_PART;
    uint32_t first = 0;
    ni_token tok;
    int rc, kept = 0;

    *n = 0;
    *fw = 1;
    if ((rc = ni_analyzer_start(b->an, q->text, q->len, 0)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(b->an, &tok)) == 0) {
        qword *x = &w[*n - (*n > 0)];
        if ((tok.flags & skip) || tok.term_len == 0)
            continue;
        if (tok.flags & NI_TOKEN_NAME) {
            /* the key of the word just read (query mode: NI_NAME_MID) */
            if (!kept || x->key_len)
                continue;
            x->key_off = buf->len;
            x->key_len = tok.term_len;
            if ((rc = ni_buf_put(buf, tok.term, tok.term_len)) < 0 ||
                (rc = ni_buf_putc(buf, (unsigned char)NI_NAME_START)) < 0 ||
                (rc = ni_buf_put(buf, tok.term + 1, tok.term_len - 1)) < 0)
                return rc;
            continue;
        }
        if (!(kept = *n < MAX_QWORDS))
            continue;
        x = &w[*n];
        memset(x, 0, sizeof *x);
        if (*n == 0)
            first = tok.position;
        x->qpos = tok.position - first;
        x->flags = tok.flags;
        *fw &= (tok.flags & NI_TOKEN_FUNCTION) != 0;
        x->term_off = buf->len;
        x->term_len = tok.term_len;
        if ((rc = ni_buf_put(buf, tok.term, tok.term_len)) < 0)
            return rc;
        if (!(tok.flags & (NI_TOKEN_NUMBER | NI_TOKEN_COMPOUND)) &&
            (tok.norm_len != tok.term_len || memcmp(tok.norm, tok.term, tok.term_len))) {
            x->norm_off = buf->len;
            x->norm_len = tok.norm_len;
            if ((rc = ni_buf_put(buf, tok.norm, tok.norm_len)) < 0)
                return rc;
        }
        (*n)++;
    }
    return rc < 0 ? rc : 0;
}

/* A word or phrase: its words as one word (ni_match_word) or a phrase of
 * them, each by the terms word_alts chooses. */
static int build_text(builder *b, const ni_qnode *q, int *function_word,
                      ni_matcher **out)
{
    qword w[MAX_QWORDS];
    ni_alts alts[MAX_QWORDS];
    uint32_t qpos[MAX_QWORDS];
    ni_buf buf = NI_BUF_INIT;
    size_t n = 0, i;
    int rc, fw;

    *out = NULL;
    if ((rc = read_words(b, q, &buf, w, &n, &fw)) < 0)
        goto cleanup;
    if (function_word)
        *function_word = n == 1 && fw;
    for (i = 0; i < n; i++) {
        if ((rc = word_alts(b, (const char *)buf.data, &w[i], &alts[i])) < 0)
            goto cleanup;
        qpos[i] = w[i].qpos;
    }
    if (n == 1)
        rc = none_or(ni_match_word(out, b->c, &alts[0], q->field), out);
    else if (n > 1)
        rc = none_or(ni_match_phrase(out, b->c, alts, qpos, n, q->slop, q->field), out);
cleanup:
    ni_buf_free(&buf);
    return rc;
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

/* An AND node, explicit or made by juxtaposition (then the default
 * operator decides): NOT kids exclude, date kids filter, function words are
 * optional, and a long list of plain words needs only a share of them.
 * The content words of the query's root, in query order, are its slots for
 * proximity: their shares are set before they are combined. */
static int build_and(builder *b, const ni_qnode *q, ni_matcher **out)
{
    mlist req = { 0 }, opt = { 0 }, excl = { 0 };
    ni_matcher *m = NULL;
    size_t i, words = 0, plain = 1;
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
            plain = 0;
        } else if ((k->type == NI_Q_WORD || k->type == NI_Q_PHRASE) &&
                   k->field == NI_QFIELD_ANY) {
            /* a quoted phrase counts as one word: a pasted headline with
             * «quotes» is a list of words too */
            uint32_t at = b->qpos;
            rc = build_text(b, k, &fw, &m);
            b->qpos += ni_analyzer_end_position(b->an);
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
            if ((rc = build(b, k, &m)) == 0)
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
    if (req.n == 0) {
        if (!excl.n && q->nkids && !plain) {
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
            if ((rc = build(b, q->kids[i], &m)) == 0)
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
 * The partial matches after the h->nres full ones (fewer than k): tree
 * built again with any content word, its best k evaluated, the full
 * matches among them left out, the rest appended to h->res up to k.  At
 * most nres of the k are full matches (they hold every word, or the share
 * of a long query), so the k - nres best partial ones are among them.
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
    rc = build_tree(b, tree, &root);
    h->terms.len = nterms;      /* the same words: highlighted once */
    if (rc < 0)
        goto cleanup;
    t.k = k;
    t.res = ni_mem_alloc(k * sizeof *t.res);
    full = ni_mem_alloc((h->nres ? h->nres : 1) * sizeof *full);
    if (!t.res || !full) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = run_topk(h, &t, root, b->c, o)) < 0)
        goto cleanup;
    for (i = 0; i < h->nres; i++)
        full[i] = h->res[i].doc;
    qsort(full, h->nres, sizeof *full, cmp_doc);
    h->has_partial = 1;
    h->nstrict = h->nres;
    for (i = 0; i < t.n && h->nres < k; i++)
        if (!bsearch(&t.res[i].doc, full, h->nstrict, sizeof *full, cmp_doc))
            h->res[h->nres++] = t.res[i];
    /* every full match is among t's matches */
    h->partial_total = t.total > h->total ? t.total - h->total : 0;
    if (h->partial_total < h->nres - h->nstrict)
        h->partial_total = h->nres - h->nstrict;
    if (t.approx)
        h->total_approx = 1;
cleanup:
    ni_matcher_free(root);
    ni_mem_free(t.res);
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
    return 0;
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
    rc = build_tree(&b, tree, out);
    if (info) {
        snprintf(info->mode, sizeof info->mode, "%s", h->mode);
        info->partial = !partial && wants_partial(&b, tree, o);
    }
    ni_buf_free(&h->terms);
    ni_mem_free(h);
    return rc;
}

static int evaluate(ni_hits *h, const ni_qnode *tree, const ni_search_options *o)
{
    ni_match_ctx c;
    builder b;
    ni_matcher *root = NULL;
    ni_topk t = { 0 };
    size_t k = o->offset + o->limit;
    int rc;

    if ((rc = ni_search_ctx_init(&c, h->txn, o)) < 0)
        return rc;
    builder_init(&b, h, &c, o);
    if (!tree)
        return 0;
    if ((rc = build_tree(&b, tree, &root)) < 0)
        goto cleanup;
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
    if (!(h->res = ni_mem_alloc(k * sizeof *h->res))) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    t.res = h->res;
    t.k = k;
    rc = run_topk(h, &t, root, &c, o);
    h->nres = t.n;
    h->total = t.total;
    h->total_approx = t.approx;
    ni_matcher_free(root);
    root = NULL;
    if (rc == 0 && h->nres < k && wants_partial(&b, tree, o))
        rc = add_partial(h, &b, tree, o, k);
cleanup:
    ni_matcher_free(root);
    ni_match_ctx_release(&c);
    return rc;
}

void ni_hits_free(ni_hits *h)
{
    if (!h)
        return;
    ni_doc_reader_release(&h->rd);
    ni_txn_abort(h->txn);
    ni_buf_free(&h->terms);
    ni_buf_free(&h->snip_text);
    ni_buf_free(&h->snip_ranges);
    ni_mem_free(h->res);
    ni_mem_free(h);
}

int ni_search_run(ni_hits **out, ni_index *idx, const char *s, size_t len,
                  const ni_search_options *o)
{
    ni_qnode *tree = NULL;
    ni_hits *h;
    int rc;

    *out = NULL;
    if ((rc = ni_query_parse(&tree, s, len)) < 0)
        return rc;
    h = ni_mem_calloc(1, sizeof *h);
    if (!h) {
        ni_query_free(tree);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    h->idx = idx;
    h->offset = o->offset;
    h->ids_only = (o->flags & NI_SEARCH_IDS_ONLY) != 0;
    if ((rc = ni_txn_begin(&h->txn, idx->store, 0)) < 0)
        goto cleanup;
    ni_doc_reader_init(&h->rd, idx, h->txn);
    if ((rc = evaluate(h, tree, o)) < 0)
        goto cleanup;
    h->next = h->offset;
cleanup:
    ni_query_free(tree);
    if (rc < 0) {
        ni_hits_free(h);
        return rc;
    }
    *out = h;
    return 0;
}

int ni_hits_next(ni_hits *h, ni_hit *out)
{
    ni_doc d;
    const ni_result *r;
    int rc;

    if (!h || !out)
        return ni_error(NI_EINVAL, "ni_hits_next: NULL argument");
    if (h->next >= h->nres)
        return NI_DONE;
    r = &h->res[h->next];
    h->have_cur = 0;
    if ((rc = h->ids_only ? ni_doc_reader_head(&h->rd, r->doc, &d)
                     : ni_doc_reader_get(&h->rd, r->doc, &d)) < 0)
        return rc;
    h->cur_full = !h->ids_only;
    h->cur = d;
    h->cur_doc = r->doc;
    h->have_cur = 1;
    h->cur_partial = h->has_partial && h->next >= h->nstrict;
    h->next++;
    out->rank = h->next;
    out->score = r->score;
    out->id = d.id;
    out->id_len = d.id_len;
    out->url = d.url;
    out->url_len = d.url_len;
    out->rubric = d.rubric;
    out->rubric_len = d.rubric_len;
    out->title = d.title;
    out->title_len = d.title_len;
    out->date = d.date;
    return 0;
}

ni_txn *ni_hits_txn(const ni_hits *h)
{
    return h->txn;
}

uint64_t ni_hits_total(const ni_hits *h)
{
    return h ? h->total : 0;
}

uint64_t ni_hits_partial_total(const ni_hits *h)
{
    return h ? h->partial_total : 0;
}

int ni_hits_is_partial(const ni_hits *h)
{
    return h && h->have_cur && h->cur_partial;
}

void ni_hits_pruning(const ni_hits *h, uint64_t *headers_only, uint64_t *windows)
{
    *headers_only = h->headers_only;
    *windows = h->windows;
}

int ni_hits_total_is_exact(const ni_hits *h)
{
    return h ? !h->total_approx : 1;
}

const char *ni_hits_mode(const ni_hits *h)
{
    return h ? h->mode : "";
}

const char *ni_hits_notice(const ni_hits *h)
{
    return h && h->notice[0] ? h->notice : NULL;
}

int ni_hits_snippet(ni_snippet *out, ni_hits *h, size_t max_chars)
{
    ni_analyzer *an;
    const char *text;
    size_t len;
    int rc;

    if (!out || !h)
        return ni_error(NI_EINVAL, "ni_hits_snippet: NULL argument");
    memset(out, 0, sizeof *out);
    if (!h->have_cur)
        return ni_error(NI_EINVAL, "ni_hits_snippet: no current hit");
    {
        ni_doc full = h->cur;
        if (!h->cur_full && (rc = ni_doc_reader_get(&h->rd, h->cur_doc, &full)) < 0)
            return rc;
        text = full.text;
        len = full.text_len;
        if (!text || !len) {
            text = full.title;
            len = full.title_len;
        }
    }
    if ((rc = ni_index_borrow_analyzer(h->idx, &an)) < 0)
        return rc;
    rc = ni_snippet_make(an, text, len, &h->terms, max_chars, &h->snip_text,
                         &h->snip_ranges);
    ni_index_return_analyzer(h->idx, an);
    if (rc < 0)
        return rc;
    out->text = (const char *)h->snip_text.data;
    out->len = h->snip_text.len;
    out->ranges = (const size_t *)(void *)h->snip_ranges.data;
    out->nranges = h->snip_ranges.len / (2 * sizeof(size_t));
    if (!out->text)
        out->text = "";
    return 0;
}
