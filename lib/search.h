/*
 * search.h - running a query (search.c): from the parsed query to
 * matchers, top-k evaluation and the hits with their stored fields and
 * snippets (the public ni_hits_* functions are there too).
 */
#ifndef NI_SEARCH_H
#define NI_SEARCH_H

#include "index.h"

/* ni_search with opts already checked and defaulted. */
int ni_search_run(ni_hits **out, ni_index *idx, const char *query, size_t len,
                  const ni_search_options *opts);

/* For tests: posting blocks a search read only the header of, and runs of
 * documents it ruled out by block bounds (what pruning saved). */
void ni_hits_pruning(const ni_hits *h, uint64_t *headers_only, uint64_t *windows);

#endif
