/*
 * flush.h - a batch (batch.h) written into a write transaction: committed
 * documents it deletes or replaces, internal ids, docinfo, ids, lexicon and
 * postings, stored records, statistics.  Does not open, commit or retry
 * transactions, nor decide when to flush: writer.c does.
 */
#ifndef NI_FLUSH_H
#define NI_FLUSH_H

#include "batch.h"
#include "pipeline.h"
#include "store.h"

/* Scratch space, codecs and the compression dictionary, kept from one
 * flush to the next. */
typedef struct ni_flush ni_flush;

/* s: the store flushed into, named in messages.  NI_ENOMEM. */
int ni_flush_new(ni_flush **out, ni_store *s);
void ni_flush_free(ni_flush *f);

/*
 * Writes batch b into t (a write transaction).  inv analyses the committed
 * documents to delete again, in this thread (no document of the pipeline
 * may be using it); pipe, when not NULL, lends its threads to compress the
 * stored records (it must be empty).  The order of the writes, hence the
 * file, is the same with any number of threads.  On failure t must be
 * aborted.  The batch is left as it was, but for its sort order.
 */
int ni_flush_batch(ni_flush *f, ni_txn *t, ni_batch *b, ni_inverter *inv,
                   ni_pipeline *pipe);

/* The share of deleted postings at which a flush rewrites a term it
 * touches (compact.h; 0: NI_RECLAIM_PERCENT). */
void ni_flush_set_reclaim(ni_flush *f, unsigned pct);

/* Frees the larger buffers, after a batch. */
void ni_flush_trim(ni_flush *f);

#endif
