/*
 * nohits.h - why a query found nothing (nohits.c), in words for the
 * reader: which of its words the index does not know, which filter
 * excludes every document (a rubric the index has not, listing those it
 * has; dates outside the index's span), or that a lower-case "or" was read
 * as a word.  Run only when a search found no document, so its cost (a
 * pass over the docinfo table for dates) never falls on one that did.
 */
#ifndef NI_NOHITS_H
#define NI_NOHITS_H

#include "match.h"
#include "query.h"

#define NI_NOHITS_RUBRICS 12      /* rubrics listed at most */

/*
 * Writes the reasons tree (of the query as searched) found nothing into
 * out, as one line of text: "«A» matches nothing in the index", "no
 * rubric «x» (rubrics: a, b, ...)", "no document is dated 2030 (the index
 * spans 2019-01-05 .. 2024-12-30)", "«or» was read as a word (for either
 * word write OR)", joined by "; ", or "no document matches the whole query"
 * when none of those applies.  an in query mode.  Words under NOT are not
 * looked at, nor those rescued (rescued may be NULL).
 */
/* Whether the query rescue searched the word at text (of a query node) as
 * other words: then it is not said to match nothing. */
typedef int (*ni_nohits_rescued_fn)(void *arg, const char *text);

int ni_nohits_explain(ni_buf *out, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *tree,
                      ni_nohits_rescued_fn rescued, void *arg);

#endif
