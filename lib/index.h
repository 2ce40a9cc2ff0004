/*
 * index.h - the ni_index handle and its services (index.c): opening an
 * index with its format check, the pool of analyzers lent to searches, the
 * record codec with the index's compression dictionary, and reading stored
 * documents of a snapshot.  The public entry points (api.c) check their
 * arguments and call these, the writer or the search.
 */
#ifndef NI_INDEX_H
#define NI_INDEX_H

#include <pthread.h>

#include "buf.h"
#include "record.h"
#include "store.h"

typedef struct ni_writer ni_writer;

struct ni_index {
    ni_store *store;
    unsigned flags;
    size_t memory_budget;
    unsigned threads;                /* analysing added documents (pipeline.c) */
    ni_writer *writer;               /* made by the first write, freed at close
                                        (api.c) */
    pthread_mutex_t pool_lock;       /* analyzers lent to searches */
    ni_analyzer *pool[8];
    int pool_count;
    ni_record_dict *dict;            /* committed compression dictionary, once
                                        read (never changes); under pool_lock */
    unsigned open_cursors;           /* ni_hits not yet freed; under pool_lock */
    int closing;                     /* closed while some were open: the last
                                        one's free frees the handle */
    struct ni_doc_name *names;       /* ni_index_name_*: under pool_lock */
    size_t nnames, capnames;
};

/*
 * Opens the index at path with opts (checked by the caller): the store,
 * then its format version (NI_EVERSION when this library cannot read it;
 * an older readable one becomes the current version when opened to write;
 * a new index gets the current version).  Free with ni_index_free.
 */
int ni_index_new(ni_index **out, const char *path, const ni_open_options *opts);
/* Frees the handle (its pool, dictionary and store; its writer is the
 * caller's to free first); NULL is fine. */
void ni_index_free(ni_index *idx);

/*
 * Closing with cursors open: ni_index_hold counts a cursor that reads the
 * index (a read transaction of its store), ni_index_release uncounts it.
 * ni_index_close_or_defer frees the handle now, or, while some are open,
 * marks it closing and leaves it to the release of the last one: what the
 * cursors read stays valid until they are freed (as sqlite3_close_v2).
 */
void ni_index_hold(ni_index *idx);
void ni_index_release(ni_index *idx);
void ni_index_close_or_defer(ni_index *idx);

/* An analyzer lent from the index's pool (or a new one); give it back. */
int ni_index_borrow_analyzer(ni_index *idx, ni_analyzer **out);
void ni_index_return_analyzer(ni_index *idx, ni_analyzer *an);

/*
 * A small cache of one string per committed document, by internal id, for
 * the handle's life: what facets.c shows a rubric as, so that a rubric's
 * spelling is decompressed once, not by every query.  Internal ids are
 * never given twice and a committed document's stored fields never
 * change, so an entry never goes stale.  Thread-safe.  ni_index_name_get
 * appends doc's string to out: 1 when cached, 0 when not, <0 on error;
 * ni_index_name_put caches a copy (the cache is emptied when it holds
 * NI_INDEX_NAMES entries).
 */
#define NI_INDEX_NAMES 4096
int ni_index_name_get(ni_index *idx, uint32_t doc, ni_buf *out);
int ni_index_name_put(ni_index *idx, uint32_t doc, const char *s, size_t n);

/*
 * A record codec for reading stored records of t's snapshot (t: a read
 * transaction): with the index's dictionary when it has one, which is read
 * once and kept for the index's lifetime.  Free with ni_record_codec_free.
 */
int ni_index_record_codec(ni_record_codec **out, ni_index *idx, ni_txn *t);

/*
 * Reads stored documents of one snapshot (t, borrowed) of idx: the record
 * codec, made at the first full read, and the buffers a decoded document
 * points into.  Initialise with ni_doc_reader_init, release with
 * ni_doc_reader_release.
 */
typedef struct ni_doc_reader {
    ni_index *idx;
    ni_txn *t;
    ni_record_codec *codec;
    ni_buf raw;          /* a record in parts, gathered */
    ni_buf scratch;      /* decoded fields */
} ni_doc_reader;

void ni_doc_reader_init(ni_doc_reader *r, ni_index *idx, ni_txn *t);
void ni_doc_reader_release(ni_doc_reader *r);
/* All stored fields of live document doc; *out points into r until the
 * next read.  NI_ECORRUPT when its record is missing or damaged. */
int ni_doc_reader_get(ni_doc_reader *r, uint32_t doc, ni_doc *out);
/* Only the plain head of doc's record (id and date; the other fields are
 * left empty), without decompressing: what a list of hits shows first. */
int ni_doc_reader_head(ni_doc_reader *r, uint32_t doc, ni_doc *out);

/* ni_index_get and ni_index_stats, their arguments checked. */
int ni_index_read_doc(ni_doc **out, ni_index *idx, const char *id, size_t id_len);
int ni_index_read_stats(ni_stats *out, ni_index *idx);

#endif
