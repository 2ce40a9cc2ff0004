/*
 * Dynamic pruning against the exhaustive reference: on a generated
 * collection of many posting blocks with a skewed vocabulary and bursts of
 * repeated words (so block bounds differ), with deleted documents, many
 * queries of every shape pruning handles (OR with optional function words,
 * AND, AND NOT, the minimum match of long queries, title: terms, phrases;
 * words written with a capital now and then, so that query words are
 * searched under their stem and their name keys, scored as one)
 * must give the same top k, in the same order, with the same scores, with
 * and without NI_SEARCH_APPROX_TOTAL; the pruned total is a lower bound,
 * and block bounds must really have skipped blocks.  With the default
 * parameters, with k1 = 1.2 and no proximity, under which the bursts of
 * repeated words make block bounds differ most (the default k1 saturates
 * early), and with a heavy proximity bonus (its bounds are shares of the
 * words' bounds, prox.h).  The default mode's partial matches are checked
 * against the OR mode's hits less the full matches.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout.h"
#include "mem.h"
#include "search.h"
#include "newsindex.h"
#include "test.h"

static const char *const words[] = {
    "москва", "мэр", "школа", "выборы", "погода", "снег", "дождь", "театр",
    "бюджет", "рубль", "нефть", "футбол", "матч", "суд", "полиция", "мост",
    "река", "завод", "врач", "больница", "учитель", "студент", "поезд", "метро",
    "авария", "пожар", "выставка", "концерт", "фестиваль", "премия", "закон", "налог",
};
static const char *const fwords[] = { "и", "в", "на", "не", "для", "по" };

static unsigned long rnd = 12345;
static unsigned next_rand(void)
{
    rnd = rnd * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned)(rnd >> 33);
}

/* A word as written: one of the first four words now and then with a
 * capital (a name key, in place of its stem in the middle of a sentence),
 * any word now and then ending a sentence. */
static int put_word(char *text, size_t size, const char *w)
{
    unsigned r = next_rand() % 12;
    int may_capital = 0, i;
    for (i = 0; i < 4; i++)
        may_capital |= w == words[i];
    if (r == 0 && may_capital) {
        /* Cyrillic а..п are D0 B0..BF, their capitals D0 90..9F; р..я are
         * D1 80..8F, capitals D0 A0..AF */
        unsigned char c0 = (unsigned char)w[0], c1 = (unsigned char)w[1];
        unsigned char u1 = c0 == 0xD0 ? (unsigned char)(c1 - 0x20) : (unsigned char)(c1 + 0x20);
        return snprintf(text, size, "%c%c%s ", 0xD0, u1, w + 2);
    }
    return snprintf(text, size, r == 1 ? "%s. " : "%s ", w);
}

/* a skewed pick: low indexes far more often */
static const char *pick(void)
{
    unsigned r = next_rand() % 1000, i = 0, n = sizeof words / sizeof words[0];
    while (i + 1 < n && r < 1000u * (n - i - 1) / (n - i) / 2 + 250)
        i++, r = next_rand() % 1000;
    return words[i];
}

#define NDOCS 6000

static ni_index *build(const char *dir)
{
    ni_index *idx = NULL;
    char text[8000], title[300], id[16];
    int d;
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    for (d = 0; d < NDOCS; d++) {
        ni_doc doc = NI_DOC_INIT;
        size_t n = 0, t = 0;
        int w, len = 5 + (int)(next_rand() % 120);
        for (w = 0; w < len; w++) {
            n += (size_t)put_word(text + n, sizeof text - n, pick());
            n += (size_t)snprintf(text + n, sizeof text - n, "%s ",
                                  next_rand() % 3 ? fwords[next_rand() % 6] : "");
        }
        if (next_rand() % 2) {
            /* topics drift over time: runs of documents repeat one word,
             * so the blocks of a word bound very differently */
            const char *e = words[(size_t)(d / 400 * 7) % (sizeof words / sizeof words[0])];
            for (w = 0; w < 1 + (int)(next_rand() % 6); w++)
                n += (size_t)snprintf(text + n, sizeof text - n, "%s ", e);
            if (next_rand() % 3 == 0)
                t += (size_t)snprintf(title + t, sizeof title - t, "%s ", e);
        }
        if (next_rand() % 8 == 0) {
            /* a burst: one word many times, so some blocks bound higher */
            const char *b = words[next_rand() % (sizeof words / sizeof words[0])];
            for (w = 0; w < 2 + (int)(next_rand() % 15); w++)
                n += (size_t)snprintf(text + n, sizeof text - n, "%s ", b);
        }
        for (w = 0; w < 3 + (int)(next_rand() % 5); w++)
            t += (size_t)snprintf(title + t, sizeof title - t, "%s ", pick());
        snprintf(id, sizeof id, "p%d", d);
        doc.id = id;
        doc.id_len = strlen(id);
        doc.title = title;
        doc.title_len = t;
        doc.text = text;
        doc.text_len = n;
        doc.date = 1700000000 + (int64_t)(next_rand() % 1000) * 86400;
        CHECK_RC(ni_index_add(idx, &doc), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    for (d = 0; d < NDOCS; d += 1 + (int)(next_rand() % 40)) {
        snprintf(id, sizeof id, "p%d", d);
        CHECK_RC(ni_index_delete(idx, id, strlen(id)), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    return idx;
}

typedef struct run {
    char ids[100][16];
    double scores[100];
    int n;
    uint64_t total, headers_only, windows;
} run;

static double k1 = -1;      /* BM25 k1 of search(); < 0: the default */
static double prox = -1;    /* proximity weight of search(); < 0: the default */

static int search(ni_index *idx, const char *q, int or_mode, size_t k, unsigned flags, run *r)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    if (k1 > 0)
        o.k1 = k1;
    if (prox >= 0)
        o.proximity = prox;
    o.default_or = or_mode;
    o.limit = k;
    /* the top k documents (collapsing fetches more: test_collapse) */
    o.flags = flags | NI_SEARCH_IDS_ONLY | NI_SEARCH_NO_COLLAPSE;
    if (ni_search(&h, idx, q, strlen(q), &o) < 0)
        return -1;
    r->n = 0;
    while (ni_hits_next(h, &hit) == 0 && r->n < 100) {
        snprintf(r->ids[r->n], sizeof r->ids[0], "%.*s", (int)hit.id_len, hit.id);
        r->scores[r->n++] = hit.score;
    }
    r->total = ni_hits_total(h);
    if (!(flags & NI_SEARCH_APPROX_TOTAL) && !ni_hits_total_is_exact(h))
        r->total = UINT64_MAX;         /* the reference must be exact */
    ni_hits_pruning(h, &r->headers_only, &r->windows);
    ni_hits_free(h);
    return 0;
}

enum { Q_OR, Q_AND, Q_MIN, Q_LONG, Q_MIXED, Q_KINDS };
static const char *const kind_names[] = { "or", "and", "min-match", "long", "mixed" };

/* A query word: half of them uniform, so rarer (drifting) words come up */
static const char *qword(void)
{
    return next_rand() % 2 ? words[next_rand() % (sizeof words / sizeof words[0])] : pick();
}

/* A query of the given kind in q; returns whether it runs in OR mode. */
static int make_query(int kind, char *q, size_t cap)
{
    size_t n = 0;
    int w, nw;
    switch (kind) {
    case Q_OR:
        nw = 2 + (int)(next_rand() % 7);
        for (w = 0; w < nw; w++)
            n += (size_t)snprintf(q + n, cap - n, "%s %s ", qword(),
                                  next_rand() % 2 ? fwords[next_rand() % 6] : "");
        return 1;
    case Q_AND:
        nw = 1 + (int)(next_rand() % 4);
        for (w = 0; w < nw; w++)
            n += (size_t)snprintf(q + n, cap - n, "%s %s ", qword(),
                                  next_rand() % 4 ? "" : fwords[next_rand() % 6]);
        return 0;
    case Q_MIN:
        nw = 5 + (int)(next_rand() % 4);
        for (w = 0; w < nw; w++)
            n += (size_t)snprintf(q + n, cap - n, "%s ", qword());
        if (next_rand() % 2)
            snprintf(q + n, cap - n, "%s", fwords[next_rand() % 6]);
        return 0;
    case Q_LONG:
        /* a pasted paragraph: many words, most of them needed */
        nw = 10 + (int)(next_rand() % 15);
        for (w = 0; w < nw; w++)
            n += (size_t)snprintf(q + n, cap - n, "%s %s ", qword(),
                                  next_rand() % 3 ? "" : fwords[next_rand() % 6]);
        return (int)(next_rand() % 4 == 0);
    default:
        switch (next_rand() % 4) {
        case 0:
            snprintf(q, cap, "title:%s %s", qword(), qword());
            break;
        case 1:
            snprintf(q, cap, "\"%s %s\" %s", qword(), qword(), qword());
            break;
        case 2:
            snprintf(q, cap, "%s %s -%s", qword(), qword(), qword());
            break;
        default:
            snprintf(q, cap, "%s OR title:%s OR \"%s %s\"", qword(), qword(), qword(), qword());
            break;
        }
        return (int)(next_rand() % 2);
    }
}

/* Runs 1,000 queries of every kind pruned and exhaustively with the k1 of
 * search() and checks the answers are the same; counts per kind the
 * searches where pruning skipped documents (skipped[]), where block bounds
 * skipped windows (windows[]) and where blocks were left undecoded. */
static void compare_runs(ni_index *idx, int *skipped, int *windows, int *unread)
{
    static run a, b;
    char q[1000];
    size_t ks[] = { 1, 10, 100 };
    int i, kind, mismatches = 0;

    for (i = 0; i < 1000; i++) {
        size_t ki;
        int or_mode;
        unsigned all;
        kind = i % Q_KINDS;
        or_mode = make_query(kind, q, sizeof q);
        /* half the long queries need all their words */
        all = (kind == Q_MIN || kind == Q_LONG) && i / Q_KINDS % 2 ? NI_SEARCH_ALL_WORDS : 0;
        for (ki = 0; ki < 3; ki++) {
            int j;
            CHECK_RC(search(idx, q, or_mode, ks[ki], all, &a), 0);
            CHECK_RC(search(idx, q, or_mode, ks[ki], all | NI_SEARCH_APPROX_TOTAL, &b), 0);
            if (a.n != b.n)
                mismatches++;
            for (j = 0; j < a.n && j < b.n; j++)
                if (strcmp(a.ids[j], b.ids[j]) != 0 || a.scores[j] != b.scores[j]) {
                    if (mismatches < 5)
                        fprintf(stderr, "query [%s] (%s) k=%zu rank %d: %s %.17g vs %s %.17g\n",
                                q, or_mode ? "or" : "and", ks[ki], j + 1, a.ids[j],
                                a.scores[j], b.ids[j], b.scores[j]);
                    mismatches++;
                    break;
                }
            CHECK(b.total <= a.total);
            skipped[kind] += b.total < a.total;
            windows[kind] += b.windows > 0;
            unread[kind] += b.headers_only > a.headers_only;
        }
    }
    CHECK(mismatches == 0);
}

/* 1 when id is among r's hits. */
static int has_id(const run *r, const char *id)
{
    int i;
    for (i = 0; i < r->n; i++)
        if (strcmp(r->ids[i], id) == 0)
            return 1;
    return 0;
}

/*
 * The default mode's partial matches, after fewer full ones than asked
 * for, are the best documents of the words OR-ed that are not full
 * matches, in that order and with those scores: the hits are the full
 * matches (NI_SEARCH_NO_PARTIAL) followed by the OR mode's hits less
 * those, up to k.  (search.c leaves the full matches out of the OR it
 * evaluates, and leaves proximity out of it for two words.)  Counts in
 * *cases[0] the searches with fewer full matches than k, in *cases[1]
 * those of two words.
 */
static void partial_as_or(ni_index *idx, int *cases)
{
    static run all, full, or, want;
    char q[1000];
    size_t ks[] = { 10, 100 };
    int i, mismatches = 0;

    for (i = 0; i < 150; i++) {
        size_t ki;
        int fl;
        if (i % 3 == 0)     /* two words, rarer ones: fewer full matches */
            snprintf(q, sizeof q, "%s %s", words[16 + next_rand() % 16],
                     words[16 + next_rand() % 16]);
        else
            make_query(i % 3 == 1 ? Q_AND : Q_MIN, q, sizeof q);
        for (ki = 0; ki < 2; ki++)
            for (fl = 0; fl < 2; fl++) {
                unsigned approx = fl ? NI_SEARCH_APPROX_TOTAL : 0;
                int j, nw = 0;
                const char *w;
                CHECK_RC(search(idx, q, 0, ks[ki], approx, &all), 0);
                CHECK_RC(search(idx, q, 0, ks[ki], approx | NI_SEARCH_NO_PARTIAL, &full), 0);
                CHECK_RC(search(idx, q, 1, ks[ki], approx, &or), 0);
                if ((size_t)full.n >= ks[ki])
                    continue;
                want = full;
                for (j = 0; j < or.n && (size_t)want.n < ks[ki]; j++)
                    if (!has_id(&full, or.ids[j])) {
                        strcpy(want.ids[want.n], or.ids[j]);
                        want.scores[want.n++] = or.scores[j];
                    }
                cases[0]++;
                for (w = q; *w;) {
                    while (*w == ' ')
                        w++;
                    nw += *w != 0;
                    while (*w && *w != ' ')
                        w++;
                }
                cases[1] += nw == 2;
                if (want.n != all.n)
                    mismatches++;
                for (j = 0; j < want.n && j < all.n; j++)
                    if (strcmp(want.ids[j], all.ids[j]) != 0 ||
                        want.scores[j] != all.scores[j]) {
                        if (mismatches < 5)
                            fprintf(stderr, "query [%s] k=%zu rank %d: %s %.17g, as OR %s %.17g\n",
                                    q, ks[ki], j + 1, all.ids[j], all.scores[j],
                                    want.ids[j], want.scores[j]);
                        mismatches++;
                        break;
                    }
            }
    }
    CHECK(mismatches == 0);
}

static void same_top_k(void)
{
    char dir[] = "/tmp/ni-prune-XXXXXX", cmd[100];
    ni_index *idx;
    int kind, pass;

    if (!mkdtemp(dir))
        return;
    idx = build(dir);
    for (pass = 0; pass < 3; pass++) {
        static const char *const names[] = { "defaults", "k1 1.2, proximity 0",
                                              "proximity 1" };
        int skipped[Q_KINDS] = { 0 }, windows[Q_KINDS] = { 0 }, unread[Q_KINDS] = { 0 };
        int partial[2] = { 0, 0 };
        k1 = pass == 1 ? 1.2 : -1;
        prox = pass == 1 ? 0 : pass == 2 ? 1.0 : -1;
        compare_runs(idx, skipped, windows, unread);
        partial_as_or(idx, partial);
        printf("%-20s %d searches with partial matches, %d of them of two words\n",
               names[pass], partial[0], partial[1]);
        CHECK(partial[0] > 100 && partial[1] > 30);
        for (kind = 0; kind < Q_KINDS; kind++) {
            printf("%-20s %-9s of 600 searches: %d skipped documents, %d skipped by block "
                   "bounds, %d left more blocks undecoded\n", names[pass],
                   kind_names[kind], skipped[kind], windows[kind], unread[kind]);
            /* pruning, and block-max pruning in particular, really happened
             * (words searched under several terms bound wider windows:
             * fewer are skipped whole) */
            CHECK(skipped[kind] > 60);
            CHECK(windows[kind] > (pass == 1 ? 5 : 0));
            CHECK(unread[kind] > 10);
        }
    }
    k1 = prox = -1;
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* All ids matching q into a 0/1 array indexed by doc number. */
static int matching(ni_index *idx, const char *q, int or_mode, unsigned flags,
                    unsigned char *hit)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit x;
    int n = 0;
    o.default_or = or_mode;
    o.limit = NDOCS;
    o.flags = flags | NI_SEARCH_IDS_ONLY | NI_SEARCH_NO_PARTIAL |  /* the match set */
              NI_SEARCH_NO_COLLAPSE;
    memset(hit, 0, NDOCS);
    if (ni_search(&h, idx, q, strlen(q), &o) < 0)
        return -1;
    while (ni_hits_next(h, &x) == 0) {
        hit[atoi(x.id + 1)] = 1;
        n++;
    }
    ni_hits_free(h);
    return n;
}

/* A long query (at least 5 words) matches exactly the documents holding
 * at least 60 % of its words, and with NI_SEARCH_ALL_WORDS those holding
 * all of them: checked word by word. */
static void minimum_match(void)
{
    static unsigned char want[NDOCS], got[NDOCS], one[NDOCS], want_all[NDOCS];
    static unsigned char counts[NDOCS];
    char dir[] = "/tmp/ni-minm-XXXXXX", q[400], cmd[100];
    ni_index *idx;
    int i, bad = 0, nonempty = 0, nonempty_all = 0, fewer = 0;

    if (!mkdtemp(dir))
        return;
    idx = build(dir);
    for (i = 0; i < 60; i++) {
        const char *w[8];
        size_t n = 0;
        int k, j, nw = 5 + (int)(next_rand() % 4), need, distinct = 0;
        memset(counts, 0, sizeof counts);
        for (k = 0; k < nw; k++) {
            int dup = 0;
            w[k] = words[next_rand() % (sizeof words / sizeof words[0])];
            for (j = 0; j < k; j++)
                dup |= w[j] == w[k];
            if (dup) {
                k--;
                continue;
            }
            n += (size_t)snprintf(q + n, sizeof q - n, "%s ", w[k]);
            CHECK(matching(idx, w[k], 0, 0, one) >= 0);
            for (j = 0; j < NDOCS; j++)
                counts[j] += one[j];
            distinct++;
        }
        need = (int)((double)distinct * NI_LONG_QUERY_SHARE + 0.999);
        for (j = 0; j < NDOCS; j++) {
            want[j] = counts[j] >= need;
            want_all[j] = counts[j] == distinct;
        }
        CHECK(matching(idx, q, 0, 0, got) >= 0);
        if (memcmp(want, got, sizeof want) != 0)
            bad++;
        for (j = 0; j < NDOCS; j++)
            nonempty += got[j];
        CHECK(matching(idx, q, 0, NI_SEARCH_ALL_WORDS, got) >= 0);
        if (memcmp(want_all, got, sizeof want_all) != 0)
            bad++;
        fewer += memcmp(want_all, want, sizeof want) != 0;
        for (j = 0; j < NDOCS; j++)
            nonempty_all += got[j];
    }
    CHECK(bad == 0);
    CHECK(nonempty > 0);
    CHECK(nonempty_all > 0);
    CHECK(fewer > 0);          /* the two modes differed */
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(TEST(same_top_k), TEST(minimum_match))
