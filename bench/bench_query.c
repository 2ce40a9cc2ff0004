/*
 * bench_query.c - query latency of libnewsindex through the public API.
 *
 *   bench_query DIR CORPUS [QUERIES_OUT] [--n 1000] [--seed 1] [--k 10,100]
 *               [--exact] [--no-collapse]
 *
 * Query sets are drawn reproducibly (splitmix64 from --seed, no libc rand)
 * from the real headlines of CORPUS: titles with at least 3 words, a word
 * being a maximal run of Latin/Cyrillic letters and digits, which may hold
 * ' ’ . , - between two of them (McDonald's, 3.12, Северо-Западный); other
 * punctuation and quotes are dropped, and so are the words OR and NOT, so
 * no query is an operator by accident.  For each of --n draws (a title picked uniformly):
 *
 *   and     2-4 distinct words of the title, in title order, default AND
 *   or      all words of the title, default_or = 1
 *   phrase  2-3 consecutive title words in double quotes, default AND
 *
 * When the index rejects phrase syntax (NI_ESYNTAX on a probe), phrases are
 * run without quotes, as AND, and the JSON says "phrase_as_and":true.
 * QUERIES_OUT, when given, receives the queries as TSV "kind<TAB>query".
 *
 * The index is opened once, read-only.  One untimed warm-up pass runs the
 * first 200 queries of each kind.  Then for every k and kind each query is
 * timed with CLOCK_MONOTONIC from the query string to having the top-k ids
 * copied into memory (ni_search, ni_hits_next up to k times, ni_hits_free),
 * with NI_SEARCH_IDS_ONLY where the library has it ("ids_only":true), and
 * with NI_SEARCH_APPROX_TOTAL (top-k pruning; totals become lower bounds)
 * unless --exact ("approx_total"), near copies folded (the library's
 * default, "collapse":true) unless --no-collapse.
 * Output: one JSON line with flat keys KIND_kK_{p50,p95,p99,mean,max}_ms
 * (nearest-rank percentiles), KIND_kK_mean_hits (ni_hits_total),
 * KIND_kK_mean_returned and KIND_kK_zero_hits, and a table on stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "input.h"
#include "newsindex.h"

/* Only the ids are wanted: skip decompressing stored fields where the
 * library can (the JSON's "ids_only" says which was measured). */
#ifdef NI_SEARCH_IDS_ONLY
#define SET_IDS_ONLY(so) ((so).flags |= NI_SEARCH_IDS_ONLY)
#define IDS_ONLY 1
#else
#define SET_IDS_ONLY(so) ((void)0)
#define IDS_ONLY 0
#endif

/* Top-k pruning (MaxScore) where the library has it, unless --exact: the
 * totals are then lower bounds ("approx_total":true in the JSON). */
#ifdef NI_SEARCH_APPROX_TOTAL
#define SET_APPROX(so, on) ((so).flags |= (on) ? NI_SEARCH_APPROX_TOTAL : 0u)
#define HAVE_APPROX 1
#else
#define SET_APPROX(so, on) ((void)(on))
#define HAVE_APPROX 0
#endif

/* Near-duplicate collapsing, the default where the library has it. */
#ifdef NI_SEARCH_NO_COLLAPSE
#define SET_COLLAPSE(so, on) ((so).flags |= (on) ? 0u : NI_SEARCH_NO_COLLAPSE)
#define HAVE_COLLAPSE 1
#else
#define SET_COLLAPSE(so, on) ((void)(on))
#define HAVE_COLLAPSE 0
#endif

#define MAX_KS 8
#define WARMUP 200

enum { Q_AND, Q_OR, Q_PHRASE, NKINDS };
static const char *const kind_names[NKINDS] = { "and", "or", "phrase" };

typedef struct strvec {
    char **v;
    size_t n, cap;
} strvec;

/* A title split into words: offsets into text. */
typedef struct title {
    char *text;
    size_t nw;
    size_t *start, *len;
} title;

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t rng_below(size_t n)
{
    return (size_t)(rng_next() % (uint64_t)n);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "bench_query: out of memory\n");
        exit(2);
    }
    return q;
}

static void vec_push(strvec *sv, char *s)
{
    if (sv->n == sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 1024;
        sv->v = xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
}

/* Decodes one UTF-8 sequence at s[0..n); returns its length (1 for bad). */
static size_t utf8_dec(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xe0) == 0xc0 && n >= 2) {
        *cp = ((uint32_t)(s[0] & 0x1f) << 6) | (s[1] & 0x3fu);
        return 2;
    }
    if ((s[0] & 0xf0) == 0xe0 && n >= 3) {
        *cp = ((uint32_t)(s[0] & 0x0f) << 12) | ((uint32_t)(s[1] & 0x3f) << 6) | (s[2] & 0x3fu);
        return 3;
    }
    if ((s[0] & 0xf8) == 0xf0 && n >= 4) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3f) << 12) |
              ((uint32_t)(s[2] & 0x3f) << 6) | (s[3] & 0x3fu);
        return 4;
    }
    *cp = 0xfffd;
    return 1;
}

static int word_char(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7) ||
           (c >= 0x400 && c <= 0x52f);
}

/* Characters that stay inside a word between two word characters, as the
 * analyzer keeps them: McDonald's, 3.12, 8,5, Северо-Западный. */
static int joiner(uint32_t c)
{
    return c == '\'' || c == 0x2019 || c == '.' || c == ',' || c == '-';
}

/* Splits s[0..n) into words; returns 0 when it has fewer than 3. */
static int split_title(title *t, const char *s, size_t n)
{
    size_t i = 0, cap = 0;
    t->text = xrealloc(NULL, n + 1);
    memcpy(t->text, s, n);
    t->text[n] = '\0';
    t->nw = 0;
    t->start = t->len = NULL;
    while (i < n) {
        uint32_t c;
        size_t k = utf8_dec((const unsigned char *)s + i, n - i, &c), b;
        if (!word_char(c)) {
            i += k;
            continue;
        }
        b = i;
        while (i < n) {
            k = utf8_dec((const unsigned char *)s + i, n - i, &c);
            if (!word_char(c)) {
                uint32_t c2;
                if (!joiner(c) || i + k >= n)
                    break;
                utf8_dec((const unsigned char *)s + i + k, n - i - k, &c2);
                if (!word_char(c2))
                    break;
            }
            i += k;
        }
        if ((i - b == 2 && memcmp(s + b, "OR", 2) == 0) ||
            (i - b == 3 && memcmp(s + b, "NOT", 3) == 0))
            continue;
        if (t->nw == cap) {
            cap = cap ? cap * 2 : 16;
            t->start = xrealloc(t->start, cap * sizeof *t->start);
            t->len = xrealloc(t->len, cap * sizeof *t->len);
        }
        t->start[t->nw] = b;
        t->len[t->nw] = i - b;
        t->nw++;
    }
    if (t->nw >= 3)
        return 1;
    free(t->text);
    free(t->start);
    free(t->len);
    return 0;
}

/* Joins words [from, to) of t (or those marked in pick when non-NULL). */
static char *join(const title *t, size_t from, size_t to, const unsigned char *pick,
                  int quoted)
{
    size_t i, n = 0, cap = strlen(t->text) + 4;
    char *q = xrealloc(NULL, cap);
    if (quoted)
        q[n++] = '"';
    for (i = from; i < to; i++) {
        if (pick && !pick[i])
            continue;
        if (n > (size_t)quoted)
            q[n++] = ' ';
        memcpy(q + n, t->text + t->start[i], t->len[i]);
        n += t->len[i];
    }
    if (quoted)
        q[n++] = '"';
    q[n] = '\0';
    return q;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n). */
static double pct(const double *v, size_t n, unsigned p)
{
    size_t r = (p * n + 99) / 100;
    return v[(r < 1 ? 1 : r) - 1];
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_query DIR CORPUS [QUERIES_OUT] [--n 1000] [--seed S] "
                    "[--k 10,100] [--exact] [--no-collapse]\n");
    return 2;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "bench_query: %s: %s (%s)\n", what, ni_strerror(rc), ni_errmsg());
    return 2;
}

/* Runs one query, keeping the top-k ids; returns <0 on error. */
static int run_query(ni_index *idx, const char *q, const ni_search_options *so, char *ids,
                     size_t idcap, uint64_t *total, size_t *returned)
{
    ni_hits *h = NULL;
    ni_hit hit;
    size_t off = 0, n = 0;
    int rc = ni_search(&h, idx, q, strlen(q), so);
    if (rc < 0)
        return rc;
    while ((rc = ni_hits_next(h, &hit)) == 0) {
        size_t k = hit.id_len < 255 ? hit.id_len : 255;
        if (off + k + 1 <= idcap) {
            memcpy(ids + off, hit.id, k);
            ids[off + k] = '\0';
            off += k + 1;
        }
        n++;
    }
    *total = ni_hits_total(h);
    ni_hits_free(h);
    *returned = n;
    return rc < 0 ? rc : 0;
}

static void json_str(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
}

int main(int argc, char **argv)
{
    const char *dir = NULL, *corpus = NULL, *qout = NULL;
    size_t nq = 1000, ks[MAX_KS], nks = 0, kmax = 0, i, j, kind, ntitles = 0, tcap = 0;
    unsigned long long seed = 1;
    title *titles = NULL;
    strvec qs[NKINDS];
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_stats st;
    input *in = NULL;
    ni_doc d;
    char err[1024], *ids;
    double *lat, t_open;
    int rc, phrase_as_and = 0, approx = HAVE_APPROX, collapse = HAVE_COLLAPSE;

    memset(qs, 0, sizeof qs);
    for (i = 1; i < (size_t)argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--n") == 0 && i + 1 < (size_t)argc) {
            nq = (size_t)strtoul(argv[++i], NULL, 10);
        } else if (strcmp(a, "--seed") == 0 && i + 1 < (size_t)argc) {
            seed = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(a, "--exact") == 0) {
            approx = 0;
        } else if (strcmp(a, "--no-collapse") == 0) {
            collapse = 0;
        } else if (strcmp(a, "--k") == 0 && i + 1 < (size_t)argc) {
            char *p = argv[++i], *end;
            nks = 0;
            while (*p && nks < MAX_KS) {
                ks[nks] = (size_t)strtoul(p, &end, 10);
                if (end == p || ks[nks] == 0)
                    return usage();
                nks++;
                p = *end == ',' ? end + 1 : end;
            }
        } else if (a[0] == '-' && a[1] == '-') {
            return usage();
        } else if (!dir) {
            dir = a;
        } else if (!corpus) {
            corpus = a;
        } else if (!qout) {
            qout = a;
        } else {
            return usage();
        }
    }
    if (!dir || !corpus || nq == 0)
        return usage();
    if (nks == 0) {
        ks[0] = 10;
        ks[1] = 100;
        nks = 2;
    }
    for (i = 0; i < nks; i++)
        if (ks[i] > kmax)
            kmax = ks[i];

    /* Headlines of the corpus. */
    if (input_open(&in, corpus, err, sizeof err) < 0) {
        fprintf(stderr, "bench_query: %s\n", err);
        return 2;
    }
    while ((rc = input_next(in, &d)) != NI_DONE) {
        if (rc == NI_EINVAL)
            continue;
        if (rc < 0) {
            fprintf(stderr, "bench_query: %s\n", input_error(in));
            return 2;
        }
        if (!d.title)
            continue;
        if (ntitles == tcap) {
            tcap = tcap ? tcap * 2 : 1024;
            titles = xrealloc(titles, tcap * sizeof *titles);
        }
        if (split_title(&titles[ntitles], d.title, d.title_len))
            ntitles++;
    }
    input_close(in);
    if (ntitles == 0) {
        fprintf(stderr, "bench_query: %s: no title with 3 or more words\n", corpus);
        return 2;
    }

    /* The query sets, drawn in one fixed order from the seed. */
    rng_state = seed;
    for (i = 0; i < nq; i++) {
        title *t = &titles[rng_below(ntitles)];
        unsigned char *pick = xrealloc(NULL, t->nw);
        size_t want = 2 + rng_below(3), got = 0, len, from;
        if (want > t->nw)
            want = t->nw;
        memset(pick, 0, t->nw);
        while (got < want) {
            size_t w = rng_below(t->nw);
            if (!pick[w]) {
                pick[w] = 1;
                got++;
            }
        }
        vec_push(&qs[Q_AND], join(t, 0, t->nw, pick, 0));
        free(pick);
        vec_push(&qs[Q_OR], join(t, 0, t->nw, NULL, 0));
        len = 2 + rng_below(2);
        from = rng_below(t->nw - len + 1);
        vec_push(&qs[Q_PHRASE], join(t, from, from + len, NULL, 1));
    }

    oo.flags = NI_OPEN_READONLY;
    t_open = now();
    if ((rc = ni_index_open(&idx, dir, &oo)) < 0)
        return fail(dir, rc);
    t_open = now() - t_open;
    if ((rc = ni_index_stats(&st, idx)) < 0)
        return fail("stats", rc);

    {
        ni_hits *h = NULL;
        rc = ni_search(&h, idx, "\"a b\"", 5, NULL);
        ni_hits_free(h);
        if (rc == NI_ESYNTAX) {
            phrase_as_and = 1;
            for (i = 0; i < nq; i++) {
                char *q = qs[Q_PHRASE].v[i];
                size_t n = strlen(q);
                memmove(q, q + 1, n - 2);
                q[n - 2] = '\0';
            }
        } else if (rc < 0) {
            return fail("phrase probe", rc);
        }
    }

    if (qout) {
        FILE *f = fopen(qout, "w");
        if (!f) {
            perror(qout);
            return 2;
        }
        for (kind = 0; kind < NKINDS; kind++)
            for (i = 0; i < nq; i++)
                fprintf(f, "%s\t%s\n", kind_names[kind], qs[kind].v[i]);
        fclose(f);
    }

    ids = xrealloc(NULL, kmax * 256);
    lat = xrealloc(NULL, nq * sizeof *lat);

    for (kind = 0; kind < NKINDS; kind++) {
        ni_search_options so = NI_SEARCH_OPTIONS_INIT;
        so.limit = kmax;
        so.default_or = kind == Q_OR;
        SET_IDS_ONLY(so);
        SET_APPROX(so, approx);
        SET_COLLAPSE(so, collapse);
        for (i = 0; i < nq && i < WARMUP; i++) {
            uint64_t total;
            size_t ret;
            if ((rc = run_query(idx, qs[kind].v[i], &so, ids, kmax * 256, &total, &ret)) < 0)
                return fail(qs[kind].v[i], rc);
        }
    }

    printf("{\"bench\":\"query\",\"corpus\":\"");
    json_str(stdout, corpus);
    printf("\",\"dir\":\"");
    json_str(stdout, dir);
    printf("\",\"docs\":%llu,\"titles\":%zu,\"n\":%zu,\"seed\":%llu,\"phrase_as_and\":%s,"
           "\"ids_only\":%s,\"approx_total\":%s,\"collapse\":%s,\"open_seconds\":%.4f",
           (unsigned long long)st.docs, ntitles, nq, seed, phrase_as_and ? "true" : "false",
           IDS_ONLY ? "true" : "false", approx ? "true" : "false", collapse ? "true" : "false",
           t_open);
    fprintf(stderr, "%-7s %5s %6s %8s %8s %8s %8s %8s %11s %6s\n", "query", "k", "n", "p50 ms",
            "p95 ms", "p99 ms", "mean ms", "max ms", "mean hits", "zero");
    for (j = 0; j < nks; j++) {
        for (kind = 0; kind < NKINDS; kind++) {
            ni_search_options so = NI_SEARCH_OPTIONS_INIT;
            double sum = 0, hits = 0, returned = 0;
            size_t zero = 0;
            so.limit = ks[j];
            so.default_or = kind == Q_OR;
            SET_IDS_ONLY(so);
            SET_APPROX(so, approx);
            SET_COLLAPSE(so, collapse);
            for (i = 0; i < nq; i++) {
                uint64_t total = 0;
                size_t ret = 0;
                double t0 = now();
                rc = run_query(idx, qs[kind].v[i], &so, ids, kmax * 256, &total, &ret);
                lat[i] = (now() - t0) * 1000.0;
                if (rc < 0)
                    return fail(qs[kind].v[i], rc);
                sum += lat[i];
                hits += (double)total;
                returned += (double)ret;
                zero += total == 0;
            }
            qsort(lat, nq, sizeof *lat, cmp_double);
            printf(",\"%s_k%zu_p50_ms\":%.4f,\"%s_k%zu_p95_ms\":%.4f,\"%s_k%zu_p99_ms\":%.4f,"
                   "\"%s_k%zu_mean_ms\":%.4f,\"%s_k%zu_max_ms\":%.4f,"
                   "\"%s_k%zu_mean_hits\":%.1f,\"%s_k%zu_mean_returned\":%.2f,"
                   "\"%s_k%zu_zero_hits\":%zu",
                   kind_names[kind], ks[j], pct(lat, nq, 50), kind_names[kind], ks[j],
                   pct(lat, nq, 95), kind_names[kind], ks[j], pct(lat, nq, 99),
                   kind_names[kind], ks[j], sum / (double)nq, kind_names[kind], ks[j],
                   lat[nq - 1], kind_names[kind], ks[j], hits / (double)nq,
                   kind_names[kind], ks[j], returned / (double)nq, kind_names[kind], ks[j],
                   zero);
            fprintf(stderr, "%-7s %5zu %6zu %8.3f %8.3f %8.3f %8.3f %8.3f %11.1f %6zu\n",
                    kind_names[kind], ks[j], nq, pct(lat, nq, 50), pct(lat, nq, 95),
                    pct(lat, nq, 99), sum / (double)nq, lat[nq - 1], hits / (double)nq, zero);
        }
    }
    printf("}\n");

    ni_index_close(idx);
    for (kind = 0; kind < NKINDS; kind++) {
        for (i = 0; i < qs[kind].n; i++)
            free(qs[kind].v[i]);
        free(qs[kind].v);
    }
    for (i = 0; i < ntitles; i++) {
        free(titles[i].text);
        free(titles[i].start);
        free(titles[i].len);
    }
    free(titles);
    free(ids);
    free(lat);
    return 0;
}
