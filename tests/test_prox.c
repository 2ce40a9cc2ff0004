/*
 * Proximity (lib/prox.c, and the positions of term.c it reads), driven
 * directly on a small index built through the library: the positions of a
 * term and of a word under two terms (merged, each once), the bonus of
 * every document against the formula of rank.h worked out from where the
 * words were put (in order and reversed, at every gap), the bound of the
 * bonus without positions above the bonus on every document, the shares
 * the pair bounds put on the rarer word, and ni_prune_topk on a tree with
 * the bonus against exhaustive scoring, also with documents left out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "match.h"
#include "mem.h"
#include "prox.h"
#include "prune.h"
#include "query.h"
#include "term.h"
#include "test.h"
#include "tmpdir.h"

#define N 400
#define W 0.3                  /* the proximity weight used here */

/* Document i: "alpha" first; when i % 10 == 1, "golf", gap(i) x "kilo",
 * "hotel"; when i % 10 == 3 the same reversed; when i % 10 == 7, "golf"
 * twice, "hotel" right after the second (two occurrences of golf, one
 * near); when i % 10 == 9, "golf" alone (golf is in 160 documents, hotel
 * in 120); when i % 10 == 5, the compound "lima-mike" (indexed whole
 * and by its parts, the whole at its first part's position); "zulu"
 * fillers vary the lengths; every title is "title". */
static uint32_t gap(uint32_t i)
{
    return (i / 10) % 7;
}

static ni_index *idx;
static ni_txn *txn;
static ni_match_ctx c;
static ni_analyzer *an;

static size_t add(char *p, size_t n, const char *w, unsigned times)
{
    while (times--)
        n += (size_t)sprintf(p + n, "%s ", w);
    return n;
}

static void teardown(void)
{
    ni_analyzer_free(an);
    ni_match_ctx_release(&c);
    ni_txn_abort(txn);
    ni_index_close(idx);
}

static void setup(void)
{
    static char text[2000], id[16];
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_meta meta;
    uint32_t i;

    if (idx)
        return;
    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    for (i = 0; i < N; i++) {
        ni_doc d = NI_DOC_INIT;
        size_t n = add(text, 0, "alpha", 1);
        if (i % 10 == 1 || i % 10 == 3) {
            n = add(text, n, i % 10 == 1 ? "golf" : "hotel", 1);
            n = add(text, n, "kilo", gap(i));
            n = add(text, n, i % 10 == 1 ? "hotel" : "golf", 1);
        } else if (i % 10 == 7) {
            n = add(text, n, "golf kilo kilo kilo kilo kilo kilo kilo golf hotel", 1);
        } else if (i % 10 == 9) {
            n = add(text, n, "golf", 1);
        } else if (i % 10 == 5) {
            n = add(text, n, "lima-mike", 1);
        }
        n = add(text, n, "zulu", i % 13);
        snprintf(id, sizeof id, "d%u", i);
        d.id = id;
        d.id_len = strlen(id);
        d.title = "title";
        d.title_len = 5;
        d.text = text;
        d.text_len = n;
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_txn_begin(&txn, idx->store, 0), 0);
    CHECK_RC(ni_meta_read(txn, &meta), 0);
    memset(&c, 0, sizeof c);
    c.txn = txn;
    c.bm25.k1 = o.k1;
    c.bm25.b = o.b;
    c.bm25.title_weight = o.title_weight;
    c.bm25.docs = (double)meta.docs;
    c.bm25.avg_title = (double)meta.sum_title / (double)meta.docs;
    c.bm25.avg_body = (double)meta.sum_body / (double)meta.docs;
    c.next_doc = (uint32_t)meta.next_doc;
    CHECK_RC(ni_analyzer_new(&an), 0);
    atexit(teardown);
}

/* The term the analyzer makes of word, in t (64 bytes); its length. */
static size_t term_of(const char *word, char *t)
{
    ni_token tok;
    setup();
    CHECK_RC(ni_analyzer_start(an, word, strlen(word), 0), 0);
    CHECK_RC(ni_analyzer_next(an, &tok), 0);
    CHECK(tok.term_len < 64);
    memcpy(t, tok.term, tok.term_len);
    return tok.term_len;
}

static ni_matcher *term(const char *word)
{
    ni_matcher *m = NULL;
    char t[64];
    size_t n = term_of(word, t);
    CHECK_RC(ni_match_term(&m, &c, t, n, NI_QFIELD_ANY, 1), 0);
    return m;
}

/* Body positions start at title length 1 + NI_BODY_GAP: alpha is there. */
#define BODY0 (1 + NI_BODY_GAP)

/* A term's positions and frequency; a word under two terms (golf, kilo):
 * their positions merged in order; under a compound and its first part:
 * their one position once. */
static void positions_of_words(void)
{
    ni_matcher *g = term("golf"), *w = NULL;
    uint32_t *pos = NULL, n = 0, cap = 0;
    char t1[64], t2[64];
    ni_alts a;

    CHECK_RC(ni_matcher_advance(g, 21), 0);        /* gap 2: golf kilo kilo hotel */
    CHECK(g->doc == 21);
    CHECK_RC(ni_match_positions(g, &pos, &n, &cap), 0);
    CHECK(n == 1 && pos[0] == BODY0 + 1);
    CHECK(ni_match_tf(g) == 1);
    CHECK_RC(ni_matcher_advance(g, 27), 0);        /* golf at 1 and 9 */
    CHECK_RC(ni_match_positions(g, &pos, &n, &cap), 0);
    CHECK(n == 2 && pos[0] == BODY0 + 1 && pos[1] == BODY0 + 9);
    CHECK(ni_match_tf(g) == 2);
    CHECK(ni_match_idf(g) > 0);

    memset(&a, 0, sizeof a);
    CHECK(ni_alts_add(&a, &c, t1, term_of("golf", t1)) == 1);
    CHECK(ni_alts_add(&a, &c, t2, term_of("kilo", t2)) == 1);
    CHECK_RC(ni_match_word(&w, &c, &a, NI_QFIELD_ANY), 0);
    CHECK_RC(ni_matcher_advance(w, 21), 0);
    CHECK_RC(ni_match_positions(w, &pos, &n, &cap), 0);
    CHECK(n == 3 && pos[0] == BODY0 + 1 && pos[1] == BODY0 + 2 && pos[2] == BODY0 + 3);
    CHECK(ni_match_tf(w) >= n);
    CHECK(ni_match_idf(w) > 0);
    CHECK_RC(ni_matcher_advance(w, 23), 0);        /* hotel kilo kilo golf */
    CHECK_RC(ni_match_positions(w, &pos, &n, &cap), 0);
    CHECK(n == 3 && pos[0] == BODY0 + 2 && pos[2] == BODY0 + 4);
    ni_matcher_free(w);
    memset(&a, 0, sizeof a);
    CHECK(ni_alts_add(&a, &c, t1, term_of("lima-mike", t1)) == 1);
    CHECK(ni_alts_add(&a, &c, t2, term_of("lima", t2)) == 1);
    CHECK_RC(ni_match_word(&w, &c, &a, NI_QFIELD_ANY), 0);
    CHECK(w->doc == 5);
    CHECK_RC(ni_match_positions(w, &pos, &n, &cap), 0);
    CHECK(n == 1 && pos[0] == BODY0 + 1);
    ni_matcher_free(g);
    ni_matcher_free(w);
    ni_mem_free(pos);
}

/* The closeness rank.h gives document i for "golf hotel" (for "hotel
 * golf" when reversed). */
static double closeness_of(uint32_t i, int reversed)
{
    uint32_t d;
    if (i % 10 == 7)                                /* golf at 1 and 9, hotel at 10 */
        return reversed ? 1.0 / 9 : 1.0;
    if (i % 10 == (reversed ? 3u : 1u))
        d = gap(i) + 1;                             /* in order, gap words between */
    else if (i % 10 == (reversed ? 1u : 3u))
        d = gap(i) + 3;                             /* reversed: (g + 1) + 1 + 1 */
    else
        return 0;
    return d <= NI_PROX_WINDOW ? 1.0 / (d * d) : 0;
}

/* The bonus of p at its document given a threshold: the exact bonus b
 * when kid + b can reach it, a value that cannot when kid + b cannot (the
 * bonus may stop reading positions then). */
static int keeps_contract(ni_matcher *p, const ni_docinfo *di, double kid, double b)
{
    static const double f[] = { 0.5, 0.9, 0.999999, 1.0, 1.000001, 1.1, 1.5, 3, 1e9 };
    size_t j;
    int ok = 1;
    for (j = 0; j < sizeof f / sizeof f[0]; j++) {
        double theta = (kid + b) * f[j] + (f[j] > 1e6 ? 1.0 : 0.0), v;
        CHECK_RC(ni_matcher_bonus(p, p->doc, di, kid, theta, &v), 0);
        ok &= ni_hopeless(kid, b, theta) ? ni_hopeless(kid, v, theta) : v == b;
    }
    return ok;
}

/* prox(OR(golf, hotel)) scored on every document, exhaustively, for the
 * words in both orders: the bonus is the formula's (the commoner word's
 * idf), below its bound; the pair's bound is a share of the rarer word. */
static void bonus_of_every_document(void)
{
    int reversed;
    for (reversed = 0; reversed < 2; reversed++) {
        ni_matcher *g = term("golf"), *h = term("hotel"), *words[2], *or = NULL, *p = NULL;
        uint32_t qpos[2] = { 0, 1 };
        double gmax = g->max_score, hmax = h->max_score, pmax, idf;
        int seen = 0, near = 0, near_want = 0, bad = 0, over = 0;

        words[reversed] = g;
        words[!reversed] = h;
        idf = ni_match_idf(g);                      /* golf is the commoner */
        CHECK(idf < ni_match_idf(h));
        pmax = ni_prox_max(W, ni_match_idf(g), ni_match_idf(h));
        ni_prox_share(words, qpos, 2, W);
        CHECK(g->share == 0 && g->max_score == gmax);
        CHECK(h->share == pmax && h->max_score == hmax + pmax);
        CHECK_RC(ni_match_or(&or, words, 2, 1), 0);
        CHECK_RC(ni_match_prox(&p, or, words, qpos, 2, W), 0);
        while (p->doc != NI_NO_DOC) {
            ni_docinfo di;
            double kid, total, b;
            double want = ni_prox_bonus(W, idf, idf, closeness_of(p->doc, reversed));
            CHECK(ni_match_docinfo(&c, p->doc, &di) == 1);
            kid = or->ops->score(or, &di);
            total = p->ops->score(p, &di);
            CHECK_RC(ni_matcher_bonus(p, p->doc, &di, kid, -HUGE_VAL, &b), 0);
            bad += fabs(b - want) > 1e-12 || total != kid + b;
            over += !keeps_contract(p, &di, kid, b);
            near += b > 0;
            near_want += want > 0;
            seen++;
            CHECK_RC(p->ops->next(p), 0);
        }
        CHECK(bad == 0);
        CHECK(over == 0);
        CHECK(seen == 160);
        /* in order with gaps 0..4, reversed with gaps 0..2, the % 10 == 7 */
        CHECK(near == near_want && near > 40 && near < 120);
        ni_matcher_free(p);
    }
}

/* Words NI_PROX_QDIST_MAX apart in the query still form a pair (the
 * rarer one carries the pair's bound); one position further they do not. */
static void query_distance_limit(void)
{
    uint32_t d;
    for (d = NI_PROX_QDIST_MAX - 1; d <= NI_PROX_QDIST_MAX + 1; d++) {
        ni_matcher *g = term("golf"), *h = term("hotel"), *words[2];
        uint32_t qpos[2] = { 5, 5 + d };
        double hmax = h->max_score, pmax = ni_prox_max(W, ni_match_idf(g), ni_match_idf(h));
        words[0] = g;
        words[1] = h;
        ni_prox_share(words, qpos, 2, W);
        if (d <= NI_PROX_QDIST_MAX)
            CHECK(h->share == pmax && h->max_score == hmax + pmax);
        else
            CHECK(h->share == 0 && h->max_score == hmax);
        ni_matcher_free(g);
        ni_matcher_free(h);
    }
}

/* prox(OR(alpha, golf, hotel)): two pairs, (alpha, golf) standing together
 * where golf comes first; the bonus given a threshold keeps its contract
 * on every document, where reading the second pair may be left out. */
static void threshold_with_two_pairs(void)
{
    ni_matcher *words[3], *or = NULL, *p = NULL;
    uint32_t qpos[3] = { 0, 1, 2 };
    int bad = 0, two = 0;

    words[0] = term("alpha");
    words[1] = term("golf");
    words[2] = term("hotel");
    ni_prox_share(words, qpos, 3, W);
    CHECK_RC(ni_match_or(&or, words, 3, 1), 0);
    CHECK_RC(ni_match_prox(&p, or, words, qpos, 3, W), 0);
    while (p->doc != NI_NO_DOC) {
        ni_docinfo di;
        double kid, b;
        CHECK(ni_match_docinfo(&c, p->doc, &di) == 1);
        kid = or->ops->score(or, &di);
        CHECK_RC(ni_matcher_bonus(p, p->doc, &di, kid, -HUGE_VAL, &b), 0);
        bad += !keeps_contract(p, &di, kid, b);
        two += p->doc % 10 == 1 && closeness_of(p->doc, 0) > 0;
        CHECK_RC(p->ops->next(p), 0);
    }
    CHECK(bad == 0);
    CHECK(two > 10);
    ni_matcher_free(p);
}

/* The bonus of doc for the words w[0..n) (OR-ed, query positions 0..n-1),
 * and in *shares the sum of the shares put on them. */
static double bonus_of(const char *const *w, size_t n, uint32_t doc, double *shares)
{
    ni_matcher *words[8] = { 0 }, *or = NULL, *p = NULL;
    uint32_t qpos[8] = { 0 };
    ni_docinfo di;
    double b = -1;
    size_t k;
    for (k = 0; k < n; k++) {
        words[k] = term(w[k]);
        qpos[k] = (uint32_t)k;
    }
    ni_prox_share(words, qpos, n, W);
    for (*shares = 0, k = 0; k < n; k++)
        *shares += words[k]->share;
    CHECK_RC(ni_match_or(&or, words, n, 1), 0);
    CHECK_RC(ni_match_prox(&p, or, words, qpos, n, W), 0);
    CHECK_RC(p->ops->advance(p, doc), 0);
    CHECK(ni_match_docinfo(&c, doc, &di) == 1);
    if (p->doc == doc)
        CHECK_RC(ni_matcher_bonus(p, doc, &di, 0, -HUGE_VAL, &b), 0);
    ni_matcher_free(p);
    return b;
}

/* Of the four pairs of «alpha golf hotel kilo zulu», the three with the
 * largest bounds count: alpha is in every document, so (alpha, golf),
 * which stand together in document 9, adds nothing there; alone, it does. */
static void three_pairs_count(void)
{
    static const char *const five[] = { "alpha", "golf", "hotel", "kilo", "zulu" };
    ni_matcher *m[5];
    double shares, s2, want = 0;
    size_t k;
    for (k = 0; k < 5; k++)
        m[k] = term(five[k]);
    for (k = 1; k + 1 < 5; k++)
        want += ni_prox_max(W, ni_match_idf(m[k]), ni_match_idf(m[k + 1]));
    for (k = 0; k < 5; k++)
        ni_matcher_free(m[k]);
    CHECK(bonus_of(five, 5, 9, &shares) == 0);
    CHECK(fabs(shares - want) < 1e-12);
    CHECK(bonus_of(five, 2, 9, &s2) > 0);
    CHECK(s2 > 0 && s2 < shares);
    /* document 1: golf and hotel together, counted among five as alone */
    CHECK(bonus_of(five, 5, 1, &shares) == bonus_of(five + 1, 2, 1, &s2));
    CHECK(bonus_of(five + 1, 2, 1, &s2) > 0);
}

/* ni_collect_fn keeping the top 10 scores (and the ids) in a small array. */
typedef struct top {
    uint32_t doc[10];
    double score[10];
    size_t n;
} top;

static void top_add(top *t, uint32_t doc, double score)
{
    size_t i;
    if (t->n == 10 && !(score > t->score[9] || (score == t->score[9] && doc < t->doc[9])))
        return;
    i = t->n < 10 ? t->n++ : 9;
    while (i > 0 && (score > t->score[i - 1] ||
                     (score == t->score[i - 1] && doc < t->doc[i - 1]))) {
        t->doc[i] = t->doc[i - 1];
        t->score[i] = t->score[i - 1];
        i--;
    }
    t->doc[i] = doc;
    t->score[i] = score;
}

static double collect(void *arg, uint32_t doc, double score, const ni_docinfo *di)
{
    top *t = arg;
    (void)di;
    if (doc != NI_NO_DOC)
        top_add(t, doc, score);
    return t->n == 10 ? t->score[9] : -HUGE_VAL;
}

/* prox(OR(alpha, golf, hotel)) (shape 0) or prox(AND(golf, hotel)), the
 * words' shares set first. */
static ni_matcher *prox_tree(int shape)
{
    ni_matcher *words[3], *tree = NULL, *p = NULL;
    uint32_t qpos[3] = { 0, 1, 2 };
    words[0] = term("alpha");
    words[1] = term("golf");
    words[2] = term("hotel");
    ni_prox_share(words, qpos, 3, 1.0);
    if (shape == 0)
        CHECK_RC(ni_match_or(&tree, words, 3, 1), 0);
    else {
        CHECK_RC(ni_match_and(&tree, words + 1, 2, NULL, 0, NULL, 0), 0);
        ni_matcher_free(words[0]);
    }
    CHECK_RC(ni_match_prox(&p, tree, shape ? words + 1 : words, shape ? qpos + 1 : qpos,
                           shape ? 2 : 3, 1.0), 0);
    return p;
}

/* 1 when doc is among skip[0..n). */
static int among(const uint32_t *skip, size_t n, uint32_t doc)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (skip[i] == doc)
            return 1;
    return 0;
}

/*
 * The pruned top 10 is the exhaustive one, scores to the last bit: an OR
 * whose candidates hold one word (no bonus asked for), two (alpha and golf
 * stand together in documents 9, 19, ...) or three, and an AND; with no
 * documents left out, and with lists of documents to leave out
 * (ni_prune_topk's skip): the best one, the best three, the tenth and the
 * eleventh (the boundary of the top 10), the first and last documents and
 * one no tree matches (document 5 holds neither golf nor hotel).
 */
static void pruned_equals_exhaustive(void)
{
    static const uint32_t none[1] = { 0 };
    int shape, s;
    for (shape = 0; shape < 2; shape++) {
        top ref = { 0 };
        ni_matcher *p = prox_tree(shape);
        while (p->doc != NI_NO_DOC) {
            ni_docinfo di;
            CHECK(ni_match_docinfo(&c, p->doc, &di) == 1);
            top_add(&ref, p->doc, p->ops->score(p, &di));
            CHECK_RC(p->ops->next(p), 0);
        }
        ni_matcher_free(p);
        CHECK(ref.n == 10);
        for (s = 0; s < 6; s++) {
            uint32_t skip[4];
            const uint32_t *sk = skip;
            size_t n = 0, i;
            top ex = { 0 }, pr = { 0 };
            switch (s) {
            case 0: sk = none; break;
            case 1: skip[n++] = ref.doc[0]; break;
            case 2: skip[n++] = ref.doc[0]; skip[n++] = ref.doc[1]; skip[n++] = ref.doc[2]; break;
            case 3: skip[n++] = ref.doc[9]; break;
            case 4: skip[n++] = 0; skip[n++] = 5; skip[n++] = N - 1; break;
            default: skip[n++] = ref.doc[9]; skip[n++] = ref.doc[8]; break;
            }
            /* ascending, as ni_prune_topk wants them */
            for (i = 1; i < n; i++) {
                uint32_t x = skip[i];
                size_t j = i;
                while (j > 0 && skip[j - 1] > x) {
                    skip[j] = skip[j - 1];
                    j--;
                }
                skip[j] = x;
            }
            p = prox_tree(shape);
            while (p->doc != NI_NO_DOC) {
                ni_docinfo di;
                CHECK(ni_match_docinfo(&c, p->doc, &di) == 1);
                if (!among(sk, n, p->doc))
                    top_add(&ex, p->doc, p->ops->score(p, &di));
                CHECK_RC(p->ops->next(p), 0);
            }
            ni_matcher_free(p);
            p = prox_tree(shape);
            CHECK_RC(ni_prune_topk(p, &c, sk, n, collect, &pr), 0);
            ni_matcher_free(p);
            CHECK(ex.n == 10 && pr.n == 10);
            for (i = 0; i < 10; i++)
                CHECK(ex.doc[i] == pr.doc[i] && ex.score[i] == pr.score[i]);
            for (i = 0; i < 10; i++)
                CHECK(!among(sk, n, pr.doc[i]));
        }
    }
}

TEST_MAIN(TEST(positions_of_words), TEST(bonus_of_every_document), TEST(query_distance_limit),
          TEST(threshold_with_two_pairs), TEST(three_pairs_count),
          TEST(pruned_equals_exhaustive))
