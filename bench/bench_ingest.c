/*
 * bench_ingest.c - continuous ingest through the public API: small commits,
 * then every document replaced, as a newsroom adds and edits articles.
 *
 *   bench_ingest CORPUS.jsonl[.gz] DIR [--commit N] [--passes P] [--limit D]
 *                [--first-commit M] [--replace R] [--reclaim PCT] [--threads N]
 *                [--trace FILE]
 *
 * Reads the corpus into memory first (nsearch's reader, tools/input.h), so
 * the clock measures ni_index_add and ni_index_commit only.  Pass 1 adds
 * the first D documents (all by default) to a new index in DIR, committing
 * every N (default 100); each further pass adds them again with the same
 * ids, so each commit replaces N documents.  --first-commit M: pass 1
 * commits every M documents instead (a big first load, then small
 * commits); --replace R: the later passes replace the first R documents
 * only.  Every commit is durable: the
 * library commits with LMDB's default sync (data pages and meta page on
 * disk before ni_index_commit returns); it has no option to do otherwise.
 *
 * One JSON line per pass on stdout: pass, docs, commits, commit_docs,
 * raw_text_bytes (UTF-8 bytes of title + text), seconds, docs_per_s,
 * commits_per_s, mb_per_s, file_bytes after the pass and max_file_bytes
 * over its commits (ni_stats.file_bytes: the LMDB file never shrinks),
 * used_bytes, deleted (ni_stats.deleted), written_bytes (what the process
 * passed to write(2)/pwrite(2) meanwhile, /proc/self/io wchar: the pages
 * the commits wrote, whatever the machine's load) and written_per_raw
 * (written_bytes / raw_text_bytes).  --trace FILE writes
 * "pass commit file_bytes used_bytes" after every commit.
 * --reclaim PCT sets ni_open_options.reclaim_percent (0: the default).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "input.h"
#include "newsindex.h"

typedef struct doc_copy {
    ni_doc d;
    char *mem;
} doc_copy;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Bytes this process has passed to write(2) and pwrite(2) so far (the
 * wchar of /proc/self/io: LMDB writes a commit's dirty pages with them),
 * 0 when unknown. */
static unsigned long long written(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    char line[128];
    unsigned long long n = 0;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "wchar: %llu", &n) == 1)
            break;
    fclose(f);
    return n;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_ingest CORPUS.jsonl[.gz] DIR [--commit N] [--passes P] "
                    "[--limit D] [--first-commit M] [--replace R] [--reclaim PCT] "
                    "[--threads N] [--trace FILE]\n");
    return 2;
}

static int fail(const char *what, int rc)
{
    fprintf(stderr, "bench_ingest: %s: %s (%s)\n", what, ni_strerror(rc), ni_errmsg());
    return 2;
}

/* Copies one string of d into *p (advanced), NUL-terminated. */
static const char *keep(char **p, const char *s, size_t n)
{
    char *out = *p;
    if (!s)
        return NULL;
    memcpy(out, s, n);
    out[n] = 0;
    *p += n + 1;
    return out;
}

/* A copy of d that outlives the reader. */
static int copy_doc(doc_copy *c, const ni_doc *d)
{
    size_t n = d->id_len + d->url_len + d->rubric_len + d->title_len + d->text_len +
               d->credit_len + 6;
    char *p = malloc(n);
    if (!p)
        return -1;
    c->mem = p;
    c->d = *d;
    c->d.id = keep(&p, d->id, d->id_len);
    c->d.url = keep(&p, d->url, d->url_len);
    c->d.rubric = keep(&p, d->rubric, d->rubric_len);
    c->d.title = keep(&p, d->title, d->title_len);
    c->d.text = keep(&p, d->text, d->text_len);
    c->d.credit = keep(&p, d->credit, d->credit_len);
    return 0;
}

static long arg_long(const char *s, long lo, long hi)
{
    char *end;
    long v = strtol(s, &end, 10);
    return *end || v < lo || v > hi ? -1 : v;
}

int main(int argc, char **argv)
{
    const char *corpus = NULL, *dir = NULL, *trace_path = NULL;
    ni_open_options opts = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    input *in = NULL;
    doc_copy *docs = NULL;
    FILE *trace = NULL;
    ni_doc d;
    ni_stats st;
    char err[1024];
    size_t ndocs = 0, cap = 0, i;
    long every = 100, passes = 3, limit = -1, reclaim = 0, threads = 1, pass;
    long first_every = 0, replace = -1;
    int a, rc;

    for (a = 1; a < argc; a++) {
        long *dst = NULL, lo = 1;
        if (strcmp(argv[a], "--commit") == 0)
            dst = &every;
        else if (strcmp(argv[a], "--passes") == 0)
            dst = &passes;
        else if (strcmp(argv[a], "--limit") == 0)
            dst = &limit;
        else if (strcmp(argv[a], "--first-commit") == 0)
            dst = &first_every;
        else if (strcmp(argv[a], "--replace") == 0)
            dst = &replace;
        else if (strcmp(argv[a], "--reclaim") == 0)
            dst = &reclaim, lo = 0;
        else if (strcmp(argv[a], "--threads") == 0)
            dst = &threads;
        else if (strcmp(argv[a], "--trace") == 0 && a + 1 < argc) {
            trace_path = argv[++a];
            continue;
        } else if (argv[a][0] == '-' && argv[a][1] == '-')
            return usage();
        else if (!corpus)
            corpus = argv[a];
        else if (!dir)
            dir = argv[a];
        else
            return usage();
        if (dst && (a + 1 >= argc || (*dst = arg_long(argv[++a], lo, 1L << 30)) < 0))
            return usage();
    }
    if (!corpus || !dir)
        return usage();
    {
        struct stat sb;
        if (stat(dir, &sb) == 0) {
            fprintf(stderr, "bench_ingest: '%s' exists: remove it first\n", dir);
            return 2;
        }
    }
    if (input_open(&in, corpus, err, sizeof err) < 0) {
        fprintf(stderr, "bench_ingest: %s\n", err);
        return 2;
    }
    while ((rc = input_next(in, &d)) != NI_DONE && (limit < 0 || (long)ndocs < limit)) {
        if (rc == NI_EINVAL)
            continue;
        if (rc < 0) {
            fprintf(stderr, "bench_ingest: %s\n", input_error(in));
            return 2;
        }
        if (ndocs == cap) {
            doc_copy *n = realloc(docs, (cap = cap ? cap * 2 : 1024) * sizeof *docs);
            if (!n)
                return fail("read", NI_ENOMEM);
            docs = n;
        }
        if (copy_doc(&docs[ndocs], &d) < 0)
            return fail("read", NI_ENOMEM);
        ndocs++;
    }
    input_close(in);
    if (trace_path && !(trace = fopen(trace_path, "w"))) {
        fprintf(stderr, "bench_ingest: cannot write '%s'\n", trace_path);
        return 2;
    }

    opts.threads = (unsigned)threads;
#if NI_OPEN_OPTIONS_VERSION >= 3
    opts.reclaim_percent = (unsigned)reclaim;
#else
    /* a library from before reclamation (the baseline of bench/README.md) */
    if (reclaim) {
        fprintf(stderr, "bench_ingest: this library has no reclaim_percent\n");
        return 2;
    }
#endif
    if ((rc = ni_index_open(&idx, dir, &opts)) < 0)
        return fail(dir, rc);
    for (pass = 1; pass <= passes; pass++) {
        unsigned long long commits = 0, max_file = 0, pass_raw = 0;
        size_t n = pass > 1 && replace >= 0 && (size_t)replace < ndocs ? (size_t)replace : ndocs;
        size_t per = (size_t)(pass == 1 && first_every ? first_every : every);
        unsigned long long w0 = written();
        double t0 = now(), secs;
        for (i = 0; i < n; i++) {
            if ((rc = ni_index_add(idx, &docs[i].d)) < 0)
                return fail("add", rc);
            pass_raw += docs[i].d.title_len + docs[i].d.text_len;
            if ((i + 1) % per != 0 && i + 1 != n)
                continue;
            if ((rc = ni_index_commit(idx)) < 0)
                return fail("commit", rc);
            commits++;
            /* the file's size at each commit, outside the clock */
            secs = now();
            if ((rc = ni_index_stats(&st, idx)) < 0)
                return fail("stats", rc);
            if (st.file_bytes > max_file)
                max_file = st.file_bytes;
            if (trace)
                fprintf(trace, "%ld %llu %llu %llu\n", pass, commits,
                        (unsigned long long)st.file_bytes, (unsigned long long)st.index_bytes);
            t0 += now() - secs;
        }
        secs = now() - t0;
        w0 = written() - w0;
        printf("{\"bench\":\"ingest\",\"pass\":%ld,\"docs\":%zu,\"commits\":%llu,"
               "\"commit_docs\":%ld,\"raw_text_bytes\":%llu,\"seconds\":%.3f,"
               "\"docs_per_s\":%.1f,\"commits_per_s\":%.1f,\"mb_per_s\":%.3f,"
               "\"file_bytes\":%llu,\"max_file_bytes\":%llu,\"used_bytes\":%llu,"
               "\"deleted\":%llu,\"written_bytes\":%llu,\"written_per_raw\":%.2f,"
               "\"reclaim_percent\":%ld,\"durability\":\"lmdb sync\"}\n",
               pass, n, commits, (long)per, pass_raw, secs, (double)n / secs,
               (double)commits / secs, (double)pass_raw / 1e6 / secs,
               (unsigned long long)st.file_bytes, max_file, (unsigned long long)st.index_bytes,
               (unsigned long long)st.deleted, w0, pass_raw ? (double)w0 / (double)pass_raw : 0.0,
               reclaim);
        fflush(stdout);
    }
    ni_index_close(idx);
    if (trace)
        fclose(trace);
    for (i = 0; i < ndocs; i++)
        free(docs[i].mem);
    free(docs);
    return 0;
}
