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

/* The hash of a term's bytes used by the analyzer, the inverter and the
 * batch (in memory only); never 0.  Eight bytes at a time: terms are short. */
static inline uint32_t ni_term_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    uint64_t h = 0x9e3779b97f4a7c15u ^ n, w;
    size_t i;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    for (w = 0, i = 0; i < n; i++)
        w |= (uint64_t)s[i] << (8 * i);
    h = (h ^ w) * 0xc4ceb9fe1a85ec53u;
    h ^= h >> 29;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 32;
    return (uint32_t)h ? (uint32_t)h : 1;
}

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
