/*
 * test_minhash.c - near-duplicate signatures (lib/minhash.c): equal texts
 * give equal signatures, disjoint ones far apart, the estimate follows
 * constructed Jaccard similarities, the counts of shingles follow the
 * true counts, numbers and days are kept, each bound of ni_minhash_near
 * (Jaccard floor, containment, numbers, days) on both sides, and texts of
 * no, one or two words.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "minhash.h"
#include "newsindex.h"
#include "test.h"

#define DAY 86400

/* A word made from a number: three letters of a 20-letter alphabet per
 * step (distinct numbers give distinct words). */
static size_t word_of(char *buf, unsigned n)
{
    static const char *const letters[20] = { "а", "б", "в", "г", "д", "е", "ж", "з", "и", "к",
                                             "л", "м", "н", "о", "п", "р", "с", "т", "у", "ф" };
    size_t len = 0;
    do {
        size_t l = strlen(letters[n % 20]);
        memcpy(buf + len, letters[n % 20], l);
        len += l;
        n /= 20;
    } while (n);
    return len;
}

/* The signature of the words numbered w[0..n), undated. */
static void sign(const unsigned *w, size_t n, unsigned char sig[NI_SIG_BYTES])
{
    ni_minhash m;
    char buf[64];
    size_t i;
    ni_minhash_start(&m);
    for (i = 0; i < n; i++)
        ni_minhash_word(&m, buf, word_of(buf, w[i]));
    ni_minhash_finish(&m, NI_DATE_NONE, sig);
}

/* The signature of the space-separated words of text, dated date. */
static void sign_text(const char *text, int64_t date, unsigned char sig[NI_SIG_BYTES])
{
    ni_minhash m;
    const char *p = text, *e;
    ni_minhash_start(&m);
    for (; *p; p = *e ? e + 1 : e) {
        e = strchr(p, ' ');
        if (!e)
            e = p + strlen(p);
        ni_minhash_word(&m, p, (size_t)(e - p));
    }
    ni_minhash_finish(&m, date, sig);
}

static void identical_and_disjoint(void)
{
    unsigned a[200], b[200];
    unsigned char sa[NI_SIG_BYTES], sb[NI_SIG_BYTES], sc[NI_SIG_BYTES];
    size_t i;
    for (i = 0; i < 200; i++) {
        a[i] = (unsigned)i;
        b[i] = (unsigned)(1000 + i);
    }
    sign(a, 200, sa);
    sign(a, 200, sb);
    CHECK(memcmp(sa, sb, NI_SIG_BYTES) == 0);
    CHECK(ni_minhash_similarity(sa, sb) == 1.0);
    CHECK(ni_minhash_near(sa, sb));
    sign(b, 200, sc);
    CHECK(ni_minhash_similarity(sa, sc) < 0.2);
    CHECK(!ni_minhash_near(sa, sc));
    /* the same words in another order are other shingles */
    for (i = 0; i < 200; i++)
        b[i] = a[(i * 7) % 200];
    sign(b, 200, sc);
    CHECK(!ni_minhash_near(sa, sc));
}

/* A of n + 2 words has n shingles; B shares A's first s + 2 words, then
 * has its own, n + 2 words in all: s shared shingles of 2n - s. */
static double estimate(unsigned base, size_t n, size_t s)
{
    unsigned a[1024], b[1024];
    unsigned char sa[NI_SIG_BYTES], sb[NI_SIG_BYTES];
    size_t i;
    for (i = 0; i < n + 2; i++) {
        a[i] = base + (unsigned)i;
        b[i] = i < s + 2 ? a[i] : base + 5000 + (unsigned)i;
    }
    sign(a, n + 2, sa);
    sign(b, n + 2, sb);
    return ni_minhash_similarity(sa, sb);
}

static void estimates_follow_jaccard(void)
{
    static const double want[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
    size_t n = 300, k, t;
    for (k = 0; k < sizeof want / sizeof want[0]; k++) {
        /* J = s / (2n - s) */
        size_t s = (size_t)(2.0 * (double)n * want[k] / (1 + want[k]) + 0.5);
        double j = (double)s / (double)(2 * n - s), sum = 0, worst = 0;
        for (t = 0; t < 40; t++) {
            double e = estimate(20000 * (unsigned)(t + 1), n, s);
            sum += e;
            if (fabs(e - j) > worst)
                worst = fabs(e - j);
        }
        /* standard error of one estimate about 0.07 at 0.5 (minhash.h) */
        CHECK(fabs(sum / 40 - j) < 0.04);
        CHECK(worst < 0.3);
        printf("jaccard %.3f: mean estimate %.3f, worst off by %.3f\n", j, sum / 40, worst);
    }
}

/* Sets the parts of sig after its minima. */
static void set_parts(unsigned char sig[NI_SIG_BYTES], uint64_t numbers, unsigned shingles,
                      unsigned day)
{
    ni_put_le64(sig + NI_SIG_NUM_OFF, numbers);
    sig[NI_SIG_SIZE_OFF] = (unsigned char)shingles;
    sig[NI_SIG_SIZE_OFF + 1] = (unsigned char)(shingles >> 8);
    sig[NI_SIG_DAY_OFF] = (unsigned char)day;
    sig[NI_SIG_DAY_OFF + 1] = (unsigned char)(day >> 8);
}

/* Signatures with exactly `equal` of the NI_SIG_K minima the same, of
 * na and nb shingles, no numbers, undated. */
static void pair_with(unsigned equal, unsigned na, unsigned nb, unsigned char a[NI_SIG_BYTES],
                      unsigned char b[NI_SIG_BYTES])
{
    unsigned i;
    for (i = 0; i < NI_SIG_MIN_BYTES; i++)
        a[i] = b[i] = (unsigned char)(0x21 * (i % 7));
    for (i = equal; i < NI_SIG_K; i++)      /* minimum i: another nibble */
        b[i / 2] ^= (unsigned char)(i % 2 ? 0x50 : 0x05);
    set_parts(a, 0, na, NI_SIG_NO_DAY);
    set_parts(b, 0, nb, NI_SIG_NO_DAY);
}

/* Equal minima for a Jaccard estimate of j: 64 (1/16 + 15/16 j). */
static unsigned minima_for(double j)
{
    return (unsigned)ceil(NI_SIG_K * (1.0 / 16 + 15.0 / 16 * j) - 1e-9);
}

static void near_boundary(void)
{
    unsigned char a[NI_SIG_BYTES], b[NI_SIG_BYTES];
    /* the Jaccard floor 0.2: 64 (1/16 + 15/16 * 0.2) = 16 equal minima;
     * sets of 10 and 100 shingles, so the containment (at least 1) is
     * not what decides */
    unsigned floor = minima_for(NI_SIG_FLOOR), even = minima_for(0.25);
    CHECK(floor == 16);
    pair_with(floor, 10, 100, a, b);
    CHECK(ni_minhash_near(a, b) && ni_minhash_near(b, a));
    CHECK(ni_minhash_containment(a, b) == 1.0);
    pair_with(floor - 1, 10, 100, a, b);
    CHECK(!ni_minhash_near(a, b) && !ni_minhash_near(b, a));
    CHECK(ni_minhash_similarity(a, b) < NI_SIG_FLOOR);
    /* the containment 0.4 at sets of one size: 2J / (1 + J) >= 0.4 when
     * J >= 0.25, 19 equal minima */
    CHECK(even == 19);
    pair_with(even, 50, 50, a, b);
    CHECK(ni_minhash_near(a, b));
    CHECK(fabs(ni_minhash_containment(a, b) - NI_SIG_NEAR) < 1e-9);
    pair_with(even - 1, 50, 50, a, b);
    CHECK(!ni_minhash_near(a, b));
    CHECK(ni_minhash_containment(a, b) < NI_SIG_NEAR);
    /* at J = 0.2 the sizes decide: 0.2 (10 + m) / (1.2 * 10) >= 0.4
     * when the larger has m >= 14 shingles */
    pair_with(floor, 10, 14, a, b);
    CHECK(ni_minhash_near(a, b) && ni_minhash_near(b, a));
    pair_with(floor, 10, 13, a, b);
    CHECK(!ni_minhash_near(a, b) && !ni_minhash_near(b, a));
    pair_with(NI_SIG_K, 50, 50, a, b);
    CHECK(ni_minhash_similarity(a, b) == 1.0);
    pair_with(0, 50, 50, a, b);
    CHECK(ni_minhash_similarity(a, b) == 0.0);
    CHECK(ni_minhash_containment(a, b) == 0.0);
}

/* The numbers: one's filter within the other's, or no fold. */
static void numbers_boundary(void)
{
    unsigned char a[NI_SIG_BYTES], b[NI_SIG_BYTES];
    pair_with(NI_SIG_K, 50, 50, a, b);
    set_parts(a, 0x3, 50, NI_SIG_NO_DAY);
    set_parts(b, 0x7, 50, NI_SIG_NO_DAY);
    CHECK(ni_minhash_numbers_fit(a, b) && ni_minhash_numbers_fit(b, a));
    CHECK(ni_minhash_near(a, b) && ni_minhash_near(b, a));
    set_parts(a, 0xb, 50, NI_SIG_NO_DAY);          /* one bit b lacks, and b one a lacks */
    CHECK(!ni_minhash_numbers_fit(a, b) && !ni_minhash_numbers_fit(b, a));
    CHECK(!ni_minhash_near(a, b) && !ni_minhash_near(b, a));
    set_parts(a, (uint64_t)1 << 63, 50, NI_SIG_NO_DAY);
    set_parts(b, 0, 50, NI_SIG_NO_DAY);            /* none are among any */
    CHECK(ni_minhash_near(a, b));
    set_parts(b, 1, 50, NI_SIG_NO_DAY);
    CHECK(!ni_minhash_near(a, b));
}

/* Days more than NI_SIG_DAYS apart: only with the same numbers, a
 * Jaccard similarity of NI_SIG_FAR and NI_SIG_FAR_MIN shingles each. */
static void days_boundary(void)
{
    unsigned char a[NI_SIG_BYTES], b[NI_SIG_BYTES];
    pair_with(NI_SIG_K, 50, 50, a, b);
    CHECK(NI_SIG_DAYS == 5 && NI_SIG_FAR_MIN == 50);
    set_parts(a, 0x3, 50, 20000);
    set_parts(b, 0x7, 50, 20000 + NI_SIG_DAYS);
    CHECK(ni_minhash_near(a, b) && ni_minhash_near(b, a));
    set_parts(b, 0x7, 50, 20000 + NI_SIG_DAYS + 1);
    CHECK(!ni_minhash_near(a, b) && !ni_minhash_near(b, a));
    set_parts(b, 0x3, 50, 20000 + 400);            /* the same numbers */
    CHECK(ni_minhash_near(a, b));
    set_parts(b, 0x7, 50, NI_SIG_NO_DAY);          /* undated */
    CHECK(ni_minhash_near(a, b));
    /* further apart, Jaccard NI_SIG_FAR (0.5: 34 equal minima) or more,
     * whatever the containment */
    CHECK(minima_for(NI_SIG_FAR) == 34);
    pair_with(34, 50, 200, a, b);
    set_parts(a, 0x3, 50, 20000);
    set_parts(b, 0x3, 200, 20000 + NI_SIG_DAYS + 1);
    CHECK(ni_minhash_near(a, b) && ni_minhash_near(b, a));
    pair_with(33, 50, 200, a, b);
    set_parts(a, 0x3, 50, 20000);
    set_parts(b, 0x3, 200, 20000 + NI_SIG_DAYS + 1);
    CHECK(!ni_minhash_near(a, b) && !ni_minhash_near(b, a));
    set_parts(b, 0x3, 200, 20000 + NI_SIG_DAYS);   /* within the days: contained */
    CHECK(ni_minhash_near(a, b) && ni_minhash_near(b, a));
    /* and NI_SIG_FAR_MIN shingles each, the one and the other */
    pair_with(NI_SIG_K, 50, 50, a, b);
    set_parts(a, 0x3, 50, 20000);
    set_parts(b, 0x3, 50, 20000 + 400);
    CHECK(ni_minhash_near(a, b));
    set_parts(a, 0x3, 49, 20000);
    CHECK(!ni_minhash_near(a, b) && !ni_minhash_near(b, a));
    set_parts(a, 0x3, 50, 20000);
    set_parts(b, 0x3, 49, 20000 + 400);
    CHECK(!ni_minhash_near(a, b) && !ni_minhash_near(b, a));
    set_parts(b, 0x3, 49, 20000 + NI_SIG_DAYS);
    CHECK(ni_minhash_near(a, b));
}

/* Texts: the parts are what the words and the date make. */
static void parts_from_text(void)
{
    unsigned char a[NI_SIG_BYTES], b[NI_SIG_BYTES], c[NI_SIG_BYTES];
    const char *news = "курс доллара опустился к отметке 104 рубля на бирже";
    const int64_t day = 20056;                     /* 2024-11-29 */
    sign_text(news, day * DAY + 12 * 3600, a);
    CHECK(ni_minhash_day(a) == day);
    CHECK(ni_minhash_shingles(a) == 7);
    CHECK(ni_get_le64(a + NI_SIG_NUM_OFF) != 0);
    sign_text(news, day * DAY - 1, b);
    CHECK(ni_minhash_day(b) == day - 1);
    sign_text(news, NI_DATE_NONE, b);
    CHECK(ni_minhash_day(b) == NI_SIG_NO_DAY);
    sign_text(news, -1, b);                        /* 1969: no day 0 */
    CHECK(ni_minhash_day(b) == NI_SIG_NO_DAY);
    sign_text(news, 0, b);
    CHECK(ni_minhash_day(b) == 0);
    sign_text(news, (int64_t)NI_SIG_NO_DAY * DAY, b);
    CHECK(ni_minhash_day(b) == NI_SIG_NO_DAY);
    sign_text(news, (int64_t)(NI_SIG_NO_DAY - 1) * DAY, b);
    CHECK(ni_minhash_day(b) == NI_SIG_NO_DAY - 1);
    /* another number: another story; a footer: the same */
    sign_text("курс доллара опустился к отметке 105 рубля на бирже", day * DAY, b);
    CHECK(!ni_minhash_numbers_fit(a, b));
    CHECK(!ni_minhash_near(a, b));
    sign_text("курс доллара опустился к отметке 104 рубля на бирже топор экономика "
              "подписаться на канал", day * DAY, c);
    CHECK(ni_minhash_shingles(c) == 12);
    CHECK(ni_minhash_numbers_fit(a, c));
    CHECK(ni_minhash_near(a, c));
    sign_text("курс 104 доллара опустился к отметке 104 рубля на бирже", day * DAY, b);
    CHECK(memcmp(a + NI_SIG_NUM_OFF, b + NI_SIG_NUM_OFF, 8) == 0);   /* a set */
    sign_text("курс доллара опустился к отметке 104а рубля на бирже", day * DAY, b);
    CHECK(ni_get_le64(b + NI_SIG_NUM_OFF) == 0);   /* digits only */
}

/* Linear counting follows the number of distinct shingles. */
static void shingles_counted(void)
{
    static unsigned w[6000];
    static const size_t sizes[] = { 3, 10, 100, 1000, 5000 };
    unsigned char s[NI_SIG_BYTES];
    size_t k, i;
    for (i = 0; i < 6000; i++)
        w[i] = (unsigned)i;
    for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        size_t n = sizes[k];          /* n words: n - 2 shingles */
        double got;
        sign(w, n, s);
        got = ni_minhash_shingles(s);
        printf("%zu shingles: counted %.0f\n", n - 2, got);
        CHECK(fabs(got - (double)(n - 2)) <= 1 + 0.03 * (double)(n - 2));
    }
    /* a text twice: its shingles and the two that span the seam */
    for (i = 0; i < 100; i++)
        w[100 + i] = w[i];
    sign(w, 200, s);
    CHECK(abs((int)ni_minhash_shingles(s) - 100) <= 2);
    for (i = 0; i < 6000; i++)
        w[i] = (unsigned)i;
    sign(w, 3, s);
    CHECK(ni_minhash_shingles(s) == 1);
    sign(w, 2, s);
    CHECK(ni_minhash_shingles(s) == 1);
}

static void short_and_empty(void)
{
    unsigned w1[] = { 1 }, w2[] = { 1, 2 }, w2b[] = { 2, 1 }, w3[] = { 1, 2, 3 };
    unsigned char none[NI_SIG_BYTES], s1[NI_SIG_BYTES], s1b[NI_SIG_BYTES], s2[NI_SIG_BYTES],
        s2b[NI_SIG_BYTES], s2c[NI_SIG_BYTES], s3[NI_SIG_BYTES];
    sign(w1, 0, none);
    CHECK(ni_minhash_is_none(none));
    CHECK(!ni_minhash_near(none, none));
    CHECK(ni_minhash_similarity(none, none) == 0.0);
    sign(w1, 1, s1);
    sign(w1, 1, s1b);
    CHECK(!ni_minhash_is_none(s1));
    CHECK(ni_minhash_near(s1, s1b));
    CHECK(!ni_minhash_near(s1, none));
    sign(w2, 2, s2);
    sign(w2b, 2, s2b);
    sign(w3, 3, s3);
    sign(w2, 2, s2c);
    CHECK(ni_minhash_near(s2, s2c));        /* two words: one shingle of both */
    CHECK(!ni_minhash_near(s1, s2));
    CHECK(!ni_minhash_near(s2, s2b));
    CHECK(!ni_minhash_near(s2, s3));
    CHECK(ni_minhash_near(s3, s3));
}

TEST_MAIN(TEST(identical_and_disjoint), TEST(estimates_follow_jaccard), TEST(near_boundary),
          TEST(numbers_boundary), TEST(days_boundary), TEST(parts_from_text),
          TEST(shingles_counted), TEST(short_and_empty))
