/*
 * test_collapse.c - near-duplicate collapsing through the public API:
 * constructed near copies fold into the best-ranked of their story and
 * are listed there, distinct stories do not, a page of ten stories holds
 * ten however many copies each has, pages continue one another, and a
 * replaced, deleted or compacted document's signature is what it is now, and
 * a folded copy carries its own fields (its date's offset and form too);
 * where the signatures' estimate is unsure, the texts decide.
 */
#include <stdio.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"
#include "testidx.h"
#include "tmpdir.h"

#define STORIES 12
#define COPIES 3       /* documents a story */

/* Story s's text: "пожар" and 30 words of its own; copy c > 0 adds c
 * words of a channel's footer (a near copy: 29 of 29 + c shingles). */
static void story_text(char *out, size_t size, unsigned s, unsigned c)
{
    static const char *const footer[] = { "подписывайтесь", "на", "канал", "новости", "дня" };
    size_t at = (size_t)snprintf(out, size, "пожар");
    char w[32];
    unsigned i;
    for (i = 0; i < 30; i++) {
        tidx_word(w, s * 100 + i);
        at += (size_t)snprintf(out + at, size - at, " %s", w);
    }
    for (i = 0; i < c && i < 5; i++)
        at += (size_t)snprintf(out + at, size - at, " %s", footer[i]);
}

static void add(ni_index *idx, const char *id, const char *text)
{
    tidx_add(idx, id, NULL, text);
}

/* STORIES stories of COPIES documents each: s<story>c<copy>. */
static ni_index *stories_index(void)
{
    ni_index *idx = NULL;
    char id[16], text[1024];
    unsigned s, c;
    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    for (c = 0; c < COPIES; c++)
        for (s = 0; s < STORIES; s++) {
            snprintf(id, sizeof id, "s%02uc%u", s, c);
            story_text(text, sizeof text, s, c);
            add(idx, id, text);
        }
    CHECK_RC(ni_index_commit(idx), 0);
    return idx;
}

/* "id+dup+dup id+dup ..." for a page of q under flags, offset, limit. */
static void page(ni_index *idx, const char *q, unsigned flags, size_t offset, size_t limit,
                 char *out, size_t size)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit, dup;
    size_t at = 0, i;
    int rc;
    o.flags = flags;
    o.offset = offset;
    o.limit = limit;
    out[0] = '\0';
    CHECK_RC(ni_search(&h, idx, q, strlen(q), &o), 0);
    if (!h)
        return;
    CHECK(ni_hits_duplicates(h) == 0);       /* before the first hit */
    while ((rc = ni_hits_next(h, &hit)) == 0) {
        at += (size_t)snprintf(out + at, size - at, "%s%.*s", at ? " " : "", (int)hit.id_len,
                               hit.id);
        for (i = 0; i < ni_hits_duplicates(h); i++) {
            CHECK_RC(ni_hits_duplicate(h, i, &dup), 0);
            CHECK(dup.rank == hit.rank);
            at += (size_t)snprintf(out + at, size - at, "+%.*s", (int)dup.id_len, dup.id);
        }
        CHECK_RC(ni_hits_duplicate(h, i, &dup), NI_EINVAL);
    }
    CHECK(rc == NI_DONE);
    ni_hits_free(h);
}

/* The ids of the documents without collapsing, in rank order. */
static void ranking(ni_index *idx, const char *q, char *out, size_t size)
{
    page(idx, q, NI_SEARCH_NO_COLLAPSE, 0, 100, out, size);
}

/* The documents the collapse looks at for a page of limit hits. */
static uint64_t examined_for(ni_index *idx, const char *q, size_t limit)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    uint64_t examined = 0;
    o.limit = limit;
    CHECK_RC(ni_search(&h, idx, q, strlen(q), &o), 0);
    ni_hits_stories(h, &examined);
    ni_hits_free(h);
    return examined;
}

/* Every story of a page: the first of its documents in ranking, its
 * copies after it in ranking order (among the documents examined); in
 * the order of ranking. */
static void folds_into_best(void)
{
    ni_index *idx = stories_index();
    char docs[4096], got[4096], want[4096] = "", *cut;
    int story_seen[STORIES] = { 0 };
    size_t at = 0;
    unsigned n = 0;
    uint64_t e = examined_for(idx, "пожар", 10), k;
    const char *p, *q;

    ranking(idx, "пожар", docs, sizeof docs);
    for (k = 0, cut = docs; cut && k < e; k++)     /* the first e documents */
        cut = strchr(cut + 1, ' ');
    if (cut)
        *cut = '\0';
    CHECK(e == 20);
    /* the page as it must be, from the ranking: each story's first
     * document, then its others in ranking order; ten stories */
    for (p = docs; p && n < 10; p = strchr(p, ' '), p = p ? p + 1 : p) {
        unsigned story = (unsigned)((p[1] - '0') * 10 + (p[2] - '0'));
        if (story_seen[story]++)
            continue;
        at += (size_t)snprintf(want + at, sizeof want - at, "%s%.5s", at ? " " : "", p);
        for (q = strchr(p, ' '); q; q = strchr(q + 1, ' '))
            if ((unsigned)((q[2] - '0') * 10 + (q[3] - '0')) == story)
                at += (size_t)snprintf(want + at, sizeof want - at, "+%.5s", q + 1);
        n++;
    }
    page(idx, "пожар", 0, 0, 10, got, sizeof got);
    CHECK(strcmp(got, want) == 0);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got  %s\nwant %s\n", got, want);
    /* ten stories, copies folded into them */
    CHECK(n == 10);
    CHECK(strchr(got, '+') != NULL);
    ni_index_close(idx);
}

static void stories_counted(void)
{
    ni_index *idx = stories_index();
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    uint64_t examined = 0;
    CHECK_RC(ni_search(&h, idx, "пожар", strlen("пожар"), &o), 0);
    CHECK(ni_hits_total(h) == STORIES * COPIES);
    /* the first 10 + 5 + 5 candidates hold 10 stories or more */
    CHECK(ni_hits_stories(h, &examined) >= 10);
    CHECK(examined == 20);
    ni_hits_free(h);
    o.limit = 100;
    CHECK_RC(ni_search(&h, idx, "пожар", strlen("пожар"), &o), 0);
    CHECK(ni_hits_stories(h, &examined) == STORIES);
    CHECK(examined == STORIES * COPIES);
    ni_hits_free(h);
    o.flags = NI_SEARCH_NO_COLLAPSE;
    CHECK_RC(ni_search(&h, idx, "пожар", strlen("пожар"), &o), 0);
    CHECK(ni_hits_stories(h, &examined) == 0 && examined == 0);
    ni_hits_free(h);
    ni_index_close(idx);
}

/* Pages of 1, 3, 5 stories continue one another, to the same sequence
 * as one page of all, with no story twice. */
static void pages_continue(void)
{
    ni_index *idx = stories_index();
    char all[4096], joined[4096], one[1024];
    size_t sizes[] = { 1, 3, 5 }, k, off, at;
    char *p;

    page(idx, "пожар", 0, 0, 100, all, sizeof all);
    /* the stories only */
    for (p = all; (p = strchr(p, '+'));) {
        char *end = strchr(p, ' ');
        memmove(p, end ? end : p + strlen(p), strlen(end ? end : p + strlen(p)) + 1);
    }
    for (k = 0; k < 3; k++) {
        joined[0] = '\0';
        for (off = 0, at = 0; off < STORIES + 2; off += sizes[k]) {
            page(idx, "пожар", 0, off, sizes[k], one, sizeof one);
            for (p = one; (p = strchr(p, '+'));) {
                char *end = strchr(p, ' ');
                memmove(p, end ? end : p + strlen(p), strlen(end ? end : p + strlen(p)) + 1);
            }
            if (one[0])
                at += (size_t)snprintf(joined + at, sizeof joined - at, "%s%s", at ? " " : "",
                                       one);
        }
        CHECK(strcmp(joined, all) == 0);
        if (strcmp(joined, all) != 0)
            fprintf(stderr, "pages of %zu: %s\nall: %s\n", sizes[k], joined, all);
    }
    CHECK(strlen(all) == STORIES * 6 - 1);
    ni_index_close(idx);
}

/* Pruning (NI_SEARCH_APPROX_TOTAL) leaves the pages as they are. */
static void pruned_the_same(void)
{
    ni_index *idx = stories_index();
    char exact[4096], pruned[4096];
    size_t off;
    for (off = 0; off < 12; off += 4) {
        page(idx, "пожар", 0, off, 4, exact, sizeof exact);
        page(idx, "пожар", NI_SEARCH_APPROX_TOTAL, off, 4, pruned, sizeof pruned);
        CHECK(strcmp(exact, pruned) == 0);
        page(idx, "пожар OR канал", 0, off, 4, exact, sizeof exact);
        page(idx, "пожар OR канал", NI_SEARCH_APPROX_TOTAL, off, 4, pruned, sizeof pruned);
        CHECK(strcmp(exact, pruned) == 0);
    }
    ni_index_close(idx);
}

/* Without collapsing every document is a hit. */
static void no_collapse(void)
{
    ni_index *idx = stories_index();
    char got[4096];
    size_t n = 0;
    const char *p;
    page(idx, "пожар", NI_SEARCH_NO_COLLAPSE, 0, 10, got, sizeof got);
    CHECK(!strchr(got, '+'));
    for (p = got; p; p = strchr(p + 1, ' '))
        n++;
    CHECK(n == 10);
    ni_index_close(idx);
}

/* Two stories, "a" with a near copy "a2", and "b". */
static ni_index *small(char *text_a, char *text_b, size_t size)
{
    ni_index *idx = NULL;
    char t[1024];
    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    story_text(text_a, size, 1, 0);
    story_text(text_b, size, 2, 0);
    add(idx, "a", text_a);
    story_text(t, sizeof t, 1, 2);
    add(idx, "a2", t);
    add(idx, "b", text_b);
    CHECK_RC(ni_index_commit(idx), 0);
    return idx;
}

/* How many hits the query has with collapsing, and whether id is folded. */
static size_t hits_of(ni_index *idx, const char *id, int *folded)
{
    char got[1024], plus[32];
    size_t n = 0;
    const char *p;
    page(idx, "пожар", 0, 0, 10, got, sizeof got);
    snprintf(plus, sizeof plus, "+%s", id);
    *folded = 0;
    for (p = got; (p = strstr(p, plus)); p++)
        if (p[strlen(plus)] == ' ' || p[strlen(plus)] == '+' || !p[strlen(plus)])
            *folded = 1;
    for (p = got; *got && p; p = strchr(p + 1, ' '))
        n++;
    return n;
}

static void updates_keep_signatures(void)
{
    char ta[1024], tb[1024];
    ni_index *idx = small(ta, tb, sizeof ta);
    int folded;

    CHECK(hits_of(idx, "a2", &folded) == 2 && folded);
    /* replaced by b's text: now a copy of b */
    add(idx, "a2", tb);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(hits_of(idx, "a2", &folded) == 2 && folded);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    /* replaced by a story of its own */
    story_text(ta, sizeof ta, 7, 0);
    add(idx, "a2", ta);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(hits_of(idx, "a2", &folded) == 3 && !folded);
    /* a copy of b added, b deleted: the copy stands alone */
    add(idx, "b2", tb);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(hits_of(idx, "b2", &folded) == 3 && folded);
    CHECK_RC(ni_index_delete(idx, "b", 1), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(hits_of(idx, "b2", &folded) == 3 && !folded);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    /* compaction keeps them */
    add(idx, "b3", tb);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_compact(idx), 0);
    CHECK_RC(ni_index_check(NULL, idx), 0);
    CHECK(hits_of(idx, "b3", &folded) == 3 && folded);
    ni_index_close(idx);
}

/* The copy of a document added in the same batch, and the same in
 * another commit, fold alike. */
static void across_commits(void)
{
    char ta[1024], tb[1024];
    ni_index *idx = small(ta, tb, sizeof ta);
    int folded;
    add(idx, "a3", ta);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(hits_of(idx, "a3", &folded) == 2 && folded);
    ni_index_close(idx);
}

/* A story of 20 short documents ranked above all others: the first
 * fetch (2 + 1 + 5 candidates) holds one story, so the search fetches
 * again, deeper, and the page still has two. */
static void fetches_deeper(void)
{
    ni_index *idx = stories_index();
    char id[16], text[1024], w[32], got[4096], first[4096];
    size_t at, i;
    unsigned c;
    for (c = 0; c < 20; c++) {
        at = (size_t)snprintf(text, sizeof text, "пожар");
        for (i = 0; i < 12; i++) {
            tidx_word(w, 9000 + (unsigned)i);
            at += (size_t)snprintf(text + at, sizeof text - at, " %s", w);
        }
        tidx_word(w, 9100 + c);
        snprintf(text + at, sizeof text - at, " %s", w);
        snprintf(id, sizeof id, "x%02u", c);
        add(idx, id, text);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    page(idx, "пожар", 0, 0, 2, got, sizeof got);
    CHECK(got[0] == 'x' && strlen(got) > 20 * 4);          /* x.. and 19 more */
    CHECK(strchr(got, ' ') && strchr(got, ' ')[1] == 's');   /* then a story */
    page(idx, "пожар", 0, 1, 1, first, sizeof first);
    CHECK(strchr(got, ' ') && strcmp(strchr(got, ' ') + 1, first) == 0);
    ni_index_close(idx);
}

/* A folded copy carries its own stored fields, its date as it was written
 * (offset and form) included, not its representative's. */
static void duplicate_fields(void)
{
    static const struct { const char *id, *title, *url, *rubric, *date; } docs[2] = {
        { "first", "Пожар на складе", "https://a.example/1", "Происшествия",
          "2024-07-17T13:30:00+03:00" },
        { "copy", "Склад горел всю ночь", "https://b.example/2", "Город", "2024-07-18" },
    };
    ni_index *idx = NULL;
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit, dup;
    char text[1024];
    int64_t when;
    int off;
    unsigned form;
    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    for (int i = 0; i < 2; i++) {
        ni_doc d = NI_DOC_INIT;
        story_text(text, sizeof text, 7, (unsigned)i);
        d.id = docs[i].id, d.id_len = strlen(docs[i].id);
        d.title = docs[i].title, d.title_len = strlen(docs[i].title);
        d.url = docs[i].url, d.url_len = strlen(docs[i].url);
        d.rubric = docs[i].rubric, d.rubric_len = strlen(docs[i].rubric);
        CHECK_RC(ni_date_parse_tz(&d.date, &d.date_offset, &d.date_form, docs[i].date,
                                  strlen(docs[i].date)), 0);
        d.text = text, d.text_len = strlen(text);
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_search(&h, idx, "пожар", 10, &o), 0);
    CHECK_RC(ni_hits_next(h, &hit), 0);
    CHECK(ni_hits_duplicates(h) == 1);
    CHECK_RC(ni_hits_duplicate(h, 0, &dup), 0);
    int k = hit.id_len == 5 && memcmp(hit.id, "first", 5) == 0 ? 1 : 0;  /* the copy's index */
    CHECK(dup.id_len == strlen(docs[k].id) && memcmp(dup.id, docs[k].id, dup.id_len) == 0);
    CHECK(dup.title_len == strlen(docs[k].title) && memcmp(dup.title, docs[k].title,
                                                           dup.title_len) == 0);
    CHECK(dup.url_len == strlen(docs[k].url) && memcmp(dup.url, docs[k].url, dup.url_len) == 0);
    CHECK(dup.rubric_len == strlen(docs[k].rubric));
    CHECK_RC(ni_date_parse_tz(&when, &off, &form, docs[k].date, strlen(docs[k].date)), 0);
    CHECK(dup.date == when && dup.date_offset == off && dup.date_form == form);
    CHECK(hit.date_offset == (k ? 180 : 0) && hit.date_form == (k ? NI_DATE_OFFSET : NI_DATE_DAY));
    CHECK(ni_hits_next(h, &hit) == NI_DONE);
    ni_hits_free(h);
    ni_index_close(idx);
}

/* first and 41 words: words base + i, the i >= keep of them base + 5000
 * + i (test_nearcopy.c's pair_text).  Texts with keep 42 and keep s + 2
 * share s of their 40 shingles. */
static void pair_text(char *out, size_t size, const char *first, unsigned base, unsigned keep)
{
    size_t at = (size_t)snprintf(out, size, "%s", first);
    char w[32];
    unsigned i;
    for (i = 1; i < 42; i++) {
        tidx_word(w, i < keep ? base + i : base + 5000 + i);
        at += (size_t)snprintf(out + at, size - at, " %s", w);
    }
}

/* Pairs whose signatures' estimate is on the wrong side of 0.5: "пожар",
 * a Jaccard of 27/53 estimated 0.70, stays two stories; "взрыв", 30/50
 * estimated 0.42, is one (the exact sets decide: nearcopy.h). */
static void unsure_settled_exactly(void)
{
    ni_index *idx = NULL;
    char text[1024], got[256];
    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    pair_text(text, sizeof text, "пожар", 30800, 42);
    add(idx, "pa", text);
    pair_text(text, sizeof text, "пожар", 30800, 29);
    add(idx, "pb", text);
    pair_text(text, sizeof text, "взрыв", 34000, 42);
    add(idx, "va", text);
    pair_text(text, sizeof text, "взрыв", 34000, 32);
    add(idx, "vb", text);
    CHECK_RC(ni_index_commit(idx), 0);
    page(idx, "пожар", 0, 0, 10, got, sizeof got);
    CHECK(strcmp(got, "pa pb") == 0 || strcmp(got, "pb pa") == 0);
    page(idx, "взрыв", 0, 0, 10, got, sizeof got);
    CHECK(strcmp(got, "va+vb") == 0 || strcmp(got, "vb+va") == 0);
    ni_index_close(idx);
}

TEST_MAIN(TEST(folds_into_best), TEST(unsure_settled_exactly), TEST(duplicate_fields), TEST(fetches_deeper), TEST(stories_counted), TEST(pages_continue),
          TEST(no_collapse), TEST(pruned_the_same), TEST(updates_keep_signatures), TEST(across_commits))
