/*
 * search.c - running a query against a snapshot of the index into a
 * cursor of hits (hits.c hands them out): the order of the work, not its
 * parts.
 *
 * The query string is parsed (query.c) into a tree, which build.c turns
 * into matchers (how words combine is said there), evaluated here into
 * the best offset + limit documents (topk.c, pruned by prune.c) in a heap
 * ordered by score, then newer date, then indexing order (internal id):
 * one total order, so pages of a result never repeat or skip a hit.
 * Deleted documents (marked in docinfo) are skipped.
 * When plain words in the default AND match fewer documents than offset +
 * limit, the hits go on with partial matches: the query built again with
 * any content word and evaluated with the full matches left out (not with
 * NI_SEARCH_ALL_WORDS or NI_SEARCH_NO_PARTIAL).
 * Unless NI_SEARCH_NO_COLLAPSE, near copies are folded into the hit that
 * represents them (collapse.h): candidates are fetched until they hold
 * offset + limit stories.
 * The query rescue (rescue.h) costs a query nothing unless a plain word of
 * it matches nothing: the tree is built without it first, and only then
 * built again, switched to the other keyboard layout when it was typed in
 * it, with its words rescued.  A query with an unbalanced quote or bracket
 * is parsed as words (query.h); after a search that found nothing, why
 * (nohits.h).  The same builder gives explain.c the matchers of a query
 * (ni_search_build), showing it each one as it is made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer.h"
#include "build.h"
#include "collapse.h"
#include "error.h"
#include "hits.h"
#include "index.h"
#include "match.h"
#include "mem.h"
#include "nohits.h"
#include "query.h"
#include "rescue.h"
#include "search.h"
#include "shardstats.h"
#include "topk.h"

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
    rc = ni_build_tree(b, tree, &root);
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

/* ni_search_ctx_init for h's search, with the global statistics of a
 * search over shards when h has them (shardstats.h). */
static int hits_ctx_init(ni_hits *h, ni_match_ctx *c, const ni_search_options *o)
{
    int rc = ni_search_ctx_init(c, h->txn, o);
    if (rc == 0 && h->gs)
        ni_shard_stats_apply(h->gs, c);
    return rc;
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
    ni_build_init(&b, h, c, o);
    b.note = note;
    b.note_arg = arg;
    if (partial)
        b.and_mode = 0;
    rc = b.rescue && tree ? scan_latin(h, c, tree) : 0;
    if (rc == 0)
        rc = ni_build_tree(&b, tree, out);
    if (info) {
        snprintf(info->mode, sizeof info->mode, "%s", h->mode);
        info->partial = !partial && ni_build_wants_partial(&b, tree, o);
    }
    ni_buf_free(&h->terms);
    ni_rescue_free(&h->rescue);
    ni_build_cache_drop(h);
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

    if ((rc = hits_ctx_init(h, &c, o)) < 0)
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
    if ((rc = ni_build_tree(b, *treep, root)) < 0 || (o->flags & NI_SEARCH_EXACT) ||
        b->unknown == 0)
        return rc;
    ni_matcher_free(*root);
    *root = NULL;
    h->terms.len = 0;
    ni_build_cache_drop(h);      /* the tree may be replaced */
    if ((rc = rescue_prepare(h, o, s, len, treep)) < 0)
        return rc;
    ni_build_init(b, h, c, o);
    h->built_rescue = b->rescue;
    return ni_build_tree(b, *treep, root);
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
    if (rc == 0 && partial && h->nres < k && ni_build_wants_partial(b, tree, o))
        rc = add_partial(h, b, tree, o, k);
    return rc;
}

/* fetch with near copies folded (collapse.h): the first want stories.
 * Candidates are fetched in growing rounds (ni_collapse_fetch) until they
 * hold want stories or the matches end; each round builds the tree again
 * and searches deeper, its first documents the same as the last round's
 * (one total order).  Partial matches are fetched only once the full
 * matches ran out with fewer than want stories: as without collapsing,
 * but counting stories.  Then they follow the full matches already in
 * h->res (ni_collapse_fold left them as they were), which are not searched
 * again: a long query whose full matches are few costs two passes, not
 * three. */
static int fetch_stories(ni_hits *h, builder *b, const ni_qnode *tree, ni_matcher **root,
                         const ni_search_options *o, size_t want)
{
    size_t k = ni_collapse_fetch(want, 0), next;
    int rescue = b->rescue, partial = 0, rc;

    for (;;) {
        if ((rc = fetch(h, b, tree, root, o, k, partial)) < 0)
            return rc;
        if (!h->has_partial)
            h->nstrict = h->nres;
        if (!partial && h->nres < k && ni_build_wants_partial(b, tree, o)) {
            /* the full matches ended: enough stories, or the partial ones */
            if ((rc = ni_collapse_fold(&h->collapse, &h->dup_rd, h->res, &h->nres,
                                       &h->nstrict, want, 1)) <= 0)
                return rc;
            partial = 1;
            if ((rc = add_partial(h, b, tree, o, k)) < 0)
                return rc;
        }
        next = h->nres == k ? ni_collapse_fetch(want, k) : 0;
        if ((rc = ni_collapse_fold(&h->collapse, &h->dup_rd, h->res, &h->nres, &h->nstrict,
                                   want, next > k)) <= 0)
            return rc;
        k = next;
        ni_mem_free(h->res);
        h->res = NULL;
        h->nres = h->nstrict = 0;
        h->has_partial = 0;
        h->partial_total = 0;
        h->terms.len = 0;
        ni_build_init(b, h, b->c, o);
        b->rescue = rescue;
        if ((rc = ni_build_tree(b, tree, root)) < 0)
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

    if ((rc = hits_ctx_init(h, &c, o)) < 0)
        return rc;
    ni_build_init(&b, h, &c, o);
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

    if ((rc = hits_ctx_init(h, &c, o)) < 0)
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
    return ni_search_run_at(out, idx, NULL, NULL, s, len, o);
}

int ni_search_run_at(ni_hits **out, ni_index *idx, ni_txn *txn, ni_shard_stats *gs,
                     const char *s, size_t len, const ni_search_options *o)
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
    h->gs = gs;
    h->txn_borrowed = txn != NULL;
    h->txn = txn;
    if (!txn && (rc = ni_txn_begin(&h->txn, idx->store, 0)) < 0)
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
    if ((rc = hits_ctx_init(h, c, &h->opts)) < 0 || !h->tree)
        return rc;
    memcpy(mode, h->mode, sizeof mode);
    memcpy(notice, h->notice, sizeof notice);
    ni_build_init(&b, h, c, &h->opts);
    b.rescue = h->built_rescue;
    b.prox = 0;
    rc = ni_build_tree(&b, h->tree, out);
    memcpy(h->mode, mode, sizeof mode);
    memcpy(h->notice, notice, sizeof notice);
    h->terms.len = nterms;
    return rc;
}
