/*
 * analyzer.h - what the library uses of the analyzer (analyzer.c) besides
 * its public ni_analyzer_* functions: term hashes, the rubric term and
 * UTF-8 decoding.  The analyzer is the only owner of ICU.
 */
#ifndef NI_ANALYZER_H
#define NI_ANALYZER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

/* The length (1 to 4) of the well-formed UTF-8 sequence at p, which has
 * left > 0 bytes, or 0 when it is not one (a stray byte, an overlong form,
 * a surrogate, past U+10FFFF, cut short). */
size_t ni_utf8_len(const unsigned char *p, size_t left);

/* ni_term_hash of the term of the token the last
 * ni_analyzer_next returned (computed once per cached word form). */
uint32_t ni_analyzer_term_hash(const ni_analyzer *an);

/*
 * The term under which a document's rubric is indexed: NI_RUBRIC_PREFIX
 * and the rubric's normalised words joined by spaces (so «Общество» and
 * «ОБЩЕСТВО» are one rubric).  Never produced by the analyzer, so a word
 * query cannot hit it.  Returns 1 with the term in out, 0 when the rubric
 * has no words, <0 on error.
 */
#define NI_RUBRIC_PREFIX "\x01rubric:"
int ni_rubric_term(ni_analyzer *an, ni_buf *out, const char *s, size_t n);

#endif
