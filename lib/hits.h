/*
 * hits.h - the result cursor of a search (ni_hits, hits.c), as search.c
 * fills it and its accessors read it.  Internal: the public API sees an
 * opaque ni_hits (newsindex.h).
 */
#ifndef NI_HITS_H
#define NI_HITS_H

#include "collapse.h"
#include "index.h"
#include "rescue.h"
#include "topk.h"

#define NI_HITS_DEAD 0x64656164u   /* "dead" */

struct ni_hits {
    ni_index *idx;
    int held;                   /* counted in idx's open cursors (ni_index_hold) */
    ni_txn *txn;
    int txn_borrowed;          /* txn is the caller's (ni_search_run_at) */
    ni_shard_stats *gs;        /* global statistics (shardstats.h), borrowed */
    ni_doc_reader rd;          /* stored fields of txn's snapshot */
    uint32_t dead;             /* NI_HITS_DEAD once freed: past the first 32
                                  bytes, which free() may reuse, so that
                                  freeing twice in a row is caught (not in
                                  general: memory given out again holds
                                  anything) */
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
    ni_buf title_text, title_ranges;    /* ni_hits_title's */
    ni_rescue rescue;          /* what the query rescue rewrote */
    ni_buf why_none;           /* why nothing matched (NUL-terminated) */
    ni_buf lenient;            /* the query without its quotes and brackets */
    const char *qbase;         /* the query as parsed (texts of the tree) */
    size_t qlen;
    struct ni_wcache **wcache; /* words of the tree's text nodes (build.c) */
    size_t nwcache, capwcache;
    /* what ni_search_rebuild needs to build the query as searched again
     * (facets.h): the tree, whose texts point into query (a copy of the
     * query string), or into lenient or the rescue's buffers; the options;
     * whether the final build rescued words */
    ni_buf query;
    struct ni_qnode *tree;
    ni_search_options opts;
    int built_rescue;
    ni_collapse collapse;      /* near copies folded (collapse.h) */
    ni_doc_reader dup_rd;      /* reads them (ni_hits_duplicate) */
    size_t near_copies;        /* ni_similar: res[0..near_copies) are near copies */
    /* a search over local shards (shardset.c): res[i] is a document of
     * parts[part_of[i]]'s shard, whose cursor reads its stored fields and
     * makes its snippets (cur_part: the hit last returned); the snapshots
     * snaps[0..nparts) are closed after the parts are freed */
    struct ni_hits **parts;
    struct ni_snapshot **snaps;
    size_t nparts;
    uint32_t *part_of;
    struct ni_hits *cur_part;
};

#endif
