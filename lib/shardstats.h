/*
 * shardstats.h - the collection statistics of a query (shardstats.c), the
 * phase 1 of a search over document-partitioned shards: what a shard's
 * scorer takes from the whole collection, gathered from one index, summed
 * over shards, and handed back to each shard's matchers (match.h, gs) so
 * that they score as one index of all the documents would.
 *
 * The scorer's only collection-wide inputs are the live documents N, the
 * title and body length sums (average lengths = sum / N), the df of every
 * term a query word may be searched by (a word's df is the sum of its
 * terms', capped at N: term.c), and the freshness reference date (the
 * newest date).  Per-document lengths, frequencies, positions, name keys,
 * lead bits and block maxima stay local; pruning bounds are computed from
 * the global idf.
 */
#ifndef NI_SHARDSTATS_H
#define NI_SHARDSTATS_H

#include <stdint.h>

#include "layout.h"
#include "newsindex.h"

typedef struct ni_shard_term {
    char *term;                 /* the term's bytes (ni_mem) */
    uint32_t len;
    uint64_t df;                /* live documents with it */
    uint64_t postings;          /* documents in its posting lists, deleted
                                   ones included: the matchers' cost, whose
                                   order is the order scores are summed in */
} ni_shard_term;

struct ni_shard_stats {
    uint64_t docs, sum_title, sum_body;
    int64_t newest;             /* NI_DATE_NONE: no document has a date */
    int recording;              /* phase 1: lookups note local df */
    ni_shard_term *t;           /* ascending by bytes, then length, once */
    size_t n, cap;
};

/* The entry of term in s, or NULL. */
const ni_shard_term *ni_shard_stats_find(const ni_shard_stats *s, const char *term,
                                         size_t len);

/* Sets term's df and postings in s (adds it when new, replaces it
 * otherwise).  0 or NI_ENOMEM. */
int ni_shard_stats_set(ni_shard_stats *s, const char *term, size_t len, uint64_t df,
                       uint64_t postings);

/* The cost of a matcher of term in a search with s (its postings in all
 * shards), or local when s is NULL or recording. */
uint64_t ni_shard_stats_cost(const ni_shard_stats *s, const char *term, size_t len,
                             uint64_t local);

/*
 * The hook of term.c's dictionary reads: ti is the local entry of term
 * (zeroed when absent).  While s is recording, notes the local df and
 * returns whether the term is here; otherwise sets ti->df to the global
 * df and returns whether the term is anywhere (ti->postings stays local:
 * 0 when no posting of it is here).  <0 on failure.
 */
int ni_shard_stats_lookup(ni_shard_stats *s, const char *term, size_t len, ni_term_info *ti);

/* A new empty ni_shard_stats (newest NI_DATE_NONE) into *out. */
int ni_shard_stats_new(ni_shard_stats **out);

struct ni_match_ctx;

/* Makes c, set up by ni_search_ctx_init, score with s: its N and average
 * lengths, and its df for every term read (c->gs). */
void ni_shard_stats_apply(ni_shard_stats *s, struct ni_match_ctx *c);

#endif
