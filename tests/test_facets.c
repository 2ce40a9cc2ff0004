/*
 * Facets (ni_hits_facets, ni_index_facets): the spec parser and its
 * errors; buckets at their boundaries (the last second of a month and of a
 * year, the first of the next, before 1970), documents without a rubric
 * or a date (missing), deleted ones (not counted), how a rubric is shown;
 * and, on a generated index of 3,000 documents, every bucket of many
 * queries against the total of the same query with the bucket's filter.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/facets.h"
#include "../lib/index.h"
#include "test.h"
#include "testidx.h"

static char dir[] = "/tmp/ni-facets-XXXXXX";
static ni_index *idx;

static void add(ni_index *to, const char *id, const char *rubric, const char *date,
                const char *text)
{
    tidx_add_doc(to, id, NULL, rubric, date, text);
}

static void setup(void)
{
    if (idx)
        return;
    idx = tidx_open_temp(dir);
    add(idx, "gone", "Культура", "2024-12-15", "новости выставка");
    add(idx, "a", "Общество", "2024-12-31 23:59:59", "новости мост");
    add(idx, "b", "ОБЩЕСТВО ", "2025-01-01", "новости мост река");
    add(idx, "c", "Спорт", "2024-12-01 00:00:00", "новости матч");
    add(idx, "d", NULL, "2024-02-29 12:00", "новости река");
    add(idx, "e", "—", NULL, "новости мост");                 /* a rubric of no words */
    add(idx, "f", "Спорт", "1969-12-31T23:59:59", "новости архив");
    add(idx, "g", "Общество", "2024-11-30 23:59:59", "новости мост");
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_delete(idx, "gone", 4), 0);
    CHECK_RC(ni_index_commit(idx), 0);
}

/* Facet i of f as "name: value count, ...; missing N". */
static void show_facet(const ni_facets *f, size_t i, char *out, size_t size)
{
    ni_facet fc;
    size_t at, j;
    if (ni_facets_get(&fc, f, i) < 0) {
        snprintf(out, size, "ERR");
        return;
    }
    at = (size_t)snprintf(out, size, "%s:", fc.name);
    for (j = 0; j < fc.nbuckets && at < size; j++)
        at += (size_t)snprintf(out + at, size - at, " %.*s %llu", (int)fc.buckets[j].value_len,
                               fc.buckets[j].value, (unsigned long long)fc.buckets[j].count);
    if (at < size)
        snprintf(out + at, size - at, "; missing %llu", (unsigned long long)fc.missing);
}

/* The facets of q (default options plus flags) by spec, facet i shown. */
static void facet_of(const char *q, unsigned flags, const char *spec, size_t i, char *out,
                     size_t size)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    o.flags |= flags;
    if (ni_search(&h, idx, q, strlen(q), &o) < 0 ||
        ni_hits_facets(&f, h, spec, strlen(spec)) < 0)
        snprintf(out, size, "ERR %s", ni_errmsg());
    else
        show_facet(f, i, out, size);
    ni_facets_free(f);
    ni_hits_free(h);
}

#define FACET_IS(q, flags, spec, i, want) do { char got_[1024]; \
    facet_of(q, flags, spec, i, got_, sizeof got_); \
    if (strcmp(got_, want) != 0) { test_failures++; \
        fprintf(stderr, "%s:%d: '%s' %s gave [%s], want [%s]\n", __FILE__, __LINE__, q, \
                spec, got_, want); } } while (0)

/* ---- the spec ----------------------------------------------------------- */

static int parses(const char *s, const char *want_err)
{
    ni_facet_spec fs;
    int rc = ni_facets_parse(&fs, s, strlen(s));
    if (!want_err)
        return rc == 0;
    return rc == NI_EINVAL && strstr(ni_errmsg(), want_err) != NULL;
}

static void spec_valid(void)
{
    ni_facet_spec fs;
    CHECK_RC(ni_facets_parse(&fs, "rubric,date:month", 17), 0);
    CHECK(fs.n == 2 && fs.kind[0] == NI_FACET_RUBRIC && fs.kind[1] == NI_FACET_MONTH);
    {
        const char *sp = " date:Day ,RUBRIC,\tdate:year , date:month";
        CHECK_RC(ni_facets_parse(&fs, sp, strlen(sp)), 0);
    }
    CHECK(fs.n == 4 && fs.kind[0] == NI_FACET_DAY && fs.kind[1] == NI_FACET_RUBRIC &&
          fs.kind[2] == NI_FACET_YEAR && fs.kind[3] == NI_FACET_MONTH);
    CHECK(parses("date:year", NULL));
    CHECK(strcmp(ni_facet_name(NI_FACET_MONTH), "date:month") == 0);
    /* the spec is bytes with a length: what follows is not read */
    CHECK_RC(ni_facets_parse(&fs, "rubricXXX", 6), 0);
}

static void spec_errors(void)
{
    ni_facet_spec fs;
    CHECK(parses("", "no facet given"));
    CHECK(parses("  ", "no facet given"));
    CHECK(parses("rubric,", "empty facet in 'rubric,'"));
    CHECK(parses(",rubric", "empty facet"));
    CHECK(parses("rubric,,date:day", "empty facet"));
    CHECK(parses("rubric, ,date:day", "empty facet"));
    CHECK(parses("rubrics", "unknown facet 'rubrics' (rubric, date:day, date:month or date:year)"));
    CHECK(parses("date", "facet 'date' needs a bucket"));
    CHECK(parses("date:", "unknown facet 'date:'"));
    CHECK(parses("date:week", "bad date bucket 'week' (day, month or year)"));
    CHECK(parses("date:months", "bad date bucket 'months'"));
    CHECK(parses("rubric,date:day,rubric", "facet 'rubric' given twice"));
    CHECK(parses("date:month,DATE:MONTH", "facet 'date:month' given twice"));
    CHECK(parses("rubric\xff", "unknown facet"));
    CHECK_RC(ni_facets_parse(&fs, NULL, 0), NI_EINVAL);
}

static void api_errors(void)
{
    ni_hits *h = NULL;
    ni_facets *f = (ni_facets *)&f;
    ni_facet fc;
    setup();
    CHECK_RC(ni_search(&h, idx, "новости", 14, NULL), 0);
    CHECK_RC(ni_hits_facets(&f, h, "subject", 7), NI_EINVAL);
    CHECK(f == NULL);
    CHECK(strstr(ni_errmsg(), "unknown facet 'subject'") != NULL);
    CHECK_RC(ni_hits_facets(NULL, h, "rubric", 6), NI_EINVAL);
    CHECK_RC(ni_hits_facets(&f, NULL, "rubric", 6), NI_EINVAL);
    CHECK_RC(ni_hits_facets(&f, h, NULL, 3), NI_EINVAL);
    CHECK_RC(ni_index_facets(&f, idx, "date:hour", 9), NI_EINVAL);
    CHECK_RC(ni_hits_facets(&f, h, "rubric", 6), 0);
    CHECK(ni_facets_count(f) == 1);
    CHECK_RC(ni_facets_get(&fc, f, 1), NI_EINVAL);
    CHECK_RC(ni_facets_get(&fc, f, 0), 0);
    ni_facets_free(f);
    ni_facets_free(NULL);
    ni_hits_free(h);
    /* a query with nothing to search: no matches, empty facets */
    CHECK_RC(ni_search(&h, idx, "", 0, NULL), 0);
    CHECK_RC(ni_hits_facets(&f, h, "rubric,date:day", 15), 0);
    CHECK(f && ni_facets_total(f) == 0 && ni_facets_count(f) == 2);
    CHECK_RC(ni_facets_get(&fc, f, 1), 0);
    CHECK(fc.nbuckets == 0 && fc.missing == 0 && strcmp(fc.name, "date:day") == 0);
    ni_facets_free(f);
    CHECK(ni_facets_count(NULL) == 0 && ni_facets_total(NULL) == 0);
    ni_hits_free(h);
}

/* ---- buckets ------------------------------------------------------------ */

static void rubric_buckets(void)
{
    setup();
    /* «Общество» and «ОБЩЕСТВО » are one rubric, shown as the first live
     * document of it spells it; «—» has no words: missing with d's none;
     * the deleted document's «Культура» is not there */
    FACET_IS("новости", 0, "rubric", 0, "rubric: Общество 3 Спорт 2; missing 2");
    FACET_IS("мост", 0, "rubric", 0, "rubric: Общество 3; missing 1");
    FACET_IS("река", 0, "rubric", 0, "rubric: Общество 1; missing 1");
    FACET_IS("матч OR архив OR мост", 0, "rubric", 0, "rubric: Общество 3 Спорт 2; missing 1");
    /* ties by count go by the shown name's bytes */
    FACET_IS("матч OR река", 0, "rubric", 0, "rubric: Общество 1 Спорт 1; missing 1");
    FACET_IS("матч OR выставка OR река OR архив", 0, "rubric", 0,
             "rubric: Спорт 2 Общество 1; missing 1");
    FACET_IS("вкусняшка", NI_SEARCH_EXACT, "rubric", 0, "rubric:; missing 0");
    FACET_IS("новости -новости", 0, "rubric", 0, "rubric:; missing 0");
}

static void shown_after_delete(void)
{
    char d2[] = "/tmp/ni-facets2-XXXXXX";
    ni_index *ix = tidx_open_temp(d2);
    ni_facets *f = NULL;
    char got[256];
    add(ix, "1", "Общество", "2024-01-01", "слово");
    add(ix, "2", "общество", "2024-01-02", "слово");
    add(ix, "3", "ОБЩЕСТВО", "2024-01-03", "слово");
    CHECK_RC(ni_index_commit(ix), 0);
    CHECK_RC(ni_index_facets(&f, ix, "rubric", 6), 0);
    show_facet(f, 0, got, sizeof got);
    CHECK(strcmp(got, "rubric: Общество 3; missing 0") == 0);
    ni_facets_free(f);
    CHECK_RC(ni_index_delete(ix, "1", 1), 0);
    CHECK_RC(ni_index_commit(ix), 0);
    CHECK_RC(ni_index_facets(&f, ix, "rubric", 6), 0);
    show_facet(f, 0, got, sizeof got);
    CHECK(strcmp(got, "rubric: общество 2; missing 0") == 0);
    ni_facets_free(f);
    tidx_close_remove(ix, d2);
}

/* A small rubric among many matches is counted by walking its postings
 * and skipping runs of 64 documents without a match: matches at the first
 * document of such a run (ids 64, 128, 192, 320) count. */
static void walk_and_skip(void)
{
    char d2[] = "/tmp/ni-facets5-XXXXXX";
    ni_index *ix = tidx_open_temp(d2);
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    char id[16], got[256];
    int i;
    for (i = 0; i < 400; i++) {
        int rare = i == 0 || i == 64 || i == 128 || i == 130 || i == 192 || i == 256 ||
                   i == 320 || i == 399;
        int hit = i == 64 || i == 128 || i == 192 || i >= 300;
        snprintf(id, sizeof id, "w%d", i);
        add(ix, id, rare ? "Редкая" : "Частая", NULL, hit ? "цель слово" : "слово");
    }
    CHECK_RC(ni_index_commit(ix), 0);
    CHECK_RC(ni_search(&h, ix, "цель", strlen("цель"), NULL), 0);
    CHECK_RC(ni_hits_facets(&f, h, "rubric", 6), 0);
    show_facet(f, 0, got, sizeof got);
    CHECK(strcmp(got, "rubric: Частая 98 Редкая 5; missing 0") == 0);
    ni_facets_free(f);
    ni_hits_free(h);
    tidx_close_remove(ix, d2);
}

static void date_buckets(void)
{
    setup();
    FACET_IS("новости", 0, "date:month", 0,
             "date:month: 1969-12 1 2024-02 1 2024-11 1 2024-12 2 2025-01 1; missing 1");
    FACET_IS("новости", 0, "date:year", 0, "date:year: 1969 1 2024 4 2025 1; missing 1");
    FACET_IS("новости", 0, "date:day", 0,
             "date:day: 1969-12-31 1 2024-02-29 1 2024-11-30 1 2024-12-01 1 2024-12-31 1 "
             "2025-01-01 1; missing 1");
    FACET_IS("мост", 0, "rubric,date:year", 1, "date:year: 2024 2 2025 1; missing 1");
    FACET_IS("мост date:2024-12", 0, "date:day", 0, "date:day: 2024-12-31 1; missing 0");
}

static void span_and_total(void)
{
    ni_facets *f = NULL;
    ni_hits *h = NULL;
    int64_t first, last, want;
    setup();
    CHECK_RC(ni_index_facets(&f, idx, "date:year", 9), 0);
    CHECK(ni_facets_total(f) == 7);
    ni_facets_span(f, &first, &last);
    CHECK_RC(ni_date_parse(&want, "1969-12-31T23:59:59", 19), 0);
    CHECK(first == want);
    CHECK_RC(ni_date_parse(&want, "2025-01-01", 10), 0);
    CHECK(last == want);
    ni_facets_free(f);
    CHECK_RC(ni_search(&h, idx, "архив", 10, NULL), 0);
    CHECK_RC(ni_hits_facets(&f, h, "date:day", 8), 0);
    CHECK(ni_facets_total(f) == 1);
    ni_facets_free(f);
    ni_hits_free(h);
    CHECK_RC(ni_search(&h, idx, "мост", 8, NULL), 0);     /* e has no date */
    CHECK_RC(ni_hits_facets(&f, h, "rubric", 6), 0);
    ni_facets_span(f, &first, NULL);
    CHECK_RC(ni_date_parse(&want, "2024-11-30 23:59:59", 19), 0);
    CHECK(first == want);
    ni_facets_free(f);
    ni_hits_free(h);
    CHECK_RC(ni_search(&h, idx, "новости -date:1000..3000", strlen("новости -date:1000..3000"),
                       NULL), 0);
    CHECK_RC(ni_hits_facets(&f, h, "date:day", 8), 0);
    ni_facets_span(f, &first, &last);
    CHECK(ni_facets_total(f) == 1 && first == NI_DATE_NONE && last == NI_DATE_NONE);
    ni_facets_free(f);
    ni_hits_free(h);
}

/* Facets leave the cursor alone: the hit returned and the next ones. */
static void cursor_untouched(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    ni_snippet sn;
    ni_hit a, b;
    char id[32];
    setup();
    o.limit = 2;
    CHECK_RC(ni_search(&h, idx, "мост", 8, &o), 0);
    CHECK_RC(ni_hits_next(h, &a), 0);
    snprintf(id, sizeof id, "%.*s", (int)a.id_len, a.id);
    CHECK_RC(ni_hits_facets(&f, h, "rubric,date:day", 15), 0);
    CHECK(a.id_len == strlen(id) && memcmp(a.id, id, a.id_len) == 0);
    CHECK(a.rubric && a.rubric_len > 0);
    CHECK_RC(ni_hits_snippet(&sn, h, 0), 0);
    CHECK(sn.nranges == 1);
    CHECK_RC(ni_hits_next(h, &b), 0);
    CHECK(ni_hits_next(h, &b) == NI_DONE);
    CHECK(ni_hits_total(h) == 4 && ni_facets_total(f) == 4);
    CHECK(strcmp(ni_hits_mode(h), "all words") == 0);
    ni_facets_free(f);
    ni_hits_free(h);
}

/* ---- against filters, on a generated index ------------------------------ */

static char gdir[] = "/tmp/ni-facets3-XXXXXX";
static ni_index *gen;

static uint64_t seed = 7;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)((seed >> 33) % n);
}

static const char *const rubrics[] = {
    "Политика", "политика", "Экономика", "Спорт", "В мире", "в  мире", "Культура",
    "Наука и техника", "Происшествия", "Москва", "2024", "Общество"
};
static const char *const words[] = {
    "мост", "река", "город", "суд", "матч", "выборы", "курс", "рубль", "школа", "погода",
    "снег", "дорога", "завод", "театр", "музей", "врач"
};

static void gen_setup(void)
{
    size_t i;
    if (gen)
        return;
    gen = tidx_open_temp(gdir);
    for (i = 0; i < 3000; i++) {
        char id[16], date[40], text[256];
        size_t at = 0, k, n = 3 + rnd(6);
        unsigned r = rnd(14), y = 2023 + rnd(3), m = 1 + rnd(12), d = 1 + rnd(28);
        snprintf(id, sizeof id, "g%zu", i);
        /* month ends and year starts often: the boundaries */
        if (rnd(4) == 0)
            d = m == 2 ? 28 + (y % 4 == 0) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
        if (rnd(3) == 0)
            snprintf(date, sizeof date, "%u-%02u-%02u 23:59:59", y, m, d);
        else if (rnd(2) == 0)
            snprintf(date, sizeof date, "%u-%02u-01 00:00:00", y, m);
        else
            snprintf(date, sizeof date, "%u-%02u-%02u %02u:%02u", y, m, d, rnd(24), rnd(60));
        for (k = 0; k < n; k++)
            at += (size_t)snprintf(text + at, sizeof text - at, "%s%s", k ? " " : "",
                                   words[rnd(r < 4 ? 4 : 16)]);
        add(gen, id, r < 12 ? rubrics[r] : NULL, rnd(20) ? date : NULL, text);
    }
    CHECK_RC(ni_index_commit(gen), 0);
    for (i = 0; i < 3000; i += 7) {             /* some deleted */
        char id[16];
        snprintf(id, sizeof id, "g%zu", i);
        CHECK_RC(ni_index_delete(gen, id, strlen(id)), 0);
    }
    CHECK_RC(ni_index_commit(gen), 0);
}

static uint64_t total_of(const char *q, const ni_search_options *o)
{
    ni_hits *h = NULL;
    uint64_t n = UINT64_MAX;
    if (ni_search(&h, gen, q, strlen(q), o) == 0)
        n = ni_hits_total(h);
    ni_hits_free(h);
    return n;
}

/* Every bucket of q's facets against the total of q with its filter. */
static void against_filters(const char *q, const ni_search_options *o)
{
    static const char *const spec = "rubric,date:day,date:month,date:year";
    ni_search_options exact = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    char fq[512];
    size_t i, j;

    if (o)
        exact = *o;
    exact.flags &= ~NI_SEARCH_APPROX_TOTAL;
    CHECK_RC(ni_search(&h, gen, q, strlen(q), o), 0);
    if (!h)
        return;
    CHECK_RC(ni_hits_facets(&f, h, spec, strlen(spec)), 0);
    if (!f) {
        ni_hits_free(h);
        return;
    }
    /* exact even when the search's total is a bound */
    CHECK(ni_facets_total(f) == total_of(q, &exact));
    CHECK(ni_hits_total(h) > 0 && ni_hits_total(h) <= ni_facets_total(f));
    for (i = 0; i < ni_facets_count(f); i++) {
        ni_facet fc = { 0 };
        uint64_t sum = 0;
        CHECK_RC(ni_facets_get(&fc, f, i), 0);
        for (j = 0; j < fc.nbuckets; j++) {
            const ni_facet_bucket *b = &fc.buckets[j];
            uint64_t want;
            sum += b->count;
            CHECK(b->count > 0);
            if (i == 0)
                snprintf(fq, sizeof fq, "(%s) AND rubric:\"%.*s\"", q, (int)b->value_len,
                         b->value);
            else
                snprintf(fq, sizeof fq, "(%s) AND date:%.*s", q, (int)b->value_len, b->value);
            want = total_of(fq, &exact);
            if (b->count != want) {
                test_failures++;
                fprintf(stderr, "'%s' %s %.*s: %llu, the filter %llu\n", q, fc.name,
                        (int)b->value_len, b->value, (unsigned long long)b->count,
                        (unsigned long long)want);
            }
            if (j && i > 0)    /* dates in order */
                CHECK(memcmp(fc.buckets[j - 1].value, b->value, b->value_len) < 0);
            if (j && i == 0)   /* rubrics by count */
                CHECK(fc.buckets[j - 1].count >= b->count);
        }
        CHECK(sum + fc.missing == ni_facets_total(f));
        if (i > 0) {          /* the missing: documents with no date at all */
            snprintf(fq, sizeof fq, "(%s) AND date:1000..3000", q);
            CHECK(fc.missing == ni_facets_total(f) - total_of(fq, &exact));
        }
    }
    ni_facets_free(f);
    ni_hits_free(h);
}

static void gen_against_filters(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT, any = NI_SEARCH_OPTIONS_INIT;
    gen_setup();
    any.default_or = 1;
    against_filters("мост", NULL);
    against_filters("мост река", NULL);
    against_filters("суд OR матч", NULL);
    against_filters("город -река", NULL);
    against_filters("\"мост река\"", NULL);
    against_filters("мост река город суд матч", NULL);   /* at least 4 of 5 */
    against_filters("выборы школа", &any);
    against_filters("мост date:2024", NULL);
    against_filters("мост after:2023-06-30 before:2024-07-01", NULL);
    o.flags = NI_SEARCH_APPROX_TOTAL | NI_SEARCH_NO_PARTIAL;
    against_filters("театр", &o);
    o.flags = NI_SEARCH_ALL_WORDS;
    against_filters("мост река город суд матч", &o);
    /* the short form for a few plain words in the default mode */
    CHECK(total_of("мост река rubric:\"Политика\"", NULL) ==
          total_of("(мост река) AND rubric:\"Политика\"", NULL));
}

/* after:/before: (after: includes the period named, before: ends before
 * it) give the same counts as the buckets they bound. */
static void gen_after_before(void)
{
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    ni_facet fc;
    size_t j;
    gen_setup();
    CHECK_RC(ni_search(&h, gen, "город", 10, NULL), 0);
    CHECK_RC(ni_hits_facets(&f, h, "date:month,date:year", 20), 0);
    CHECK_RC(ni_facets_get(&fc, f, 0), 0);
    for (j = 0; j < fc.nbuckets; j++) {
        char v[16], q[128];
        int y, m;
        snprintf(v, sizeof v, "%.*s", (int)fc.buckets[j].value_len, fc.buckets[j].value);
        y = atoi(v);
        m = atoi(v + 5);
        snprintf(q, sizeof q, "город after:%04d-%02d before:%04d-%02d", y, m,
                 m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
        CHECK(total_of(q, NULL) == fc.buckets[j].count);
    }
    CHECK_RC(ni_facets_get(&fc, f, 1), 0);
    for (j = 0; j < fc.nbuckets; j++) {
        char v[16], q[128];
        int y;
        snprintf(v, sizeof v, "%.*s", (int)fc.buckets[j].value_len, fc.buckets[j].value);
        y = atoi(v);
        snprintf(q, sizeof q, "город after:%04d before:%04d", y, y + 1);
        CHECK(total_of(q, NULL) == fc.buckets[j].count);
    }
    ni_facets_free(f);
    ni_hits_free(h);
}

/* A rescued word: the facets count the query as searched. */
static void gen_rescued(void)
{
    ni_search_options exact = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    gen_setup();
    exact.flags = NI_SEARCH_EXACT;
    CHECK(total_of("vjcn", &exact) == 0);                   /* «мост» typed in QWERTY */
    CHECK_RC(ni_search(&h, gen, "vjcn", 4, NULL), 0);
    CHECK(ni_hits_searched(h, NULL) != NULL);
    CHECK_RC(ni_hits_facets(&f, h, "rubric", 6), 0);
    CHECK(ni_hits_total(h) > 0 && ni_facets_total(f) == ni_hits_total(h));
    CHECK(ni_facets_total(f) == total_of("мост", NULL));
    ni_facets_free(f);
    ni_hits_free(h);
    against_filters("мостт река", NULL);                    /* a typo */
}

/* Partial matches are not counted: only the full ones. */
static void gen_partial(void)
{
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    gen_setup();
    o.limit = 3000;
    CHECK_RC(ni_search(&h, gen, "мост врач", 17, &o), 0);
    CHECK(ni_hits_partial_total(h) > 0);
    CHECK_RC(ni_hits_facets(&f, h, "date:year", 9), 0);
    CHECK(ni_facets_total(f) == ni_hits_total(h));
    ni_facets_free(f);
    ni_hits_free(h);
}

static void gen_index_facets(void)
{
    ni_facets *f = NULL;
    ni_stats st;
    ni_facet fc = { 0 };
    uint64_t sum = 0;
    size_t j;
    gen_setup();
    CHECK_RC(ni_index_stats(&st, gen), 0);
    CHECK_RC(ni_index_facets(&f, gen, "rubric", 6), 0);
    if (!f)
        return;
    CHECK(ni_facets_total(f) == st.docs);
    CHECK_RC(ni_facets_get(&fc, f, 0), 0);
    CHECK(fc.nbuckets == 10);     /* the 12 names, two pairs of one rubric each */
    for (j = 0; j < fc.nbuckets; j++) {
        char q[128];
        snprintf(q, sizeof q, "rubric:\"%.*s\"", (int)fc.buckets[j].value_len,
                 fc.buckets[j].value);
        CHECK(total_of(q, NULL) == fc.buckets[j].count);
        sum += fc.buckets[j].count;
    }
    CHECK(sum + fc.missing == st.docs);
    ni_facets_free(f);
}

/* Threads counting facets of one handle at once (the shown names'
 * cache is shared): each sees what one thread saw. */
static char thread_want[2048];

static void facets_string(ni_index *ix, const char *q, char *out, size_t size)
{
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    out[0] = '\0';
    if (ni_search(&h, ix, q, strlen(q), NULL) == 0 &&
        ni_hits_facets(&f, h, "rubric,date:year", 16) == 0) {
        size_t at;
        show_facet(f, 0, out, size);
        at = strlen(out);
        show_facet(f, 1, out + at, size - at);
    }
    ni_facets_free(f);
    ni_hits_free(h);
}

static void *facets_thread(void *arg)
{
    char got[2048];
    int i, *bad = arg;
    for (i = 0; i < 20; i++) {
        facets_string(gen, i % 2 ? "мост" : "город OR суд", got, sizeof got);
        if (strcmp(got, thread_want + (i % 2 ? 1024 : 0)) != 0)
            ++*bad;
    }
    return NULL;
}

static void gen_threads(void)
{
    pthread_t t[4];
    int bad[4] = { 0 }, i;
    gen_setup();
    /* a fresh handle: the threads fill its cache together */
    ni_index_close(gen);
    CHECK_RC(ni_index_open(&gen, gdir, NULL), 0);
    {
        ni_index *other = NULL;
        CHECK_RC(ni_index_open(&other, gdir, NULL), 0);
        facets_string(other, "город OR суд", thread_want, 1024);
        facets_string(other, "мост", thread_want + 1024, 1024);
        ni_index_close(other);
    }
    CHECK(strstr(thread_want, "rubric: ") != NULL &&
          strstr(thread_want + 1024, "date:year: 2023") != NULL);
    for (i = 0; i < 4; i++)
        CHECK(pthread_create(&t[i], NULL, facets_thread, &bad[i]) == 0);
    for (i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        CHECK(bad[i] == 0);
    }
}

/* The handle's cache of shown names: every entry found as put, until it
 * is emptied when full. */
static void name_cache(void)
{
    ni_buf b = NI_BUF_INIT;
    ni_index *ix = NULL;
    char name[32];
    uint32_t d;
    int bad = 0;
    setup();
    CHECK_RC(ni_index_open(&ix, dir, NULL), 0);     /* a handle of its own */
    if (!ix)
        return;
    for (d = 0; d < NI_INDEX_NAMES; d++) {
        snprintf(name, sizeof name, "r%u", (unsigned)d * 7919u);
        CHECK_RC(ni_index_name_put(ix, d * 7919u, name, strlen(name)), 0);
    }
    for (d = 0; d < NI_INDEX_NAMES; d++) {
        snprintf(name, sizeof name, "r%u", (unsigned)d * 7919u);
        b.len = 0;
        bad += ni_index_name_get(ix, d * 7919u, &b) != 1 || b.len != strlen(name) ||
               memcmp(b.data, name, b.len) != 0;
        b.len = 0;
        bad += ni_index_name_get(ix, d * 7919u + 1, &b) != 0 || b.len != 0;
    }
    CHECK(bad == 0);
    /* full: emptied by the next put */
    CHECK_RC(ni_index_name_put(ix, 1, "x", 1), 0);
    b.len = 0;
    CHECK(ni_index_name_get(ix, 0, &b) == 0);
    CHECK(ni_index_name_get(ix, 1, &b) == 1 && b.len == 1 && b.data[0] == 'x');
    CHECK_RC(ni_index_name_put(ix, 2, "", 0), 0);
    b.len = 0;
    CHECK(ni_index_name_get(ix, 2, &b) == 1 && b.len == 0);
    ni_buf_free(&b);
    ni_index_close(ix);
}

static void cleanup_all(void)
{
    if (idx)
        tidx_close_remove(idx, dir);
    if (gen)
        tidx_close_remove(gen, gdir);
    idx = gen = NULL;
}

TEST_MAIN(TEST(spec_valid), TEST(spec_errors), TEST(api_errors), TEST(rubric_buckets),
          TEST(shown_after_delete), TEST(walk_and_skip), TEST(date_buckets), TEST(span_and_total),
          TEST(cursor_untouched), TEST(gen_against_filters), TEST(gen_after_before),
          TEST(gen_rescued), TEST(gen_partial), TEST(gen_index_facets), TEST(gen_threads),
          TEST(name_cache), TEST(cleanup_all))
