/*
 * search.h - running a query (search.c): the parsed query built into
 * matchers (build.c), top-k evaluation, the partial pass and the rounds of
 * collapsing, into the hits that hits.c hands out with their stored fields
 * and snippets.
 */
#ifndef NI_SEARCH_H
#define NI_SEARCH_H

#include "index.h"
#include "match.h"
#include "query.h"

/*
 * Long queries in the default mode: from NI_LONG_QUERY_WORDS plain words on
 * (a pasted headline), a document needs only NI_LONG_QUERY_SHARE of them,
 * rounded up, to match fully (the rest follow as partial matches).  0.8
 * was chosen on the tune half of the title-less known-item set
 * (bench/README.md): 0.6 ranked documents holding 60 % of a headline's
 * words above the article that lost its headline.
 */
#define NI_LONG_QUERY_WORDS 5
#define NI_LONG_QUERY_SHARE 0.8

/* ni_search with opts already checked and defaulted. */
int ni_search_run(ni_hits **out, ni_index *idx, const char *query, size_t len,
                  const ni_search_options *opts);

/* Checks the caller's *opts (api.c); one of an older version is copied
 * into full, defaults after its fields, and *opts pointed at it.  0 or
 * NI_EINVAL. */
int ni_search_options_check(const ni_search_options **opts, ni_search_options *full);

/* ni_search_run on the snapshot txn (borrowed: it must outlive *out; NULL:
 * a snapshot of its own) with the global statistics gs of a search over
 * shards (shardstats.h; borrowed likewise; NULL: idx's own). */
int ni_search_run_at(ni_hits **out, ni_index *idx, ni_txn *txn, ni_shard_stats *gs,
                     const char *query, size_t len, const ni_search_options *opts);

/* Sets up c for matchers of txn's snapshot with o's BM25 parameters, as
 * ni_search does.  Release it with ni_match_ctx_release. */
int ni_search_ctx_init(ni_match_ctx *c, ni_txn *txn, const ni_search_options *o);

/*
 * Called by ni_search_build with each node q of the query tree and the
 * matcher m just made of it, before any other matcher has used m: every
 * word, phrase, prefix and rubric (m may match nothing: a word the index
 * lacks), every AND, OR, NOT (then q is the NOT and m the AND NOT made of
 * it; its operand is noted before), and the operand of each NOT inside an
 * AND.  A matcher may be noted twice, first with the smaller node (an AND
 * of one word is that word's matcher).  Returns 0 or a negative error,
 * which ends the build.
 */
typedef int (*ni_search_note_fn)(void *arg, const ni_qnode *q, ni_matcher *m);

/* How ni_search_build built a query. */
typedef struct ni_search_built {
    char mode[64];             /* as ni_hits_mode */
    int partial;               /* of the strict pass: ni_search follows its
                                  full matches with partial ones when they
                                  are fewer than offset + limit */
} ni_search_built;

/*
 * Builds tree (not NULL) into *out as ni_search builds it, for looking at
 * single documents (explain.c): with c set up by ni_search_ctx_init, the
 * strict pass, or with partial set the pass of partial matches (plain words
 * OR-ed); note (when not NULL) sees the matchers as they are made.  *out is
 * NULL when the query has nothing to search.  info may be NULL.
 */
int ni_search_build(ni_matcher **out, ni_search_built *info, ni_index *idx,
                    ni_match_ctx *c, const ni_qnode *tree, const ni_search_options *o,
                    int partial, ni_search_note_fn note, void *arg);

/*
 * The strict pass of h's query as it was searched (after the query
 * rescue, so the same full matches as ni_hits_total counts), built again
 * into *out on h's snapshot without proximity and not yet evaluated, for
 * enumerating every match (facets.h).  c is set up here (release it with
 * ni_match_ctx_release, also on failure).  *out is NULL when the query has
 * nothing to search.  h's highlight terms, mode and notice are unchanged.
 */
int ni_search_rebuild(ni_hits *h, ni_match_ctx *c, ni_matcher **out);

/* The read transaction (snapshot) of h's search. */
ni_txn *ni_hits_txn(const ni_hits *h);

/* The query as it was parsed for h: as typed, with an unbalanced quote or
 * bracket made spaces, or switched to the other keyboard layout (the texts
 * of the tree searched point into it), its length in *len. */
const char *ni_hits_parsed(const ni_hits *h, size_t *len);

/* The word cache of a search's tree (build.c). */
typedef struct ni_wcache ni_wcache;

/* For tests: posting blocks a search read only the header of, and runs of
 * documents it ruled out by block bounds (what pruning saved). */
void ni_hits_pruning(const ni_hits *h, uint64_t *headers_only, uint64_t *windows);

#endif
