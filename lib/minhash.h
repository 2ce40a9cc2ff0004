/*
 * minhash.h - the near-duplicate signature of a document (minhash.c): a
 * b-bit MinHash over the word 3-shingles of its normalised words, and the
 * Jaccard similarity two signatures estimate.  Pure computation: no I/O,
 * no global state.  Where signatures are stored: layout.h (ni_sig_*);
 * how a search folds near copies: collapse.h.
 */
#ifndef NI_MINHASH_H
#define NI_MINHASH_H

#include <stddef.h>
#include <stdint.h>

/* NI_SIG_K minima, each kept as its low NI_SIG_BITS bits, packed two to a
 * byte (minimum i in the low nibble of byte i / 2 when i is even).  Chosen
 * by measuring (bench/README.md, "Near-duplicates"): 32 bytes a document,
 * a standard error of about 0.07 at Jaccard 0.5. */
#define NI_SIG_K 64
#define NI_SIG_BITS 4
#define NI_SIG_BYTES (NI_SIG_K * NI_SIG_BITS / 8)

/* Signatures whose estimated Jaccard similarity is at least this are near
 * copies (collapse.c, ni_minhash_near); chosen on the judged pairs of
 * bench/dedup/. */
#define NI_SIG_NEAR 0.5

/* The signature of a document without words: no document is near it. */
#define NI_SIG_NONE_BYTE 0xff

/* A signature being built: the hashes of the last two words and the
 * minima so far.  Zeroed memory is not a start: call ni_minhash_start. */
typedef struct ni_minhash {
    uint64_t prev[2];          /* hashes of the two words before, older first */
    uint64_t nwords;
    uint64_t mul[NI_SIG_K], add[NI_SIG_K]; /* the hash functions (fixed) */
    uint32_t min[NI_SIG_K];
} ni_minhash;

void ni_minhash_start(ni_minhash *m);
/* Adds the next word (its normalised bytes) of the document. */
void ni_minhash_word(ni_minhash *m, const char *w, size_t len);
/* The signature of the words added since ni_minhash_start: the minima
 * over their 3-shingles, or over the one shingle of all of them when
 * there are fewer than three; NI_SIG_NONE_BYTE bytes when there are none. */
void ni_minhash_finish(const ni_minhash *m, unsigned char sig[NI_SIG_BYTES]);

/* Fills sig with the signature of no words. */
void ni_minhash_none(unsigned char sig[NI_SIG_BYTES]);
/* 1 when sig is the signature of no words. */
int ni_minhash_is_none(const unsigned char *sig);

/* The Jaccard similarity of the two documents' shingle sets that their
 * signatures estimate, in [0, 1]: the share of equal minima, corrected for
 * the 1 in 2^NI_SIG_BITS that agree by chance.  0 when either is none. */
double ni_minhash_similarity(const unsigned char *a, const unsigned char *b);

/* 1 when a and b are near copies: similarity >= NI_SIG_NEAR.  Compares
 * the count of equal minima with a precomputed bound (no division). */
int ni_minhash_near(const unsigned char *a, const unsigned char *b);

#endif
