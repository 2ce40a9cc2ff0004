/*
 * test_similar.c - ni_similar through the public API: the near copies
 * first, most similar first and marked, then the documents sharing the
 * document's distinctive words, best first; never the document itself,
 * nor a document with none of them; limit and offset; a deleted
 * copy is gone; an unknown id is NI_ENOTFOUND.
 */
#include <stdio.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"
#include "testidx.h"
#include "tmpdir.h"

static void add(ni_index *idx, const char *id, const char *text)
{
    tidx_add(idx, id, NULL, text);
}

static const char story[] =
    "Пожар на складе в Балашихе потушили к утру, пострадавших нет, огонь охватил "
    "ангар с бытовой химией, сообщили в МЧС Подмосковья";

static ni_index *build(void)
{
    ni_index *idx = NULL;
    char t[512];
    CHECK_RC(ni_index_open(&idx, test_new_dir(), NULL), 0);
    add(idx, "a", story);
    snprintf(t, sizeof t, "%s. Подписывайтесь на канал", story);
    add(idx, "copy-far", t);                /* a copy with a longer footer */
    snprintf(t, sizeof t, "%s!", story);
    add(idx, "copy-near", t);               /* the same words */
    add(idx, "related", "В Балашихе снова пожар: горит ангар на складе бытовой химии");
    /* only the commonest of its words, which the 12 most distinctive leave out */
    add(idx, "weak", "Складе ангар");
    add(idx, "other", "Курс доллара вырос на бирже");
    add(idx, "other2", "Курс евро упал на бирже");
    CHECK_RC(ni_index_commit(idx), 0);
    return idx;
}

/* "id id* ..." (* after a near copy) for ni_similar of id. */
static int similar(ni_index *idx, const char *id, size_t offset, size_t limit, char *out,
                   size_t size, uint64_t *total)
{
    ni_search_options o = NI_SEARCH_OPTIONS_INIT;
    ni_hits *h = NULL;
    ni_hit hit;
    size_t at = 0;
    int rc;
    o.offset = offset;
    o.limit = limit;
    out[0] = '\0';
    if ((rc = ni_similar(&h, idx, id, strlen(id), &o)) < 0)
        return rc;
    CHECK(!ni_hits_is_near_copy(h));
    while ((rc = ni_hits_next(h, &hit)) == 0)
        at += (size_t)snprintf(out + at, size - at, "%s%.*s%s", at ? " " : "", (int)hit.id_len,
                               hit.id, ni_hits_is_near_copy(h) ? "*" : "");
    CHECK(rc == NI_DONE);
    if (total)
        *total = ni_hits_total(h);
    ni_hits_free(h);
    return 0;
}

static void copies_then_related(void)
{
    ni_index *idx = build();
    char got[512];
    uint64_t total = 0;
    CHECK_RC(similar(idx, "a", 0, 10, got, sizeof got, &total), 0);
    CHECK(strcmp(got, "copy-near* copy-far* related") == 0);
    if (strcmp(got, "copy-near* copy-far* related") != 0)
        fprintf(stderr, "got %s\n", got);
    CHECK(total == 3);
    /* limit and offset over the same list */
    CHECK_RC(similar(idx, "a", 0, 1, got, sizeof got, NULL), 0);
    CHECK(strcmp(got, "copy-near*") == 0);
    CHECK_RC(similar(idx, "a", 2, 1, got, sizeof got, NULL), 0);
    CHECK(strcmp(got, "related") == 0);
    CHECK_RC(similar(idx, "a", 3, 10, got, sizeof got, NULL), 0);
    CHECK(strcmp(got, "") == 0);
    /* no copies: only the related ones */
    CHECK_RC(similar(idx, "other", 0, 10, got, sizeof got, NULL), 0);
    CHECK(strcmp(got, "other2") == 0);
    CHECK_RC(similar(idx, "nope", 0, 10, got, sizeof got, NULL), NI_ENOTFOUND);
    ni_index_close(idx);
}

static void deleted_copy_gone(void)
{
    ni_index *idx = build();
    char got[512];
    CHECK_RC(ni_index_delete(idx, "copy-near", strlen("copy-near")), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(similar(idx, "a", 0, 10, got, sizeof got, NULL), 0);
    CHECK(strcmp(got, "copy-far* related") == 0);
    ni_index_close(idx);
}

/* Words no other document has find nothing: they are not among the 12
 * searched, however rare. */
static void own_words_left_out(void)
{
    ni_index *idx = build();
    char got[512];
    add(idx, "lonely", "Абрикос бегемот вулкан гитара дельфин енот жираф зебра игуана кенгуру "
                       "лемур мангуст носорог в Балашихе");
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK_RC(similar(idx, "lonely", 0, 10, got, sizeof got, NULL), 0);
    /* searched by «балашихе» alone: the four documents that have it */
    CHECK(strstr(got, "related") && strstr(got, "copy-near") && strstr(got, "copy-far") &&
          strstr(got, "a "));
    ni_index_close(idx);
}

TEST_MAIN(TEST(copies_then_related), TEST(deleted_copy_gone), TEST(own_words_left_out))
