/*
 * Tests of the transliteration keys (lib/translit.c): golden pairs of a
 * Cyrillic word and its spellings in BGN/PCGN, ICAO Doc 9303, GOST 7.79-B
 * and the informal ways (equal keys), words the keys must keep apart
 * (миксер/микшер), the keys themselves for a few words, the length bound,
 * words that have no key, invalid UTF-8, allocation failure, threads
 * with one transliterator each (run under TSan too), and the per-letter
 * table against ICU romanising whole words: every string of one to three
 * letters and hyphens, and words with what the table does not hold.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsindex.h"
#include "../lib/mem.h"
#include "../lib/translit.h"
#include "test.h"

static ni_translit *tr;
static ni_buf b = NI_BUF_INIT;

/* The key of w as a string ("" when none); rc in *rc. */
static const char *key(int cyr, const char *w, int *rc)
{
    static char s[NI_TRANSLIT_KEY_MAX + 1];
    *rc = cyr ? ni_translit_key_cyr(tr, w, strlen(w), &b)
              : ni_translit_key_lat(tr, w, strlen(w), &b);
    snprintf(s, sizeof s, "%.*s", *rc == 1 ? (int)b.len : 0, (const char *)b.data);
    if (*rc != 1 && b.len != 0)
        snprintf(s, sizeof s, "<out not emptied>");
    return s;
}

static int same_key(const char *cyr, const char *lat)
{
    char want[NI_TRANSLIT_KEY_MAX + 1];
    int rc1, rc2;
    snprintf(want, sizeof want, "%s", key(1, cyr, &rc1));
    const char *got = key(0, lat, &rc2);
    if (rc1 != 1 || rc2 != 1 || strcmp(want, got) != 0) {
        fprintf(stderr, "  %s -> %s (%d), %s -> %s (%d)\n", cyr, want, rc1, lat, got, rc2);
        return 0;
    }
    return 1;
}

static void golden(void)
{
    static const char *const pairs[][2] = {
        /* BGN/PCGN, with and without its apostrophes; press style */
        { "навальный", "naval'nyy" }, { "навальный", "navalnyy" },
        { "навальный", "navalny" }, { "навальный", "navalnyi" },
        { "ельцин", "yel'tsin" }, { "ельцин", "yeltsin" }, { "ельцин", "eltsin" },
        { "подъезд", "pod\"yezd" }, { "семья", "sem'ya" }, { "семья", "semya" },
        { "достоевский", "dostoyevskiy" }, { "достоевский", "dostoevsky" },
        /* ICAO Doc 9303: й i, ю iu, я ia, ъ ie, ё e */
        { "юлия", "iuliia" }, { "объявил", "obieiavil" }, { "подъезд", "podieezd" },
        { "район", "raion" }, { "достоевский", "dostoevskii" }, { "семья", "semia" },
        /* GOST 7.79-B: й j, х x, ц cz (c before e i y j), щ shh, ё yo, ы y', э e` */
        { "щукин", "shhukin" }, { "хабаровск", "xabarovsk" }, { "царь", "czar`" },
        { "солнце", "solnce" }, { "тщательно", "tshhatel`no" }, { "ученые", "uchyony'e" },
        { "достоевский", "dostoevskij" }, { "эхо", "e`xo" }, { "подъезд", "pod``ezd" },
        /* informal */
        { "солнце", "solntse" }, { "щукин", "shchukin" }, { "щукин", "schukin" },
        { "юлия", "yulia" }, { "юлия", "yuliya" }, { "юлия", "julija" },
        { "хабаровск", "khabarovsk" }, { "хабаровск", "habarovsk" },
        { "царь", "tsar" }, { "царь", "czar" }, { "царь", "tzar" },
        { "тщательно", "tschatelno" }, { "тщательно", "tshchatelno" },
        { "федор", "fyodor" }, { "федор", "fjodor" }, { "федор", "fedor" },
        { "горбачев", "gorbachyov" }, { "горбачев", "gorbachev" },
        { "елка", "yolka" }, { "елка", "elka" }, { "ёлка", "yolka" },
        { "ее", "yeye" }, { "ее", "ee" }, { "кооператив", "kooperativ" }, { "длиннее", "dlinnee" }, { "жуков", "zhukov" }, { "схема", "shema" },
        { "схема", "skhema" }, { "схема", "sxema" }, { "район", "rayon" }, { "россия", "rossiya" },
        { "россия", "rosiya" }, { "россия", "rossia" },
        /* case, hyphens */
        { "Навальный", "NAVALNY" }, { "ростов-на-дону", "rostov-na-donu" },
    };
    size_t i;
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
        CHECK(same_key(pairs[i][0], pairs[i][1]));
}

/* Words that look alike in Latin but are different words keep apart: the
 * Миксер/Микшер problem of typesense#1829. */
static void kept_apart(void)
{
    static const char *const pairs[][2] = {
        { "миксер", "микшер" }, { "сушка", "сучка" }, { "жар", "шар" },
        { "хор", "кор" }, { "цель", "сель" }, { "щека", "шека" }, { "зуб", "жуб" },
        { "мама", "мома" }, { "лук", "люк" }, { "вор", "вар" },
    };
    size_t i;
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        char a[NI_TRANSLIT_KEY_MAX + 1];
        int rc1, rc2;
        snprintf(a, sizeof a, "%s", key(1, pairs[i][0], &rc1));
        CHECK(rc1 == 1);
        CHECK(strcmp(a, key(1, pairs[i][1], &rc2)) != 0 && rc2 == 1);
    }
}

static void keys(void)
{
    static const char *const want[][3] = {
        { "c", "щукин", "SukYn" }, { "c", "хабаровск", "Habarovsk" },
        { "c", "навальный", "navalnY" }, { "c", "юлия", "YulYa" },
        { "c", "ельцин", "elcYn" }, { "c", "детский", "deckY" },
        { "c", "жизнь", "ZYzn" }, { "c", "чайка", "CaYka" }, { "c", "шар", "War" },
        { "c", "ссора", "sora" }, { "c", "ёж", "eZ" },
        { "l", "python", "pYtHon" }, { "l", "GOOGLE", "google" }, { "l", "good", "good" }, { "l", "xxxyyiijj", "HY" },
        { "l", "shchi", "SY" }, { "l", "a-b", "a-b" },
    };
    size_t i;
    for (i = 0; i < sizeof want / sizeof want[0]; i++) {
        int rc;
        const char *got = key(want[i][0][0] == 'c', want[i][1], &rc);
        if (rc != 1 || strcmp(got, want[i][2]) != 0) {
            fprintf(stderr, "  %s: %s (%d), want %s\n", want[i][1], got, rc, want[i][2]);
            CHECK(0);
        }
    }
}

/* 60 ю are NI_MAX_WORD_BYTES and give the longest key, YuYu...; 61 are too
 * long, and so are 61 б, whose key would be short.  Random words of random
 * letters never give a longer key. */
static void length_bound(void)
{
    char w[4 * NI_MAX_WORD_BYTES];
    size_t i, j;
    int rc;

    w[0] = 0;
    for (i = 0; i < NI_MAX_WORD_BYTES / 2; i++)
        strcat(w, "ю");
    CHECK(strlen(key(1, w, &rc)) == 120 && rc == 1);
    CHECK(120 <= NI_TRANSLIT_KEY_MAX);
    strcat(w, "ю");
    CHECK(strcmp(key(1, w, &rc), "") == 0 && rc == 0);
    w[0] = 0;
    for (i = 0; i < NI_MAX_WORD_BYTES / 2; i++)
        strcat(w, "б");
    CHECK(strcmp(key(1, w, &rc), "b") == 0 && rc == 1);
    strcat(w, "б");
    CHECK(strcmp(key(1, w, &rc), "") == 0 && rc == 0);
    memset(w, 'b', NI_MAX_WORD_BYTES);
    w[NI_MAX_WORD_BYTES] = 0;
    CHECK(strlen(key(0, w, &rc)) == 1 && rc == 1);
    for (i = 0; i < NI_MAX_WORD_BYTES; i++)
        w[i] = "ab"[i % 2];
    CHECK(strlen(key(0, w, &rc)) == NI_MAX_WORD_BYTES && rc == 1);
    w[NI_MAX_WORD_BYTES] = 'a';
    w[NI_MAX_WORD_BYTES + 1] = 0;
    CHECK(strcmp(key(0, w, &rc), "") == 0 && rc == 0);

    srand(7);
    for (i = 0; i < 3000; i++) {
        static const char *const cyr[] = { "щ", "ю", "я", "ъ", "ь", "е", "ё", "ц", "х", "й", "а", "-" };
        size_t n = (size_t)rand() % 70, len = 0;
        const char *k;
        int ok = 1;
        w[0] = 0;
        for (j = 0; j < n; j++) {
            const char *c = cyr[rand() % 12];
            if (len + strlen(c) > NI_MAX_WORD_BYTES)
                break;
            strcat(w, c);
            len += strlen(c);
        }
        k = key(1, w, &rc);
        ok &= (rc == 1 && strlen(k) >= 1) || (rc == 0 && *k == 0);
        ok &= strlen(k) <= NI_TRANSLIT_KEY_MAX;
        for (j = 0; k[j]; j++)
            ok &= (k[j] >= 'a' && k[j] <= 'z') || (k[j] >= 'A' && k[j] <= 'Z') || k[j] == '-';
        if (!ok) {
            fprintf(stderr, "  %s -> %s (%d)\n", w, k, rc);
            CHECK(0);
            break;
        }
    }
}

static void no_key(void)
{
    static const char *const cyr_none[] = {
        "", "moscow", "москва1", "мос ква", "їжак", "ґанок", "-", "москва\xc2\xa0",
    };
    static const char *const lat_none[] = {
        "", "covid19", "m\xd0\xbe" "scow", "'", "--", "caf\xc3\xa9", "a b",
    };
    static const char *const invalid[] = {
        "\xd0", "\xc0\x80", "\xed\xa0\x80", "мос\xffква", "\xf4\x90\x80\x80",
    };
    size_t i;
    int rc;

    for (i = 0; i < sizeof cyr_none / sizeof cyr_none[0]; i++)
        CHECK(strcmp(key(1, cyr_none[i], &rc), "") == 0 && rc == 0);
    for (i = 0; i < sizeof lat_none / sizeof lat_none[0]; i++)
        CHECK(strcmp(key(0, lat_none[i], &rc), "") == 0 && rc == 0);
    for (i = 0; i < sizeof invalid / sizeof invalid[0]; i++)
        CHECK(strcmp(key(1, invalid[i], &rc), "") == 0 && rc == NI_EINVAL);
    /* NUL inside the word */
    CHECK_RC(ni_translit_key_cyr(tr, "мо\0ва", 7, &b), 0);
    CHECK_RC(ni_translit_key_lat(tr, "mo\0va", 5, &b), 0);
    /* the old content of out is replaced, not appended to */
    CHECK_RC(ni_translit_key_lat(tr, "abc", 3, &b), 1);
    CHECK_RC(ni_translit_key_lat(NULL, "xyz", 3, &b), 1);
    CHECK(b.len == 3 && memcmp(b.data, "HYz", 3) == 0);
    CHECK_RC(ni_translit_key_cyr(tr, "а", 2, &b), 1);
    CHECK(b.len == 1 && b.data[0] == 'a');
    CHECK_RC(ni_translit_key_cyr(NULL, "а", 2, &b), NI_EINVAL);
    CHECK_RC(ni_translit_key_lat(tr, NULL, 0, &b), 0);
    CHECK_RC(ni_translit_key_lat(tr, "a", 1, NULL), NI_EINVAL);
    CHECK_RC(ni_translit_new(NULL), NI_EINVAL);
    ni_translit_free(NULL);
}

/* Every allocation may fail: a clean NI_ENOMEM, *out NULL and out empty,
 * or the right key. */
static void allocation_failure(void)
{
    ni_translit *t;
    uint64_t k, made = 0;
    int rc = 0, ok = 1;

    for (k = 1; k < 100; k++) {
        ni_mem_fail_at(k, 0);
        rc = ni_translit_new(&t);
        ok &= rc == 0 || (rc == NI_ENOMEM && t == NULL);
        if (rc == 0)
            rc = ni_translit_key_cyr(t, "щукин", 10, &b);
        made = ni_mem_fail_at(0, 0);
        ok &= rc == 1 ? b.len == 5 && memcmp(b.data, "SukYn", 5) == 0
                      : rc == NI_ENOMEM && b.len == 0;
        ni_translit_free(t);
        ni_buf_free(&b);
        if (made < k)
            break;
    }
    CHECK(ok);
    CHECK(rc == 1 && made < k && k > 2);
}

/* Four threads, each with its own transliterator, key the same words at
 * once and get the keys one thread gets alone. */
#define THREAD_WORDS 500
static const char *const thread_words[] = {
    "навальный", "солнце", "щукин", "юлия", "хабаровск", "царь", "объявил", "ельцин",
};
typedef struct { char keys[THREAD_WORDS][NI_TRANSLIT_KEY_MAX + 1]; int rc; } thread_out;

static void *key_words(void *arg)
{
    thread_out *o = arg;
    ni_translit *t = NULL;
    ni_buf kb = NI_BUF_INIT;
    size_t i, nw = sizeof thread_words / sizeof thread_words[0];

    o->rc = ni_translit_new(&t);
    for (i = 0; o->rc == 0 && i < THREAD_WORDS; i++) {
        const char *w = thread_words[i % nw];
        int r = ni_translit_key_cyr(t, w, strlen(w), &kb);
        o->rc = r == 1 ? 0 : -1;
        snprintf(o->keys[i], sizeof o->keys[i], "%.*s", (int)kb.len, (const char *)kb.data);
    }
    ni_buf_free(&kb);
    ni_translit_free(t);
    return NULL;
}

static void threads(void)
{
    static thread_out alone, out[4];
    pthread_t th[4];
    int i, started[4];

    key_words(&alone);
    CHECK(alone.rc == 0 && strcmp(alone.keys[2], "SukYn") == 0);
    for (i = 0; i < 4; i++)
        started[i] = pthread_create(&th[i], NULL, key_words, &out[i]) == 0;
    for (i = 0; i < 4; i++) {
        CHECK(started[i]);
        if (!started[i])
            continue;
        pthread_join(th[i], NULL);
        CHECK(out[i].rc == 0 && memcmp(out[i].keys, alone.keys, sizeof alone.keys) == 0);
    }
}

/* Whether w's key is the same from the per-letter table as from ICU
 * romanising it whole (the same rc, the same bytes). */
static int as_icu(const char *w, size_t n)
{
    ni_buf ib = NI_BUF_INIT;
    int rc1 = ni_translit_key_cyr(tr, w, n, &b), rc2 = ni_translit_key_cyr_icu(tr, w, n, &ib);
    int same = rc1 == rc2 && b.len == ib.len && (b.len == 0 || memcmp(b.data, ib.data, b.len) == 0);
    if (!same)
        fprintf(stderr, "table and ICU differ on '%.*s': %d '%.*s', %d '%.*s'\n", (int)n, w,
                rc1, (int)b.len, (const char *)b.data, rc2, (int)ib.len, (const char *)ib.data);
    ni_buf_free(&ib);
    return same;
}

/* BGN writes е, ё as ye, yë first and after a vowel, ь, ъ or '-', and
 * separates some letters with a ·: every context of one letter on each
 * side, which is all its rules look at, so every string of up to three
 * of а..я, ё and '-' (40,000 of them). */
static void table(void)
{
    static const char *letters[] = {
        "а", "б", "в", "г", "д", "е", "ё", "ж", "з", "и", "й", "к", "л", "м", "н", "о", "п",
        "р", "с", "т", "у", "ф", "х", "ц", "ч", "ш", "щ", "ъ", "ы", "ь", "э", "ю", "я", "-",
    };
    static const char *words[] = {
        "андрея", "аллею", "божьею", "объявил", "подъезд", "ёлка", "её", "щукин",
        "Андрея", "МОСКВА", "їжак", "ґанок", "сёрфинг-клуб", "ростов-на-дону", "-е", "е-",
    };
    size_t na = sizeof letters / sizeof letters[0], i, j, k, bad = 0, tried = 0;
    char w[8];
    for (i = 0; i < na; i++)
        for (j = 0; j <= na; j++)
            for (k = j < na ? 0 : na; k <= na; k++) {
                size_t n = (size_t)snprintf(w, sizeof w, "%s%s%s", letters[i],
                                            j < na ? letters[j] : "", k < na ? letters[k] : "");
                bad += !as_icu(w, n);
                tried++;
            }
    CHECK(bad == 0);
    CHECK(tried == na + na * na + na * na * na);
    for (i = 0; i < sizeof words / sizeof words[0]; i++)
        CHECK(as_icu(words[i], strlen(words[i])));
}

static void run(void (*fn)(void))
{
    int rc = ni_translit_new(&tr);
    CHECK(rc == 0 && tr);
    if (tr)
        fn();
    ni_translit_free(tr);
    tr = NULL;
    ni_buf_free(&b);
}

static void t_golden(void) { run(golden); }
static void t_kept_apart(void) { run(kept_apart); }
static void t_keys(void) { run(keys); }
static void t_length_bound(void) { run(length_bound); }
static void t_no_key(void) { run(no_key); }
static void t_table(void) { run(table); }

TEST_MAIN(TEST(t_golden), TEST(t_kept_apart), TEST(t_keys), TEST(t_length_bound),
          TEST(t_no_key), TEST(t_table), TEST(allocation_failure), TEST(threads))
