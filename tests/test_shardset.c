/*
 * test_shardset.c - local shards (ni_shardset, lib/shardset.c): corpus/
 * and a generated set indexed into four shards and into one index, in the
 * same order, with replacements and deletes; ni_shardset_search gives the
 * same hits (ids, %a scores, partial flags, snippets) and totals as
 * ni_search on the one index in every query mode with offsets, also after
 * the shards are opened again (the order files read back).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "test.h"
#include "testidx.h"
#include "tmpdir.h"

#define NSHARDS 4

static ni_index *one;
static ni_shardset *set;
static char set_path[256];

static void add_both(const ni_doc *d)
{
    CHECK_RC(ni_index_add(one, d), 0);
    CHECK_RC(ni_shardset_add(set, d), 0);
}

static void add_file(const char *path)
{
    char err[256];
    input *in = NULL;
    ni_doc d;
    int rc;
    CHECK_RC(input_open(&in, path, err, sizeof err), 0);
    while (in && (rc = input_next(in, &d)) == 0)
        add_both(&d);
    input_close(in);
}

static uint64_t rnd_state = 777;
static unsigned rnd(unsigned n)
{
    rnd_state = rnd_state * 6364136223846793005ull + 1442695040888963407ull;
    return (unsigned)((rnd_state >> 33) % n);
}

static const char *const words[] = {
    "Москва", "мэр", "школа", "суд", "полиция", "журналист", "Голунов", "выборы",
    "губернатор", "город", "закон", "Собянин", "рубль", "банк", "москвичи", "школы",
    "задержали", "в", "и", "на", "деревья", "липы", "Тверская", "улица",
};

/* n generated documents g<i>, some copies of the one before (ties). */
static void add_generated(unsigned n, unsigned from)
{
    static char title[300], text[3000], date[16];
    unsigned i, k;
    for (i = from; i < from + n; i++) {
        ni_doc d = NI_DOC_INIT;
        char id[16];
        if (i == from || rnd(8)) {
            size_t at = 0;
            for (k = 0, title[0] = 0; k < 2 + rnd(4); k++)
                at += (size_t)snprintf(title + at, sizeof title - at, "%s%s", k ? " " : "",
                                       words[rnd(sizeof words / sizeof *words)]);
            for (k = 0, at = 0, text[0] = 0; k < 8 + rnd(60) && at < sizeof text - 40; k++) {
                char w[20];
                const char *x = rnd(2) ? words[rnd(sizeof words / sizeof *words)] : w;
                tidx_word(w, rnd(1 + rnd(300)));
                at += (size_t)snprintf(text + at, sizeof text - at, "%s%s", k ? " " : "", x);
            }
            snprintf(date, sizeof date, "2023-1%u-0%u", rnd(3), 1 + rnd(9));
        }
        snprintf(id, sizeof id, "g%u", i);
        d.id = id;
        d.id_len = strlen(id);
        d.title = title;
        d.title_len = strlen(title);
        d.text = text;
        d.text_len = strlen(text);
        CHECK_RC(ni_date_parse(&d.date, date, strlen(date)), 0);
        add_both(&d);
    }
}

static void build(void)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    CHECK_RC(ni_index_open(&one, test_new_dir(), NULL), 0);
    snprintf(set_path, sizeof set_path, "%s", test_new_dir());
    CHECK_RC(ni_shardset_open(&set, set_path, 0, &o), NI_ENOTFOUND);
    CHECK_RC(ni_shardset_open(&set, set_path, NSHARDS, &o), 0);
    CHECK(ni_shardset_count(set) == NSHARDS);
    add_file("corpus/meduza-golunov-sample.jsonl");
    add_generated(300, 0);
    CHECK_RC(ni_index_commit(one), 0);
    CHECK_RC(ni_shardset_commit(set), 0);
    add_file("corpus/factrueval2016-sample.jsonl");
    add_generated(200, 100);        /* g100..g299 replaced */
    add_generated(20, 150);         /* some replaced twice in one batch */
    CHECK_RC(ni_index_delete(one, "g7", 2), 0);
    CHECK_RC(ni_shardset_delete(set, "g7", 2), 0);
    CHECK_RC(ni_index_commit(one), 0);
    CHECK_RC(ni_shardset_commit(set), 0);
}

/* The hits of q as lines "id %a partial" after the totals, from one index
 * (set NULL) or the shards, into out. */
static void run(ni_shardset *s, const char *q, const ni_search_options *o, char *out,
                size_t size)
{
    ni_search_options so = *o;
    ni_hits *h;
    ni_hit hit;
    size_t at;
    int rc;

    so.flags |= NI_SEARCH_NO_COLLAPSE | NI_SEARCH_EXACT;
    rc = s ? ni_shardset_search(&h, s, q, strlen(q), &so) : ni_search(&h, one, q, strlen(q), &so);
    if (rc < 0) {
        snprintf(out, size, "ERR %d %s", rc, ni_errmsg());
        return;
    }
    /* pruned totals are lower bounds, each shard's its own */
    at = o->flags & NI_SEARCH_APPROX_TOTAL
             ? (size_t)snprintf(out, size, "mode %s\n", ni_hits_mode(h))
             : (size_t)snprintf(out, size, "total %llu partial %llu mode %s\n",
                                (unsigned long long)ni_hits_total(h),
                                (unsigned long long)ni_hits_partial_total(h), ni_hits_mode(h));
    while ((rc = ni_hits_next(h, &hit)) == 0 && at < size) {
        ni_snippet sn = { 0 };
        at += (size_t)snprintf(out + at, size - at, "%zu %.*s %a %d", hit.rank, (int)hit.id_len,
                               hit.id, hit.score, ni_hits_is_partial(h));
        if (!(so.flags & NI_SEARCH_IDS_ONLY) && ni_hits_snippet(&sn, h, 80) == 0)
            at += (size_t)snprintf(out + at, size - at, " [%.*s] %zu", (int)sn.len, sn.text,
                                   sn.nranges);
        if (at < size)
            out[at++] = '\n';
    }
    if (at < size)
        out[at] = '\0';
    if (rc != NI_DONE)
        snprintf(out, size, "ERR next %d", rc);
    ni_hits_free(h);
}

static const char *const queries[] = {
    "Москва", "мэр школы", "Голунов журналист", "липы на Тверской улице",
    "суд полиция задержали журналист в Москве", "Собянин OR губернатор", "\"Тверской улице\"",
    "title:Москва", "Москва -суд", "банк NOT рубль", "мэр date:2023-11", "суд after:2016-12",
    "школ*", "title:(суд OR банк)", "\"суд москва\"~3", "Липы за 200 тысяч",
};

static void compare(ni_shardset *s, const ni_search_options *o, const char *mode)
{
    static char a[100000], b[100000];
    size_t i;
    for (i = 0; i < sizeof queries / sizeof *queries; i++) {
        run(NULL, queries[i], o, a, sizeof a);
        run(s, queries[i], o, b, sizeof b);
        CHECK(strncmp(a, "ERR", 3) != 0);
        if (strcmp(a, b) != 0) {
            test_failures++;
            fprintf(stderr, "%s: '%s' differs\none:\n%.1500s\nshards:\n%.1500s\n", mode,
                    queries[i], a, b);
        }
    }
}

static void compare_modes(ni_shardset *s)
{
    ni_search_options o;
    size_t off;
    for (off = 0; off <= 5; off += 5) {
        o = (ni_search_options)NI_SEARCH_OPTIONS_INIT;
        o.offset = off;
        compare(s, &o, "default");
        o.flags = NI_SEARCH_ALL_WORDS;
        compare(s, &o, "all words");
        o.flags = NI_SEARCH_IDS_ONLY;
        compare(s, &o, "ids only");
        o.flags = 0;
        o.default_or = 1;
        compare(s, &o, "or");
        o.default_or = 0;
        o.sort = NI_SORT_DATE;
        compare(s, &o, "by date");
        o.sort = NI_SORT_RELEVANCE;
        o.fresh_half_life = 86400 * 30;
        compare(s, &o, "fresh");
        o.fresh_half_life = 0;
        o.flags = NI_SEARCH_APPROX_TOTAL;      /* pruned: bounds from the global idf */
        compare(s, &o, "pruned");
        o.flags = 0;
        o.limit = 150;
        compare(s, &o, "limit 150");
    }
}

static void test_same_as_one(void)
{
    compare_modes(set);
}

/* Opened again, the order files give the same ties. */
static void test_reopened(void)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_shardset *again = NULL;
    o.flags = NI_OPEN_READONLY;
    CHECK_RC(ni_shardset_open(&again, set_path, 0, &o), 0);
    CHECK(ni_shardset_count(again) == NSHARDS);
    ni_shardset_close(again);
    CHECK_RC(ni_shardset_open(&again, set_path, NSHARDS + 1, &o), NI_EINVAL);
    CHECK(again == NULL);
    CHECK_RC(ni_shardset_open(&again, set_path, NSHARDS, &o), 0);
    if (again)
        compare_modes(again);
    ni_shardset_close(again);
}

/* The documented hash: FNV-1a, 32 bits, of the id's bytes, modulo N. */
static unsigned fnv_shard(const char *id)
{
    uint32_t h = 2166136261u;
    for (; *id; id++)
        h = (h ^ (unsigned char)*id) * 16777619u;
    return h % NSHARDS;
}

/* Each document is in the shard its id names, once. */
static void test_placement(void)
{
    unsigned i, k, found;
    for (i = 0; i < 300; i += 7) {
        char id[16];
        snprintf(id, sizeof id, "g%u", i);
        CHECK(ni_shardset_pick(set, id, strlen(id)) == fnv_shard(id));
        for (k = 0, found = 0; k < NSHARDS; k++) {
            ni_doc *d = NULL;
            int rc = ni_index_get(&d, ni_shardset_shard(set, k), id, strlen(id));
            found += rc == 0;
            CHECK(rc == 0 ? k == ni_shardset_pick(set, id, strlen(id)) && i != 7
                          : rc == NI_ENOTFOUND);
            ni_doc_free(d);
        }
        CHECK(found == (i != 7));
    }
}

static void test_facets_refused(void)
{
    ni_hits *h = NULL;
    ni_facets *f = NULL;
    CHECK_RC(ni_shardset_search(&h, set, "Москва", strlen("Москва"), NULL), 0);
    CHECK_RC(ni_hits_facets(&f, h, "rubric", 6), NI_EINVAL);
    ni_hits_free(h);
}

static void cleanup(void)
{
    ni_index_close(one);
    ni_shardset_close(set);
}

TEST_MAIN(TEST(build), TEST(test_same_as_one), TEST(test_reopened), TEST(test_placement),
          TEST(test_facets_refused), TEST(cleanup))
