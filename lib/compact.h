/*
 * compact.h - compaction: the posting lists that hold deleted documents
 * rewritten without them, and the statistics' count of deleted documents
 * reset, in one write transaction of its own; and the same rewrite of one
 * term, which commits do as they go (incremental reclamation).  Deleted
 * documents' other traces (docinfo entries marked deleted) stay; ids are
 * never reused.
 */
#ifndef NI_COMPACT_H
#define NI_COMPACT_H

#include "postlist.h"

/* Compacts the committed index of s; a full map is grown and the
 * compaction redone.  No transaction of this thread may be open. */
int ni_compact(ni_store *s);

/*
 * Incremental reclamation, Lucene's deletesPctAllowed for one term: a
 * commit rewrites a term whose lexicon entry it changes when the postings
 * of deleted documents (ti->postings - ti->df) are at least pct percent of
 * all its postings.  The default share; ni_open_options.reclaim_percent
 * sets another (1 to 100; above 100 the commit never reclaims).  So every
 * term keeps under that share of deleted postings between compactions,
 * and no commit rewrites more than the terms it touches.
 */
#define NI_RECLAIM_PERCENT 20

/* 1 when term ti is due for reclamation at pct percent (above). */
int ni_reclaim_due(const ni_term_info *ti, unsigned pct);

/*
 * Rewrites the posting list of term (tlen bytes, lexicon entry ti as read
 * in t) without the documents deleted: those of dead or, when dead is
 * NULL, those docinfo marks deleted (their real lengths then tighten the
 * blocks' bounds).  c is a cursor on the postings table of t, pl scratch
 * space.  The lexicon entry is written with postings = the documents kept,
 * or removed when none is.
 */
int ni_compact_term(ni_postlist *pl, ni_txn *t, ni_cursor *c, const char *term, size_t tlen,
                    ni_term_info *ti, const ni_deadset *dead);

#endif
