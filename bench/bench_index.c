/*
 * bench_index.c - indexing throughput of libnewsindex through the public API.
 *
 *   bench_index CORPUS.jsonl[.gz] DIR [--threads N] [--commit-every N] [--copy DST]
 *
 * Reads JSON Lines news records {"id","url","date","rubric","title","text"}
 * with nsearch's reader (tools/input.h: the same path as `nsearch index`),
 * adds them to a new index in DIR (which must not exist yet), commits every
 * 10,000 documents (or every --commit-every N; 0 = only once) and at the
 * end, and prints one JSON line on stdout:
 *
 *   corpus, docs, bad_records, raw_text_bytes (UTF-8 bytes of title + text),
 *   seconds, docs_per_s, mb_per_s (10^6 raw bytes per second), peak_rss_kb
 *   (getrusage ru_maxrss), index_bytes (ni_stats.file_bytes), index_ratio
 *   (index_bytes / raw_text_bytes), index_used_bytes, terms, tokens,
 *   commits, commit_every, threads
 *
 * and one human-readable line on stderr.  The clock (CLOCK_MONOTONIC) runs
 * from opening the corpus to the end of the last commit, so it includes
 * reading and decompressing the input, like the harness peers' figures.
 *
 * --copy DST: after the build, ni_index_copy writes a compacted copy into
 * DST (which must not exist yet); the JSON line then adds copy_seconds
 * (not part of seconds), copy_bytes (file size of the copy) and copy_ratio
 * (copy_bytes / raw_text_bytes).
 *
 * --threads N (default 1) is ni_open_options.threads: with N > 1 the
 * library analyses documents on N - 1 background threads while this one
 * reads the input, merges and writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include "input.h"
#include "newsindex.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Writes s as a JSON string body (quotes and backslashes escaped). */
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

static int usage(void)
{
    fprintf(stderr, "usage: bench_index CORPUS.jsonl[.gz] DIR [--threads N] "
                    "[--commit-every N] [--copy DST]\n");
    return 2;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "bench_index: %s: %s (%s)\n", what, ni_strerror(rc), ni_errmsg());
    return 2;
}

int main(int argc, char **argv)
{
    const char *corpus = NULL, *dir = NULL, *copy = NULL;
    ni_open_options opts = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    input *in = NULL;
    ni_doc d;
    ni_stats st;
    struct rusage ru;
    char err[1024];
    unsigned long long docs = 0, bad = 0, raw = 0, commits = 0;
    long threads = 1, every = 10000;
    double t0, secs, copy_secs = 0;
    ni_stats cst;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            char *end;
            threads = strtol(argv[++i], &end, 10);
            if (*end || threads < 1 || threads > 64)
                return usage();
        } else if (strcmp(argv[i], "--commit-every") == 0 && i + 1 < argc) {
            char *end;
            every = strtol(argv[++i], &end, 10);
            if (*end || every < 0)
                return usage();
        } else if (strcmp(argv[i], "--copy") == 0 && i + 1 < argc) {
#ifdef NI_COPY_DEFAULT
            copy = argv[++i];
#else
            fprintf(stderr, "bench_index: this library has no ni_index_copy\n");
            return 2;
#endif
        } else if (argv[i][0] == '-' && argv[i][1] == '-') {
            return usage();
        } else if (!corpus) {
            corpus = argv[i];
        } else if (!dir) {
            dir = argv[i];
        } else {
            return usage();
        }
    }
    if (!corpus || !dir)
        return usage();
    {
        struct stat sb;
        if (stat(dir, &sb) == 0 || (copy && stat(copy, &sb) == 0)) {
            fprintf(stderr, "bench_index: '%s' exists: the benchmark builds a new index, "
                            "remove it first\n", stat(dir, &sb) == 0 ? dir : copy);
            return 2;
        }
    }
    t0 = now();
#if NI_OPEN_OPTIONS_VERSION >= 2
    opts.threads = (unsigned)threads;
#else
    /* a library from before indexing threads (bench/compare.sh) */
    if (threads != 1) {
        fprintf(stderr, "bench_index: this library indexes on one thread only\n");
        return 2;
    }
#endif
    if ((rc = ni_index_open(&idx, dir, &opts)) < 0)
        return fail(dir, rc);
    if (input_open(&in, corpus, err, sizeof err) < 0) {
        fprintf(stderr, "bench_index: %s\n", err);
        ni_index_close(idx);
        return 2;
    }
    while ((rc = input_next(in, &d)) != NI_DONE) {
        if (rc == NI_EINVAL) {
            if (bad++ < 5)
                fprintf(stderr, "bench_index: skipped: %s\n", input_error(in));
            continue;
        }
        if (rc < 0) {
            fprintf(stderr, "bench_index: %s\n", input_error(in));
            input_close(in);
            ni_index_close(idx);
            return 2;
        }
        raw += d.title_len + d.text_len;
        if ((rc = ni_index_add(idx, &d)) < 0)
            return fail("add", rc);
        if (++docs % (unsigned long long)(every ? every : 1) == 0 && every) {
            if ((rc = ni_index_commit(idx)) < 0)
                return fail("commit", rc);
            commits++;
        }
    }
    input_close(in);
    if ((rc = ni_index_commit(idx)) < 0)
        return fail("commit", rc);
    commits++;
    secs = now() - t0;
    if ((rc = ni_index_stats(&st, idx)) < 0)
        return fail("stats", rc);
#ifdef NI_COPY_DEFAULT
    if (copy) {
        ni_index *c = NULL;
        double t1 = now();
        if ((rc = ni_index_copy(idx, copy, NI_COPY_DEFAULT)) < 0)
            return fail("copy", rc);
        copy_secs = now() - t1;
        if ((rc = ni_index_open(&c, copy, NULL)) < 0 || (rc = ni_index_stats(&cst, c)) < 0)
            return fail(copy, rc);
        ni_index_close(c);
    }
#endif
    ni_index_close(idx);
    getrusage(RUSAGE_SELF, &ru);

    printf("{\"bench\":\"index\",\"corpus\":\"");
    json_str(stdout, corpus);
    printf("\",\"docs\":%llu,\"bad_records\":%llu,\"raw_text_bytes\":%llu,"
           "\"seconds\":%.3f,\"docs_per_s\":%.1f,\"mb_per_s\":%.3f,\"peak_rss_kb\":%ld,"
           "\"index_bytes\":%llu,\"index_ratio\":%.4f,\"index_used_bytes\":%llu,"
           "\"terms\":%llu,\"tokens\":%llu,\"commits\":%llu,\"commit_every\":%ld,"
           "\"threads\":%ld",
           docs, bad, raw, secs, (double)docs / secs, (double)raw / 1e6 / secs,
           ru.ru_maxrss, (unsigned long long)st.file_bytes,
           raw ? (double)st.file_bytes / (double)raw : 0.0,
           (unsigned long long)st.index_bytes, (unsigned long long)st.terms,
           (unsigned long long)st.tokens, commits, every, threads);
    if (copy)
        printf(",\"copy_seconds\":%.3f,\"copy_bytes\":%llu,\"copy_ratio\":%.4f",
               copy_secs, (unsigned long long)cst.file_bytes,
               raw ? (double)cst.file_bytes / (double)raw : 0.0);
    printf("}\n");
    fprintf(stderr, "index  %9llu docs  %8.1f MB raw  %8.2f s  %9.1f docs/s  %6.2f MB/s  "
                    "index %8.1f MB (%.2fx raw)  peak RSS %ld MB\n",
            docs, (double)raw / 1e6, secs, (double)docs / secs, (double)raw / 1e6 / secs,
            (double)st.file_bytes / 1e6, raw ? (double)st.file_bytes / (double)raw : 0.0,
            ru.ru_maxrss / 1024);
    if (copy)
        fprintf(stderr, "copy   %8.2f s  index %8.1f MB (%.2fx raw)\n", copy_secs,
                (double)cst.file_bytes / 1e6, raw ? (double)cst.file_bytes / (double)raw : 0.0);
    return 0;
}
