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
    unsigned reclaim_percent;        /* ni_open_options' (0: the default) */
    pthread_mutex_t write_lock;      /* guards writing: */
    pthread_cond_t write_turn;       /* signalled when writing ends */
    int writing;                     /* a write call has the writer's turn
                                        (ni_index_writer_lock) */
    ni_writer *writer;               /* made by the first write, freed at
                                        close; used by the call that has
                                        the turn */
    pthread_mutex_t pool_lock;       /* analyzers lent to searches */
    ni_analyzer *pool[8];
    int pool_count;
    ni_record_dict *dict;            /* committed compression dictionary, once
                                        read (never changes); under pool_lock */
    unsigned holds;                  /* calls in progress and ni_hits not yet
                                        freed; under pool_lock */
    int closing;                     /* closed; the last hold's release frees
                                        the handle.  Under pool_lock */
    struct ni_doc_name *names;       /* ni_index_name_*: under pool_lock */
    size_t nnames, capnames;
    ni_index *next_open;             /* the list of open handles (index.c) */
};

/*
 * Opens the index at path with opts (checked by the caller): the store,
 * then its format version (NI_EVERSION when this library cannot read it;
 * an older readable one becomes the current version when opened to write;
 * a new index gets the current version).  Free with ni_index_free.
 */
int ni_index_new(ni_index **out, const char *path, const ni_open_options *opts);
/* Frees the handle (its pool, dictionary and store; its writer is freed
 * at close) and takes it off the list of open handles; NULL is fine. */
void ni_index_free(ni_index *idx);

/*
 * Open handles and calls on them.  Every handle ni_index_new made is on a
 * process-wide list until it is freed, and the public calls look their
 * handle up there before they touch it: a handle closed and freed (or a
 * pointer that never was one) is NI_EINVAL without reading its memory,
 * as long as no new handle was given the same address.
 *
 * ni_index_enter looks idx up and counts the call as a hold: NI_EINVAL
 * (message naming fn) when idx is not an open handle or was closed.
 * ni_index_leave ends it.  ni_index_hold counts a cursor that reads the
 * index (a read transaction of its store) and ni_index_release uncounts
 * it, as ni_index_leave.  ni_index_close_handle closes idx: later calls
 * fail, the writer is freed (its uncommitted batch dropped) once the
 * write in progress, if any, returns, and the handle itself is freed with
 * the last hold, now or when the last cursor or call in progress ends
 * (what the cursors read stays valid until they are freed, as with
 * sqlite3_close_v2).  Closing a closed handle does nothing.
 */
int ni_index_enter(ni_index *idx, const char *fn);
void ni_index_leave(ni_index *idx);
void ni_index_hold(ni_index *idx);
void ni_index_release(ni_index *idx);
void ni_index_close_handle(ni_index *idx);

/*
 * The handle's writer, made by the first write, with the writer's turn:
 * one writing call at a time, whichever thread calls (searches do not
 * wait for it).  NI_EREADONLY for an index opened read-only, NI_EINVAL
 * when it was closed meanwhile.  ni_index_writer_unlock gives the turn
 * back.  A turn rather than a mutex held for the whole call: a thread may
 * wait for it while its open ni_hits hold the store's read lock, which
 * the writer in turn may wait for to grow the map; that wait is bounded
 * (store.c, GROW_WAIT_SECONDS: the commit then fails), so the cycle ends,
 * but a mutex held across it would be a lock-order inversion with the
 * store's rwlock.
 */
int ni_index_writer_lock(ni_index *idx, ni_writer **out);
void ni_index_writer_unlock(ni_index *idx);

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

/* ni_index_get and ni_index_stats, their arguments checked.  A document
 * read is freed with ni_index_doc_free, which refuses (NI_EINVAL in
 * ni_errmsg) one it freed already while the memory was not given out
 * again. */
int ni_index_read_doc(ni_doc **out, ni_index *idx, const char *id, size_t id_len);
void ni_index_doc_free(ni_doc *doc);
int ni_index_read_stats(ni_stats *out, ni_index *idx);

#endif
