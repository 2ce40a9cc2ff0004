/*
 * input.h - reading news documents from files for nsearch index: JSON Lines
 * (plain or gzip) and scraped article-page text (see article.c).  Uses the
 * public API's ni_doc and error codes only.
 */
#ifndef NSEARCH_INPUT_H
#define NSEARCH_INPUT_H

#include <stdint.h>

#include "newsindex.h"

typedef struct input input;

/*
 * Opens path ("-" is standard input) for reading.  The format comes from the
 * content: gzip magic → decompressed first; a first non-blank byte '{' or a
 * name ending in .jsonl/.jsonl.gz/.json/.ndjson → JSON Lines; anything else
 * is one article-page text document.  Returns 0, or NI_ENOTFOUND / NI_EIO
 * / NI_ENOMEM with a message such as "cannot open 'x': No such file or
 * directory" written to errbuf (NUL-terminated, truncated to errsize).
 */
int input_open(input **out, const char *path, char *errbuf, size_t errsize);

/* The same over a memory buffer (borrowed until input_close); name is used
 * in messages and for document ids. */
int input_open_mem(input **out, const char *name, const char *data, size_t len);

/*
 * Reads the next document into *doc (strings borrowed until the next call).
 * Returns 0 for a document, NI_DONE at the end, NI_EINVAL for a bad record
 * that was skipped (input_error() says "file:line: reason"; call again to go
 * on), or NI_EIO / NI_ENOMEM when reading cannot go on.  After a 0,
 * input_warning() is non-NULL when the document was read with a warning
 * (e.g. an article not in the expected layout).
 */
int input_next(input *in, ni_doc *doc);

/* The message of the last NI_EINVAL/NI_EIO ("file:line: reason"). */
const char *input_error(const input *in);

/* The warning of the last document read, or NULL ("file:line: message"). */
const char *input_warning(const input *in);

/*
 * The name the ids of documents without an id or url are made of: ID:LINE
 * for a JSON Lines record, ID for an article page (default: the path as
 * given to input_open).  0 or NI_ENOMEM.
 */
int input_set_id_name(input *in, const char *idname);

/* The name of the input in messages ("stdin" for "-"). */
const char *input_name(const input *in);

/* The line of the document last read (1 for an article page). */
unsigned long input_line(const input *in);

/* The documents read so far that had no id or url (given ID:LINE). */
uint64_t input_unnamed(const input *in);

/* Bytes consumed from the underlying file so far (compressed bytes for gzip),
 * for progress and ETA. */
uint64_t input_bytes_read(const input *in);

void input_close(input *in);

#endif
