/*
 * Query rescue through the public header: words typed with the wrong
 * keyboard layout are switched when the index knows what they switch to
 * and not what they are; the gate (a word that matches is never touched,
 * quoted phrases and fields are not rescued, NI_SEARCH_EXACT turns it off);
 * what the cursor says about it (ni_hits_rewrite, ni_hits_searched).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"
#include "testidx.h"

static char dir[] = "/tmp/ni-rescue-XXXXXX";
static ni_index *idx;

static const struct {
    const char *id, *text;
} docs[] = {
    { "m1", "Москва готовится к зиме, в Москве выпал снег." },
    { "m2", "Погода в Москве: мы ждем морозов." },
    { "m3", "Жесткий диск на 1тб стоит дешевле, чем было." },
    { "m4", "Жесткий график и жесткий диск: было и прошло." },
    { "m5", "Hello world, say hello to the new release." },
    { "m6", "The hello message and here we are, python scripts." },
    { "m7", "Одинокий кит плывет." },          /* «кит»: one document */
    { "m8", "Мы держим руку на пульсе." },
    { "m9", "Руку подал Python, here and now." },
    { "m10", "Дом на углу снесли." },
    { "m11", "Старый дом купили." },
    { "w1", "Президент подписал указ о выборах." },
    { "w2", "Президент выступил с посланием." },
    { "w3", "Навальный и его сторонники вышли на улицу." },
    { "w4", "Суд над Навальным начался утром." },
    { "w5", "Что такое щукин двор? Щукин двор сгорел." },
    { "w6", "Президенту доложили о пожаре." },
    { "w7", "Прездент компании ушел." },         /* a typo in one document */
    { "w8", "The Sud project, in English." },
    { "w9", "Суд отложил заседание." },
    { "w10", "Выборы пройдут в апреле, до конца апреля." },
    { "w11", "Отчет сдадут до 1 апреля." },
    { "w12", "Смена пароля обязательна." },
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

static ni_search_options opts(unsigned flags)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    o.limit = 64;
    o.flags = NI_SEARCH_NO_PARTIAL | flags;
    return o;
}

/* What the rescue did with q: "searched|from>to,from>to" (kind layout
 * only here), "-" for a query searched as typed, "ERR" on error. */
static void rescued(const char *q, unsigned flags, char *out, size_t size)
{
    ni_search_options o = opts(flags);
    ni_hits *h;
    size_t i, len, at;
    const char *s;

    if (ni_search(&h, idx, q, strlen(q), &o) < 0) {
        snprintf(out, size, "ERR");
        return;
    }
    s = ni_hits_searched(h, &len);
    at = (size_t)snprintf(out, size, "%.*s", s ? (int)len : 1, s ? s : "-");
    for (i = 0; i < ni_hits_rewrites(h); i++) {
        ni_rewrite w;
        if (ni_hits_rewrite(h, i, &w) < 0 || w.kind != NI_RESCUE_LAYOUT || w.suggested) {
            snprintf(out, size, "ERR");
            break;
        }
        at += (size_t)snprintf(out + at, size - at, "%s%.*s>%.*s", i ? "," : "|",
                               (int)w.from_len, w.from, (int)w.to_len, w.to);
    }
    CHECK(ni_hits_rewrite(h, i, &(ni_rewrite){ 0 }) == NI_EINVAL);
    ni_hits_free(h);
}

#define RESCUED(q, flags, want) do { char got_[512]; \
    rescued(q, flags, got_, sizeof got_); \
    if (strcmp(got_, want) != 0) { test_failures++; \
        fprintf(stderr, "%s:%d: '%s' rescued as [%s], want [%s]\n", __FILE__, __LINE__, q, \
                got_, want); } } while (0)

static void layout_switch(void)
{
    ni_search_options exact = opts(NI_SEARCH_EXACT);
    setup();
    RESCUED("vjcrdf", 0, "москва|vjcrdf>москва");
    TIDX_IDS_ARE(idx, "vjcrdf", NULL, "m1,m2");
    TIDX_IDS_ARE(idx, "Vjcrdf", NULL, "m1,m2");
    /* the keys of ж and б are ; and , */
    RESCUED(";tcnrbq lbcr", 0, "жесткий диск|;tcnrbq>жесткий,lbcr>диск");
    TIDX_IDS_ARE(idx, ";tcnrbq lbcr", NULL, "m3,m4");
    RESCUED(",skj", 0, "было|,skj>было");
    /* the other way */
    RESCUED("руддщ", 0, "hello|руддщ>hello");
    TIDX_IDS_ARE(idx, "руддщ", NULL, "m5,m6");
    /* a trailing ',' or '.' is punctuation when the letter key makes nothing */
    RESCUED("vjcrdf,", 0, "москва,|vjcrdf>москва");
    RESCUED("vjcrdf.", 0, "москва.|vjcrdf>москва");
    /* operators and brackets stay */
    RESCUED("(vjcrdf OR руддщ)", 0, "(москва OR hello)|vjcrdf>москва,руддщ>hello");
    TIDX_IDS_ARE(idx, "(vjcrdf OR руддщ)", NULL, "m1,m2,m5,m6");
    RESCUED("lbcr -vjcrdf", 0, "диск -москва|lbcr>диск,vjcrdf>москва");
    /* with NI_SEARCH_EXACT nothing is switched */
    RESCUED("vjcrdf", NI_SEARCH_EXACT, "-");
    TIDX_IDS_ARE(idx, "vjcrdf", &exact, "");
}

static void gate(void)
{
    setup();
    /* words that match are never switched */
    RESCUED("москва", 0, "-");
    RESCUED("here", 0, "-");                    /* would be «руку» */
    RESCUED("python", 0, "-");
    RESCUED("руку", 0, "-");
    /* only the run that matches nothing */
    RESCUED("москва lbcr", 0, "москва диск|lbcr>диск");
    /* alone, a run's switch must be in NI_LAYOUT_ALONE_DF (2) documents:
     * «одинокий» is in 1, «жесткий» in 2; with another run, in one */
    RESCUED("jlbyjrbq", 0, "-");
    RESCUED(";tcnrbq", 0, "жесткий|;tcnrbq>жесткий");
    RESCUED("jlbyjrbq rbn", 0, "-");
    RESCUED("jlbyjrbq gksdtn", 0, "одинокий плывет|jlbyjrbq>одинокий,gksdtn>плывет");
    RESCUED("jlbyjrbq gksdtn qzxqzx", 0,
            "одинокий плывет qzxqzx|jlbyjrbq>одинокий,gksdtn>плывет");
    RESCUED("jlbyjrbq gksdtn qzxqzx qzxqzx qzxqzx", 0, "-");
    RESCUED("jlbyjrbqq", 0, "-");
    /* short runs alone never: «кит» is in 1 document, «дом» in 2 */
    RESCUED("rbn", 0, "-");
    RESCUED("rbn qzxqzx lbcr", 0, "rbn qzxqzx диск|lbcr>диск");
    RESCUED("ljv qzxqzx lbcr", 0, "ljv qzxqzx диск|lbcr>диск");
    /* nothing known either way */
    RESCUED("qzxqzx", 0, "-");
    /* quoted phrases and fields are left as typed */
    RESCUED("\"vjcrdf\"", 0, "-");
    RESCUED("\"lbcr vjcrdf ;tcnrbq\"", 0, "-");
    RESCUED("\u00ablbcr vjcrdf ;tcnrbq\u00bb", 0, "-");
    RESCUED("\"lbcr\" vjcrdf", 0, "\"lbcr\" москва|vjcrdf>москва");
    RESCUED("title:vjcrdf", 0, "-");
    RESCUED("rubric:vjcrdf", 0, "-");
    /* an odd number of '"': each is Э («"nj» is «Это») */
    RESCUED("\"nj lbcr", 0, "Это диск|\"nj>Это,lbcr>диск");
    /* : is Ж when not a field */
    RESCUED(":tcnrbq", 0, "Жесткий|:tcnrbq>Жесткий");
    RESCUED("vjcrd*", 0, "-");
}

static void whole_query(void)
{
    setup();
    /* when half of the runs or more switch, the query was typed in the
     * other layout: then also a short run */
    RESCUED("rbn vjcrdf ;tcnrbq", 0, "кит москва жесткий|rbn>кит,vjcrdf>москва,;tcnrbq>жесткий");
    RESCUED("rbn vjcrdf qzxqzx", 0, "rbn москва qzxqzx|vjcrdf>москва");
    /* a known word whose switch is known too («here», «руку») */
    RESCUED("here vjcrdf", 0, "руку москва|here>руку,vjcrdf>москва");
    RESCUED("here vjcrdf qzxqzx", 0, "here москва qzxqzx|vjcrdf>москва");
    /* a known word whose switch is not stays */
    RESCUED("python vjcrdf", 0, "python москва|vjcrdf>москва");
    /* a short run known neither way switches, a longer one not */
    RESCUED("qzx vjcrdf", 0, "йяч москва|qzx>йяч,vjcrdf>москва");
    RESCUED("qzxq vjcrdf", 0, "qzxq москва|vjcrdf>москва");
}

static void short_runs(void)
{
    setup();
    /* «vs» is «мы» (in 2 documents) but alone a short run does not switch */
    RESCUED("vs", 0, "-");
    /* it does when most of the other runs switch: 1 of 1 */
    RESCUED("vs vjcrdf", 0, "мы москва|vs>мы,vjcrdf>москва");
    /* 1 of 2 is not most */
    RESCUED("vs vjcrdf qzxqzx", 0, "vs москва qzxqzx|vjcrdf>москва");
    /* 2 of 3 is */
    RESCUED("vs vjcrdf lbcr qzxqzx", 0, "мы москва диск qzxqzx|vs>мы,vjcrdf>москва,lbcr>диск");
    /* three characters are short, four are not */
    RESCUED("ljv", 0, "-");                     /* «дом», in 2 documents */
    RESCUED("lbcr", 0, "диск|lbcr>диск");
}

/* The notice of q's search ("-" when none), "ESYNTAX" on a syntax error. */
static void notice(const char *q, char *out, size_t size)
{
    ni_search_options o = opts(0);
    ni_hits *h;
    int rc = ni_search(&h, idx, q, strlen(q), &o);
    if (rc < 0) {
        snprintf(out, size, "%s", rc == NI_ESYNTAX ? "ESYNTAX" : "ERR");
        return;
    }
    snprintf(out, size, "%s", ni_hits_notice(h) ? ni_hits_notice(h) : "-");
    ni_hits_free(h);
}

#define NOTICE(q, want) do { char got_[256]; notice(q, got_, sizeof got_); \
    if (strncmp(got_, want, strlen(want)) != 0) { test_failures++; \
        fprintf(stderr, "%s:%d: '%s': notice [%s], want [%s...]\n", __FILE__, __LINE__, q, \
                got_, want); } } while (0)

static void unbalanced(void)
{
    setup();
    /* pasted text with an unbalanced quote or bracket: its words */
    NOTICE("\"жесткий диск", "an unbalanced quote or bracket");
    TIDX_IDS_ARE(idx, "\"жесткий диск", NULL, "m3,m4");
    TIDX_IDS_ARE(idx, "жесткий (диск", NULL, "m3,m4");
    TIDX_IDS_ARE(idx, "жесткий) диск", NULL, "m3,m4");
    TIDX_IDS_ARE(idx, "\u00abжесткий диск", NULL, "m3,m4");
    TIDX_IDS_ARE(idx, "жесткий диск\u201d", NULL, "m3,m4");
    NOTICE("\"a\" \"b", "an unbalanced quote or bracket");
    /* balanced: no notice, and other errors stay errors */
    NOTICE("\"жесткий диск\"", "-");
    NOTICE("(жесткий диск)", "-");
    NOTICE("\u00abжесткий\u00bb \u201cдиск\u201d", "-");
    NOTICE("жесткий OR", "ESYNTAX");
    NOTICE("(жесткий OR)", "ESYNTAX");
    NOTICE("\"жесткий OR", "ESYNTAX");
}

/* What the rescue did with the words of q: "kind:from>to" per rewrite,
 * "?" after a suggested one; "-" when none. */
static void words(const char *q, char *out, size_t size)
{
    ni_search_options o = opts(0);
    ni_hits *h;
    size_t i, at = 0;
    static const char *const kinds[] = { "", "layout", "translit", "typo" };

    if (ni_search(&h, idx, q, strlen(q), &o) < 0) {
        snprintf(out, size, "ERR");
        return;
    }
    out[0] = '\0';
    for (i = 0; i < ni_hits_rewrites(h); i++) {
        ni_rewrite w;
        if (ni_hits_rewrite(h, i, &w) < 0 || w.kind < 1 || w.kind > 3)
            break;
        at += (size_t)snprintf(out + at, size - at, "%s%s:%.*s>%.*s%s", i ? " " : "",
                               kinds[w.kind], (int)w.from_len, w.from, (int)w.to_len, w.to,
                               w.suggested ? "?" : "");
    }
    if (!at)
        snprintf(out, size, "-");
    ni_hits_free(h);
}

#define WORDS(q, want) do { char got_[512]; words(q, got_, sizeof got_); \
    if (strcmp(got_, want) != 0) { test_failures++; \
        fprintf(stderr, "%s:%d: '%s' rescued [%s], want [%s]\n", __FILE__, __LINE__, q, \
                got_, want); } } while (0)

static void translit(void)
{
    setup();
    /* BGN, ICAO, informal: one key; every case form found through the stem */
    WORDS("navalny", "translit:navalny>навальный");
    TIDX_IDS_ARE(idx, "navalny", NULL, "w3,w4");
    WORDS("navalnyy", "translit:navalnyy>навальный");
    WORDS("navalnym", "translit:navalnym>навальным");
    WORDS("shchukin", "translit:shchukin>щукин");
    WORDS("schukin", "translit:schukin>щукин");
    TIDX_IDS_ARE(idx, "schukin", NULL, "w5");
    /* a form the index has not: another ending of the key */
    WORDS("navalnogo", "translit:navalnogo>навальный, навальным");
    /* a Latin word the index has is never rewritten */
    WORDS("python", "-");
    WORDS("hello", "-");
    /* in a query typed in Latin letters, a Latin word the index has is
     * searched beside its Cyrillic words when those are more frequent:
     * «sud» (1 document) beside «суд» (2) */
    WORDS("navalny sud", "translit:navalny>навальный translit:sud>суд");
    TIDX_IDS_ARE(idx, "navalny sud", NULL, "w4");
    WORDS("sud", "-");
    WORDS("hello navalny", "translit:navalny>навальный");   /* «хелло»: none */
    /* as a function word it is optional: «chto» is «что» */
    TIDX_IDS_ARE(idx, "chto shchukin", NULL, "w5");
    /* with NI_SEARCH_EXACT nothing */
    {
        ni_search_options exact = opts(NI_SEARCH_EXACT);
        TIDX_IDS_ARE(idx, "navalny", &exact, "");
    }
}

static void typos(void)
{
    setup();
    /* one edit from 5 letters, the more frequent first */
    WORDS("президнет", "typo:президнет>президент");
    TIDX_IDS_ARE(idx, "президнет", NULL, "w1,w2,w6");   /* by the stem: «президенту» */
    WORDS("сторонинки", "typo:сторонинки>сторонники");
    /* a typo whose stem is known is no typo to the index («навальн») */
    WORDS("навальнй", "-");
    /* 4 letters: none («суд» is 3 edits from nothing) */
    WORDS("сдуа", "-");
    /* the first letter, when nothing else is near */
    WORDS("арезидент", "typo:арезидент>президент");
    WORDS("рпезидент", "typo:рпезидент>президент");
    /* ... and beside the walk's: «пареля» is «апреля» (2 documents) more
     * often than «пароля» (1) */
    WORDS("пареля", "typo:пареля>апреля, пароля");
    /* a word in one document (a typo itself) is searched as typed; one
     * 100 times as frequent is only suggested, and not here (2 documents) */
    WORDS("прездент", "-");
    TIDX_IDS_ARE(idx, "прездент", NULL, "w7");
    /* phrases and fields are not rescued */
    WORDS("\"президнет подписал\"", "-");
    WORDS("title:президнет", "-");
    /* the query as searched shows the first candidate */
    {
        ni_search_options o = opts(0);
        ni_hits *h;
        size_t len;
        const char *q = "указ президнет";
        const char *sq;
        CHECK_RC(ni_search(&h, idx, q, strlen(q), &o), 0);
        sq = ni_hits_searched(h, &len);
        CHECK(sq && len == strlen("указ президент") && !memcmp(sq, "указ президент", len));
        CHECK(ni_hits_why_none(h) == NULL);
        ni_hits_free(h);
    }
}

/* A rare word whose neighbour is NI_RESCUE_SUGGEST (100) times as frequent
 * is searched as typed and the neighbour suggested, when the search found
 * fewer than NI_RESCUE_FEW (3) documents. */
static void suggestion(void)
{
    char dir2[] = "/tmp/ni-rescue2-XXXXXX", id[16];
    ni_index *ix = tidx_open_temp(dir2);
    int i;

    for (i = 0; i < 100; i++) {
        snprintf(id, sizeof id, "p%d", i);
        tidx_add(ix, id, NULL, i < 2 ? "Заседание, правитльство." : "Заседание, правительство.");
    }
    CHECK_RC(ni_index_commit(ix), 0);
    {
        ni_search_options o = opts(0);
        ni_hits *h;
        ni_rewrite w;
        const char *q = "правитльство";
        CHECK_RC(ni_search(&h, ix, q, strlen(q), &o), 0);
        CHECK(ni_hits_total(h) == 2 && ni_hits_searched(h, NULL) == NULL);
        /* «правительство» is in 98 documents, 49 times as many: none */
        CHECK(ni_hits_rewrites(h) == 0);
        ni_hits_free(h);
        tidx_add(ix, "p0", NULL, "Заседание, правительство.");   /* now 99 to 1 */
        CHECK_RC(ni_index_commit(ix), 0);
        CHECK_RC(ni_search(&h, ix, q, strlen(q), &o), 0);
        CHECK(ni_hits_total(h) == 1 && ni_hits_rewrites(h) == 0);
        ni_hits_free(h);
        tidx_add(ix, "p100", NULL, "Заседание, правительство.");  /* 100 to 1 */
        CHECK_RC(ni_index_commit(ix), 0);
        CHECK_RC(ni_search(&h, ix, q, strlen(q), &o), 0);
        CHECK(ni_hits_total(h) == 1 && ni_hits_searched(h, NULL) == NULL);
        CHECK(ni_hits_rewrites(h) == 1 && ni_hits_rewrite(h, 0, &w) == 0 && w.suggested &&
              w.kind == NI_RESCUE_TYPO && w.to_len == strlen("правительство") &&
              !memcmp(w.to, "правительство", w.to_len));
        ni_hits_free(h);
        /* with three hits or more, none */
        tidx_add(ix, "p1", NULL, "Заседание, правитльство.");
        tidx_add(ix, "p200", NULL, "Заседание, правитльство, правитльство.");
        tidx_add(ix, "p201", NULL, "правитльство");
        CHECK_RC(ni_index_commit(ix), 0);
        CHECK_RC(ni_search(&h, ix, q, strlen(q), &o), 0);
        CHECK(ni_hits_total(h) == 3 && ni_hits_rewrites(h) == 0);
        ni_hits_free(h);
    }
    tidx_close_remove(ix, dir2);
}

/* Clean queries, every word known: the same hits and scores with rescue
 * on and off. */
static void clean_same(void)
{
    static const char *const qs[] = {
        "москва", "жесткий диск", "президент указ", "навальный", "python here",
        "прездент", "щукин двор", "\"президент подписал\"", "дом OR кит",
    };
    size_t i;
    setup();
    for (i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        ni_search_options on = opts(0), off = opts(NI_SEARCH_EXACT);
        ni_hits *a, *b;
        ni_hit x, y;
        int ra, rb;
        CHECK_RC(ni_search(&a, idx, qs[i], strlen(qs[i]), &on), 0);
        CHECK_RC(ni_search(&b, idx, qs[i], strlen(qs[i]), &off), 0);
        CHECK(ni_hits_rewrites(a) == 0 && ni_hits_searched(a, NULL) == NULL);
        while ((ra = ni_hits_next(a, &x)) == 0 && (rb = ni_hits_next(b, &y)) == 0)
            CHECK(x.id_len == y.id_len && !memcmp(x.id, y.id, x.id_len) && x.score == y.score);
        CHECK(ra == NI_DONE && ni_hits_next(b, &y) == NI_DONE);
        ni_hits_free(a);
        ni_hits_free(b);
    }
}

static void cleanup_all(void)
{
    tidx_close_remove(idx, dir);
    idx = NULL;
}

TEST_MAIN(TEST(layout_switch), TEST(gate), TEST(whole_query), TEST(short_runs),
          TEST(unbalanced), TEST(translit), TEST(typos), TEST(suggestion), TEST(clean_same),
          TEST(cleanup_all))
