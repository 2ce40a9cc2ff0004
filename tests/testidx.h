/*
 * testidx.h - what tests that search a small index of their own share:
 * adding a document by id and text, and the ids a query finds (sorted, so
 * a test states the set, not the ranking).  Include after test.h.
 */
#ifndef NI_TESTIDX_H
#define NI_TESTIDX_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "newsindex.h"

/* A new index in a new directory made from the template dir (its XXXXXX
 * replaced); exits when that fails. */
static inline ni_index *tidx_open_temp(char *dir)
{
    ni_index *idx = NULL;
    if (!mkdtemp(dir) || ni_index_open(&idx, dir, NULL) < 0) {
        fprintf(stderr, "cannot make an index in %s\n", dir);
        exit(2);
    }
    return idx;
}

/* Closes idx and removes its directory. */
static inline void tidx_close_remove(ni_index *idx, const char *dir)
{
    char cmd[256];
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* Adds a document with id, title (may be NULL) and text. */
static inline void tidx_add(ni_index *to, const char *id, const char *title, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    if (title) {
        d.title = title;
        d.title_len = strlen(title);
    }
    d.text = text;
    d.text_len = strlen(text);
    CHECK_RC(ni_index_add(to, &d), 0);
}

/* Adds a document with id and text and, when not NULL, title, rubric and
 * date (as ni_date_parse reads it). */
static inline void tidx_add_doc(ni_index *to, const char *id, const char *title,
                                const char *rubric, const char *date, const char *text)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    if (title) {
        d.title = title;
        d.title_len = strlen(title);
    }
    if (rubric) {
        d.rubric = rubric;
        d.rubric_len = strlen(rubric);
    }
    if (date)
        CHECK_RC(ni_date_parse(&d.date, date, strlen(date)), 0);
    d.text = text;
    d.text_len = strlen(text);
    CHECK_RC(ni_index_add(to, &d), 0);
}

/* A pseudo-word for a number into buf (17 bytes hold any; NUL-terminated):
 * letters of a 20-letter Cyrillic alphabet, three at least, distinct
 * numbers giving distinct words.  Returns its length. */
static inline size_t tidx_word(char *buf, unsigned n)
{
    static const char *const letters[20] = { "а", "б", "в", "г", "д", "е", "ж", "з", "и", "к",
                                             "л", "м", "н", "о", "п", "р", "с", "т", "у", "ф" };
    size_t len = 0;
    n += 400;
    do {
        size_t l = strlen(letters[n % 20]);
        memcpy(buf + len, letters[n % 20], l);
        len += l;
        n /= 20;
    } while (n);
    buf[len] = '\0';
    return len;
}

static inline int tidx_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The ids of the first 64 hits of q in ix under o (NULL: the defaults with
 * NI_SEARCH_NO_PARTIAL), sorted and comma-separated, in out; "ERR" on
 * error. */
static inline void tidx_ids(ni_index *ix, const char *q, const ni_search_options *o,
                            char *out, size_t size)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT;
    char *v[64], buf[1024];
    ni_hits *h;
    ni_hit hit;
    size_t n = 0, i, at = 0;
    int rc;

    def.flags = NI_SEARCH_NO_PARTIAL | NI_SEARCH_NO_COLLAPSE;   /* every id that matches */
    if (!o)
        o = &def;
    out[0] = '\0';
    if (ni_search(&h, ix, q, strlen(q), o) < 0) {
        snprintf(out, size, "ERR");
        return;
    }
    while (n < 64 && (rc = ni_hits_next(h, &hit)) == 0) {
        v[n] = buf + at;
        at += (size_t)snprintf(buf + at, sizeof buf - at, "%.*s", (int)hit.id_len, hit.id) + 1;
        n++;
    }
    ni_hits_free(h);
    if (n < 64 && rc != NI_DONE) {
        snprintf(out, size, "ERR");
        return;
    }
    qsort(v, n, sizeof *v, tidx_cmp_str);
    for (i = 0, at = 0; i < n; i++)
        at += (size_t)snprintf(out + at, size - at, "%s%s", i ? "," : "", v[i]);
}

/* Fails the test when q (under o) does not find exactly the ids want. */
#define TIDX_IDS_ARE(ix, q, o, want) do { char got_[512]; \
    tidx_ids(ix, q, o, got_, sizeof got_); \
    if (strcmp(got_, want) != 0) { test_failures++; \
        fprintf(stderr, "%s:%d: '%s' found [%s], want [%s]\n", __FILE__, __LINE__, q, \
                got_, want); } } while (0)

#endif
