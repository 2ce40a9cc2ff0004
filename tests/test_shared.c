/*
 * test_shared.c - one ni_index shared by threads, and handles misused.
 * Four threads add, replace, delete and commit through one handle while
 * two search it (analysis in the calling thread or in the pipeline, with
 * a memory budget small enough that batches are flushed into a write
 * transaction that one thread begins and another commits): afterwards
 * exactly the documents each thread's own sequence leaves are there, with
 * their last text, and ni_index_check passes.  Then misuse: closing twice,
 * every call after close, closing while other threads search, freeing
 * hits or a document twice: each is an error or nothing, never a crash
 * (ASan and TSan runs included).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "newsindex.h"
#include "../lib/mem.h"
#include "test.h"
#include "tmpdir.h"

/* ASan and TSan report a read of freed memory themselves */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define UNDER_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define UNDER_SANITIZER 1
#endif
#endif

#define WRITERS 4
#define READERS 2
#define PER_WRITER 240

typedef struct writer_arg {
    ni_index *idx;
    int t;
    int live[PER_WRITER];      /* 0 absent, 1 first text, 2 replaced */
    int errors;
    char msg[256];
} writer_arg;

typedef struct reader_arg {
    ni_index *idx;
    atomic_int *stop;
    int errors, runs;
    char msg[256];
} reader_arg;

static int add_doc(ni_index *idx, int t, int i, int replaced)
{
    char id[32], text[160];
    ni_doc d = NI_DOC_INIT;
    snprintf(id, sizeof id, "w%d-%d", t, i);
    snprintf(text, sizeof text, "zqall zqwriter%c zqdoc%dx%d %s seq%d", 'a' + t, t, i,
             replaced ? "zqreplaced" : "zqfirst", i);
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = strlen(text);
    return ni_index_add(idx, &d);
}

static void fail(writer_arg *w, const char *what)
{
    if (w->errors++ == 0)
        snprintf(w->msg, sizeof w->msg, "%s: %s", what, ni_errmsg());
}

/* Thread t's own sequence: add, now and then replace an earlier document
 * or delete one (pending or committed), commit every 32 adds. */
static void *writer_main(void *p)
{
    writer_arg *w = p;
    char id[32];
    int i;

    for (i = 0; i < PER_WRITER; i++) {
        if (add_doc(w->idx, w->t, i, 0) < 0)
            fail(w, "add");
        w->live[i] = 1;
        if (i % 11 == 10) {
            if (add_doc(w->idx, w->t, i - 5, 1) < 0)
                fail(w, "replace");
            w->live[i - 5] = 2;
        }
        if (i % 7 == 6 && w->live[i - 3]) {
            snprintf(id, sizeof id, "w%d-%d", w->t, i - 3);
            if (ni_index_delete(w->idx, id, strlen(id)) < 0)
                fail(w, "delete");
            w->live[i - 3] = 0;
        }
        if (i % 32 == 31 && ni_index_commit(w->idx) < 0)
            fail(w, "commit");
    }
    if (ni_index_commit(w->idx) < 0)
        fail(w, "last commit");
    return NULL;
}

/* Searches, reads every hit and a document, until told to stop: every
 * call succeeds (a document may or may not be there yet). */
static void *reader_main(void *p)
{
    reader_arg *r = p;
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    ni_doc *d;
    int rc;

    o.limit = 50;
    while (!atomic_load(r->stop)) {
        if ((rc = ni_search(&h, r->idx, "zqall", 5, &o)) < 0) {
            r->errors++;
            snprintf(r->msg, sizeof r->msg, "search: %s", ni_errmsg());
            continue;
        }
        while ((rc = ni_hits_next(h, &hit)) == 0)
            ;
        if (rc != NI_DONE) {
            r->errors++;
            snprintf(r->msg, sizeof r->msg, "next: %s", ni_errmsg());
        }
        ni_hits_free(h);
        rc = ni_index_get(&d, r->idx, "w1-3", 4);
        if (rc < 0 && rc != NI_ENOTFOUND) {
            r->errors++;
            snprintf(r->msg, sizeof r->msg, "get: %s", ni_errmsg());
        }
        ni_doc_free(d);
        r->runs++;
    }
    return NULL;
}

/* Documents the query finds, counted hit by hit. */
static long count(ni_index *idx, const char *q)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    long n = 0;
    o.limit = 10000;
    if (ni_search(&h, idx, q, strlen(q), &o) < 0)
        return -1;
    while (ni_hits_next(h, &hit) == 0)
        n++;
    ni_hits_free(h);
    return n;
}

/* What each writer's sequence left is what the index holds. */
static void check_result(ni_index *idx, writer_arg *ws)
{
    ni_index_check_stats cs;
    ni_stats st;
    long want = 0;
    int t, i;

    CHECK_RC(ni_index_check(&cs, idx), 0);
    for (t = 0; t < WRITERS; t++) {
        char q[32];
        long mine = 0;
        for (i = 0; i < PER_WRITER; i++) {
            char id[32];
            ni_doc *d = NULL;
            int rc;
            snprintf(id, sizeof id, "w%d-%d", t, i);
            rc = ni_index_get(&d, idx, id, strlen(id));
            if (ws[t].live[i]) {
                mine++;
                CHECK_RC(rc, 0);
                CHECK(d && memmem(d->text, d->text_len, ws[t].live[i] == 2 ? "zqreplaced" : "zqfirst",
                                  ws[t].live[i] == 2 ? 10 : 7) != NULL);
            } else {
                CHECK_RC(rc, NI_ENOTFOUND);
            }
            ni_doc_free(d);
        }
        snprintf(q, sizeof q, "zqwriter%c", 'a' + t);
        CHECK(count(idx, q) == mine);
        want += mine;
    }
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == (uint64_t)want);
    CHECK(cs.docs == (uint64_t)want);
    CHECK(count(idx, "zqall") == want);
}

static void writers_and_readers(unsigned threads, size_t budget)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    static writer_arg ws[WRITERS];
    reader_arg rs[READERS];
    pthread_t wt[WRITERS], rt[READERS];
    atomic_int stop = 0;
    const char *dir = test_new_dir();
    int t;

    oo.threads = threads;
    oo.memory_budget = budget;
    CHECK_RC(ni_index_open(&idx, dir, &oo), 0);
    for (t = 0; t < READERS; t++) {
        rs[t] = (reader_arg){ idx, &stop, 0, 0, "" };
        CHECK(pthread_create(&rt[t], NULL, reader_main, &rs[t]) == 0);
    }
    for (t = 0; t < WRITERS; t++) {
        memset(&ws[t], 0, sizeof ws[t]);
        ws[t].idx = idx;
        ws[t].t = t;
        CHECK(pthread_create(&wt[t], NULL, writer_main, &ws[t]) == 0);
    }
    for (t = 0; t < WRITERS; t++) {
        pthread_join(wt[t], NULL);
        if (ws[t].errors)
            fprintf(stderr, "writer %d: %d errors, first %s\n", t, ws[t].errors, ws[t].msg);
        CHECK(ws[t].errors == 0);
    }
    atomic_store(&stop, 1);
    for (t = 0; t < READERS; t++) {
        pthread_join(rt[t], NULL);
        if (rs[t].errors)
            fprintf(stderr, "reader %d: %d errors, last %s\n", t, rs[t].errors, rs[t].msg);
        CHECK(rs[t].errors == 0 && rs[t].runs > 0);
    }
    check_result(idx, ws);
    ni_index_close(idx);
    /* and as another handle reads it */
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    check_result(idx, ws);
    ni_index_close(idx);
}

static void writers_in_calling_threads(void)
{
    alarm(180);                 /* a writer waiting on LMDB's lock forever */
    writers_and_readers(1, 0);
}

/* a budget of 2 KB: a flush every few documents, into a transaction
 * the next commit, of any thread, ends */
static void writers_with_flushes(void)
{
    writers_and_readers(1, 2 << 10);
}

static void writers_with_pipeline(void)
{
    writers_and_readers(3, 2 << 10);
}

/* Failures on the writer's own thread come back with their message: a
 * budget of one byte flushes after every add, into the transaction that
 * thread keeps; allocation n fails, for every n until the add goes
 * through.  Every failure says what went wrong, the success after them
 * leaves no message, and the index is whole. */
static void errors_from_writer_thread(void)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_stats st;
    uint64_t n;
    int rc = -1, failures = 0, silent = 0;

    oo.memory_budget = 1;
    CHECK_RC(ni_index_open(&idx, test_new_dir(), &oo), 0);
    CHECK_RC(add_doc(idx, 0, 0, 0), 0);
    for (n = 1; n < 2000 && rc != 0; n++) {
        ni_mem_fail_at(n, 1);
        rc = add_doc(idx, 0, 1, 0);
        if (rc == 0)
            rc = ni_index_commit(idx);
        ni_mem_fail_at(0, 0);
        if (rc < 0) {
            failures++;
            silent += ni_errmsg()[0] == '\0';
            if (ni_errmsg()[0] == '\0')
                fprintf(stderr, "allocation %llu: %d without a message\n",
                        (unsigned long long)n, rc);
        }
    }
    CHECK_RC(rc, 0);
    CHECK(strcmp(ni_errmsg(), "") == 0);       /* none left from a failure */
    CHECK(failures > 20 && silent == 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs >= 1 && st.docs <= 2);
    ni_index_close(idx);
}

/* ---- misuse ------------------------------------------------------------- */

static ni_index *open_one(const char **dir)
{
    ni_index *idx = NULL;
    *dir = test_new_dir();
    CHECK_RC(ni_index_open(&idx, *dir, NULL), 0);
    CHECK_RC(add_doc(idx, 0, 1, 0), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    return idx;
}

static void close_twice(void)
{
    const char *dir;
    ni_index *idx = open_one(&dir);
    ni_index_close(idx);
    ni_index_close(idx);        /* freed: refused without touching it */
    CHECK(strstr(ni_errmsg(), "ni_index_close: not an open index") != NULL);
    ni_index_close(NULL);
}

/* Every call that takes an index, on one closed and freed. */
static void calls_after_close(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    const char *dir;
    ni_index *idx = open_one(&dir);
    ni_doc d = NI_DOC_INIT;
    ni_doc *got = (ni_doc *)&d;
    ni_hits *h = (ni_hits *)&d;
    ni_explanation *ex = (ni_explanation *)&d;
    ni_facets *f = (ni_facets *)&d;
    ni_stats st;
    ni_index_check_stats cs;

    ni_index_close(idx);
    d.id = "x";
    d.id_len = 1;
#define REFUSED(call, name) do { CHECK_RC(call, NI_EINVAL); \
        CHECK(strstr(ni_errmsg(), name ": not an open index") != NULL); } while (0)
    REFUSED(ni_index_add(idx, &d), "ni_index_add");
    REFUSED(ni_index_delete(idx, "x", 1), "ni_index_delete");
    REFUSED(ni_index_commit(idx), "ni_index_commit");
    REFUSED(ni_index_compact(idx), "ni_index_compact");
    REFUSED(ni_index_get(&got, idx, "x", 1), "ni_index_get");
    CHECK(got == NULL);
    REFUSED(ni_index_stats(&st, idx), "ni_index_stats");
    REFUSED(ni_index_check(&cs, idx), "ni_index_check");
    REFUSED(ni_index_copy(idx, test_new_dir(), 0), "ni_index_copy");
    REFUSED(ni_search(&h, idx, "zqall", 5, &o), "ni_search");
    CHECK(h == NULL);
    h = (ni_hits *)&d;
    REFUSED(ni_similar(&h, idx, "w0-1", 4, NULL), "ni_similar");
    CHECK(h == NULL);
    REFUSED(ni_explain(&ex, idx, "zqall", 5, "w0-1", 4, NULL), "ni_explain");
    CHECK(ex == NULL);
    REFUSED(ni_index_facets(&f, idx, "rubric", 6), "ni_index_facets");
    CHECK(f == NULL);
#undef REFUSED
    /* a pointer that never was a handle, the same way */
    CHECK_RC(ni_index_commit((ni_index *)&d), NI_EINVAL);
    CHECK_RC(ni_index_commit(NULL), NI_EINVAL);
    CHECK(strstr(ni_errmsg(), "index is NULL") != NULL);
}

/* Closed with hits open: the hits go on, calls on the handle are refused
 * ("was closed"), closing again does nothing; the last hits freed free
 * the handle, which is then not an open index. */
static void close_with_hits_open(void)
{
    const char *dir;
    ni_index *idx = open_one(&dir);
    ni_hits *h = NULL;
    ni_hit hit;

    CHECK_RC(ni_search(&h, idx, "zqall", 5, NULL), 0);
    ni_index_close(idx);
    CHECK_RC(ni_index_commit(idx), NI_EINVAL);
    CHECK(strstr(ni_errmsg(), "was closed") != NULL);
    ni_index_close(idx);
    CHECK_RC(ni_hits_next(h, &hit), 0);
    CHECK(hit.id_len == 4 && memcmp(hit.id, "w0-1", 4) == 0);
    CHECK_RC(ni_hits_next(h, &hit), NI_DONE);
    ni_hits_free(h);
    CHECK_RC(ni_index_commit(idx), NI_EINVAL);
    CHECK(strstr(ni_errmsg(), "not an open index") != NULL);
}

/* A write waiting for the write lock when the handle is closed: it is
 * refused, the writer having gone with the close. */
typedef struct closer_arg { ni_index *idx; int rc, searches; } closer_arg;

static void *search_until_closed(void *p)
{
    closer_arg *a = p;
    ni_hits *h;
    for (;;) {
        int rc = ni_search(&h, a->idx, "zqall", 5, NULL);
        if (rc < 0) {
            a->rc = rc;
            break;
        }
        ni_hits_free(h);
        a->searches++;
    }
    return NULL;
}

/* Closing while other threads search and write: their calls finish or are
 * refused, the handle is freed once, after the last (TSan, ASan). */
static void close_while_in_use(void)
{
    const char *dir;
    ni_index *idx = open_one(&dir);
    closer_arg a[3];
    pthread_t th[3];
    int t;

    for (t = 0; t < 3; t++) {
        a[t] = (closer_arg){ idx, 0, 0 };
        CHECK(pthread_create(&th[t], NULL, search_until_closed, &a[t]) == 0);
    }
    for (t = 0; t < 20; t++) {
        CHECK_RC(add_doc(idx, 1, t, 0), 0);
        CHECK_RC(ni_index_commit(idx), 0);
    }
    ni_index_close(idx);
    for (t = 0; t < 3; t++) {
        pthread_join(th[t], NULL);
        CHECK(a[t].rc == NI_EINVAL);
    }
}

static void free_twice(void)
{
#ifdef UNDER_SANITIZER
    fprintf(stderr, "free_twice: skipped under ASan and TSan\n");
#else
    const char *dir;
    ni_index *idx = open_one(&dir);
    ni_hits *h = NULL;
    ni_hit hit;
    ni_snippet sn;
    ni_doc *d = NULL;

    CHECK_RC(ni_search(&h, idx, "zqall", 5, NULL), 0);
    ni_hits_free(h);
    ni_hits_free(h);
    CHECK(strstr(ni_errmsg(), "ni_hits_free: the hits were freed already") != NULL);
    CHECK_RC(ni_hits_next(h, &hit), NI_EINVAL);
    CHECK_RC(ni_hits_snippet(&sn, h, 80), NI_EINVAL);
    CHECK_RC(ni_hits_title(&sn, h), NI_EINVAL);
    CHECK_RC(ni_index_get(&d, idx, "w0-1", 4), 0);
    CHECK(d && d->id_len == 4);
    ni_doc_free(d);
    ni_doc_free(d);
    CHECK(strstr(ni_errmsg(), "ni_doc_free: document freed already") != NULL);
    ni_index_close(idx);
#endif
}

/* A document that ni_index_get did not make is refused, not freed. */
static void free_foreign_doc(void)
{
    struct { ni_doc d; uint32_t pad[8]; } mine;
    memset(&mine, 0, sizeof mine);
    ni_doc_free(&mine.d);
    CHECK(strstr(ni_errmsg(), "not a document of ni_index_get") != NULL);
}

TEST_MAIN(TEST(writers_in_calling_threads), TEST(writers_with_flushes),
          TEST(writers_with_pipeline), TEST(errors_from_writer_thread), TEST(close_twice), TEST(calls_after_close),
          TEST(close_with_hits_open), TEST(close_while_in_use), TEST(free_twice),
          TEST(free_foreign_doc))
