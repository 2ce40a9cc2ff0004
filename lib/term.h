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

/* Terms at relative positions qpos[] (increasing); slop 0: exactly there,
 * slop N: all within a window of n - 1 + N positions, in any order.
 * NI_ENOTFOUND when a term is absent. */
int ni_match_phrase(ni_matcher **out, ni_match_ctx *c, const char *const *terms,
                    const size_t *lens, const uint32_t *qpos, size_t n,
                    uint32_t slop, unsigned field);

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
    double score;                /* the term's score in it (0 when unscored) */
} ni_term_detail;

/* The terms of m: 1 for a term matcher, one per word for a phrase, 0 for
 * any other matcher. */
size_t ni_match_term_count(const ni_matcher *m);

/* Term i of m (i < ni_match_term_count(m)), with its frequencies and score
 * in document doc (docinfo di) when m stands on doc, 0 otherwise.  0 or
 * the error of decoding its block. */
int ni_match_term_detail(ni_term_detail *out, ni_matcher *m, size_t i, uint32_t doc,
                         const ni_docinfo *di);

#endif
