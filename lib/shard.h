/*
 * shard.h - what the local shards (shardset.c) use of the shard API
 * (shard.c) beyond newsindex.h: phase 2 as a search cursor, whose reader
 * then fetches the stored fields of its hits.
 */
#ifndef NI_SHARD_H
#define NI_SHARD_H

#include "newsindex.h"

/* Phase 2 (ni_shard_search) into the cursor *out, which borrows snap and
 * global: free it first. */
int ni_shard_search_hits(ni_hits **out, ni_snapshot *snap, const char *query,
                         size_t query_len, const ni_search_options *opts,
                         ni_shard_stats *global);

/* The hit list of h's hits (order = doc, shard 0) into *out. */
int ni_shard_hits_of(ni_shard_hits **out, const ni_hits *h);

#endif
