/*
 * layout.h - the tables of an index and the codecs of their values
 * (layout.c, where the on-disk format is documented): the format version,
 * meta statistics, lexicon values with pruning bounds, docinfo entries,
 * posting keys, the compression dictionary and stored records in parts.
 * Pure codecs and single-table reads and writes through store.h; no
 * analysis, no caches.
 */
#ifndef NI_LAYOUT_H
#define NI_LAYOUT_H

#include "buf.h"
#include "postings.h"
#include "store.h"

#define NI_FORMAT_VERSION 8
#define NI_FORMAT_OLDEST 8   /* version 7 seals values with another hash
                                (store.c); 6 has no signatures (table sigs),
                                no checksums of stored records nor seals of
                                values, keeps no UTC offset nor date-only
                                mark with a stored document's date (record.c)
                                nor the newest date (meta "newest"); 5 has
                                the words tables or the lead, not both; 4
                                neither; 3 no name keys (analysis 1): such an
                                index must be built again */

/* NI_BODY_GAP (the gap between title and body positions): postings.h */

#define NI_MAX_ID_BYTES 400
/* documents per docinfo value: 254 entries and the value's 4-byte seal
 * (store.c) fill one 4 KiB LMDB overflow page (16-byte header + 4,080
 * bytes); 255 (format 6, no seal) would take two, 128 left half empty */
#define NI_DOCINFO_CHUNK 254
#define NI_DOCINFO_ENTRY 16         /* bytes per document in it */
#define NI_DELETED UINT32_MAX       /* title length of a deleted document */

/* meta "stats" value: five little-endian u64. */
typedef struct ni_meta {
    uint64_t docs;       /* live documents */
    uint64_t deleted;    /* documents deleted since the last compaction
                            (commits may have reclaimed their postings) */
    uint64_t next_doc;   /* next internal id */
    uint64_t sum_title;  /* sum of live title lengths */
    uint64_t sum_body;   /* sum of live body lengths */
} ni_meta;

/* terms value: df (live documents with the term), postings (documents in
 * the posting blocks, deleted ones included), cf (live occurrences), and
 * bounds over all its postings for dynamic pruning: the largest title and
 * body frequencies and the smallest title and body lengths.  A term with
 * few postings keeps its one block in the value itself (block, block_len;
 * NULL when its blocks are in the postings table); then the bounds are the
 * block's. */
typedef struct ni_term_info {
    uint32_t df;
    uint32_t postings;
    uint64_t cf;
    uint32_t max_tf_title, max_tf_body;
    uint32_t min_len_title, min_len_body;
    const unsigned char *block;
    size_t block_len;
} ni_term_info;

/* Largest encoded block kept in a lexicon value. */
#define NI_INLINE_MAX 256
/* Room for any encoded lexicon value. */
#define NI_TERM_INFO_MAX (1 + 7 * 10 + NI_INLINE_MAX)
/* 0 or NI_ECORRUPT; out->block points into p. */
int ni_term_info_decode(ni_term_info *out, const unsigned char *p, size_t len);
/* ni_term_info_decode without cf (0), reading only the header of an inline
 * block (its entries are checked when a search decodes them). */
int ni_term_info_decode_bounds(ni_term_info *out, const unsigned char *p, size_t len);
/* Encodes ti into p (NI_TERM_INFO_MAX bytes); returns the length. */
size_t ni_term_info_encode(unsigned char *p, const ni_term_info *ti);

/* One docinfo entry. */
typedef struct ni_docinfo {
    uint32_t len_title;  /* NI_DELETED when deleted */
    uint32_t len_body;
    int64_t date;
    /* set by searches only (ni_match_docinfo): the BM25F length
     * normalisations of the document, inverted (see rank.h) */
    double inv_title, inv_body;
} ni_docinfo;

int ni_meta_read(ni_txn *t, ni_meta *m);
int ni_meta_write(ni_txn *t, const ni_meta *m);
/* The meta "newest" date: the newest date of any document added
 * (NI_DATE_NONE when none had one); ni_newest_note raises it to date
 * when date is newer (NI_DATE_NONE leaves it). */
int ni_newest_read(ni_txn *t, int64_t *out);
int ni_newest_note(ni_txn *t, int64_t date);
int ni_term_info_read(ni_txn *t, const char *term, size_t len, ni_term_info *out);
/* ni_term_info_read without cf (0): what a search needs, without
 * decoding an inline block to count its occurrences. */
int ni_term_info_read_bounds(ni_txn *t, const char *term, size_t len, ni_term_info *out);
/* Puts ti (its block may point into the table: it is copied first);
 * append: the term sorts after every term of the table. */
int ni_term_info_write(ni_txn *t, const char *term, size_t len, const ni_term_info *ti,
                       int append);
/* The same through a cursor of the terms table (ni_cursor_put), for a ti
 * whose inline block, if it has one, the caller encoded from block_docs
 * documents with block_cf occurrences in all: the value is the same,
 * without decoding the block again to count them. */
int ni_term_info_put(ni_cursor *c, const char *term, size_t len, const ni_term_info *ti,
                     int append, uint32_t block_docs, uint64_t block_cf);
/* One entry of a docinfo chunk (NI_DOCINFO_ENTRY bytes: le32 len_title,
 * le32 len_body, le64 date); the inverted norms are left at 1.  Inline:
 * searches read one per candidate. */
static inline void ni_docinfo_decode(const unsigned char *p, ni_docinfo *out)
{
    out->len_title = ni_get_le32(p);
    out->len_body = ni_get_le32(p + 4);
    out->date = (int64_t)ni_get_le64(p + 8);
    out->inv_title = out->inv_body = 1.0;
}
void ni_docinfo_encode(unsigned char *p, const ni_docinfo *di);
int ni_docinfo_get(ni_txn *t, uint32_t doc, ni_docinfo *out); /* NI_ENOTFOUND */

/* The internal number of the document with external id in t's snapshot:
 * 0, NI_ENOTFOUND "no document with id '...'" (the id cut to 200 bytes),
 * NI_ECORRUPT for an entry that is not 4 bytes, or a read error. */
int ni_id_get(ni_txn *t, const char *id, size_t id_len, uint32_t *doc);
/* Sets doc's entry, in its chunk (made, or lengthened, when shorter). */
int ni_docinfo_put(ni_txn *t, uint32_t doc, const ni_docinfo *di);
/* Near-duplicate signatures (minhash.h), NI_SIG_CHUNK documents a value
 * of the sigs table.  ni_sig_get gives NI_ENOTFOUND for a document
 * without one (past the end of its chunk); *out points into the snapshot
 * (NI_SIG_BYTES bytes). */
#define NI_SIG_CHUNK 127            /* 127 * 32 bytes fill one 4 KiB overflow page */
int ni_sig_get(ni_txn *t, uint32_t doc, const unsigned char **out);
/* Sets doc's signature, in its chunk (made, or lengthened, when shorter;
 * the documents it skips get the signature of no words). */
int ni_sig_put(ni_txn *t, uint32_t doc, const unsigned char *sig);

/* The meta "dict" value: the compression dictionary of stored records.
 * NI_ENOTFOUND when the index has none (yet). */
int ni_dict_read(ni_txn *t, ni_val *out);
int ni_dict_write(ni_txn *t, const unsigned char *bytes, size_t len);

/* The stored record of a live document (layout.c: a large one is kept in
 * parts): ni_stored_get gives all of it, in the snapshot or, when it has
 * parts, gathered in buf; ni_stored_head only its first part, which holds
 * the plain head (id, date; ni_record_decode_head).  Both give NI_ECORRUPT
 * when the record is missing. */
int ni_stored_get(ni_txn *t, uint32_t doc, ni_buf *buf, ni_val *out);
int ni_stored_head(ni_txn *t, uint32_t doc, ni_val *out);
/* Appends doc's record (doc past every stored one) / deletes it. */
int ni_stored_put(ni_txn *t, uint32_t doc, const unsigned char *rec, size_t len);
int ni_stored_del(ni_txn *t, uint32_t doc);
/* Counts the stored records, checking that every part follows its
 * record's full head or full previous part (NI_ECORRUPT otherwise). */
int ni_stored_count(ni_txn *t, uint64_t *out);

/* Posting keys: term, 0x00, big-endian last doc id of the block. */
/* Terms longer than this (compounds of long words) are not indexed. */
#define NI_MAX_TERM_BYTES (NI_MAX_WORD_BYTES * 2)
#define NI_POSTING_KEY_MAX (NI_MAX_WORD_BYTES * 2 + 5)
size_t ni_posting_key(unsigned char *key, const char *term, size_t len, uint32_t doc);

#endif
