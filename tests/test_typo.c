/*
 * Unit tests of the typo candidates (lib/typo.c) over a words table
 * written here: the edits allowed by length in characters on both sides
 * of 5 and 9 (a 5-letter Cyrillic word, 10 bytes, gets 1 edit), each kind
 * of edit, a transposition counting 1, the first letter fixed, the order
 * (distance, then df) and the limit, the word itself left out; the walk
 * reads far fewer entries than the table has; and the candidates are
 * exactly those a brute-force distance over the whole table finds, for
 * random words over alphabets of 1-, 2- and 3-byte letters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lib/typo.h"
#include "../lib/words.h"
#include "test.h"
#include "tmpdir.h"

static ni_store *store;
static ni_translit *tr;     /* the words' keys (made once) */

/* A new words table holding words[0..n) with df 1, 2, 3, ... */
static void lexicon(const char *const *words, size_t n)
{
    ni_txn *t = NULL;
    size_t i;

    ni_store_close(store);
    store = NULL;
    if ((!tr && ni_translit_new(&tr) < 0) || ni_store_open(&store, test_new_dir(), 0, 0, 1) < 0 || ni_txn_begin(&t, store, 1) < 0) {
        fprintf(stderr, "cannot set up: %s\n", ni_errmsg());
        exit(2);
    }
    for (i = 0; i < n; i++)
        CHECK_RC(ni_words_change(t, NULL, tr, words[i], strlen(words[i]), (int64_t)i + 1, 0), 0);
    CHECK_RC(ni_txn_commit(t), 0);
}

/* The candidates for word, at most max, into s: all within the word's
 * distance, or only the nearest ones. */
static int find_in(ni_typo_set *s, const char *word, size_t max, int nearest)
{
    ni_txn *t = NULL;
    int rc;
    CHECK_RC(ni_txn_begin(&t, store, 0), 0);
    rc = nearest ? ni_typo_nearest(s, t, word, strlen(word), max)
                 : ni_typo_candidates(s, t, word, strlen(word), max);
    ni_txn_abort(t);
    return rc;
}

static int find(ni_typo_set *s, const char *word, size_t max)
{
    return find_in(s, word, max, 0);
}

/* The distance of candidate w[0..len) in s, or -1 when it is none. */
static int dist_of_n(const ni_typo_set *s, const char *w, size_t len)
{
    size_t i;
    for (i = 0; i < s->n; i++)
        if (s->cand[i].len == len && memcmp(s->cand[i].word, w, len) == 0)
            return (int)s->cand[i].dist;
    return -1;
}

static int dist_of(const ni_typo_set *s, const char *w)
{
    return dist_of_n(s, w, strlen(w));
}

static void max_distance(void)
{
    CHECK(ni_typo_max_distance(0) == 0);
    CHECK(ni_typo_max_distance(4) == 0);
    CHECK(ni_typo_max_distance(5) == 1);
    CHECK(ni_typo_max_distance(8) == 1);
    CHECK(ni_typo_max_distance(9) == 2);
    CHECK(ni_typo_max_distance(20) == 2);
}

/* Characters, not bytes: 4 letters get none, 5 and 8 one edit, 9 two. */
static void by_length(void)
{
    static const char *const words[] = {
        "мамы", "мамаш",                            /* for мама (4) */
        "книги", "кмигм", "кнгиу",                  /* for книга (5) */
        "таблетки", "тоблетко",                     /* for таблетка (8) */
        "пресидемт", "прзидент", "пврзидемт",       /* for президент (9) */
    };
    ni_typo_set s;

    memset(&s, 0, sizeof s);
    lexicon(words, sizeof words / sizeof words[0]);
    CHECK_RC(find(&s, "мама", 10), 0);
    CHECK_RC(find(&s, "книга", 10), 1);
    CHECK(dist_of(&s, "книги") == 1);
    CHECK(dist_of(&s, "кмигм") == -1);               /* 2 edits: not for 5 letters */
    CHECK(dist_of(&s, "кнгиу") == -1);            /* transposed and substituted */
    CHECK_RC(find(&s, "таблетка", 10), 1);
    CHECK(dist_of(&s, "таблетки") == 1 && dist_of(&s, "тоблетко") == -1);
    CHECK_RC(find(&s, "президент", 10), 2);
    CHECK(dist_of(&s, "прзидент") == 1 && dist_of(&s, "пресидемт") == 2);
    CHECK(dist_of(&s, "пврзидемт") == -1);           /* 3 edits */
    CHECK(s.cand[0].dist == 1);
    /* Latin the same */
    CHECK_RC(find(&s, "hello", 10), 0);
    ni_typo_set_free(&s);
}

/* Each edit one, a transposition too; the first letter never changes. */
static void edits(void)
{
    static const char *const words[] = {
        "москва",
        "москвы",    /* substitution */
        "мсква",     /* deletion */
        "мосскваа",  /* two insertions */
        "мосиква",   /* insertion */
        "моксва",    /* transposition */
        "мсоква",    /* transposition next to the first letter */
        "боскво",    /* first letter and one more */
        "воскво",
        "осквоа",
        "моксвы",    /* transposition and substitution */
    };
    ni_typo_set s;

    memset(&s, 0, sizeof s);
    lexicon(words, sizeof words / sizeof words[0]);
    CHECK_RC(find(&s, "москва", 20), 5);
    CHECK(dist_of(&s, "москва") == -1);              /* the word itself */
    CHECK(dist_of(&s, "москвы") == 1);
    CHECK(dist_of(&s, "мсква") == 1);
    CHECK(dist_of(&s, "мосиква") == 1);
    CHECK(dist_of(&s, "моксва") == 1);
    CHECK(dist_of(&s, "мсоква") == 1);
    CHECK(dist_of(&s, "мосскваа") == -1);
    CHECK(dist_of(&s, "моксвы") == -1);
    /* first letter fixed: «восква» has only one edit, at the first letter */
    CHECK_RC(find(&s, "восква", 20), 1);
    CHECK(dist_of(&s, "воскво") == 1 && dist_of(&s, "москва") == -1);
    /* a transposition of the first two letters changes the first */
    CHECK_RC(find(&s, "омсква", 20), 0);
    ni_typo_set_free(&s);
}

/* By distance, then df from the highest; at most max. */
static void order(void)
{
    static const char *const words[] = {   /* df 1, 2, 3, ... */
        "переговоров", "переговору", "переговора", "переговоры", "переговорах",
    };
    ni_typo_set s;

    memset(&s, 0, sizeof s);
    lexicon(words, sizeof words / sizeof words[0]);
    CHECK_RC(find(&s, "переговоры", 10), 4);
    CHECK(s.n == 4);
    if (s.n == 4) {
        CHECK(s.cand[0].dist == 1 && s.cand[0].df == 3);    /* переговора */
        CHECK(s.cand[1].dist == 1 && s.cand[1].df == 2);    /* переговору */
        CHECK(s.cand[2].dist == 2 && s.cand[2].df == 5);    /* переговорах */
        CHECK(s.cand[3].dist == 2 && s.cand[3].df == 1);    /* переговоров */
        CHECK(s.cand[0].len == strlen("переговора") &&
              memcmp(s.cand[0].word, "переговора", s.cand[0].len) == 0);
    }
    CHECK_RC(find(&s, "переговоры", 2), 2);
    CHECK(s.n == 2 && s.cand[1].df == 2);
    CHECK_RC(find(&s, "переговоры", 0), 0);
    CHECK_RC(find(&s, "\xd0", 10), 0);                      /* not UTF-8 */
    CHECK_RC(find(&s, "", 10), 0);
    ni_typo_set_free(&s);
}

/* ---- random lexicons against brute force --------------------------------- */

static uint64_t seed = 20261207;

static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005u + 1442695040888963407u;
    return (unsigned)(seed >> 33) % n;
}

/* A random word of n letters of alphabet a (na letters). */
static void random_word(char *out, const char *const *a, unsigned na, unsigned n)
{
    unsigned i;
    out[0] = 0;
    for (i = 0; i < n; i++)
        strcat(out, a[rnd(na)]);
}

/* Optimal string alignment distance of code points a and b. */
static unsigned osa(const uint32_t *a, int na, const uint32_t *b, int nb)
{
    unsigned d[80][80];
    int i, j;
    for (i = 0; i <= na; i++)
        d[i][0] = (unsigned)i;
    for (j = 0; j <= nb; j++)
        d[0][j] = (unsigned)j;
    for (i = 1; i <= na; i++)
        for (j = 1; j <= nb; j++) {
            unsigned v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v)
                v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[na][nb];
}

#define NWORDS 3000

/* Appends code point c to out as UTF-8. */
static void put_utf8(char *out, uint32_t c)
{
    char b[4] = { 0 };
    if (c < 0x80)
        b[0] = (char)c;
    else if (c < 0x800) {
        b[0] = (char)(0xc0 | c >> 6);
        b[1] = (char)(0x80 | (c & 0x3f));
    } else {
        b[0] = (char)(0xe0 | c >> 12);
        b[1] = (char)(0x80 | ((c >> 6) & 0x3f));
        b[2] = (char)(0x80 | (c & 0x3f));
    }
    strcat(out, b);
}

/* word with one or two random edits after its first letter, into out. */
static void mistype(char *out, const char *word)
{
    static const uint32_t letters[] = { 0x430, 0x431, 0x43e, 'a', 'o', 'p', 0x1e01 };
    uint32_t cp[40], t;
    int n = ni_words_decode(word, strlen(word), cp, 30), e, k, pos;

    for (e = 0; e <= (int)rnd(2); e++) {
        pos = 1 + (int)rnd((unsigned)n);            /* 1..n */
        switch (rnd(4)) {
        case 0:                                     /* substitution */
            if (pos < n)
                cp[pos] = letters[rnd(7)];
            break;
        case 1:                                     /* insertion */
            memmove(cp + pos + 1, cp + pos, (size_t)(n - pos) * sizeof *cp);
            cp[pos] = letters[rnd(7)];
            n++;
            break;
        case 2:                                     /* deletion */
            if (pos < n && n > 1) {
                memmove(cp + pos, cp + pos + 1, (size_t)(n - pos - 1) * sizeof *cp);
                n--;
            }
            break;
        default:                                    /* transposition */
            if (pos + 1 < n) {
                t = cp[pos];
                cp[pos] = cp[pos + 1];
                cp[pos + 1] = t;
            }
        }
    }
    out[0] = 0;
    for (k = 0; k < n; k++)
        put_utf8(out, cp[k]);
}

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Every candidate the walk finds is one brute force finds, and the other
 * way round, with the same distance, for random words and mistyped words
 * of the table. */
static void same_as_brute_force(void)
{
    static const char *const alpha[] = { "а", "б", "о", "a", "o", "p", "ḁ" };
    static char words[NWORDS][64];
    const char *ptr[NWORDS];
    ni_typo_set s, near;
    int q, i, n = 0, mismatches = 0, found = 0, near_two = 0;

    memset(&s, 0, sizeof s);
    memset(&near, 0, sizeof near);
    for (i = 0; i < NWORDS; i++) {
        random_word(words[i], alpha, 7, 1 + rnd(10));
        ptr[i] = words[i];
    }
    qsort(ptr, NWORDS, sizeof *ptr, by_bytes);
    for (i = 0; i < NWORDS; i++)
        if (i == 0 || strcmp(ptr[i], ptr[n - 1]) != 0)
            ptr[n++] = ptr[i];
    lexicon(ptr, (size_t)n);
    for (q = 0; q < 2000; q++) {
        char query[200];
        uint32_t qc[40], wc[40];
        int nq, expect = 0, expect_near = 0;
        unsigned maxd, nearest = 99;
        if (q % 4 == 0) {
            random_word(query, alpha, 7, 4 + rnd(8));
        } else {
            const char *w;
            do
                w = ptr[rnd((unsigned)n)];
            while (ni_words_decode(w, strlen(w), wc, 40) < 5);
            mistype(query, w);
        }
        nq = ni_words_decode(query, strlen(query), qc, 40);
        maxd = ni_typo_max_distance((size_t)nq);
        CHECK_RC(find(&s, query, 100000) >= 0, 1);
        CHECK_RC(find_in(&near, query, 100000, 1) >= 0, 1);
        for (i = 0; i < n; i++) {
            int nw = ni_words_decode(ptr[i], strlen(ptr[i]), wc, 40);
            unsigned d = wc[0] == qc[0] ? osa(qc, nq, wc, nw) : 99;
            if (d == 0 || d > maxd) {
                mismatches += dist_of(&s, ptr[i]) != -1;
                continue;
            }
            expect++;
            mismatches += dist_of(&s, ptr[i]) != (int)d;
            if (d < nearest)
                nearest = d;
        }
        mismatches += expect != (int)s.n;
        /* the nearest: exactly the candidates at the smallest distance */
        for (i = 0; i < (int)s.n; i++)
            if (s.cand[i].dist == nearest) {
                expect_near++;
                mismatches += dist_of_n(&near, s.cand[i].word, s.cand[i].len) != (int)nearest;
            }
        mismatches += expect_near != (int)near.n;
        near_two += nearest == 2;
        found += expect;
    }
    CHECK(mismatches == 0);
    CHECK(found > 1000);            /* the queries do come near */
    CHECK(near_two > 20);           /* and some only at distance 2 */
    fprintf(stderr, "same_as_brute_force: %d candidates, %d queries nearest at 2, %d mismatches\n",
            found, near_two, mismatches);
    ni_typo_set_free(&s);
    ni_typo_set_free(&near);
}

/* A lexicon of 20,000 words all with one first letter, made of syllables
 * as a language makes them, so that they share prefixes: a walk reads a
 * small share of them. */
static void no_full_scan(void)
{
    static const char *const syl[] = {
        "ра", "ло", "ми", "не", "ку", "та", "ст", "ов", "пре", "зи", "де", "нт", "ва",
        "ро", "ли", "ка", "ны", "го", "ве", "до", "ть", "ий", "ая", "ое", "ых", "ом",
        "ск", "по", "на", "за",
    };
    static char words[20000][64];
    const char *ptr[20000];
    ni_typo_set s;
    uint64_t visited = 0, seeks = 0, most = 0, size = 0;
    ni_txn *t = NULL;
    int i, q;

    memset(&s, 0, sizeof s);
    for (i = 0; i < 20000; i++) {
        strcpy(words[i], "к");
        random_word(words[i] + strlen(words[i]), syl, 30, 2 + rnd(4));
        ptr[i] = words[i];
    }
    lexicon(ptr, 20000);
    CHECK_RC(ni_txn_begin(&t, store, 0), 0);
    CHECK_RC(ni_txn_count(t, NI_T_WORDS, &size), 0);
    ni_txn_abort(t);
    CHECK(size > 15000);
    for (q = 0; q < 200; q++) {
        char query[200];
        const char *w;
        do
            w = words[rnd(20000)];
        while (strlen(w) < 10);
        mistype(query, w);
        CHECK_RC(find(&s, query, 10) >= 0, 1);
        visited += s.visited;
        seeks += s.seeks;
        if (s.visited > most)
            most = s.visited;
    }
    /* measured: 330 on average, 1,086 at most (seeking just past each
     * prefix, without jumping to the query's letters: 814 and 2,332) */
    CHECK(visited / 200 * 30 < size);
    CHECK(most * 10 < size);
    fprintf(stderr, "no_full_scan: %.1f entries read and %.1f seeks on average (at most %llu "
            "read) of %llu\n", (double)visited / 200, (double)seeks / 200,
            (unsigned long long)most, (unsigned long long)size);
    ni_typo_set_free(&s);
}

/* 1 when candidate i of s is w (candidates are not NUL-terminated). */
static int cand_is(const ni_typo_set *s, size_t i, const char *w)
{
    return i < s->n && s->cand[i].len == strlen(w) &&
           memcmp(s->cand[i].word, w, s->cand[i].len) == 0;
}

/* The first-letter edits (ni_typo_first), which the walk never makes. */
static int find_first(ni_typo_set *s, const char *word, size_t max)
{
    ni_txn *t = NULL;
    int rc;
    CHECK_RC(ni_txn_begin(&t, store, 0), 0);
    rc = ni_typo_first(s, t, word, strlen(word), max);
    for (size_t i = 0; rc > 0 && i < s->n; i++)
        CHECK(s->cand[i].dist == 1);
    ni_txn_abort(t);
    return rc;
}

static void first_letter(void)
{
    static const char *const words[] = {
        "власти", "сласти", "неделя", "бывший", "продажу", "апреля", "python", "вести",
    };
    ni_typo_set s;

    memset(&s, 0, sizeof s);
    lexicon(words, sizeof words / sizeof words[0]);
    /* replaced: both words one letter off, the more frequent first */
    CHECK_RC(find_first(&s, "аласти", 5), 2);
    CHECK(cand_is(&s, 0, "сласти") && cand_is(&s, 1, "власти"));
    CHECK_RC(find_first(&s, "аласти", 1), 1);
    /* swapped with the second, dropped, one put before */
    CHECK_RC(find_first(&s, "енделя", 5), 1);
    CHECK(cand_is(&s, 0, "неделя"));
    CHECK_RC(find_first(&s, "ывший", 5), 1);
    CHECK(cand_is(&s, 0, "бывший"));
    CHECK_RC(find_first(&s, "ппродажу", 5), 1);
    CHECK(cand_is(&s, 0, "продажу"));
    CHECK_RC(find_first(&s, "пареля", 5), 1);        /* «апреля» swapped */
    /* Latin words among Latin letters */
    CHECK_RC(find_first(&s, "bython", 5), 1);
    CHECK(cand_is(&s, 0, "python"));
    /* the word itself is none; 4 letters are too few, 5 enough */
    CHECK_RC(find_first(&s, "власти", 5), 1);        /* «сласти», not itself */
    CHECK_RC(find_first(&s, "ести", 5), 0);          /* «вести» would be 1 away */
    CHECK_RC(find_first(&s, "ывшийй", 5), 0);        /* two edits */
    /* a first letter of neither alphabet */
    CHECK_RC(find_first(&s, "ёласти", 5), 0);
    ni_typo_set_free(&s);
}

static void done(void)
{
    ni_store_close(store);
    store = NULL;
    ni_translit_free(tr);
    tr = NULL;
}

TEST_MAIN(TEST(max_distance), TEST(by_length), TEST(edits), TEST(order),
          TEST(same_as_brute_force), TEST(no_full_scan), TEST(first_letter),
          TEST(done))
