/*
 * topk.h - the best k documents of a matcher tree (topk.c): a heap ordered
 * by score (or by date), filled by exhaustive evaluation, or by dynamic
 * pruning (prune.h) when the caller allows it and the tree has a shape
 * pruning handles.  Either way the same documents, in the same order,
 * with the same scores.
 */
#ifndef NI_TOPK_H
#define NI_TOPK_H

#include "match.h"

/* One result: its order is score, then newer date, then indexing order
 * (or date first when sorted by date): one total order. */
/* The order of hits of one collection, before its last tie-break (the
 * internal id in one index, the place in the indexing order across
 * shards, shard.c): > 0 when (score a, date a) ranks first, < 0 when b
 * does, 0 on a tie.  Relevance: higher score, then newer date; by date:
 * newer date, then higher score.  One index and a sharded one must agree
 * on it to give the same hits. */
static inline int ni_rank_cmp(double sa, int64_t da, double sb, int64_t db, int by_date)
{
    if (by_date && da != db)
        return da > db ? 1 : -1;
    if (sa != sb)
        return sa > sb ? 1 : -1;
    if (da != db)
        return da > db ? 1 : -1;
    return 0;
}

typedef struct ni_result {
    uint32_t doc;
    double score;
    int64_t date;
} ni_result;

typedef struct ni_topk {
    ni_result *res;            /* room for k (the caller's), sorted at the end */
    size_t n, k;               /* k > 0 */
    uint64_t total;            /* documents that matched (collected, when pruned) */
    int approx;                /* pruned: total is a lower bound */
    uint64_t headers_only;     /* pruning: blocks read but not decoded, */
    uint64_t windows;          /* runs of documents ruled out by block bounds */
    const uint32_t *skip;      /* documents left out (neither kept nor counted), */
    size_t nskip;              /* ascending; NULL when nskip is 0 */
    ni_fresh *fresh;           /* the context's (set by ni_topk_run) */
} ni_topk;

/*
 * Evaluates root into t (res, k, skip and the counters set by the caller;
 * n and total 0): every document root matches (deleted ones and those of
 * skip left out), or with
 * pruning when may_prune and not by_date; then sorts t->res[0..n) best
 * first.  Scores are multiplied by c's freshness factor when it is on
 * (fresh.h).  With a bonus at the root (match.h, NI_PARTS_BONUS), a document
 * whose score without it plus its bound cannot enter the full top k gets
 * no bonus computed (it is not kept either way).  0 or <0.
 */
int ni_topk_run(ni_topk *t, ni_matcher *root, ni_match_ctx *c, int by_date, int may_prune);

#endif
