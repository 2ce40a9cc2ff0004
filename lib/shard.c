/*
 * shard.c - the shard API of newsindex.h ("Shards"): a snapshot of one
 * index, the statistics of a query in it (phase 1), a search of it with
 * the global statistics (phase 2), and the merge of the shards' hit lists.
 * Does not know how shards are found or reached (shardset.c keeps local
 * ones; a transport would carry the wire forms of shardwire.c).
 *
 * Phase 1 builds the query as the search would, with the context's table
 * recording (shardstats.h; term.c then reads the dictionary only): every
 * term the dictionary is asked for is noted with its local df, including
 * those absent here, which another shard may hold.  Phase 2 runs the
 * search with the context reading N, the average lengths and the df of
 * every term from the summed table, and the freshness reference at the
 * newest date of all shards.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "hits.h"
#include "index.h"
#include "mem.h"
#include "query.h"
#include "search.h"
#include "shard.h"
#include "shardstats.h"
#include "topk.h"

struct ni_snapshot {
    ni_index *idx;
    ni_txn *txn;
    size_t searches;            /* hit lists not freed yet: none by close */
};

int ni_snapshot_open(ni_snapshot **out, ni_index *idx)
{
    ni_snapshot *s;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_snapshot_open: out is NULL");
    *out = NULL;
    if ((rc = ni_index_enter(idx, "ni_snapshot_open")) < 0)
        return rc;
    if (!(s = ni_mem_calloc(1, sizeof *s))) {
        ni_index_leave(idx);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    if ((rc = ni_txn_begin(&s->txn, idx->store, 0)) < 0) {
        ni_mem_free(s);
        ni_index_leave(idx);
        return rc;
    }
    s->idx = idx;
    ni_index_hold(idx);
    ni_index_leave(idx);
    *out = s;
    return 0;
}

void ni_snapshot_close(ni_snapshot *snap)
{
    if (!snap)
        return;
    ni_txn_abort(snap->txn);
    ni_index_release(snap->idx);
    ni_mem_free(snap);
}

/* The options a shard searches with: opts checked into *o (full is the
 * room for it), then what a sharded search does not do yet turned off
 * (newsindex.h, "Shards"). */
static int shard_options(ni_search_options *o, const ni_search_options *opts)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT, full = NI_SEARCH_OPTIONS_INIT;
    int rc;
    if (!opts)
        opts = &def;
    if ((rc = ni_search_options_check(&opts, &full)) < 0)
        return rc;
    *o = *opts;
    o->flags |= NI_SEARCH_NO_COLLAPSE | NI_SEARCH_EXACT;
    return 0;
}

/* Records into s the df of every term tree's build reads in snap: the
 * matchers themselves are not made (term.c stops at the dictionary). */
static int record_terms(ni_shard_stats *s, ni_snapshot *snap, const ni_qnode *tree,
                        const ni_search_options *o)
{
    ni_match_ctx c;
    ni_matcher *m = NULL;
    int rc;

    if ((rc = ni_search_ctx_init(&c, snap->txn, o)) < 0)
        return rc;
    c.gs = s;
    s->recording = 1;
    /* the pass of partial matches searches the same words (search.c) */
    rc = ni_search_build(&m, NULL, snap->idx, &c, tree, o, 0, NULL, NULL);
    ni_matcher_free(m);
    s->recording = 0;
    ni_match_ctx_release(&c);
    return rc;
}

int ni_shard_stats_read(ni_shard_stats **out, ni_snapshot *snap, const char *query,
                        size_t query_len, const ni_search_options *opts)
{
    ni_search_options o;
    ni_shard_stats *s = NULL;
    ni_qnode *tree = NULL;
    ni_buf lenient = { 0 };
    ni_meta m;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_shard_stats_read: out is NULL");
    *out = NULL;
    if (!snap || (!query && query_len))
        return ni_error(NI_EINVAL, "ni_shard_stats_read: NULL argument");
    if ((rc = shard_options(&o, opts)) < 0 || (rc = ni_shard_stats_new(&s)) < 0)
        return rc;
    if ((rc = ni_meta_read(snap->txn, &m)) < 0 || (rc = ni_newest_read(snap->txn, &s->newest)) < 0)
        goto cleanup;
    s->docs = m.docs;
    s->sum_title = m.sum_title;
    s->sum_body = m.sum_body;
    if ((rc = ni_query_parse_lenient(&tree, query ? query : "", query_len, &lenient)) < 0)
        goto cleanup;
    if (tree)
        rc = record_terms(s, snap, tree, &o);
cleanup:
    ni_query_free(tree);
    ni_buf_free(&lenient);
    if (rc < 0) {
        ni_shard_stats_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void ni_shard_hits_free(ni_shard_hits *hits)
{
    if (!hits)
        return;
    ni_mem_free(hits->hit);
    ni_mem_free(hits);
}

/* A hit list of room hits into *out. */
static int hits_new(ni_shard_hits **out, size_t room)
{
    ni_shard_hits *h = ni_mem_calloc(1, sizeof *h);
    if (h && !(h->hit = ni_mem_calloc(room ? room : 1, sizeof *h->hit))) {
        ni_mem_free(h);
        h = NULL;
    }
    *out = h;
    return h ? 0 : ni_error(NI_ENOMEM, "out of memory");
}

int ni_shard_search_hits(ni_hits **out, ni_snapshot *snap, const char *query,
                         size_t query_len, const ni_search_options *opts,
                         ni_shard_stats *global)
{
    ni_search_options o;
    int rc;

    *out = NULL;
    if ((rc = shard_options(&o, opts)) < 0)
        return rc;
    o.limit += o.offset;        /* the best offset + limit, merged later */
    o.offset = 0;
    if (o.fresh_ref == NI_DATE_NONE)
        o.fresh_ref = global->newest;
    return ni_search_run_at(out, snap->idx, snap->txn, global, query ? query : "",
                            query_len, &o);
}

int ni_shard_hits_of(ni_shard_hits **out, const ni_hits *h)
{
    ni_shard_hits *r;
    size_t i;
    int rc;

    if ((rc = hits_new(&r, h->nres)) < 0)
        return rc;
    for (i = 0; i < h->nres; i++) {
        r->hit[i].score = h->res[i].score;
        r->hit[i].date = h->res[i].date;
        r->hit[i].doc = h->res[i].doc;
        r->hit[i].order = h->res[i].doc;
        r->hit[i].partial = h->has_partial && i >= h->nstrict;
    }
    r->n = h->nres;
    r->total = h->total;
    r->partial_total = h->partial_total;
    r->total_approx = h->total_approx;
    r->sort_by_date = h->opts.sort == NI_SORT_DATE;
    *out = r;
    return 0;
}

int ni_shard_search(ni_shard_hits **out, ni_snapshot *snap, const char *query,
                    size_t query_len, const ni_search_options *opts, ni_shard_stats *global)
{
    ni_hits *h = NULL;
    int rc;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_shard_search: out is NULL");
    *out = NULL;
    if (!snap || !global || (!query && query_len))
        return ni_error(NI_EINVAL, "ni_shard_search: NULL argument");
    if ((rc = ni_shard_search_hits(&h, snap, query, query_len, opts, global)) == 0)
        rc = ni_shard_hits_of(out, h);
    ni_hits_free(h);
    return rc;
}

/* 1 when a ranks before b (topk.c's order, with order for the id). */
static int better(const ni_shard_hit *a, const ni_shard_hit *b, int by_date)
{
    int c;
    if (a->partial != b->partial)
        return a->partial < b->partial;
    if ((c = ni_rank_cmp(a->score, a->date, b->score, b->date, by_date)) != 0)
        return c > 0;
    if (a->order != b->order)
        return a->order < b->order;
    return a->shard < b->shard;
}

static int by_score(const void *a, const void *b)
{
    return better(a, b, 0) ? -1 : better(b, a, 0);
}

static int by_date(const void *a, const void *b)
{
    return better(a, b, 1) ? -1 : better(b, a, 1);
}

int ni_shard_hits_merge(ni_shard_hits **out, ni_shard_hits *const *lists, size_t n,
                        const ni_search_options *opts)
{
    ni_search_options o;
    ni_shard_hits *r;
    size_t i, all = 0, k, strict = 0;
    uint64_t total = 0, partial_total = 0;
    int rc, approx = 0;

    ni_error_clear();
    if (!out)
        return ni_error(NI_EINVAL, "ni_shard_hits_merge: out is NULL");
    *out = NULL;
    if (!lists && n)
        return ni_error(NI_EINVAL, "ni_shard_hits_merge: NULL argument");
    if ((rc = shard_options(&o, opts)) < 0)
        return rc;
    k = o.offset + o.limit;
    for (i = 0; i < n; i++) {
        if (!lists[i])
            return ni_error(NI_EINVAL, "ni_shard_hits_merge: list %zu is NULL", i);
        all += lists[i]->n;
        total += lists[i]->total;
        partial_total += lists[i]->partial_total;
        approx |= lists[i]->total_approx;
    }
    if ((rc = hits_new(&r, all)) < 0)
        return rc;
    for (i = 0; i < n; i++) {
        if (lists[i]->n)
            memcpy(r->hit + r->n, lists[i]->hit, lists[i]->n * sizeof *r->hit);
        r->n += lists[i]->n;
    }
    qsort(r->hit, r->n, sizeof *r->hit, o.sort == NI_SORT_DATE ? by_date : by_score);
    for (i = 0; i < r->n; i++)
        strict += !r->hit[i].partial;
    /* one index looks for partial matches only when its full ones are
     * fewer than offset + limit; then every shard's were too */
    if (strict >= k) {
        r->n = strict;
        partial_total = 0;      /* one index would not have looked */
    }
    if (r->n > k)
        r->n = k;
    r->total = total;
    r->partial_total = partial_total;
    r->total_approx = approx;
    r->sort_by_date = o.sort == NI_SORT_DATE;
    *out = r;
    return 0;
}
