/*
 * postings.h - the posting-block codec: a pure encoder/decoder of blocks of
 * up to NI_BLOCK_DOCS documents of one term.  No I/O, no global state.
 * The byte format is documented at the top of postings.c.
 *
 * A block lists documents in increasing internal id with, for each, the
 * term frequency in the title and in the body and the word positions
 * (title occurrences first, then body occurrences, each group ascending;
 * body positions are larger than title positions).  Its header carries what
 * dynamic pruning needs to bound the BM25F contribution of any document in
 * the block without decoding it: the largest title and body frequencies and
 * the smallest title and body lengths, and whether any document has the
 * term in its lead.
 */
#ifndef NI_POSTINGS_H
#define NI_POSTINGS_H

#include "buf.h"

#define NI_BLOCK_DOCS 128

/* Title positions start at 0; body positions start this far after the
 * title's last one, so phrases and NEAR never join title and body (and a
 * block stores body positions less this). */
#define NI_BODY_GAP 100

/* The lead of a document: the first this many positions of its body, where
 * news says what its headline says.  A block marks the documents whose
 * term occurs there (ni_block_lead); ranking weighs it (rank.h). */
#define NI_LEAD_POSITIONS 25

/* Input to the encoder: one document's postings of the term. */
typedef struct ni_posting {
    uint32_t doc;
    uint32_t tf_title;
    uint32_t tf_body;
    uint32_t len_title;      /* the document's title length (for the bound) */
    uint32_t len_body;       /* the document's body length (for the bound) */
    const uint32_t *pos;     /* tf_title + tf_body positions */
    uint32_t lead;           /* 1: a body occurrence in the lead (ni_posting_lead) */
} ni_posting;

/* 1 when the first of tf_body body positions pos[0..) of a document whose
 * title has len_title positions lies in the lead (NI_LEAD_POSITIONS). */
static inline uint32_t ni_posting_lead(const uint32_t *pos, uint32_t tf_body,
                                       uint32_t len_title)
{
    return tf_body > 0 &&
           (uint64_t)pos[0] < (uint64_t)len_title + NI_BODY_GAP + NI_LEAD_POSITIONS;
}

/* A decoded block.  Pointers refer into the encoded bytes given to
 * ni_block_decode, which must outlive the block. */
typedef struct ni_block {
    uint32_t ndocs;
    uint32_t first_doc, last_doc;
    uint32_t max_tf_title, max_tf_body;
    uint32_t min_len_title, min_len_body;
    uint32_t max_lead;       /* 1: some document has the term in its lead */
    uint32_t docs[NI_BLOCK_DOCS];
    uint32_t tf_title[NI_BLOCK_DOCS];
    uint32_t tf_body[NI_BLOCK_DOCS];
    uint32_t ndec;           /* docs[], tf_*[] hold the first ndec entries */
    /* private: decoding state */
    const unsigned char *lead;     /* the lead bitmap, NULL when max_lead is 0 */
    const unsigned char *docsec, *docsec_end;
    const unsigned char *dec_cur;  /* the entry of document ndec */
    const unsigned char *pos_base, *pos_end, *pos_cur;
    uint32_t pos_doc;        /* index of the doc whose positions start at pos_cur */
} ni_block;

/*
 * Appends the encoding of postings p[0..n) (1 <= n <= NI_BLOCK_DOCS, docs
 * strictly increasing, tf_title + tf_body >= 1, positions as described above)
 * to out.  Returns 0, NI_ENOMEM, or NI_EINVAL when the input breaks those
 * rules.
 */
int ni_block_encode(ni_buf *out, const ni_posting *p, size_t n);

/*
 * Reads the header of the block data[0..len): ndocs, first/last doc and the
 * bounds; cheap (no per-document work).  The docs, frequencies and
 * positions are decoded on demand by ni_block_decode_docs and
 * ni_block_positions.  Returns 0 or NI_ECORRUPT (with a message) when the
 * bytes are not a valid block.
 */
int ni_block_open(ni_block *b, const unsigned char *data, size_t len);

/* Decodes docs[], tf_title[], tf_body[] of an opened block.  0 or NI_ECORRUPT. */
int ni_block_decode_docs(ni_block *b);

/* Decodes the entries of an opened block up to the first document >= target
 * (all when none is), at least through index from, and sets *index to that
 * document's index (ndocs when there is none).  Entries are decoded once,
 * in order, so a block probed at increasing targets is decoded only as far
 * as the probes went.  0 or NI_ECORRUPT. */
int ni_block_seek(ni_block *b, uint32_t from, uint32_t target, uint32_t *index);

/* 1 when document i of the block has the term in its lead. */
static inline uint32_t ni_block_lead(const ni_block *b, uint32_t i)
{
    return b->lead ? (uint32_t)(b->lead[i >> 3] >> (i & 7)) & 1u : 0;
}

/*
 * Decodes the tf_title[i] + tf_body[i] positions of document i (i < ndec:
 * after ni_block_decode_docs or ni_block_seek) into pos (which has room for cap entries; cap must
 * be at least that many).  Fastest when i is asked for in increasing order.
 * 0, NI_EINVAL (cap too small) or NI_ECORRUPT.
 */
int ni_block_positions(ni_block *b, uint32_t i, uint32_t *pos, uint32_t cap);

#endif
