/*
 * serve.h - what the files of "nsearch serve" share: the JSON API
 * (serve_api.c), the page's files embedded in the binary (serve_page.c),
 * and the HTTP server around them (serve.c, the only user of
 * libmicrohttpd).
 *
 * The API handlers know nothing of HTTP: they read a request's arguments
 * through serve_args and fill a serve_reply, so that tests can call them
 * without a server.
 */
#ifndef NSEARCH_SERVE_H
#define NSEARCH_SERVE_H

#include <stddef.h>

#include "newsindex.h"

/* Limits on what a request may ask for. */
#define SERVE_MAX_QUERY  4096   /* bytes of q (after URL decoding) */
#define SERVE_MAX_ID     1024   /* bytes of id */
#define SERVE_MAX_LIMIT  100    /* n */
#define SERVE_MAX_OFFSET 10000  /* offset */
#define SERVE_SNIPPET    240    /* characters of a hit's snippet */
#define SERVE_MAX_FACETS 256    /* bytes of facets */

/* A request's query-string arguments: get returns the value of name
 * (decoded, NUL-terminated, its length in *len) or NULL when absent. */
typedef struct serve_args {
    const char *(*get)(void *ctx, const char *name, size_t *len);
    void *ctx;
} serve_args;

/* What a handler answers: an HTTP status and a body (malloc'ed, the
 * caller's to free) of the given type. */
typedef struct serve_reply {
    unsigned status;
    const char *type;
    char *body;
    size_t len;
} serve_reply;

/*
 * GET /api/search?q=&n=&offset=&sort=&facets=&exact=&collapse=: the hits
 * of q as one JSON object (the members of nsearch query --json's summary,
 * then "notice" and "hits": objects with the members of a hit, "partial",
 * "duplicates" as objects, "snippet" and "highlights", "title_highlights").
 * Errors are JSON {"error": message} with a 4xx status (5xx when the index
 * fails).  Returns 0, or -1 when out of memory (no reply).
 */
int serve_api_search(serve_reply *r, ni_index *idx, const serve_args *a);

/* GET /api/doc?id=: the document as nsearch get --json prints it; 404 when
 * there is none. */
int serve_api_doc(serve_reply *r, ni_index *idx, const serve_args *a);

/* GET /api/stats: the statistics as nsearch stats --json prints them. */
int serve_api_stats(serve_reply *r, ni_index *idx, const serve_args *a);

/* Fills r with status and {"error": message}; returns 0, or -1 when out
 * of memory. */
int serve_error(serve_reply *r, unsigned status, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* One file of the page, embedded in the binary. */
typedef struct serve_file {
    const char *path;   /* "/", "/app.js", "/app.css", "/favicon.svg" */
    const char *type;   /* its Content-Type */
    const char *data;
    size_t len;
} serve_file;

/* The page's file at path ("/", "/app.js", "/app.css", "/favicon.svg") into *out: 0, or
 * -1 when there is none. */
int serve_page_file(serve_file *out, const char *path);

/* The paths of the page's files. */
#define SERVE_PAGE_FILES 4
extern const char *const serve_page_paths[SERVE_PAGE_FILES];

/* Loads libmicrohttpd (mhd.c): 0, or -1 after saying on stderr why it
 * cannot be loaded. */
int serve_mhd_load(void);

#endif
