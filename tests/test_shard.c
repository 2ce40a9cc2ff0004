/*
 * test_shard.c - the shard API (newsindex.h, "Shards"): a collection split
 * over three indexes by a hash of the id, searched in two phases, gives
 * the same hits in the same order with bit-identical scores as one index
 * of the same documents, in every query mode, with offsets; merging hits
 * scored with each shard's own statistics does not (the negative control);
 * statistics merge as sums; wire forms round-trip and refuse every
 * truncation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "test.h"
#include "testidx.h"
#include "tmpdir.h"

#define NSHARDS 3
#define NDOCS 900

static ni_index *one, *shard[NSHARDS];
static uint64_t *order[NSHARDS];    /* local internal id -> place in indexing order */
static size_t norder[NSHARDS];

static const char *const common[] = {
    "Москва", "мэр", "школа", "мэров", "суд", "полиция", "журналист", "Голунов",
    "выборы", "губернатор", "новости", "город", "дом", "правительство", "закон",
    "Путин", "Собянин", "рубль", "нефть", "банк", "москвичи", "школы", "судом",
    "задержали", "арестовали", "в", "и", "на", "по", "с", "не", "за",
};

static uint64_t rnd_state = 12345;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rnd_state >> 33) % n);
}

/* A word: a common one, or a pseudo-word of a Zipf-like spread. */
static size_t word(char *buf)
{
    if (rnd(3) == 0) {
        const char *w = common[rnd(sizeof common / sizeof *common)];
        strcpy(buf, w);
        return strlen(w);
    }
    return tidx_word(buf, rnd(1 + rnd(400)));
}

static void text(char *buf, size_t size, unsigned words)
{
    size_t at = 0;
    unsigned i;
    char w[64];
    for (i = 0; i < words && at + 40 < size; i++) {
        size_t n = word(w);
        if (i)
            buf[at++] = ' ';
        memcpy(buf + at, w, n);
        at += n;
        if (rnd(12) == 0)
            buf[at++] = '.';
    }
    buf[at] = '\0';
}

static unsigned shard_of(const char *id)
{
    uint32_t h = 2166136261u;
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 16777619u;
    return h % NSHARDS;
}

static void build(void)
{
    static char title[400], body[4000], prev_title[400], prev_body[4000], date[32];
    unsigned i;
    for (i = 0; i < NSHARDS; i++)
        CHECK_RC(ni_index_open(&shard[i], test_new_dir(), NULL), 0);
    CHECK_RC(ni_index_open(&one, test_new_dir(), NULL), 0);
    for (i = 0; i < NDOCS; i++) {
        char id[16];
        unsigned s;
        int dated;
        snprintf(id, sizeof id, "d%05u", i);
        if (i > 0 && rnd(10) == 0) {
            /* an exact copy: the same score and date, a tie for the order */
            strcpy(title, prev_title);
            strcpy(body, prev_body);
        } else {
            text(title, sizeof title, 2 + rnd(6));
            text(body, sizeof body, 10 + rnd(120));
            snprintf(date, sizeof date, "2024-0%u-1%u", 1 + rnd(9), rnd(10));
        }
        strcpy(prev_title, title);
        strcpy(prev_body, body);
        s = shard_of(id);
        dated = rnd(20) != 0;
        if (i == NDOCS - 1) {
            /* the newest date in one shard only: freshness counts ages
             * from the newest date of all shards */
            dated = 1;
            strcpy(date, "2025-06-01");
        }
        tidx_add_doc(one, id, title, NULL, dated ? date : NULL, body);
        tidx_add_doc(shard[s], id, title, NULL, dated ? date : NULL, body);
        order[s] = realloc(order[s], (norder[s] + 1) * sizeof *order[s]);
        order[s][norder[s]++] = i;
    }
    CHECK_RC(ni_index_commit(one), 0);
    for (i = 0; i < NSHARDS; i++)
        CHECK_RC(ni_index_commit(shard[i]), 0);
}

/* What one index finds for q under o, a line a hit ("id score-in-%a
 * partial") after a line of totals, into out. */
static void search_one(const char *q, const ni_search_options *o, char *out, size_t size)
{
    ni_search_options so = *o;
    ni_hits *h;
    ni_hit hit;
    size_t at;
    int rc;

    so.flags |= NI_SEARCH_NO_COLLAPSE | NI_SEARCH_EXACT;
    if ((rc = ni_search(&h, one, q, strlen(q), &so)) < 0) {
        snprintf(out, size, "ERR %d %s", rc, ni_errmsg());
        return;
    }
    /* pruned totals are lower bounds, each shard's its own */
    at = o->flags & NI_SEARCH_APPROX_TOTAL
             ? 0 : (size_t)snprintf(out, size, "total %llu partial %llu\n",
                                    (unsigned long long)ni_hits_total(h),
                                    (unsigned long long)ni_hits_partial_total(h));
    out[at] = '\0';
    while ((rc = ni_hits_next(h, &hit)) == 0 && at < size)
        at += (size_t)snprintf(out + at, size - at, "%.*s %a %d\n", (int)hit.id_len, hit.id,
                               hit.score, ni_hits_is_partial(h));
    if (rc != NI_DONE)
        snprintf(out, size, "ERR next %d", rc);
    ni_hits_free(h);
}

/* The same through the shards in two phases; with local set, each shard
 * scores with its own statistics (the negative control).  mutate, when
 * not NULL, may change the merged statistics before phase 2. */
static void search_shards(const char *q, const ni_search_options *o, int local, char *out,
                          size_t size)
{
    ni_snapshot *snap[NSHARDS] = { 0 };
    ni_shard_stats *st[NSHARDS] = { 0 }, *global = NULL;
    ni_shard_hits *hits[NSHARDS] = { 0 }, *merged = NULL;
    size_t i, at;
    int rc = 0;

    for (i = 0; rc == 0 && i < NSHARDS; i++)
        if ((rc = ni_snapshot_open(&snap[i], shard[i])) == 0)
            rc = ni_shard_stats_read(&st[i], snap[i], q, strlen(q), o);
    if (rc == 0 && !local) {
        rc = ni_shard_stats_read(&global, snap[0], q, strlen(q), o);
        for (i = 1; rc == 0 && i < NSHARDS; i++)
            rc = ni_shard_stats_merge(global, st[i]);
    }
    for (i = 0; rc == 0 && i < NSHARDS; i++) {
        size_t j;
        if ((rc = ni_shard_search(&hits[i], snap[i], q, strlen(q), o, local ? st[i] : global)) < 0)
            break;
        for (j = 0; j < hits[i]->n; j++) {
            hits[i]->hit[j].shard = (uint32_t)i;
            CHECK(hits[i]->hit[j].doc < norder[i]);
            hits[i]->hit[j].order = order[i][hits[i]->hit[j].doc];
        }
    }
    if (rc == 0)
        rc = ni_shard_hits_merge(&merged, hits, NSHARDS, o);
    if (rc < 0) {
        snprintf(out, size, "ERR %d %s", rc, ni_errmsg());
    } else {
        at = o->flags & NI_SEARCH_APPROX_TOTAL
                 ? 0 : (size_t)snprintf(out, size, "total %llu partial %llu\n",
                                        (unsigned long long)merged->total,
                                        (unsigned long long)merged->partial_total);
        out[at] = '\0';
        for (i = o->offset; i < merged->n && at < size; i++)
            at += (size_t)snprintf(out + at, size - at, "d%05llu %a %d\n",
                                   (unsigned long long)merged->hit[i].order,
                                   merged->hit[i].score, merged->hit[i].partial);
    }
    ni_shard_hits_free(merged);
    ni_shard_stats_free(global);
    for (i = 0; i < NSHARDS; i++) {
        ni_shard_hits_free(hits[i]);
        ni_shard_stats_free(st[i]);
        ni_snapshot_close(snap[i]);
    }
}

static const char *const queries[] = {
    "москва", "мэр школы", "Голунов журналист", "суд задержали полиция",
    "новости города и закон о выборах", "Путин OR Собянин", "\"мэр школы\"",
    "title:москва", "москва -суд", "рубль NOT нефть", "москва date:2024-03",
    "суд after:2024-05", "банк*", "школа мэров Москва губернатор рубль нефть",
    "title:(суд OR банк)", "\"суд москва\"~3",
};

/* Pseudo-words: some rare, some absent from a shard. */
static void add_pseudo_queries(char (*q)[64], size_t *n)
{
    unsigned i;
    for (i = 0; i < 12; i++) {
        char a[20], b[20];
        tidx_word(a, i * 37 % 400);
        tidx_word(b, (i * 53 + 7) % 400);
        snprintf(q[(*n)++], 64, i % 3 == 0 ? "%s" : i % 3 == 1 ? "%s %s" : "%s OR %s", a, b);
    }
}

static size_t same, differ;

static void compare_all(const ni_search_options *o, const char *mode)
{
    static char a[200000], b[200000];
    char extra[16][64];
    size_t i, n = 0, nq = sizeof queries / sizeof *queries;
    add_pseudo_queries(extra, &n);
    for (i = 0; i < nq + n; i++) {
        const char *q = i < nq ? queries[i] : extra[i - nq];
        search_one(q, o, a, sizeof a);
        search_shards(q, o, 0, b, sizeof b);
        CHECK(strncmp(a, "ERR", 3) != 0);
        if (strcmp(a, b) != 0) {
            test_failures++;
            fprintf(stderr, "%s: '%s' differs\none:\n%.2000s\nshards:\n%.2000s\n", mode, q, a, b);
        }
        search_shards(q, o, 1, b, sizeof b);
        if (strcmp(a, b) == 0)
            same++;
        else
            differ++;
    }
}

static void test_modes(void)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    size_t off;
    for (off = 0; off <= 7; off += 7) {
        o = (ni_search_options)NI_SEARCH_OPTIONS_INIT;
        o.offset = off;
        o.limit = 10;
        compare_all(&o, "default");
        o.flags = NI_SEARCH_ALL_WORDS;
        compare_all(&o, "all words");
        o.flags = 0;
        o.default_or = 1;
        compare_all(&o, "or");
        o.default_or = 0;
        o.sort = NI_SORT_DATE;
        compare_all(&o, "by date");
        o.sort = NI_SORT_RELEVANCE;
        o.fresh_half_life = 86400 * 30;
        compare_all(&o, "fresh");
        o.fresh_half_life = 0;
        o.flags = NI_SEARCH_APPROX_TOTAL;      /* pruned: bounds from the global idf */
        compare_all(&o, "pruned");
        o.flags = 0;
        o.limit = 200;
        compare_all(&o, "limit 200");
    }
}

/* The negative control: scores from each shard's own statistics differ
 * for most queries, so the comparison above can fail. */
static void test_local_stats_differ(void)
{
    fprintf(stderr, "local statistics: %zu results the same, %zu different\n", same, differ);
    CHECK(differ > same);
}


/* The statistics of q in ix (a snapshot of its own) into *out. */
static void stats_of(ni_shard_stats **out, ni_index *ix, const char *q)
{
    ni_snapshot *snap = NULL;
    *out = NULL;
    CHECK_RC(ni_snapshot_open(&snap, ix), 0);
    CHECK_RC(ni_shard_stats_read(out, snap, q, strlen(q), NULL), 0);
    ni_snapshot_close(snap);
}

/* 1 when a and b encode to the same bytes. */
static int same_stats(const ni_shard_stats *a, const ni_shard_stats *b)
{
    unsigned char *x = NULL, *y = NULL;
    size_t nx = 0, ny = 0;
    int eq;
    CHECK_RC(ni_shard_stats_encode(&x, &nx, a), 0);
    CHECK_RC(ni_shard_stats_encode(&y, &ny, b), 0);
    eq = x && y && nx == ny && memcmp(x, y, nx) == 0;
    ni_wire_free(x);
    ni_wire_free(y);
    return eq;
}

/* Merging is a sum: associative, commutative, and the merge of the shards
 * is one index's statistics of all the documents. */
static void test_stats_merge(void)
{
    static const char *const qs[] = { "москва", "мэр школы", "Путин OR Собянин -суд",
                                      "\"суд москва\"", "новости города и закон о выборах" };
    size_t i;
    for (i = 0; i < sizeof qs / sizeof *qs; i++) {
        ni_shard_stats *a, *b, *c, *whole, *ab_c, *a_bc, *cba, *bc;
        stats_of(&a, shard[0], qs[i]);
        stats_of(&b, shard[1], qs[i]);
        stats_of(&c, shard[2], qs[i]);
        stats_of(&whole, one, qs[i]);
        stats_of(&ab_c, shard[0], qs[i]);           /* (a + b) + c */
        CHECK_RC(ni_shard_stats_merge(ab_c, b), 0);
        CHECK_RC(ni_shard_stats_merge(ab_c, c), 0);
        stats_of(&bc, shard[1], qs[i]);             /* a + (b + c) */
        CHECK_RC(ni_shard_stats_merge(bc, c), 0);
        stats_of(&a_bc, shard[0], qs[i]);
        CHECK_RC(ni_shard_stats_merge(a_bc, bc), 0);
        stats_of(&cba, shard[2], qs[i]);            /* (c + b) + a */
        CHECK_RC(ni_shard_stats_merge(cba, b), 0);
        CHECK_RC(ni_shard_stats_merge(cba, a), 0);
        CHECK(same_stats(ab_c, a_bc));
        CHECK(same_stats(ab_c, cba));
        CHECK(same_stats(ab_c, whole));
        CHECK(!same_stats(a, whole));
        CHECK(ni_shard_stats_docs(ab_c) == NDOCS);
        CHECK(ni_shard_stats_docs(a) + ni_shard_stats_docs(b) + ni_shard_stats_docs(c) == NDOCS);
        CHECK_RC(ni_shard_stats_merge(a, a), NI_EINVAL);
        ni_shard_stats_free(a);
        ni_shard_stats_free(b);
        ni_shard_stats_free(c);
        ni_shard_stats_free(whole);
        ni_shard_stats_free(ab_c);
        ni_shard_stats_free(a_bc);
        ni_shard_stats_free(bc);
        ni_shard_stats_free(cba);
    }
}

/* Statistics and hits go through their wire forms unchanged; every
 * shorter prefix, a longer form and another version are refused. */
static void test_wire(void)
{
    ni_snapshot *snap = NULL;
    ni_shard_stats *st = NULL, *back = NULL;
    ni_shard_hits *h = NULL, *hb = NULL;
    unsigned char *enc = NULL, *again = NULL, *longer;
    size_t len = 0, alen = 0, cut;
    const char *q = "мэр школы";

    CHECK_RC(ni_snapshot_open(&snap, shard[1]), 0);
    CHECK_RC(ni_shard_stats_read(&st, snap, q, strlen(q), NULL), 0);
    CHECK_RC(ni_shard_stats_encode(&enc, &len, st), 0);
    CHECK_RC(ni_shard_stats_decode(&back, enc, len), 0);
    CHECK(back && same_stats(st, back));
    for (cut = 0; cut < len; cut++) {
        ni_shard_stats *t = NULL;
        CHECK_RC(ni_shard_stats_decode(&t, enc, cut), NI_ECORRUPT);
        CHECK(t == NULL);
    }
    longer = malloc(len + 1);
    memcpy(longer, enc, len);
    longer[len] = 0;
    ni_shard_stats_free(back);
    CHECK_RC(ni_shard_stats_decode(&back, longer, len + 1), NI_ECORRUPT);
    longer[4] = 2;
    CHECK_RC(ni_shard_stats_decode(&back, longer, len), NI_EVERSION);
    free(longer);
    ni_wire_free(enc);
    enc = NULL;

    CHECK_RC(ni_shard_search(&h, snap, q, strlen(q), NULL, st), 0);
    CHECK(h && h->n > 0);
    CHECK_RC(ni_shard_hits_encode(&enc, &len, h), 0);
    CHECK_RC(ni_shard_hits_decode(&hb, enc, len), 0);
    CHECK_RC(ni_shard_hits_encode(&again, &alen, hb), 0);
    CHECK(alen == len && again && memcmp(enc, again, len) == 0);
    CHECK(hb && hb->n == h->n && hb->total == h->total && hb->hit[0].score == h->hit[0].score);
    for (cut = 0; cut < len; cut++) {
        ni_shard_hits *t = NULL;
        CHECK_RC(ni_shard_hits_decode(&t, enc, cut), NI_ECORRUPT);
        CHECK(t == NULL);
    }
    enc[5 + 1 + 8 + 8 + 4 + 32] = 2;          /* the first hit's partial byte */
    {
        ni_shard_hits *t = NULL;
        CHECK_RC(ni_shard_hits_decode(&t, enc, len), NI_ECORRUPT);
    }
    ni_wire_free(enc);
    ni_wire_free(again);
    ni_shard_hits_free(h);
    ni_shard_hits_free(hb);
    ni_shard_stats_free(st);
    ni_shard_stats_free(back);
    ni_snapshot_close(snap);
}

/* Allocation n failing, for every n a two-phase search makes: each run
 * ends in the whole answer or a clean error (and, under ASan, leaks
 * nothing). */
static void test_alloc_failures(void)
{
    static char want[200000], got[200000];
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    const char *q = "новости города и закон о выборах";
    uint64_t n, made;
    int errors = 0;

    ni_mem_fail_at(0, 0);
    search_shards(q, &o, 0, want, sizeof want);
    made = ni_mem_fail_at(0, 0);        /* what a whole search allocates */
    CHECK(strncmp(want, "ERR", 3) != 0);
    for (n = 1; n <= made + 1; n++) {
        ni_mem_fail_at(n, 0);
        search_shards(q, &o, 0, got, sizeof got);
        ni_mem_fail_at(0, 0);
        if (strncmp(got, "ERR", 3) == 0) {
            errors++;
            CHECK(strncmp(got, "ERR -1 ", 7) == 0 || strstr(got, "out of memory"));
        } else
            CHECK(strcmp(got, want) == 0);
    }
    CHECK(errors > 10);
}

static void cleanup(void)
{
    size_t i;
    ni_index_close(one);
    for (i = 0; i < NSHARDS; i++) {
        ni_index_close(shard[i]);
        free(order[i]);
    }
}

TEST_MAIN(TEST(build), TEST(test_modes), TEST(test_local_stats_differ), TEST(test_stats_merge),
          TEST(test_wire), TEST(test_alloc_failures), TEST(cleanup))
