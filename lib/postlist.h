/*
 * postlist.h - one term's posting list rewritten in memory, by the flush
 * (the batch's postings added after the term's last block) and by
 * compaction (deleted documents left out): blocks decoded into postings
 * with their positions, and postings encoded again into blocks, kept
 * inline in the lexicon value or put in the postings table.  Does not
 * read or write the lexicon: the caller does, with the ni_term_info
 * ni_postlist_store fills in.
 */
#ifndef NI_POSTLIST_H
#define NI_POSTLIST_H

#include "layout.h"

/* Postings post[0..n), in document order, and their positions (each
 * posting's pos points into pos).  Zeroed memory is an empty list. */
typedef struct ni_postlist {
    ni_posting *post;
    size_t n, cap_post;
    uint32_t *pos;
    size_t npos, cap_pos;
    ni_buf block;                   /* a block being encoded */
} ni_postlist;

static inline void ni_postlist_clear(ni_postlist *pl)
{
    pl->n = pl->npos = 0;
}
void ni_postlist_free(ni_postlist *pl);

/* Room for n more postings and npos more positions (the postings'
 * pointers follow the positions when they move).  NI_ENOMEM. */
int ni_postlist_reserve(ni_postlist *pl, size_t n, size_t npos);

/* The deleted documents of an index as a bitmap: doc d is deleted when
 * d < n and bit d of bits is set.  Zeroed memory is an empty set. */
typedef struct ni_deadset {
    unsigned char *bits;
    size_t n, cap;                  /* documents covered; bytes allocated */
} ni_deadset;

static inline int ni_deadset_has(const ni_deadset *d, uint32_t doc)
{
    return doc < d->n && (d->bits[doc >> 3] >> (doc & 7) & 1);
}
/* Reads the docinfo of documents 0..ndocs) in t into d (NI_ENOMEM,
 * NI_ECORRUPT for a chunk missing or short). */
int ni_deadset_load(ni_deadset *d, ni_txn *t, uint32_t ndocs);
/* Marks doc deleted (d must cover it). */
static inline void ni_deadset_add(ni_deadset *d, uint32_t doc)
{
    if (doc < d->n)
        d->bits[doc >> 3] |= (unsigned char)(1u << (doc & 7));
}
void ni_deadset_free(ni_deadset *d);

/*
 * Appends the postings of block data[0..len) (whose documents follow the
 * list's).  live NULL: all of them, with the block's smallest lengths as
 * theirs.  Otherwise only the documents live in live's docinfo, with their
 * lengths.  0, NI_ENOMEM or NI_ECORRUPT.
 */
int ni_postlist_add_block(ni_postlist *pl, const unsigned char *data, size_t len,
                          ni_txn *live);

/*
 * ni_postlist_add_block without docinfo reads: the postings of block
 * data[0..len) but those of the documents in dead, with the block's
 * smallest lengths as theirs (still bounds of the documents kept); adds
 * to *dropped the number left out.  0, NI_ENOMEM or NI_ECORRUPT.
 */
int ni_postlist_add_live(ni_postlist *pl, const unsigned char *data, size_t len,
                         const ni_deadset *dead, uint32_t *dropped);

/*
 * Stores the postings (n >= 1) of term, which follow every posting the
 * term has in the postings table: in one block inline in ti when the term
 * has no blocks in the table (in_table 0) and the block is at most
 * NI_INLINE_MAX bytes, otherwise as blocks of NI_BLOCK_DOCS documents in
 * the table, each appended when its key sorts after last (a table's last
 * key; NULL: never appended).  Sets ti->block (into pl->block, valid until
 * the list is used again); the caller writes ti.
 */
int ni_postlist_store(ni_postlist *pl, ni_txn *t, const char *term, size_t tlen,
                      int in_table, const ni_buf *last, ni_term_info *ti);

#endif
