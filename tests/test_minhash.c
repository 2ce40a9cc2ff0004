/*
 * test_minhash.c - near-duplicate signatures (lib/minhash.c): equal texts
 * give equal signatures, disjoint ones far apart, the estimate follows
 * constructed Jaccard similarities, the bound of ni_minhash_near on both
 * sides, and texts of no, one or two words.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "minhash.h"
#include "test.h"

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

/* The signature of the words numbered w[0..n). */
static void sign(const unsigned *w, size_t n, unsigned char sig[NI_SIG_BYTES])
{
    ni_minhash m;
    char buf[64];
    size_t i;
    ni_minhash_start(&m);
    for (i = 0; i < n; i++)
        ni_minhash_word(&m, buf, word_of(buf, w[i]));
    ni_minhash_finish(&m, sig);
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

/* Signatures with exactly `equal` of the NI_SIG_K minima the same. */
static void pair_with(unsigned equal, unsigned char a[NI_SIG_BYTES],
                      unsigned char b[NI_SIG_BYTES])
{
    unsigned i;
    for (i = 0; i < NI_SIG_BYTES; i++)
        a[i] = b[i] = (unsigned char)(0x21 * (i % 7));
    for (i = equal; i < NI_SIG_K; i++)      /* minimum i: another nibble */
        b[i / 2] ^= (unsigned char)(i % 2 ? 0x50 : 0x05);
}

static void near_boundary(void)
{
    unsigned char a[NI_SIG_BYTES], b[NI_SIG_BYTES];
    /* NI_SIG_NEAR 0.5 with 1 in 16 by chance: 64 * (1/16 + 15/16 * 0.5) = 34 */
    unsigned need = (unsigned)ceil(NI_SIG_K * (1.0 / 16 + 15.0 / 16 * NI_SIG_NEAR) - 1e-9);
    CHECK(need == 34);
    pair_with(need, a, b);
    CHECK(ni_minhash_near(a, b));
    CHECK(ni_minhash_similarity(a, b) >= NI_SIG_NEAR);
    pair_with(need - 1, a, b);
    CHECK(!ni_minhash_near(a, b));
    CHECK(ni_minhash_similarity(a, b) < NI_SIG_NEAR);
    pair_with(NI_SIG_K, a, b);
    CHECK(ni_minhash_similarity(a, b) == 1.0);
    pair_with(0, a, b);
    CHECK(ni_minhash_similarity(a, b) == 0.0);
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

/* The signature of words 0..499 as indexes (format 8) store it, computed
 * by the scalar loop: stored signatures stay comparable across builds, whatever
 * instructions the CPU picks for add_shingle (minhash.c). */
static void format_golden(void)
{
    static const char want[] =
        "9392fd219aff591d7a4a773b65d232a32b82f4e98db64ea594eba9eaedde8d68";
    unsigned w[500];
    unsigned char sig[NI_SIG_BYTES];
    char hex[2 * NI_SIG_BYTES + 1];
    size_t i;
    for (i = 0; i < 500; i++)
        w[i] = (unsigned)i;
    sign(w, 500, sig);
    for (i = 0; i < NI_SIG_BYTES; i++)
        snprintf(hex + 2 * i, 3, "%02x", sig[i]);
    if (strcmp(hex, want) != 0)
        fprintf(stderr, "signature %s\n", hex);
    CHECK(strcmp(hex, want) == 0);
}

TEST_MAIN(TEST(format_golden), TEST(identical_and_disjoint), TEST(estimates_follow_jaccard), TEST(near_boundary),
          TEST(short_and_empty))
