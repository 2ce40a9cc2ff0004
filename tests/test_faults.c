/*
 * Fault injection and corruption tests.
 *
 * Allocation failure: a scenario (index, commit, search, snippets, facets,
 * explain, get, stats, delete, compact, check) runs with the n-th allocation failing, for
 * n = 1, 2, ... until it completes untouched.  Every call must return 0 or
 * NI_ENOMEM, the index must reopen and pass ni_index_check afterwards, and
 * nothing may leak (LeakSanitizer in the sanitizer build).
 *
 * Corruption: every stored value of a small index (posting blocks, lexicon
 * entries, docinfo, stored documents, statistics) is truncated or has bits
 * flipped, one at a time; every read call must return success or a clean
 * error (NI_ECORRUPT, NI_EVERSION), and when ni_index_check calls the index
 * sound, readers must get exactly what the undamaged index gives them (hits,
 * scores, snippets, the stored document, stats).  The same for the
 * compression dictionary and dictionary-compressed records of an index large
 * enough to have one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/layout.h"
#include "../lib/mem.h"
#include "../lib/record.h"
#include "../lib/search.h"
#include "test.h"
#include "tmpdir.h"


static const char *const texts[][3] = {
    { "a1", "Школа мэров", "В Москве подвели итоги обучения первого выпуска «Школы мэров»." },
    { "a2", "Ростов-на-Дону", "В Ростове-на-Дону открыли новую школу для детей." },
    { "a3", "Погода", "В воскресенье обещают снег и до -1 °С, ёлки в снегу." },
    { "a4", "Выставка", "Выставка картин открылась в музее; мэр города посетил её." },
    { "a1", "Школа мэров", "Повторная публикация: «Школа мэров» продолжится осенью." },
};

/* 1 when rc is acceptable under injected allocation failure. */
static int ok_or_nomem(int rc)
{
    return rc == 0 || rc == NI_ENOMEM || rc == NI_DONE;
}

#define STEP(call) do { rc = (call); if (!ok_or_nomem(rc)) { \
    fprintf(stderr, "n=%llu: %s returned %d (%s)\n", (unsigned long long)n, #call, rc, ni_errmsg()); \
    bad++; } if (rc < 0) goto out; } while (0)

/* Runs the scenario; returns the number of unacceptable results. */
static int scenario(const char *path, uint64_t n, int *committed)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_hits *h = NULL;
    ni_hit hit;
    ni_snippet sn;
    ni_doc *d = NULL;
    ni_explanation *ex = NULL;
    ni_facets *f = NULL;
    ni_stats st;
    size_t i;
    int rc, bad = 0;
    static const char *const explain_q[] = {
        "школа OR \"ростов на дону\" мэр* -снег rubric:общество",
        "школа мэров детей",       /* a partial match */
    };

    oo.memory_budget = 600;      /* several flushes within the batch */
    *committed = 0;
    ni_mem_fail_at(n, 0);
    STEP(ni_index_open(&idx, path, &oo));
    for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        ni_doc doc = NI_DOC_INIT;
        doc.id = texts[i][0];
        doc.id_len = strlen(doc.id);
        doc.title = texts[i][1];
        doc.title_len = strlen(doc.title);
        doc.text = texts[i][2];
        doc.text_len = strlen(doc.text);
        doc.rubric = "Общество";
        doc.rubric_len = strlen(doc.rubric);
        STEP(ni_index_add(idx, &doc));
    }
    STEP(ni_index_commit(idx));
    *committed = 1;
    STEP(ni_search(&h, idx, "школа OR \"ростов на дону\" мэр* -снег rubric:общество",
                   strlen("школа OR \"ростов на дону\" мэр* -снег rubric:общество"), NULL));
    while ((rc = ni_hits_next(h, &hit)) == 0)
        STEP(ni_hits_snippet(&sn, h, 80));
    STEP(rc);
    STEP(ni_hits_facets(&f, h, "rubric,date:day", 15));
    ni_facets_free(f);
    f = NULL;
    ni_hits_free(h);
    h = NULL;
    STEP(ni_index_facets(&f, idx, "date:month,rubric", 17));
    ni_facets_free(f);
    f = NULL;
    for (i = 0; i < 2; i++) {
        STEP(ni_explain(&ex, idx, explain_q[i], strlen(explain_q[i]), "a2", 2, NULL));
        ni_explanation_free(ex);
        ex = NULL;
    }
    STEP(ni_index_get(&d, idx, "a2", 2));
    ni_doc_free(d);
    d = NULL;
    STEP(ni_index_stats(&st, idx));
    STEP(ni_index_delete(idx, "a3", 2));
    STEP(ni_index_commit(idx));
    STEP(ni_index_compact(idx));
    STEP(ni_index_check(NULL, idx));
out:
    ni_facets_free(f);
    ni_hits_free(h);
    ni_explanation_free(ex);
    ni_doc_free(d);
    ni_index_close(idx);
    return bad;
}

static void allocation_failures(void)
{
    uint64_t n, made;
    int committed;

    for (n = 1; n < 100000; n++) {
        const char *path = test_new_dir();
        ni_index *idx = NULL;
        ni_hits *h = NULL;
        ni_open_options oo = NI_OPEN_OPTIONS_INIT;
        int bad = scenario(path, n, &committed);

        made = ni_mem_fail_at(0, 0);
        CHECK(bad == 0);
        /* afterwards the index opens and is consistent */
        oo.flags = 0;
        if (ni_index_open(&idx, path, &oo) == 0) {
            CHECK_RC(ni_index_check(NULL, idx), 0);
            if (committed) {
                CHECK_RC(ni_search(&h, idx, "школа", strlen("школа"), NULL), 0);
                CHECK(h && ni_hits_total(h) == 2);
                ni_hits_free(h);
            }
            ni_index_close(idx);
        }
        if (made < n)
            break;      /* the scenario ran without reaching the n-th allocation */
    }
    CHECK(n > 50);
    printf("allocation failure injected at 1..%llu\n", (unsigned long long)n);
}

/* Builds a small index and returns its path. */
static const char *build_small(void)
{
    const char *path = test_new_dir();
    ni_index *idx = NULL;
    char id[16], text[200];
    int i;

    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    for (i = 0; i < 300; i++) {
        ni_doc doc = NI_DOC_INIT;
        snprintf(id, sizeof id, "c%d", i);
        snprintf(text, sizeof text, "Новость %d: мэр открыл школу, погода %s", i,
                 i % 3 ? "хорошая" : "плохая");
        doc.id = id;
        doc.id_len = strlen(id);
        doc.text = text;
        doc.text_len = strlen(text);
        doc.date = 1700000000 + i * 3600;
        if (i % 3 == 0) {
            doc.rubric = i % 2 ? "Общество" : "Город";
            doc.rubric_len = strlen(doc.rubric);
        }
        CHECK_RC(ni_index_add(idx, &doc), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    return path;
}

/* What a reader gets, appended to the text at out (cap bytes): one item
 * per call, its return code and, when it succeeded, what it returned. */
static void note(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void note(char *out, size_t cap, const char *fmt, ...)
{
    size_t n = strlen(out);
    va_list ap;
    va_start(ap, fmt);
    if (n < cap)
        vsnprintf(out + n, cap - n, fmt, ap);
    va_end(ap);
}

/* FNV-1a of s[0..n), to note a text in a few bytes. */
static unsigned long long fnv(const char *s, size_t n)
{
    unsigned long long h = 14695981039346656037ull;
    while (n--)
        h = (h ^ (unsigned char)*s++) * 1099511628211ull;
    return h;
}

/* 1 when rc is how a call on a damaged index may end: success, the end of
 * the hits, or an error that says the index is damaged (or, for a damaged
 * format number, of another version). */
static int clean_rc(int rc)
{
    return rc == 0 || rc == NI_DONE || rc == NI_ECORRUPT || rc == NI_EVERSION;
}

/*
 * Every public read path, for the corruption test.  Writes what a reader
 * gets into out (hits in order with their snippets, the stored document,
 * facets, stats, explanations) and ni_index_check's result into *check_rc;
 * returns the number of calls that ended other than clean_rc allows.
 */
static int exercise(const char *path, char *out, size_t cap, int *check_rc)
{
    static const char *const queries[] = { "мэр школа", "погода OR новость",
                                            "\"мэр открыл\"", "школ*", "-погода",
                                            "date:2023..2024 погода" };
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    ni_hits *h;
    ni_hit hit;
    ni_snippet sn;
    ni_doc *d = NULL;
    ni_explanation *ex;
    ni_facets *f;
    ni_stats st;
    size_t q;
    int rc, bad = 0;

#define NOTE_RC(what, call) do { rc = (call); if (!clean_rc(rc)) { bad++; \
    fprintf(stderr, "%s: %s returned %d (%s)\n", path, what, rc, ni_errmsg()); } \
    note(out, cap, "%s:%d ", what, rc); } while (0)

    out[0] = '\0';
    *check_rc = 1;
    oo.flags = NI_OPEN_READONLY;
    NOTE_RC("open", ni_index_open(&idx, path, &oo));
    if (rc < 0)
        return bad;
    for (q = 0; q < sizeof queries / sizeof queries[0]; q++) {
        NOTE_RC("search", ni_search(&h, idx, queries[q], strlen(queries[q]), NULL));
        if (rc < 0)
            continue;
        note(out, cap, "total %llu: ", (unsigned long long)ni_hits_total(h));
        while ((rc = ni_hits_next(h, &hit)) == 0) {
            note(out, cap, "%.*s %.4f ", (int)hit.id_len, hit.id, hit.score);
            NOTE_RC("snippet", ni_hits_snippet(&sn, h, 60));
            if (rc == 0)
                note(out, cap, "%llx/%zu ", fnv(sn.text, sn.len), sn.nranges);
        }
        NOTE_RC("next", rc);
        NOTE_RC("facets", ni_hits_facets(&f, h, "rubric,date:day,date:year", 25));
        if (rc == 0)
            ni_facets_free(f);
        ni_hits_free(h);
        NOTE_RC("explain", ni_explain(&ex, idx, queries[q], strlen(queries[q]), "c7", 2, NULL));
        if (rc == 0)
            ni_explanation_free(ex);
        note(out, cap, "\n");
    }
    NOTE_RC("get", ni_index_get(&d, idx, "c7", 2));
    if (rc == 0) {
        note(out, cap, "%.*s %lld %llx ", (int)d->id_len, d->id, (long long)d->date,
             fnv(d->text, d->text_len));
        ni_doc_free(d);
    }
    NOTE_RC("index facets", ni_index_facets(&f, idx, "rubric,date:month", 17));
    if (rc == 0)
        ni_facets_free(f);
    NOTE_RC("stats", ni_index_stats(&st, idx));
    if (rc == 0)
        note(out, cap, "%llu docs %llu terms ", (unsigned long long)st.docs,
             (unsigned long long)st.terms);
    rc = ni_index_check(NULL, idx);
    if (!clean_rc(rc)) {
        bad++;
        fprintf(stderr, "%s: check returned %d (%s)\n", path, rc, ni_errmsg());
    }
    *check_rc = rc;
    ni_index_close(idx);
#undef NOTE_RC
    return bad;
}

/* Damages the value under one key of one table: mode 0 truncates it to
 * half, 1 flips a bit in its middle, 2 flips the first byte. */
static int damage(const char *path, enum ni_table tb, size_t nth, int mode)
{
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_cursor *c = NULL;
    ni_val k, v;
    unsigned char key[600], *val = NULL;
    size_t i, klen, vlen;
    int rc;

    if (ni_store_open(&s, path, 0, 0, 0) < 0)
        return 0;
    if ((rc = ni_txn_begin(&t, s, 1)) < 0 || (rc = ni_cursor_open(&c, t, tb)) < 0)
        goto out;
    for (rc = ni_cursor_first(c), i = 0; rc == 0 && i < nth; i++)
        rc = ni_cursor_next(c);
    if (rc != 0 || ni_cursor_get(c, &k, &v) != 0 || k.len > sizeof key || v.len == 0) {
        rc = -1;
        goto out;
    }
    klen = k.len;
    memcpy(key, k.data, klen);
    vlen = v.len;
    val = malloc(vlen);
    memcpy(val, v.data, vlen);
    ni_cursor_close(c);
    c = NULL;
    if (mode == 0)
        vlen /= 2;
    else if (mode == 1)
        val[vlen / 2] ^= 0x10;
    else
        val[0] ^= 0xff;
    rc = ni_txn_put(t, tb, key, klen, val, vlen);
    if (rc == 0) {
        rc = ni_txn_commit(t);
        t = NULL;
    }
out:
    free(val);
    ni_cursor_close(c);
    ni_txn_abort(t);
    ni_store_close(s);
    return rc == 0;
}

/*
 * Each value of each table of a small index damaged in turn (cut to half,
 * a bit flipped in the middle, the first byte flipped; written back through
 * the store, so with a valid seal): every call returns success or a clean
 * error, and when ni_index_check says the index is sound, readers get
 * exactly what they get from the undamaged index.
 */
static void corrupted_values(void)
{
    static const enum ni_table tables[] = { NI_T_META, NI_T_TERMS, NI_T_POSTINGS,
                                            NI_T_DOCS, NI_T_IDS, NI_T_DOCINFO };
    static char want[8192], got[8192];
    char clean[256], cmd[600];
    size_t t, nth;
    int mode, damaged = 0, found = 0, check_rc;

    snprintf(clean, sizeof clean, "%s", build_small());
    CHECK(exercise(clean, want, sizeof want, &check_rc) == 0);
    CHECK_RC(check_rc, 0);
    CHECK(strstr(want, "search:-") == NULL && strstr(want, "get:0 c7 ") != NULL);
    for (t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (nth = 0; nth < 40; nth += 3)
            for (mode = 0; mode < 3; mode++) {
                const char *path = test_new_dir();
                snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", clean, path);
                if (system(cmd) != 0) {
                    CHECK(!"cp failed");
                    return;
                }
                if (damage(path, tables[t], nth, mode)) {
                    damaged++;
                    CHECK(exercise(path, got, sizeof got, &check_rc) == 0);
                    if (check_rc == 0 && strcmp(got, want) != 0) {
                        CHECK(!"check says ok but readers get something else");
                        fprintf(stderr, "table %d, value %zu, mode %d:\nwant %s\ngot  %s\n",
                                (int)tables[t], nth, mode, want, got);
                    }
                    found += check_rc != 0;
                }
                snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
                if (system(cmd) != 0)
                    CHECK(!"rm failed");
            }
    CHECK(damaged > 100);
    printf("%d damaged indexes exercised, check found %d of them damaged\n", damaged, found);
}

/* Article-like text for document i: words drawn from a small vocabulary. */
static size_t dict_text(char *out, size_t cap, unsigned i)
{
    static const char *const words[] = {
        "мэр", "города", "заявил", "что", "в", "Москве", "открыли", "новую", "школу",
        "по", "данным", "агентства", "РИА", "Новости", "правительство", "области",
        "сообщили", "журналистам", "погода", "выставка", "президент", "в", "году",
        "рублей", "на", "встрече", "с", "жителями", "района", "компания", "Россия",
    };
    uint64_t x = 0x9e3779b97f4a7c15ull * (i + 1);
    size_t n = 0, k;
    for (k = 0; k < 450 && n + 40 < cap; k++) {
        const char *w;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        w = words[x % (sizeof words / sizeof words[0])];
        n += (size_t)snprintf(out + n, cap - n, "%s%s", k ? (x >> 40) % 9 ? " " : ". " : "",
                              w);
    }
    return n;
}

/* An index whose one batch trains a compression dictionary: 400 documents
 * of about 3 KB, ids c0 .. c399. */
static const char *build_dict(void)
{
    const char *path = test_new_dir();
    ni_index *idx = NULL;
    char id[16], text[4096];
    unsigned i;

    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    for (i = 0; i < 400; i++) {
        ni_doc doc = NI_DOC_INIT;
        snprintf(id, sizeof id, "c%u", i);
        doc.id = id;
        doc.id_len = strlen(id);
        doc.text = text;
        doc.text_len = dict_text(text, sizeof text, i);
        doc.title = "Новость";
        doc.title_len = strlen(doc.title);
        CHECK_RC(ni_index_add(idx, &doc), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    ni_index_close(idx);
    return path;
}

/* Records compressed with the dictionary read back; deleting (which reads
 * them in the writer) and a later batch keep the index consistent. */
static void dictionary(void)
{
    const char *path = build_dict();
    char text[4096];
    ni_store *s = NULL;
    ni_txn *t = NULL;
    ni_index *idx = NULL;
    ni_doc *d = NULL, doc = NI_DOC_INIT;
    ni_val v;
    size_t n;

    CHECK_RC(ni_store_open(&s, path, NI_STORE_READONLY, 0, 0), 0);
    CHECK_RC(ni_txn_begin(&t, s, 0), 0);
    CHECK_RC(ni_dict_read(t, &v), 0);
    CHECK(v.len > 1000);
    ni_txn_abort(t);
    ni_store_close(s);

    CHECK_RC(ni_index_open(&idx, path, NULL), 0);
    CHECK_RC(ni_index_get(&d, idx, "c123", 4), 0);
    n = dict_text(text, sizeof text, 123);
    CHECK(d && d->text_len == n && memcmp(d->text, text, n) == 0);
    ni_doc_free(d);
    CHECK_RC(ni_index_delete(idx, "c5", 2), 0);
    doc.id = "c6";
    doc.id_len = 2;
    doc.text = "Замена шестой новости";
    doc.text_len = strlen(doc.text);
    CHECK_RC(ni_index_add(idx, &doc), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK_RC(ni_index_get(&d, idx, "c6", 2), 0);
    CHECK(d && d->text_len == doc.text_len && memcmp(d->text, doc.text, doc.text_len) == 0);
    ni_doc_free(d);
    ni_index_close(idx);
}

/* corrupted_values over an index with a compression dictionary: the
 * dictionary and dictionary-compressed records damaged. */
static void corrupted_dictionary(void)
{
    static char want[8192], got[8192];
    char clean[256], cmd[600];
    size_t nth;
    int mode, damaged = 0, found = 0, check_rc;

    snprintf(clean, sizeof clean, "%s", build_dict());
    CHECK(exercise(clean, want, sizeof want, &check_rc) == 0);
    CHECK_RC(check_rc, 0);
    for (nth = 0; nth < 24; nth++)
        for (mode = 0; mode < 3; mode++) {
            /* meta entry 0 is the dictionary; then a few records */
            enum ni_table tb = nth < 2 ? NI_T_META : NI_T_DOCS;
            const char *path = test_new_dir();
            snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", clean, path);
            if (system(cmd) != 0) {
                CHECK(!"cp failed");
                return;
            }
            if (damage(path, tb, nth < 2 ? 0 : (nth - 2) * 17, mode)) {
                damaged++;
                CHECK(exercise(path, got, sizeof got, &check_rc) == 0);
                if (check_rc == 0 && strcmp(got, want) != 0) {
                    CHECK(!"check says ok but readers get something else");
                    fprintf(stderr, "value %zu, mode %d:\nwant %s\ngot  %s\n", nth, mode,
                            want, got);
                }
                found += check_rc != 0;
            }
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
            if (system(cmd) != 0)
                CHECK(!"rm failed");
        }
    CHECK(damaged > 60);
    printf("%d damaged dictionary indexes exercised, check found %d of them damaged\n",
           damaged, found);
}

/* Stored dates of every kind read back, with and without a dictionary. */
static void record_dates(void)
{
    static const int64_t dates[] = { NI_DATE_NONE, NI_DATE_NONE + 1, -1, 0, 1,
                                     1700000000, INT64_MAX };
    ni_record_codec *c = NULL;
    ni_buf out = NI_BUF_INIT, scratch = NI_BUF_INIT;
    ni_doc doc = NI_DOC_INIT, back;
    size_t i;

    CHECK_RC(ni_record_codec_new(&c), 0);
    doc.id = "x";
    doc.id_len = 1;
    doc.text = "текст";
    doc.text_len = strlen(doc.text);
    for (i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        doc.date = dates[i];
        out.len = 0;
        CHECK_RC(ni_record_encode(c, &out, &doc), 0);
        CHECK_RC(ni_record_decode(c, &scratch, &back, out.data, out.len), 0);
        CHECK(back.date == dates[i] && back.text_len == doc.text_len);
        CHECK_RC(ni_record_decode_head(&back, out.data, out.len), 0);
        CHECK(back.date == dates[i] && back.id_len == 1 && back.id[0] == 'x');
    }
    ni_record_codec_free(c);
    ni_buf_free(&out);
    ni_buf_free(&scratch);
}

/* A flipped posting block or lexicon entry must be reported by the check. */
static void check_finds_damage(void)
{
    static const enum ni_table tables[] = { NI_T_POSTINGS, NI_T_TERMS };
    ni_index *idx = NULL;
    int found = 0;
    size_t nth, t;

    for (t = 0; t < 2; t++) {
        const char *path = build_small();
        found = 0;
        for (nth = 0; nth < 20; nth++) {
            if (!damage(path, tables[t], nth * 7, 2))
                break;
            CHECK_RC(ni_index_open(&idx, path, NULL), 0);
            if (ni_index_check(NULL, idx) == NI_ECORRUPT)
                found++;
            ni_index_close(idx);
            idx = NULL;
        }
        CHECK(found == (int)nth && found > 0);
    }
}

TEST_MAIN(TEST(allocation_failures), TEST(corrupted_values), TEST(check_finds_damage),
          TEST(dictionary), TEST(corrupted_dictionary), TEST(record_dates))
