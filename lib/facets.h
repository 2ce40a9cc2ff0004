/*
 * facets.h - counts of a query's matches by rubric and by date bucket
 * (facets.c): the spec parser ("rubric,date:month"), and the count over
 * every document a matcher matches, enumerated whole (no pruning, no
 * scoring), with what the public ni_facets result holds.  Which matcher is
 * counted is the caller's (ni_search_rebuild for a search's full matches,
 * ni_match_all for the whole index).
 */
#ifndef NI_FACETS_H
#define NI_FACETS_H

#include "index.h"
#include "match.h"

/* What one facet counts by. */
typedef enum {
    NI_FACET_RUBRIC,     /* the rubric (its indexed term, shown as stored) */
    NI_FACET_DAY,        /* the date's day, "YYYY-MM-DD" */
    NI_FACET_MONTH,      /* its month, "YYYY-MM" */
    NI_FACET_YEAR        /* its year, "YYYY" */
} ni_facet_kind;

#define NI_FACETS_MAX 4  /* one of each kind */

/* A parsed spec: the facets asked for, in the order given. */
typedef struct ni_facet_spec {
    ni_facet_kind kind[NI_FACETS_MAX];
    size_t n;
} ni_facet_spec;

/*
 * Parses spec[0..len): facet names separated by commas, spaces around
 * them ignored: "rubric", "date:day", "date:month", "date:year".  Returns 0,
 * or NI_EINVAL with a message naming the bad part (empty spec or item,
 * unknown facet, bad date bucket, a facet given twice).  Pure: no I/O, no
 * allocation.
 */
int ni_facets_parse(ni_facet_spec *out, const char *spec, size_t len);

/* The spec name of a facet kind ("rubric", "date:month", ...). */
const char *ni_facet_name(ni_facet_kind kind);

/*
 * Counts the documents root matches (live ones: deleted documents are
 * skipped through ni_match_docinfo) into a new *out by spec, reading
 * rubric terms and docinfo through c and the shown spelling of each rubric
 * through rd (of the same snapshot).  root (may be NULL: nothing matches)
 * is stepped to its end.  Free *out with ni_facets_free.
 */
int ni_facets_compute(ni_facets **out, ni_match_ctx *c, ni_doc_reader *rd, ni_matcher *root,
                    const ni_facet_spec *spec);

#endif
