/*
 * similar.h - the articles like a document (similar.c, ni_similar): its
 * near copies, then the documents that best match its most distinctive
 * words.  Builds on search.c (the words searched as an OR query) and the
 * signatures (minhash.h).
 */
#ifndef NI_SIMILAR_H
#define NI_SIMILAR_H

#include "index.h"

/* Words of the document searched for the articles like it. */
#define NI_SIMILAR_WORDS 12

/* ni_similar with its arguments checked (o not NULL). */
int ni_similar_run(ni_hits **out, ni_index *idx, const char *id, size_t id_len,
                   const ni_search_options *o);

#endif
