/*
 * explain.h - how one document fares with a query (explain.c): whether and
 * how it matches, what its score is made of, why it does not match.  The
 * public ni_explanation_* accessors are there too.
 */
#ifndef NI_EXPLAIN_H
#define NI_EXPLAIN_H

#include "index.h"

/* ni_explain with opts already checked and defaulted. */
int ni_explain_run(ni_explanation **out, ni_index *idx, const char *query, size_t len,
                   const char *id, size_t id_len, const ni_search_options *opts);

#endif
