/*
 * typo.h - typo candidates for a query word: the words of the surface-word
 * lexicon (words.h) within a small Damerau-Levenshtein distance of it, for
 * the query rescue to offer when the word as typed matches nothing.
 */
#ifndef NI_TYPO_H
#define NI_TYPO_H

#include "store.h"

/* A candidate: a word of the lexicon, its distance from the query word and
 * its df.  word points into the ni_typo_set that holds it. */
typedef struct ni_typo {
    const char *word;
    size_t len;
    size_t off;                 /* of word in the set's bytes */
    unsigned dist;
    uint32_t df;
} ni_typo;

/* Candidates, and what finding them cost.  Zeroed memory is an empty set;
 * each ni_typo_candidates call replaces its contents. */
typedef struct ni_typo_set {
    ni_typo *cand;
    size_t n, cap;
    ni_buf bytes;               /* the candidates' words */
    uint64_t seeks;             /* cursor seeks of the last call */
    uint64_t visited;           /* lexicon entries it read */
} ni_typo_set;

/*
 * The edits a word of n code points may have: 0 below 5, 1 from 5 to 8,
 * 2 from 9 (counted in characters, not bytes).
 */
unsigned ni_typo_max_distance(size_t n);

/*
 * Finds in the words table of t the words at optimal-string-alignment
 * distance 1 to ni_typo_max_distance (substitutions, insertions,
 * deletions and transpositions of adjacent letters, each one edit,
 * counted in code points) from word[0..len) (UTF-8, a normal form as the
 * analyzer makes it), with the same first letter, and keeps the best max
 * of them in out: by distance, then df from the highest, then in byte
 * order.  The word itself is never one.  The lexicon is walked in key
 * order like a trie, one row of the distance table per letter of a key,
 * and a prefix that cannot end within the distance is skipped by a seek
 * past it.  Returns the number of candidates (also out->n), 0 for a word
 * too short or not well-formed, or <0 (NI_ENOMEM, NI_ECORRUPT for a key
 * of the table that is not UTF-8).
 */
int ni_typo_candidates(ni_typo_set *out, ni_txn *t, const char *word, size_t len, size_t max);

/*
 * The same, but only the candidates at the smallest distance that has any:
 * the lexicon is walked within distance 1 first, and within 2 (for a word
 * of 9 letters or more) only when that found none, so a word one edit away
 * from another costs a walk within 1.
 */
int ni_typo_nearest(ni_typo_set *out, ni_txn *t, const char *word, size_t len, size_t max);

/*
 * The words one edit away at the first letter, which ni_typo_candidates
 * never changes: the first letter replaced, dropped, or one put before it,
 * or the first two letters swapped, from 5 letters on (the words of the
 * table with the first letter of word, a lower-case Cyrillic a..я or Latin
 * a..z, or another of its script).  Exact lookups, about 70, no walk; for
 * when the walk found nothing.  Kept as ni_typo_candidates keeps them
 * (distance 1, by df), at most max.  Returns their number or <0.
 */
int ni_typo_first(ni_typo_set *out, ni_txn *t, const char *word, size_t len, size_t max);

void ni_typo_set_free(ni_typo_set *s);

#endif
