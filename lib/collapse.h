/*
 * collapse.h - folding near copies among the hits of a search
 * (collapse.c): each hit that is a near copy (nearcopy.h) of a
 * better-ranked hit is folded into it, and a page shows stories, not
 * documents.  search.c fetches candidates and calls ni_collapse_fold;
 * hits.c hands out the folded documents.
 */
#ifndef NI_COLLAPSE_H
#define NI_COLLAPSE_H

#include "index.h"
#include "nearcopy.h"
#include "store.h"
#include "topk.h"

/* The documents a search folded, story by story. */
typedef struct ni_collapse {
    ni_result *dup;            /* folded documents, by story, best first */
    size_t *start;             /* story s (0-based, counting the offset) has
                                  dup[start[s] .. start[s + 1]) */
    size_t nstories;           /* stories kept: the search's hits */
    uint64_t stories;          /* stories among the examined documents */
    uint64_t examined;         /* the first documents of the ranking looked at */
    int on;                    /* the search collapsed */
    ni_nearcopy nc;            /* the near-copy tests of all rounds: each
                                  document's text analysed once a search
                                  (nc.exact, nc.nsets: what that cost) */
} ni_collapse;

/* At most this many candidates beyond 4 * (offset + limit) are fetched to
 * fill a page with stories. */
#define NI_COLLAPSE_MAX_FETCH 4096

/* How many candidates to fetch next for want stories when fetched were
 * not enough (0: the first fetch): the first fetch is want + want / 2 + 5
 * (20 for a page of 10: most pages fold a few copies; 3 * want + 10 cost
 * 1.43 times the instructions of a search without collapsing, this 1.21:
 * bench/README.md), each next one 4 times the last, up to the cap above;
 * 0 when fetched is the cap already. */
size_t ni_collapse_fetch(size_t want, size_t fetched);

/*
 * Folds res[0..*nres), the first *nres documents of a ranking (full matches
 * before the partial ones, which start at *nstrict), in rank order: a
 * document that is a near copy (ni_nearcopy_test) of a story's first
 * document already met joins that story (the first such, in rank order),
 * any other starts a story.  Signatures and, where they are unsure, stored
 * text are read through rd (its snapshot).  So which documents start stories
 * depends only on the documents ranked above: fetching more never changes
 * the stories of an earlier page.
 *
 * Returns 1, changing nothing, when there are fewer than want stories and
 * more_possible (more candidates could be fetched).  Otherwise the first
 * want stories (or all there are) replace res: each story's first
 * document, with *nres and *nstrict counted in stories; their folded
 * documents go to cl; cl->stories and cl->examined count what was looked
 * at.  0, or <0 on error (NI_ENOMEM, or an error reading signatures or
 * stored records).
 */
int ni_collapse_fold(ni_collapse *cl, ni_doc_reader *rd, ni_result *res, size_t *nres,
                     size_t *nstrict, size_t want, int more_possible);

/* Frees what cl holds (the folded documents, the tests' shingle sets). */
void ni_collapse_free(ni_collapse *cl);

#endif
