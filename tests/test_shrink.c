/*
 * test_shrink.c - ni_index_shrink.  After replacements and deletions in
 * many commits, the file comes down to the size of a compacted copy of the
 * same index, holds the same tables entry for entry, passes the check and
 * answers searches the same, through the same handle and a new one.
 * Processes that keep the index open meanwhile lose no committed write and
 * read no mix: a writer waiting for the lock, a search open across the
 * swap, processes that open the index between the copy and the swap.  A
 * process killed at each step leaves a working index with every committed
 * document, and the next shrink removes what it left.  A file system that
 * cannot exchange directories leaves the in-place compaction and a reason;
 * a failed sync of the exchange puts the old index back.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <lmdb.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/envdir.h"
#include "../lib/shrink.h"
#include "../lib/store.h"
#include "lmdbcmp.h"
#include "test.h"
#include "tmpdir.h"

#define NDOCS 900

static const char *const words[] = {
    "школа", "мэров", "выпуск", "Москва", "губернатор", "ёлка", "экономика", "бюджет",
    "выборы", "суд", "новости", "погода", "мост", "театр", "завод", "полиция",
};

/* Adds document i (version v: a replacement changes its text). */
static int add_doc(ni_index *idx, unsigned i, unsigned v)
{
    char id[32], title[96], text[2048];
    size_t n = 0, k;
    unsigned r = (i + 7919 * v) * 2654435761u;
    ni_doc d = NI_DOC_INIT;

    snprintf(id, sizeof id, "doc-%u", i);
    snprintf(title, sizeof title, "%s %s %u", words[i % 16], words[(i / 3) % 16], v);
    for (k = 0; k < 20 + i % 150 && n + 40 < sizeof text; k++) {
        r = r * 1103515245u + 12345u;
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", k ? " " : "",
                              words[(r >> 16) % 16]);
        if (k % 4 == 3)
            n += (size_t)snprintf(text + n, sizeof text - n, " слово%u", (r >> 8) % 9000);
    }
    d.id = id;
    d.id_len = strlen(id);
    d.title = title;
    d.title_len = strlen(title);
    d.text = text;
    d.text_len = n;
    d.date = 1700000000 + (int64_t)i * 3600;
    return ni_index_add(idx, &d);
}

/* An index of NDOCS documents in commits of 50, every one replaced twice
 * and a tenth deleted: a file much larger than its data. */
static void build(const char *dir)
{
    ni_index *idx = NULL;
    unsigned i, v;
    char id[32];
    int rc = ni_index_open(&idx, dir, NULL);
    CHECK_RC(rc, 0);
    for (v = 0; v < 3 && rc == 0; v++)
        for (i = 0; i < NDOCS && rc == 0; i++)
            if ((rc = add_doc(idx, i, v)) == 0 && i % 50 == 49)
                rc = ni_index_commit(idx);
    for (i = 0; i < NDOCS && rc == 0; i += 10) {
        snprintf(id, sizeof id, "doc-%u", i);
        rc = ni_index_delete(idx, id, strlen(id));
    }
    CHECK_RC(rc, 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
}

static uint64_t file_size(const char *dir)
{
    char p[512];
    struct stat st;
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    return stat(p, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static ino_t file_ino(const char *dir)
{
    char p[512];
    struct stat st;
    snprintf(p, sizeof p, "%s/data.mdb", dir);
    return stat(p, &st) == 0 ? st.st_ino : 0;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* dir's sibling a shrink uses. */
static const char *sibling(const char *dir)
{
    static char p[512];
    const char *slash = strrchr(dir, '/');
    snprintf(p, sizeof p, "%.*s/.%s.compact", (int)(slash - dir), dir, slash + 1);
    return p;
}

/* The reference: a copy of dir, compacted first, in a new directory. */
static const char *reference(const char *dir)
{
    static char ref[256];
    ni_index *idx = NULL;
    snprintf(ref, sizeof ref, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    CHECK_RC(ni_index_compact(idx), 0);
    CHECK_RC(ni_index_copy(idx, ref, NI_COPY_DEFAULT), 0);
    ni_index_close(idx);
    return ref;
}

/* The hits of query (ids, scores, total) as text. */
static void results(ni_index *idx, const char *query, char *out, size_t size)
{
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit;
    size_t n = 0;

    so.limit = 40;
    out[0] = '\0';
    if (ni_search(&h, idx, query, strlen(query), &so) < 0) {
        snprintf(out, size, "error: %s", ni_errmsg());
        return;
    }
    n += (size_t)snprintf(out, size, "%llu:", (unsigned long long)ni_hits_total(h));
    while (n < size && ni_hits_next(h, &hit) == 0)
        n += (size_t)snprintf(out + n, size - n, " %.*s/%.9g", (int)hit.id_len, hit.id, hit.score);
    ni_hits_free(h);
}

static const char *const queries[] = {
    "школа", "мэров OR погода", "\"школа мэров\"", "слово1*", "москва -бюджет",
    "слово777 OR слово1234 OR слово4",
};

/* Whether the indexes in directories a and b answer every query alike,
 * and b (open as bi when not NULL) passes the check. */
static int same_index(const char *a, const char *b, ni_index *bi)
{
    static char ra[8192], rb[8192];
    ni_index *ai = NULL, *own = NULL;
    size_t q;
    int same = lmdb_same_tables(a, b, 0, NULL);
    if (ni_index_open(&ai, a, NULL) < 0 || (!bi && ni_index_open(&own, b, NULL) < 0)) {
        fprintf(stderr, "cannot open: %s\n", ni_errmsg());
        ni_index_close(ai);
        return 0;
    }
    if (!bi)
        bi = own;
    if (ni_index_check(NULL, bi) < 0) {
        fprintf(stderr, "check of %s: %s\n", b, ni_errmsg());
        same = 0;
    }
    for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        results(ai, queries[q], ra, sizeof ra);
        results(bi, queries[q], rb, sizeof rb);
        if (strcmp(ra, rb) != 0 || ra[0] == '0' || ra[0] == 'e') {
            fprintf(stderr, "query '%s':\n  %s\n  %s\n", queries[q], ra, rb);
            same = 0;
        }
    }
    ni_index_close(ai);
    ni_index_close(own);
    return same;
}

static uint64_t last_done, last_total;
static int progress_calls, progress_backwards;

static void on_progress(uint64_t done, uint64_t total, void *payload)
{
    (void)payload;
    if (done < last_done || done > total)
        progress_backwards++;
    last_done = done;
    last_total = total;
    progress_calls++;
}

/* The file comes down to a compacted copy's size, with the same tables
 * and answers; the handle goes on (searches, writes), a new one too. */
static void shrinks_to_copy(void)
{
    char dir[256];
    const char *ref;
    ni_index *idx = NULL;
    ni_shrink_info info;
    uint64_t before, after, copy;

    snprintf(dir, sizeof dir, "%s", test_new_dir());
    build(dir);
    ref = reference(dir);
    before = file_size(dir);
    copy = file_size(ref);
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    CHECK_RC(ni_index_shrink(&info, idx, on_progress, NULL), 0);
    after = file_size(dir);
    CHECK(info.swapped == 1 && info.reason[0] == '\0');
    CHECK(info.bytes_before == before && info.bytes_after == after);
    /* a copy's size, on both sides, and well under the file before */
    CHECK(after * 100 <= copy * 105 && after * 100 >= copy * 95);
    CHECK(after * 2 < before);
    CHECK(progress_calls > 0 && progress_backwards == 0 && last_done == last_total &&
          last_total > 0);
    CHECK(!exists(sibling(dir)));
    CHECK(lmdb_same_tables(ref, dir, 1, NULL));
    CHECK(same_index(ref, dir, idx));          /* the handle moved over */
    CHECK(same_index(ref, dir, NULL));         /* and a new one */
    CHECK_RC(add_doc(idx, NDOCS + 1, 0), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    {
        ni_doc *d = NULL;
        CHECK_RC(ni_index_get(&d, idx, "doc-901", 7), 0);
        ni_doc_free(d);
    }
    /* a second shrink of a compact index keeps its size */
    CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), 0);
    CHECK(info.swapped && info.bytes_after <= info.bytes_before + 4 * 4096);
    ni_index_close(idx);
    printf("shrink: %llu -> %llu bytes, a compacted copy %llu\n", (unsigned long long)before,
           (unsigned long long)after, (unsigned long long)copy);
}

static enum ni_shrink_step fail_at;
static int fail_errno;

static int fail_hook(enum ni_shrink_step step)
{
    return step == fail_at ? fail_errno : 0;
}

/* A file system without RENAME_EXCHANGE: no swap, a reason, the index
 * compacted in place; other errors of the exchange and of its sync are
 * errors, the old index in place. */
static void refused_exchange(void)
{
    static const struct { enum ni_shrink_step at; int err, rc, swapped; } cases[] = {
        { NI_SHRINK_EXCHANGE, EINVAL, 0, 0 },
        { NI_SHRINK_EXCHANGE, EXDEV, 0, 0 },
        { NI_SHRINK_EXCHANGE, EIO, NI_EIO, 0 },
        { NI_SHRINK_SYNCED, EIO, NI_EIO, 0 },
        { NI_SHRINK_COPIED, ENOSPC, NI_EFULL, 0 },
        { NI_SHRINK_REMOVED, EIO, NI_EIO, 1 },
    };
    char dir[256];
    const char *ref;
    size_t i;

    snprintf(dir, sizeof dir, "%s", test_new_dir());
    build(dir);
    ref = reference(dir);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ni_index *idx = NULL;
        ni_shrink_info info;
        uint64_t size = file_size(dir);
        ino_t ino = file_ino(dir);
        int rc;
        CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
        fail_at = cases[i].at;
        fail_errno = cases[i].err;
        ni_shrink_hook = fail_hook;
        rc = ni_index_shrink(&info, idx, NULL, NULL);
        ni_shrink_hook = NULL;
        CHECK(rc == cases[i].rc);
        CHECK(info.swapped == cases[i].swapped);
        CHECK((info.reason[0] != '\0') == (rc == 0 && !cases[i].swapped));
        CHECK(cases[i].swapped ? file_ino(dir) != ino : file_ino(dir) == ino &&
              file_size(dir) == size);
        CHECK(!exists(sibling(dir)));
        CHECK(same_index(ref, dir, idx));
        ni_index_close(idx);
        if (test_failures)
            fprintf(stderr, "case %zu: rc %d, %s\n", i, rc, ni_errmsg());
    }
}

/* What a killed shrink left in the sibling is removed by the next one;
 * a sibling holding anything else is refused and left alone. */
static void sibling_leftovers(void)
{
    char dir[256], p[600];
    ni_index *idx = NULL;
    ni_shrink_info info;
    const char *sib;
    FILE *f;

    snprintf(dir, sizeof dir, "%s", test_new_dir());
    build(dir);
    sib = sibling(dir);
    CHECK(mkdir(sib, 0777) == 0);
    snprintf(p, sizeof p, "%s/.copy-tmp", sib);
    CHECK(mkdir(p, 0777) == 0);
    snprintf(p, sizeof p, "%s/.copy-tmp/data.mdb", sib);
    CHECK((f = fopen(p, "w")) && fputs("half a copy", f) >= 0 && fclose(f) == 0);
    snprintf(p, sizeof p, "%s/data.mdb", sib);
    CHECK((f = fopen(p, "w")) && fputs("an old index", f) >= 0 && fclose(f) == 0);
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), 0);
    CHECK(info.swapped && !exists(sib));
    /* one file more than a shrink leaves */
    CHECK(mkdir(sib, 0777) == 0);
    snprintf(p, sizeof p, "%s/notes.txt", sib);
    CHECK((f = fopen(p, "w")) && fclose(f) == 0);
    CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), NI_EINVAL);
    CHECK(strstr(ni_errmsg(), "in the way") != NULL);
    CHECK(exists(p) && !info.swapped);
    CHECK(unlink(p) == 0 && rmdir(sib) == 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
    {
        ni_open_options o = NI_OPEN_OPTIONS_INIT;
        o.flags = NI_OPEN_READONLY;
        CHECK_RC(ni_index_open(&idx, dir, &o), 0);
        CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), NI_EREADONLY);
        ni_index_close(idx);
    }
}

static enum ni_shrink_step kill_at;

static int kill_hook(enum ni_shrink_step step)
{
    if (step == kill_at)
        _exit(0);
    return 0;
}

static void kill_in_copy(uint64_t done, uint64_t total, void *payload)
{
    (void)payload;
    if (done * 2 >= total)
        _exit(0);
}

/* A shrink killed at each step (and in the middle of the copy): the index
 * works and holds every committed document; the next shrink cleans up. */
static void killed_at_each_step(void)
{
    char dir[256];
    const char *ref;
    int step, status;

    snprintf(dir, sizeof dir, "%s", test_new_dir());
    build(dir);
    ref = reference(dir);
    for (step = 0; step < NI_SHRINK_STEPS; step++) {
        ni_index *idx = NULL;
        ni_shrink_info info;
        pid_t pid;
        fflush(stdout);
        if ((pid = fork()) == 0) {
            if (ni_index_open(&idx, dir, NULL) < 0)
                _exit(3);
            kill_at = (enum ni_shrink_step)step;
            ni_shrink_hook = kill_hook;
            ni_index_shrink(&info, idx, step == 0 ? kill_in_copy : NULL, NULL);
            _exit(2);                  /* the step was not reached */
        }
        CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
              WEXITSTATUS(status) == 0);
        CHECK(same_index(ref, dir, NULL));
        CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
        CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), 0);
        CHECK(info.swapped && !exists(sibling(dir)));
        CHECK(same_index(ref, dir, idx));
        ni_index_close(idx);
        if (test_failures)
            fprintf(stderr, "killed at step %d\n", step);
    }
}

/* The documents doc-w<N> a process wrote, N = 0..n-1, all there. */
static int has_writes(const char *dir, const char *prefix, int n)
{
    ni_index *idx = NULL;
    char id[64];
    int i, missing = 0;
    if (ni_index_open(&idx, dir, NULL) < 0)
        return 0;
    for (i = 0; i < n; i++) {
        ni_doc *d = NULL;
        snprintf(id, sizeof id, "%s%d", prefix, i);
        if (ni_index_get(&d, idx, id, strlen(id)) != 0) {
            if (!missing++)
                fprintf(stderr, "lost: %s\n", id);
        }
        ni_doc_free(d);
    }
    if (ni_index_check(NULL, idx) < 0) {
        fprintf(stderr, "check: %s\n", ni_errmsg());
        missing++;
    }
    ni_index_close(idx);
    return missing == 0;
}

static int add_named(ni_index *idx, const char *id, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    d.title = text;
    d.title_len = strlen(d.title);
    d.text = text;
    d.text_len = strlen(d.text);
    return ni_index_add(idx, &d);
}

#define WRITER_TEXT "школа мэров письмо из другого процесса"

/*
 * A writer process: opens dir, says so on ready, commits doc-w0, doc-w1,
 * ... one per commit, reporting each committed one on ready, until stop
 * closes; each commit must be visible to its own search at once.  Exits 0
 * when every call succeeded.
 */
static void writer_process(const char *dir, int ready, int stop)
{
    ni_index *idx = NULL;
    char id[64], b = 'w';
    int n = 0, bad = 0;
    fcntl(stop, F_SETFL, O_NONBLOCK);
    if (ni_index_open(&idx, dir, NULL) < 0 || write(ready, &b, 1) != 1)
        _exit(3);
    while (read(stop, &b, 1) < 0 && errno == EAGAIN && n < 5000) {
        char r[256];
        snprintf(id, sizeof id, "doc-w%d", n);
        if (add_named(idx, id, WRITER_TEXT) < 0 || ni_index_commit(idx) < 0) {
            fprintf(stderr, "writer: %s\n", ni_errmsg());
            bad = 1;
            break;
        }
        n++;
        if (write(ready, "c", 1) != 1)
            break;
        results(idx, "письмо", r, sizeof r);
        if (strtol(r, NULL, 10) != n) {
            fprintf(stderr, "writer sees %s after %d commits\n", r, n);
            bad = 1;
        }
    }
    if (ni_index_check(NULL, idx) < 0)
        bad = 1;
    ni_index_close(idx);
    _exit(bad ? 4 : 0);
}

/* Waits for k bytes on fd; returns how many came. */
static int wait_bytes(int fd, int k)
{
    char b[64];
    int got = 0;
    ssize_t n;
    while (got < k && (n = read(fd, b, (size_t)(k - got) < sizeof b ? (size_t)(k - got)
                                                                    : sizeof b)) > 0)
        got += (int)n;
    return got;
}

/* Another process writing all along (its writes wait for the shrink, then
 * go to the new file), and one with a search open across the swap (it
 * reads the old snapshot to its end, and its next search sees the new
 * file's commits). */
static void other_processes(void)
{
    char dir[256];
    int wr[2], ws[2], rr[2], rs[2], status, commits;
    ni_index *idx = NULL;
    ni_shrink_info info;
    pid_t writer, reader;
    char b;

    snprintf(dir, sizeof dir, "%s", test_new_dir());
    build(dir);
    CHECK(pipe(wr) == 0 && pipe(ws) == 0 && pipe(rr) == 0 && pipe(rs) == 0);
    fflush(stdout);
    if ((reader = fork()) == 0) {
        /* a search open across the swap, then a new one */
        char before[4096], after[4096], r[256];
        ni_search_options so = NI_SEARCH_OPTIONS_INIT;
        ni_hits *h = NULL;
        ni_hit hit;
        size_t n = 0;
        int bad = 0;
        so.limit = 40;
        close(rr[0]);
        close(rs[1]);
        close(wr[0]);                           /* the writer's pipes: not ours */
        close(wr[1]);
        close(ws[0]);
        close(ws[1]);
        if (ni_index_open(&idx, dir, NULL) < 0)
            _exit(3);
        results(idx, "школа", before, sizeof before);
        if (ni_search(&h, idx, "школа", strlen("школа"), &so) < 0 || write(rr[1], "r", 1) != 1)
            _exit(3);
        if (read(rs[0], &b, 1) != 1)           /* the shrink is done */
            _exit(3);
        n += (size_t)snprintf(after, sizeof after, "%llu:", (unsigned long long)ni_hits_total(h));
        while (ni_hits_next(h, &hit) == 0) {
            ni_doc *d = NULL;
            if (n < sizeof after)
                n += (size_t)snprintf(after + n, sizeof after - n, " %.*s/%.9g",
                                      (int)hit.id_len, hit.id, hit.score);
            if (ni_index_get(&d, idx, hit.id, hit.id_len) != 0)
                bad = 1;
            ni_doc_free(d);
        }
        ni_hits_free(h);
        if (strcmp(before, after) != 0) {
            fprintf(stderr, "reader: before %.80s\n after %.80s\n", before, after);
            bad = 1;
        }
        usleep(30000);                          /* past the 10 ms between checks */
        results(idx, "родительский", r, sizeof r);
        if (strtol(r, NULL, 10) < 1) {          /* the parent's commit after the swap */
            fprintf(stderr, "reader sees %s after the swap\n", r);
            bad = 1;
        }
        if (ni_index_check(NULL, idx) < 0)
            bad = 1;
        ni_index_close(idx);
        _exit(bad ? 4 : 0);
    }
    close(rr[1]);
    close(rs[0]);
    CHECK(wait_bytes(rr[0], 1) == 1);           /* the search is open */
    fflush(stdout);
    if ((writer = fork()) == 0) {
        close(wr[0]);
        close(ws[1]);
        writer_process(dir, wr[1], ws[0]);
    }
    close(wr[1]);
    close(ws[0]);
    CHECK(wait_bytes(wr[0], 3) == 3);           /* open, two commits */
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), 0);
    CHECK(info.swapped);
    CHECK_RC(add_named(idx, "doc-p0", "родительский документ"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(write(rs[1], "g", 1) == 1);
    CHECK(wait_bytes(wr[0], 3) == 3);           /* three commits after the swap */
    close(ws[1]);
    commits = 5;
    while (read(wr[0], &b, 1) == 1)
        commits++;
    CHECK(waitpid(writer, &status, 0) == writer && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0);
    CHECK(waitpid(reader, &status, 0) == reader && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0);
    ni_index_close(idx);
    CHECK(has_writes(dir, "doc-w", commits));
    CHECK(has_writes(dir, "doc-p", 1));
    close(wr[0]);
    close(rr[0]);
    close(rs[1]);
    printf("a writer process committed %d documents across the shrink, all kept\n", commits);
}

/* Three threads searching in turn, each holding its hits for 20 ms: the
 * process (almost) always has a search open. */
typedef struct busy {
    ni_index *idx;
    int stop;
    int offset_ms;
} busy;

static void *busy_thread(void *p)
{
    busy *b = p;
    ni_search_options so = NI_SEARCH_OPTIONS_INIT;
    usleep((useconds_t)b->offset_ms * 1000);
    while (!__atomic_load_n(&b->stop, __ATOMIC_RELAXED)) {
        ni_hits *h = NULL;
        ni_hit hit;
        if (ni_search(&h, b->idx, "школа", strlen("школа"), &so) == 0) {
            usleep(20000);
            while (ni_hits_next(h, &hit) == 0)
                ;
        }
        ni_hits_free(h);
    }
    return NULL;
}

/* A process that always has a search open (three threads in turn) moves
 * over to the new file too: it waits a moment for its searches to end. */
static void busy_reader(void)
{
    char dir[256];
    int rr[2], rs[2], status;
    ni_index *idx = NULL;
    ni_shrink_info info;
    pid_t pid;
    char b;

    snprintf(dir, sizeof dir, "%s", test_new_dir());
    build(dir);
    CHECK(pipe(rr) == 0 && pipe(rs) == 0);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        busy t[3];
        pthread_t th[3];
        char r[256];
        int i, found = 0;
        if (ni_index_open(&idx, dir, NULL) < 0)
            _exit(3);
        for (i = 0; i < 3; i++) {
            t[i].idx = idx;
            t[i].stop = 0;
            t[i].offset_ms = 7 * i;
            pthread_create(&th[i], NULL, busy_thread, &t[i]);
        }
        if (write(rr[1], "r", 1) != 1 || read(rs[0], &b, 1) != 1)
            _exit(3);
        for (i = 0; i < 500 && !found; i++) {    /* 5 s at most */
            results(idx, "родительский", r, sizeof r);
            found = strtol(r, NULL, 10) >= 1;
            usleep(10000);
        }
        for (i = 0; i < 3; i++) {
            __atomic_store_n(&t[i].stop, 1, __ATOMIC_RELAXED);
            pthread_join(th[i], NULL);
        }
        ni_index_close(idx);
        _exit(found ? 0 : 4);
    }
    CHECK(wait_bytes(rr[0], 1) == 1);
    usleep(50000);
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), 0);
    CHECK(info.swapped);
    CHECK_RC(add_named(idx, "doc-p0", "родительский документ"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(write(rs[1], "g", 1) == 1);
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0);
    ni_index_close(idx);
    close(rr[0]);
    close(rr[1]);
    close(rs[0]);
    close(rs[1]);
}

static const char *opener_dir;
static enum ni_shrink_step open_at;
static pid_t opener;

/* At step open_at, a process opens the index and commits a document;
 * the sync of the exchange fails with sync_errno. */
static int sync_errno;

static int opener_done, opener_status;

static int open_hook(enum ni_shrink_step step)
{
    int i;
    if (step == open_at) {
        fflush(stdout);
        if ((opener = fork()) == 0) {
            ni_index *idx = NULL;
            ni_shrink_hook = NULL;
            if (ni_index_open(&idx, opener_dir, NULL) < 0 ||
                add_named(idx, "doc-o0", WRITER_TEXT) < 0 || ni_index_commit(idx) < 0) {
                fprintf(stderr, "opener: %s\n", ni_errmsg());
                _exit(4);
            }
            ni_index_close(idx);
            _exit(0);
        }
        /* it opens, commits and ends, or waits for a writer lock */
        for (i = 0; i < 60 && !opener_done; i++) {
            usleep(5000);
            opener_done = waitpid(opener, &opener_status, WNOHANG) == opener;
        }
    }
    return step == NI_SHRINK_SYNCED ? sync_errno : 0;
}

/* A process that opens the index at each step of a shrink gets the old
 * index or the new one, and its commit is kept; also when the sync of the
 * exchange fails and the old index comes back (the new one's writer lock
 * was held, so nothing was committed to it). */
static void opened_meanwhile(void)
{
    char dir[256];
    int step, status;

    for (step = NI_SHRINK_LOCKED; step <= NI_SHRINK_STEPS; step++) {
        ni_index *idx = NULL;
        ni_shrink_info info;
        int back = step == NI_SHRINK_STEPS;
        snprintf(dir, sizeof dir, "%s", test_new_dir());
        CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
        CHECK_RC(add_doc(idx, 0, 0), 0);
        CHECK_RC(add_doc(idx, 1, 0), 0);
        CHECK_RC(ni_index_commit(idx), 0);
        opener_dir = dir;
        open_at = back ? NI_SHRINK_SWAPPED : (enum ni_shrink_step)step;
        sync_errno = back ? EIO : 0;
        opener = -1;
        opener_done = 0;
        ni_shrink_hook = open_hook;
        CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), back ? NI_EIO : 0);
        ni_shrink_hook = NULL;
        CHECK(info.swapped == !back);
        if (opener > 0 && !opener_done)
            opener_done = waitpid(opener, &opener_status, 0) == opener;
        status = opener_status;
        CHECK(opener_done && WIFEXITED(status) && WEXITSTATUS(status) == 0);
        ni_index_close(idx);
        CHECK(has_writes(dir, "doc-o", 1));
        CHECK(has_writes(dir, "doc-", 2));
        if (test_failures)
            fprintf(stderr, "opened at step %d%s\n", step, back ? " (sync fails)" : "");
    }
}

/* A handle on a directory keeps naming it after the directory is exchanged
 * with another (so LMDB opens lock.mdb and data.mdb of one directory);
 * moved and is_current tell the exchange, on both sides. */
static void directory_handle(void)
{
    char a[300], b[300], p[400];
    ni_envdir_handle h;
    const char *hp;
    FILE *f;
    int fd;
    char buf[8] = "";

    snprintf(a, sizeof a, "%s", test_new_dir());
    snprintf(b, sizeof b, "%s", test_new_dir());
    CHECK(mkdir(a, 0777) == 0 && mkdir(b, 0777) == 0);
    snprintf(p, sizeof p, "%s/data.mdb", a);
    CHECK((f = fopen(p, "w")) && fputs("A", f) >= 0 && fclose(f) == 0);
    snprintf(p, sizeof p, "%s/data.mdb", b);
    CHECK((f = fopen(p, "w")) && fputs("B", f) >= 0 && fclose(f) == 0);
    hp = ni_envdir_hold(&h, a);
    CHECK(h.fd >= 0 && hp == h.path);
    snprintf(p, sizeof p, "%s/data.mdb", a);
    fd = open(p, O_RDONLY);
    CHECK(!ni_envdir_moved(&h, a) && ni_envdir_is_current(a, fd));
    CHECK(renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0);
    CHECK(ni_envdir_moved(&h, a) && !ni_envdir_is_current(a, fd));
    CHECK(!ni_envdir_moved(&h, b) && ni_envdir_is_current(b, fd));
    close(fd);
    snprintf(p, sizeof p, "%s/data.mdb", hp);
    fd = open(p, O_RDONLY);
    CHECK(fd >= 0 && read(fd, buf, 1) == 1 && buf[0] == 'A');
    if (fd >= 0)
        close(fd);
    ni_envdir_release(&h);
    CHECK(h.fd == -1);
}

static int swap_out[2], swap_done[2];

/* In the opener: the first time, a shrink runs in the parent between the
 * handle on the directory and LMDB's open through it. */
static void shrink_in_between(void)
{
    static int once;
    char b = 's';
    if (once++)
        return;
    if (write(swap_out[1], &b, 1) != 1 || read(swap_done[0], &b, 1) != 1)
        _exit(3);
}

/* A process whose open took the directory just before a shrink swapped
 * and removed it opens again, and gets the new index. */
static void swapped_while_opening(void)
{
    char dir[256];
    ni_index *idx = NULL;
    ni_shrink_info info;
    int status;
    pid_t pid;
    char b;

    snprintf(dir, sizeof dir, "%s", test_new_dir());
    build(dir);
    CHECK(pipe(swap_out) == 0 && pipe(swap_done) == 0);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        ni_index *o = NULL;
        ni_doc *d = NULL;
        ni_store_attach_hook = shrink_in_between;
        if (ni_index_open(&o, dir, NULL) < 0) {
            fprintf(stderr, "opener: %s\n", ni_errmsg());
            _exit(4);
        }
        ni_store_attach_hook = NULL;
        /* the new index: it holds the document added after the shrink */
        if (ni_index_get(&d, o, "doc-p0", 6) != 0 || add_named(o, "doc-o0", WRITER_TEXT) < 0 ||
            ni_index_commit(o) < 0)
            _exit(5);
        ni_doc_free(d);
        ni_index_close(o);
        _exit(0);
    }
    CHECK(read(swap_out[0], &b, 1) == 1);
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    CHECK_RC(ni_index_shrink(&info, idx, NULL, NULL), 0);
    CHECK(info.swapped);
    CHECK_RC(add_named(idx, "doc-p0", "родительский документ"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    CHECK(write(swap_done[1], "d", 1) == 1);
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0);
    CHECK(has_writes(dir, "doc-o", 1));
    close(swap_out[0]);
    close(swap_out[1]);
    close(swap_done[0]);
    close(swap_done[1]);
}

TEST_MAIN(TEST(directory_handle), TEST(shrinks_to_copy), TEST(refused_exchange), TEST(sibling_leftovers),
          TEST(killed_at_each_step), TEST(other_processes), TEST(busy_reader), TEST(swapped_while_opening), TEST(opened_meanwhile))
