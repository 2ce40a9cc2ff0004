/*
 * copy.h - a compacted copy of an index (copy.c).
 */
#ifndef NI_COPY_H
#define NI_COPY_H

#include "newsindex.h"
#include "store.h"

/* Writes the committed state of src, table by table in key order, into a
 * new index in directory path (see ni_index_copy).  fn, when not NULL, is
 * told the bytes copied so far of about the source's bytes in use, every
 * megabyte or so and once more at the end. */
int ni_copy_index(ni_store *src, const char *path, ni_progress_fn fn, void *payload);

#endif
