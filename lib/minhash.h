/*
 * minhash.h - the near-duplicate signature of a document (minhash.c): a
 * b-bit MinHash over the word 3-shingles of its normalised words, and the
 * Jaccard similarity two signatures estimate; the shingles themselves,
 * hashed, for an exact comparison (nearcopy.h).  Pure computation: no I/O,
 * no global state.  Where signatures are stored: layout.h (ni_sig_*);
 * how a search folds near copies: nearcopy.h and collapse.h.
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
 * copies by the estimate alone (ni_minhash_near); chosen on the judged
 * pairs of bench/dedup/.  Searches decide by ni_minhash_compare and the
 * exact sets (nearcopy.h). */
#define NI_SIG_NEAR 0.5

/* Estimates from which ni_minhash_compare trusts the signatures: below
 * NI_SIG_APART_BELOW two documents are not near copies, from
 * NI_SIG_COPIES_FROM on they are; in between only their exact shingle sets
 * tell (nearcopy.h: Jaccard >= 0.55).  The share of equal minima has a
 * standard error of about 0.06 there: a pair of Jaccard 0.7 is estimated
 * below 0.35 six of them out (0.55: 3.3), one of 0.5 at 0.75 or more 3.8
 * out.  A wider band costs more reading (bench/README.md). */
#define NI_SIG_APART_BELOW 0.35
#define NI_SIG_COPIES_FROM 0.75

/* The signature of a document without words: no document is near it. */
#define NI_SIG_NONE_BYTE 0xff

/* The word 3-shingles of a sequence of words, each hashed to 64 bits: the
 * set the signature's minima are taken over.  Zeroed memory is a start. */
typedef struct ni_shingler {
    uint64_t prev[2];          /* hashes of the two words before, older first */
    uint64_t nwords;
} ni_shingler;

/* Adds the next word (its normalised bytes): 1 with the hash of the
 * shingle it ends in *out (from the third word on), else 0. */
int ni_shingler_word(ni_shingler *s, const char *w, size_t len, uint64_t *out);
/* After the last word: 1 with the hash of the one shingle of all the
 * words in *out when there were one or two, else 0 (none, or three or
 * more, whose shingles ni_shingler_word gave). */
int ni_shingler_end(const ni_shingler *s, uint64_t *out);

/* A signature being built: its shingles so far and their minima.  Zeroed
 * memory is not a start: call ni_minhash_start. */
typedef struct ni_minhash {
    ni_shingler sh;
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

/* The signature of the shingle set h[0..n) (hashes as ni_shingler gives
 * them, in any order, repeats allowed): what ni_minhash_word and
 * ni_minhash_finish give for the words the set came from. */
void ni_minhash_of_set(const uint64_t *h, size_t n, unsigned char sig[NI_SIG_BYTES]);

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

/* 1 when the estimate of a and b (neither none) is at least j, as a count
 * of equal minima. */
int ni_minhash_at_least(const unsigned char *a, const unsigned char *b, double j);

/* What two signatures tell of near copies (neither none):
 * NI_SIG_APART when the estimate is below NI_SIG_APART_BELOW,
 * NI_SIG_COPIES when it is NI_SIG_COPIES_FROM or more, else NI_SIG_UNSURE.
 * Compares counts of equal minima, as ni_minhash_near. */
enum { NI_SIG_APART, NI_SIG_UNSURE, NI_SIG_COPIES };
int ni_minhash_compare(const unsigned char *a, const unsigned char *b);

#endif
