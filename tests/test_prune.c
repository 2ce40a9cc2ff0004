/*
 * Dynamic pruning against the exhaustive reference: on a generated
 * collection with a skewed vocabulary, many OR queries (with function
 * words, which become optional scorers) must give the same top k, in the
 * same order, with the same scores, with and without
 * NI_SEARCH_APPROX_TOTAL; the pruned total is a lower bound.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* a skewed pick: low indexes far more often */
static const char *pick(void)
{
    unsigned r = next_rand() % 1000, i = 0, n = sizeof words / sizeof words[0];
    while (i + 1 < n && r < 1000u * (n - i - 1) / (n - i) / 2 + 250)
        i++, r = next_rand() % 1000;
    return words[i];
}

static ni_index *build(const char *dir)
{
    ni_index *idx = NULL;
    char text[4000], title[300], id[16];
    int d;
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    for (d = 0; d < 3000; d++) {
        ni_doc doc = NI_DOC_INIT;
        size_t n = 0, t = 0;
        int w, len = 5 + (int)(next_rand() % 120);
        for (w = 0; w < len; w++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s %s ", pick(),
                                  next_rand() % 3 ? fwords[next_rand() % 6] : "");
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
    return idx;
}

typedef struct run { char ids[100][16]; double scores[100]; int n; uint64_t total; } run;

static int search(ni_index *idx, const char *q, size_t k, unsigned flags, run *r)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    o.default_or = 1;
    o.limit = k;
    o.flags = flags | NI_SEARCH_IDS_ONLY;
    if (ni_search(&h, idx, q, strlen(q), &o) < 0)
        return -1;
    r->n = 0;
    while (ni_hits_next(h, &hit) == 0 && r->n < 100) {
        snprintf(r->ids[r->n], sizeof r->ids[0], "%.*s", (int)hit.id_len, hit.id);
        r->scores[r->n++] = hit.score;
    }
    r->total = ni_hits_total(h);
    if (!flags && !ni_hits_total_is_exact(h))
        r->total = UINT64_MAX;         /* the reference must be exact */
    ni_hits_free(h);
    return 0;
}

static void same_top_k(void)
{
    static run a, b;
    char dir[] = "/tmp/ni-prune-XXXXXX", q[400], cmd[100];
    ni_index *idx;
    size_t ks[] = { 1, 10, 100 };
    int i, mismatches = 0, pruned_less = 0;

    if (!mkdtemp(dir))
        return;
    idx = build(dir);
    for (i = 0; i < 300; i++) {
        size_t n = 0, ki;
        int w, nw = 2 + (int)(next_rand() % 7);
        for (w = 0; w < nw; w++)
            n += (size_t)snprintf(q + n, sizeof q - n, "%s %s ", pick(),
                                  next_rand() % 2 ? fwords[next_rand() % 6] : "");
        for (ki = 0; ki < 3; ki++) {
            int j;
            CHECK_RC(search(idx, q, ks[ki], 0, &a), 0);
            CHECK_RC(search(idx, q, ks[ki], NI_SEARCH_APPROX_TOTAL, &b), 0);
            if (a.n != b.n)
                mismatches++;
            for (j = 0; j < a.n && j < b.n; j++)
                if (strcmp(a.ids[j], b.ids[j]) != 0 || fabs(a.scores[j] - b.scores[j]) > 1e-9) {
                    if (!mismatches)
                        fprintf(stderr, "query [%s] k=%zu rank %d: %s %.12f vs %s %.12f\n",
                                q, ks[ki], j + 1, a.ids[j], a.scores[j], b.ids[j], b.scores[j]);
                    mismatches++;
                    break;
                }
            CHECK(b.total <= a.total);
            pruned_less += b.total < a.total;
        }
    }
    CHECK(mismatches == 0);
    CHECK(pruned_less > 100);          /* pruning really skipped documents */
    printf("%d of 900 searches skipped documents\n", pruned_less);
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* All ids matching q (up to 4000) into a 0/1 array indexed by doc number. */
static int matching(ni_index *idx, const char *q, int or_mode, unsigned char *hit)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit x;
    int n = 0;
    o.default_or = or_mode;
    o.limit = 4000;
    o.flags = NI_SEARCH_IDS_ONLY;
    memset(hit, 0, 3000);
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
 * at least 60 % of its words: checked word by word. */
static void minimum_match(void)
{
    static unsigned char want[3000], got[3000], one[3000];
    static unsigned char counts[3000];
    char dir[] = "/tmp/ni-minm-XXXXXX", q[400], cmd[100];
    ni_index *idx;
    int i, bad = 0, nonempty = 0;

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
            CHECK(matching(idx, w[k], 0, one) >= 0);
            for (j = 0; j < 3000; j++)
                counts[j] += one[j];
            distinct++;
        }
        need = (int)((double)distinct * 0.6 + 0.999);
        for (j = 0; j < 3000; j++)
            want[j] = counts[j] >= need;
        CHECK(matching(idx, q, 0, got) >= 0);
        if (memcmp(want, got, sizeof want) != 0)
            bad++;
        for (j = 0; j < 3000; j++)
            nonempty += got[j];
    }
    CHECK(bad == 0);
    CHECK(nonempty > 0);
    ni_index_close(idx);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

TEST_MAIN(TEST(same_top_k), TEST(minimum_match))
