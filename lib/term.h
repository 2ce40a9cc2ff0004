/*
 * term.h - the matchers that read posting blocks (term.c): a term, a
 * cursor over its blocks, and phrases and NEAR checked on positions.  They
 * implement the matcher interface of match.h, bounds for pruning included.
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

#endif
