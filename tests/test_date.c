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
}

static void rejects(void)
{
    static const char *const bad[] = { "", "2024", "2024-07", "2024-7-17", "2024-02-30",
                                       "2023-02-29", "2024-13-01", "2024-00-10",
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

TEST_MAIN(TEST(formats), TEST(rejects), TEST(formatting))
