/*
 * test_copy.c - ni_index_copy.  The copy of an index built in many flushes
 * and commits (with replacements and deletions) holds the same tables,
 * entry for entry and byte for byte, in no more pages (fewer in all), and
 * answers searches the same; it passes ni_index_check and takes further
 * writes.  A copy taken while another thread commits is one committed
 * state.  An index opened read-only copies.  A destination that holds an
 * index, is a file or holds a leftover temporary is refused and left as it
 * was.  A failing allocation at any point, or a process killed at any
 * moment, leaves either no index at the destination or the whole copy.
 */
#include <errno.h>
#include <lmdb.h>
#include <pthread.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/mem.h"
#include "lmdbcmp.h"
#include "test.h"
#include "tmpdir.h"

#define NDOCS 1200

static const char *const words[] = {
    "школа", "мэров", "выпуск", "Москва", "Ростов-на-Дону", "губернатор", "ёлка",
    "COVID-19", "2024", "10,5", "экономика", "бюджет", "выборы", "суд", "новости",
    "погода", "мост", "театр", "завод", "полиция",
};

/* Document i, in buf; ids repeat so that later documents replace earlier
 * ones; rare words ("слово123") make terms arrive in later flushes between
 * existing ones. */
static void make_doc(ni_doc *d, char *buf, size_t size, unsigned i)
{
    size_t n = 0, k, len = 40 + (i * 37) % 900;
    char *id = buf, *title, *text;
    unsigned r = i * 2654435761u;

    n += (size_t)snprintf(buf + n, size - n, "doc-%u", i % 9 == 8 ? i - 5 : i) + 1;
    title = buf + n;
    n += (size_t)snprintf(buf + n, size - n, "%s %s %u", words[i % 20], words[(i / 3) % 20], i) + 1;
    text = buf + n;
    for (k = 0; n + 40 < size && k < len / 8; k++) {
        r = r * 1103515245u + 12345u;
        n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? " " : "", words[(r >> 16) % 20]);
        if (k % 5 == 4)
            n += (size_t)snprintf(buf + n, size - n, " слово%u", (r >> 8) % 20000);
    }
    *d = (ni_doc)NI_DOC_INIT;
    d->id = id;
    d->id_len = strlen(id);
    d->title = title;
    d->title_len = strlen(title);
    d->text = text;
    d->text_len = strlen(text);
    if (i % 3 == 0) {
        d->rubric = i % 2 ? "Общество" : "Экономика";
        d->rubric_len = strlen(d->rubric);
    }
    d->date = 1700000000 + (int64_t)i * 3600;
}

/* Adds documents first..last-1 to idx, deleting one now and then; commits
 * every `every` documents and at the end. */
static int add_docs(ni_index *idx, unsigned first, unsigned last, unsigned every)
{
    char buf[16384], id[32];
    unsigned i;
    int rc = 0;

    for (i = first; i < last && rc >= 0; i++) {
        ni_doc d;
        make_doc(&d, buf, sizeof buf, i);
        rc = ni_index_add(idx, &d);
        if (rc >= 0 && i % 40 == 39 && (i - 17) % 9 != 8) {
            snprintf(id, sizeof id, "doc-%u", i - 17);
            rc = ni_index_delete(idx, id, strlen(id));
        }
        if (rc >= 0 && every && i % every == every - 1)
            rc = ni_index_commit(idx);
    }
    return rc < 0 ? rc : ni_index_commit(idx);
}

/* An index of NDOCS documents built with a 64 KiB memory budget (a flush
 * every few dozen documents) and a commit every 300. */
static void build(const char *dir)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    o.memory_budget = 64 << 10;
    CHECK_RC(ni_index_open(&idx, dir, &o), 0);
    CHECK_RC(add_docs(idx, 0, NDOCS, 300), 0);
    ni_index_close(idx);
}

/* The copy b holds a's tables entry for entry, each in no more pages
 * (lmdbcmp.h); *pa and *pb receive the pages of all tables. */
static int same_tables(const char *a, const char *b, int pages_le, size_t *pa, size_t *pb)
{
    lmdb_cmp c;
    int same = lmdb_same_tables(a, b, pages_le, &c);
    if (pa)
        *pa = c.pages[0];
    if (pb)
        *pb = c.pages[1];
    return same && c.tables == 9 && c.entries > NDOCS;
}

/* The hits of query (ids, scores, total) as text, for comparison. */
static void results(ni_index *idx, const char *query, char *out, size_t size)
{
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit;
    size_t n = 0;
    int rc;

    so.limit = 50;
    out[0] = '\0';
    rc = ni_search(&h, idx, query, strlen(query), &so);
    CHECK_RC(rc, 0);
    if (rc < 0)
        return;
    n += (size_t)snprintf(out, size, "%llu:", (unsigned long long)ni_hits_total(h));
    while (n < size && ni_hits_next(h, &hit) == 0)
        n += (size_t)snprintf(out + n, size - n, " %.*s/%.9g", (int)hit.id_len, hit.id, hit.score);
    ni_hits_free(h);
}

static const char *const queries[] = {
    "школа", "мэров OR погода", "\"школа мэров\"", "слово1*", "rubric:общество суд",
    "москва -бюджет", "date:2023..2024 театр", "слово777 OR слово12345 OR слово4",
};

/* Whether two open indexes answer every query alike. */
static int same_results(ni_index *a, ni_index *b)
{
    static char ra[8192], rb[8192];
    size_t q;
    int same = 1;
    for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        results(a, queries[q], ra, sizeof ra);
        results(b, queries[q], rb, sizeof rb);
        if (strcmp(ra, rb) != 0 || ra[0] == '0') {
            fprintf(stderr, "query '%s':\n  %s\n  %s\n", queries[q], ra, rb);
            same = 0;
        }
    }
    return same;
}

/* FNV-1a of a file's bytes, 0 when it cannot be read. */
static uint64_t file_hash(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint64_t h = 1469598103934665603ull;
    int c;
    if (!f)
        return 0;
    while ((c = getc(f)) != EOF)
        h = (h ^ (unsigned char)c) * 1099511628211ull;
    fclose(f);
    return h;
}

static int exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void copy_is_same(void)
{
    char src[256], dst[256];
    ni_index *a = NULL, *b = NULL;
    ni_stats sa, sb;
    size_t pa = 0, pb = 0;

    snprintf(src, sizeof src, "%s", test_new_dir());
    snprintf(dst, sizeof dst, "%s", test_new_dir());
    build(src);
    CHECK_RC(ni_index_open(&a, src, NULL), 0);
    CHECK_RC(ni_index_copy(a, dst, NI_COPY_DEFAULT), 0);
    CHECK(same_tables(src, dst, 1, &pa, &pb));
    CHECK(pb < pa);
    printf("pages: %zu, in the copy %zu\n", pa, pb);
    CHECK_RC(ni_index_open(&b, dst, NULL), 0);
    CHECK_RC(ni_index_check(NULL, b), 0);
    CHECK(same_results(a, b));
    CHECK_RC(ni_index_stats(&sa, a), 0);
    CHECK_RC(ni_index_stats(&sb, b), 0);
    CHECK(sa.docs == sb.docs && sa.deleted == sb.deleted && sa.terms == sb.terms);
    CHECK(sb.file_bytes < sa.file_bytes);
    /* the copy takes further writes like the original */
    CHECK_RC(add_docs(a, NDOCS, NDOCS + 200, 0), 0);
    CHECK_RC(add_docs(b, NDOCS, NDOCS + 200, 0), 0);
    CHECK_RC(ni_index_check(NULL, b), 0);
    CHECK(same_results(a, b));
    ni_index_close(a);
    ni_index_close(b);
    CHECK(same_tables(src, dst, 0, NULL, NULL));
}

static void copy_of_readonly(void)
{
    char src[256], dst[256];
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *a = NULL;

    snprintf(src, sizeof src, "%s", test_new_dir());
    snprintf(dst, sizeof dst, "%s", test_new_dir());
    build(src);
    o.flags = NI_OPEN_READONLY;
    CHECK_RC(ni_index_open(&a, src, &o), 0);
    CHECK_RC(ni_index_copy(a, dst, NI_COPY_DEFAULT), 0);
    ni_index_close(a);
    CHECK(same_tables(src, dst, 1, NULL, NULL));
}

/* A destination that is not fit is refused and left as it was. */
static void refused(void)
{
    char src[256], other[256], path[300], file[320];
    ni_index *a = NULL;
    uint64_t before;
    FILE *f;

    snprintf(src, sizeof src, "%s", test_new_dir());
    snprintf(other, sizeof other, "%s", test_new_dir());
    build(src);
    CHECK_RC(ni_index_open(&a, src, NULL), 0);

    /* onto itself, and onto another index (a copy, to compare with) */
    CHECK_RC(ni_index_copy(a, src, NI_COPY_DEFAULT), NI_EINVAL);
    CHECK(strstr(ni_errmsg(), "already holds an index") != NULL);
    CHECK_RC(ni_index_copy(a, other, NI_COPY_DEFAULT), 0);
    CHECK_RC(add_docs(a, NDOCS, NDOCS + 50, 0), 0);
    snprintf(path, sizeof path, "%s/data.mdb", other);
    before = file_hash(path);
    CHECK_RC(ni_index_copy(a, other, NI_COPY_DEFAULT), NI_EINVAL);
    CHECK(before != 0 && file_hash(path) == before);
    snprintf(path, sizeof path, "%s/.copy-tmp", other);
    CHECK(!exists(path));
    CHECK_RC(ni_index_check(NULL, a), 0);

    /* a file */
    snprintf(file, sizeof file, "%s", test_new_dir());
    f = fopen(file, "w");
    CHECK(f != NULL);
    if (f)
        fclose(f);
    CHECK_RC(ni_index_copy(a, file, NI_COPY_DEFAULT), NI_EINVAL);

    /* a temporary directory of no copy (an older version's, or one killed
     * as it made it): taken over */
    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK(mkdir(path, 0777) == 0);
    snprintf(file, sizeof file, "%s/.copy-tmp", path);
    CHECK(mkdir(file, 0777) == 0);
    CHECK_RC(ni_index_copy(a, path, NI_COPY_DEFAULT), 0);
    CHECK(!exists(file));
    CHECK(same_tables(src, path, 1, NULL, NULL));
    /* an existing empty directory is fine */
    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK(mkdir(path, 0777) == 0);
    CHECK_RC(ni_index_copy(a, path, NI_COPY_DEFAULT), 0);
    CHECK(!exists(file));

    /* a missing parent: nothing is created */
    snprintf(path, sizeof path, "%s/no/such/dir", test_new_dir());
    CHECK(ni_index_copy(a, path, NI_COPY_DEFAULT) < 0);
    CHECK(!exists(path));

    CHECK_RC(ni_index_copy(a, "", NI_COPY_DEFAULT), NI_EINVAL);
    CHECK_RC(ni_index_copy(a, NULL, NI_COPY_DEFAULT), NI_EINVAL);
    CHECK_RC(ni_index_copy(NULL, test_new_dir(), NI_COPY_DEFAULT), NI_EINVAL);
    CHECK_RC(ni_index_copy(a, test_new_dir(), 0x8000u), NI_EINVAL);
    ni_index_close(a);
}

/* A writer thread commits batches of BATCH documents while copies are
 * taken; each copy is one committed state. */
#define BATCH 40
struct writer_arg {
    ni_index *idx;
    int rc, done;
    pthread_mutex_t lock;
};

static void *writer(void *p)
{
    struct writer_arg *w = p;
    unsigned b;
    int rc = 0;
    for (b = 0; b < 12 && rc >= 0; b++) {
        char buf[16384], id[32];
        unsigned i;
        for (i = 0; i < BATCH && rc >= 0; i++) {
            ni_doc d;
            make_doc(&d, buf, sizeof buf, 100000 + b * BATCH + i);
            snprintf(id, sizeof id, "w-%u", b * BATCH + i);
            d.id = id;
            d.id_len = strlen(id);
            rc = ni_index_add(w->idx, &d);
        }
        if (rc >= 0)
            rc = ni_index_commit(w->idx);
    }
    pthread_mutex_lock(&w->lock);
    w->rc = rc;
    w->done = 1;
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static void copy_while_writing(void)
{
    struct writer_arg w;
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    pthread_t th;
    ni_index *a = NULL;
    int copies = 0, done = 0;

    o.memory_budget = 64 << 10;
    CHECK_RC(ni_index_open(&a, test_new_dir(), &o), 0);
    memset(&w, 0, sizeof w);
    w.idx = a;
    pthread_mutex_init(&w.lock, NULL);
    CHECK(pthread_create(&th, NULL, writer, &w) == 0);
    while (!done || copies < 2) {
        char dst[256];
        ni_index *b = NULL;
        ni_stats st;

        pthread_mutex_lock(&w.lock);
        done = w.done;
        pthread_mutex_unlock(&w.lock);
        snprintf(dst, sizeof dst, "%s", test_new_dir());
        CHECK_RC(ni_index_copy(a, dst, NI_COPY_DEFAULT), 0);
        CHECK_RC(ni_index_open(&b, dst, NULL), 0);
        CHECK_RC(ni_index_check(NULL, b), 0);
        CHECK_RC(ni_index_stats(&st, b), 0);
        CHECK(st.docs % BATCH == 0);
        ni_index_close(b);
        copies++;
    }
    pthread_join(th, NULL);
    CHECK_RC(w.rc, 0);
    pthread_mutex_destroy(&w.lock);
    ni_index_close(a);
    printf("%d copies while writing\n", copies);
}

/* The n-th allocation fails, for every n: the copy is whole or absent. */
static void allocation_failures(void)
{
    char src[256], dst[256];
    ni_index *a = NULL;
    uint64_t n, made = 0;
    int rc, failed = 0;

    snprintf(src, sizeof src, "%s", test_new_dir());
    build(src);
    CHECK_RC(ni_index_open(&a, src, NULL), 0);
    for (n = 1; n < 1000; n++) {
        snprintf(dst, sizeof dst, "%s", test_new_dir());
        ni_mem_fail_at(n, 0);
        rc = ni_index_copy(a, dst, NI_COPY_DEFAULT);
        made = ni_mem_fail_at(0, 0);
        CHECK(rc == 0 || rc == NI_ENOMEM);
        if (rc < 0) {
            failed++;
            CHECK(!exists(dst));
        } else {
            CHECK(same_tables(src, dst, 1, NULL, NULL));
        }
        if (made < n)
            break;
    }
    CHECK(failed > 10);
    printf("allocation failure injected at 1..%llu\n", (unsigned long long)n);
    ni_index_close(a);
}

/* Forks a process that copies src to dst; returns its pid. */
static pid_t start_copy(const char *src, const char *dst)
{
    pid_t pid;
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        ni_index *a = NULL;
        if (ni_index_open(&a, src, NULL) == 0 && ni_index_copy(a, dst, NI_COPY_DEFAULT) == 0)
            _exit(0);
        _exit(1);
    }
    return pid;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The process copying is killed at some moment (spread over the time a
 * whole copy takes): the destination holds no index, or the whole copy. */
static void killed(void)
{
    char src[256], dst[256], tmp[300];
    int i, none = 0, whole = 0, taken = 0, status;
    double t0, full;
    pid_t pid;

    snprintf(src, sizeof src, "%s", test_new_dir());
    build(src);
    t0 = now();
    pid = start_copy(src, test_new_dir());
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0);
    full = now() - t0;
    for (i = 0; i < 30; i++) {
        ni_open_options o = NI_OPEN_OPTIONS_INIT;
        ni_index *b = NULL;
        struct timespec d;
        double delay = full * i / 24;
        int rc;

        snprintf(dst, sizeof dst, "%s", test_new_dir());
        pid = start_copy(src, dst);
        CHECK(pid > 0);
        if (pid < 0)
            return;
        d.tv_sec = (time_t)delay;
        d.tv_nsec = (long)((delay - (double)d.tv_sec) * 1e9);
        nanosleep(&d, NULL);
        /* the last one is left to finish: on a loaded machine a copy may
         * take longer than the reference run's, and a whole one is wanted */
        if (i < 29)
            kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
        CHECK(!WIFEXITED(status) || WEXITSTATUS(status) == 0);
        o.flags = NI_OPEN_READONLY;
        rc = ni_index_open(&b, dst, &o);
        if (rc == NI_ENOTFOUND) {
            none++;
        } else {
            CHECK_RC(rc, 0);
            CHECK_RC(ni_index_check(NULL, b), 0);
            CHECK(same_tables(src, dst, 1, NULL, NULL));
            whole++;
        }
        ni_index_close(b);
        /* a temporary left by the killed copy is taken over by the next */
        snprintf(tmp, sizeof tmp, "%s/.copy-tmp", dst);
        if (exists(tmp) && rc == NI_ENOTFOUND) {
            ni_index *a = NULL;
            taken++;
            CHECK_RC(ni_index_open(&a, src, NULL), 0);
            CHECK_RC(ni_index_copy(a, dst, NI_COPY_DEFAULT), 0);
            ni_index_close(a);
            CHECK(!exists(tmp));
            CHECK(same_tables(src, dst, 1, NULL, NULL));
        }
    }
    CHECK(none > 0 && whole > 0);
    printf("killed copies (a whole one takes %.1f ms): %d left no index (%d a temporary "
           "directory, taken over), %d the whole copy\n", full * 1e3, none, taken, whole);
}

/* A copy at work (its owner file locked, here by this process through
 * another open file) keeps its temporary directory: the next copy is
 * NI_EBUSY naming the process and touches nothing; once the lock goes,
 * the directory is taken over, the dead copy's files replaced. */
static void live_copy_left_alone(void)
{
    char src[256], dst[256], tmp[300], owner[320], data[320], junk[320];
    ni_index *a = NULL;
    uint64_t before;
    int fd, d;

    snprintf(src, sizeof src, "%s", test_new_dir());
    build(src);
    snprintf(dst, sizeof dst, "%s", test_new_dir());
    snprintf(tmp, sizeof tmp, "%s/.copy-tmp", dst);
    snprintf(owner, sizeof owner, "%s/owner", tmp);
    snprintf(data, sizeof data, "%s/data.mdb", tmp);
    snprintf(junk, sizeof junk, "%s/data.mdb", dst);
    CHECK(mkdir(dst, 0777) == 0 && mkdir(tmp, 0777) == 0);
    d = open(data, O_WRONLY | O_CREAT, 0644);
    CHECK(d >= 0 && write(d, "half a copy", 11) == 11);
    close(d);
    fd = open(owner, O_RDWR | O_CREAT, 0644);
    CHECK(fd >= 0 && write(fd, "4242\n", 5) == 5);
    CHECK(flock(fd, LOCK_EX | LOCK_NB) == 0);
    before = file_hash(data);

    CHECK_RC(ni_index_open(&a, src, NULL), 0);
    CHECK_RC(ni_index_copy(a, dst, NI_COPY_DEFAULT), NI_EBUSY);
    CHECK(strstr(ni_errmsg(), ".copy-tmp' is in use by another copy (process 4242)") != NULL);
    CHECK(exists(owner) && file_hash(data) == before);
    CHECK(!exists(junk));

    close(fd);                           /* the copy's process is gone */
    CHECK_RC(ni_index_copy(a, dst, NI_COPY_DEFAULT), 0);
    CHECK(!exists(tmp));
    CHECK(same_tables(src, dst, 1, NULL, NULL));
    ni_index_close(a);
}

TEST_MAIN(TEST(copy_is_same), TEST(copy_of_readonly), TEST(refused),
          TEST(copy_while_writing), TEST(allocation_failures), TEST(killed),
          TEST(live_copy_left_alone))
