/*
 * Tests of nsearch's input readers (tools/input.c, jsonl.c, article.c):
 * the sample article's layout, layout variations, JSON Lines validation
 * with file:line errors, the JSON reader's UTF-8 checks against the shared
 * validator at every alignment of its word-at-a-time scan, document ids,
 * gzip and truncated gzip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "article.h"
#include "idset.h"
#include "input.h"
#include "jsonl.h"
#include "test.h"
#include "utf8.h"

static int has(const char *s, size_t n, const char *what)
{
    size_t k = strlen(what);
    return s && memmem(s, n, what, k) != NULL;
}

static int eq(const char *s, size_t n, const char *what)
{
    return s && n == strlen(what) && memcmp(s, what, n) == 0;
}

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long len;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)len + 1);
    *n = fread(b, 1, (size_t)len, f);
    fclose(f);
    return b;
}

static void sample_article(void)
{
    size_t n;
    char *s = slurp("corpus/shkola-merov.txt", &n), warn[200];
    const char *footer[] = { "Другие новости", "Жар-птица зажгла новогодние огни",
                             "Ольга Хохлова", "смотреть все", "mob_banner",
                             "Полицейский Дед Мороз" };
    ni_doc d;
    int64_t date;
    size_t i;

    CHECK(s != NULL);
    if (!s)
        return;
    CHECK_RC(article_parse(s, n, &d, warn, sizeof warn), 0);
    CHECK(eq(d.rubric, d.rubric_len, "Общество"));
    CHECK_RC(ni_date_parse(&date, "2024-07-17 13:30", 16), 0);
    CHECK(d.date == date);
    CHECK(eq(d.title, d.title_len, "Главы трех муниципалитетов Владимирской области "
             "приняли участие в проекте «Школы мэров»"));
    CHECK(eq(d.credit, d.credit_len, "Фото: главы Доброграда Алексея Сипача"));
    CHECK(d.text_len > 1000 && strncmp(d.text, "В Москве подвели итоги обучения", 20) == 0);
    CHECK(d.text_len > 15 && memcmp(d.text + d.text_len - strlen("(ВАРМСУ)."), "(ВАРМСУ).", strlen("(ВАРМСУ).")) == 0);
    /* the repeated title and the credit are not in the body */
    CHECK(!has(d.text, d.text_len, "Главы трех муниципалитетов"));
    CHECK(!has(d.text, d.text_len, "Фото:"));
    for (i = 0; i < sizeof footer / sizeof footer[0]; i++) {
        CHECK(!has(d.text, d.text_len, footer[i]));
        CHECK(!has(d.title, d.title_len, footer[i]));
        CHECK(!has(d.credit, d.credit_len, footer[i]));
    }
    free(s);
}

static void article_variations(void)
{
    char warn[200];
    ni_doc d;
    /* CRLF, BOM, no rubric, no credit, title not repeated, trailing spaces */
    const char *a = "\xef\xbb\xbf" "2024-01-02 10:00  \r\n\r\nЗаголовок  \r\n\r\nТекст статьи.\r\n"
                    "Второй абзац.\r\n\r\nсмотреть все\r\nmob_banner1\r\n";
    const char *b = "Просто текст без шапки\nи вторая строка\n";
    CHECK_RC(article_parse(a, strlen(a), &d, warn, sizeof warn), 0);
    CHECK(d.rubric == NULL && d.credit == NULL);
    CHECK(eq(d.title, d.title_len, "Заголовок"));
    CHECK(eq(d.text, d.text_len, "Текст статьи.\r\nВторой абзац."));
    CHECK_RC(article_parse(b, strlen(b), &d, warn, sizeof warn), 1);
    CHECK(strstr(warn, "title") != NULL);
    CHECK(eq(d.title, d.title_len, "Просто текст без шапки"));
    CHECK(eq(d.text, d.text_len, "и вторая строка"));
    CHECK_RC(article_parse("  \n\n", 4, &d, warn, sizeof warn), NI_EINVAL);
    /* a credit line that is the word «Фото:» and nothing more is a credit
     * too; «Фотограф» is text */
    {
        const char *c = "2024-01-02 10:00\n\nЗаголовок\n\nФото:\n\nТекст.\n";
        const char *e = "2024-01-02 10:00\n\nЗаголовок\n\nФотограф снял.\n\nТекст.\n";
        CHECK_RC(article_parse(c, strlen(c), &d, warn, sizeof warn), 0);
        CHECK(d.credit && eq(d.credit, d.credit_len, "Фото:"));
        CHECK(eq(d.text, d.text_len, "Текст."));
        CHECK_RC(article_parse(e, strlen(e), &d, warn, sizeof warn), 0);
        CHECK(d.credit == NULL && eq(d.text, d.text_len, "Фотограф снял.\n\nТекст."));
    }
}

static const char jsonl[] =
    "{\"id\":\"a1\",\"url\":\"http://x/1\",\"date\":\"2024-07-17\",\"rubric\":\"Общество\","
    "\"title\":\"Школа\",\"text\":\"Текст \\\"в кавычках\\\" \\u0436\\ud83d\\ude00\",\"extra\":{\"k\":[1,2,{}]}}\n"
    "\n"
    "{\"id\":\"a2\",\"title\":\"x\",\"title\":\"y\"}\n"
    "{\"url\":\"http://x/3\",\"title\":\"Без id\"}\n"
    "{\"title\":\"Ни id, ни url\",\"date\":null}\n"
    "{\"id\":12345,\"date\":\"2024-13-01\"}\n"
    "not json\n"
    "{\"id\":\"a7\",\"text\":\"\\ud800\"}\n"
    "{\"id\":\"a8\",\"title\":5}\n"
    "{\"id\":\"a9\",\"date\":\"2024-07-17T10:00:00+03:00\"} trailing\n"
    "{\"id\":99,\"date\":\"2024-07-17T10:00:00+03:00\",\"text\":\"bad \xff utf8\"}\n"
    "{\"id\":100,\"date\":\"2024-07-17T10:00:00+03:00\"}";

static void jsonl_records(void)
{
    input *in = NULL;
    ni_doc d;
    int64_t date;
    int rc;

    CHECK_RC(input_open_mem(&in, "news.jsonl", jsonl, strlen(jsonl)), 0);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "a1") && eq(d.url, d.url_len, "http://x/1"));
    CHECK(eq(d.text, d.text_len, "Текст \"в кавычках\" ж\xf0\x9f\x98\x80"));
    CHECK_RC(ni_date_parse(&date, "2024-07-17", 10), 0);
    CHECK(d.date == date);
    CHECK_RC(input_next(in, &d), NI_EINVAL);
    CHECK(strcmp(input_error(in), "news.jsonl:3: field 'title' given twice") == 0);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "http://x/3"));
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "news.jsonl:5") && d.date == NI_DATE_NONE);
    CHECK_RC(input_next(in, &d), NI_EINVAL);
    CHECK(strstr(input_error(in), "news.jsonl:6: invalid date '2024-13-01'") != NULL);
    CHECK_RC(input_next(in, &d), NI_EINVAL);
    CHECK(strncmp(input_error(in), "news.jsonl:7: ", 14) == 0);
    CHECK_RC(input_next(in, &d), NI_EINVAL);
    CHECK(strstr(input_error(in), "news.jsonl:8: lone high surrogate") != NULL);
    CHECK_RC(input_next(in, &d), NI_EINVAL);
    CHECK(strstr(input_error(in), "news.jsonl:9: field 'title' must be a string") != NULL);
    CHECK_RC(input_next(in, &d), NI_EINVAL);
    CHECK(strstr(input_error(in), "news.jsonl:10: unexpected data after the object") != NULL);
    CHECK_RC(input_next(in, &d), NI_EINVAL);
    CHECK(strstr(input_error(in), "news.jsonl:11: invalid UTF-8") != NULL);
    rc = input_next(in, &d);                 /* last line, no newline */
    CHECK(rc == 0 && eq(d.id, d.id_len, "100"));
    CHECK_RC(ni_date_parse(&date, "2024-07-17 07:00", 16), 0);
    CHECK(d.date == date);
    CHECK_RC(input_next(in, &d), NI_DONE);
    CHECK_RC(input_next(in, &d), NI_DONE);
    input_close(in);
}

/* One character (or what should have been one) at each boundary of the
 * UTF-8 encoding lengths, and whether it is valid. */
static const struct {
    const char *seq;
    int valid;
} utf8_samples[] = {
    { "\x7f", 1 }, { "\x80", 0 }, { "\xbf", 0 },
    { "\xc0\x80", 0 }, { "\xc1\xbf", 0 }, { "\xc2\x80", 1 }, { "\xd0\x9c", 1 },
    { "\xdf\xbf", 1 }, { "\xd0\x7f", 0 }, { "\xd0\xc0", 0 }, { "\xd0\x20", 0 },
    { "\xe0\x80\x80", 0 }, { "\xe0\x9f\xbf", 0 }, { "\xe0\xa0\x80", 1 },
    { "\xe2\x80\x94", 1 }, { "\xed\x9f\xbf", 1 }, { "\xed\xa0\x80", 0 },
    { "\xed\xbf\xbf", 0 }, { "\xee\x80\x80", 1 }, { "\xef\xbf\xbf", 1 },
    { "\xe2\x20\x94", 0 }, { "\xe2\x80\x20", 0 }, { "\xe2\x80\xc0", 0 },
    { "\xf0\x80\x80\x80", 0 }, { "\xf0\x8f\xbf\xbf", 0 }, { "\xf0\x90\x80\x80", 1 },
    { "\xf4\x8f\xbf\xbf", 1 }, { "\xf4\x90\x80\x80", 0 }, { "\xf5\x80\x80\x80", 0 },
    { "\xf8\x88\x80\x80", 0 }, { "\xff", 0 }, { "\xf0\x9f\x98\x20", 0 },
    { "\xf0\x9f\x20\x80", 0 },
};

/* jsonl_parse over a copy of line[0..n) in a buffer of exactly n bytes, so
 * that reading past the end shows under ASan. */
static int parse_exact(const char *line, size_t n, ni_doc *d, jsonl_buf *buf, char *err,
                       size_t errsize)
{
    char *copy = malloc(n);
    int rc;
    if (!copy)
        return NI_ENOMEM;
    memcpy(copy, line, n);
    rc = jsonl_parse(copy, n, d, buf, err, errsize);
    /* d's strings are in buf, not in the line */
    free(copy);
    return rc;
}

/*
 * The JSON reader scans strings 8 bytes at a time where it can, then byte
 * by byte, before it asks utf8_seq_len: whatever the alignment of a
 * character in the string (between ASCII and Cyrillic neighbours), it must
 * accept exactly the valid samples (as utf8_seq_len does), and name the
 * character's first byte when it rejects one.  A valid character cut short
 * by the end of the line is rejected there too.
 */
static void jsonl_utf8_boundaries(void)
{
    static const char *const tails[] = { "", "abcdefghijklmnop", "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 x" };
    static const char head[] = "{\"text\":\"";
    jsonl_buf buf = { NULL, 0, 0 };
    char line[128], want[96], err[128], msg[64];
    ni_doc d;
    int bad = 0;

    for (size_t k = 0; k < sizeof utf8_samples / sizeof utf8_samples[0]; k++) {
        const char *seq = utf8_samples[k].seq;
        size_t len = strlen(seq);
        int valid = utf8_samples[k].valid;
        if (valid != (utf8_seq_len((const unsigned char *)seq, len) == len)) {
            fprintf(stderr, "sample %zu: utf8_seq_len disagrees\n", k);
            bad++;
        }
        for (size_t pad = 0; pad < 16; pad++) {
            for (size_t t = 0; t < sizeof tails / sizeof tails[0]; t++) {
                /* the whole character, then ASCII or Cyrillic, then the end */
                int n = snprintf(want, sizeof want, "%.*s%s%s", (int)pad,
                                 "0123456789abcdef", seq, tails[t]);
                int m = snprintf(line, sizeof line, "%s%s\"}", head, want);
                int rc = parse_exact(line, (size_t)m, &d, &buf, err, sizeof err);
                snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu", sizeof head - 1 + pad);
                if (valid ? rc != 0 || d.text_len != (size_t)n || memcmp(d.text, want, (size_t)n)
                          : rc != NI_EINVAL || strcmp(err, msg) != 0) {
                    fprintf(stderr, "sample %zu, pad %zu, tail %zu: rc %d (%s)\n", k, pad, t,
                            rc, err);
                    bad++;
                }
            }
            /* cut short by the end of the line */
            for (size_t cut = 1; valid && cut < len; cut++) {
                int m = snprintf(line, sizeof line, "%s%.*s%.*s", head, (int)pad,
                                 "0123456789abcdef", (int)cut, seq);
                int rc = parse_exact(line, (size_t)m, &d, &buf, err, sizeof err);
                snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu", sizeof head - 1 + pad);
                if (rc != NI_EINVAL || strcmp(err, msg) != 0) {
                    fprintf(stderr, "sample %zu cut to %zu, pad %zu: rc %d (%s)\n", k, cut,
                            pad, rc, err);
                    bad++;
                }
            }
        }
    }
    CHECK(bad == 0);
    jsonl_buf_free(&buf);
}

/* \u escapes at each UTF-8 length boundary: U+007F in one byte, U+0080
 * and U+07FF in two, U+0800 and U+FFFF in three, a surrogate pair for
 * U+10000 and U+10FFFF in four. */
static void jsonl_escape_lengths(void)
{
    static const struct { const char *esc, *utf8; } cases[] = {
        { "\\u007f", "\x7f" },
        { "\\u0080", "\xc2\x80" },
        { "\\u07ff", "\xdf\xbf" },
        { "\\u0800", "\xe0\xa0\x80" },
        { "\\uffff", "\xef\xbf\xbf" },
        { "\\ud800\\udc00", "\xf0\x90\x80\x80" },
        { "\\udbff\\udfff", "\xf4\x8f\xbf\xbf" },
    };
    jsonl_buf buf = { NULL, 0, 0 };
    char line[64], err[128];
    ni_doc d;
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int m = snprintf(line, sizeof line, "{\"text\":\"a%sb\"}", cases[i].esc);
        size_t n = strlen(cases[i].utf8);
        CHECK_RC(parse_exact(line, (size_t)m, &d, &buf, err, sizeof err), 0);
        CHECK(d.text_len == n + 2 && d.text[0] == 'a' && memcmp(d.text + 1, cases[i].utf8, n) == 0 &&
              d.text[n + 1] == 'b');
    }
    jsonl_buf_free(&buf);
}

static void gzip_files(void)
{
    char path[] = "/tmp/ni-input-XXXXXX", file[64], trunc[64], cmd[200], err[256];
    input *in = NULL;
    ni_doc d;
    gzFile gz;
    FILE *f;
    size_t n;
    char *bytes;
    int i, docs = 0, rc;

    if (!mkdtemp(path))
        return;
    snprintf(file, sizeof file, "%s/a.jsonl.gz", path);
    gz = gzopen(file, "wb");
    for (i = 0; i < 3000; i++)
        gzprintf(gz, "{\"id\":\"g%d\",\"title\":\"Новость %d\",\"text\":\"%0500d\"}\n", i, i, i);
    gzclose(gz);
    CHECK_RC(input_open(&in, file, err, sizeof err), 0);
    while ((rc = input_next(in, &d)) == 0)
        docs++;
    CHECK(rc == NI_DONE && docs == 3000);
    CHECK(input_bytes_read(in) > 0);
    input_close(in);

    /* the same file cut in the middle: the documents before, then a clear error */
    bytes = slurp(file, &n);
    snprintf(trunc, sizeof trunc, "%s/t.jsonl.gz", path);
    f = fopen(trunc, "wb");
    fwrite(bytes, 1, n / 2, f);
    fclose(f);
    free(bytes);
    docs = 0;
    CHECK_RC(input_open(&in, trunc, err, sizeof err), 0);
    while ((rc = input_next(in, &d)) == 0)
        docs++;
    CHECK(rc == NI_EIO && docs > 100 && docs < 3000);
    CHECK(strstr(input_error(in), trunc) != NULL);
    CHECK_RC(input_next(in, &d), NI_DONE);
    input_close(in);

    CHECK_RC(input_open(&in, "/nonexistent/file.jsonl", err, sizeof err), NI_ENOTFOUND);
    CHECK(strstr(err, "cannot open '/nonexistent/file.jsonl'") != NULL);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    CHECK(system(cmd) == 0);
}

static void article_file_ids(void)
{
    input *in = NULL;
    ni_doc d;
    char err[256];
    CHECK_RC(input_open(&in, "corpus/shkola-merov.txt", err, sizeof err), 0);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "corpus/shkola-merov.txt"));
    CHECK(input_warning(in) == NULL);
    CHECK_RC(input_next(in, &d), NI_DONE);
    input_close(in);
    CHECK_RC(input_open_mem(&in, "page.txt", "Строка\nещё", 15), 0);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(input_warning(in) && strncmp(input_warning(in), "page.txt:1: ", 12) == 0);
    input_close(in);
}

/* The id name replaces the path in made ids; records with an id or url
 * keep theirs and are not counted as unnamed. */
static void id_names(void)
{
    static const char feed[] = "{\"title\":\"a\",\"text\":\"x\"}\n"
                               "{\"id\":\"i\",\"title\":\"b\",\"text\":\"y\"}\n"
                               "\n"
                               "{\"url\":\"u\",\"title\":\"c\",\"text\":\"z\"}\n"
                               "{\"title\":\"d\",\"text\":\"w\"}\n";
    input *in = NULL;
    ni_doc d;
    CHECK_RC(input_open_mem(&in, "/abs/dir/feed.jsonl", feed, sizeof feed - 1), 0);
    CHECK_RC(input_set_id_name(in, "feed.jsonl"), 0);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "feed.jsonl:1") && input_line(in) == 1);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "i") && input_line(in) == 2);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "u") && input_line(in) == 4);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "feed.jsonl:5"));
    CHECK(input_unnamed(in) == 2);
    CHECK(strcmp(input_name(in), "/abs/dir/feed.jsonl") == 0);
    input_close(in);
}

/* A JSON array whose first record is read in two pieces, an escaped quote
 * (backslash the last byte of the first 256 KB read, quote the first of the
 * next) and brackets inside strings: the scan for a record's end goes on
 * where it stopped, in or out of a string. */
static void array_across_reads(void)
{
    static const char head[] = "[{\"id\":\"e\",\"title\":\"t\",\"text\":\"";
    const size_t chunk = 256 * 1024, hl = sizeof head - 1;
    size_t n = 0, i;
    char *buf = malloc(chunk + 200);
    input *in = NULL;
    ni_doc d;

    memcpy(buf, head, hl);
    n = hl;
    for (i = hl; i < chunk - 1; i++)
        buf[n++] = i % 97 == 0 ? '}' : 'a';
    buf[n++] = '\\';                  /* byte chunk - 1 */
    buf[n++] = '"';                   /* byte chunk: an escaped quote */
    {
        static const char tail[] = "] {\"}, {\"id\":\"f\",\"text\":\"x\"}]\n";
        memcpy(buf + n, tail, sizeof tail - 1);
        n += sizeof tail - 1;
    }
    CHECK_RC(input_open_mem(&in, "a.json", buf, n), 0);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "e") && d.text_len == chunk - 1 - hl + 1 + 3);
    CHECK(d.text && d.text[d.text_len - 4] == '"' && memcmp(d.text + d.text_len - 3, "] {", 3) == 0);
    CHECK_RC(input_next(in, &d), 0);
    CHECK(eq(d.id, d.id_len, "f") && eq(d.text, d.text_len, "x"));
    CHECK_RC(input_next(in, &d), NI_DONE);
    input_close(in);
    free(buf);
}

/* An id set says which ids it has seen, across its growth. */
static void id_set(void)
{
    idset s = IDSET_INIT;
    char id[32];
    int i, again = 0, fresh = 0;
    for (i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "doc-%d", i);
        fresh += idset_add(&s, id, strlen(id)) == 0;
    }
    for (i = 0; i < 5000; i++) {
        snprintf(id, sizeof id, "doc-%d", i);
        again += idset_add(&s, id, strlen(id)) == 1;
    }
    CHECK(fresh == 5000 && again == 5000 && s.n == 5000);
    CHECK(idset_add(&s, "doc-5000", 8) == 0);
    CHECK(idset_add(&s, "", 0) == 0 && idset_add(&s, "", 0) == 1);
    idset_free(&s);
}

TEST_MAIN(TEST(sample_article), TEST(article_variations), TEST(jsonl_records), TEST(jsonl_utf8_boundaries), TEST(jsonl_escape_lengths),
          TEST(gzip_files), TEST(article_file_ids), TEST(id_names), TEST(id_set),
          TEST(array_across_reads))
