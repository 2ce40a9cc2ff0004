/*
 * writer.h - adding, replacing and deleting documents of an index
 * (writer.c): a batch in memory, flushed into a write transaction that
 * ni_writer_commit commits, and compaction.  One writer per handle, made
 * by the first write.
 */
#ifndef NI_WRITER_H
#define NI_WRITER_H

#include "store.h"

typedef struct ni_writer ni_writer;

/* A writer of the index in store, analysing on threads threads (see
 * ni_open_options.threads) and flushing a batch when it outgrows
 * memory_budget bytes. */
int ni_writer_new(ni_writer **out, ni_store *store, unsigned threads, size_t memory_budget,
                  unsigned reclaim_percent);
void ni_writer_free(ni_writer *w);
int ni_writer_add(ni_writer *w, const ni_doc *doc);
int ni_writer_delete(ni_writer *w, const char *id, size_t len);
int ni_writer_commit(ni_writer *w);
int ni_writer_compact(ni_writer *w);

#endif
