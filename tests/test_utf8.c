/*
 * test_utf8.c - the CLI's one UTF-8 validator (tools/utf8.h): each encoding
 * length on both sides of its boundaries, overlong forms, surrogates, code
 * points above U+10FFFF, bad and missing continuation bytes, sequences cut
 * short by the end of the buffer; and every code point encoded in every
 * length.  Buffers are allocated to the exact length, so that reading past
 * n shows under ASan.
 */
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "utf8.h"

/* utf8_seq_len over a copy of s[0..n) in a buffer of exactly n bytes. */
static size_t len_of(const char *s, size_t n)
{
    unsigned char *b = malloc(n);
    size_t len;
    if (!b)
        return (size_t)-1;
    memcpy(b, s, n);
    len = utf8_seq_len(b, n);
    free(b);
    return len;
}

static int is(const char *s, size_t n, size_t want)
{
    size_t got = len_of(s, n);
    if (got != want)
        fprintf(stderr, "utf8_seq_len of %zu bytes %02x %02x %02x %02x: %zu, want %zu\n",
                n, (unsigned char)s[0], n > 1 ? (unsigned char)s[1] : 0,
                n > 2 ? (unsigned char)s[2] : 0, n > 3 ? (unsigned char)s[3] : 0, got, want);
    return got == want;
}

/* The UTF-8 form of cp in len bytes (overlong when cp needs fewer). */
static void encode(unsigned char *b, unsigned long cp, size_t len)
{
    static const unsigned char lead[5] = { 0, 0x00, 0xC0, 0xE0, 0xF0 };
    for (size_t i = len - 1; i > 0; i--) {
        b[i] = (unsigned char)(0x80 | (cp & 0x3F));
        cp >>= 6;
    }
    b[0] = (unsigned char)(lead[len] | cp);
}

/* What utf8_seq_len must say of s[0..n) (n 0: the length of s). */
static const struct {
    const char *s;
    size_t n, want;
    const char *what;
} cases[] = {
    /* one byte */
    { "\x00", 1, 1, "U+0000" },
    { "A", 0, 1, "ASCII" },
    { "\x7f", 0, 1, "U+007F, the last one-byte" },
    { "\x80", 0, 0, "a continuation alone" },
    { "\xbf", 0, 0, "the last continuation alone" },
    { "a\xd0\x9c", 0, 1, "only the first character counts" },
    /* two bytes */
    { "\xc0\x80", 0, 0, "overlong U+0000" },
    { "\xc1\xbf", 0, 0, "overlong U+007F" },
    { "\xc2\x80", 0, 2, "U+0080, the first two-byte" },
    { "\xd0\x9c", 0, 2, "Cyrillic M" },
    { "\xdf\xbf", 0, 2, "U+07FF, the last two-byte" },
    { "\xd0\x9c\xd0", 0, 2, "a whole character, then a cut one" },
    { "\xd0\x7f", 0, 0, "continuation below 80" },
    { "\xd0\xc0", 0, 0, "continuation above BF" },
    { "\xd0\x20", 0, 0, "ASCII for the continuation" },
    { "\xd0", 0, 0, "two-byte cut short by the end" },
    /* three bytes */
    { "\xe0\x80\x80", 0, 0, "overlong U+0000" },
    { "\xe0\x9f\xbf", 0, 0, "overlong U+07FF" },
    { "\xe0\xa0\x80", 0, 3, "U+0800, the first three-byte" },
    { "\xe2\x80\x94", 0, 3, "em dash" },
    { "\xed\x9f\xbf", 0, 3, "U+D7FF, below the surrogates" },
    { "\xed\xa0\x80", 0, 0, "U+D800, the first surrogate" },
    { "\xed\xaf\xbf", 0, 0, "U+DBFF, the last high surrogate" },
    { "\xed\xb0\x80", 0, 0, "U+DC00, the first low surrogate" },
    { "\xed\xbf\xbf", 0, 0, "U+DFFF, the last surrogate" },
    { "\xee\x80\x80", 0, 3, "U+E000, above the surrogates" },
    { "\xef\xbf\xbf", 0, 3, "U+FFFF, the last three-byte" },
    { "\xe2\x80", 0, 0, "three-byte cut to two by the end" },
    { "\xe2", 0, 0, "three-byte cut to one by the end" },
    { "\xe2\x20\x94", 0, 0, "second byte not a continuation" },
    { "\xe2\x80\x20", 0, 0, "third byte not a continuation" },
    { "\xe2\x80\xc0", 0, 0, "third byte a lead" },
    /* four bytes */
    { "\xf0\x80\x80\x80", 0, 0, "overlong U+0000" },
    { "\xf0\x8f\xbf\xbf", 0, 0, "overlong U+FFFF" },
    { "\xf0\x90\x80\x80", 0, 4, "U+10000, the first four-byte" },
    { "\xf0\x9f\x98\x80", 0, 4, "an emoji" },
    { "\xf4\x8f\xbf\xbf", 0, 4, "U+10FFFF, the last code point" },
    { "\xf4\x90\x80\x80", 0, 0, "U+110000, the first above it" },
    { "\xf5\x80\x80\x80", 0, 0, "lead F5" },
    { "\xf7\xbf\xbf\xbf", 0, 0, "lead F7" },
    { "\xf8\x88\x80\x80", 0, 0, "lead F8" },
    { "\xff", 0, 0, "lead FF" },
    { "\xf0\x9f\x98", 0, 0, "four-byte cut to three by the end" },
    { "\xf0\x9f", 0, 0, "four-byte cut to two by the end" },
    { "\xf0", 0, 0, "four-byte cut to one by the end" },
    { "\xf0\x9f\x98\x20", 0, 0, "fourth byte not a continuation" },
    { "\xf0\x9f\x20\x80", 0, 0, "third byte not a continuation" },
    { "\xf0\x20\x98\x80", 0, 0, "second byte not a continuation" },
};

static void boundaries(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = cases[i].n ? cases[i].n : strlen(cases[i].s);
        int ok = is(cases[i].s, n, cases[i].want);
        if (!ok)
            fprintf(stderr, "  (case %zu: %s)\n", i, cases[i].what);
        CHECK(ok);
    }
}

/* Every code point in its shortest form is valid, except the surrogates;
 * every overlong form and every four-byte form above U+10FFFF is not; and
 * each valid form cut short at the end of the buffer is not either. */
static void every_code_point(void)
{
    unsigned char b[4];
    int bad = 0;
    for (unsigned long cp = 0; cp <= 0x1FFFFF && bad < 10; cp++) {
        size_t need = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        for (size_t len = 1; len <= 4; len++) {
            size_t want;
            if (len < need)
                continue;
            if (len == 1 && cp >= 0x80)
                continue;
            encode(b, cp, len);
            want = len == need && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF) ? len : 0;
            if (utf8_seq_len(b, len) != want) {
                fprintf(stderr, "U+%04lX in %zu bytes: %zu, want %zu\n", cp, len,
                        utf8_seq_len(b, len), want);
                bad++;
            }
            if (want && len > 1 && utf8_seq_len(b, len - 1) != 0) {
                fprintf(stderr, "U+%04lX cut to %zu bytes accepted\n", cp, len - 1);
                bad++;
            }
        }
    }
    CHECK(bad == 0);
}

TEST_MAIN(TEST(boundaries), TEST(every_code_point))
