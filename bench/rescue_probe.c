/*
 * rescue_probe.c - what the query rescue does to a list of queries, and
 * what it costs: `rescue_probe IDX < queries` reads one query per line (or
 * qid<TAB>query), searches each three times (default options: top 10
 * ids, with rescue, to warm the pages; with NI_SEARCH_EXACT, timed; with
 * rescue, timed), and prints a line per query the
 * rescue rewrote (query, the query as searched, the kinds), then on stderr
 * the count of queries rewritten and the p50/p99 time of the searches with
 * and without rescue (nearest rank, ms, one thread).  With
 * RESCUE_PROBE_REPS=R the timed searches run R times, in R passes over
 * all the queries, and each query's time is the median of its R (a busy
 * machine's stalls land on single runs, not on a query's median).  For
 * false triggers: feed it words the index knows (none may be rewritten) or
 * has not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsindex.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    size_t i = (size_t)(p * (double)n + 0.999999);
    return n ? v[i ? i - 1 : 0] * 1e3 : 0;
}

/* Searches q with flags; the time into *t; returns the cursor or NULL. */
static ni_hits *search(ni_index *idx, const char *q, size_t n, unsigned flags, double *t)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    double t0 = now();
    o.flags = NI_SEARCH_IDS_ONLY | NI_SEARCH_APPROX_TOTAL | flags;
    if (ni_search(&h, idx, q, n, &o) < 0)
        return NULL;
    while (ni_hits_next(h, &hit) == 0)
        ;
    *t = now() - t0;
    return h;
}

/* The median of v[0..n) (sorts v). */
static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx;
    char *line = NULL, **qs = NULL;
    size_t cap = 0, nq = 0, fired = 0, vcap = 0, reps = 1, r, j;
    double *ton = NULL, *toff = NULL, *von = NULL, *voff = NULL;
    const char *e = getenv("RESCUE_PROBE_REPS");
    ssize_t len;

    if (argc != 2) {
        fprintf(stderr, "usage: rescue_probe IDX < queries\n");
        return 2;
    }
    if (e && atoi(e) > 1)
        reps = (size_t)atoi(e);
    oo.flags = NI_OPEN_READONLY;
    if (ni_index_open(&idx, argv[1], &oo) < 0) {
        fprintf(stderr, "rescue_probe: %s: %s\n", argv[1], ni_errmsg());
        return 2;
    }
    while ((len = getline(&line, &cap, stdin)) > 0) {
        char *q = strchr(line, '\t');
        size_t n;
        q = q ? q + 1 : line;
        n = strlen(q);
        while (n && (q[n - 1] == '\n' || q[n - 1] == '\r'))
            n--;
        q[n] = 0;
        if (nq == vcap) {
            vcap = vcap ? 2 * vcap : 1024;
            qs = realloc(qs, vcap * sizeof *qs);
            if (!qs)
                return 2;
        }
        if (!(qs[nq++] = strdup(q)))
            return 2;
    }
    ton = calloc(nq * reps + 1, sizeof *ton);
    toff = calloc(nq * reps + 1, sizeof *toff);
    von = calloc(reps, sizeof *von);
    voff = calloc(reps, sizeof *voff);
    if (!ton || !toff || !von || !voff)
        return 2;
    /* warm the pages both searches read (each query once), then time each
     * query reps times, pass after pass, and keep its median */
    for (r = 0; r < reps; r++) {
        for (j = 0; j < nq; j++) {
            const char *q = qs[j];
            size_t n = strlen(q);
            ni_hits *h;
            double t;
            if (r == 0) {
                if ((h = search(idx, q, n, 0, &t)))
                    ni_hits_free(h);
            }
            if ((h = search(idx, q, n, NI_SEARCH_EXACT, &toff[j * reps + r])))
                ni_hits_free(h);
            if ((h = search(idx, q, n, 0, &ton[j * reps + r])))
                ni_hits_free(h);
        }
    }
    for (j = 0; j < nq; j++) {
        const char *q = qs[j];
        size_t n = strlen(q), i, slen;
        const char *searched;
        ni_hits *h = search(idx, q, n, 0, &von[0]);
        memcpy(von, ton + j * reps, reps * sizeof *von);
        memcpy(voff, toff + j * reps, reps * sizeof *voff);
        ton[j] = median(von, reps);
        toff[j] = median(voff, reps);
        if (!h)
            continue;
        if (getenv("RESCUE_PROBE_TIMES"))
            fprintf(stderr, "%.3f\t%.3f\t%zu\t%.*s\n", ton[j] * 1e3, toff[j] * 1e3,
                    ni_hits_rewrites(h), (int)n, q);
        if (ni_hits_rewrites(h)) {
            fired++;
            searched = ni_hits_searched(h, &slen);
            printf("%.*s\t%.*s\t", (int)n, q, searched ? (int)slen : 1, searched ? searched : "-");
            for (i = 0; i < ni_hits_rewrites(h); i++) {
                ni_rewrite w;
                ni_hits_rewrite(h, i, &w);
                printf("%s%d%s", i ? "," : "", w.kind, w.suggested ? "?" : "");
            }
            putchar('\n');
        }
        ni_hits_free(h);
    }
    qsort(ton, nq, sizeof *ton, cmp_double);
    qsort(toff, nq, sizeof *toff, cmp_double);
    fprintf(stderr, "%zu queries, %zu rewritten; ms with rescue p50 %.3f p99 %.3f, "
            "without p50 %.3f p99 %.3f (median of %zu runs each)\n", nq, fired,
            pct(ton, nq, 0.5), pct(ton, nq, 0.99), pct(toff, nq, 0.5), pct(toff, nq, 0.99),
            reps);
    for (j = 0; j < nq; j++)
        free(qs[j]);
    free(qs);
    free(ton);
    free(toff);
    free(von);
    free(voff);
    free(line);
    ni_index_close(idx);
    return 0;
}
