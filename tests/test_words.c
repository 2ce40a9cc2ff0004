/*
 * Unit tests of the surface-word lexicon (lib/words.c, the words table
 * kept by lib/invert.c and lib/flush.c): which normal forms are words
 * (letters only, ё as е, numbers and compounds out, the 64-byte limit on
 * both sides), df counting each document once (title and body), and the
 * table exact against a count by brute force over the live documents
 * (analysed here with the public analyzer) after adds, replacements in and
 * across batches, deletions and compaction; an entry is gone at df 0; the
 * check accepts it all and refuses a damaged entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/index.h"
#include "../lib/layout.h"
#include "../lib/words.h"
#include "test.h"
#include "tmpdir.h"

/* ---- the rule ------------------------------------------------------------ */

static int accepts(const char *s)
{
    return ni_words_accept(s, strlen(s));
}

static void rule(void)
{
    char w[200];
    int i;

    CHECK(accepts("москва"));
    CHECK(accepts("hello"));
    CHECK(accepts("и"));
    CHECK(accepts("façade"));
    CHECK(!accepts(""));
    CHECK(!accepts("2024"));
    CHECK(!accepts("mp3"));
    CHECK(!accepts("ростов-на-дону"));
    CHECK(!accepts("o'neil"));
    CHECK(!accepts("αθήνα"));
    CHECK(!accepts("\xd0"));                      /* cut short */
    /* 32 Cyrillic letters are 64 bytes: kept; 33 are not */
    w[0] = 0;
    for (i = 0; i < 32; i++)
        strcat(w, "ж");
    CHECK(strlen(w) == NI_WORD_MAX_BYTES && accepts(w));
    strcat(w, "ж");
    CHECK(!accepts(w));
    memset(w, 'q', 65);
    w[65] = 0;
    CHECK(!accepts(w));
    w[64] = 0;
    CHECK(accepts(w));
}

/* ---- an index and a brute-force count --------------------------------- */

#define MAX_DOCS 64
#define MAX_WORDS 4096

typedef struct model {
    char *title[MAX_DOCS], *body[MAX_DOCS]; /* NULL: no such live document */
} model;

typedef struct counts {
    char *w[MAX_WORDS];
    uint32_t df[MAX_WORDS];
    size_t n;
} counts;

static void counts_free(counts *c)
{
    size_t i;
    for (i = 0; i < c->n; i++)
        free(c->w[i]);
    c->n = 0;
}

static size_t counts_find(const counts *c, const char *w, size_t len)
{
    size_t i;
    for (i = 0; i < c->n; i++)
        if (strlen(c->w[i]) == len && memcmp(c->w[i], w, len) == 0)
            return i;
    return c->n;
}

/* The words of a document (title and body), each once, into seen. */
static void doc_words(ni_analyzer *an, const char *title, const char *body, counts *seen)
{
    const char *f[2] = { title, body };
    ni_token tok;
    int k;

    for (k = 0; k < 2; k++) {
        if (!f[k])
            continue;
        CHECK_RC(ni_analyzer_start(an, f[k], strlen(f[k]), 0), 0);
        while (ni_analyzer_next(an, &tok) == 0) {
            if ((tok.flags & (NI_TOKEN_NUMBER | NI_TOKEN_COMPOUND)) ||
                !ni_words_accept(tok.norm, tok.norm_len) ||
                counts_find(seen, tok.norm, tok.norm_len) < seen->n)
                continue;
            seen->w[seen->n] = strndup(tok.norm, tok.norm_len);
            seen->df[seen->n++] = 1;
        }
    }
}

/* The df of every word over the model's live documents. */
static void brute_force(const model *m, counts *out)
{
    ni_analyzer *an = NULL;
    counts seen = { { 0 }, { 0 }, 0 };
    size_t i, j;

    CHECK_RC(ni_analyzer_new(&an), 0);
    out->n = 0;
    for (i = 0; i < MAX_DOCS; i++) {
        if (!m->title[i])
            continue;
        doc_words(an, m->title[i], m->body[i], &seen);
        for (j = 0; j < seen.n; j++) {
            size_t at = counts_find(out, seen.w[j], strlen(seen.w[j]));
            if (at == out->n) {
                out->w[out->n++] = strdup(seen.w[j]);
                out->df[at] = 0;
            }
            out->df[at]++;
        }
        counts_free(&seen);
    }
    ni_analyzer_free(an);
}

/* What ni_words_by_key sees: whether one word is among a key's words
 * with its df. */
typedef struct key_probe {
    const char *w;
    uint32_t df;
    int found;
} key_probe;

static int probe_word(void *arg, const char *w, size_t len, uint32_t df)
{
    key_probe *p = arg;
    if (len == strlen(p->w) && memcmp(w, p->w, len) == 0) {
        p->found = 1;
        p->df = df;
    }
    return 0;
}

/* 1 when w, a word of the table, is found by its transliteration key (or
 * has none: then *keyed is not counted up). */
static int has_key_entry(ni_txn *t, ni_translit *tr, const char *w, size_t *keyed)
{
    ni_buf key = NI_BUF_INIT;
    key_probe p = { w, 0, 0 };
    int rc = ni_translit_key_cyr(tr, w, strlen(w), &key);
    if (rc == 1) {
        ++*keyed;
        CHECK_RC(ni_words_by_key(t, (const char *)key.data, key.len, probe_word, &p), 0);
        if (!p.found)
            fprintf(stderr, "word '%s' not found by its key '%.*s'\n", w, (int)key.len,
                    (const char *)key.data);
    }
    ni_buf_free(&key);
    return rc != 1 || p.found;
}

/* 1 when the words table of idx holds exactly the brute-force counts, and
 * the translit table a key entry for each Cyrillic word and no other. */
static int table_exact(ni_index *idx, const model *m)
{
    counts want = { { 0 }, { 0 }, 0 };
    ni_translit *tr = NULL;
    ni_txn *t = NULL;
    uint64_t n = 0;
    size_t i, keyed = 0;
    int ok = 1;

    brute_force(m, &want);
    CHECK_RC(ni_translit_new(&tr), 0);
    CHECK_RC(ni_txn_begin(&t, idx->store, 0), 0);
    CHECK_RC(ni_txn_count(t, NI_T_WORDS, &n), 0);
    if (n != want.n) {
        fprintf(stderr, "words table has %llu entries, want %zu\n", (unsigned long long)n,
                want.n);
        ok = 0;
    }
    for (i = 0; i < want.n; i++) {
        uint32_t df = 0;
        int rc = ni_words_df(t, want.w[i], strlen(want.w[i]), &df);
        if (rc != 0 || df != want.df[i]) {
            fprintf(stderr, "word '%s': df %u (rc %d), want %u\n", want.w[i], df, rc,
                    want.df[i]);
            ok = 0;
        }
        if (!has_key_entry(t, tr, want.w[i], &keyed))
            ok = 0;
    }
    CHECK_RC(ni_txn_count(t, NI_T_TRANSLIT, &n), 0);
    if (n != keyed) {
        fprintf(stderr, "translit table has %llu entries, want %zu\n", (unsigned long long)n,
                keyed);
        ok = 0;
    }
    ni_txn_abort(t);
    ni_translit_free(tr);
    counts_free(&want);
    return ok;
}

static uint32_t df_of(ni_index *idx, const char *w)
{
    ni_txn *t = NULL;
    uint32_t df = 0;
    CHECK_RC(ni_txn_begin(&t, idx->store, 0), 0);
    if (ni_words_df(t, w, strlen(w), &df) < 0)
        df = 0;
    ni_txn_abort(t);
    return df;
}

static ni_index *open_new(void)
{
    ni_open_options o = NI_OPEN_OPTIONS_INIT;
    ni_index *idx = NULL;
    o.flags = NI_OPEN_CREATE;
    if (ni_index_open(&idx, test_new_dir(), &o) < 0) {
        fprintf(stderr, "cannot open: %s\n", ni_errmsg());
        exit(2);
    }
    return idx;
}

/* Adds (or replaces) document i of the model in idx. */
static int put(ni_index *idx, model *m, int i, const char *title, const char *body)
{
    ni_doc d = NI_DOC_INIT;
    char id[16];
    snprintf(id, sizeof id, "d%d", i);
    d.id = id;
    d.id_len = strlen(id);
    d.title = title;
    d.title_len = strlen(title);
    d.text = body;
    d.text_len = strlen(body);
    free(m->title[i]);
    free(m->body[i]);
    m->title[i] = strdup(title);
    m->body[i] = strdup(body);
    return ni_index_add(idx, &d);
}

static int del(ni_index *idx, model *m, int i)
{
    char id[16];
    snprintf(id, sizeof id, "d%d", i);
    free(m->title[i]);
    free(m->body[i]);
    m->title[i] = m->body[i] = NULL;
    return ni_index_delete(idx, id, strlen(id));
}

static void model_free(model *m)
{
    int i;
    for (i = 0; i < MAX_DOCS; i++) {
        free(m->title[i]);
        free(m->body[i]);
    }
    memset(m, 0, sizeof *m);
}

/* ---- cases --------------------------------------------------------------- */

/* Normal forms as the analyzer makes them, each document once. */
static void forms(void)
{
    ni_index *idx = open_new();
    model m;

    memset(&m, 0, sizeof m);
    CHECK_RC(put(idx, &m, 0, "Ёлка в Москве", "ёлка, ЁЛКА и ещё раз елка: 2024 год, COVID-19, "
                 "Ростов-на-Дону; сказал Песков"), 0);
    CHECK_RC(put(idx, &m, 1, "Москве", "ничего"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(df_of(idx, "елка") == 1);       /* title and body, four spellings: once */
    CHECK(df_of(idx, "ёлка") == 0);
    CHECK(df_of(idx, "москве") == 2);
    CHECK(df_of(idx, "песков") == 1);     /* a name mid-sentence: only its key is a term */
    CHECK(df_of(idx, "ростов") == 1 && df_of(idx, "на") == 1 && df_of(idx, "дону") == 1);
    CHECK(df_of(idx, "ростов-на-дону") == 0);
    CHECK(df_of(idx, "covid") == 1);
    CHECK(df_of(idx, "2024") == 0 && df_of(idx, "19") == 0);
    CHECK(table_exact(idx, &m));
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
    model_free(&m);
}

/* A word of 64 bytes is kept, one of 66 is not. */
static void long_words(void)
{
    ni_index *idx = open_new();
    char w32[200] = "", w33[200];
    model m;
    int i;

    memset(&m, 0, sizeof m);
    for (i = 0; i < 32; i++)
        strcat(w32, "щ");
    strcpy(w33, w32);
    strcat(w33, "щ");
    CHECK_RC(put(idx, &m, 0, w32, w33), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(df_of(idx, w32) == 1);
    CHECK(df_of(idx, w33) == 0);
    CHECK(table_exact(idx, &m));
    ni_index_close(idx);
    model_free(&m);
}

/* Replacing and deleting, committed or in the same batch; an entry at
 * df 0 is removed. */
static void replace_delete(void)
{
    ni_index *idx = open_new();
    model m;

    memset(&m, 0, sizeof m);
    CHECK_RC(put(idx, &m, 0, "первый", "общий редкостный"), 0);
    CHECK_RC(put(idx, &m, 1, "второй", "общий"), 0);
    CHECK_RC(put(idx, &m, 2, "третий", "общий мимолетный"), 0);
    CHECK_RC(put(idx, &m, 2, "третий", "общий"), 0);       /* replaced in the batch */
    CHECK_RC(put(idx, &m, 3, "четвертый", "исчезающий"), 0);
    CHECK_RC(del(idx, &m, 3), 0);                          /* deleted in the batch */
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(df_of(idx, "общий") == 3 && df_of(idx, "редкостный") == 1);
    CHECK(df_of(idx, "мимолетный") == 0 && df_of(idx, "исчезающий") == 0);
    CHECK(table_exact(idx, &m));

    CHECK_RC(put(idx, &m, 0, "первый", "общий"), 0);       /* the word left the document */
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(df_of(idx, "редкостный") == 0);
    CHECK(df_of(idx, "общий") == 3);
    CHECK(table_exact(idx, &m));

    CHECK_RC(del(idx, &m, 1), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(df_of(idx, "общий") == 2 && df_of(idx, "второй") == 0);
    CHECK(table_exact(idx, &m));
    CHECK_RC(del(idx, &m, 0), 0);
    CHECK_RC(del(idx, &m, 2), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(table_exact(idx, &m));                           /* empty */
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
    model_free(&m);
}

/* Random documents over a small vocabulary, changed in rounds of adds,
 * replacements and deletions, with compaction: the table matches the
 * brute-force count after every commit. */
static void random_rounds(void)
{
    static const char *const vocab[] = {
        "Москва", "москвы", "МОСКВЕ", "ёж", "ежик", "Ёжики", "президент", "президента",
        "сказал", "Песков", "Пескова", "google", "Google", "iPhone", "telegram", "в", "и",
        "на", "2024", "10,5", "Ростов-на-Дону", "COVID-19", "по-русски", "façade",
        "счёт", "счет", "новости", "новость", "Новостей", "ВВП", "d'Artagnan", "mp3"
    };
    const size_t nv = sizeof vocab / sizeof vocab[0];
    ni_index *idx = open_new();
    unsigned seed = 12345;
    model m;
    int round, i;

    memset(&m, 0, sizeof m);
    for (round = 0; round < 12; round++) {
        for (i = 0; i < 20; i++) {
            char title[200] = "", body[600] = "";
            int doc, k, op;
            seed = seed * 1103515245u + 12345u;
            doc = (int)((seed >> 8) % MAX_DOCS);
            op = (int)((seed >> 20) % 4);
            if (op == 0 && m.title[doc]) {
                CHECK_RC(del(idx, &m, doc), 0);
                continue;
            }
            for (k = 0; k < 3; k++) {
                seed = seed * 1103515245u + 12345u;
                strcat(title, vocab[(seed >> 8) % nv]);
                strcat(title, " ");
            }
            for (k = 0; k < 8; k++) {
                seed = seed * 1103515245u + 12345u;
                strcat(body, vocab[(seed >> 8) % nv]);
                strcat(body, k % 3 == 2 ? ". " : " ");
            }
            CHECK_RC(put(idx, &m, doc, title, body), 0);
        }
        CHECK_RC(ni_index_commit(idx), 0);
        if (round % 4 == 3)
            CHECK_RC(ni_index_compact(idx), 0);
        if (!table_exact(idx, &m)) {
            CHECK(!"words table exact");
            break;
        }
    }
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
    model_free(&m);
}

/* Compaction after many deletions keeps the table as it was. */
static void compaction(void)
{
    ni_index *idx = open_new();
    model m;
    int i;

    memset(&m, 0, sizeof m);
    for (i = 0; i < MAX_DOCS; i++)
        CHECK_RC(put(idx, &m, i, i % 2 ? "нечетный заголовок" : "четный заголовок",
                     i % 8 ? "обычный текст" : "особый текст"), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    for (i = 0; i < MAX_DOCS; i += 2)
        CHECK_RC(del(idx, &m, i), 0);
    CHECK_RC(ni_index_commit(idx), 0);
    CHECK(df_of(idx, "особый") == 0 && df_of(idx, "четный") == 0);
    CHECK(df_of(idx, "заголовок") == MAX_DOCS / 2);
    CHECK_RC(ni_index_compact(idx), 0);
    CHECK(df_of(idx, "заголовок") == MAX_DOCS / 2 && df_of(idx, "нечетный") == MAX_DOCS / 2);
    CHECK(table_exact(idx, &m));
    CHECK_RC(ni_index_check(NULL, idx), 0);
    ni_index_close(idx);
    model_free(&m);
}

/* The check refuses an entry at df 0, above the live documents, or a key
 * that is no word. */
/* A words value is a document frequency, a varint from 1 to 2^32 - 1:
 * 0 (a word no document has) and 2^32 are damage, as is a byte left over. */
static void value_bounds(void)
{
    static const struct { unsigned char b[6]; size_t n; int rc; uint32_t df; } cases[] = {
        { { 0x00 }, 1, NI_ECORRUPT, 0 },
        { { 0x01 }, 1, 0, 1 },
        { { 0xff, 0xff, 0xff, 0xff, 0x0f }, 5, 0, UINT32_MAX },
        { { 0x80, 0x80, 0x80, 0x80, 0x10 }, 5, NI_ECORRUPT, 0 },
        { { 0x01, 0x00 }, 2, NI_ECORRUPT, 0 },
        { { 0x81 }, 1, NI_ECORRUPT, 0 },
    };
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ni_val v = { cases[i].b, cases[i].n };
        uint32_t df = 7;
        CHECK_RC(ni_words_value(&v, &df), cases[i].rc);
        CHECK(df == cases[i].df);
    }
}

static void check_refuses(void)
{
    static const struct { const char *key, *val; size_t vlen; } bad[] = {
        { "ноль", "\x00", 1 }, { "много", "\x05", 1 }, { "x1", "\x01", 1 },
        { "пусто", "", 0 }, { "длинно", "\x81", 1 },
    };
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ni_index *idx = open_new();
        model m;
        ni_txn *t = NULL;
        memset(&m, 0, sizeof m);
        CHECK_RC(put(idx, &m, 0, "слово", "другое"), 0);
        CHECK_RC(ni_index_commit(idx), 0);
        CHECK_RC(ni_index_check(NULL, idx), 0);
        CHECK_RC(ni_txn_begin(&t, idx->store, 1), 0);
        CHECK_RC(ni_txn_put(t, NI_T_WORDS, bad[i].key, strlen(bad[i].key), bad[i].val,
                            bad[i].vlen), 0);
        CHECK_RC(ni_txn_commit(t), 0);
        CHECK_RC(ni_index_check(NULL, idx), NI_ECORRUPT);
        CHECK(strstr(ni_errmsg(), "words") != NULL);
        ni_index_close(idx);
        model_free(&m);
    }
}

/* check finds a translit table that is not the words' keys: an entry
 * missing, one under another key, one of a word the table has not, a word
 * added without its key. */
static void check_translit(void)
{
    static const char slovo[] = "slovo\0слово";   /* key of «слово», 0x00, the word */
    static const char other_key[] = "slova\0слово";
    static const char no_word[] = "slova\0слова";
    int k;

    for (k = 0; k < 5; k++) {
        ni_index *idx = open_new();
        model m;
        ni_txn *t = NULL;
        memset(&m, 0, sizeof m);
        CHECK_RC(put(idx, &m, 0, "слово", "другое"), 0);
        CHECK_RC(ni_index_commit(idx), 0);
        CHECK_RC(ni_index_check(NULL, idx), 0);
        CHECK_RC(ni_txn_begin(&t, idx->store, 1), 0);
        if (k == 0) {           /* the entry is as the test says, then gone */
            ni_val v;
            CHECK_RC(ni_txn_get(t, NI_T_TRANSLIT, slovo, sizeof slovo - 1, &v), 0);
            CHECK_RC(ni_txn_del(t, NI_T_TRANSLIT, slovo, sizeof slovo - 1), 0);
        } else if (k == 1) {
            CHECK_RC(ni_txn_put(t, NI_T_TRANSLIT, other_key, sizeof other_key - 1, "", 0), 0);
        } else if (k == 2) {
            CHECK_RC(ni_txn_put(t, NI_T_TRANSLIT, no_word, sizeof no_word - 1, "", 0), 0);
        } else if (k == 3) {
            CHECK_RC(ni_txn_put(t, NI_T_WORDS, "новое", strlen("новое"), "\x01", 1), 0);
        } else {                /* untouched: still fine after the round trip */
            CHECK_RC(ni_txn_commit(t), 0);
            CHECK_RC(ni_index_check(NULL, idx), 0);
            ni_index_close(idx);
            model_free(&m);
            continue;
        }
        CHECK_RC(ni_txn_commit(t), 0);
        CHECK_RC(ni_index_check(NULL, idx), NI_ECORRUPT);
        CHECK(strstr(ni_errmsg(), "translit") != NULL);
        ni_index_close(idx);
        model_free(&m);
    }
}

TEST_MAIN(TEST(value_bounds), TEST(rule), TEST(check_translit), TEST(forms), TEST(long_words), TEST(replace_delete),
          TEST(random_rounds), TEST(compaction), TEST(check_refuses))
