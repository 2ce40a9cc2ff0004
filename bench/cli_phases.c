/*
 * cli_phases.c - where one query's time goes in a fresh process, as
 * `nsearch query` spends it: opening the index (read-only), the search (the
 * analyzer and ICU set up, the query's terms looked up, matched and
 * ranked), the first K hits (their stored text decompressed, with their
 * snippets and titles unless "ids"), and closing.  For each phase: the
 * wall milliseconds and the page faults (getrusage minor faults) it took.
 * bench/README.md ("CLI against sqlite3 and quest") runs it many times and
 * takes medians.
 *
 *     build/bench/cli_phases IDX QUERY [snippets|nosnippet|ids] [K]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "newsindex.h"

static long faults_then;
static double ms_then;

static long faults(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return r.ru_minflt;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Prints the phase that ends now. */
static void phase(const char *name)
{
    long f = faults();
    double t = now_ms();
    printf("%-8s %8.3f ms %5ld faults\n", name, t - ms_then, f - faults_then);
    faults_then = f;
    ms_then = t;
}

int main(int argc, char **argv)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    const char *mode = argc > 3 ? argv[3] : "snippets";
    ni_index *idx = NULL;
    ni_hits *hits = NULL;
    ni_snippet sn;
    ni_hit h;
    int rc, k = argc > 4 ? atoi(argv[4]) : 10, n = 0;

    if (argc < 3 || k < 1 || (strcmp(mode, "snippets") != 0 && strcmp(mode, "nosnippet") != 0 &&
                              strcmp(mode, "ids") != 0)) {
        fprintf(stderr, "usage: cli_phases IDX QUERY [snippets|nosnippet|ids] [K]\n");
        return 2;
    }
    faults_then = faults();
    ms_then = now_ms();
    oo.flags = NI_OPEN_READONLY;
    if ((rc = ni_index_open(&idx, argv[1], &oo)) < 0)
        goto cleanup;
    phase("open");
    if (strcmp(mode, "ids") == 0)
        so.flags |= NI_SEARCH_IDS_ONLY;
    so.limit = (size_t)k;
    if ((rc = ni_search(&hits, idx, argv[2], strlen(argv[2]), &so)) < 0)
        goto cleanup;
    phase("search");
    while ((rc = ni_hits_next(hits, &h)) == 0) {
        n++;
        if (strcmp(mode, "snippets") == 0 &&
            ((rc = ni_hits_title(&sn, hits)) < 0 || (rc = ni_hits_snippet(&sn, hits, 0)) < 0))
            goto cleanup;
    }
    if (rc != NI_DONE)
        goto cleanup;
    phase("hits");
    ni_hits_free(hits);
    ni_index_close(idx);
    hits = NULL;
    idx = NULL;
    phase("close");
    printf("%d hits\n", n);
    rc = 0;
cleanup:
    if (rc < 0)
        fprintf(stderr, "cli_phases: %s: %s\n", ni_strerror(rc), ni_errmsg());
    ni_hits_free(hits);
    ni_index_close(idx);
    return rc < 0 ? 2 : 0;
}
