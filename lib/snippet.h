/*
 * snippet.h - the best passage of a text for a set of query terms, with the
 * words that match them highlighted.
 */
#ifndef NI_SNIPPET_H
#define NI_SNIPPET_H

#include "buf.h"

/*
 * Picks a passage of text[0..len) of about max_chars characters, on word
 * boundaries, holding as many distinct query terms as possible (terms: be16
 * length + bytes, repeated).  Writes the passage, made valid UTF-8 with
 * control characters turned into spaces, to out_text, and the highlighted
 * byte ranges within it (start, end pairs as size_t) to out_ranges.  Only
 * the first NI_SNIPPET_SCAN bytes of a long text are considered, and of a
 * text longer than NI_SNIPPET_FIRST bytes only its first NI_SNIPPET_FIRST
 * (cut at white space) when a word there matches: a news article's lead
 * holds its best passage more often than not, and analysing the whole of a
 * long article for each hit was most of a search's time (bench/README.md,
 * "nsearch serve"; Lucene's UnifiedHighlighter stops at 10,000 characters
 * by default).
 */
#define NI_SNIPPET_SCAN (256 * 1024)
#define NI_SNIPPET_FIRST (8 * 1024)
/* As max_chars: the whole text (of at most NI_SNIPPET_SCAN bytes), not a
 * passage, its matched words highlighted: a title. */
#define NI_SNIPPET_WHOLE SIZE_MAX
int ni_snippet_make(ni_analyzer *an, const char *text, size_t len,
                    const ni_buf *terms, size_t max_chars, ni_buf *out_text,
                    ni_buf *out_ranges);

/* The same by analysing every word of the text (ni_snippet_make analyses
 * only the pieces where a term can be, when it can tell): the reference
 * the tests and the fuzz target compare it with. */
int ni_snippet_make_exhaustive(ni_analyzer *an, const char *text, size_t len,
                               const ni_buf *terms, size_t max_chars, ni_buf *out_text,
                               ni_buf *out_ranges);

#endif
