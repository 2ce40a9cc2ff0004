/*
 * translit.h - transliteration keys (translit.c): a short ASCII key shared
 * by a Cyrillic word and the ways people write it in Latin letters
 * (BGN/PCGN, ICAO Doc 9303, GOST 7.79-B, informal), so that query rescue can
 * find «солнце» from solntse or solnce by one key look-up.
 */
#ifndef NI_TRANSLIT_H
#define NI_TRANSLIT_H

#include <stddef.h>

#include "buf.h"

/* The longest key in bytes; no key is ever longer (a word whose key
 * would be gets none). */
#define NI_TRANSLIT_KEY_MAX 120

/* A transliterator: ICU state, one per thread (like ni_analyzer). */
typedef struct ni_translit ni_translit;

/* Creates a transliterator in *out (NULL on failure): 0, NI_ENOMEM, or
 * NI_EINVAL when ICU lacks the Russian-Latin/BGN transform.  Released by
 * ni_translit_free. */
int ni_translit_new(ni_translit **out);

/* Frees tr; NULL is fine. */
void ni_translit_free(ni_translit *tr);

/*
 * The key of the Cyrillic word w[0..len) (UTF-8, normalised: lower case,
 * ё as е; upper case and ё are read too), which may hold hyphens between
 * its letters: romanised by ICU's Russian-Latin/BGN, folded to ASCII,
 * collapsed (translit.c).  Returns 1 with the key in out (its old content
 * replaced; ASCII letters and '-', 1 to NI_TRANSLIT_KEY_MAX bytes), 0 with
 * out empty when the word has no key (empty, longer than
 * NI_MAX_WORD_BYTES, a character other than a Cyrillic letter or hyphen,
 * a letter BGN does not romanise such as Ukrainian ї), NI_EINVAL for
 * invalid UTF-8, NI_ENOMEM.
 */
int ni_translit_key_cyr(ni_translit *tr, const char *w, size_t len, ni_buf *out);
/* ni_translit_key_cyr with ICU romanising the whole word, never the
 * per-letter table: what the table must agree with (tests, bench). */
int ni_translit_key_cyr_icu(ni_translit *tr, const char *w, size_t len, ni_buf *out);

/*
 * The key of the Latin word w[0..len) (ASCII letters in any case, hyphens
 * between them; the apostrophes ' ` " of the romanisation schemes are
 * dropped), collapsed as in ni_translit_key_cyr.  Returns 1 with the key in
 * out, 0 with out empty when the word has no key (no letter, longer than
 * NI_MAX_WORD_BYTES, any other byte: digits, non-ASCII), NI_ENOMEM.
 * Needs no ICU: tr is unused and may be NULL.
 */
int ni_translit_key_lat(ni_translit *tr, const char *w, size_t len, ni_buf *out);

#endif
