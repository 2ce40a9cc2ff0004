/*
 * term.h - the matchers that read posting blocks (term.c): a term, a
 * cursor over its blocks, and phrases and NEAR checked on positions.  They
 * implement the matcher interface of match.h, bounds for pruning included,
 * and describe their terms for explanations.
 */
#ifndef NI_TERM_H
#define NI_TERM_H

#include "match.h"

/* A term's postings; NI_ENOTFOUND when the index has no such term.  field
 * NI_QFIELD_TITLE keeps only documents with the term in the title (and
 * scores only the title).  Not scored when scored is 0. */
int ni_match_term(ni_matcher **out, ni_match_ctx *c, const char *term,
                  size_t len, unsigned field, int scored);

/*
 * The terms one query word is searched by: its stem, the word as written,
 * its name keys (build.c chooses them).  They are scored as one word: with
 * the idf of df, their summed document frequencies (at most the number of
 * documents).  The strings are borrowed.
 */
#define NI_MAX_ALTS 8
typedef struct ni_alts {
    const char *term[NI_MAX_ALTS];
    size_t len[NI_MAX_ALTS];
    ni_term_info info[NI_MAX_ALTS];  /* their lexicon entries */
    size_t n;
    double df;
} ni_alts;

/* Reads the lexicon entry of term into *ti (valid in c's transaction): 1
 * when the index has the term, 0 when not, <0 on error. */
int ni_term_lookup(ni_match_ctx *c, const char *term, size_t len, ni_term_info *ti);

/* Adds term, whose entry ni_term_lookup read, to a when a has room and
 * not it yet.  Start from a zeroed ni_alts. */
void ni_alts_put(ni_alts *a, ni_match_ctx *c, const char *term, size_t len,
                 const ni_term_info *ti);

/* Looks term up and adds it to a when the index has it: 1 when it has,
 * 0 when not, <0 on error. */
int ni_alts_add(ni_alts *a, ni_match_ctx *c, const char *term, size_t len);

/* Documents holding any of a's terms, each scored with a's idf (one term:
 * ni_match_term).  NI_ENOTFOUND when a is empty. */
int ni_match_word(ni_matcher **out, ni_match_ctx *c, const ni_alts *a, unsigned field);

/* Words (slots[k], any of its terms) at relative positions qpos[]
 * (increasing); slop 0: exactly there, slop N: all within a window of
 * n - 1 + N positions, in any order.  NI_ENOTFOUND when a slot is empty. */
int ni_match_phrase(ni_matcher **out, ni_match_ctx *c, const ni_alts *slots,
                    const uint32_t *qpos, size_t n, uint32_t slop, unsigned field);

/*
 * The positions at which m, a term or word matcher (ni_match_word) standing
 * on a document, holds it: ascending, each once, in (*pos)[0..*n), a
 * buffer of *cap entries grown with ni_mem_realloc (the caller frees it).
 * Decodes a lazy term's block.  Other matchers: 0 with *n = 0.
 */
int ni_match_positions(ni_matcher *m, uint32_t **pos, uint32_t *n, uint32_t *cap);

/* At least the number of positions ni_match_positions would give for m's
 * document (its frequency; UINT32_MAX when not known without decoding). */
uint32_t ni_match_tf(const ni_matcher *m);

/* The idf a term or word matcher scores with (0 for a term not scored);
 * 0 for other matchers. */
double ni_match_idf(const ni_matcher *m);

/* One term of a term or phrase matcher, for explaining a match
 * (explain.c). */
typedef struct ni_term_detail {
    const char *term;            /* borrowed from the matcher */
    size_t len;
    unsigned field;              /* NI_QFIELD_* */
    uint32_t df;                 /* live documents with the term */
    double idf;
    uint32_t tf_title, tf_body;  /* in the document, as scored: tf_body 0 when
                                    restricted to the title */
    uint32_t lead;               /* 1: in the document's lead (ni_block_lead;
                                    0 when restricted to the title) */
    double score;                /* the term's score in it (0 when unscored);
                                    a word's terms scored as one: the whole
                                    on the first term there, 0 on the others */
    size_t slot;                 /* a phrase's word the term is of (0..) */
    size_t words;                /* a phrase's words; 0 for a term or word */
} ni_term_detail;

/* The terms of m: 1 for a term matcher, a word's terms for a word matcher
 * (ni_match_word), every term of every word for a phrase, 0 for any other
 * matcher. */
size_t ni_match_term_count(const ni_matcher *m);

/* Term i of m (i < ni_match_term_count(m)), with its frequencies and score
 * in document doc (docinfo di) when m stands on doc, 0 otherwise.  0 or
 * the error of decoding its block. */
int ni_match_term_detail(ni_term_detail *out, ni_matcher *m, size_t i, uint32_t doc,
                         const ni_docinfo *di);

#endif
