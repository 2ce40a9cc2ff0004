/*
 * jsonl.h - one JSON Lines news record, {"id","url","date","rubric",
 * "title","text"} (and "credit"), parsed strictly into an ni_doc.
 */
#ifndef NSEARCH_JSONL_H
#define NSEARCH_JSONL_H

#include <stddef.h>

#include "newsindex.h"

/* Decoded strings of a record; reused from line to line. */
typedef struct jsonl_buf {
    char *data;
    size_t len, cap;
} jsonl_buf;

/*
 * Parses line[0..n) (without its newline).  On success fills *doc (strings
 * in buf or NULL when absent or null; id NULL when the record has none:
 * the caller picks one) and returns 0.  Otherwise returns NI_EINVAL (or
 * NI_ENOMEM) with the reason in err, e.g. "expected ':' after a key at
 * byte 17" or "invalid date '2024-13-01'".
 */
int jsonl_parse(const char *line, size_t n, ni_doc *doc, jsonl_buf *buf,
                char *err, size_t errsize);

void jsonl_buf_free(jsonl_buf *buf);

#endif
