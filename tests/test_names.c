/*
 * Names in every case form, end to end through the public header: a query
 * in any case form of a surname or a place finds every capitalised form of
 * it (in the middle of a sentence, at its start, in capitals, in compounds
 * and phrases, by prefix), and not the common words Snowball stems the
 * same («песок» for «песков», «рост» for «ростов»); the choice between a
 * name and a common word at its boundary (search.c word_alts); snippets
 * that mark the forms found.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/namekey.h"
#include "test.h"
#include "testidx.h"

static char dir[] = "/tmp/ni-names-XXXXXX";
static ni_index *idx;

static const struct {
    const char *id, *text;
} docs[] = {
    { "n1", "Пресс-секретарь президента Дмитрий Песков заявил журналистам." },
    { "n2", "Слова Пескова передали все агентства." },
    { "n3", "Песков ответил на вопрос о встрече." },
    { "n4", "На пляже много песка, и песок горячий." },
    { "n5", "Мост в Ростове-на-Дону открыли вчера." },
    { "n6", "Из Ростова-на-Дону выехал поезд." },
    { "n7", "РОСТОВ-НА-ДОНУ, 12 окт. Новости региона." },
    { "n8", "Рост цен замедлился. Рост зарплат тоже." },
    { "n9", "Поезд прибыл в Ростов вечером." },
    { "n10", "Фестиваль на Дону прошел в станице." },
    { "n11", "Встречу с Песковым перенесли, сказал Пескову министр." },
    { "n12", "Мы ждали Васю и Васи не было." },
    { "n13", "Мы ждем вас завтра." },
};

static void setup(void)
{
    size_t i;
    if (idx)
        return;
    idx = tidx_open_temp(dir);
    for (i = 0; i < sizeof docs / sizeof docs[0]; i++)
        tidx_add(idx, docs[i].id, NULL, docs[i].text);
    CHECK_RC(ni_index_commit(idx), 0);
}

/* Every hit of q in ix (default mode, no partial matches). */
#define IDS_ARE(ix, q, want) TIDX_IDS_ARE(ix, q, NULL, want)

static void case_forms(void)
{
    setup();
    /* nominative, oblique, capitalised: every form, not the sand */
    IDS_ARE(idx, "песков", "n1,n11,n2,n3");
    IDS_ARE(idx, "пескова", "n1,n11,n2,n3");
    IDS_ARE(idx, "пескову", "n1,n11,n2,n3");
    IDS_ARE(idx, "Песковым", "n1,n11,n2,n3");
    IDS_ARE(idx, "песок", "n4");
    /* at a sentence start a capital says nothing: Песков there is also
     * indexed under Snowball's «песк» */
    IDS_ARE(idx, "песка", "n3,n4");
    /* a place: its forms and compounds, not «рост» */
    IDS_ARE(idx, "ростов", "n5,n6,n7,n9");
    IDS_ARE(idx, "ростове", "n5,n6,n7,n9");
    IDS_ARE(idx, "рост", "n7,n8");          /* РОСТОВ in capitals: «рост» too */
    IDS_ARE(idx, "дону", "n10,n5,n6,n7");
    /* a name Snowball stems to a function word («васю» -> «вас») */
    IDS_ARE(idx, "васю", "n12");
    IDS_ARE(idx, "вас", "n13");
}

static void compounds_and_phrases(void)
{
    setup();
    IDS_ARE(idx, "ростов-на-дону", "n5,n6,n7");
    IDS_ARE(idx, "Ростове-на-Дону", "n5,n6,n7");
    IDS_ARE(idx, "\"ростов на дону\"", "n5,n6,n7");
    IDS_ARE(idx, "\"ростова на дону\"", "n5,n6,n7");
    IDS_ARE(idx, "\"на дону\"", "n10,n5,n6,n7");
    IDS_ARE(idx, "\"дмитрий песков\"", "n1");
    IDS_ARE(idx, "\"песков дмитрий\"", "");
    IDS_ARE(idx, "\"дмитрий песков\"~1", "n1");
    IDS_ARE(idx, "\"секретарь президента\"", "n1");
}

static void prefixes(void)
{
    setup();
    /* names written with a capital are found by their keys */
    IDS_ARE(idx, "песко*", "n1,n11,n2,n3,n4");
    IDS_ARE(idx, "ростовск*", "");
    /* the prefix is the word's term: «ростов» is stemmed to «рост» */
    IDS_ARE(idx, "ростов*", "n5,n6,n7,n8,n9");
}

/* Highlights of the first hit of q, as [start,end) pairs of the snippet. */
static void marks(const char *q, char *out, size_t size)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit;
    ni_snippet sn;
    size_t i, n = 0;

    out[0] = '\0';
    o.flags = NI_SEARCH_NO_PARTIAL;
    if (ni_search(&h, idx, q, strlen(q), &o) < 0 || ni_hits_next(h, &hit) != 0 ||
        ni_hits_snippet(&sn, h, 200) < 0) {
        snprintf(out, size, "ERR");
        ni_hits_free(h);
        return;
    }
    for (i = 0; i < sn.nranges; i++)
        n += (size_t)snprintf(out + n, size - n, "[%.*s]",
                              (int)(sn.ranges[2 * i + 1] - sn.ranges[2 * i]),
                              sn.text + sn.ranges[2 * i]);
    ni_hits_free(h);
}

static void highlights(void)
{
    char got[256];
    setup();
    marks("песковым", got, sizeof got);
    CHECK(strcmp(got, "[Песковым][Пескову]") == 0);
    marks("\"ростов на дону\" мост", got, sizeof got);
    CHECK(strcmp(got, "[Мост][Ростове][на][Дону]") == 0);
    marks("ростов-на-дону мост", got, sizeof got);
    CHECK(strcmp(got, "[Мост][Ростове-на-Дону]") == 0);
}

/*
 * A name or a common word: the key written in the middle of a sentence at
 * least half as often as at sentence starts makes a name («петров» then
 * finds Петров, Петрова and not Петра, which Snowball stems the same);
 * one sentence start more and the word is read as a common one.  A word
 * nothing else finds is found by its key at sentence starts.
 */
static void name_or_word(void)
{
    char path[64] = "/tmp/ni-names2-XXXXXX", cmd[128];
    ni_index *ix = NULL;

    if (!mkdtemp(path))
        exit(2);
    CHECK_RC(ni_index_open(&ix, path, NULL), 0);
    tidx_add(ix, "a", NULL, "Вчера встретили Петрова у входа.");    /* mid-sentence: 1 */
    tidx_add(ix, "b", NULL, "Петров пришел первым.");               /* sentence starts: 1 */
    tidx_add(ix, "c", NULL, "Петра позвали вторым.");
    CHECK_RC(ni_index_commit(ix), 0);
    IDS_ARE(ix, "петров", "a,b");
    tidx_add(ix, "d", NULL, "Петров ушел.");                        /* starts: 2 = 2 x 1 */
    CHECK_RC(ni_index_commit(ix), 0);
    IDS_ARE(ix, "петров", "a,b,d");
    tidx_add(ix, "e", NULL, "Петров спал.");                        /* starts: 3 > 2 x 1 */
    CHECK_RC(ni_index_commit(ix), 0);
    IDS_ARE(ix, "петров", "a,b,c,d,e");
    tidx_add(ix, "f", NULL, "Сидоров спал.");
    CHECK_RC(ni_index_commit(ix), 0);
    IDS_ARE(ix, "сидорову", "f");
    ni_index_close(ix);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    CHECK(system(cmd) == 0);
}

/*
 * A word found under two of its terms in one document is scored as one
 * term: its frequencies summed, saturated once, with the idf of the terms'
 * summed document frequencies (two saturations would score more).
 */
static void one_saturation(void)
{
    char path[64] = "/tmp/ni-names3-XXXXXX", cmd[128];
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_index *ix = NULL;
    ni_hits *h = NULL;
    ni_hit hit;
    double idf, inv, tf, want, twice;

    if (!mkdtemp(path))
        exit(2);
    CHECK_RC(ni_index_open(&ix, path, NULL), 0);
    /* Песков mid-sentence (key only) and at a sentence start (stem and
     * key): body length 5 */
    tidx_add(ix, "x", NULL, "Вчера Песков сказал. Песков ушел.");
    tidx_add(ix, "y", NULL, "Погода хорошая.");                 /* body length 2 */
    CHECK_RC(ni_index_commit(ix), 0);
    CHECK_RC(ni_search(&h, ix, "песков", strlen("песков"), &o), 0);
    CHECK_RC(ni_hits_next(h, &hit), 0);
    CHECK(hit.id_len == 1 && hit.id[0] == 'x');
    /* the keys mid-sentence and at a sentence start: df 1 + 1 of N = 2;
     * both in the lead (the first 25 positions of the body) and the
     * document has no title: 1.5 more occurrences (NI_LEAD_WEIGHT,
     * lib/rank.h), once for the word */
    idf = log(1.0 + (2.0 - 2.0 + 0.5) / (2.0 + 0.5));
    inv = 1.0 / (1.0 - o.b + o.b * 5.0 / 3.5);
    tf = (2.0 + 1.5) * inv;
    want = idf * tf * (o.k1 + 1.0) / (tf + o.k1);
    twice = 2.0 * idf * (2.5 * inv) * (o.k1 + 1.0) / (2.5 * inv + o.k1);
    CHECK(fabs(hit.score - want) < 1e-9);
    CHECK(fabs(hit.score - twice) > 1e-3);
    CHECK_RC(ni_hits_next(h, &hit), NI_DONE);
    ni_hits_free(h);
    ni_index_close(ix);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    CHECK(system(cmd) == 0);
}

/* ni_name_key_len alone: -им is an ending after each of г к х ж ш щ ч
 * (Рыжим, Лучим) and not after other letters (Ефим stays whole); -о goes
 * except after a surname suffix (Пушкино). */
static void key_endings(void)
{
    static const char *const velar[] = { "г", "к", "х", "ж", "ш", "щ", "ч" };
    char w[64];
    size_t i, n;
    for (i = 0; i < sizeof velar / sizeof velar[0]; i++) {
        n = (size_t)snprintf(w, sizeof w, "лу%sим", velar[i]);
        CHECK(ni_name_key_len(w, n) == n - strlen("им"));
    }
    n = (size_t)snprintf(w, sizeof w, "лутим");
    CHECK(ni_name_key_len(w, n) == n);
    CHECK(ni_name_key_len("пушкино", strlen("пушкино")) == strlen("пушкино"));
    CHECK(ni_name_key_len("министерство", strlen("министерство")) == strlen("министерств"));
}

static void teardown(void)
{
    tidx_close_remove(idx, dir);
    idx = NULL;
}

TEST_MAIN(TEST(key_endings), TEST(case_forms), TEST(compounds_and_phrases), TEST(prefixes), TEST(highlights),
          TEST(name_or_word), TEST(one_saturation), TEST(teardown))
