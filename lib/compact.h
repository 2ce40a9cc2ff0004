/*
 * compact.h - compaction: the posting lists that hold deleted documents
 * rewritten without them, and the statistics' count of deleted documents
 * reset, in one write transaction of its own.  Deleted documents' other
 * traces (docinfo entries marked deleted) stay; ids are never reused.
 */
#ifndef NI_COMPACT_H
#define NI_COMPACT_H

#include "store.h"

/* Compacts the committed index of s; a full map is grown and the
 * compaction redone.  No transaction of this thread may be open. */
int ni_compact(ni_store *s);

/* Compacts when a quarter of the documents, and at least 1,024, are
 * deleted (as ni_compact); 0 otherwise. */
int ni_compact_maybe(ni_store *s);

#endif
