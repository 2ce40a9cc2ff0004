/*
 * analyzer.h - what the library uses of the analyzer (analyzer.c) besides
 * its public ni_analyzer_* functions: term hashes, the rubric term and
 * UTF-8 decoding.  The analyzer owns ICU's word breaking and case mapping;
 * the other ICU users are translit.c (transliteration) and kblayout.c
 * (UTF-8 to UTF-16 and back).
 */
#ifndef NI_ANALYZER_H
#define NI_ANALYZER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

/*
 * The version of the analysis: the terms a text yields.  An index records
 * the one it was built with (layout.c, meta "analysis") and is not opened
 * by a library with another, since its queries would look for other terms.
 * 1: stems only; 2: name keys (NI_TOKEN_NAME); 3: '@' separates words.
 * Raise it whenever a text may yield other terms than before.
 */
#define NI_ANALYSIS_VERSION 3

/* The length (1 to 4) of the well-formed UTF-8 sequence at p, which has
 * left > 0 bytes, or 0 when it is not one (a stray byte, an overlong form,
 * a surrogate, past U+10FFFF, cut short). */
size_t ni_utf8_len(const unsigned char *p, size_t left);

/*
 * Starts the analysis of text[from..len) alone, as ni_analyzer_start does
 * for a text, except that the tokens' offsets count from text and the
 * first word begins a sentence only when initial (the caller knows what
 * stood before it).  Meant for a piece that starts after white space,
 * where the words of the whole text start too (snippet.c); positions
 * count from 0.
 */
int ni_analyzer_start_at(ni_analyzer *an, const char *text, size_t len, size_t from,
                         int initial);

/*
 * Query mode (on) or document mode (off, the default): in a query, where
 * people type names in lower case, every word with a name key yields its
 * term and then its key with the prefix NI_NAME_MID; whether the key or
 * the term serves is the searcher's choice.  Stays until changed.
 */
void ni_analyzer_set_query(ni_analyzer *an, int on);

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
