/*
 * cmd_index.c - "nsearch index DB PATH...": adds documents to an index.
 *
 * PATHs are files, directories or "-" for standard input.  A directory is
 * walked recursively in byte order of names; it yields the regular files
 * named *.jsonl, *.ndjson, *.json or *.txt (each possibly .gz), skipping
 * names that start with '.', symbolic links and the index directory itself;
 * a directory that is one of those it is in (a bind mount can make such a
 * loop) is an error, not walked again.
 * A file named explicitly is always read.  The format of each file is
 * decided by input.h from its content and name.
 *
 * Document ids: the record's id, else its url, else one made from where it
 * was read, the same however the path was typed: a file found in a
 * directory walk is named by its path relative to that directory
 * ("nsearch index db corpus" and "... /abs/corpus/" both give "x.txt" and
 * "2024/y.jsonl"), a file named explicitly by its file name; an article
 * page gets that name, a JSON Lines record NAME:LINE (one warning per file
 * counts them), so indexing the same files again replaces their documents.
 * Records from standard input without an id or url get
 * "stdin-SECONDS.NANOSECONDS-PID:LINE", unique to the run: a second feed
 * adds its documents beside the first one's.  An id read twice in one run
 * is reported (the later record replaces the earlier one).
 *
 * The batch is committed every --batch documents and at the end, so a crash
 * loses at most one batch.  A bad record is reported as "file:line: reason"
 * and counted; indexing goes on.  A file that cannot be read is reported
 * and counted as an error (exit 2 at the end, like grep), the other files
 * are still indexed.  Failures of the index itself (add, commit) stop at
 * once: the current batch is dropped, earlier batches stay committed.
 *
 * Progress (documents, MB/s, ETA) is drawn on stderr only when stderr is a
 * terminal and -q is not given; one summary line is always printed.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "idset.h"
#include "input.h"

static const char usage[] =
    "usage: " CLI_PROG " index DB PATH... [options]\n"
    "\n"
    "Adds the documents in each PATH to the index in directory DB (created\n"
    "when missing).  PATH is a file (JSON Lines, optionally gzip-compressed,\n"
    "or an article page as text), a directory (read recursively: files\n"
    "named *.jsonl, *.ndjson, *.json or *.txt, each possibly .gz; hidden\n"
    "names skipped) or '-' for standard input.  A document whose id is\n"
    "already in the index replaces it.  A record without an id or url is\n"
    "named by its file and line: the path relative to the directory given\n"
    "(the file name for a file given), so re-indexing replaces; records from\n"
    "standard input get ids unique to the run.\n"
    "\n"
    "Bad records are reported (file:line) and counted.  An input that cannot\n"
    "be read is reported and the others are still indexed.  Exit status: 0\n"
    "when every input was read (bad records included), 2 when one could not\n"
    "be read or the index failed.\n"
    "\n"
    "      --batch N     commit every N documents (default 50000; each commit\n"
    "                    makes what it adds durable, bigger batches make a\n"
    "                    smaller index)\n"
    "  -j, --threads N   threads analysing documents (default: the number of\n"
    "                    processors, at most 8; 1 = all in one thread)\n"
    "  -q, --quiet       no progress display\n"
    "      --shards N    split the documents over N indexes in DB (1 to 256;\n"
    "                    by a hash of the id; DB/shards names N): `query` on\n"
    "                    such a DB gives what one index would; later runs find\n"
    "                    the shards by themselves\n"
    "  -h, --help        show this help\n";

enum { OPT_BATCH = 1, OPT_QUIET, OPT_THREADS, OPT_SHARDS };

static const cli_opt opts[] = {
    { "--batch", OPT_BATCH, 1 },
    { "-j|--threads", OPT_THREADS, 1 },
    { "-q|--quiet", OPT_QUIET, 0 },
    { "--shards", OPT_SHARDS, 1 },
    { NULL, 0, 0 },
};

#define DEFAULT_BATCH 50000
#define MAX_DEFAULT_THREADS 8
#define PROGRESS_INTERVAL 0.2 /* seconds between progress redraws */

/* One input to read, in order. */
typedef struct source {
    char *path;     /* "-" for standard input */
    const char *idname; /* for ids (input_set_id_name): in path, or NULL for stdin */
    uint64_t size;  /* bytes, 0 when unknown */
} source;

#define MAX_TWICE_SHOWN 10  /* ids read twice reported one by one, then counted */
#define MAX_BAD_SHOWN 10    /* bad records of a file reported one by one, then counted */

typedef struct job {
    const char *db;
    ni_index *idx;
    ni_shardset *set;    /* with --shards or a sharded DB: instead of idx */
    size_t batch;
    int progress;        /* draw progress on stderr */
    source *src;
    size_t nsrc, capsrc;
    uint64_t total_bytes;
    int total_known;     /* every source has a known size */
    dev_t db_dev;        /* the index directory, never walked into */
    ino_t db_ino;
    int have_db_id;
    uint64_t docs, pending, committed, bad, warnings, errors;
    idset ids;           /* read in this run */
    uint64_t twice;      /* ids read again */
    char stdin_name[64]; /* the id name of standard input's records */
    uint64_t bytes_done; /* bytes of finished sources */
    uint64_t text_bytes; /* UTF-8 bytes of titles and texts added */
    struct timespec t0;
    double last_draw;
    size_t drawn;        /* width of the progress line on screen */
} job;

/* Erases the progress line so that a message can be printed. */
static void progress_clear(job *j)
{
    if (!j->drawn)
        return;
    fprintf(stderr, "\r%*s\r", (int)j->drawn, "");
    j->drawn = 0;
}

/* Prints a diagnostic line to stderr (with the "nsearch: " prefix when
 * prefixed), clearing the progress line first. */
static void job_msg(job *j, int prefixed, const char *fmt, ...)
    CLI_PRINTF(3, 4);
static void job_msg(job *j, int prefixed, const char *fmt, ...)
{
    va_list ap;
    progress_clear(j);
    va_start(ap, fmt);
    cli_vmessage(prefixed, fmt, ap);
    va_end(ap);
}

static void progress_draw(job *j, const input *in)
{
    if (!j->progress)
        return;
    double t = out_elapsed(&j->t0);
    if (t - j->last_draw < PROGRESS_INTERVAL)
        return;
    j->last_draw = t;
    uint64_t done = j->bytes_done + (in ? input_bytes_read(in) : 0);
    char line[200], b1[32], b2[32];
    double rate = t > 0 ? (double)done / 1e6 / t : 0;
    int n;
    if (j->total_known && j->total_bytes > 0) {
        double frac = (double)done / (double)j->total_bytes;
        if (frac > 1)
            frac = 1;
        n = snprintf(line, sizeof line,
                     "indexing: %llu docs, %s of %s (%.0f%%), %.1f MB/s",
                     (unsigned long long)j->docs,
                     out_bytes(b1, sizeof b1, done),
                     out_bytes(b2, sizeof b2, j->total_bytes), frac * 100,
                     rate);
        if (rate > 0 && done < j->total_bytes) {
            double eta = (double)(j->total_bytes - done) / 1e6 / rate;
            unsigned long s = (unsigned long)(eta + 0.5);
            n += snprintf(line + n, sizeof line - (size_t)n,
                          ", ETA %lu:%02lu", s / 60, s % 60);
        }
    } else {
        n = snprintf(line, sizeof line, "indexing: %llu docs, %s, %.1f MB/s",
                     (unsigned long long)j->docs,
                     out_bytes(b1, sizeof b1, done), rate);
    }
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    /* Pad over a longer previous line rather than rely on terminal escapes. */
    fprintf(stderr, "\r%s%*s", line,
            j->drawn > len ? (int)(j->drawn - len) : 0, "");
    fflush(stderr);
    j->drawn = len > j->drawn ? len : j->drawn;
}

/* Adds path to the sources; its id name is the part of it from idoff on
 * (idoff == SIZE_MAX: standard input). */
static int add_source(job *j, const char *path, size_t idoff, uint64_t size, int known)
{
    if (j->nsrc == j->capsrc) {
        size_t cap = j->capsrc ? j->capsrc * 2 : 16;
        source *v = realloc(j->src, cap * sizeof *v);
        if (!v)
            return NI_ENOMEM;
        j->src = v;
        j->capsrc = cap;
    }
    char *p = strdup(path);
    if (!p)
        return NI_ENOMEM;
    j->src[j->nsrc].path = p;
    j->src[j->nsrc].idname = idoff == SIZE_MAX ? NULL : p + idoff;
    j->src[j->nsrc].size = size;
    j->nsrc++;
    j->total_bytes += size;
    if (!known)
        j->total_known = 0;
    return 0;
}

static int is_db_dir(const job *j, const struct stat *st)
{
    return j->have_db_id && st->st_dev == j->db_dev && st->st_ino == j->db_ino;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files a directory walk reads: news inputs, not READMEs or other files. */
static int indexable_name(const char *name)
{
    static const char *const sufs[] = { ".jsonl", ".ndjson", ".json", ".txt" };
    size_t n = strlen(name), i;
    if (n > 3 && strcmp(name + n - 3, ".gz") == 0)
        n -= 3;
    for (i = 0; i < sizeof sufs / sizeof sufs[0]; i++) {
        size_t k = strlen(sufs[i]);
        if (n > k && strncmp(name + n - k, sufs[i], k) == 0)
            return 1;
    }
    return 0;
}

/* A directory being walked, and the ones it is in. */
typedef struct walk_level {
    dev_t dev;
    ino_t ino;
    const char *path;
    const struct walk_level *up;
} walk_level;

/* Collects the news input files under directory dir, sorted by name; the
 * first rootlen bytes of their paths are the directory given (and its
 * slash), left out of their id names.  up: the directories dir is in,
 * NULL for the one given.  A directory that is one it is in (a bind
 * mount of a parent) is an error, not walked again. */
static int walk_dir(job *j, const char *dir, size_t rootlen, const walk_level *up)
{
    DIR *d = opendir(dir);
    struct stat dst = { 0 };
    walk_level here;
    if (!d) {
        job_msg(j, 1, "cannot read directory '%s': %s", dir, strerror(errno));
        j->errors++;
        return 0;
    }
    if (fstat(dirfd(d), &dst) == 0) {
        for (const walk_level *l = up; l; l = l->up)
            if (l->dev == dst.st_dev && l->ino == dst.st_ino) {
                job_msg(j, 1, "cannot read directory '%s': a directory loop (it is '%s')",
                        dir, l->path);
                j->errors++;
                closedir(d);
                return 0;
            }
    }
    here.dev = dst.st_dev;
    here.ino = dst.st_ino;
    here.path = dir;
    here.up = up;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 32;
            char **v = realloc(names, ncap * sizeof *v);
            if (!v) {
                rc = NI_ENOMEM;
                goto cleanup;
            }
            names = v;
            cap = ncap;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = NI_ENOMEM;
            goto cleanup;
        }
        n++;
        errno = 0;
    }
    if (errno) {
        job_msg(j, 1, "cannot read directory '%s': %s", dir, strerror(errno));
        j->errors++;
    }
    if (n)
        qsort(names, n, sizeof *names, cmp_names);

    size_t dlen = strlen(dir);
    int slash = dlen > 0 && dir[dlen - 1] == '/';
    for (size_t i = 0; i < n && rc == 0; i++) {
        size_t plen = dlen + 1 + strlen(names[i]) + 1;
        char *path = malloc(plen);
        if (!path) {
            rc = NI_ENOMEM;
            break;
        }
        snprintf(path, plen, "%s%s%s", dir, slash ? "" : "/", names[i]);
        struct stat st;
        if (lstat(path, &st) != 0) {
            job_msg(j, 1, "cannot read '%s': %s", path, strerror(errno));
            j->errors++;
        } else if (S_ISDIR(st.st_mode)) {
            if (!is_db_dir(j, &st))
                rc = walk_dir(j, path, rootlen, &here);
        } else if (S_ISREG(st.st_mode) && indexable_name(names[i])) {
            rc = add_source(j, path, rootlen, (uint64_t)st.st_size, 1);
        }
        free(path);
    }

cleanup:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    closedir(d);
    return rc;
}

/* Adds one PATH argument: "-", a file (any kind: a named pipe or
 * /dev/stdin is read too when named explicitly) or a directory. */
static int collect(job *j, const char *path)
{
    if (strcmp(path, "-") == 0)
        return add_source(j, path, SIZE_MAX, 0, 0);
    struct stat st;
    if (stat(path, &st) != 0) {
        job_msg(j, 1, "cannot open '%s': %s", path, strerror(errno));
        j->errors++;
        return 0;
    }
    if (S_ISDIR(st.st_mode)) {
        if (is_db_dir(j, &st)) {
            job_msg(j, 1, "'%s' is the index itself; skipped", path);
            return 0;
        }
        size_t len = strlen(path);
        return walk_dir(j, path, len + (len > 0 && path[len - 1] != '/'), NULL);
    }
    const char *base = strrchr(path, '/');
    return add_source(j, path, base ? (size_t)(base + 1 - path) : 0,
                      S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0, S_ISREG(st.st_mode));
}

static int commit(job *j)
{
    int rc = j->set ? ni_shardset_commit(j->set) : ni_index_commit(j->idx);
    if (rc != 0) {
        job_msg(j, 1, "cannot commit to index '%s': %s", j->db,
                cli_errdetail(rc));
        return rc;
    }
    j->committed += j->pending;
    j->pending = 0;
    return 0;
}

static void plural(char *buf, size_t size, uint64_t n, const char *one,
                   const char *many)
{
    snprintf(buf, size, "%llu %s", (unsigned long long)n, n == 1 ? one : many);
}

/* Reports doc's id when this run read it before (the first few, then a
 * count in the summary).  0 or NI_ENOMEM (reported). */
static int read_twice(job *j, const input *in, const ni_doc *doc)
{
    int rc = idset_add(&j->ids, doc->id, doc->id_len);
    if (rc == NI_ENOMEM) {
        job_msg(j, 1, "out of memory");
        return rc;
    }
    if (rc == 1 && j->twice++ < MAX_TWICE_SHOWN) {
        char echo[CLI_ECHO_SIZE];
        job_msg(j, 0, "warning: %s:%lu: id '%s' was read before in this run; this record "
                "replaces that one%s", input_name(in), input_line(in),
                cli_echo(echo, sizeof echo, doc->id, doc->id_len),
                j->twice == MAX_TWICE_SHOWN ? " (more are only counted)" : "");
    }
    return 0;
}

/* Reads one source into the index.  Returns 0 (also after errors in the
 * source, which are reported and counted) or a negative code when the
 * whole run must stop (reported). */
static int index_source(job *j, const source *s)
{
    char errbuf[512];
    input *in = NULL;
    uint64_t bad = 0;
    int rc = input_open(&in, s->path, errbuf, sizeof errbuf);
    if (rc == 0)
        rc = input_set_id_name(in, s->idname ? s->idname : j->stdin_name);
    if (rc == NI_EINVAL) {              /* not news: a binary file */
        job_msg(j, 0, "warning: %s", errbuf);
        j->warnings++;
        j->bytes_done += s->size;
        return 0;
    }
    if (rc != 0) {
        job_msg(j, 1, "%s", rc == NI_ENOMEM ? "out of memory" : errbuf);
        if (rc == NI_ENOMEM)
            return rc;
        j->errors++;
        j->total_bytes -= s->size;      /* none of it was read */
        return 0;
    }
    for (;;) {
        ni_doc doc;
        rc = input_next(in, &doc);
        if (rc == NI_DONE) {
            rc = 0;
            break;
        }
        if (rc == NI_EINVAL) {
            if (bad++ < MAX_BAD_SHOWN)
                job_msg(j, 0, "%s%s", input_error(in),
                        bad == MAX_BAD_SHOWN ? " (more in this file are only counted)" : "");
            j->bad++;
            continue;
        }
        if (rc == NI_ENOMEM) {
            job_msg(j, 1, "out of memory");
            break;
        }
        if (rc != 0) {
            job_msg(j, 0, "%s", input_error(in));
            j->errors++;
            rc = 0;
            break;
        }
        const char *warn = input_warning(in);
        if (warn) {
            job_msg(j, 0, "warning: %s", warn);
            j->warnings++;
        }
        rc = j->set ? ni_shardset_add(j->set, &doc) : ni_index_add(j->idx, &doc);
        if (rc == NI_EINVAL) {
            char echo[CLI_ECHO_SIZE];
            job_msg(j, 1, "%s:%lu: cannot add document '%s': %s", s->path, input_line(in),
                    cli_echo(echo, sizeof echo, doc.id ? doc.id : "", doc.id ? doc.id_len : 0),
                    cli_errdetail(rc));
            j->bad++;
            continue;
        }
        if (rc != 0) {
            job_msg(j, 1, "cannot add to index '%s': %s", j->db,
                    cli_errdetail(rc));
            break;
        }
        j->docs++;
        j->pending++;
        j->text_bytes += doc.title_len + doc.text_len;
        if ((rc = read_twice(j, in, &doc)) != 0)
            break;
        if (j->pending >= j->batch && (rc = commit(j)) != 0)
            break;
        progress_draw(j, in);
    }
    if (bad > MAX_BAD_SHOWN)
        job_msg(j, 0, "%s: %llu bad records in all", input_name(in), (unsigned long long)bad);
    if (input_unnamed(in)) {
        char what[64];
        plural(what, sizeof what, input_unnamed(in), "record", "records");
        if (s->idname)
            job_msg(j, 0, "warning: %s: %s without an id or url, named %s:LINE",
                    input_name(in), what, s->idname);
        else
            job_msg(j, 0, "warning: %s: %s without an id or url, named %s:LINE (feeding "
                    "them again adds them again)", input_name(in), what, j->stdin_name);
        j->warnings++;
    }
    j->bytes_done += input_bytes_read(in);
    input_close(in);
    return rc;
}

static void print_summary(job *j)
{
    double t = out_elapsed(&j->t0);
    char docs[64], size[32], text[32], extra[240] = "", part[64];
    plural(docs, sizeof docs, j->committed, "document", "documents");
    out_bytes(size, sizeof size, j->bytes_done);
    out_bytes(text, sizeof text, j->text_bytes);
    const uint64_t counts[4] = { j->bad, j->warnings, j->twice, j->errors };
    const char *names[4][2] = { { "bad record", "bad records" },
                                { "warning", "warnings" },
                                { "id read twice", "ids read twice" },
                                { "error", "errors" } };
    for (int i = 0; i < 4; i++) {
        if (!counts[i])
            continue;
        plural(part, sizeof part, counts[i], names[i][0], names[i][1]);
        size_t len = strlen(extra);
        snprintf(extra + len, sizeof extra - len, "%s%s", len ? ", " : "; ",
                 part);
    }
    progress_clear(j);
    fprintf(stderr, CLI_PROG ": indexed %s (%s read, %s of text) in %.1f s, "
            "%.1f MB/s of text%s\n", docs, size, text, t,
            t > 0 ? (double)j->text_bytes / 1e6 / t : 0.0, extra);
}

/* Refuses (1, reported) an index path that is an input directory: one
 * that holds files but no index, as when the arguments are swapped
 * ("nsearch index corpus news.idx" would write an index among the
 * articles).  An index inside a directory walked is fine: the walk skips
 * it. */
static int misplaced_index(const char *db)
{
    struct stat st;
    struct dirent *e;
    DIR *d;
    int files = 0, lmdb = 0;

    if (stat(db, &st) != 0 || !S_ISDIR(st.st_mode) || !(d = opendir(db)))
        return 0;
    /* lock.mdb alone: another writer is creating the index */
    while ((e = readdir(d))) {
        lmdb |= !strcmp(e->d_name, "data.mdb") || !strcmp(e->d_name, "lock.mdb") ||
                !strcmp(e->d_name, "shards");
        files |= strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    }
    closedir(d);
    if (files && !lmdb) {
        cli_error("'%s' is a directory that holds files but no index; "
                  "are the arguments swapped? (usage: " CLI_PROG " index DB PATH...)", db);
        return 1;
    }
    return 0;
}

/* What the options ask for. */
typedef struct index_args {
    size_t batch, threads, shards;
    int quiet;
} index_args;

static int index_opt(cli_args *a, int key, void *payload)
{
    index_args *o = payload;
    switch (key) {
    case OPT_QUIET:
        o->quiet = 1;
        break;
    case OPT_BATCH:
        if (cli_parse_size(a, a->value, &o->batch) < 0)
            return -1;
        if (o->batch == 0) {
            cli_usage_error(a, "--batch must be at least 1");
            return -1;
        }
        break;
    case OPT_SHARDS:
        if (cli_parse_size(a, a->value, &o->shards) < 0)
            return -1;
        if (o->shards == 0 || o->shards > NI_SHARDS_MAX) {
            cli_usage_error(a, "--shards must be 1 to %d", NI_SHARDS_MAX);
            return -1;
        }
        break;
    case OPT_THREADS:
        if (cli_parse_size(a, a->value, &o->threads) < 0)
            return -1;
        if (o->threads == 0 || o->threads > 64) {
            cli_usage_error(a, "--threads must be 1 to 64");
            return -1;
        }
        break;
    }
    return 0;
}

int cmd_index(int argc, char **argv)
{
    job j;
    memset(&j, 0, sizeof j);
    j.total_known = 1;
    int rc = 0, ret;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    index_args ia = { DEFAULT_BATCH,
                      cpus < 1 ? 1 : cpus > MAX_DEFAULT_THREADS ? MAX_DEFAULT_THREADS : (size_t)cpus,
                      0, 0 };
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    cli_list args;

    if ((ret = cli_list_args(&args, argc, argv, opts, usage, "no input PATH given", index_opt,
                             &ia)) != -1)
        return ret;
    ret = EXIT_ERROR;
    j.db = args.db;
    if (misplaced_index(j.db))
        goto cleanup;
    j.batch = ia.batch;
    j.progress = !ia.quiet && isatty(STDERR_FILENO);
    clock_gettime(CLOCK_MONOTONIC, &j.t0);
    {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        snprintf(j.stdin_name, sizeof j.stdin_name, "stdin-%lld.%09ld-%ld",
                 (long long)now.tv_sec, (long)now.tv_nsec, (long)getpid());
    }

    o.flags = NI_OPEN_CREATE;
    o.threads = (unsigned)ia.threads;
    if (ia.shards || cli_is_sharded(j.db)) {
        if ((rc = ni_shardset_open(&j.set, j.db, (unsigned)ia.shards, &o)) < 0) {
            cli_error("cannot open sharded index '%s': %s", j.db, cli_errdetail(rc));
            goto cleanup;
        }
    } else if (cli_open_index_with(&j.idx, j.db, &o) != 0)
        goto cleanup;
    struct stat st;
    if (stat(j.db, &st) == 0) {
        j.db_dev = st.st_dev;
        j.db_ino = st.st_ino;
        j.have_db_id = 1;
    }

    for (int i = 0; i < args.n && rc == 0; i++)
        rc = collect(&j, args.items[i]);
    if (rc != 0) {
        job_msg(&j, 1, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < j.nsrc && rc == 0; i++)
        rc = index_source(&j, &j.src[i]);
    if (rc == 0)
        rc = commit(&j);
    print_summary(&j);
    ret = rc == 0 && j.errors == 0 ? 0 : EXIT_ERROR;

cleanup:
    ni_index_close(j.idx);
    ni_shardset_close(j.set);
    for (size_t i = 0; i < j.nsrc; i++)
        free(j.src[i].path);
    free(j.src);
    idset_free(&j.ids);
    cli_list_free(&args);
    return ret;
}
