/*
 * Reliability: reader threads searching while a writer commits, an index
 * of a newer format version, a file-size limit standing in for a full
 * disk, awkward documents (empty, NUL bytes, invalid UTF-8, 20 MB, or
 * NI_BIG_DOC_MB), and stored records cut into parts.
 * Whatever fails must fail cleanly and leave every committed document.
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/analyzer.h"
#include "../lib/layout.h"
#include "../lib/mem.h"
#include "../lib/record.h"
#include "../lib/search.h"
#include "test.h"
#include "tmpdir.h"


static int add(ni_index *idx, const char *id, const char *text, size_t len)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = len;
    return ni_index_add(idx, &d);
}

static long total(ni_index *idx, const char *q)
{
    ni_hits *h;
    long t;
    if (ni_search(&h, idx, q, strlen(q), NULL) < 0)
        return -1;
    t = (long)ni_hits_total(h);
    ni_hits_free(h);
    return t;
}

/* ---- readers while a writer commits ------------------------------------ */

typedef struct reader { ni_index *idx; volatile int *stop; int bad, runs; } reader;

static void *read_loop(void *arg)
{
    reader *r = arg;
    while (!*r->stop) {
        long t = total(r->idx, "бюллетень");
        if (t < 0 || t % 40 != 0)
            r->bad++;
        r->runs++;
    }
    return NULL;
}

static void threads_and_commits(void)
{
    ni_index *idx = NULL;
    volatile int stop = 0;
    reader rs[4];
    pthread_t th[4];
    char id[32];
    int b, i;

    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    for (i = 0; i < 4; i++) {
        rs[i].idx = idx;
        rs[i].stop = &stop;
        rs[i].bad = rs[i].runs = 0;
        CHECK(pthread_create(&th[i], NULL, read_loop, &rs[i]) == 0);
    }
    for (b = 0; b < 30; b++) {
        for (i = 0; i < 40; i++) {
            snprintf(id, sizeof id, "t%d-%d", b, i);
            CHECK_RC(add(idx, id, "утренний бюллетень новостей", 52), 0);
        }
        CHECK_RC(ni_index_commit(idx), 0);
    }
    stop = 1;
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        CHECK(rs[i].bad == 0 && rs[i].runs > 0);
    }
    CHECK(total(idx, "бюллетень") == 1200);
    ni_index_close(idx);
}

/* ---- two writers: the second waits for the first ------------------------ */

static void locked_by_another_writer(void)
{
    char path[200];
    ni_index *idx = NULL;
    pid_t pid;
    int status = 0;

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    idx = NULL;
    pid = fork();
    if (pid == 0) {
        /* a budget of one byte opens the write transaction at the first add
         * and keeps it (and the writer lock) until the commit */
        ni_open_options o = NI_OPEN_OPTIONS_INIT;
        ni_index *w = NULL;
        o.memory_budget = 1;
        if (ni_index_open(&w, path, &o) < 0 || add(w, "first", "первый писатель", 29) < 0)
            _exit(3);
        usleep(600000);
        _exit(ni_index_commit(w) == 0 ? 0 : 4);
    }
    usleep(200000);
    {
        struct timespec a, b;
        CHECK_RC(ni_index_open(&idx, path, NULL), 0);
        CHECK_RC(add(idx, "second", "второй писатель", 29), 0);
        clock_gettime(CLOCK_MONOTONIC, &a);
        CHECK_RC(ni_index_commit(idx), 0);          /* waits for the lock */
        clock_gettime(CLOCK_MONOTONIC, &b);
        CHECK((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 > 150);
    }
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(total(idx, "писатель") == 2);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
}

/* Writers creating one new index at once, released together from a pipe:
 * every one opens it (none fails because another made the directory first)
 * and the index holds all their documents. */
static void concurrent_create(void)
{
    enum { ROUNDS = 30, WRITERS = 6 };
    int round, failures = 0;

    for (round = 0; round < ROUNDS; round++) {
        char path[200];
        pid_t pid[WRITERS];
        int go[2], w, status;
        ni_index *idx = NULL;

        snprintf(path, sizeof path, "%s", test_new_dir());
        CHECK(pipe(go) == 0);
        for (w = 0; w < WRITERS; w++) {
            if ((pid[w] = fork()) == 0) {
                char id[16], c;
                ni_index *x = NULL;
                close(go[1]);
                if (read(go[0], &c, 1) != 0)    /* the parent closes: go */
                    _exit(5);
                snprintf(id, sizeof id, "w%d", w);
                if (ni_index_open(&x, path, NULL) < 0)
                    _exit(3);
                _exit(add(x, id, "одновременно", strlen("одновременно")) < 0 || ni_index_commit(x) < 0 ? 4 : 0);
            }
        }
        close(go[0]);
        usleep(20000);
        close(go[1]);
        for (w = 0; w < WRITERS; w++) {
            waitpid(pid[w], &status, 0);
            failures += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        }
        CHECK_RC(ni_index_open(&idx, path, NULL), 0);
        CHECK(total(idx, "одновременно") == WRITERS);
        ni_index_close(idx);
    }
    CHECK(failures == 0);
    if (failures)
        fprintf(stderr, "concurrent_create: %d of %d writers failed\n", failures,
                ROUNDS * WRITERS);
}

/* ---- a newer format ---------------------------------------------------- */

static void newer_format(void)
{
    char path[200];
    ni_index *idx = NULL;
    ni_store *s = NULL;
    ni_txn *t = NULL;
    unsigned char v[4] = { NI_FORMAT_VERSION + 1, 0, 0, 0 };
    char newer[32], ours[32];

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(add(idx, "a", "текст", 10), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    CHECK_RC(ni_store_open(&s, path, 0, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 1), 0);
    CHECK_RC(ni_txn_put(t, NI_T_META, "format", 6, v, 4), 0);
    CHECK_RC(ni_txn_commit(t), 0);
    ni_store_close(s);
    CHECK_RC(ni_index_open(&idx, path, NULL), NI_EVERSION);
    CHECK(idx == NULL);
    snprintf(newer, sizeof newer, "version %d", NI_FORMAT_VERSION + 1);
    snprintf(ours, sizeof ours, "versions %d to %d", NI_FORMAT_OLDEST, NI_FORMAT_VERSION);
    CHECK(strstr(ni_errmsg(), newer) && strstr(ni_errmsg(), ours));
}

static void set_format(const char *path, unsigned version)
{
    unsigned char v[4] = { (unsigned char)version, 0, 0, 0 };
    ni_store *s = NULL;
    ni_txn *t = NULL;
    CHECK_RC(ni_store_open(&s, path, 0, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 1), 0);
    CHECK_RC(ni_txn_put(t, NI_T_META, "format", 6, v, 4), 0);
    CHECK_RC(ni_txn_commit(t), 0);
    ni_store_close(s);
}

static unsigned get_format(const char *path)
{
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_val v;
    unsigned version = 0;
    CHECK_RC(ni_store_open(&s, path, NI_STORE_READONLY, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 0), 0);
    if (ni_txn_get(t, NI_T_META, "format", 6, &v) == 0 && v.len == 4)
        version = ni_get_le32(v.data);
    ni_txn_abort(t);
    ni_store_close(s);
    return version;
}

/* An index of the oldest format read is read as it is and gets the
 * current version when opened to write; older ones are refused. */
static void older_format(void)
{
    char path[200];
    ni_open_options ro = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(add(idx, "a", "текст", 10), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    set_format(path, NI_FORMAT_OLDEST);
    ro.flags = NI_OPEN_READONLY;
    CHECK_RC(ni_index_open(&idx, path, &ro), 0);
    CHECK(total(idx, "текст") == 1);
    ni_index_close(idx);
    CHECK(get_format(path) == NI_FORMAT_OLDEST);
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    ni_index_close(idx);
    CHECK(get_format(path) == NI_FORMAT_VERSION);

    set_format(path, NI_FORMAT_OLDEST - 1);
    CHECK_RC(ni_index_open(&idx, path, &ro), NI_EVERSION);
    CHECK(strstr(ni_errmsg(), "index the documents again") != NULL);
}

/* Sets meta "analysis" of the index at path to version, or deletes it
 * when version is 0. */
static void set_analysis(const char *path, unsigned version)
{
    unsigned char v[4] = { (unsigned char)version, 0, 0, 0 };
    ni_store *s = NULL;
    ni_txn *t = NULL;
    CHECK_RC(ni_store_open(&s, path, 0, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 1), 0);
    if (version)
        CHECK_RC(ni_txn_put(t, NI_T_META, "analysis", 8, v, 4), 0);
    else
        CHECK_RC(ni_txn_del(t, NI_T_META, "analysis", 8), 0);
    CHECK_RC(ni_txn_commit(t), 0);
    ni_store_close(s);
}

/* An index built with another analysis (or before it was recorded) is
 * refused, to read or to write: its terms are not the ones searched. */
static void other_analysis(void)
{
    char path[200], want[80], file[240];
    struct stat st;
    off_t size;
    ni_open_options ro = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;

    ro.flags = NI_OPEN_READONLY;
    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(add(idx, "a", "Песков сказал", strlen("Песков сказал")), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    set_analysis(path, NI_ANALYSIS_VERSION);          /* as written: fine */
    CHECK_RC(ni_index_open(&idx, path, &ro), 0);
    CHECK(total(idx, "пескова") == 1);
    ni_index_close(idx);
    set_analysis(path, NI_ANALYSIS_VERSION - 1);
    CHECK_RC(ni_index_open(&idx, path, &ro), NI_EVERSION);
    CHECK(idx == NULL);
    snprintf(want, sizeof want, "analysis version %d; this library analyses text with "
             "version %d", NI_ANALYSIS_VERSION - 1, NI_ANALYSIS_VERSION);
    CHECK(strstr(ni_errmsg(), want) && strstr(ni_errmsg(), "index the documents again"));
    /* a failed open for writing keeps the index it found, also one
     * without its lock file (a copied directory) */
    snprintf(file, sizeof file, "%s/lock.mdb", path);
    CHECK(unlink(file) == 0);
    snprintf(file, sizeof file, "%s/data.mdb", path);
    CHECK(stat(file, &st) == 0);
    size = st.st_size;
    CHECK_RC(ni_index_open(&idx, path, NULL), NI_EVERSION);
    CHECK(stat(file, &st) == 0 && st.st_size == size);
    set_analysis(path, NI_ANALYSIS_VERSION);
    CHECK_RC(ni_index_open(&idx, path, &ro), 0);
    CHECK(total(idx, "пескова") == 1);
    ni_index_close(idx);
    set_analysis(path, NI_ANALYSIS_VERSION - 1);
    CHECK_RC(ni_index_open(&idx, path, NULL), NI_EVERSION);
    set_analysis(path, NI_ANALYSIS_VERSION + 1);
    CHECK_RC(ni_index_open(&idx, path, &ro), NI_EVERSION);
    set_analysis(path, 0);                            /* not recorded: version 1 */
    CHECK_RC(ni_index_open(&idx, path, &ro), NI_EVERSION);
    CHECK(strstr(ni_errmsg(), "analysis version 1;") != NULL);
}

/* ---- a full disk: a file-size limit makes LMDB's writes fail ------------ */

static void full_disk(void)
{
    char path[200], id[32], text[3000];
    struct rlimit old, lim;
    ni_index *idx = NULL;
    ni_stats st;
    int i, rc = 0, b;

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    for (i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "keep%d", i);
        CHECK_RC(add(idx, id, "сохранённая заметка", strlen("сохранённая заметка")), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);

    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = st.file_bytes + 256 * 1024;
    CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    for (b = 0; b < 50 && rc == 0; b++) {
        for (i = 0; i < 200 && rc == 0; i++) {
            size_t n = 0;
            snprintf(id, sizeof id, "fill%d-%d", b, i);
            while (n < sizeof text - 40)
                n += (size_t)snprintf(text + n, sizeof text - n, "слово%d ", (b * 997 + i * 31 + (int)n) % 100000);
            rc = add(idx, id, text, n);
        }
        if (rc == 0)
            rc = ni_index_commit(idx);
    }
    /* LMDB's short write at the limit is an EIO: reported as what it is */
    CHECK_RC(rc, NI_EFULL);
    CHECK(strstr(ni_errmsg(), "file-size limit") != NULL);
    if (!strstr(ni_errmsg(), "file-size limit"))
        fprintf(stderr, "full_disk: %s\n", ni_errmsg());
    setrlimit(RLIMIT_FSIZE, &old);
    ni_index_close(idx);

    /* everything committed is there and sound */
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK(total(idx, "заметка") == 100);
    /* and the index takes writes again */
    CHECK_RC(add(idx, "after", "заметка после", strlen("заметка после")), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(total(idx, "заметка") == 101);
    ni_index_close(idx);
}

/* ---- awkward documents --------------------------------------------------- */

static void awkward_documents(void)
{
    static const char nul[] = "до\0после нуля";
    static const char bad[] = "плохие \xff\xfe байты \xc3 и конец";
    /* NI_BIG_DOC_MB=100 for the 100 MB document of the reliability issue
     * (20 MB in make check, to keep the sanitizer run short) */
    const char *mb = getenv("NI_BIG_DOC_MB");
    size_t big = (size_t)(mb ? atoi(mb) : 20) << 20, i;
    char *text = malloc(big);
    ni_index *idx = NULL;
    ni_doc d = NI_DOC_INIT;

    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    d.id = "empty";
    d.id_len = 5;
    CHECK_RC(ni_index_add(idx, &d), 0);
    CHECK_RC(add(idx, "nul", nul, sizeof nul - 1), 0);
    CHECK_RC(add(idx, "bad", bad, sizeof bad - 1), 0);
    {
        static const char unit[] = "газета новости ", rare[] = "редкостьслово ";
        size_t u = sizeof unit - 1;
        memcpy(text, rare, sizeof rare - 1);
        for (i = sizeof rare - 1; i + u <= big; i += u)
            memcpy(text + i, unit, u);
        memcpy(text + i - u, rare, sizeof rare - 1);   /* one near the end too */
        while (i < big)
            text[i++] = ' ';
    }
    CHECK_RC(add(idx, "big", text, big), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(total(idx, "после") == 1);
    CHECK(total(idx, "байты конец") == 1);
    CHECK(total(idx, "редкостьслово") == 1);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
    free(text);
}

/* ---- a writer killed before LMDB's first meta pages --------------------- */

/* It leaves an empty data.mdb: no index for readers, a fresh one for a
 * writer (sh_crash.sh once killed nsearch in that window). */
static void empty_data_file(void)
{
    char path[200], data[260];
    ni_open_options ro = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    FILE *f;

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK(mkdir(path, 0777) == 0);
    snprintf(data, sizeof data, "%s/data.mdb", path);
    CHECK((f = fopen(data, "w")) != NULL);
    if (f)
        fclose(f);
    ro.flags = NI_OPEN_READONLY;
    CHECK_RC(ni_index_open(&idx, path, &ro), NI_ENOTFOUND);
    CHECK(strstr(ni_errmsg(), "no index") != NULL);
    ro.flags = 0;
    CHECK_RC(ni_index_open(&idx, path, &ro), NI_ENOTFOUND);
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(add(idx, "a", "первый текст", strlen("первый текст")), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(total(idx, "текст") == 1);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
}

/* ---- stored records in parts (layout.c) ------------------------------- */

static unsigned char *record_bytes(size_t len, uint32_t seed)
{
    unsigned char *p = malloc(len ? len : 1);
    size_t i;
    for (i = 0; i < len; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (unsigned char)(seed >> 16);
    }
    return p;
}

#define NREC 3000   /* lengths 1..NREC cross every part boundary of 4 KiB pages */

static size_t rec_len(uint32_t doc)
{
    return doc < NREC ? doc + 1 : doc == NREC ? 100000 : (size_t)1 << 20;
}

/* Every record reads back whole, the head is its start, deleting one
 * removes every part, and a stray part is reported by the count. */
static void stored_parts(void)
{
    char path[200];
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_buf buf = NI_BUF_INIT;
    ni_store_info info;
    ni_val v;
    uint64_t n = 0, sum = 0;
    uint32_t doc, ok = 0, deleted = 0;
    unsigned char key[8];

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_store_open(&s, path, 0, 0, 1), 0);
    CHECK_RC(ni_txn_begin(&t, s, 1), 0);
    for (doc = 0; doc <= NREC + 1; doc++) {
        unsigned char *r = record_bytes(rec_len(doc), doc);
        CHECK_RC(ni_stored_put(t, doc, r, rec_len(doc)), 0);
        sum += rec_len(doc);
        free(r);
    }
    CHECK_RC(ni_txn_commit(t), 0);
    /* no record takes pages of its own: before parts, the records of 2 to
     * 3 KB alone took a 4 KiB overflow page each (used / sum was 1.6) */
    CHECK_RC(ni_store_info_get(s, &info), 0);
    CHECK(info.used_bytes < sum + sum / 8 + (64u << 10));

    CHECK_RC(ni_txn_begin(&t, s, 0), 0);
    for (doc = 0; doc <= NREC + 1; doc++) {
        unsigned char *r = record_bytes(rec_len(doc), doc);
        if (ni_stored_get(t, doc, &buf, &v) == 0 && v.len == rec_len(doc) &&
            memcmp(v.data, r, v.len) == 0 && ni_stored_head(t, doc, &v) == 0 &&
            v.len > 0 && v.len <= rec_len(doc) && memcmp(v.data, r, v.len) == 0)
            ok++;
        free(r);
    }
    CHECK(ok == NREC + 2);
    CHECK_RC(ni_stored_count(t, &n), 0);
    CHECK(n == NREC + 2);
    ni_txn_abort(t);

    CHECK_RC(ni_txn_begin(&t, s, 1), 0);
    for (doc = 0; doc <= NREC + 1; doc += 3, deleted++)
        CHECK_RC(ni_stored_del(t, doc), 0);
    CHECK_RC(ni_txn_commit(t), 0);
    CHECK_RC(ni_txn_begin(&t, s, 0), 0);
    CHECK_RC(ni_stored_count(t, &n), 0);
    CHECK(n == NREC + 2 - deleted);
    CHECK_RC(ni_stored_get(t, 3, &buf, &v), NI_ECORRUPT);
    CHECK_RC(ni_stored_get(t, NREC, &buf, &v), NI_ECORRUPT);
    for (ok = 0, doc = 1; doc <= NREC + 1; doc += 3) {
        unsigned char *r = record_bytes(rec_len(doc), doc);
        ok += ni_stored_get(t, doc, &buf, &v) == 0 && v.len == rec_len(doc) &&
              memcmp(v.data, r, v.len) == 0;
        free(r);
    }
    CHECK(ok == (NREC + 1) / 3 + 1);
    ni_txn_abort(t);

    /* a part whose record is gone */
    CHECK_RC(ni_txn_begin(&t, s, 1), 0);
    ni_put_be32(key, 3);
    ni_put_be32(key + 4, 1);
    CHECK_RC(ni_txn_put(t, NI_T_DOCS, key, 8, "x", 1), 0);
    CHECK_RC(ni_stored_count(t, &n), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "part 1 of document 3 ") != NULL);
    ni_txn_abort(t);
    /* a missing middle part (of the 1 MB record) */
    CHECK_RC(ni_txn_begin(&t, s, 1), 0);
    ni_put_be32(key, NREC + 1);
    ni_put_be32(key + 4, 5);
    CHECK_RC(ni_txn_del(t, NI_T_DOCS, key, 8), 0);
    CHECK_RC(ni_stored_count(t, &n), NI_ECORRUPT);
    CHECK(strstr(ni_errmsg(), "part 6 of document 3001 follows part 4") != NULL);
    CHECK_RC(ni_stored_get(t, NREC + 1, &buf, &v), 0);
    CHECK(v.len < rec_len(NREC + 1));
    ni_txn_abort(t);
    ni_buf_free(&buf);
    ni_store_close(s);
}

/* Documents whose records are cut into parts read back whole through
 * the public API, in search results and after replacing and deleting. */
static void long_documents(void)
{
    enum { N = 6 };
    static const char *const words[] = { "министр", "губерния", "выборы", "школа",
                                         "мэр", "бюджет", "дорога", "село" };
    char *text[N], id[16], path[200];
    size_t len[N], i, k, ok = 0;
    uint32_t seed = 7;
    ni_index *idx = NULL;
    ni_doc *got;
    ni_hits *h;

    snprintf(path, sizeof path, "%s", test_new_dir());
    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    for (i = 0; i < N; i++) {
        /* words and random numbers: compresses to several parts */
        len[i] = 0;
        text[i] = malloc(300000);
        for (k = 0; len[i] < 2000u << i; k++) {
            seed = seed * 1103515245u + 12345u;
            len[i] += (size_t)snprintf(text[i] + len[i], 300000 - len[i], "%s %u ",
                                       words[(seed >> 16) % 8], seed >> 8);
        }
        snprintf(id, sizeof id, "long%zu", i);
        CHECK_RC(add(idx, id, text[i], len[i]), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(add(idx, "long0", text[5], len[5]), 0);   /* replaces */
    CHECK_RC(ni_index_delete(idx, "long1", 5), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    for (i = 0; i < N; i++) {
        size_t want = i == 0 ? 5 : i;
        snprintf(id, sizeof id, "long%zu", i);
        if (i == 1) {
            CHECK_RC(ni_index_get(&got, idx, id, strlen(id)), NI_ENOTFOUND);
            continue;
        }
        CHECK_RC(ni_index_get(&got, idx, id, strlen(id)), 0);
        if (got) {
            ok += got->text_len == len[want] && memcmp(got->text, text[want], len[want]) == 0;
            ni_doc_free(got);
        }
    }
    CHECK(ok == N - 1);
    /* a hit's snippet comes from the whole stored text */
    {
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        o.flags = NI_SEARCH_NO_COLLAPSE;    /* long0 is now long5's text: both are hits */
        CHECK_RC(ni_search(&h, idx, "министр", strlen("министр"), &o), 0);
    }
    if (h) {
        ni_hit hit;
        ni_snippet sn;
        CHECK(ni_hits_total(h) == N - 1);
        for (ok = 0; ni_hits_next(h, &hit) == 0;) {
            size_t want = (size_t)(hit.id[4] - '0');
            want = want == 0 ? 5 : want;
            ok += ni_hits_snippet(&sn, h, 100) == 0 && sn.len > 0 &&
                  memmem(text[want], len[want], sn.text, sn.len) != NULL;
        }
        CHECK(ok == N - 1);
        ni_hits_free(h);
    }
    ni_index_close(idx);
    {
        /* the records were cut into parts */
        ni_store *s = NULL;
        ni_txn *t = NULL;
        uint64_t entries = 0;
        CHECK_RC(ni_store_open(&s, path, NI_STORE_READONLY, 0, 0), 0);
        CHECK_RC(ni_txn_begin(&t, s, 0), 0);
        CHECK_RC(ni_txn_count(t, NI_T_DOCS, &entries), 0);
        CHECK(entries > 2 * (N - 1));
        ni_txn_abort(t);
        ni_store_close(s);
    }
    for (i = 0; i < N; i++)
        free(text[i]);
}

TEST_MAIN(TEST(threads_and_commits), TEST(locked_by_another_writer), TEST(newer_format),
          TEST(older_format), TEST(other_analysis), TEST(full_disk),
          TEST(awkward_documents), TEST(stored_parts), TEST(long_documents),
          TEST(empty_data_file), TEST(concurrent_create))
