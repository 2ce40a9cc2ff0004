/*
 * test_out.c - the CLI's output helpers (tools/out.c): JSON string escaping
 * of arbitrary bytes, terminal-safe text, dates, sizes.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "test.h"

/* One output written to memory: mem_start opens it, mem_is closes it and
 * compares what was written with want (named what in a failure). */
typedef struct mem {
    FILE *f;
    char *buf;
    size_t len;
} mem;

static FILE *mem_start(mem *m)
{
    m->buf = NULL;
    m->len = 0;
    return m->f = open_memstream(&m->buf, &m->len);
}

static int mem_is(mem *m, const char *what, const char *want)
{
    fclose(m->f);
    int ok = strcmp(m->buf, want) == 0;
    if (!ok)
        fprintf(stderr, "%s: got '%s', want '%s'\n", what, m->buf, want);
    free(m->buf);
    return ok;
}

/* 1 when out_json_str writes s[0..n) as want. */
static int json_is(const char *s, size_t n, const char *want)
{
    mem m;
    if (!mem_start(&m))
        return 0;
    out_json_str(m.f, s, n);
    return mem_is(&m, "json", want);
}

static int text_is(const char *s, size_t n, int keep, const char *want)
{
    mem m;
    if (!mem_start(&m))
        return 0;
    out_text(m.f, s, n, keep);
    return mem_is(&m, "text", want);
}

#define J(lit, want) json_is(lit, sizeof lit - 1, want)

static void test_json_plain(void)
{
    CHECK(J("", "\"\""));
    CHECK(J("abc", "\"abc\""));
    CHECK(J("Москва", "\"Москва\""));
    CHECK(J("ёЁ «ёлка» — 𝄞", "\"ёЁ «ёлка» — 𝄞\""));
    CHECK(json_is(NULL, 0, "null"));
}

static void test_json_escapes(void)
{
    CHECK(J("a\"b\\c/", "\"a\\\"b\\\\c/\""));
    CHECK(J("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""));
    CHECK(J("\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\""));
    CHECK(json_is("a\0b", 3, "\"a\\u0000b\""));
    CHECK(J("\xe2\x80\xa8\xe2\x80\xa9", "\"\\u2028\\u2029\""));
    /* their neighbours U+2027 and U+202A are written as they are */
    CHECK(J("\xe2\x80\xa7\xe2\x80\xaa", "\"\xe2\x80\xa7\xe2\x80\xaa\""));
}

static void test_json_invalid_utf8(void)
{
    /* Each invalid byte becomes one U+FFFD; valid neighbours are kept. */
    CHECK(J("a\xff" "b", "\"a\xef\xbf\xbd" "b\""));
    CHECK(J("\x80", "\"\xef\xbf\xbd\""));
    /* Truncated sequence at the end. */
    CHECK(J("\xd0", "\"\xef\xbf\xbd\""));
    CHECK(J("\xe2\x82", "\"\xef\xbf\xbd\xef\xbf\xbd\""));
    /* Overlong "/" and an overlong NUL. */
    CHECK(J("\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\""));
    CHECK(J("\xe0\x80\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
    /* A UTF-16 surrogate encoded in UTF-8 and a code point above U+10FFFF. */
    CHECK(J("\xed\xa0\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
    CHECK(J("\xf4\x90\x80\x80",
            "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\""));
    /* A lead byte followed by ASCII: the ASCII survives. */
    CHECK(J("\xd0\"", "\"\xef\xbf\xbd\\\"\""));
    /* Largest valid code point. */
    CHECK(J("\xf4\x8f\xbf\xbf", "\"\xf4\x8f\xbf\xbf\""));
}

/* 1 when out_json_key_str of s, or out_json_key_date of date when
 * is_date, writes want. */
static int key_is(const char *key, int is_date, const char *s, int64_t date, const char *want)
{
    mem m;
    if (!mem_start(&m))
        return 0;
    if (is_date)
        out_json_key_date(m.f, key, date, 0, 0);
    else
        out_json_key_str(m.f, key, s, s ? strlen(s) : 0);
    return mem_is(&m, "key", want);
}

static void test_json_key(void)
{
    CHECK(key_is("url", 0, "http://x/1", 0, ",\"url\":\"http://x/1\""));
    CHECK(key_is("title", 0, "\"Москва\"\n", 0, ",\"title\":\"\\\"Москва\\\"\\n\""));
    CHECK(key_is("credit", 0, NULL, 0, ",\"credit\":null"));
    CHECK(key_is("text", 0, "", 0, ",\"text\":\"\""));
    CHECK(key_is("date", 1, NULL, 1709647200, ",\"date\":\"2024-03-05 14:00:00\""));
    CHECK(key_is("date", 1, NULL, NI_DATE_NONE, ",\"date\":null"));
}

static void test_text(void)
{
    CHECK(text_is("Москва\tметро\n", 24, 0, "Москва метро "));
    CHECK(text_is("Москва\tметро\n", 24, 1, "Москва\tметро\n"));
    /* An escape sequence in stored text cannot reach the terminal. */
    CHECK(text_is("a\033[2Jb", 6, 1, "a [2Jb"));
    CHECK(text_is("a\xc2\x9b" "b", 4, 1, "a b"));
    /* C1 controls are U+0080..U+009F; U+00A0 (no-break space) stays */
    CHECK(text_is("\xc2\x80|\xc2\x9f|\xc2\xa0|\x7e\x7f", 11, 0, " | |\xc2\xa0|~ "));
    CHECK(text_is("a\xff", 2, 0, "a\xef\xbf\xbd"));
    CHECK(text_is(NULL, 0, 0, ""));
}

static void test_date(void)
{
    char buf[40];
    CHECK(strcmp(out_date(buf, sizeof buf, NI_DATE_NONE, 0, 0), "") == 0);
    /* 2024-03-05 14:00:00 */
    CHECK(strcmp(out_date(buf, sizeof buf, 1709647200, 0, 0), "2024-03-05 14:00:00")
          == 0);
    /* Midnight of a time written without an offset keeps its time. */
    CHECK(strcmp(out_date(buf, sizeof buf, 1708041600, 0, 0), "2024-02-16 00:00:00")
          == 0);
    CHECK(strcmp(out_date(buf, sizeof buf, 0, 0, 0), "1970-01-01 00:00:00") == 0);
    /* as written: with its offset (local time), a date alone without a time */
    CHECK(strcmp(out_date(buf, sizeof buf, 1708041600, 180, NI_DATE_OFFSET),
                 "2024-02-16 03:00:00+03:00") == 0);
    CHECK(strcmp(out_date(buf, sizeof buf, 1708041600, -330, NI_DATE_OFFSET),
                 "2024-02-15 18:30:00-05:30") == 0);
    CHECK(strcmp(out_date(buf, sizeof buf, 1708041600, 0, NI_DATE_DAY), "2024-02-16") == 0);
}

static void test_bytes(void)
{
    char buf[32];
    CHECK(strcmp(out_bytes(buf, sizeof buf, 0), "0 bytes") == 0);
    CHECK(strcmp(out_bytes(buf, sizeof buf, 999), "999 bytes") == 0);
    CHECK(strcmp(out_bytes(buf, sizeof buf, 1200), "1.2 kB") == 0);
    CHECK(strcmp(out_bytes(buf, sizeof buf, 1234567), "1.2 MB") == 0);
    CHECK(strcmp(out_bytes(buf, sizeof buf, 2500000000u), "2.50 GB") == 0);
    /* each unit from its first value on */
    CHECK(strcmp(out_bytes(buf, sizeof buf, 1000), "1.0 kB") == 0);
    CHECK(strcmp(out_bytes(buf, sizeof buf, 1000000), "1.0 MB") == 0);
    CHECK(strcmp(out_bytes(buf, sizeof buf, 1000000000), "1.00 GB") == 0);
}

TEST_MAIN(TEST(test_json_plain), TEST(test_json_escapes),
          TEST(test_json_invalid_utf8), TEST(test_json_key), TEST(test_text),
          TEST(test_date), TEST(test_bytes))
