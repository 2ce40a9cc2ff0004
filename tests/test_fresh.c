/*
 * Freshness (ni_search_options.fresh_*, lib/fresh.h) end to end, through
 * the public header: off gives the scores of a search without it bit for
 * bit (also for a version 3 options struct); on, every score is the one
 * without it times 1 - w + w * 2^(-age / half-life), never more; among
 * documents of equal relevance the newer ranks first; near ties mostly go
 * to the newer; an undated document counts as the oldest; pruning
 * finds the same hits as exhaustive evaluation; the reference date is the
 * index's newest, which a delete does not lower.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"
#include "testidx.h"

#define DAY 86400.0
#define NDOCS 3000
#define MAXHITS 4000

static char dir[] = "/tmp/ni-fresh-XXXXXX";
static ni_index *idx;
static int64_t base;         /* 2024-06-01 */
static int64_t newest;       /* the newest date added */

static const char *const vocab[] = {
    "мост", "город", "школа", "мэр", "проект", "река", "поезд", "суд", "театр", "выставка",
    "рынок", "банк", "курс", "погода", "снег", "дорога", "завод", "больница", "парк", "музей",
    "выборы", "закон", "налог", "цена", "хлеб", "вода", "свет", "газ", "порт", "аэропорт",
};
#define NV (sizeof vocab / sizeof vocab[0])

static uint64_t rng = 88172645463325252ull;
static uint32_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* A word, the first ones more often (about Zipf). */
static const char *word(void)
{
    uint32_t r = next_rand() % 1000;
    size_t i = (size_t)(NV * (r / 1000.0) * (r / 1000.0));
    return vocab[i < NV ? i : NV - 1];
}

static void add(const char *id, const char *text, int64_t date)
{
    ni_doc d = NI_DOC_INIT;
    d.id = id;
    d.id_len = strlen(id);
    d.text = text;
    d.text_len = strlen(text);
    d.date = date;
    CHECK_RC(ni_index_add(idx, &d), 0);
}

/* NDOCS generated documents over 14 days, one in ten undated, and ten
 * of equal text a day apart ("eq0".."eq9", eq0 the newest). */
static void setup(void)
{
    char id[32], text[1024];
    size_t i, k, n;
    if (idx)
        return;
    idx = tidx_open_temp(dir);
    CHECK_RC(ni_date_parse(&base, "2024-06-01", 10), 0);
    newest = NI_DATE_NONE;
    for (i = 0; i < NDOCS; i++) {
        int64_t date = base + (int64_t)(next_rand() % (14 * 86400));
        if (next_rand() % 10 == 0)
            date = NI_DATE_NONE;
        else if (newest == NI_DATE_NONE || date > newest)
            newest = date;
        n = 5 + next_rand() % 30;
        for (k = 0, text[0] = '\0'; k < n; k++) {
            strcat(text, word());
            strcat(text, " ");
        }
        snprintf(id, sizeof id, "g%zu", i);
        add(id, text, date);
    }
    for (i = 0; i < 10; i++) {
        snprintf(id, sizeof id, "eq%zu", i);
        add(id, "одинаковый текст про кита и океан", base + 3 * 86400 - (int64_t)i * 86400);
    }
    CHECK_RC(ni_index_commit(idx), 0);
}

typedef struct hitlist {
    size_t n;
    char id[MAXHITS][16];
    double score[MAXHITS];
    int64_t date[MAXHITS];
} hitlist;

static hitlist A, B;

static void run(hitlist *out, const char *q, const ni_search_options *o)
{
    ni_search_options every = *o;       /* documents, not stories: copies too */
    ni_hits *h = NULL;
    ni_hit hit;
    int rc;
    out->n = 0;
    every.flags |= NI_SEARCH_NO_COLLAPSE;
    CHECK_RC(ni_search(&h, idx, q, strlen(q), &every), 0);
    while (h && (rc = ni_hits_next(h, &hit)) == 0 && out->n < MAXHITS) {
        snprintf(out->id[out->n], sizeof out->id[0], "%.*s", (int)hit.id_len, hit.id);
        out->score[out->n] = hit.score;
        out->date[out->n] = hit.date;
        out->n++;
    }
    ni_hits_free(h);
}

/* 1 when a and b hold the same ids with the same scores, bit for bit. */
static int same(const hitlist *a, const hitlist *b)
{
    size_t i;
    if (a->n != b->n)
        return 0;
    for (i = 0; i < a->n; i++)
        if (strcmp(a->id[i], b->id[i]) != 0 ||
            memcmp(&a->score[i], &b->score[i], sizeof(double)) != 0)
            return 0;
    return 1;
}

static const char *const queries[] = {
    "мост", "город школа", "мэр OR проект", "река поезд суд", "театр -мост", "выставка",
    "газ порт", "аэропорт OR вода OR свет", "\"город школа\"", "мост город школа мэр проект",
};
#define NQ (sizeof queries / sizeof queries[0])

/* The score of id in l, or -1. */
static double score_of(const hitlist *l, const char *id)
{
    size_t i;
    for (i = 0; i < l->n; i++)
        if (strcmp(l->id[i], id) == 0)
            return l->score[i];
    return -1;
}

static double factor(double w, double half, int64_t ref, int64_t date)
{
    double age;
    if (date == NI_DATE_NONE)
        return 1 - w;
    age = date >= ref ? 0 : (double)ref - (double)date;
    return 1.0 - w + w * exp2(-age * (1.0 / half));
}

static void off_is_identical(void)
{
    ni_search_options def = NI_SEARCH_OPTIONS_INIT, o;
    size_t i, f;
    setup();
    def.limit = MAXHITS;
    for (i = 0; i < NQ; i++) {
        for (f = 0; f < 2; f++) {
            def.flags = f ? NI_SEARCH_APPROX_TOTAL : 0;
            run(&A, queries[i], &def);
            CHECK(A.n > 0);
            o = def;                      /* a half-life without weight */
            o.fresh_half_life = 7 * DAY;
            o.fresh_weight = 0;
            run(&B, queries[i], &o);
            CHECK(same(&A, &B));
            o = def;                      /* a weight without half-life */
            o.fresh_weight = 0.9;
            o.fresh_ref = base;
            run(&B, queries[i], &o);
            CHECK(same(&A, &B));
            o = def;                      /* a version 3 struct: no fresh fields read */
            o.version = 3;
            o.fresh_half_life = 7 * DAY;
            o.fresh_weight = 0.5;
            run(&B, queries[i], &o);
            CHECK(same(&A, &B));
        }
    }
}

/* On, each hit's score is its score off times the factor, to the bit
 * (one multiplication), and never more; the order is the scores'. */
static void factor_applied(void)
{
    ni_search_options off = NI_SEARCH_OPTIONS_INIT, on;
    size_t i, j;
    setup();
    off.limit = MAXHITS;
    off.flags = NI_SEARCH_NO_PARTIAL;   /* partial matches rank after full ones */
    on = off;
    on.fresh_half_life = 2 * DAY;
    on.fresh_weight = 0.3;
    for (i = 0; i < NQ; i++) {
        run(&A, queries[i], &off);
        run(&B, queries[i], &on);
        CHECK(A.n == B.n);
        for (j = 0; j < B.n; j++) {
            double raw = score_of(&A, B.id[j]);
            double want = raw * factor(0.3, 2 * DAY, newest, B.date[j]);
            CHECK(raw > 0);
            if (memcmp(&want, &B.score[j], sizeof want) != 0) {
                fprintf(stderr, "%s %s: %.17g, want %.17g\n", queries[i], B.id[j],
                        B.score[j], want);
                CHECK(0);
                break;
            }
            CHECK(B.score[j] <= raw);
            CHECK(B.score[j] >= raw * 0.7 * (1 - 1e-12));
            CHECK(j == 0 || B.score[j] <= B.score[j - 1]);
        }
    }
}

/* Pruning with freshness on finds what exhaustive evaluation finds, for
 * the first 10, 50 and all hits. */
static void pruned_is_exact(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT, p;
    static const size_t limits[] = { 1, 10, 50, MAXHITS };
    size_t i, l;
    setup();
    o.fresh_half_life = 1 * DAY;
    o.fresh_weight = 0.6;
    for (i = 0; i < NQ; i++)
        for (l = 0; l < sizeof limits / sizeof limits[0]; l++) {
            o.limit = limits[l];
            p = o;
            p.flags |= NI_SEARCH_APPROX_TOTAL;
            run(&A, queries[i], &o);
            run(&B, queries[i], &p);
            if (!same(&A, &B))
                fprintf(stderr, "pruned differs: %s limit %zu\n", queries[i], limits[l]);
            CHECK(same(&A, &B));
        }
}

/* Ten documents of the same text a day apart: off they tie; on, the
 * newer always scores more, and they rank newest first. */
static void monotone_in_date(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    size_t i;
    setup();
    o.limit = 20;
    run(&A, "кита океан", &o);
    CHECK(A.n == 10);
    for (i = 1; i < A.n; i++)
        CHECK(A.score[i] == A.score[0]);
    o.fresh_half_life = 7 * DAY;
    o.fresh_weight = 0.3;
    o.flags = NI_SEARCH_APPROX_TOTAL;
    run(&B, "кита океан", &o);
    CHECK(B.n == 10);
    for (i = 0; i < B.n; i++) {
        char want[32];
        snprintf(want, sizeof want, "eq%zu", i);
        CHECK(strcmp(B.id[i], want) == 0);
        CHECK(i == 0 || B.score[i] < B.score[i - 1]);
        CHECK(i == 0 || B.date[i] < B.date[i - 1]);
    }
}

/* Among pairs of hits (of the first 100) whose scores off are within 5 %
 * of each other and whose dates differ by a day or more, the share that
 * rank newer first with freshness on (half-life 2 days, w 0.3). */
static void near_ties_go_newest_first(void)
{
    ni_search_options off = NI_SEARCH_OPTIONS_INIT, on;
    size_t i, j, k, pairs = 0, newer_first = 0, pairs_off = 0, newer_first_off = 0;
    setup();
    off.limit = MAXHITS;
    on = off;
    on.fresh_half_life = 2 * DAY;
    on.fresh_weight = 0.3;
    for (i = 0; i < NQ; i++) {
        run(&A, queries[i], &off);
        run(&B, queries[i], &on);
        for (j = 0; j < B.n && j < 100; j++)
            for (k = j + 1; k < B.n && k < 100; k++) {
                double sj = score_of(&A, B.id[j]), sk = score_of(&A, B.id[k]);
                if (B.date[j] == NI_DATE_NONE || B.date[k] == NI_DATE_NONE ||
                    llabs(B.date[j] - B.date[k]) < 86400 || fabs(sj - sk) > 0.05 * fmax(sj, sk))
                    continue;
                pairs++;
                newer_first += B.date[j] > B.date[k];
            }
        for (j = 0; j < A.n && j < 100; j++)
            for (k = j + 1; k < A.n && k < 100; k++) {
                if (A.date[j] == NI_DATE_NONE || A.date[k] == NI_DATE_NONE ||
                    llabs(A.date[j] - A.date[k]) < 86400 ||
                    fabs(A.score[j] - A.score[k]) > 0.05 * fmax(A.score[j], A.score[k]))
                    continue;
                pairs_off++;
                newer_first_off += A.date[j] > A.date[k];
            }
    }
    printf("near ties newer first: %zu of %zu with freshness, %zu of %zu without\n",
           newer_first, pairs, newer_first_off, pairs_off);
    CHECK(pairs >= 1000);
    CHECK(newer_first * 100 >= pairs * 95);
}

/* An undated document counts as the oldest: factor 1 - w, below one
 * dated 8 days (more than a half-life) before the reference. */
static void undated_as_documented(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_explanation *ex = NULL;
    char d2[] = "/tmp/ni-fresh2-XXXXXX";
    ni_index *keep = idx;
    idx = tidx_open_temp(d2);
    add("undated", "кит", NI_DATE_NONE);
    add("halflife", "кит", base - 7 * 86400);
    add("ref", "кит", base);
    add("older", "кит", base - 8 * 86400);
    CHECK_RC(ni_index_commit(idx), 0);
    o.fresh_half_life = 7 * DAY;
    o.fresh_weight = 0.4;
    run(&A, "кит", &o);
    CHECK(A.n == 4);
    CHECK(strcmp(A.id[0], "ref") == 0);
    CHECK(strcmp(A.id[1], "halflife") == 0 && strcmp(A.id[2], "older") == 0);
    CHECK(strcmp(A.id[3], "undated") == 0);
    CHECK(A.score[1] == A.score[0] * 0.8);
    CHECK(A.score[2] > A.score[0] * 0.6 && A.score[2] < A.score[1]);
    CHECK(A.score[3] == A.score[0] * 0.6);
    o.flags |= NI_SEARCH_NO_COLLAPSE;   /* four copies of one text: ranks of documents */
    CHECK_RC(ni_explain(&ex, idx, "кит", 6, "undated", 7, &o), 0);
    CHECK(ni_explanation_freshness(ex) == 0.6);
    CHECK(ni_explanation_score(ex) == A.score[3]);
    CHECK(ni_explanation_rank(ex) == 4);
    ni_explanation_free(ex);
    CHECK_RC(ni_explain(&ex, idx, "кит", 6, "ref", 3, &o), 0);
    CHECK(ni_explanation_freshness(ex) == 1);
    ni_explanation_free(ex);
    o.fresh_half_life = 0;
    CHECK_RC(ni_explain(&ex, idx, "кит", 6, "undated", 7, &o), 0);
    CHECK(ni_explanation_freshness(ex) == 1);
    ni_explanation_free(ex);
    tidx_close_remove(idx, d2);
    idx = keep;
}

/* The reference date: the newest added by default; a delete does not
 * lower it; the caller's when given. */
static void reference_date(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_stats st;
    char d2[] = "/tmp/ni-fresh3-XXXXXX";
    ni_index *keep = idx;
    setup();
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.newest == newest);
    idx = tidx_open_temp(d2);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.newest == NI_DATE_NONE);
    add("a", "кит", base);
    add("b", "кит", NI_DATE_NONE);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.newest == base);
    add("c", "кит", base + 10 * 86400);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.newest == base + 10 * 86400);
    add("d", "кит", base + 5 * 86400);     /* older than the newest: kept */
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.newest == base + 10 * 86400);
    o.fresh_half_life = 5 * DAY;
    o.fresh_weight = 1;
    run(&A, "кит", &o);
    CHECK(A.n == 4 && strcmp(A.id[0], "c") == 0);
    CHECK(A.score[1] == A.score[0] * 0.5);           /* d: 5 days, one half-life */
    CHECK_RC(ni_index_delete(idx, "c", 1), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    CHECK(st.newest == base + 10 * 86400);           /* an upper bound */
    o.fresh_weight = 0;
    run(&A, "кит", &o);                              /* the scores without it */
    CHECK(A.n == 3);
    o.fresh_weight = 1;
    run(&B, "кит", &o);
    CHECK(B.n == 3 && strcmp(B.id[0], "d") == 0);
    CHECK(B.score[0] == A.score[0] * 0.5);           /* still 5 days from c's date */
    o.fresh_ref = base + 5 * 86400;                  /* the caller's */
    run(&B, "кит", &o);
    CHECK(B.score[0] == A.score[0]);
    o.fresh_ref = base - 86400;                      /* every document newer: age 0 */
    run(&B, "кит", &o);
    CHECK(B.n == 3 && B.score[0] == A.score[0] && B.score[1] == A.score[0]);
    CHECK(strcmp(B.id[2], "b") == 0 && B.score[2] == 0);   /* undated, w = 1 */
    tidx_close_remove(idx, d2);
    idx = keep;
}

static void bad_options(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    setup();
    o.fresh_half_life = 0.5;
    CHECK_RC(ni_search(&h, idx, "мост", 8, &o), NI_EINVAL);
    o.fresh_half_life = 1;
    CHECK_RC(ni_search(&h, idx, "мост", 8, &o), 0);
    ni_hits_free(h);
    o.fresh_half_life = NAN;
    CHECK_RC(ni_search(&h, idx, "мост", 8, &o), NI_EINVAL);
    o.fresh_half_life = DAY;
    o.fresh_weight = 1.0000001;
    CHECK_RC(ni_search(&h, idx, "мост", 8, &o), NI_EINVAL);
    o.fresh_weight = -0.1;
    CHECK_RC(ni_search(&h, idx, "мост", 8, &o), NI_EINVAL);
    o.fresh_weight = 1;
    CHECK_RC(ni_search(&h, idx, "мост", 8, &o), 0);
    ni_hits_free(h);
}

static void teardown(void)
{
    tidx_close_remove(idx, dir);
    idx = NULL;
}

TEST_MAIN(TEST(off_is_identical), TEST(factor_applied), TEST(pruned_is_exact),
          TEST(monotone_in_date), TEST(near_ties_go_newest_first), TEST(undated_as_documented),
          TEST(reference_date), TEST(bad_options), TEST(teardown))
