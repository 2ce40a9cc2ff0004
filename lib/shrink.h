/*
 * shrink.h - the index's file brought down to the size of a compacted
 * copy, by putting such a copy in its place (shrink.c).
 */
#ifndef NI_SHRINK_H
#define NI_SHRINK_H

#include "newsindex.h"
#include "store.h"

/* The steps of ni_shrink, in order, for ni_shrink_hook. */
enum ni_shrink_step {
    NI_SHRINK_LOCKED = 1,   /* the writer lock of the index is held */
    NI_SHRINK_CLEARED,      /* what an earlier shrink left is removed */
    NI_SHRINK_COPIED,       /* the copy is in the sibling directory, on disk */
    NI_SHRINK_NEW_LOCKED,   /* the copy's writer lock is held too */
    NI_SHRINK_EXCHANGE,     /* about to exchange the directories */
    NI_SHRINK_SWAPPED,      /* exchanged */
    NI_SHRINK_SYNCED,       /* the exchange is on disk */
    NI_SHRINK_RELEASED,     /* both writer locks are let go */
    NI_SHRINK_REMOVED,      /* the old index is removed */
    NI_SHRINK_STEPS
};

/* For tests: called at each step; a nonzero return is taken as that
 * step's system call failing with that errno (at NI_SHRINK_EXCHANGE: the
 * exchange; at NI_SHRINK_SYNCED: the directory's sync). */
extern int (*ni_shrink_hook)(enum ni_shrink_step step);

/*
 * Puts a compacted copy of the committed index of s in place of its
 * directory and moves s over to it (see ni_index_shrink).  No transaction
 * of s may be open in this thread.  Fills *out.
 */
int ni_shrink(ni_store *s, ni_shrink_info *out, ni_progress_fn fn, void *payload);

#endif
