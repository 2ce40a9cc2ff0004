/*
 * nearcopy.h - whether two documents of a snapshot are near copies
 * (nearcopy.c): the Jaccard similarity of their word 3-shingle sets is at
 * least NI_NEAR_NUM / NI_NEAR_DEN.  Their signatures (minhash.h) decide
 * when the estimate is far from that; in between, the two exact shingle
 * sets are made from the stored title and text and compared.  What a
 * search folds by (collapse.h) and `nsearch similar` lists first.
 */
#ifndef NI_NEARCOPY_H
#define NI_NEARCOPY_H

#include <stddef.h>
#include <stdint.h>

#include "index.h"

/* Near copies share at least 0.55 of their shingles (intersection over
 * union).  Above the 0.5 that bench/dedup's check allows a fold at: our
 * words (the analyzer's: a hyphenated compound or a decimal number is one
 * word) put a pair's similarity up to 0.04 away from the check's, whose
 * words are runs of letters and digits (bench/README.md, "Near-duplicates"). */
#define NI_NEAR_NUM 11
#define NI_NEAR_DEN 20

/* A search reads and analyses at most this many documents (each is 0.05
 * to 0.2 ms); past that, an unsure pair is a near copy when its estimate
 * is at least NI_NEAR_GUESS.  Few searches get there: 3 of the 900 queries
 * of bench/dedup's check (seeds 1-6), among posts under long footers. */
#define NI_NEAR_READS 16
#define NI_NEAR_GUESS 0.6

/* A document's shingle set: the sorted distinct hashes (ni_shingler) of
 * the word 3-shingles of its title and text. */
typedef struct ni_shingle_set {
    uint32_t doc;
    uint64_t *h;
    size_t n;
} ni_shingle_set;

/* Near-copy tests over one snapshot, with the shingle sets made so far
 * (each document's once; an analyzer is borrowed from rd->idx for each).
 * Initialise with ni_nearcopy_init, release with ni_nearcopy_release. */
typedef struct ni_nearcopy {
    ni_doc_reader *rd;         /* borrowed: reads the stored text */
    ni_shingle_set *sets;
    size_t nsets, capsets;
    size_t max_sets;           /* NI_NEAR_READS (tests lower it) */
    uint64_t tests, exact;     /* pairs tested; of them, compared exactly */
    uint64_t guessed;          /* unsure pairs decided by NI_NEAR_GUESS */
} ni_nearcopy;

void ni_nearcopy_init(ni_nearcopy *nc, ni_doc_reader *rd);
/* Frees the sets; nc may be initialised again. */
void ni_nearcopy_release(ni_nearcopy *nc);

/*
 * 1 when documents a and b are near copies, 0 when not, <0 on error (a
 * stored record missing or damaged: NI_ECORRUPT; NI_ENOMEM).  sa and sb
 * are their signatures, neither none (ni_minhash_is_none).  Reads and
 * analyses a and b (once each for nc's life) only when ni_minhash_compare
 * is unsure and nc->max_sets allows.
 */
int ni_nearcopy_test(ni_nearcopy *nc, uint32_t a, const unsigned char *sa, uint32_t b,
                     const unsigned char *sb);

/*
 * The shingle set of d's title and text, with the words, positions and
 * hashes indexing gives its signature (invert.c): ni_minhash_of_set of
 * the set is d's signature.  *out (the caller's, ni_mem_free) is NULL
 * when d has no words.  0 or <0 on error.
 */
int ni_shingles_of_doc(uint64_t **out, size_t *n, ni_analyzer *an, const ni_doc *d);

/* 1 when the sorted distinct sets a and b have a Jaccard similarity of at
 * least NI_NEAR_NUM / NI_NEAR_DEN (0 when either is empty). */
int ni_shingles_near(const uint64_t *a, size_t na, const uint64_t *b, size_t nb);

#endif
