/*
 * qword.h - the words of a query text (qword.c): analysed in query mode,
 * with the strings each is searched by, and the choice of the terms that
 * serve (its stem, its form as written, its name keys).  Used by the
 * searcher to build matchers and by the rescue (rescue.c) to see which
 * words the index knows.  No matchers are made here.
 */
#ifndef NI_QWORD_H
#define NI_QWORD_H

#include "buf.h"
#include "term.h"

#define NI_MAX_QWORDS 64

/*
 * One word of a query text, its strings in the buffer of its ni_qwords:
 * its term; its normal form when that differs (Snowball sometimes stems a
 * form shorter than its inflections: «ростов» -> «рост», «Ростове» ->
 * «ростов»); and its name key with each prefix (NI_NAME_MID, then
 * NI_NAME_START), when it has one.  start/end: where it stands in the text.
 */
typedef struct ni_qword {
    size_t term_off, term_len, norm_off, norm_len, key_off, key_len;
    size_t start, end;
    unsigned flags;            /* NI_TOKEN_* */
    uint32_t qpos;             /* position relative to the first word */
} ni_qword;

typedef struct ni_qwords {
    ni_buf buf;
    ni_qword w[NI_MAX_QWORDS];
    size_t n;
    int all_function;          /* every word is a function word (or none) */
} ni_qwords;

/* Reads the words of text[0..len) with an analyzer in query mode (at most
 * NI_MAX_QWORDS; more are dropped).  A phrase (phrase 1) reads compounds
 * by their parts, a word whole.  Free with ni_qwords_free, also on error. */
int ni_qwords_read(ni_qwords *ws, ni_analyzer *an, const char *text, size_t len,
                   int phrase);

void ni_qwords_free(ni_qwords *ws);

/* The term of word i as a string (not NUL-terminated). */
const char *ni_qword_term(const ni_qwords *ws, size_t i);

/*
 * The terms word i of ws is searched by, into *a (the strings point into
 * ws): those the index has.  a->n == 0 when it has none.
 */
int ni_qword_alts(ni_match_ctx *c, const ni_qwords *ws, size_t i, ni_alts *a);

#endif
