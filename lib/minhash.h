/*
 * minhash.h - the near-duplicate signature of a document (minhash.c): a
 * b-bit MinHash over the word 3-shingles of its normalised words, with
 * the count of those shingles, a filter of its numbers and its day; the
 * similarity two signatures estimate and whether they are near copies.  Pure computation: no I/O,
 * no global state.  Where signatures are stored: layout.h (ni_sig_*);
 * how a search folds near copies: collapse.h.
 */
#ifndef NI_MINHASH_H
#define NI_MINHASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * A signature is NI_SIG_BYTES bytes (index format 8):
 *
 *   0..31   NI_SIG_K minima, each kept as its low NI_SIG_BITS bits, packed
 *           two to a byte (minimum i in the low nibble of byte i / 2 when
 *           i is even): 32 bytes, a standard error of about 0.07 at
 *           Jaccard 0.5 (bench/README.md, "Near-duplicates")
 *   32..39  le64: the numbers of the document (words of ASCII digits only)
 *           as a Bloom filter, two bits a number
 *   40..41  le16: how many distinct shingles it has (estimated by linear
 *           counting in 4096 bits; 65535 when more, or too many to tell)
 *   42..43  le16: its date's day, days since 1970-01-01 UTC; 65535 when it
 *           has no date or one outside 1970 .. 2149
 *
 * The signature of a document without words is NI_SIG_BYTES bytes
 * NI_SIG_NONE_BYTE.
 */
#define NI_SIG_K 64
#define NI_SIG_BITS 4
#define NI_SIG_MIN_BYTES (NI_SIG_K * NI_SIG_BITS / 8)
#define NI_SIG_NUM_OFF NI_SIG_MIN_BYTES
#define NI_SIG_SIZE_OFF (NI_SIG_NUM_OFF + 8)
#define NI_SIG_DAY_OFF (NI_SIG_SIZE_OFF + 2)
#define NI_SIG_BYTES (NI_SIG_DAY_OFF + 2)
#define NI_SIG_NO_DAY 0xffffu

/* When two signatures are near copies (ni_minhash_near; chosen on one
 * half of the judged pairs of bench/dedup/ and on a reading of what the
 * search folds, bench/README.md):
 * - the numbers of one are among those of the other (as their filters
 *   tell: a number may slip through, none is refused wrongly);
 * - within NI_SIG_DAYS days of each other (or either undated), the
 *   estimated Jaccard similarity is at least NI_SIG_FLOOR and the
 *   estimated containment of the smaller shingle set in the other,
 *   |A & B| / min(|A|, |B|), at least NI_SIG_NEAR.  Containment, not
 *   Jaccard: a short repost whose footer is as long as its news shares
 *   most of its news with the original but few of its shingles;
 * - further apart, the numbers are the same (equal filters), the Jaccard
 *   similarity is at least NI_SIG_FAR and each has NI_SIG_FAR_MIN
 *   shingles or more: the same template on another day, a channel's
 *   short post in its long footer, a short text said again ("в Москве
 *   пробки 8 баллов") is another story, a text posted again is not. */
#define NI_SIG_NEAR 0.4
#define NI_SIG_FLOOR 0.2
#define NI_SIG_DAYS 5
#define NI_SIG_FAR 0.5
#define NI_SIG_FAR_MIN 50

/* The byte of the signature of a document without words: no document is
 * near it. */
#define NI_SIG_NONE_BYTE 0xff

/* A signature being built: the hashes of the last two words, the minima
 * so far, the numbers' filter and the bitmap counting distinct shingles.
 * Zeroed memory is not a start: call ni_minhash_start. */
typedef struct ni_minhash {
    uint64_t prev[2];          /* hashes of the two words before, older first */
    uint64_t nwords;
    uint64_t numbers;          /* Bloom filter of the numbers */
    uint64_t mul[NI_SIG_K], add[NI_SIG_K]; /* the hash functions (fixed) */
    uint32_t min[NI_SIG_K];
    uint64_t seen[64];         /* 4096 bits: linear counting of shingles */
} ni_minhash;

void ni_minhash_start(ni_minhash *m);
/* Adds the next word (its normalised bytes) of the document. */
void ni_minhash_word(ni_minhash *m, const char *w, size_t len);
/* The signature of the words added since ni_minhash_start, for a
 * document of that date (UTC seconds, or NI_DATE_NONE): the minima over
 * their 3-shingles, or over the one shingle of all of them when there are
 * fewer than three; NI_SIG_NONE_BYTE bytes when there are none. */
void ni_minhash_finish(const ni_minhash *m, int64_t date, unsigned char sig[NI_SIG_BYTES]);

/* Fills sig with the signature of no words. */
void ni_minhash_none(unsigned char sig[NI_SIG_BYTES]);
/* 1 when sig is the signature of no words. */
int ni_minhash_is_none(const unsigned char *sig);

/* The Jaccard similarity of the two documents' shingle sets that their
 * signatures estimate, in [0, 1]: the share of equal minima, corrected for
 * the 1 in 2^NI_SIG_BITS that agree by chance.  0 when either is none. */
double ni_minhash_similarity(const unsigned char *a, const unsigned char *b);

/* The share of the smaller shingle set that is in the other, estimated
 * from the similarity and the two sets' sizes: J (|A| + |B|) / ((1 + J)
 * min(|A|, |B|)), at most 1.  0 when either is none. */
double ni_minhash_containment(const unsigned char *a, const unsigned char *b);

/* 1 when the numbers of one signature's document are among those of the
 * other's (as far as their filters tell). */
int ni_minhash_numbers_fit(const unsigned char *a, const unsigned char *b);

/* The day stored in sig (NI_SIG_NO_DAY when none), and its count of
 * distinct shingles. */
unsigned ni_minhash_day(const unsigned char *sig);
unsigned ni_minhash_shingles(const unsigned char *sig);

/* 1 when a and b are near copies by the rules above NI_SIG_NEAR. */
int ni_minhash_near(const unsigned char *a, const unsigned char *b);

#endif
