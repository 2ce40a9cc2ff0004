/*
 * harness_adapter.c - nsearch behind the adapter contract of the shared
 * side-by-side harness (see its README "Common contract"), also the
 * project's own indexing and query benchmark driver:
 *
 *   harness_adapter index CORPUS DIR      one JSON line on stdout
 *   harness_adapter search DIR QUERIES K  a TREC run on stdout, timing JSON on stderr
 *
 * Indexing reads JSON Lines (plain or gzip) through nsearch's reader and
 * commits once at the end (the memory budget flushes inside the
 * transaction), on one thread like the peers unless NSEARCH_THREADS=N asks
 * for ni_open_options.threads = N.  Like the Xapian adapter (build, then
 * compact()) it builds in DIR/build and, when the text added is more than
 * half the memory budget (the batch, estimated as twice the text, was then
 * flushed more than once), writes a compacted copy into DIR (ni_index_copy:
 * full pages where a later flush had split them) within the index time;
 * else it moves the index into DIR.  NSEARCH_COPY=1 always copies,
 * NSEARCH_COPY=0 never (and builds in DIR directly).  Searching opens the
 * index once and times each query from the query string to the top-K ids
 * in memory; HARNESS_OP=and|or picks the default operator.  The peers' AND
 * needs every word, so HARNESS_OP=and sets NI_SEARCH_ALL_WORDS too
 * (NSEARCH_ALL_WORDS=0 leaves it out: then a query of five or more words
 * needs 80 % of them, nsearch's default).  NSEARCH_K1, NSEARCH_B,
 * NSEARCH_TITLE_WEIGHT and NSEARCH_PROXIMITY set the ranking parameters of
 * ni_search_options (for grids; the library's defaults otherwise);
 * NSEARCH_NO_RESCUE=1 sets NI_SEARCH_EXACT (no query rescue).  Searches
 * set NI_SEARCH_NO_COLLAPSE unless NSEARCH_COLLAPSE=1: the relevance sets
 * judge documents, and a folded near copy of a relevant document is a
 * relevant document too, which collapsing would move off the top K and
 * count against recall (qrels rarely list both copies of a story), while
 * the peers return every document; timings then compare like with like.
 * NSEARCH_EXACT=1 leaves out NI_SEARCH_APPROX_TOTAL (no pruning; the same
 * hits, the reference for exactness checks).  Docids follow the harness rule:
 * id, else url, else L<line>, whitespace turned into '_'.  A title that is
 * not valid query syntax (an unbalanced quote or parenthesis) is searched
 * again with the operator characters replaced by spaces, as the peers'
 * lenient parsers do.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "input.h"
#include "newsindex.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fprintf(stderr, "harness_adapter: out of memory\n");
        exit(2);
    }
    return q;
}

static int die(const char *what, int rc)
{
    fprintf(stderr, "harness_adapter: %s: %s (%s)\n", what, ni_strerror(rc), ni_errmsg());
    return 2;
}

/* The harness docid of a record read from name. */
static void harness_id(char *out, size_t size, const char *name, const ni_doc *d)
{
    size_t nl = strlen(name), i, n;
    if (d->id_len > nl + 1 && memcmp(d->id, name, nl) == 0 && d->id[nl] == ':')
        n = (size_t)snprintf(out, size, "L%.*s", (int)(d->id_len - nl - 1), d->id + nl + 1);
    else
        n = (size_t)snprintf(out, size, "%.*s", (int)d->id_len, d->id);
    for (i = 0; i < n && i < size; i++)
        if (out[i] == ' ' || out[i] == '\t' || out[i] == '\n' || out[i] == '\r')
            out[i] = '_';
}

/* Removes the index in directory dir, if any (its two files and dir). */
static void remove_index(const char *dir)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/lock.mdb", dir);
    unlink(p);
    rmdir(dir);
}

#define BUDGET ((size_t)256 << 20)   /* the library's default memory budget */

static int cmd_index(const char *corpus, const char *dir)
{
#ifdef NI_COPY_DEFAULT
    const char *copy_env = getenv("NSEARCH_COPY");
    int copy = !copy_env || strcmp(copy_env, "0") != 0;   /* may copy */
#else
    int copy = 0;         /* a library from before ni_index_copy */
#endif
    char build[4096];
    ni_index *idx = NULL;
    input *in = NULL;
    ni_doc d;
    ni_stats st;
    char err[512], id[1024];
    unsigned long docs = 0, bad = 0;
    unsigned long long raw = 0;
    double t0 = now(), copy_s = 0;
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    const char *threads = getenv("NSEARCH_THREADS");
    int rc;

#if NI_OPEN_OPTIONS_VERSION >= 2
    o.threads = threads ? (unsigned)strtoul(threads, NULL, 10) : 1;
#else
    (void)threads;        /* a library from before indexing threads */
#endif
    o.memory_budget = BUDGET;
    snprintf(build, sizeof build, "%s%s", dir, copy ? "/build" : "");
    if (copy) {
        if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "harness_adapter: cannot create %s: %s\n", dir, strerror(errno));
            return 2;
        }
        remove_index(build);
    }
    if ((rc = ni_index_open(&idx, build, &o)) < 0)
        return die(build, rc);
    if ((rc = input_open(&in, corpus, err, sizeof err)) < 0) {
        fprintf(stderr, "harness_adapter: %s\n", err);
        ni_index_close(idx);
        return 2;
    }
    while ((rc = input_next(in, &d)) != NI_DONE) {
        if (rc == NI_EINVAL) {
            bad++;
            continue;
        }
        if (rc < 0) {
            fprintf(stderr, "harness_adapter: %s\n", input_error(in));
            break;
        }
        harness_id(id, sizeof id, corpus, &d);
        d.id = id;
        d.id_len = strlen(id);
        raw += d.title_len + d.text_len;
        if ((rc = ni_index_add(idx, &d)) < 0)
            return die("add", rc);
        docs++;
    }
    input_close(in);
    if ((rc = ni_index_commit(idx)) < 0)
        return die("commit", rc);
#ifdef NI_COPY_DEFAULT
    if (copy && !(copy_env && strcmp(copy_env, "1") == 0) && raw * 2 <= BUDGET) {
        /* one flush: pages are full already */
        char from[4200], to[4200];
        ni_index_close(idx);
        snprintf(from, sizeof from, "%s/data.mdb", build);
        snprintf(to, sizeof to, "%s/data.mdb", dir);
        /* a link, as ni_index_copy does: never over an index there */
        if (link(from, to) != 0) {
            fprintf(stderr, "harness_adapter: cannot move the index to %s: %s\n", to,
                    strerror(errno));
            return 2;
        }
        remove_index(build);
        if ((rc = ni_index_open(&idx, dir, NULL)) < 0)
            return die(dir, rc);
        copy = 0;
    }
    if (copy) {
        copy_s = now();
        if ((rc = ni_index_copy(idx, dir, NI_COPY_DEFAULT)) < 0)
            return die("copy", rc);
        ni_index_close(idx);
        remove_index(build);
        if ((rc = ni_index_open(&idx, dir, NULL)) < 0)
            return die(dir, rc);
        copy_s = now() - copy_s;
    }
#endif
    if ((rc = ni_index_stats(&st, idx)) < 0)
        return die("stats", rc);
    ni_index_close(idx);
    printf("{\"engine\":\"nsearch\",\"docs\":%lu,\"seconds\":%.3f,\"index_bytes\":%llu,"
           "\"raw_text_bytes\":%llu,\"index_used_bytes\":%llu,\"bad_records\":%lu,"
           "\"copy_seconds\":%.3f}\n",
           docs, now() - t0, (unsigned long long)st.file_bytes, raw,
           (unsigned long long)st.index_bytes, bad, copy_s);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *v, size_t n, double p)
{
    size_t r = (size_t)(p / 100.0 * (double)n + 0.999999);
    if (r < 1)
        r = 1;
    return v[(r > n ? n : r) - 1];
}

/* *out = the number in environment variable name, when it is set. */
static void env_double(const char *name, double *out)
{
    const char *v = getenv(name);
    if (v && *v)
        *out = strtod(v, NULL);
}

static int cmd_search(const char *dir, const char *queries, long k)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    const char *op = getenv("HARNESS_OP");
    ni_index *idx = NULL;
    FILE *f = fopen(queries, "r");
    char *line = NULL, *run = NULL;
    size_t cap = 0, nq = 0, qcap = 0, rlen = 0, rcap = 0;
    double *lat = NULL, t0, total = 0, open_s;
    ssize_t n;
    int rc;

    if (!f) {
        perror(queries);
        return 2;
    }
    oo.flags = NI_OPEN_READONLY;
    t0 = now();
    if ((rc = ni_index_open(&idx, dir, &oo)) < 0)
        return die(dir, rc);
    open_s = now() - t0;
    so.limit = (size_t)k;
    so.flags = NI_SEARCH_IDS_ONLY | (getenv("NSEARCH_EXACT") ? 0u : NI_SEARCH_APPROX_TOTAL);
    so.default_or = !(op && strcmp(op, "and") == 0);
    env_double("NSEARCH_K1", &so.k1);
    env_double("NSEARCH_B", &so.b);
    env_double("NSEARCH_TITLE_WEIGHT", &so.title_weight);
#if NI_SEARCH_OPTIONS_VERSION >= 2
    env_double("NSEARCH_PROXIMITY", &so.proximity);
#endif
#ifdef NI_SEARCH_EXACT         /* query rescue; absent before it */
    if (getenv("NSEARCH_NO_RESCUE"))
        so.flags |= NI_SEARCH_EXACT;
#endif
#ifdef NI_SEARCH_NO_COLLAPSE   /* near-duplicate collapsing; absent before it */
    if (!getenv("NSEARCH_COLLAPSE"))
        so.flags |= NI_SEARCH_NO_COLLAPSE;
#endif
#ifdef NI_SEARCH_ALL_WORDS     /* absent in a library from before it */
    {
        const char *all = getenv("NSEARCH_ALL_WORDS");
        if (!so.default_or && (!all || strcmp(all, "0") != 0))
            so.flags |= NI_SEARCH_ALL_WORDS;
    }
#endif
    while ((n = getline(&line, &cap, f)) > 0) {
        char *tab = strchr(line, '\t'), *q;
        ni_hits *h = NULL;
        ni_hit hit;
        size_t qlen, i;
        char qid[256];
        if (!tab)
            continue;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        snprintf(qid, sizeof qid, "%.*s", (int)(tab - line), line);
        q = tab + 1;
        qlen = strlen(q);
        t0 = now();
        rc = ni_search(&h, idx, q, qlen, &so);
        if (rc == NI_ESYNTAX) {
            for (i = 0; i < qlen; i++) {
                unsigned char c = (unsigned char)q[i];
                if (strchr("\"()|*-:~", q[i]))
                    q[i] = ' ';
                else if (i + 1 < qlen && c == 0xc2 && ((unsigned char)q[i + 1] == 0xab ||
                                                       (unsigned char)q[i + 1] == 0xbb))
                    q[i] = q[i + 1] = ' ';
                else if (i + 2 < qlen && c == 0xe2 && (unsigned char)q[i + 1] == 0x80 &&
                         ((unsigned char)q[i + 2] == 0x9c || (unsigned char)q[i + 2] == 0x9d))
                    q[i] = q[i + 1] = q[i + 2] = ' ';
            }
            rc = ni_search(&h, idx, q, qlen, &so);
        }
        if (rc < 0)
            return die("search", rc);
        if (nq == qcap) {
            qcap = qcap ? qcap * 2 : 1024;
            lat = xrealloc(lat, qcap * sizeof *lat);
        }
        for (i = 1; (rc = ni_hits_next(h, &hit)) == 0; i++) {
            if (rcap - rlen < hit.id_len + 300) {
                rcap = rcap * 2 + hit.id_len + 4096;
                run = xrealloc(run, rcap);
            }
            rlen += (size_t)snprintf(run + rlen, rcap - rlen, "%s Q0 %.*s %zu %.6f nsearch\n",
                                     qid, (int)hit.id_len, hit.id, i, hit.score);
        }
        ni_hits_free(h);
        lat[nq] = (now() - t0) * 1000.0;
        total += lat[nq] / 1000.0;
        nq++;
    }
    fclose(f);
    free(line);
    ni_index_close(idx);
    if (run)
        fwrite(run, 1, rlen, stdout);
    free(run);
    if (nq) {
        double sum = 0;
        size_t i;
        for (i = 0; i < nq; i++)
            sum += lat[i];
        qsort(lat, nq, sizeof *lat, cmp_double);
        fprintf(stderr, "{\"engine\":\"nsearch\",\"queries\":%zu,\"total_seconds\":%.4f,"
                "\"p50_ms\":%.3f,\"p95_ms\":%.3f,\"p99_ms\":%.3f,\"op\":\"%s\","
                "\"mean_ms\":%.3f,\"max_ms\":%.3f,\"open_seconds\":%.4f}\n",
                nq, total, pct(lat, nq, 50), pct(lat, nq, 95), pct(lat, nq, 99),
                so.default_or ? "or" : "and", sum / (double)nq, lat[nq - 1], open_s);
    }
    free(lat);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "index") == 0)
        return cmd_index(argv[2], argv[3]);
    if (argc == 5 && strcmp(argv[1], "search") == 0)
        return cmd_search(argv[2], argv[3], atol(argv[4]));
    fprintf(stderr, "usage: harness_adapter index CORPUS DIR\n"
                    "       harness_adapter search DIR QUERIES K\n");
    return 2;
}
