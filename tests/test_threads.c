/*
 * test_threads.c - indexing with background analysis (ni_open_options
 * threads > 1): the index it writes is the same, table by table and byte
 * by byte, as the one written in the calling thread, with replacements,
 * deletions, rubrics, empty and absent fields, documents larger than the
 * analyzer's decoding chunk, flushes forced by a small memory budget and
 * several commits; a failing allocation anywhere leaves a consistent index
 * holding only documents exactly as they were added; closing with
 * documents in flight loses nothing committed.
 */
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/mem.h"
#include "lmdbcmp.h"
#include "test.h"
#include "tmpdir.h"

#define NDOCS 1500

static const char *const words[] = {
    "школа", "мэров", "выпуск", "Москва", "Ростов-на-Дону", "губернатор", "ёлка",
    "COVID-19", "2024", "10,5", "по-русски", "экономика", "бюджет", "выборы", "суд",
    "Су-57", "северо-запад", "пеpедача", "за\xcc\x81мок", "новости",
};

/* Document i of the test corpus, in buf; ids repeat so that later documents
 * replace earlier ones. */
static void make_doc(ni_doc *d, char *buf, size_t size, unsigned i)
{
    size_t n = 0, k, len = i % 47 == 0 ? 70000 : 40 + (i * 37) % 600;
    char *id = buf, *title, *text;
    unsigned r = i * 2654435761u;

    n += (size_t)snprintf(buf + n, size - n, "doc-%u", i % 5 == 4 ? i - 3 : i) + 1;
    title = buf + n;
    n += (size_t)snprintf(buf + n, size - n, "%s %s %u", words[i % 20], words[(i / 3) % 20], i) + 1;
    text = buf + n;
    for (k = 0; n + 40 < size && k < len / 8; k++) {
        r = r * 1103515245u + 12345u;
        n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? " " : "", words[(r >> 16) % 20]);
        if (k % 17 == 16)
            n += (size_t)snprintf(buf + n, size - n, " слово%u.", (r >> 8) % 5000);
    }
    *d = (ni_doc)NI_DOC_INIT;
    d->id = id;
    d->id_len = strlen(id);
    if (i % 11) {
        d->title = title;
        d->title_len = strlen(title);
    }
    d->text = text;
    d->text_len = i % 13 == 0 ? 0 : strlen(text);
    if (i % 3 == 0) {
        d->rubric = i % 2 ? "Общество" : "Экономика и бизнес";
        d->rubric_len = strlen(d->rubric);
    }
    if (i % 7 == 0) {
        d->url = "";          /* present but empty, unlike an absent one */
        d->url_len = 0;
    }
    d->date = 1700000000 + (int64_t)i * 3600;
}

/* Indexes the test corpus with the given threads; deletes some ids on the
 * way; commits every 400 documents and at the end. */
static int build(const char *dir, unsigned threads)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    size_t size = 100000;
    char *buf = malloc(size), id[32];
    unsigned i;
    int rc;

    o.threads = threads;
    o.memory_budget = 3 << 20;        /* flushes inside a batch */
    if ((rc = ni_index_open(&idx, dir, &o)) < 0) {
        free(buf);
        return rc;
    }
    for (i = 0; i < NDOCS && rc >= 0; i++) {
        ni_doc d;
        make_doc(&d, buf, size, i);
        rc = ni_index_add(idx, &d);
        if (rc >= 0 && i % 50 == 49) {
            snprintf(id, sizeof id, "doc-%u", i - 22);
            rc = ni_index_delete(idx, id, strlen(id));
        }
        if (rc >= 0 && i >= 1000 && i % 200 == 199)
            rc = ni_index_commit(idx);
    }
    if (rc >= 0)
        rc = ni_index_commit(idx);
    ni_index_close(idx);
    free(buf);
    return rc;
}

/* Whether the two indexes hold the same tables entry for entry
 * (lmdbcmp.h), the stored fields' dictionary among them. */
static int same_tables(const char *a, const char *b)
{
    lmdb_cmp c;
    return lmdb_same_tables(a, b, 0, &c) && c.tables == 9 && c.entries > NDOCS &&
           lmdb_has_key(a, "meta", "dict");
}

static void same_index(void)
{
    char one[256], many[256], two[256];
    snprintf(one, sizeof one, "%s", test_new_dir());
    snprintf(two, sizeof two, "%s", test_new_dir());
    snprintf(many, sizeof many, "%s", test_new_dir());
    CHECK_RC(build(one, 1), 0);
    CHECK_RC(build(two, 2), 0);
    CHECK_RC(build(many, 5), 0);
    CHECK(same_tables(one, two));
    CHECK(same_tables(one, many));
}

static int same_doc(const ni_doc *a, const ni_doc *b)
{
    return a->text_len == b->text_len && (!a->text_len || memcmp(a->text, b->text, a->text_len) == 0) &&
           a->title_len == b->title_len &&
           (!a->title_len || memcmp(a->title, b->title, a->title_len) == 0) && a->date == b->date;
}

/* Every document of the index with one of the ids of the first 200 test
 * documents equals one added under that id (document i, or i + 3, which
 * replaces it unless its add failed); *found counts them. */
static int docs_intact(ni_index *idx, uint64_t *found)
{
    size_t size = 100000;
    char *buf = malloc(size), *buf2 = malloc(size);
    unsigned i;
    int ok = 1;

    *found = 0;
    for (i = 0; i < 200 && ok; i++) {
        ni_doc first, later, *got = NULL;
        int rc;
        if (i % 5 == 4)
            continue;                 /* its id is document i - 3's */
        make_doc(&first, buf, size, i);
        rc = ni_index_get(&got, idx, first.id, first.id_len);
        if (rc == NI_ENOTFOUND)
            continue;
        ok = rc == 0;
        if (rc < 0)
            break;
        ++*found;
        make_doc(&later, buf2, size, i + 3);
        ok = same_doc(got, &first) || (i % 5 == 1 && same_doc(got, &later));
        ni_doc_free(got);
    }
    free(buf2);
    free(buf);
    return ok;
}

/* The n-th allocation fails, on whichever thread makes it: the calls
 * report errors, and what was committed is whole and consistent. */
static void allocation_failure(void)
{
    size_t size = 100000;
    char *buf = malloc(size);
    uint64_t n, found, errors = 0, complete = 0;

    for (n = 1; n < 4000; n += n < 200 ? 7 : 97) {
        const char *dir = test_new_dir();
        ni_open_options o = NI_OPEN_OPTIONS_INIT;
        ni_index *idx = NULL;
        unsigned i;
        int rc = 0, failed = 0;

        o.threads = 3;
        if (ni_index_open(&idx, dir, &o) < 0) {
            CHECK(0);
            break;
        }
        ni_mem_fail_at(n, 0);
        for (i = 0; i < 200; i++) {
            ni_doc d;
            make_doc(&d, buf, size, i);
            if ((rc = ni_index_add(idx, &d)) < 0) {
                failed = 1;
                CHECK(rc == NI_ENOMEM || rc == NI_EIO || rc == NI_EFULL);
            }
        }
        if ((rc = ni_index_commit(idx)) < 0)
            failed = 1;
        ni_mem_fail_at(0, 0);
        errors += (uint64_t)failed;
        /* whatever is there now is consistent and intact */
        CHECK_RC(ni_index_commit(idx), 0);
        CHECK_RC(ni_index_check(NULL, idx), 0);
        CHECK(docs_intact(idx, &found));
        if (!failed)
            complete += found == 160;   /* 200 documents, 40 of them replacements */
        ni_index_close(idx);
    }
    CHECK(errors > 0 && complete > 0);
    free(buf);
}

/* Closing with documents still being analysed, then reopening: the last
 * commit is all there is. */
static void close_in_flight(void)
{
    const char *dir = test_new_dir();
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    size_t size = 100000;
    char *buf = malloc(size);
    ni_stats st;
    unsigned i;

    o.threads = 4;
    CHECK_RC(ni_index_open(&idx, dir, &o), 0);
    for (i = 0; i < 100; i++) {
        ni_doc d;
        make_doc(&d, buf, size, i);
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    for (; i < 300; i++) {
        ni_doc d;
        make_doc(&d, buf, size, i);
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    ni_index_close(idx);
    idx = NULL;
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.docs == 80);             /* 100 added, 20 replaced */
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
    free(buf);
}

/* Options of versions 1 (before threads) and 2 (before reclaim_percent)
 * are still accepted. */
static void options_v1(void)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    o.version = 1;
    o.threads = 8;                    /* not part of a version 1 struct: ignored */
    CHECK_RC(ni_index_open(&idx, test_new_dir(), &o), 0);
    ni_index_close(idx);
    /* version 2 (before reclaim_percent): the default share */
    o.version = 2;
    o.reclaim_percent = 101;          /* never, were it read */
    CHECK_RC(ni_index_open(&idx, test_new_dir(), &o), 0);
    {
        ni_doc d = NI_DOC_INIT;
        ni_stats st;
        d.id = "a";
        d.id_len = 1;
        d.text = "одинокий";
        d.text_len = strlen(d.text);
        CHECK_RC(ni_index_add(idx, &d), 0);
        CHECK_RC(ni_index_commit(idx), 0);
        CHECK_RC(ni_index_delete(idx, "a", 1), 0);
        CHECK_RC(ni_index_commit(idx), 0);
        CHECK_RC(ni_index_stats(&st, idx), 0);
        CHECK(st.docs == 0 && st.terms == 0);     /* reclaimed at the default */
    }
    ni_index_close(idx);
    o.version = 4;
    CHECK_RC(ni_index_open(&idx, test_new_dir(), &o), NI_EINVAL);
}

TEST_MAIN(TEST(same_index), TEST(allocation_failure), TEST(close_in_flight),
          TEST(options_v1))
