/*
 * Why a query found nothing (ni_hits_why_none), through the public header:
 * the words that match nothing, a rubric the index has not (with those it
 * has), dates outside the index's span (with the span), a lower-case «or»;
 * and NULL whenever something matched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"
#include "testidx.h"

static char dir[] = "/tmp/ni-nohits-XXXXXX";
static ni_index *idx;

static void add(const char *id, const char *rubric, const char *date, const char *text)
{
    tidx_add_doc(idx, id, NULL, rubric, date, text);
}

static void setup(void)
{
    if (idx)
        return;
    idx = tidx_open_temp(dir);
    add("a", "Экономика", "2023-03-01", "Курс рубля вырос.");
    add("b", "Спорт", "2023-05-20", "Сборная выиграла матч.");
    add("c", NULL, NULL, "Путин встретился с Медведевым.");
    add("d", "Спорт", "2024-01-31T23:00:00", "Матч перенесли из-за снега.");
    CHECK_RC(ni_index_commit(idx), 0);
    /* a deleted document's date does not count */
    add("e", "Культура", "2025-06-01", "Выставка открылась.");
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(ni_index_delete(idx, "e", 1), 0);
    CHECK_RC(ni_index_commit(idx), 0);
}

/* ni_hits_why_none of q (default options; flags added), "(null)" when NULL. */
static void why(const char *q, unsigned flags, char *out, size_t size)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h;
    const char *w;
    o.flags |= flags;
    if (ni_search(&h, idx, q, strlen(q), &o) < 0) {
        snprintf(out, size, "ERR %s", ni_errmsg());
        return;
    }
    w = ni_hits_why_none(h);
    snprintf(out, size, "%s", w ? w : "(null)");
    ni_hits_free(h);
}

#define WHY(q, flags, want) do { char got_[512]; why(q, flags, got_, sizeof got_); \
    if (strcmp(got_, want) != 0) { test_failures++; \
        fprintf(stderr, "%s:%d: '%s': [%s], want [%s]\n", __FILE__, __LINE__, q, got_, \
                want); } } while (0)

static void unknown_words(void)
{
    setup();
    WHY("вкусняшка", 0, "\u00abвкусняшка\u00bb matches nothing in the index");
    /* with NI_SEARCH_EXACT the rescue cannot hide it; as typed, quoted */
    WHY("матч вкусняшка", NI_SEARCH_EXACT | NI_SEARCH_NO_PARTIAL,
        "\u00abвкусняшка\u00bb matches nothing in the index");
    /* partial matches are matches */
    WHY("матч вкусняшка", NI_SEARCH_EXACT, "(null)");
    /* a word of deleted documents only */
    WHY("выставка", 0, "\u00abвыставка\u00bb matches nothing in the index");
    WHY("\"матч вкусняшка\" qzxw", 0,
        "\u00abвкусняшка\u00bb, \u00abqzxw\u00bb match nothing in the index");
    /* words under NOT are not reasons */
    WHY("рубль -вкусняшка", 0, "(null)");
    WHY("снег -матч", 0, "no document matches the whole query");
}

static void filters(void)
{
    setup();
    WHY("матч rubric:Культура", 0,
        "no rubric \u00abКультура\u00bb (rubrics: спорт, экономика)");
    WHY("rubric:спорт", 0, "(null)");
    WHY("rubric:культура", 0, "no rubric \u00abкультура\u00bb (rubrics: спорт, экономика)");
    /* a rubric that exists, but not with these words */
    WHY("рубль rubric:спорт", NI_SEARCH_NO_PARTIAL, "no document matches the whole query");
    WHY("матч date:2025", 0,
        "no document is dated 2025-01-01 .. 2025-12-31 (the index spans 2023-03-01 .. 2024-01-31)");
    /* the span's edges: the last day holds a document, the next not */
    WHY("матч date:2024-01-31", 0, "(null)");
    WHY("матч date:2024-02-01..2024-12", 0,
        "no document is dated 2024-02-01 .. 2024-12-31 (the index spans 2023-03-01 .. 2024-01-31)");
    WHY("матч before:2023-03-01", 0,
        "no document is dated before 2023-03-01 (the index spans 2023-03-01 .. 2024-01-31)");
    WHY("матч after:2024-01-31", 0, "(null)");   /* the day named is included */
    WHY("матч after:2024-02-01", 0,
        "no document is dated from 2024-02-01 on (the index spans 2023-03-01 .. 2024-01-31)");
}

static void lower_case_or(void)
{
    setup();
    WHY("рубль or матч", NI_SEARCH_NO_PARTIAL,
        "\u00abor\u00bb was read as a word (for either word write OR)");
    WHY("рубль OR матч", 0, "(null)");
}

static void cleanup_all(void)
{
    tidx_close_remove(idx, dir);
    idx = NULL;
}

/* An unknown rubric lists the index's rubrics: all twelve when there are
 * NI_NOHITS_RUBRICS, the first twelve then ", ..." when there are more. */
static void rubric_list_limit(void)
{
    char d2[] = "/tmp/ni-nohits2-XXXXXX", id[8], name[16], want[512];
    ni_index *saved = idx;
    size_t n = 0;
    int i;
    idx = tidx_open_temp(d2);
    n = (size_t)snprintf(want, sizeof want, "no rubric \u00abнет\u00bb (rubrics: ");
    for (i = 1; i <= 13; i++) {
        snprintf(id, sizeof id, "r%d", i);
        snprintf(name, sizeof name, "тема%02d", i);
        add(id, name, NULL, "Текст.");
        CHECK_RC(ni_index_commit(idx), 0);
        if (i == 12) {
            WHY("rubric:нет", 0, "no rubric \u00abнет\u00bb (rubrics: тема01, тема02, тема03, "
                "тема04, тема05, тема06, тема07, тема08, тема09, тема10, тема11, тема12)");
        }
    }
    n += (size_t)snprintf(want + n, sizeof want - n, "тема01, тема02, тема03, тема04, тема05, "
                          "тема06, тема07, тема08, тема09, тема10, тема11, тема12, ...)");
    WHY("rubric:нет", 0, want);
    tidx_close_remove(idx, d2);
    idx = saved;
}

TEST_MAIN(TEST(unknown_words), TEST(filters), TEST(lower_case_or), TEST(rubric_list_limit),
          TEST(cleanup_all))
