/*
 * Dates end to end, through the public header: each written form (with
 * +03:00, -05:30, Z, a date alone, a time without an offset) goes
 * parse -> ni_index_add -> commit -> ni_index_get and the hits -> print
 * and comes back as written; searches sort and filter in UTC; after:D
 * includes D's period and before:D leaves it out, on both sides of each
 * boundary, also for dates whose offset puts them on the other side of
 * midnight UTC; ni_index_add refuses what ni_date_parse_tz cannot give.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"
#include "testidx.h"

static char dir[] = "/tmp/ni-dates-XXXXXX";
static ni_index *idx;
static unsigned threads = 1;   /* > 1: the documents go through the pipeline */

/* id, the date as written, as printed back, and its UTC seconds */
static const struct {
    const char *id, *in, *out;
    int64_t utc;
} docs[] = {
    { "msk", "2024-12-01T02:30:00+03:00", "2024-12-01 02:30:00+03:00", 1733009400 }, /* Nov 30 UTC */
    { "west", "2024-11-30T20:00:00-05:30", "2024-11-30 20:00:00-05:30", 1733016600 }, /* Dec 1 UTC */
    { "z", "2024-12-01T00:00:00Z", "2024-12-01 00:00:00+00:00", 1733011200 },  /* first second */
    { "last", "2024-11-30T23:59:59Z", "2024-11-30 23:59:59+00:00", 1733011199 }, /* last of Nov */
    { "day", "2024-12-01", "2024-12-01", 1733011200 },
    { "naive", "2024-12-01 00:00", "2024-12-01 00:00:00", 1733011200 },         /* read as UTC */
    { "late", "2024-12-31T23:30:00-01:00", "2024-12-31 23:30:00-01:00", 1735691400 }, /* 2025 UTC */
    { "none", NULL, NULL, NI_DATE_NONE },
};
#define NDOCS (sizeof docs / sizeof docs[0])

static void setup(void)
{
    size_t i;
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    if (idx)
        return;
    oo.threads = threads;
    strcpy(dir, "/tmp/ni-dates-XXXXXX");
    if (!mkdtemp(dir) || ni_index_open(&idx, dir, &oo) < 0)
        exit(2);
    for (i = 0; i < NDOCS; i++) {
        ni_doc d = NI_DOC_INIT;
        d.id = docs[i].id;
        d.id_len = strlen(d.id);
        d.text = "кит плывёт";
        d.text_len = strlen(d.text);
        if (docs[i].in)
            CHECK_RC(ni_date_parse_tz(&d.date, &d.date_offset, &d.date_form, docs[i].in,
                                      strlen(docs[i].in)), 0);
        CHECK(d.date == docs[i].utc);
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
}

static const char *printed(int64_t date, int offset, unsigned form, char *buf)
{
    if (date == NI_DATE_NONE)
        return NULL;
    return ni_date_format_tz(buf, NI_DATE_BUF, date, offset, form) ? buf : "?";
}

static int same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* ni_index_get gives each date back as written. */
static void get_round_trip(void)
{
    size_t i;
    char buf[NI_DATE_BUF];
    setup();
    for (i = 0; i < NDOCS; i++) {
        ni_doc *d = NULL;
        CHECK_RC(ni_index_get(&d, idx, docs[i].id, strlen(docs[i].id)), 0);
        if (!d)
            continue;
        CHECK(d->date == docs[i].utc);
        if (!same_str(printed(d->date, d->date_offset, d->date_form, buf), docs[i].out)) {
            fprintf(stderr, "%s: printed %s\n", docs[i].id, buf);
            CHECK(0);
        }
        ni_doc_free(d);
    }
}

/* The hits carry the same (full hits and ids only), sorted by UTC. */
static void hits_round_trip(void)
{
    static const char *const order = "late,west,z,day,naive,last,msk,none";
    unsigned flags[2] = { 0, NI_SEARCH_IDS_ONLY };
    size_t f, i;
    char buf[NI_DATE_BUF], got[256];
    setup();
    for (f = 0; f < 2; f++) {
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        ni_hits *h = NULL;
        ni_hit hit;
        size_t at = 0;
        o.sort = NI_SORT_DATE;
        o.flags = flags[f] | NI_SEARCH_NO_COLLAPSE;     /* its copies are the point */
        got[0] = '\0';
        CHECK_RC(ni_search(&h, idx, "кит", 6, &o), 0);
        while (h && ni_hits_next(h, &hit) == 0) {
            for (i = 0; i < NDOCS; i++)
                if (hit.id_len == strlen(docs[i].id) && memcmp(hit.id, docs[i].id, hit.id_len) == 0)
                    break;
            CHECK(i < NDOCS);
            if (i == NDOCS)
                break;
            CHECK(hit.date == docs[i].utc);
            CHECK(same_str(printed(hit.date, hit.date_offset, hit.date_form, buf), docs[i].out));
            at += (size_t)snprintf(got + at, sizeof got - at, "%s%s", at ? "," : "", docs[i].id);
        }
        ni_hits_free(h);
        /* equal UTC seconds (z, day, naive) tie: indexing order */
        if (strcmp(got, order) != 0)
            fprintf(stderr, "sorted %s, want %s\n", got, order);
        CHECK(strcmp(got, order) == 0);
    }
}

/* after:D holds D's period, before:D ends before it; the day of a date
 * is its UTC day. */
static void filter_boundaries(void)
{
    setup();
    TIDX_IDS_ARE(idx, "кит after:2024-12", NULL, "day,late,naive,west,z");
    TIDX_IDS_ARE(idx, "кит after:2024-12-01", NULL, "day,late,naive,west,z");
    TIDX_IDS_ARE(idx, "кит before:2024-12", NULL, "last,msk");
    TIDX_IDS_ARE(idx, "кит before:2024-12-01", NULL, "last,msk");
    TIDX_IDS_ARE(idx, "кит date:2024-11-30", NULL, "last,msk");
    TIDX_IDS_ARE(idx, "кит date:2024-12-01", NULL, "day,naive,west,z");
    TIDX_IDS_ARE(idx, "кит after:2024-11-30", NULL, "day,last,late,msk,naive,west,z");
    TIDX_IDS_ARE(idx, "кит before:2024-12-02", NULL, "day,last,msk,naive,west,z");
    TIDX_IDS_ARE(idx, "кит after:2024", NULL, "day,last,late,msk,naive,west,z");
    TIDX_IDS_ARE(idx, "кит after:2025", NULL, "late");        /* 2024-12-31 23:30 -01:00 */
    TIDX_IDS_ARE(idx, "кит before:2025", NULL, "day,last,msk,naive,west,z");
    TIDX_IDS_ARE(idx, "кит date:2024-12..2024-12", NULL, "day,naive,west,z");
    TIDX_IDS_ARE(idx, "кит date:2024-11-30..2024-12-01", NULL, "day,last,msk,naive,west,z");
}

/* What ni_date_parse_tz cannot give is refused; a replaced document's
 * date is the new one's, form included. */
static void add_checks(void)
{
    ni_doc d = NI_DOC_INIT, *g = NULL;
    char buf[NI_DATE_BUF];
    setup();
    d.id = "bad";
    d.id_len = 3;
    d.text = "кит";
    d.text_len = strlen(d.text);
    d.date = 1733011200;
    d.date_form = NI_DATE_OFFSET;
    d.date_offset = 1440;
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    d.date_offset = -1440;
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    d.date_form = 0;                       /* an offset without NI_DATE_OFFSET */
    d.date_offset = 60;
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    d.date_offset = 0;
    d.date_form = 3;
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    d.date_form = NI_DATE_DAY;
    d.date = 1733011201;                   /* a day that is not 00:00 UTC */
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    d.date = NI_DATE_LIMIT + 1;
    d.date_form = 0;
    CHECK_RC(ni_index_add(idx, &d), NI_EINVAL);
    d.date = -NI_DATE_LIMIT;
    CHECK_RC(ni_index_add(idx, &d), 0);
    d.id = "msk";                          /* replaced: now a day */
    d.id_len = 3;
    d.date = 1733011200;
    d.date_form = NI_DATE_DAY;
    CHECK_RC(ni_index_add(idx, &d), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_get(&g, idx, "msk", 3), 0);
    CHECK(g && g->date == 1733011200 && g->date_form == NI_DATE_DAY && g->date_offset == 0);
    CHECK(g && strcmp(printed(g->date, g->date_offset, g->date_form, buf), "2024-12-01") == 0);
    ni_doc_free(g);
    CHECK_RC(ni_index_check(NULL, idx), 0);
}

static void teardown(void)
{
    tidx_close_remove(idx, dir);
    idx = NULL;
}

/* The same, the documents analysed by background threads. */
static void threaded(void)
{
    threads = 3;
    get_round_trip();
    hits_round_trip();
    teardown();
}

TEST_MAIN(TEST(get_round_trip), TEST(hits_round_trip), TEST(filter_boundaries),
          TEST(add_checks), TEST(teardown), TEST(threaded))
