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
 * the first NI_SNIPPET_SCAN bytes of a long text are considered.
 */
#define NI_SNIPPET_SCAN (256 * 1024)
/* As max_chars: the whole text (of at most NI_SNIPPET_SCAN bytes), not a
 * passage, its matched words highlighted: a title. */
#define NI_SNIPPET_WHOLE SIZE_MAX
int ni_snippet_make(ni_analyzer *an, const char *text, size_t len,
                    const ni_buf *terms, size_t max_chars, ni_buf *out_text,
                    ni_buf *out_ranges);

#endif
