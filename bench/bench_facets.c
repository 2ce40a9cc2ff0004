/*
 * bench_facets.c - what facets (ni_hits_facets) cost a query.
 *
 *   bench_facets DIR [--runs 50] [--spec rubric,date:month] QUERY...
 *
 * Opens the index in DIR read-only and, for each QUERY, runs an untimed
 * warm-up, then --runs times in turn: ni_search with the default options
 * (10 hits, pruning off) and the hits read; the same search followed by
 * ni_hits_facets with --spec, timed apart.  Times are the calling thread's
 * CPU time (CLOCK_THREAD_CPUTIME_ID), so that a time slice lost to another
 * process does not make the tail on a loaded machine.
 *
 * Output: one JSON line per query (matches, rubric buckets, p50/p99 ms of
 * the search alone, of the facets alone and of search + facets, nearest
 * rank), then one over all the queries' runs together.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsindex.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile p of v[0..n) (sorted here). */
static double pct(double *v, size_t n, double p)
{
    size_t r;
    if (!n)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    r = (size_t)(p / 100.0 * (double)n + 0.999999);
    return v[r ? r - 1 : 0];
}

/* One search (and its facets when spec): times into *search, *facets. */
static int run(ni_index *idx, const char *q, const char *spec, double *search, double *facets,
               uint64_t *total, size_t *rubrics)
{
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    ni_hit hit;
    double t0 = now_ms(), t1;
    int rc = ni_search(&h, idx, q, strlen(q), NULL);
    while (rc == 0 && (rc = ni_hits_next(h, &hit)) == 0)
        ;
    if (rc < 0)
        goto done;
    t1 = now_ms();
    *search = t1 - t0;
    *facets = 0;
    *total = ni_hits_total(h);
    rc = 0;
    if (spec) {
        if ((rc = ni_hits_facets(&f, h, spec, strlen(spec))) < 0)
            goto done;
        *facets = now_ms() - t1;
        if (rubrics) {
            ni_facet fc;
            *rubrics = ni_facets_get(&fc, f, 0) == 0 ? fc.nbuckets : 0;
        }
    }
done:
    ni_facets_free(f);
    ni_hits_free(h);
    return rc < 0 ? rc : 0;
}

static void report(const char *what, double *s, double *f, double *sf, size_t n,
                   uint64_t total, size_t rubrics)
{
    printf("{\"query\":\"%s\",\"runs\":%zu,\"matches\":%llu,\"rubrics\":%zu,"
           "\"search_p50\":%.3f,\"search_p99\":%.3f,\"facets_p50\":%.3f,\"facets_p99\":%.3f,"
           "\"with_facets_p50\":%.3f,\"with_facets_p99\":%.3f}\n",
           what, n, (unsigned long long)total, rubrics, pct(s, n, 50), pct(s, n, 99),
           pct(f, n, 50), pct(f, n, 99), pct(sf, n, 50), pct(sf, n, 99));
}

int main(int argc, char **argv)
{
    const char *spec = "rubric,date:month", *dir = NULL;
    size_t runs = 50, nq = 0, i, r, all = 0;
    const char **qs = calloc((size_t)argc, sizeof *qs);
    double *s, *f, *sf, *as, *af, *asf;
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx;
    int a;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc)
            runs = (size_t)atol(argv[++a]);
        else if (strcmp(argv[a], "--spec") == 0 && a + 1 < argc)
            spec = argv[++a];
        else if (!dir)
            dir = argv[a];
        else
            qs[nq++] = argv[a];
    }
    if (!dir || !nq || !runs) {
        fprintf(stderr, "usage: bench_facets DIR [--runs 50] [--spec SPEC] QUERY...\n");
        return 2;
    }
    oo.flags = NI_OPEN_READONLY;
    if (ni_index_open(&idx, dir, &oo) != 0) {
        fprintf(stderr, "bench_facets: cannot open %s: %s\n", dir, ni_errmsg());
        return 2;
    }
    s = calloc(runs, sizeof *s);
    f = calloc(runs, sizeof *f);
    sf = calloc(runs, sizeof *sf);
    as = calloc(runs * nq, sizeof *as);
    af = calloc(runs * nq, sizeof *af);
    asf = calloc(runs * nq, sizeof *asf);
    for (i = 0; i < nq; i++) {
        uint64_t total = 0;
        size_t rubrics = 0;
        double x, y;
        if (run(idx, qs[i], spec, &x, &y, &total, &rubrics) < 0) {
            fprintf(stderr, "bench_facets: %s: %s\n", qs[i], ni_errmsg());
            return 2;
        }
        for (r = 0; r < runs; r++) {
            if (run(idx, qs[i], NULL, &s[r], &y, &total, NULL) < 0 ||
                run(idx, qs[i], spec, &x, &f[r], &total, NULL) < 0)
                return 2;
            sf[r] = x + f[r];
            as[all] = s[r];
            af[all] = f[r];
            asf[all++] = sf[r];
        }
        report(qs[i], s, f, sf, runs, total, rubrics);
    }
    report("all", as, af, asf, all, 0, 0);
    ni_index_close(idx);
    free(s), free(f), free(sf), free(as), free(af), free(asf), free(qs);
    return 0;
}
