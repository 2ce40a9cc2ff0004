/*
 * ni_explain end to end, through the public header.  On a generated index
 * (real words, random titles, bodies, rubrics and dates; a document
 * replaced and one deleted), for every query of a set, under every option
 * set, and every document: the explanation matches when and as ni_search
 * returns the document (fully or partly), with the same score to the last
 * bit and the same rank, its counted term lines and its proximity bonus
 * add up to the score (no bonus with proximity 0), and a document that
 * does not match fully has reasons.  Then, on small hand-made
 * indexes: the share rule of long queries at its bounds on both sides, a
 * partial match and what it lacks, each kind of reason with the part of the
 * query it quotes, the kinds of term lines, and errors.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"
#include "tmpdir.h"

/* ---- the generated index ----------------------------------------------- */

#define NDOCS 140

static const char *const vocab[] = {
    "школа", "школы", "мэров", "мэр", "мэрия", "мост", "мосты", "Москва", "Москве",
    "театр", "театра", "билеты", "балет", "снег", "погода", "рубль", "рубля", "курс",
    "доллара", "банк", "выставка", "музей", "футбол", "матч", "команда", "памятник",
    "город", "района", "Ростов", "Ростове", "Ростова", "Песков", "Пескова", "Ростов-на-Дону",
    "в", "на", "и", "для", "не", "с",
};
#define NVOCAB (sizeof vocab / sizeof vocab[0])
static const char *const rubrics[] = { "Общество", "Спорт", "Экономика" };

static ni_index *gen;
static uint32_t seed = 12345;

static uint32_t rnd(uint32_t n)
{
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
}

static void words(char *out, size_t size, uint32_t n)
{
    size_t at = 0;
    uint32_t i;
    out[0] = '\0';
    for (i = 0; i < n; i++)
        at += (size_t)snprintf(out + at, size - at, "%s%s", i ? " " : "",
                               vocab[rnd((uint32_t)NVOCAB)]);
}

static void add_generated(ni_index *idx, unsigned i)
{
    char id[16], title[512], text[4096], date[16];
    ni_doc d = NI_DOC_INIT;
    snprintf(id, sizeof id, "g%u", i);
    words(title, sizeof title, 2 + rnd(6));
    words(text, sizeof text, 5 + rnd(60));
    d.id = id;
    d.id_len = strlen(id);
    d.title = title;
    d.title_len = strlen(title);
    d.text = text;
    d.text_len = strlen(text);
    if (rnd(10)) {
        d.rubric = rubrics[rnd(3)];
        d.rubric_len = strlen(d.rubric);
    }
    if (rnd(10)) {
        snprintf(date, sizeof date, "%u-%02u-%02u", 2023 + rnd(2), 1 + rnd(12), 1 + rnd(28));
        CHECK_RC(ni_date_parse(&d.date, date, strlen(date)), 0);
    }
    CHECK_RC(ni_index_add(idx, &d), 0);
}

static void setup_generated(void)
{
    unsigned i;
    if (gen)
        return;
    CHECK_RC(ni_index_open(&gen, test_new_dir(), NULL), 0);
    for (i = 0; i < NDOCS; i++)
        add_generated(gen, i);
    CHECK_RC(ni_index_commit(gen), 0);
    /* one document replaced, one deleted: df and N count live documents */
    add_generated(gen, 7);
    CHECK_RC(ni_index_delete(gen, "g8", 2), 0);
    CHECK_RC(ni_index_commit(gen), 0);
}

static const char *const queries[] = {
    "школа", "школа мэров", "школа для мэров", "ростове", "Ростова", "пескова", "песков",
    "мост OR театр", "мост | театр -москва", "(школа OR мост) -снег", "мост (театр | балет)",
    "\"школа мэров\"", "\"ростове на дону\"", "\"мост город\"~3", "мэр*", "теат*",
    "title:мост", "title:(школа OR мост)", "title:\"школы мэров\"", "rubric:спорт мост",
    "мост date:2024", "театр after:2024-06-01", "before:2024 снег", "-москва", "date:2023",
    "школа мэров мост театр", "школа мэров мост театр снег",
    "школа мэров мост театр снег погода рубль", "курс доллара банк рубль музей выставка",
    "Ростов-на-Дону", "ростов-на-дону мост", "в на и", "для", "«»", "школа AND мост",
    "школа мост город", "мэр мэрия", "школа школа", "мост OR -снег", "title:мост театр снег",
};
#define NQUERIES (sizeof queries / sizeof queries[0])

/* A hit of a search with every match. */
typedef struct hitinfo {
    double score;
    size_t rank;
    int partial;
} hitinfo;

/* Every hit of q with o (limit NDOCS), by document number (-1: not a hit). */
static int all_hits(ni_index *idx, const char *q, const ni_search_options *o,
                    hitinfo *by_doc, int *found)
{
    ni_hits *h = NULL;
    ni_hit hit;
    int rc, i;
    for (i = 0; i < NDOCS; i++)
        found[i] = 0;
    if ((rc = ni_search(&h, idx, q, strlen(q), o)) < 0)
        return rc;
    while ((rc = ni_hits_next(h, &hit)) == 0) {
        int d = atoi(hit.id + 1);
        found[d] = 1;
        by_doc[d].score = hit.score;
        by_doc[d].rank = hit.rank;
        by_doc[d].partial = ni_hits_is_partial(h);
    }
    ni_hits_free(h);
    return rc == NI_DONE ? 0 : rc;
}

/* The checks on one document's explanation against its hit (or none). */
static size_t with_bonus;   /* explanations with a proximity bonus */

static int check_doc(ni_index *idx, const char *q, const ni_search_options *o, int d,
                     const hitinfo *hit, int found)
{
    ni_explanation *ex = NULL;
    char id[16];
    double sum = 0;
    size_t i, nr;
    int m, bad = 0, rc;

    snprintf(id, sizeof id, "g%d", d);
    rc = ni_explain(&ex, idx, q, strlen(q), id, strlen(id), o);
    if (d == 8)
        return rc != NI_ENOTFOUND;      /* deleted */
    if (rc != 0)
        return 1;
    m = ni_explanation_match(ex);
    nr = ni_explanation_reason_count(ex);
    for (i = 0; i < ni_explanation_term_count(ex); i++) {
        ni_explain_term t;
        if (ni_explanation_term(&t, ex, i) < 0)
            bad++;
        else if (t.counted)
            sum += t.score;
        else if (t.score != 0)
            bad++;
    }
    sum += ni_explanation_proximity(ex);
    with_bonus += ni_explanation_proximity(ex) > 0;
    bad += ni_explanation_proximity(ex) < 0 ||
           (o->proximity == 0 && ni_explanation_proximity(ex) != 0);
    if (found) {
        bad += m != (hit->partial ? NI_EXPLAIN_PARTIAL : NI_EXPLAIN_FULL);
        bad += ni_explanation_score(ex) != hit->score;          /* to the last bit */
        bad += ni_explanation_rank(ex) != hit->rank;
        bad += fabs(sum - hit->score) > 1e-9 * (1 + hit->score);
        bad += (m == NI_EXPLAIN_FULL) != (nr == 0);
    } else {
        /* not a hit: no match, or a partial match of a strict search */
        bad += m == NI_EXPLAIN_FULL;
        bad += m == NI_EXPLAIN_PARTIAL && !(o->flags & NI_SEARCH_NO_PARTIAL) &&
               !(o->flags & NI_SEARCH_ALL_WORDS) && !o->default_or;
        bad += nr == 0 || ni_explanation_rank(ex) != 0;
    }
    if (bad)
        fprintf(stderr, "[%s] %s flags %u or %d: match %d score %.17g rank %zu sum %.17g "
                "reasons %zu; hit %d partial %d score %.17g rank %zu\n", q, id, o->flags,
                o->default_or, m, ni_explanation_score(ex), ni_explanation_rank(ex), sum, nr,
                found, found ? hit->partial : 0, found ? hit->score : 0,
                found ? hit->rank : 0);
    ni_explanation_free(ex);
    return bad;
}

/* Every query, every option set, every document: the explanation agrees
 * with ni_search (pruned or not) to the last bit. */
static void agrees_with_search(void)
{
    static const struct { unsigned flags; int or_mode, sort; double k1, b, w, prox; } sets[] = {
        { 0, 0, NI_SORT_RELEVANCE, 1.2, 0.75, 2.0, 0.3 },
        { 0, 1, NI_SORT_RELEVANCE, 1.2, 0.75, 2.0, 0.3 },
        { NI_SEARCH_ALL_WORDS, 0, NI_SORT_RELEVANCE, 1.2, 0.75, 2.0, 0.3 },
        { NI_SEARCH_NO_PARTIAL, 0, NI_SORT_RELEVANCE, 1.2, 0.75, 2.0, 0.3 },
        { NI_SEARCH_APPROX_TOTAL, 0, NI_SORT_RELEVANCE, 1.2, 0.75, 2.0, 0.3 },
        { NI_SEARCH_APPROX_TOTAL, 1, NI_SORT_RELEVANCE, 1.2, 0.75, 2.0, 0.3 },
        { 0, 0, NI_SORT_DATE, 1.2, 0.75, 2.0, 0.3 },
        { NI_SEARCH_APPROX_TOTAL, 0, NI_SORT_RELEVANCE, 0.9, 0.4, 3.0, 1.0 },
        { NI_SEARCH_APPROX_TOTAL, 1, NI_SORT_RELEVANCE, 0.3, 0.75, 2.0, 0 },
    };
    static hitinfo hits[NDOCS];
    static int found[NDOCS];
    size_t q, k, matched = 0, partial = 0, checked = 0;
    int d, bad = 0;

    setup_generated();
    for (k = 0; k < sizeof sets / sizeof sets[0]; k++) {
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        o.limit = NDOCS;
        o.flags = sets[k].flags;
        o.default_or = sets[k].or_mode;
        o.sort = sets[k].sort;
        o.k1 = sets[k].k1;
        o.b = sets[k].b;
        o.title_weight = sets[k].w;
        o.proximity = sets[k].prox;
        for (q = 0; q < NQUERIES; q++) {
            CHECK_RC(all_hits(gen, queries[q], &o, hits, found), 0);
            for (d = 0; d < NDOCS; d++) {
                bad += check_doc(gen, queries[q], &o, d, &hits[d], found[d]);
                matched += (size_t)found[d];
                partial += (size_t)(found[d] && hits[d].partial);
                checked++;
            }
        }
    }
    CHECK(bad == 0);
    /* the set is not trivial: many hits, partial ones among them */
    CHECK(matched > checked / 5 && partial > 100);
    CHECK(with_bonus > matched / 20);
    printf("%zu explanations, %zu of hits (%zu partial)\n", checked, matched, partial);
}

/* ---- hand-made indexes -------------------------------------------------- */

/* ni_explain of NUL-terminated q and id. */
static int explain(ni_explanation **ex, ni_index *idx, const char *q, const char *id,
                   const ni_search_options *o)
{
    return ni_explain(ex, idx, q, strlen(q), id, strlen(id), o);
}

/* An index of the given (id, title, text) triples. */
static ni_index *small_index(const char *const (*docs)[3], size_t n)
{
    ni_index *idx = NULL;
    size_t i;
    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    for (i = 0; i < n; i++) {
        ni_doc d = NI_DOC_INIT;
        d.id = docs[i][0];
        d.id_len = strlen(d.id);
        d.title = docs[i][1];
        d.title_len = strlen(d.title);
        d.text = docs[i][2];
        d.text_len = strlen(d.text);
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
    return idx;
}

/* The explanation of id for q: "full", "partial" or "none", then each
 * reason as " kind:query" (too few: " too_few(held/needed/of):query"). */
static void summary(ni_index *idx, const char *q, unsigned flags, const char *id, char *out,
                    size_t size)
{
    static const char *const match[] = { "none", "full", "partial" };
    static const char *const kinds[] = { "?", "lacks", "excluded", "date", "rubric",
                                         "too_few", "none_of", "empty" };
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_explanation *ex;
    size_t n, i;
    int rc;

    o.flags = flags;
    if ((rc = explain(&ex, idx, q, id, &o)) < 0) {
        snprintf(out, size, "ERR %d", rc);
        return;
    }
    n = (size_t)snprintf(out, size, "%s", match[ni_explanation_match(ex)]);
    for (i = 0; i < ni_explanation_reason_count(ex); i++) {
        ni_explain_reason r;
        CHECK_RC(ni_explanation_reason(&r, ex, i), 0);
        if (r.kind == NI_WHY_TOO_FEW)
            n += (size_t)snprintf(out + n, size - n, " too_few(%zu/%zu/%zu):%.*s", r.held,
                                  r.needed, r.of, (int)r.query_len, r.query);
        else
            n += (size_t)snprintf(out + n, size - n, " %s:%.*s", kinds[r.kind],
                                  (int)r.query_len, r.query);
    }
    ni_explanation_free(ex);
}

#define EXPECT(idx, q, flags, id, want) do { char got_[512]; \
    summary(idx, q, flags, id, got_, sizeof got_); \
    if (strcmp(got_, want) != 0) { \
        fprintf(stderr, "%s:%d: [%s] %s: got '%s', want '%s'\n", __FILE__, __LINE__, q, id, \
                got_, want); \
        CHECK(!"explanation differs"); } } while (0)

/* Five or more plain words need 60 % of them (rounded up), fewer need
 * all: on both sides of each bound. */
static void long_queries(void)
{
    static const char *const docs[][3] = {
        { "w2", "кот", "пес" },
        { "w3", "кот пес", "лес" },
        { "w4", "кот пес лес", "дом" },
        { "w5", "кот пес лес дом", "сад" },
    };
    ni_index *idx = small_index(docs, 4);
    const char *q4 = "кот пес лес дом", *q5 = "кот пес лес дом сад",
               *q6 = "кот пес лес дом сад мост";

    /* four words: all required; three of them is partial */
    EXPECT(idx, q4, 0, "w4", "full");
    EXPECT(idx, q4, 0, "w3", "partial lacks:дом");
    /* five: 0.8 * 5 = 4 needed */
    EXPECT(idx, q5, 0, "w4", "full");
    EXPECT(idx, q5, 0, "w3",
           "partial too_few(3/4/5):кот пес лес дом сад lacks:дом lacks:сад");
    EXPECT(idx, q5, NI_SEARCH_NO_PARTIAL, "w3",
           "none too_few(3/4/5):кот пес лес дом сад lacks:дом lacks:сад");
    /* six: 0.8 * 6 = 4.8, so 5 needed */
    EXPECT(idx, q6, 0, "w5", "full");
    EXPECT(idx, q6, 0, "w4", "partial too_few(4/5/6):кот пес лес дом сад мост "
           "lacks:сад lacks:мост");
    /* all words asked for: no share, no partial match */
    EXPECT(idx, q5, NI_SEARCH_ALL_WORDS, "w4", "none lacks:сад");
    {
        ni_explanation *ex;
        ni_search_options no_collapse = NI_SEARCH_OPTIONS_INIT;
        no_collapse.flags = NI_SEARCH_NO_COLLAPSE;
        CHECK_RC(explain(&ex, idx, q5, "w4", &no_collapse), 0);
        CHECK(strcmp(ni_explanation_mode(ex), "at least 4 of 5 words") == 0);
        CHECK(ni_explanation_rank(ex) == 2);    /* after w5 */
        ni_explanation_free(ex);
        /* w4 shares 2 of 3 word 3-shingles with w5: folded into it */
        CHECK_RC(explain(&ex, idx, q5, "w4", NULL), 0);
        CHECK(ni_explanation_rank(ex) == 1);
        ni_explanation_free(ex);
    }
    ni_index_close(idx);
}

/* Each reason, quoting the part of the query as written. */
static void reasons(void)
{
    static const char *const docs[][3] = {
        { "a", "Школа мэров", "В Москве подвели итоги обучения первого выпуска школы мэров." },
        { "b", "Мост", "Новый мост в Ростове-на-Дону соединил два района." },
    };
    ni_index *idx = small_index(docs, 2);
    ni_doc d = NI_DOC_INIT;

    /* a rubric and a date for "a" */
    d.id = "a";
    d.id_len = 1;
    d.title = docs[0][1];
    d.title_len = strlen(d.title);
    d.text = docs[0][2];
    d.text_len = strlen(d.text);
    d.rubric = "Общество";
    d.rubric_len = strlen(d.rubric);
    CHECK_RC(ni_date_parse(&d.date, "2024-07-17", 10), 0);
    CHECK_RC(ni_index_add(idx, &d), 0);
    /* "c" in the last second of a day: the end of that day's range */
    d.id = "c";
    CHECK_RC(ni_date_parse(&d.date, "2024-07-17T23:59:59", 19), 0);
    CHECK_RC(ni_index_add(idx, &d), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    EXPECT(idx, "школа date:2024-07-17", 0, "c", "full");
    EXPECT(idx, "школа date:2024-07-16..2024-07-17", 0, "c", "full");
    EXPECT(idx, "школа before:2024-07-18", 0, "c", "full");
    EXPECT(idx, "школа before:2024-07-17", 0, "c", "none date:before:2024-07-17");
    EXPECT(idx, "школа date:2024-07-18", 0, "c", "none date:date:2024-07-18");
    {
        /* and its words count in the score as without the filter */
        ni_explanation *e1 = NULL, *e2 = NULL;
        CHECK_RC(explain(&e1, idx, "школа", "c", NULL), 0);
        CHECK_RC(explain(&e2, idx, "школа date:2024-07-17", "c", NULL), 0);
        CHECK(e1 && e2 && ni_explanation_score(e1) > 0 &&
              ni_explanation_score(e2) == ni_explanation_score(e1));
        ni_explanation_free(e1);
        ni_explanation_free(e2);
    }

    EXPECT(idx, "школа мэров", 0, "a", "full");
    EXPECT(idx, "школа мост", NI_SEARCH_NO_PARTIAL, "a", "none lacks:мост");
    EXPECT(idx, "школа мост", 0, "a", "partial lacks:мост");
    EXPECT(idx, "школа -москве", 0, "a", "none excluded:-москве");
    EXPECT(idx, "школа NOT (москва | мост)", 0, "a", "none excluded:NOT (москва | мост)");
    EXPECT(idx, "-школа", 0, "a", "none excluded:-школа");
    EXPECT(idx, "школа date:2023", 0, "a", "none date:date:2023");
    EXPECT(idx, "школа before:2024-07", 0, "a", "none date:before:2024-07");
    EXPECT(idx, "школа date:2024-07-17", 0, "a", "full");
    EXPECT(idx, "мост date:2024-07-17", 0, "a", "none lacks:мост");   /* a at its start */
    EXPECT(idx, "мост after:2020", 0, "b", "none date:after:2020");    /* b has no date */
    EXPECT(idx, "школа rubric:спорт", 0, "a", "none rubric:rubric:спорт");
    EXPECT(idx, "школа rubric:общество", 0, "a", "full");
    EXPECT(idx, "мост | театр", 0, "a", "none none_of:мост | театр");
    EXPECT(idx, "мост театр", 0, "a", "none lacks:мост lacks:театр");
    EXPECT(idx, "\"мэров школа\"", 0, "a", "none lacks:\"мэров школа\"");
    EXPECT(idx, "title:итоги", 0, "a", "none lacks:title:итоги");
    EXPECT(idx, "школа (мост | театр)", 0, "a", "none none_of:(мост | театр)");
    EXPECT(idx, "(школа -москве) | мост", 0, "a",
           "none none_of:(школа -москве) | мост excluded:-москве");
    EXPECT(idx, "мост*", 0, "a", "none lacks:мост*");
    EXPECT(idx, "«»", 0, "a", "none empty:«»");
    EXPECT(idx, "", 0, "a", "none empty:");
    EXPECT(idx, "мост -москве date:2023", 0, "a",
           "none lacks:мост excluded:-москве date:date:2023");
    {
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        ni_explanation *ex;
        o.default_or = 1;
        CHECK_RC(explain(&ex, idx, "мост театр", "a", &o), 0);
        CHECK(ni_explanation_match(ex) == NI_EXPLAIN_NO_MATCH);
        CHECK(ni_explanation_reason_count(ex) == 1);
        if (ni_explanation_reason_count(ex) == 1) {
            ni_explain_reason r;
            CHECK_RC(ni_explanation_reason(&r, ex, 0), 0);
            CHECK(r.kind == NI_WHY_NONE_OF && r.query_len == strlen("мост театр"));
        }
        ni_explanation_free(ex);
    }
    ni_index_close(idx);
}

/* The term lines: kinds, fields, frequencies, df, idf, what is counted. */
static void term_lines(void)
{
    static const char *const docs[][3] = {
        /* lower case: no name keys (test_names has those) */
        { "a", "ростов", "в ростове открыли мост. ростове, ростове." },
        { "b", "Мосты", "Мост и мосты через реку, мостик." },
        { "c", "Мэрия", "Мэр и мэрия." },
    };
    ni_index *idx = small_index(docs, 3);
    ni_explanation *ex;
    ni_explain_term t;
    ni_explain_doc dd;
    ni_stats st;
    size_t i;

    /* «ростов»: Snowball's stem «рост» (of «ростов») and the word as
     * written (the stem of «ростове»), scored as one word: one idf of
     * their summed df, the score on the first line */
    CHECK_RC(explain(&ex, idx, "ростов", "a", NULL), 0);
    CHECK(ni_explanation_match(ex) == NI_EXPLAIN_FULL);
    CHECK(ni_explanation_term_count(ex) == 2);
    CHECK_RC(ni_explanation_term(&t, ex, 0), 0);
    CHECK(t.kind == NI_EXPLAIN_WORD && t.term_len == 8 && memcmp(t.term, "рост", 8) == 0);
    CHECK(t.tf_title == 1 && t.tf_body == 0 && t.df == 1 && t.counted && t.score > 0);
    CHECK(t.query_len == 12 && memcmp(t.query, "ростов", 12) == 0 && !t.title_only);
    CHECK(fabs(t.idf - log(1 + (3 - 2 + 0.5) / (2 + 0.5))) < 1e-12);
    CHECK_RC(ni_explanation_term(&t, ex, 1), 0);
    CHECK(t.kind == NI_EXPLAIN_FORM && t.term_len == 12 && memcmp(t.term, "ростов", 12) == 0);
    CHECK(t.tf_title == 0 && t.tf_body == 3 && t.counted && t.score == 0);
    CHECK(ni_explanation_term(&t, ex, 2) == NI_EINVAL);
    {
        ni_explain_term t0;
        CHECK_RC(ni_explanation_term(&t0, ex, 0), 0);
        CHECK(ni_explanation_score(ex) == t0.score + t.score);    /* OR(stem, form) */
    }
    ni_explanation_doc(&dd, ex);
    CHECK_RC(ni_index_stats(&st, idx), 0);
    {
        ni_search_options def = NI_SEARCH_OPTIONS_INIT;
        CHECK(dd.len_title == 1 && dd.len_body == 6 && dd.docs == 3 && dd.k1 == def.k1 &&
              dd.b == def.b && dd.title_weight == def.title_weight &&
              dd.date == NI_DATE_NONE);
    }
    CHECK(dd.avg_title == st.avg_title_len && dd.avg_body == st.avg_body_len);
    /* the word's score by the formula of newsindex.h, its terms'
     * frequencies summed */
    {
        double norm_t = 1 - dd.b + dd.b * dd.len_title / dd.avg_title;
        double norm_b = 1 - dd.b + dd.b * dd.len_body / dd.avg_body, tf = 0, want, got = 0;
        for (i = 0; i < 2; i++) {
            CHECK_RC(ni_explanation_term(&t, ex, i), 0);
            tf += dd.title_weight * t.tf_title / norm_t + t.tf_body / norm_b;
            got += t.score;
        }
        want = t.idf * tf * (dd.k1 + 1) / (tf + dd.k1);
        CHECK(fabs(got - want) < 1e-12 * want);
    }
    ni_explanation_free(ex);

    /* title: counts the title only */
    CHECK_RC(explain(&ex, idx, "title:ростов", "a", NULL), 0);
    CHECK(ni_explanation_term_count(ex) == 2);
    CHECK_RC(ni_explanation_term(&t, ex, 0), 0);
    CHECK(t.title_only && t.tf_title == 1 && t.tf_body == 0 && t.counted);
    CHECK(t.query_len == 18 && memcmp(t.query, "title:ростов", 18) == 0);
    CHECK_RC(ni_explanation_term(&t, ex, 1), 0);
    CHECK(t.title_only && t.tf_title == 0 && t.tf_body == 0 && !t.counted);
    ni_explanation_free(ex);

    /* a phrase of one word is that word */
    CHECK_RC(explain(&ex, idx, "\"ростов\"", "a", NULL), 0);
    CHECK(ni_explanation_term_count(ex) == 2);
    CHECK_RC(ni_explanation_term(&t, ex, 0), 0);
    CHECK(t.kind == NI_EXPLAIN_WORD && t.query_len == 14);
    CHECK_RC(ni_explanation_term(&t, ex, 1), 0);
    CHECK(t.kind == NI_EXPLAIN_FORM);
    ni_explanation_free(ex);

    /* a prefix: the terms the document holds */
    CHECK_RC(explain(&ex, idx, "мост*", "a", NULL), 0);
    CHECK(ni_explanation_term_count(ex) == 1);
    ni_explanation_free(ex);
    CHECK_RC(explain(&ex, idx, "мост*", "b", NULL), 0);
    CHECK(ni_explanation_match(ex) == NI_EXPLAIN_FULL);
    CHECK(ni_explanation_term_count(ex) >= 2);
    for (i = 0; i < ni_explanation_term_count(ex); i++) {
        CHECK_RC(ni_explanation_term(&t, ex, i), 0);
        CHECK(t.kind == NI_EXPLAIN_PREFIX && t.counted && t.tf_title + t.tf_body > 0);
    }
    ni_explanation_free(ex);

    /* a phrase: its words, counted where the phrase is */
    CHECK_RC(explain(&ex, idx, "\"открыли мост\"", "a", NULL), 0);
    CHECK(ni_explanation_match(ex) == NI_EXPLAIN_FULL && ni_explanation_term_count(ex) == 2);
    for (i = 0; i < 2; i++) {
        CHECK_RC(ni_explanation_term(&t, ex, i), 0);
        CHECK(t.kind == NI_EXPLAIN_PHRASE && t.counted && t.tf_body == 1);
    }
    ni_explanation_free(ex);
    CHECK_RC(explain(&ex, idx, "\"мост открыли\"", "a", NULL), 0);
    CHECK(ni_explanation_match(ex) == NI_EXPLAIN_NO_MATCH);
    for (i = 0; i < ni_explanation_term_count(ex); i++) {
        CHECK_RC(ni_explanation_term(&t, ex, i), 0);
        CHECK(!t.counted && t.score == 0 && t.tf_body == 1);   /* there, not as a phrase */
    }
    ni_explanation_free(ex);

    /* one side of an OR counts only where that side matches */
    CHECK_RC(explain(&ex, idx, "мэр | (ростов театр)", "a", NULL), 0);
    CHECK(ni_explanation_match(ex) == NI_EXPLAIN_NO_MATCH);
    ni_explanation_free(ex);
    CHECK_RC(explain(&ex, idx, "мост | (ростов театр)", "a", NULL), 0);
    CHECK(ni_explanation_match(ex) == NI_EXPLAIN_FULL);
    for (i = 0; i < ni_explanation_term_count(ex); i++) {
        CHECK_RC(ni_explanation_term(&t, ex, i), 0);
        if (t.term_len == 8 && memcmp(t.term, "рост", 8) == 0)
            CHECK(t.tf_title == 1 && !t.counted && t.score == 0);
        else if (t.term_len == 8 && memcmp(t.term, "мост", 8) == 0)
            CHECK(t.counted && t.score == ni_explanation_score(ex));
        else
            CHECK(!t.counted);
    }
    ni_explanation_free(ex);

    /* excluded words have no lines */
    CHECK_RC(explain(&ex, idx, "мост -мэр", "a", NULL), 0);
    CHECK(ni_explanation_term_count(ex) == 1);
    ni_explanation_free(ex);
    ni_index_close(idx);
}

static void errors(void)
{
    static const char *const docs[][3] = { { "a", "Мост", "Мост." } };
    ni_index *idx = small_index(docs, 1);
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_explanation *ex = (ni_explanation *)&o;
    ni_explain_reason r;
    ni_explain_term t;

    CHECK(explain(&ex, idx, "мост", "zz", NULL) == NI_ENOTFOUND);
    CHECK(ex == NULL && strstr(ni_errmsg(), "zz") != NULL);
    CHECK(explain(&ex, idx, "(мост OR", "a", NULL) == NI_ESYNTAX && ex == NULL);
    CHECK(ni_explain(NULL, idx, "мост", 8, "a", 1, NULL) == NI_EINVAL);
    CHECK(explain(&ex, NULL, "мост", "a", NULL) == NI_EINVAL);
    CHECK(ni_explain(&ex, idx, "мост", 8, NULL, 1, NULL) == NI_EINVAL);
    o.k1 = 0;
    CHECK(explain(&ex, idx, "мост", "a", &o) == NI_EINVAL);
    o = (ni_search_options)NI_SEARCH_OPTIONS_INIT;
    o.version = 99;
    CHECK(explain(&ex, idx, "мост", "a", &o) == NI_EINVAL);
    /* limit 0: explained, no rank */
    o = (ni_search_options)NI_SEARCH_OPTIONS_INIT;
    o.limit = 0;
    CHECK_RC(explain(&ex, idx, "мост", "a", &o), 0);
    CHECK(ni_explanation_match(ex) == NI_EXPLAIN_FULL && ni_explanation_rank(ex) == 0);
    CHECK(ni_explanation_reason(&r, ex, 0) == NI_EINVAL);
    CHECK(ni_explanation_term(&t, ex, 1) == NI_EINVAL);
    ni_explanation_free(ex);
    /* NULL is an empty explanation */
    CHECK(ni_explanation_match(NULL) == NI_EXPLAIN_NO_MATCH && ni_explanation_score(NULL) == 0);
    CHECK(ni_explanation_term_count(NULL) == 0 && ni_explanation_reason_count(NULL) == 0);
    ni_explanation_free(NULL);
    ni_index_close(idx);
}

/* A query the rescue rewrote, or with an unbalanced bracket, is explained
 * as ni_search searched it: the same score and rank. */
static void rescued(void)
{
    static const char *const docs[][3] = {
        { "a", "Москва", "Москва готовится к зиме." },
        { "b", "Щелкунчик", "Балет Щелкунчик идет в театре, Щелкунчик любим." },
        { "c", "Театр", "Новый театр открылся в Москве." },
    };
    static const struct { const char *q, *id; } cases[] = {
        { "vjcrdf", "a" },               /* keyboard layout */
        { "щелкунчек", "b" },            /* a typo */
        { "shchelkunchik", "b" },        /* transliteration */
        { "teatr vjcrdf", "c" },         /* layout, then nothing to transliterate */
        { "(москва", "a" },              /* an unbalanced bracket */
    };
    ni_index *idx = small_index(docs, sizeof docs / sizeof docs[0]);
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        ni_explanation *ex = NULL;
        ni_hits *h = NULL;
        ni_hit hit;
        double score = -1;
        size_t rank = 0;
        CHECK_RC(ni_search(&h, idx, cases[i].q, strlen(cases[i].q), &o), 0);
        while (h && ni_hits_next(h, &hit) == 0)
            if (hit.id_len == 1 && hit.id[0] == cases[i].id[0]) {
                score = hit.score;
                rank = hit.rank;
            }
        ni_hits_free(h);
        CHECK(score > 0);
        CHECK_RC(explain(&ex, idx, cases[i].q, cases[i].id, &o), 0);
        CHECK(ex && ni_explanation_match(ex) == NI_EXPLAIN_FULL);
        CHECK(ex && ni_explanation_score(ex) == score && ni_explanation_rank(ex) == rank);
        if (ex && ni_explanation_score(ex) != score)
            fprintf(stderr, "%s: explained %.17g, searched %.17g\n", cases[i].q,
                    ni_explanation_score(ex), score);
        ni_explanation_free(ex);
    }
    ni_index_close(idx);
}

/* The partial pass builds the tree again from what the first build kept
 * of its words (search.c): the same scores as explained, proximity
 * included (each word at its own query position). */
static void partial_pass(void)
{
    static const char *const docs[][3] = {
        { "a", "Новости", "альфа бета дельта" },
        { "b", "Новости", "бета гамма эпсилон" },
        { "c", "Новости", "альфа слово слово гамма" },
        { "d", "Новости", "гамма бета альфа" },
        { "e", "Новости", "поезд в ростов-на-дону" },
    };
    /* the last word takes three positions: a word's are its own, not the
     * last analysed text's */
    static const char *const qs[] = { "альфа бета гамма ростов-на-дону",
                                      "бета гамма альфа ростов-на-дону" };
    ni_index *idx = small_index(docs, sizeof docs / sizeof docs[0]);
    size_t i, n;

    for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        ni_hits *h = NULL;
        ni_hit hit;
        o.proximity = 1.0;
        CHECK_RC(ni_search(&h, idx, qs[i], strlen(qs[i]), &o), 0);
        for (n = 0; h && ni_hits_next(h, &hit) == 0; n++) {
            ni_explanation *ex = NULL;
            char id[8];
            snprintf(id, sizeof id, "%.*s", (int)hit.id_len, hit.id);
            CHECK(ni_hits_is_partial(h));
            CHECK_RC(explain(&ex, idx, qs[i], id, &o), 0);
            CHECK(ex && ni_explanation_score(ex) == hit.score);
            if (ex && ni_explanation_score(ex) != hit.score)
                fprintf(stderr, "%s %s: explained %.17g, searched %.17g\n", qs[i], id,
                        ni_explanation_score(ex), hit.score);
            ni_explanation_free(ex);
        }
        CHECK(n == 5);
        ni_hits_free(h);
    }
    ni_index_close(idx);
}

static void teardown(void)
{
    ni_index_close(gen);
    gen = NULL;
}

TEST_MAIN(TEST(agrees_with_search), TEST(rescued), TEST(partial_pass), TEST(long_queries), TEST(reasons), TEST(term_lines),
          TEST(errors), TEST(teardown))
