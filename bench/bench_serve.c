/*
 * bench_serve.c - the work of nsearch serve's /api/search without HTTP:
 * what one request costs the library and the JSON writer, on one thread.
 *
 *   bench_serve DIR [--rounds R] [--dump] [--facets SPEC] < QUERIES
 *
 * QUERIES holds one query a line (UTF-8).  Each query is answered R times
 * (default 1) by serve_api_search, as the server would answer
 * GET /api/search?q=QUERY (top ten, snippets, title highlights, near
 * copies folded), with &facets=SPEC when given.  Prints to stderr the
 * requests, the seconds and the requests per second of one thread; with
 * --dump, each reply's body to stdout, one line each (its "ms" member
 * varies from run to run: strip it before comparing two builds).  Meant
 * for callgrind (valgrind --tool=callgrind bench_serve ...) and for
 * comparing the snippets of two builds over many queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve.h"

typedef struct qargs {
    const char *q, *facets;
} qargs;

static const char *get_arg(void *ctx, const char *name, size_t *len)
{
    const qargs *a = ctx;
    const char *v = NULL;
    if (strcmp(name, "q") == 0)
        v = a->q;
    else if (strcmp(name, "facets") == 0)
        v = a->facets;
    if (v)
        *len = strlen(v);
    return v;
}

int main(int argc, char **argv)
{
    ni_index *idx = NULL;
    char line[4096];
    char **qs = NULL;
    size_t nq = 0, capq = 0, rounds = 1, done = 0;
    const char *dir = NULL, *facets = NULL;
    int dump = 0, rc = 1;
    struct timespec t0, t1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--facets") == 0 && i + 1 < argc)
            facets = argv[++i];
        else if (strcmp(argv[i], "--dump") == 0)
            dump = 1;
        else if (!dir)
            dir = argv[i];
        else
            dir = NULL, i = argc;
    }
    if (!dir) {
        fprintf(stderr, "usage: bench_serve DIR [--rounds R] [--dump] [--facets SPEC] "
                        "< QUERIES\n");
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0])
            continue;
        if (nq == capq) {
            capq = capq ? 2 * capq : 64;
            if (!(qs = realloc(qs, capq * sizeof *qs)))
                return 1;
        }
        if (!(qs[nq++] = strdup(line)))
            return 1;
    }
    if (ni_index_open(&idx, dir, NULL) < 0) {
        fprintf(stderr, "bench_serve: cannot open index '%s': %s\n", dir, ni_errmsg());
        return 2;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (size_t r = 0; r < rounds; r++) {
        for (size_t i = 0; i < nq; i++) {
            qargs qa = { qs[i], facets };
            serve_args a = { get_arg, &qa };
            serve_reply rep = { 0, NULL, NULL, 0 };
            if (serve_api_search(&rep, idx, &a) < 0 || rep.status != 200) {
                fprintf(stderr, "bench_serve: '%s': status %u\n", qs[i], rep.status);
                free(rep.body);
                goto cleanup;
            }
            if (dump && r == 0) {
                fwrite(rep.body, 1, rep.len, stdout);
                fputc('\n', stdout);
            }
            free(rep.body);
            done++;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    {
        double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
        fprintf(stderr, "bench_serve: %zu requests in %.3f s, %.0f requests/s (one thread)\n",
                done, s, s > 0 ? (double)done / s : 0.0);
    }
    rc = 0;
cleanup:
    ni_index_close(idx);
    for (size_t i = 0; i < nq; i++)
        free(qs[i]);
    free(qs);
    return rc;
}
