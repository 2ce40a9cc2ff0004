/*
 * snipscan.h - where in a text the words matching a query's terms can be,
 * found from the bytes without analysing the text (snipscan.c), so that a
 * snippet analyses only those places and its passage (snippet.c).
 */
#ifndef NI_SNIPSCAN_H
#define NI_SNIPSCAN_H

#include "buf.h"

/* Returned when the scan cannot judge: the caller analyses the whole text
 * (2, not 1: ni_snipscan_initial returns 0 and 1 as answers). */
#define NI_SNIPSCAN_UNSURE 2

typedef struct ni_snipscan {
    uint16_t *cores;            /* each core: length, then its characters */
    size_t ncores, cores_len;
} ni_snipscan;

#define NI_SNIPSCAN_INIT { NULL, 0, 0 }

void ni_snipscan_free(ni_snipscan *s);

/*
 * Takes the query terms (be16 length + bytes, repeated, as snippet.h
 * says): each term's core is the part every word yielding it must begin
 * with once folded, its name-key prefix left out and a compound's first
 * part only.  Returns 0, NI_SNIPSCAN_UNSURE when a term has no such core
 * that the scan can look for (one with Latin letters, whose English stem
 * need not be a prefix of the word, or other characters than а..я and
 * 0..9), or NI_ENOMEM.
 */
int ni_snipscan_terms(ni_snipscan *s, const ni_buf *terms);

/*
 * The byte offsets in text[from..to) where a core may start, in order, into
 * *out (ni_mem_realloc'ed, *cap its room; *n of them), for every word of
 * the text whose term, name key or compound term is one of the terms (and
 * for some words that are not).  Characters fold as the analyzer folds
 * them (capitals to small letters, ё to е, Latin letters that look
 * Cyrillic to Cyrillic; soft hyphens, zero-width characters and stress
 * marks are skipped).  A character whose folding the scan does not know
 * (anything but ASCII, а..я, А..Я, Ёё, Latin-1 letters, a list of
 * punctuation, symbols and emoji, and the skipped characters; or bad
 * UTF-8) is given as a place too: the word holding it is analysed.
 * Returns 0 or NI_ENOMEM.
 */
int ni_snipscan_find(ni_snipscan *s, const char *text, size_t from, size_t to,
                     size_t **out, size_t *n, size_t *cap);

/*
 * Whether the word the analyzer finds first in text[at..to), after
 * text[at - 1], a white space character that the scan of text[0..at)
 * accepted, begins a sentence as the analyzer of the whole text judges
 * (analyzer.c ends_sentence): 1 when a . ! ? : … or line break stands
 * between the last word before at and at, or there is no word before at;
 * 0 when not; NI_SNIPSCAN_UNSURE when a character there could be part of
 * a word or not ('_'), or text[at..to) starts with a character the word
 * breaks attach to what precedes it (a variation selector, a direction
 * mark, the keycap mark), so the piece would not break as the text does.
 */
int ni_snipscan_initial(const char *text, size_t at, size_t to);

/* 1 when c is white space that always ends a word and never joins one to
 * the next (space, tab, line breaks): a piece of text may start after it. */
static inline int ni_snipscan_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

#endif
