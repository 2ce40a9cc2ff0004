/* Unit tests of ni_date_parse and ni_date_format (lib/date.c). */
#include <string.h>

#include "newsindex.h"
#include "test.h"

static int64_t parse(const char *s)
{
    int64_t t = 0;
    return ni_date_parse(&t, s, strlen(s)) == 0 ? t : -1;
}

static void formats(void)
{
    /* values from python3 calendar.timegm */
    CHECK(parse("2024-07-17") == 1721174400);
    CHECK(parse("2024-07-17 13:30") == 1721223000);
    CHECK(parse("2024-07-17 13:30:15") == 1721223015);
    CHECK(parse("2024-07-17T13:30:15Z") == 1721223015);
    CHECK(parse("2024-07-17T13:30:15.250Z") == 1721223015);
    CHECK(parse("2024-07-17T16:30:15+03:00") == 1721223015);
    CHECK(parse("2024-07-17T10:30:15-0300") == 1721223015);
    CHECK(parse(" 2024-07-17 ") == 1721174400);
    CHECK(parse("1970-01-01") == 0);
    CHECK(parse("1969-12-31 23:59:58") == -2);
    CHECK(parse("2000-02-29") == 951782400);
    CHECK(parse("1900-03-01") == -2203891200);
    /* the calendar's edges, each beside its refused neighbour in rejects:
     * leap in years divisible by 4 and by 400, the first and last day of a
     * month */
    CHECK(parse("2024-02-29") == 1709164800);
    CHECK(parse("1600-02-29") == -11670998400);
    CHECK(parse("2024-07-01") == 1719792000);
    CHECK(parse("2024-07-31") == 1722384000);
}

static void rejects(void)
{
    static const char *const bad[] = { "", "2024", "2024-07", "2024-7-17", "2024-02-30",
                                       "2023-02-29", "2024-13-01", "2024-00-10",
                                       "1900-02-29", "2100-02-29", "2024-07-00",
                                       "2024-07-32",
                                       "2024-07-17 24:00", "2024-07-17 12:60",
                                       "2024-07-17T12", "2024-07-17X12:00",
                                       "2024-07-17 12:00 junk", "2024-07-17T12:00+5",
                                       "17.07.2024", "2024-07-17T12:00:00." };
    size_t i;
    int64_t t;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = ni_date_parse(&t, bad[i], strlen(bad[i]));
        if (rc != NI_EINVAL)
            fprintf(stderr, "accepted '%s'\n", bad[i]);
        CHECK(rc == NI_EINVAL);
    }
    CHECK(strstr(ni_errmsg(), "2024-07-17T12:00:00.") != NULL);
}

static void formatting(void)
{
    char buf[32];
    CHECK(ni_date_format(buf, sizeof buf, 1721223000) == 19);
    CHECK(strcmp(buf, "2024-07-17 13:30:00") == 0);
    CHECK(ni_date_format(buf, sizeof buf, 1721174400) == 10);
    CHECK(strcmp(buf, "2024-07-17") == 0);
    CHECK(ni_date_format(buf, sizeof buf, -1) == 19);
    CHECK(strcmp(buf, "1969-12-31 23:59:59") == 0);
    CHECK(ni_date_format(buf, sizeof buf, NI_DATE_NONE) == 0);
    CHECK(ni_date_format(buf, 10, 0) == 0);
}

static int64_t tz_date;
static int tz_offset;
static unsigned tz_form;

/* ni_date_parse_tz of s; 0 or its error. */
static int parse_tz(const char *s)
{
    return ni_date_parse_tz(&tz_date, &tz_offset, &tz_form, s, strlen(s));
}

/* What ni_date_parse_tz tells beside the UTC seconds. */
static void zones(void)
{
    CHECK(parse_tz("2024-12-01T02:30:00+03:00") == 0 && tz_date == 1733009400 &&
          tz_offset == 180 && tz_form == NI_DATE_OFFSET);
    CHECK(parse_tz("2024-11-30T20:00:00-05:30") == 0 && tz_date == 1733016600 &&
          tz_offset == -330 && tz_form == NI_DATE_OFFSET);
    CHECK(parse_tz("2024-12-01T00:00:00Z") == 0 && tz_date == 1733011200 && tz_offset == 0 &&
          tz_form == NI_DATE_OFFSET);
    CHECK(parse_tz("2024-12-01T00:00+0000") == 0 && tz_date == 1733011200 &&
          tz_form == NI_DATE_OFFSET);
    CHECK(parse_tz("2024-12-01 00:00:00") == 0 && tz_date == 1733011200 && tz_offset == 0 &&
          tz_form == 0);
    CHECK(parse_tz("2024-12-01") == 0 && tz_date == 1733011200 && tz_offset == 0 &&
          tz_form == NI_DATE_DAY);
    CHECK(parse_tz("2024-12-01T12:00:00+23:59") == 0 && tz_offset == 1439);
    CHECK(parse_tz("2024-12-01T12:00:00-23:59") == 0 && tz_offset == -1439);
    CHECK(parse_tz("2024-12-01T12:00:00+24:00") == NI_EINVAL);
    CHECK(ni_date_parse_tz(&tz_date, NULL, &tz_form, "2024-12-01", 10) == NI_EINVAL);
}

/* parse -> format -> parse gives the same three values; the text is the
 * canonical one (space, seconds, +HH:MM for Z). */
static void round_trips(void)
{
    static const struct { const char *in, *out; } cases[] = {
        { "2024-12-01T02:30:00+03:00", "2024-12-01 02:30:00+03:00" },
        { "2024-11-30T20:00-05:30", "2024-11-30 20:00:00-05:30" },
        { "2024-12-01T00:00:00Z", "2024-12-01 00:00:00+00:00" },
        { "2024-12-01", "2024-12-01" },
        { "2024-12-01 00:00", "2024-12-01 00:00:00" },
        { "2024-07-17T13:30:15.250Z", "2024-07-17 13:30:15+00:00" },
        { "1969-12-31T23:00:00-02:00", "1969-12-31 23:00:00-02:00" },  /* UTC 1970-01-01 01:00 */
        { "0001-01-01T00:30:00+01:00", "0001-01-01 00:30:00+01:00" },  /* UTC year 0 */
        { "9999-12-31T23:59:59-23:59", "9999-12-31 23:59:59-23:59" },
    };
    char buf[NI_DATE_BUF];
    size_t i;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t d;
        int o;
        unsigned f;
        size_t n;
        CHECK(parse_tz(cases[i].in) == 0);
        d = tz_date, o = tz_offset, f = tz_form;
        n = ni_date_format_tz(buf, sizeof buf, d, o, f);
        if (n != strlen(cases[i].out) || strcmp(buf, cases[i].out) != 0)
            fprintf(stderr, "%s -> '%s', want '%s'\n", cases[i].in, buf, cases[i].out);
        CHECK(n == strlen(cases[i].out) && strcmp(buf, cases[i].out) == 0);
        CHECK(parse_tz(buf) == 0 && tz_date == d && tz_offset == o && tz_form == f);
    }
    /* a date alone and midnight without an offset stay apart */
    CHECK(ni_date_format_tz(buf, sizeof buf, 1733011200, 0, NI_DATE_DAY) == 10);
    CHECK(ni_date_format_tz(buf, sizeof buf, 1733011200, 0, 0) == 19);
    /* what is refused */
    CHECK(ni_date_format_tz(buf, sizeof buf, NI_DATE_NONE, 0, 0) == 0);
    CHECK(ni_date_format_tz(buf, sizeof buf, 0, 1440, NI_DATE_OFFSET) == 0);
    CHECK(ni_date_format_tz(buf, sizeof buf, 0, 0, 3) == 0);
    CHECK(ni_date_format_tz(buf, sizeof buf, NI_DATE_LIMIT + 1, 0, 0) == 0);
    CHECK(ni_date_format_tz(buf, sizeof buf, -NI_DATE_LIMIT, -1439, NI_DATE_OFFSET) > 0);
    CHECK(ni_date_format_tz(buf, 25, 0, 60, NI_DATE_OFFSET) == 0);
    CHECK(ni_date_format_tz(buf, 26, 0, 60, NI_DATE_OFFSET) == 25);
}

TEST_MAIN(TEST(formats), TEST(rejects), TEST(formatting), TEST(zones), TEST(round_trips))
