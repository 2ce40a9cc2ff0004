/*
 * Tests of ni_text_to_utf8 (lib/charset.c): UTF-8 passes through without
 * its byte order mark; a paragraph in windows-1251, KOI8-R or UTF-16 with
 * a BOM is detected and converted to exactly the UTF-8 text; what is none
 * of them is NI_EINVAL.
 */
#include <stdio.h>
#include <string.h>

#include "newsindex.h"
#include "test.h"

static const char utf8[] =
    "Глава города рассказал журналистам, что проект школы мэров помогает муниципалитетам "
    "области обмениваться опытом и строить новые дороги.";

/* utf8 in KOI8-R (iconv -t KOI8-R) */
static const char koi8[] =
    "\xe7\xcc\xc1\xd7\xc1\x20\xc7\xcf\xd2\xcf\xc4\xc1\x20\xd2\xc1\xd3\xd3\xcb\xc1\xda\xc1\xcc"
    "\x20\xd6\xd5\xd2\xce\xc1\xcc\xc9\xd3\xd4\xc1\xcd\x2c\x20\xde\xd4\xcf\x20\xd0\xd2\xcf\xc5"
    "\xcb\xd4\x20\xdb\xcb\xcf\xcc\xd9\x20\xcd\xdc\xd2\xcf\xd7\x20\xd0\xcf\xcd\xcf\xc7\xc1\xc5"
    "\xd4\x20\xcd\xd5\xce\xc9\xc3\xc9\xd0\xc1\xcc\xc9\xd4\xc5\xd4\xc1\xcd\x20\xcf\xc2\xcc\xc1"
    "\xd3\xd4\xc9\x20\xcf\xc2\xcd\xc5\xce\xc9\xd7\xc1\xd4\xd8\xd3\xd1\x20\xcf\xd0\xd9\xd4\xcf"
    "\xcd\x20\xc9\x20\xd3\xd4\xd2\xcf\xc9\xd4\xd8\x20\xce\xcf\xd7\xd9\xc5\x20\xc4\xcf\xd2\xcf"
    "\xc7\xc9\x2e";

/* utf8 in windows-1251: А..я are C0..FF in order */
static size_t to_cp1251(char *out, const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            out[n++] = (char)*p++;
        } else {
            unsigned cp = (unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
            out[n++] = (char)(cp - 0x410 + 0xc0);
            p += 2;
        }
    }
    return n;
}

/* utf8 in UTF-16LE with its byte order mark */
static size_t to_utf16le(char *out, const char *s)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    out[n++] = '\xff';
    out[n++] = '\xfe';
    while (*p) {
        unsigned cp = *p < 0x80 ? *p : ((unsigned)(p[0] & 0x1f) << 6 | (p[1] & 0x3f));
        p += *p < 0x80 ? 1 : 2;
        out[n++] = (char)(cp & 0xff);
        out[n++] = (char)(cp >> 8);
    }
    return n;
}

static void check_to(const char *in, size_t len, const char *charset, const char *want,
                     size_t want_len)
{
    char *out = NULL;
    size_t n = 0;
    const char *cs = NULL;
    CHECK_RC(ni_text_to_utf8(&out, &n, &cs, in, len), 0);
    CHECK(cs && strcmp(cs, charset) == 0);
    CHECK(out && n == want_len && memcmp(out, want, n) == 0 && out[n] == '\0');
    if (cs && strcmp(cs, charset) != 0)
        fprintf(stderr, "detected %s, want %s\n", cs, charset);
    ni_text_free(out);
}

static void utf8_as_is(void)
{
    char bom[sizeof utf8 + 3] = "\xef\xbb\xbf";
    memcpy(bom + 3, utf8, sizeof utf8);
    check_to(utf8, sizeof utf8 - 1, "UTF-8", utf8, sizeof utf8 - 1);
    check_to(bom, sizeof bom - 1, "UTF-8", utf8, sizeof utf8 - 1);
    check_to("", 0, "UTF-8", "", 0);
    /* a BOM alone, and two bytes of one: the second is not UTF-8 text */
    check_to("\xef\xbb\xbf", 3, "UTF-8", "", 0);
}

static void russian_encodings(void)
{
    char buf[2 * sizeof utf8 + 2];
    size_t n = to_cp1251(buf, utf8);
    check_to(buf, n, "windows-1251", utf8, sizeof utf8 - 1);
    check_to(koi8, sizeof koi8 - 1, "KOI8-R", utf8, sizeof utf8 - 1);
    n = to_utf16le(buf, utf8);
    check_to(buf, n, "UTF-16LE", utf8, sizeof utf8 - 1);
}

/* Bytes that are no text of these encodings: refused, nothing allocated. */
static void not_text(void)
{
    char *out = (char *)1;
    size_t n = 7;
    const char *cs = "x";
    char junk[256];
    int i;
    for (i = 0; i < 256; i++)
        junk[i] = (char)(0x80 + (i * 37) % 32);     /* C1 controls only */
    CHECK_RC(ni_text_to_utf8(&out, &n, &cs, junk, sizeof junk), NI_EINVAL);
    CHECK(out == NULL && n == 0 && cs == NULL);
    CHECK(strstr(ni_errmsg(), "windows-1251") != NULL);
}

TEST_MAIN(TEST(utf8_as_is), TEST(russian_encodings), TEST(not_text))
