/*
 * copy.h - a compacted copy of an index (copy.c).
 */
#ifndef NI_COPY_H
#define NI_COPY_H

#include "store.h"

/* Writes the committed state of src, table by table in key order, into a
 * new index in directory path (see ni_index_copy). */
int ni_copy_index(ni_store *src, const char *path);

#endif
