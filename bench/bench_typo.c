/*
 * bench_typo.c - time of the typo candidates (lib/typo.c) on an index's
 * words table.
 *
 *   bench_typo DIR [--n 1000] [--seed 1] [--max 5] [--all]
 *
 * Draws --n words reproducibly (splitmix64 from --seed) out of the words
 * table of the index in DIR: words of 5 or more letters with df >= 3, so
 * words people search for.  Each gets one typo of the kinds the issue's
 * sets use, at a uniform position: a neighbouring key on the same row of
 * ЙЦУКЕН (or QWERTY for a Latin word), a letter dropped, two neighbours
 * swapped, a letter doubled.  A typo'd word that is itself in the table
 * would never be rescued: it is drawn again.  The index is opened once,
 * read-only, one read transaction for all; an untimed pass warms the map.
 * Then each call of ni_typo_nearest, what the rescue calls (ni_typo_candidates,
 * every candidate within the word's distance, with --all; at most --max
 * candidates) is timed
 * with CLOCK_MONOTONIC and, since on a loaded machine a time slice lost to
 * another process (4 ms) decides the tail, with CLOCK_THREAD_CPUTIME_ID.
 *
 * BENCH_TYPO_SLOW=ms in the environment lists the calls slower than that
 * on stderr.
 *
 * Output: one JSON line: p50/p95/p99/max/mean ms (nearest rank), mean
 * entries read and seeks, the share of words found again among the
 * candidates, and how many typos hit the first letter (which the
 * candidates never change); a table on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsindex.h"
#include "../lib/typo.h"
#include "../lib/words.h"

static uint64_t state;

static uint64_t splitmix64(void)
{
    uint64_t z = (state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static size_t rnd(size_t n)
{
    return (size_t)(splitmix64() % n);
}

static const char *const rows[] = {
    "йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю", "qwertyuiop", "asdfghjkl", "zxcvbnm"
};

/* A key next to c on its keyboard row, or c. */
static uint32_t neighbour(uint32_t c)
{
    uint32_t r[16];
    size_t i;
    int n, k;
    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        n = ni_words_decode(rows[i], strlen(rows[i]), r, 16);
        for (k = 0; k < n; k++)
            if (r[k] == c)
                return k == 0 ? r[1] : k == n - 1 ? r[k - 1] : r[k + (rnd(2) ? 1 : -1)];
    }
    return c;
}

static size_t put_utf8(char *p, uint32_t c)
{
    if (c < 0x80) {
        p[0] = (char)c;
        return 1;
    }
    if (c < 0x800) {
        p[0] = (char)(0xc0 | c >> 6);
        p[1] = (char)(0x80 | (c & 0x3f));
        return 2;
    }
    p[0] = (char)(0xe0 | c >> 12);
    p[1] = (char)(0x80 | ((c >> 6) & 0x3f));
    p[2] = (char)(0x80 | (c & 0x3f));
    return 3;
}

/* word (n code points in cp) with one typo, as UTF-8 into out; *first:
 * the typo changed the first letter. */
static size_t mistype(char *out, const uint32_t *cp, int n, int *first)
{
    uint32_t w[80];
    size_t len = 0;
    int m = n, pos = (int)rnd((size_t)n), k;

    memcpy(w, cp, (size_t)n * sizeof *w);
    switch (rnd(4)) {
    case 0:
        w[pos] = neighbour(w[pos]);
        break;
    case 1:
        memmove(w + pos, w + pos + 1, (size_t)(n - pos - 1) * sizeof *w);
        m--;
        break;
    case 2:
        if (pos == n - 1)
            pos--;
        w[pos] = cp[pos + 1];
        w[pos + 1] = cp[pos];
        break;
    default:
        memmove(w + pos + 1, w + pos, (size_t)(n - pos) * sizeof *w);
        m++;
    }
    *first = w[0] != cp[0];
    for (k = 0; k < m; k++)
        len += put_utf8(out + len, w[k]);
    return len;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *v, size_t n, double p)
{
    size_t r = (size_t)(p * (double)n + 0.999999);
    return v[r ? r - 1 : 0];
}

static double now_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
    size_t nq = 1000, max = 5, i, nwords = 0, cap = 0, found = 0, firsts = 0, redrawn = 0;
    uint64_t visited = 0, seeks = 0;
    char **words = NULL, (*typo)[300];
    uint32_t *dfs = NULL;
    double *ms, *cpu, sum = 0, cpu_sum = 0;
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_cursor *c = NULL;
    ni_typo_set set;
    ni_val k, v;
    int a, rc, pass, all = 0;

    state = 1;
    if (argc < 2) {
        fprintf(stderr, "usage: bench_typo DIR [--n 1000] [--seed S] [--max 5] [--all]\n");
        return 2;
    }
    for (a = 2; a < argc; a += 2) {
        if (strcmp(argv[a], "--all") == 0) {
            all = 1;
            a--;
        } else if (a + 1 == argc) {
            break;
        } else if (strcmp(argv[a], "--n") == 0)
            nq = strtoul(argv[a + 1], NULL, 10);
        else if (strcmp(argv[a], "--seed") == 0)
            state = strtoull(argv[a + 1], NULL, 10);
        else if (strcmp(argv[a], "--max") == 0)
            max = strtoul(argv[a + 1], NULL, 10);
    }
    memset(&set, 0, sizeof set);
    if ((rc = ni_store_open(&s, argv[1], NI_STORE_READONLY, 0, 0)) < 0 ||
        (rc = ni_txn_begin(&t, s, 0)) < 0 || (rc = ni_cursor_open(&c, t, NI_T_WORDS)) < 0) {
        fprintf(stderr, "bench_typo: %s: %s\n", argv[1], ni_errmsg());
        return 2;
    }
    for (rc = ni_cursor_first(c); rc == 0; rc = ni_cursor_next(c)) {
        uint32_t cp[80], df;
        if (ni_cursor_get(c, &k, &v) < 0 || ni_words_value(&v, &df) < 0)
            break;
        if (df < 3 || ni_words_decode((const char *)k.data, k.len, cp, 80) < 5)
            continue;
        if (nwords == cap) {
            cap = cap ? 2 * cap : 1024;
            words = realloc(words, cap * sizeof *words);
            dfs = realloc(dfs, cap * sizeof *dfs);
        }
        words[nwords] = strndup((const char *)k.data, k.len);
        dfs[nwords++] = df;
    }
    ni_cursor_close(c);
    ms = calloc(nq, sizeof *ms);
    cpu = calloc(nq, sizeof *cpu);
    typo = calloc(nq, sizeof *typo);
    if (!nwords || !ms || !cpu || !typo) {
        fprintf(stderr, "bench_typo: no words of 5 letters with df >= 3, or out of memory\n");
        return 2;
    }
    {
        size_t *pick = calloc(nq, sizeof *pick);
        for (i = 0; i < nq; i++) {
            uint32_t cp[80], df;
            int n, first;
            size_t len;
            do {
                pick[i] = rnd(nwords);
                n = ni_words_decode(words[pick[i]], strlen(words[pick[i]]), cp, 80);
                len = mistype(typo[i], cp, n, &first);
                typo[i][len] = 0;
                redrawn++;
            } while (ni_words_df(t, typo[i], len, &df) == 0);
            redrawn--;
            firsts += (size_t)first;
        }
        for (pass = 0; pass < 2; pass++)
            for (i = 0; i < nq; i++) {
                double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
                rc = all ? ni_typo_candidates(&set, t, typo[i], strlen(typo[i]), max)
                         : ni_typo_nearest(&set, t, typo[i], strlen(typo[i]), max);
                if (rc < 0) {
                    fprintf(stderr, "bench_typo: %s\n", ni_errmsg());
                    return 2;
                }
                if (pass == 0)
                    continue;
                ms[i] = now_ms(CLOCK_MONOTONIC) - t0;
                cpu[i] = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
                cpu_sum += cpu[i];
                if (getenv("BENCH_TYPO_SLOW") && ms[i] > atof(getenv("BENCH_TYPO_SLOW")))
                    fprintf(stderr, "slow: %s (%.3f ms, %llu read, %llu seeks)\n", typo[i],
                            ms[i], (unsigned long long)set.visited,
                            (unsigned long long)set.seeks);
                sum += ms[i];
                visited += set.visited;
                seeks += set.seeks;
                for (rc = 0; rc < (int)set.n; rc++)
                    if (set.cand[rc].len == strlen(words[pick[i]]) &&
                        memcmp(set.cand[rc].word, words[pick[i]], set.cand[rc].len) == 0) {
                        found++;
                        break;
                    }
            }
        free(pick);
    }
    qsort(ms, nq, sizeof *ms, cmp_double);
    qsort(cpu, nq, sizeof *cpu, cmp_double);
    printf("{\"bench\":\"typo\",\"index\":\"%s\",\"words\":%zu,\"queries\":%zu,\"max\":%zu,"
           "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"max_ms\":%.4f,\"mean_ms\":%.4f,"
           "\"cpu_p50_ms\":%.4f,\"cpu_p95_ms\":%.4f,\"cpu_p99_ms\":%.4f,\"cpu_max_ms\":%.4f,"
           "\"cpu_mean_ms\":%.4f,\"mean_visited\":%.1f,\"mean_seeks\":%.1f,\"found\":%.4f,\"first_letter\":%zu,"
           "\"redrawn\":%zu}\n", argv[1], nwords, nq, max, pct(ms, nq, 0.5), pct(ms, nq, 0.95),
           pct(ms, nq, 0.99), ms[nq - 1], sum / (double)nq, pct(cpu, nq, 0.5),
           pct(cpu, nq, 0.95), pct(cpu, nq, 0.99), cpu[nq - 1], cpu_sum / (double)nq,
           (double)visited / (double)nq,
           (double)seeks / (double)nq, (double)found / (double)nq, firsts, redrawn);
    fprintf(stderr, "typo candidates: p50 %.3f ms, p99 %.3f ms, max %.3f ms (thread CPU time: "
            "%.3f, %.3f, %.3f); %.0f entries read, %.0f seeks; word found again %.1f %% (%zu "
            "typos at the first letter)\n", pct(ms, nq, 0.5), pct(ms, nq, 0.99), ms[nq - 1],
            pct(cpu, nq, 0.5), pct(cpu, nq, 0.99), cpu[nq - 1], (double)visited / (double)nq,
            (double)seeks / (double)nq, 100.0 * (double)found / (double)nq, firsts);
    for (i = 0; i < nwords; i++)
        free(words[i]);
    free(words);
    free(dfs);
    free(ms);
    free(cpu);
    free(typo);
    ni_typo_set_free(&set);
    ni_txn_abort(t);
    ni_store_close(s);
    return 0;
}
