/*
 * collapse_cost.c - what folding near copies costs a search, query by
 * query, against the same search without it (bench/README.md,
 * "Near-duplicates").
 *
 *   collapse_cost DIR [--reps 5] [--limit 10] < queries.txt
 *
 * One query a line.  The index is opened once, read-only.  After one
 * untimed pass, each query is run reps times with and reps times without
 * collapsing, alternately (so both see the same machine), from ni_search
 * to the ids of the first limit hits (NI_SEARCH_IDS_ONLY); a query's time
 * is its fastest run.  Prints the p50, p90, p99 and max ms of both, the
 * mean of the per-query ratio, and how many pairs the collapse compared on
 * their text (nearcopy.c) and documents it analysed for that: in all, per
 * query, and the most in one query (and that query); and the unsure pairs
 * it decided by their estimate, having read NI_NEAR_READS documents.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsindex.h"
#include "../lib/hits.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One search: its ms; the collapse's counters added to exact, analysed,
 * guessed. */
static double run(ni_index *idx, const char *q, size_t limit, int collapse, uint64_t *exact,
                  uint64_t *analysed, uint64_t *guessed)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit;
    double t0 = now_ms(), t;
    o.limit = limit;
    o.flags = NI_SEARCH_IDS_ONLY | (collapse ? 0u : NI_SEARCH_NO_COLLAPSE);
    if (ni_search(&h, idx, q, strlen(q), &o) == 0 && h)
        while (ni_hits_next(h, &hit) == 0)
            ;
    t = now_ms() - t0;
    if (h) {
        *exact += h->collapse.nc.exact;
        *analysed += h->collapse.nc.nsets;
        *guessed += h->collapse.nc.guessed;
    }
    ni_hits_free(h);
    return t;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void percentiles(const char *name, double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    printf("%s: p50 %.3f ms, p90 %.3f, p99 %.3f, max %.3f\n", name, v[(n - 1) / 2],
           v[(size_t)((double)(n - 1) * 0.9)], v[(size_t)((double)(n - 1) * 0.99)], v[n - 1]);
}

int main(int argc, char **argv)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    char line[4096], **qs = NULL;
    size_t nq = 0, cap = 0, limit = 10, i;
    int reps = 5, a, r;
    double *on, *off, ratio = 0;
    uint64_t exact = 0, analysed = 0, most = 0, with = 0, guessed = 0, capped = 0, e, an, g;
    size_t worst = 0;

    for (a = 2; a + 1 < argc; a += 2) {
        if (!strcmp(argv[a], "--reps"))
            reps = atoi(argv[a + 1]);
        else if (!strcmp(argv[a], "--limit"))
            limit = (size_t)atoi(argv[a + 1]);
    }
    oo.flags = NI_OPEN_READONLY;
    if (argc < 2 || reps < 1 || ni_index_open(&idx, argv[1], &oo) < 0) {
        fprintf(stderr, "usage: collapse_cost DIR [--reps N] [--limit N] < queries\n");
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0])
            continue;
        if (nq == cap && !(qs = realloc(qs, (cap = cap ? 2 * cap : 256) * sizeof *qs)))
            return 2;
        if (!(qs[nq++] = strdup(line)))
            return 2;
    }
    on = calloc(nq ? nq : 1, sizeof *on);
    off = calloc(nq ? nq : 1, sizeof *off);
    if (!on || !off)
        return 2;
    for (i = 0; i < nq; i++) {
        e = an = g = 0;
        run(idx, qs[i], limit, 1, &e, &an, &g);
        run(idx, qs[i], limit, 0, &e, &an, &g);
        exact += e;
        analysed += an;
        guessed += g;
        with += e > 0;
        capped += g > 0;
        if (an > most) {
            most = an;
            worst = i;
        }
    }
    for (i = 0; i < nq; i++) {
        on[i] = off[i] = 1e300;
        for (r = 0; r < reps; r++) {
            double x = run(idx, qs[i], limit, 1, &e, &an, &g);
            double y = run(idx, qs[i], limit, 0, &e, &an, &g);
            on[i] = x < on[i] ? x : on[i];
            off[i] = y < off[i] ? y : off[i];
        }
        ratio += on[i] / off[i];
    }
    printf("queries %zu, reps %d, limit %zu\n", nq, reps, limit);
    printf("compared on their text: %llu pairs in %llu queries; documents analysed %llu "
           "(%.2f a query, at most %llu)\n", (unsigned long long)exact,
           (unsigned long long)with, (unsigned long long)analysed,
           nq ? (double)analysed / (double)nq : 0, (unsigned long long)most);
    printf("past NI_NEAR_READS, decided by the estimate: %llu pairs in %llu queries\n",
           (unsigned long long)guessed, (unsigned long long)capped);
    if (most)
        printf("the most analysed: \"%s\"\n", qs[worst]);
    printf("mean of collapse / no-collapse per query: %.3f\n", nq ? ratio / (double)nq : 0);
    if (nq) {
        percentiles("collapse   ", on, nq);
        percentiles("no collapse", off, nq);
    }
    for (i = 0; i < nq; i++)
        free(qs[i]);
    free(qs);
    free(on);
    free(off);
    ni_index_close(idx);
    return 0;
}
