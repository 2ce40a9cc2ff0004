/*
 * store.h - the LMDB environment behind an index, seen by the rest of the
 * library as a handful of tables of sorted byte keys.  Only store.c includes
 * <lmdb.h>; LMDB errors are translated to NI_* codes there.
 */
#ifndef NI_STORE_H
#define NI_STORE_H

#include "buf.h"

/* The tables of an index (LMDB named databases); the layout of each is
 * documented at the top of layout.c. */
enum ni_table {
    NI_T_META,
    NI_T_TERMS,
    NI_T_POSTINGS,
    NI_T_DOCS,
    NI_T_IDS,
    NI_T_DOCINFO,
    NI_T_WORDS,
    NI_T_TRANSLIT,
    NI_T_SIGS,
    NI_T_COUNT
};

typedef struct ni_store ni_store;
typedef struct ni_txn ni_txn;
typedef struct ni_cursor ni_cursor;

typedef struct ni_val {
    const unsigned char *data;
    size_t len;
} ni_val;

#define NI_STORE_READONLY 0x1u
/* Commits do not wait for the disk (MDB_NOSYNC): for a file that is made
 * durable with ni_store_sync before anyone relies on it (copy.c). */
#define NI_STORE_NOSYNC   0x2u

/* Opens (creating when allowed and absent) the environment in directory
 * path.  map_size 0 picks the file and headroom (space.h).  A create that
 * fails removes the directory and files it made (envdir.h). */
int ni_store_open(ni_store **out, const char *path, unsigned flags,
                  uint64_t map_size, int create);
void ni_store_close(ni_store *s);

/*
 * Begins a transaction.  Read transactions see a snapshot and may be used
 * from any thread (one at a time).  A write transaction excludes other
 * writers in every process until commit or abort.
 */
int ni_txn_begin(ni_txn **out, ni_store *s, int write);
int ni_txn_commit(ni_txn *t);       /* frees t, also on failure */
void ni_txn_abort(ni_txn *t);       /* frees t; NULL accepted */

/*
 * Grows the map to fit need bytes more than now in use: doubles it, or
 * less under an address-space limit (ni_space_grow_target).  Call only
 * with no transaction of this handle open in this thread; it waits for
 * other threads' transactions to end.  NI_EFULL when it cannot wait,
 * NI_ENOMEM when the address space has no room for the larger map.
 */
int ni_store_grow(ni_store *s, uint64_t need);

/* Grows the map (as ni_store_grow) when fewer than need bytes are free;
 * under an address-space limit need is capped (ni_space_want_free). */
int ni_store_reserve(ni_store *s, uint64_t need);

/* Values returned point into the map: valid until the transaction ends or
 * the next write to the same table. */
int ni_txn_get(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
               ni_val *val);                      /* 0 or NI_ENOTFOUND */
int ni_txn_put(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
               const void *val, size_t vlen);     /* NI_EFULL when full */
/* The same, for a key known to sort after every key of the table: LMDB
 * then fills pages completely instead of splitting them in half. */
int ni_txn_append(ni_txn *t, enum ni_table tb, const void *key, size_t klen,
                  const void *val, size_t vlen);
int ni_txn_del(ni_txn *t, enum ni_table tb, const void *key, size_t klen);
                                                  /* 0 or NI_ENOTFOUND */
/* Whether key sorts after last in the tables' order (bytes compared, a
 * prefix before its extensions); any key sorts after an empty last, as
 * after the last key of an empty table.  Keys that do can be appended. */
static inline int ni_store_key_after(const void *key, size_t len, const void *last,
                                     size_t last_len)
{
    size_t n = len < last_len ? len : last_len;
    int c;
    if (last_len == 0)
        return 1;
    c = memcmp(key, last, n);
    return c > 0 || (c == 0 && len > last_len);
}
/* Number of entries in a table. */
int ni_txn_count(ni_txn *t, enum ni_table tb, uint64_t *out);

/* The size of value under a key of klen bytes of which n (2 or more)
 * fill a leaf page exactly; 0 when none fits.  With n = 2, the largest
 * value LMDB keeps in a leaf page: larger ones take overflow pages of
 * their own, whose last page is on average half empty. */
size_t ni_txn_leaf_value(ni_txn *t, size_t klen, unsigned n);

/* Cursors: positioned on an entry, or past the end (then get returns
 * NI_DONE).  All return 0, NI_DONE when there is no such entry, or <0. */
int ni_cursor_open(ni_cursor **out, ni_txn *t, enum ni_table tb);
void ni_cursor_close(ni_cursor *c);
int ni_cursor_seek(ni_cursor *c, const void *key, size_t klen); /* first >= key */
int ni_cursor_first(ni_cursor *c);
int ni_cursor_last(ni_cursor *c);
int ni_cursor_next(ni_cursor *c);
int ni_cursor_prev(ni_cursor *c);
int ni_cursor_get(ni_cursor *c, ni_val *key, ni_val *val);
/* ni_txn_put (append 0) or ni_txn_append (append 1) through a cursor of
 * the table; the cursor is then on no entry (get gives NI_DONE).  Appends
 * through one cursor find the table's end without a search from its root. */
int ni_cursor_put(ni_cursor *c, const void *key, size_t klen, const void *val, size_t vlen,
                  int append);

/* Sizes for statistics. */
typedef struct ni_store_info {
    uint64_t used_bytes;  /* pages in use * page size */
    uint64_t file_bytes;
    uint64_t map_bytes;
} ni_store_info;
/* No transaction of s may be open in this thread (s's environment can
 * change between transactions: ni_store_follow); inside one, ni_txn_info. */
int ni_store_info_get(ni_store *s, ni_store_info *out);
int ni_txn_info(ni_txn *t, ni_store_info *out);

const char *ni_store_path(const ni_store *s);

/*
 * After a shrink put a compacted copy of the index in place of the one s
 * has open (shrink.c): opens the index now at its path and closes the old
 * one, waiting for this process's transactions to end (as
 * ni_store_grow).  0 also when s has the current one.  ni_txn_begin does
 * this by itself: a write transaction before it takes the writer lock,
 * a read transaction when no transaction of this process is open.
 */
int ni_store_follow(ni_store *s);

/* For tests: called by every open between taking the handle on the
 * directory and LMDB's open through it (a shrink may swap it then). */
extern void (*ni_store_attach_hook)(void);

/* The directory of s, absolute and without symbolic links. */
const char *ni_store_real_path(const ni_store *s);

/* Writes every committed page of the file to disk (fdatasync). */
int ni_store_sync(ni_store *s);

/* 1 when the last failure was MDB_MAP_FULL (then cleared). */
int ni_store_take_map_full(ni_store *s);

#endif
