/*
 * The query language end to end, through the public header: golden cases
 * (query, default operator -> the ids that must match, in rank order when
 * it is determined) on a small built collection of real-looking news, plus
 * highlighting of inflected forms, snippets on UTF-8 boundaries, hit modes
 * and notices, sorting by date, and hostile queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"

static char dir[] = "/tmp/ni-search-XXXXXX";
static ni_index *idx;

static const struct {
    const char *id, *date, *rubric, *title, *text;
} docs[] = {
    { "d1", "2024-07-17 13:30", "Общество",
      "Главы трех муниципалитетов приняли участие в проекте «Школы мэров»",
      "В Москве подвели итоги обучения первого выпуска «Школы мэров». Результатом "
      "8 месяцев обучения стали 157 проектов." },
    { "d2", "2024-07-20", "Общество", "Школа для мэров откроет второй поток",
      "Следующий поток школы стартует уже этой осенью, сообщили организаторы." },
    { "d3", "2024-08-02", "Происшествия", "В Ростове-на-Дону открыли мост",
      "Новый мост в Ростове-на-Дону соединил два района города." },
    { "d4", "2024-12-25", "Культура", "Ёлка желаний",
      "На главной площади установили новогоднюю елку, мэр зажег огни." },
    { "d5", "2023-05-01", "Спорт", "Футбольный матч",
      "Команда Ростова на Дону выиграла у гостей со счётом 2:1." },
    { "d6", NULL, "Экономика", "Курс рубля",
      "Курс доллара составил 90,5 рубля, сообщил ЦБ. Мэрия не комментирует." },
};

/* 1 when highlighted range i of sn is exactly the word w (all of its bytes,
 * not a prefix of it). */
static int range_is(const ni_snippet *sn, size_t i, const char *w)
{
    size_t a = sn->ranges[2 * i], b = sn->ranges[2 * i + 1];
    return a < b && b <= sn->len && b - a == strlen(w) && memcmp(sn->text + a, w, b - a) == 0;
}

static void setup(void)
{
    size_t i;
    if (idx)
        return;
    if (!mkdtemp(dir))
        exit(2);
    CHECK_RC(ni_index_open(&idx, dir, NULL), 0);
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        ni_doc d = NI_DOC_INIT;
        d.id = docs[i].id;
        d.id_len = strlen(d.id);
        d.rubric = docs[i].rubric;
        d.rubric_len = strlen(d.rubric);
        d.title = docs[i].title;
        d.title_len = strlen(d.title);
        d.text = docs[i].text;
        d.text_len = strlen(d.text);
        if (docs[i].date)
            CHECK_RC(ni_date_parse(&d.date, docs[i].date, strlen(docs[i].date)), 0);
        CHECK_RC(ni_index_add(idx, &d), 0);
    }
    CHECK_RC(ni_index_commit(idx), 0);
}

/* Ids of all hits (comma-separated, in rank order) or "ERR". */
static void run(const char *q, int or_mode, int sort, char *out, size_t size)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    size_t n = 0;
    int rc;

    o.default_or = or_mode;
    o.sort = sort;
    o.limit = 50;
    o.flags = NI_SEARCH_NO_PARTIAL;   /* the match set itself (partial_matches) */
    out[0] = '\0';
    if (ni_search(&h, idx, q, strlen(q), &o) < 0) {
        snprintf(out, size, "ERR");
        return;
    }
    while ((rc = ni_hits_next(h, &hit)) == 0)
        n += (size_t)snprintf(out + n, size - n, "%s%.*s", n ? "," : "", (int)hit.id_len, hit.id);
    if (rc != NI_DONE)
        snprintf(out, size, "ERR");
    ni_hits_free(h);
}

/* want: exact order when it starts with '=', else the set (sorted ids). */
static const struct { const char *q; int or_mode; const char *want; } golden[] = {
    { "школа мэров", 0, "d1,d2" },
    { "школа для мэров", 0, "d1,d2" },                 /* function word optional */
    { "Школы", 0, "d1,d2" },
    { "мост", 0, "d3" },
    { "ростов", 0, "d3,d5" },
    { "\"ростове на дону\"", 0, "d3,d5" },             /* compound parts and plain words */
    { "Ростове-на-Дону", 0, "d3" },                     /* the whole compound */
    { "ёлка", 0, "d4" },
    { "елки", 0, "d4" },
    { "школа OR мост", 0, "d1,d2,d3" },
    { "школа | мост", 0, "d1,d2,d3" },
    { "школа мост", 1, "d1,d2,d3" },
    { "школа мост", 0, "" },
    { "мэров -поток", 0, "d1,d4,d6" },                  /* мэров, мэр, мэрия: one stem */
    { "мэров NOT поток", 0, "d1,d4,d6" },
    { "-мэров", 0, "d3,d5" },
    { "(школа OR мост) -поток", 0, "d1,d3" },
    { "\"школа мэров\"", 0, "d1" },
    { "\"школа для мэров\"", 0, "d2" },
    { "\"мэров школа\"", 0, "" },
    { "\"подвели обучения\"~2", 0, "d1" },
    { "\"подвели обучения\"", 0, "" },
    { "\"ростове ростове\"~3", 0, "" },               /* one occurrence is not two */
    { "\"мост мост\"~5", 0, "" },                      /* title and body never join */
    { "мэр*", 0, "d1,d2,d4,d6" },
    { "title:мост", 0, "d3" },
    { "title:поток", 0, "d2" },
    { "title:итоги", 0, "" },
    { "title:\"школы мэров\"", 0, "d1" },
    { "title:\"поток школы\"", 0, "" },              /* together in d2's body only */
    { "rubric:общество", 0, "d1,d2" },
    { "rubric:ОБЩЕСТВО мост", 0, "" },
    { "rubric:Культура", 0, "d4" },
    { "date:2024-07-17", 0, "d1" },
    { "date:2024-07", 0, "d1,d2" },
    { "date:2024-07..2024-12", 0, "d1,d2,d3,d4" },
    { "after:2024-07-31", 0, "d3,d4" },
    { "after:2024-07-20", 0, "d2,d3,d4" },            /* the day named is included */
    { "after:2024-07-21", 0, "d3,d4" },
    { "before:2024-07-20", 0, "d1,d5" },              /* ... and left out */
    { "before:2024-07-18", 0, "d1,d5" },
    { "школа date:2024-07-20", 0, "d2" },
    { "157", 0, "d1" },
    { "90,5", 0, "d6" },
    { "2:1", 0, "d5" },
    { "!!! ???", 0, "" },
    { "", 0, "" },
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts a comma-separated list in place. */
static void sort_ids(char *s)
{
    char *parts[32], buf[512], *tok, *save = NULL;
    size_t n = 0, i, len = 0;
    snprintf(buf, sizeof buf, "%s", s);
    for (tok = strtok_r(buf, ",", &save); tok && n < 32; tok = strtok_r(NULL, ",", &save))
        parts[n++] = tok;
    qsort(parts, n, sizeof *parts, cmp_str);
    s[0] = '\0';
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(s + len, "%s%s", i ? "," : "", parts[i]);
}

static void operators(void)
{
    char got[512];
    size_t i;
    setup();
    for (i = 0; i < sizeof golden / sizeof golden[0]; i++) {
        run(golden[i].q, golden[i].or_mode, NI_SORT_RELEVANCE, got, sizeof got);
        sort_ids(got);
        if (strcmp(got, golden[i].want) != 0) {
            fprintf(stderr, "query [%s]%s: got [%s], want [%s]\n", golden[i].q,
                    golden[i].or_mode ? " (or)" : "", got, golden[i].want);
            CHECK(!"hits differ");
        }
    }
}

static void ranking_and_sorting(void)
{
    char got[512];
    setup();
    /* a title-only match of a rare word outranks body-only matches */
    run("мост OR район", 0, NI_SORT_RELEVANCE, got, sizeof got);
    CHECK(strcmp(got, "d3") == 0);
    run("мэр", 0, NI_SORT_RELEVANCE, got, sizeof got);
    /* the title matches first: d2's shorter title (6 positions) outweighs
     * d1's longer one (10) and its body occurrence, with title weight 4
     * (2 put d1 first by 0.003); then the body-only matches */
    CHECK(strcmp(got, "d2,d1,d4,d6") == 0);
    run("мэр*", 0, NI_SORT_DATE, got, sizeof got);
    CHECK(strcmp(got, "d4,d2,d1,d6") == 0);        /* newest first, undated last */
}

static void syntax_errors(void)
{
    ni_hits *h = NULL;
    setup();
    CHECK_RC(ni_search(&h, idx, "(школа OR", strlen("(школа OR"), NULL), NI_ESYNTAX);
    CHECK(h == NULL);
    CHECK(strstr(ni_errmsg(), "at 7") != NULL);     /* characters, not bytes */
    CHECK_RC(ni_search(&h, idx, "date:2024-02-30", 15, NULL), NI_ESYNTAX);
    /* an unbalanced bracket is not an error: the words, with a notice */
    CHECK_RC(ni_search(&h, idx, "(школа", 12, NULL), 0);
    CHECK(h && ni_hits_notice(h) && strstr(ni_hits_notice(h), "unbalanced"));
    ni_hits_free(h);
}

/* Each highlight covers a word that is an inflected form of the query
 * word; the snippet is valid UTF-8 and within the size asked for. */
static void highlighting(void)
{
    ni_hits *h;
    ni_hit hit;
    ni_snippet sn;
    size_t i, found = 0;
    const char *q = "школа ёлка";

    setup();
    CHECK_RC(ni_search(&h, idx, "школа", strlen("школа"), NULL), 0);
    CHECK_RC(ni_hits_snippet(&sn, h, 0), NI_EINVAL);
    while (ni_hits_next(h, &hit) == 0) {
        CHECK_RC(ni_hits_snippet(&sn, h, 80), 0);
        for (i = 0; i < sn.nranges; i++) {
            CHECK(range_is(&sn, i, "Школы") || range_is(&sn, i, "школы"));
            found++;
        }
    }
    CHECK(found >= 2);
    ni_hits_free(h);

    /* titles: the whole title, its matched words marked (also in a title
     * whose body has none), apart from the snippet */
    {
        static const char *const want[] = { "Главы трех муниципалитетов приняли участие в "
                                            "проекте «Школы мэров»|Школы",
                                            "Школа для мэров откроет второй поток|Школа" };
        ni_snippet t;
        size_t n = 0;
        CHECK_RC(ni_search(&h, idx, "школа", strlen("школа"), NULL), 0);
        CHECK_RC(ni_hits_title(&t, h), NI_EINVAL);
        while (ni_hits_next(h, &hit) == 0) {
            char got[256];
            CHECK_RC(ni_hits_snippet(&sn, h, 20), 0);
            CHECK_RC(ni_hits_title(&t, h), 0);
            CHECK(t.nranges == 1);
            if (t.nranges == 1)
                snprintf(got, sizeof got, "%.*s|%.*s", (int)t.len, t.text,
                         (int)(t.ranges[1] - t.ranges[0]), t.text + t.ranges[0]);
            CHECK(t.nranges == 1 && (strcmp(got, want[0]) == 0 || strcmp(got, want[1]) == 0));
            CHECK(sn.len > 0 && sn.text != t.text);
            n++;
        }
        CHECK(n == 2);
        ni_hits_free(h);
    }

    CHECK_RC(ni_search(&h, idx, q, strlen(q), &(ni_search_options){
                 NI_SEARCH_OPTIONS_VERSION, 10, 0, 1, 1.2, 0.75, 2.0, NI_SORT_RELEVANCE, 0, 0.3, 0,
                 0, NI_FRESH_WEIGHT, NI_DATE_NONE }), 0);
    found = 0;
    while (ni_hits_next(h, &hit) == 0) {
        CHECK_RC(ni_hits_snippet(&sn, h, 0), 0);
        for (i = 0; i < sn.nranges; i++)
            found += (size_t)range_is(&sn, i, "елку");
    }
    CHECK(found == 1);
    ni_hits_free(h);
}

static void snippet_boundaries(void)
{
    static char text[6000];
    ni_index *i2 = NULL;
    ni_doc d = NI_DOC_INIT;
    ni_hits *h;
    ni_hit hit;
    ni_snippet sn;
    char path[300];
    size_t n = 0, k, chars = 0;

    snprintf(path, sizeof path, "%s/two", dir);
    CHECK_RC(ni_index_open(&i2, path, NULL), 0);
    while (n < 5000)
        n += (size_t)snprintf(text + n, sizeof text - n, "слово ещё \xff\xfe длинное ");
    memcpy(text + 3000, " мэр ", strlen(" мэр "));
    d.id = "big";
    d.id_len = 3;
    d.text = text;
    d.text_len = n;
    CHECK_RC(ni_index_add(i2, &d), 0);
    CHECK_RC(ni_index_commit(i2), 0);
    CHECK_RC(ni_search(&h, i2, "мэр", strlen("мэр"), NULL), 0);
    CHECK_RC(ni_hits_next(h, &hit), 0);
    CHECK_RC(ni_hits_snippet(&sn, h, 100), 0);
    CHECK(sn.nranges == 1);
    for (k = 0; k < sn.len; k++) {
        unsigned char c = (unsigned char)sn.text[k];
        chars += (c & 0xc0) != 0x80;
        CHECK(c != 0xff && c != 0xfe);
    }
    CHECK(chars <= 100 && chars > 50);
    CHECK(sn.len > 0 && ((unsigned char)sn.text[0] & 0xc0) != 0x80);
    if (sn.nranges)
        CHECK(range_is(&sn, 0, "мэр"));
    ni_hits_free(h);
    ni_index_close(i2);
}

/* Hits of q as "id" for a full match and "id~" for a partial one, and
 * the scores, with offset and limit; totals in *full and *part. */
static void run_partial(const char *q, size_t offset, size_t limit, unsigned flags,
                        char *out, size_t size, double *scores, uint64_t *full,
                        uint64_t *part)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    size_t n = 0, i = 0;
    int rc;

    o.offset = offset;
    o.limit = limit;
    o.flags = flags;
    out[0] = '\0';
    memset(scores, 0, 16 * sizeof *scores);
    if (ni_search(&h, idx, q, strlen(q), &o) < 0) {
        snprintf(out, size, "ERR");
        return;
    }
    CHECK(ni_hits_is_partial(h) == 0);      /* no hit returned yet */
    while ((rc = ni_hits_next(h, &hit)) == 0) {
        n += (size_t)snprintf(out + n, size - n, "%s%.*s%s", n ? "," : "", (int)hit.id_len,
                              hit.id, ni_hits_is_partial(h) ? "~" : "");
        if (i < 16)
            scores[i++] = hit.score;
    }
    if (rc != NI_DONE)
        snprintf(out, size, "ERR");
    *full = ni_hits_total(h);
    *part = ni_hits_partial_total(h);
    ni_hits_free(h);
}

/* Plain words in the default AND that match fewer documents than asked
 * for go on with partial matches: after every full match, in the order of
 * the same words OR-ed, the full matches left out; at the limit on both
 * sides, across offsets, pruned as exhaustive, and never where the query
 * is strict. */
static void partial_matches(void)
{
    static const struct {
        const char *q;
        size_t offset, limit;
        unsigned flags;
        const char *want;
        uint64_t full, part;
    } c[] = {
        /* no full match: the words OR-ed, every hit partial */
        { "школа мост", 0, 10, 0, "d3~,d2~,d1~", 0, 3 },
        /* d2 holds all three words, d1 two of them, d4 and d6 «мэр» */
        { "школа мэров поток", 0, 10, 0, "d2,d1~,d4~,d6~", 1, 3 },
        /* two full matches (d1 first: «Школы мэров» stand together): a
         * limit of 2 is filled, 3 is not */
        { "школа мэров", 0, 2, 0, "d1,d2", 2, 0 },
        { "школа мэров", 0, 3, 0, "d1,d2,d4~", 2, 2 },
        { "школа мэров", 0, 1, 0, "d1", 2, 0 },
        /* pages across the boundary and past it */
        { "школа мэров", 1, 2, 0, "d2,d4~", 2, 2 },
        { "школа мэров", 2, 2, 0, "d4~,d6~", 2, 2 },
        { "школа мэров", 3, 5, 0, "d6~", 2, 2 },
        { "школа мэров", 4, 5, 0, "", 2, 2 },
        /* strict: the flags, OR, one word or phrase, operators, fields */
        { "школа мост", 0, 10, NI_SEARCH_NO_PARTIAL, "", 0, 0 },
        { "школа мост", 0, 10, NI_SEARCH_ALL_WORDS, "", 0, 0 },
        { "мост", 0, 10, 0, "d3", 1, 0 },
        { "школа мост -поток", 0, 10, 0, "", 0, 0 },
        { "\"школа мост\"", 0, 10, 0, "", 0, 0 },
        /* a phrase among words is one word of them: partial matches */
        { "\"школа мэров\" мост", 0, 10, 0, "d3~,d1~", 0, 2 },
        { "\"школа мэров\" итоги", 0, 10, 0, "d1", 1, 0 },
        { "title:школа мост", 0, 10, 0, "", 0, 0 },
        /* rubric and date filters narrow the words, partial matches too */
        { "школа мост date:2024", 0, 10, 0, "d3~,d2~,d1~", 0, 3 },
        { "школа мост date:2024-07", 0, 10, 0, "d2~,d1~", 0, 2 },
        { "rubric:общество школа мост", 0, 10, 0, "d2~,d1~", 0, 2 },
        { "rubric:(общество OR культура) школа мост", 0, 10, 0, "d2~,d1~", 0, 2 },
        { "школа мост rubric:культура", 0, 10, 0, "", 0, 0 },
    };
    char got[256], got2[256], ors[256];
    double s1[16], s2[16], so[16];
    uint64_t full, part, full2, part2;
    size_t i;

    setup();
    for (i = 0; i < sizeof c / sizeof c[0]; i++) {
        run_partial(c[i].q, c[i].offset, c[i].limit, c[i].flags, got, sizeof got, s1,
                    &full, &part);
        if (strcmp(got, c[i].want) != 0 || full != c[i].full || part != c[i].part) {
            fprintf(stderr, "[%s] offset %zu limit %zu: got [%s] %llu + %llu, want [%s] "
                    "%llu + %llu\n", c[i].q, c[i].offset, c[i].limit, got,
                    (unsigned long long)full, (unsigned long long)part, c[i].want,
                    (unsigned long long)c[i].full, (unsigned long long)c[i].part);
            CHECK(!"partial hits differ");
        }
        /* pruned: the same hits and scores */
        run_partial(c[i].q, c[i].offset, c[i].limit, c[i].flags | NI_SEARCH_APPROX_TOTAL,
                    got2, sizeof got2, s2, &full2, &part2);
        CHECK(strcmp(got, got2) == 0);
        CHECK(memcmp(s1, s2, sizeof s1) == 0);
        CHECK(full2 <= full && part2 <= part);
    }
    /* partial hits score as the words OR-ed do */
    run_partial("школа мост", 0, 10, 0, got, sizeof got, s1, &full, &part);
    {
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        ni_hits *h;
        ni_hit hit;
        size_t n = 0, k = 0;
        o.default_or = 1;
        CHECK_RC(ni_search(&h, idx, "школа мост", strlen("школа мост"), &o), 0);
        while (ni_hits_next(h, &hit) == 0 && k < 16) {
            n += (size_t)snprintf(ors + n, sizeof ors - n, "%s%.*s~", n ? "," : "",
                                  (int)hit.id_len, hit.id);
            so[k++] = hit.score;
            CHECK(ni_hits_is_partial(h) == 0);
        }
        CHECK(ni_hits_partial_total(h) == 0);
        ni_hits_free(h);
        CHECK(strcmp(ors, got) == 0);
        CHECK(k == 3 && memcmp(so, s1, k * sizeof *so) == 0);
    }
}

static void modes_and_long_queries(void)
{
    ni_hits *h;
    const char *longq = "главы трех муниципалитетов приняли участие в проекте школы мэров "
                        "вчера утром";
    setup();
    CHECK_RC(ni_search(&h, idx, "школа мэров", strlen("школа мэров"), NULL), 0);
    CHECK(strcmp(ni_hits_mode(h), "all words") == 0);
    CHECK(ni_hits_notice(h) == NULL);
    ni_hits_free(h);
    /* a pasted headline with two words the article lacks still finds it */
    CHECK_RC(ni_search(&h, idx, longq, strlen(longq), NULL), 0);
    CHECK(strncmp(ni_hits_mode(h), "at least ", 9) == 0);
    CHECK(ni_hits_total(h) >= 1);
    {
        ni_hit hit;
        CHECK_RC(ni_hits_next(h, &hit), 0);
        CHECK(hit.id_len == 2 && memcmp(hit.id, "d1", 2) == 0);
    }
    ni_hits_free(h);
    CHECK_RC(ni_search(&h, idx, "мост -поток", strlen("мост -поток"), NULL), 0);
    CHECK(strcmp(ni_hits_mode(h), "boolean") == 0);
    ni_hits_free(h);
    {
        /* ids only: no title, but the snippet still reads the text */
        ni_search_options o = NI_SEARCH_OPTIONS_INIT;
        ni_hit hit;
        ni_snippet sn;
        o.flags = NI_SEARCH_IDS_ONLY;
        CHECK_RC(ni_search(&h, idx, "мост", strlen("мост"), &o), 0);
        CHECK_RC(ni_hits_next(h, &hit), 0);
        CHECK(hit.id_len == 2 && memcmp(hit.id, "d3", 2) == 0 && hit.title == NULL);
        CHECK(hit.date != NI_DATE_NONE);
        CHECK_RC(ni_hits_snippet(&sn, h, 0), 0);
        CHECK(sn.nranges == 1);
        ni_hits_free(h);
    }
}

/* Tied hits page consistently; excluded words are not highlighted. */
static void ties_and_exclusions(void)
{
    char path[300], id[8], seen[16] = "";
    ni_index *i2 = NULL;
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    ni_hit hit;
    ni_snippet sn;
    size_t k;
    const char *ids = "cba";

    o.flags = NI_SEARCH_NO_COLLAPSE;      /* three equal texts: documents, not one story */
    snprintf(path, sizeof path, "%s/ties", dir);
    CHECK_RC(ni_index_open(&i2, path, NULL), 0);
    for (k = 0; k < 3; k++) {
        ni_doc d = NI_DOC_INIT;
        snprintf(id, sizeof id, "%c", ids[k]);
        d.id = id;
        d.id_len = 1;
        d.text = "кошка спит";
        d.text_len = strlen(d.text);
        CHECK_RC(ni_index_add(i2, &d), 0);
    }
    CHECK_RC(ni_index_commit(i2), 0);
    o.limit = 1;
    for (k = 0; k < 3; k++) {
        o.offset = k;
        CHECK_RC(ni_search(&h, i2, "кошка", strlen("кошка"), &o), 0);
        CHECK_RC(ni_hits_next(h, &hit), 0);
        seen[k] = hit.id[0];
        ni_hits_free(h);
    }
    CHECK(strcmp(seen, "cba") == 0);          /* indexing order, no repeats */
    ni_index_close(i2);

    /* equal scores, the newer first: a tie with the worst of a full top k
     * may still win on its date, so pruning (MaxScore over the OR) must not
     * drop it (p, q, r are indexed in that order, dated January, March,
     * February) */
    snprintf(path, sizeof path, "%s/dated-ties", dir);
    CHECK_RC(ni_index_open(&i2, path, NULL), 0);
    for (k = 0; k < 3; k++) {
        static const int64_t dates[] = { 1704067200, 1709251200, 1706745600 };
        ni_doc d = NI_DOC_INIT;
        snprintf(id, sizeof id, "%c", "pqr"[k]);
        d.id = id;
        d.id_len = 1;
        d.text = "кошка спит";
        d.text_len = strlen(d.text);
        d.date = dates[k];
        CHECK_RC(ni_index_add(i2, &d), 0);
    }
    CHECK_RC(ni_index_commit(i2), 0);
    for (k = 0; k < 6; k++) {           /* exact totals, then with pruning */
        size_t n;
        o.flags = NI_SEARCH_NO_COLLAPSE | (k >= 3 ? NI_SEARCH_APPROX_TOTAL : 0);
        o.limit = k % 3 + 1;
        o.offset = 0;
        memset(seen, 0, sizeof seen);
        CHECK_RC(ni_search(&h, i2, "кошка OR спит", strlen("кошка OR спит"), &o), 0);
        for (n = 0; h && n < sizeof seen - 1 && ni_hits_next(h, &hit) == 0; n++)
            seen[n] = hit.id[0];
        CHECK(n == o.limit && strncmp(seen, "qrp", n) == 0);
        ni_hits_free(h);
    }
    ni_index_close(i2);

    setup();
    CHECK_RC(ni_search(&h, idx, "мост -title:район", strlen("мост -title:район"), NULL), 0);
    CHECK_RC(ni_hits_next(h, &hit), 0);
    CHECK_RC(ni_hits_snippet(&sn, h, 0), 0);
    for (k = 0; k < sn.nranges; k++)
        CHECK(range_is(&sn, k, "мост") || range_is(&sn, k, "Мост"));
    ni_hits_free(h);
}

static void hostile_queries(void)
{
    static char q[20000];
    ni_hits *h = NULL;
    ni_hit hit;
    size_t i, n = 0;
    setup();
    /* 1,000 words, none in the index: a long query (a share of its words
     * suffices), no hits */
    for (i = 0; i < 1000; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "слово%zu ", i);
    CHECK_RC(ni_search(&h, idx, q, n, NULL), 0);
    CHECK(h && ni_hits_total(h) == 0 && ni_hits_next(h, &hit) == NI_DONE);
    CHECK(h && strncmp(ni_hits_mode(h), "at least ", 9) == 0);
    ni_hits_free(h);
    h = NULL;
    /* one known word 1,000 times: its documents, as for the word once */
    for (i = 0, n = 0; i < 1000; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "школа ");
    CHECK_RC(ni_search(&h, idx, q, n, NULL), 0);
    CHECK(h && ni_hits_total(h) == 2);
    for (i = 0; h && ni_hits_next(h, &hit) == 0; i++)
        CHECK(hit.id_len == 2 && (memcmp(hit.id, "d1", 2) == 0 || memcmp(hit.id, "d2", 2) == 0));
    CHECK(i == 2);
    ni_hits_free(h);
    h = NULL;
    /* nested too deep (balanced, so not read as words) */
    memset(q, '(', 2500);
    memset(q + 2500, ')', 2500);
    CHECK_RC(ni_search(&h, idx, q, 5000, NULL), NI_ESYNTAX);
    /* unbalanced: no words, no hits */
    memset(q, '(', 5000);
    CHECK_RC(ni_search(&h, idx, q, 5000, NULL), 0);
    CHECK(h && ni_hits_total(h) == 0);
    ni_hits_free(h);
    h = NULL;
    /* 2,500 empty phrases: no words, no hits */
    memset(q, '"', 5000);
    CHECK_RC(ni_search(&h, idx, q, 5000, NULL), 0);
    CHECK(h && ni_hits_total(h) == 0 && ni_hits_next(h, &hit) == NI_DONE);
    ni_hits_free(h);
}

/* The query's budget of terms (ni_search_options.max_terms): counted over
 * words and prefix expansions, equal prefixes expanded once, NI_ELIMIT
 * past it, on both sides of the limit. */
static void query_budget(void)
{
    static char q[20000];
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    size_t i, n = 0, terms;
    int rc;

    setup();
    /* how many terms «мэр*» and «школа» take: the smallest budget that
     * passes is their count */
    for (terms = 1; terms < 64; terms++) {
        o.max_terms = terms;
        rc = ni_search(&h, idx, "мэр* школа", strlen("мэр* школа"), &o);
        ni_hits_free(h);
        h = NULL;
        if (rc == 0)
            break;
        CHECK(rc == NI_ELIMIT && strstr(ni_errmsg(), "query too broad") != NULL);
    }
    CHECK(terms > 2 && terms < 64);
    /* one less fails (above), the count passes; the same prefix a thousand
     * times is one prefix */
    for (i = 0; i < 1000; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%sмэр*", i ? " OR " : "");
    o.max_terms = terms;
    CHECK_RC(ni_search(&h, idx, "мэр* школа", strlen("мэр* школа"), &o), 0);
    ni_hits_free(h);
    h = NULL;
    o.max_terms = terms - 1;
    CHECK_RC(ni_search(&h, idx, q, n, &o), 0);       /* «мэр*» alone: fewer terms */
    ni_hits_free(h);
    h = NULL;
    /* a word takes its terms once per time it is written: «школа» ten
     * times takes ten times the terms it takes alone, not one more */
    for (terms = 1; terms < 16; terms++) {
        o.max_terms = terms;
        if ((rc = ni_search(&h, idx, "школа", strlen("школа"), &o)) == 0)
            break;
        CHECK(rc == NI_ELIMIT);
    }
    ni_hits_free(h);
    h = NULL;
    CHECK(terms < 16);
    for (i = 0, n = 0; i < 10; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%sшкола", i ? " OR " : "");
    o.max_terms = 10 * terms;
    CHECK_RC(ni_search(&h, idx, q, n, &o), 0);
    ni_hits_free(h);
    h = NULL;
    o.max_terms = 10 * terms - 1;
    CHECK_RC(ni_search(&h, idx, q, n, &o), NI_ELIMIT);
    CHECK(h == NULL);
    /* a thousand times: over 1,000 terms, within the default 4096 */
    for (i = 0, n = 0; i < 1000; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "%sшкола", i ? " OR " : "");
    o.max_terms = 1000;
    CHECK_RC(ni_search(&h, idx, q, n, &o), terms > 1 ? NI_ELIMIT : 0);
    ni_hits_free(h);
    h = NULL;
    o.max_terms = 0;
    CHECK_RC(ni_search(&h, idx, q, n, &o), 0);
    ni_hits_free(h);
    h = NULL;
    /* options of version 2 (no max_terms) get the default */
    o.version = 2;
    o.max_terms = 1;                                  /* not read */
    CHECK_RC(ni_search(&h, idx, "мэр* школа", strlen("мэр* школа"), &o), 0);
    ni_hits_free(h);
}

/* Closing a handle while cursors of it are open: they go on reading the
 * snapshot they had (hits, snippets), and the last one freed frees the
 * handle (ASan: no use after free, no leak). */
static void close_with_open_hits(void)
{
    ni_open_options oo = NI_OPEN_OPTIONS_INIT;
    ni_index *x = NULL;
    ni_hits *a = NULL, *b = NULL;
    ni_hit hit;
    ni_snippet sn;
    size_t na = 0, nb = 0;
    uint64_t total;

    oo.flags = NI_OPEN_READONLY;
    CHECK_RC(ni_index_open(&x, dir, &oo), 0);
    CHECK_RC(ni_search(&a, x, "школа", strlen("школа"), NULL), 0);
    CHECK_RC(ni_search(&b, x, "школа", strlen("школа"), NULL), 0);
    total = ni_hits_total(a);
    CHECK(total >= 2);
    CHECK_RC(ni_hits_next(a, &hit), 0);
    na++;
    ni_index_close(x);
    /* the handle itself is closed: a clear error, and closing again is
     * nothing (while its cursors keep it) */
    {
        ni_hits *c = NULL;
        ni_stats st;
        ni_doc *d = NULL;
        CHECK_RC(ni_search(&c, x, "школа", strlen("школа"), NULL), NI_EINVAL);
        CHECK(c == NULL && strstr(ni_errmsg(), "was closed") != NULL);
        CHECK_RC(ni_index_stats(&st, x), NI_EINVAL);
        CHECK_RC(ni_index_get(&d, x, "x", 1), NI_EINVAL);
        ni_index_close(x);
    }
    while (ni_hits_next(a, &hit) == 0) {
        CHECK(hit.id && hit.id_len > 0);
        CHECK_RC(ni_hits_snippet(&sn, a, 80), 0);
        CHECK(sn.nranges > 0);
        na++;
    }
    ni_hits_free(a);
    while (ni_hits_next(b, &hit) == 0)
        nb++;
    CHECK(na == nb && na == (total < 10 ? total : 10));
    ni_hits_free(b);                    /* frees the handle */
}

static void teardown(void)
{
    char cmd[200];
    ni_index_close(idx);
    idx = NULL;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK(system(cmd) == 0);
}

/* Word i of a made-up Latin vocabulary: "zq" and three consonants (no
 * English ending to stem away). */
static void made_word(char *w, unsigned i)
{
    static const char c[] = "bcdfghjk";
    snprintf(w, 8, "zq%c%c%c", c[i / 64 % 8], c[i / 8 % 8], c[i % 8]);
}

/*
 * The per-word limits of a query: a prefix expands to at most 128 terms
 * (128 words all found, the 129th left out with a notice), and a phrase
 * keeps its first 64 words (a wrong 64th word fails it, a wrong 65th is not
 * read).
 */
static void word_limits(void)
{
    char path[300], id[16], w[8], text[1024], q[1024];
    ni_index *i2 = NULL;
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_doc d = NI_DOC_INIT;
    ni_hits *h = NULL;
    size_t n = 0;
    unsigned i;

    o.flags = NI_SEARCH_NO_COLLAPSE;
    o.limit = 200;
    snprintf(path, sizeof path, "%s/limits", dir);
    CHECK_RC(ni_index_open(&i2, path, NULL), 0);
    for (i = 0; i < 129; i++) {
        made_word(w, i);
        snprintf(id, sizeof id, "w%u", i);
        d.id = id;
        d.id_len = strlen(id);
        d.text = w;
        d.text_len = strlen(w);
        CHECK_RC(ni_index_add(i2, &d), 0);
        if (i == 127) {
            CHECK_RC(ni_index_commit(i2), 0);
            CHECK_RC(ni_search(&h, i2, "zq*", 3, &o), 0);
            CHECK(h && ni_hits_total(h) == 128 && ni_hits_notice(h) == NULL);
            ni_hits_free(h);
        }
    }
    CHECK_RC(ni_index_commit(i2), 0);
    CHECK_RC(ni_search(&h, i2, "zq*", 3, &o), 0);
    CHECK(h && ni_hits_total(h) == 128);
    CHECK(h && ni_hits_notice(h) && strstr(ni_hits_notice(h), "matches 129 terms; searched the first 128"));
    ni_hits_free(h);

    /* one document of 70 words; phrases of its first words */
    for (i = 0; i < 70; i++) {
        made_word(w, 200 + i);
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? " " : "", w);
    }
    d.id = "long";
    d.id_len = 4;
    d.text = text;
    d.text_len = n;
    CHECK_RC(ni_index_add(i2, &d), 0);
    CHECK_RC(ni_index_commit(i2), 0);
    for (i = 0; i < 3; i++) {
        /* 64 words; 63 and a wrong one; 64 and a wrong one */
        size_t words = i == 0 ? 64 : i == 1 ? 63 : 64, k, m = 0;
        m += (size_t)snprintf(q + m, sizeof q - m, "\"");
        for (k = 0; k < words; k++) {
            made_word(w, 200 + (unsigned)k);
            m += (size_t)snprintf(q + m, sizeof q - m, "%s%s", k ? " " : "", w);
        }
        if (i > 0)
            m += (size_t)snprintf(q + m, sizeof q - m, " zqkkk");
        m += (size_t)snprintf(q + m, sizeof q - m, "\"");
        CHECK_RC(ni_search(&h, i2, q, m, &o), 0);
        CHECK(h && ni_hits_total(h) == (i == 1 ? 0u : 1u));
        ni_hits_free(h);
    }
    ni_index_close(i2);
}

TEST_MAIN(TEST(operators), TEST(partial_matches), TEST(ranking_and_sorting), TEST(syntax_errors),
          TEST(highlighting), TEST(snippet_boundaries), TEST(modes_and_long_queries),
          TEST(ties_and_exclusions), TEST(hostile_queries), TEST(query_budget), TEST(word_limits),
          TEST(close_with_open_hits), TEST(teardown))
