/*
 * shard_bench.c - local shards against one index: `shard_bench ONE SHARDED
 * [--reps 3] [--limit 10] < queries` (a query a line; a TAB-separated
 * line's last field).  Each query runs on the one index and on the sharded
 * one alternately, reps times each, and keeps its fastest time on each
 * side (wall clock, from the query string to the top-limit ids copied:
 * ni_search or ni_shardset_search, ni_hits_next, ni_hits_free), with
 * NI_SEARCH_IDS_ONLY | NI_SEARCH_APPROX_TOTAL, and NI_SEARCH_NO_COLLAPSE |
 * NI_SEARCH_EXACT on both sides (what a sharded search does).  Prints
 * p50/p95/p99 of each side, nearest rank, and their ratios, as JSON; and
 * counts queries whose ids differ (must be 0).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsindex.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Runs q once; the ids, joined, into ids; returns ms or -1. */
static double once(ni_index *one, ni_shardset *set, const char *q, const ni_search_options *o,
                   char *ids, size_t size)
{
    ni_hits *h = NULL;
    ni_hit hit;
    size_t at = 0;
    double t0 = now_ms(), t;
    int rc = set ? ni_shardset_search(&h, set, q, strlen(q), o) : ni_search(&h, one, q, strlen(q), o);
    if (rc < 0)
        return -1;
    ids[0] = 0;
    while (ni_hits_next(h, &hit) == 0)
        if (at + hit.id_len + 2 < size) {
            memcpy(ids + at, hit.id, hit.id_len);
            at += hit.id_len;
            ids[at++] = ',';
            ids[at] = 0;
        }
    ni_hits_free(h);
    t = now_ms() - t0;
    return t;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    size_t r = (size_t)(p * (double)n + 0.999999);
    return n ? v[(r ? r : 1) - 1] : 0;
}

int main(int argc, char **argv)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *one = NULL;
    ni_shardset *set = NULL;
    static char line[8192], a[65536], b[65536];
    double *ta = NULL, *tb = NULL, *ratio = NULL;
    size_t n = 0, cap = 0, differ = 0, reps = 3;
    int k;

    if (argc < 3)
        return fprintf(stderr, "usage: shard_bench ONE SHARDED [--reps R] [--limit K] < queries\n"), 2;
    for (k = 3; k + 1 < argc; k += 2) {
        if (!strcmp(argv[k], "--reps"))
            reps = strtoul(argv[k + 1], NULL, 10);
        else if (!strcmp(argv[k], "--limit"))
            o.limit = strtoul(argv[k + 1], NULL, 10);
    }
    o.flags = NI_SEARCH_IDS_ONLY | NI_SEARCH_APPROX_TOTAL | NI_SEARCH_NO_COLLAPSE | NI_SEARCH_EXACT;
    oo.flags = NI_OPEN_READONLY;
    if (ni_index_open(&one, argv[1], &oo) < 0 || ni_shardset_open(&set, argv[2], 0, &oo) < 0)
        return fprintf(stderr, "shard_bench: %s\n", ni_errmsg()), 2;
    while (fgets(line, sizeof line, stdin)) {
        char *q = strrchr(line, '\t');
        double best_a = 1e30, best_b = 1e30;
        size_t r;
        q = q ? q + 1 : line;
        q[strcspn(q, "\r\n")] = 0;
        if (!*q)
            continue;
        for (r = 0; r < reps; r++) {
            double x = once(one, NULL, q, &o, a, sizeof a), y = once(NULL, set, q, &o, b, sizeof b);
            if (x >= 0 && x < best_a)
                best_a = x;
            if (y >= 0 && y < best_b)
                best_b = y;
        }
        if (best_a > 1e29 || best_b > 1e29)
            continue;
        differ += strcmp(a, b) != 0;
        if (n == cap) {
            cap = cap ? 2 * cap : 1024;
            ta = realloc(ta, cap * sizeof *ta);
            tb = realloc(tb, cap * sizeof *tb);
            ratio = realloc(ratio, cap * sizeof *ratio);
        }
        ta[n] = best_a;
        tb[n] = best_b;
        ratio[n] = best_b / best_a;
        n++;
    }
    qsort(ta, n, sizeof *ta, cmp_d);
    qsort(tb, n, sizeof *tb, cmp_d);
    qsort(ratio, n, sizeof *ratio, cmp_d);
    printf("{\"queries\":%zu,\"shards\":%u,\"reps\":%zu,\"limit\":%zu,\"ids_differ\":%zu,"
           "\"one_p50_ms\":%.3f,\"one_p95_ms\":%.3f,\"one_p99_ms\":%.3f,"
           "\"sharded_p50_ms\":%.3f,\"sharded_p95_ms\":%.3f,\"sharded_p99_ms\":%.3f,"
           "\"p50_ratio\":%.3f,\"p99_ratio\":%.3f,\"median_per_query_ratio\":%.3f}\n",
           n, ni_shardset_count(set), reps, o.limit, differ, pct(ta, n, .5), pct(ta, n, .95),
           pct(ta, n, .99), pct(tb, n, .5), pct(tb, n, .95), pct(tb, n, .99),
           pct(tb, n, .5) / pct(ta, n, .5), pct(tb, n, .99) / pct(ta, n, .99), pct(ratio, n, .5));
    free(ta);
    free(tb);
    free(ratio);
    ni_index_close(one);
    ni_shardset_close(set);
    return 0;
}
