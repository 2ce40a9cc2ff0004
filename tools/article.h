/*
 * article.h - scraped news-page text (the layout of corpus/shkola-merov.txt)
 * parsed into an ni_doc.
 */
#ifndef NSEARCH_ARTICLE_H
#define NSEARCH_ARTICLE_H

#include <stddef.h>

#include "newsindex.h"

/*
 * Parses text[0..n).  Fills *doc with strings pointing into text (id is
 * left NULL: the caller names the document).  Returns 0 when the page
 * followed the layout, 1 when it did not (then title is the first
 * non-empty line and text the rest; warn says why), NI_EINVAL when there
 * is no text at all.
 */
int article_parse(const char *text, size_t n, ni_doc *doc, char *warn, size_t warnsize);

#endif
