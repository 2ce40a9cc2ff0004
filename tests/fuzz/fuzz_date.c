/* libFuzzer target: the date parser and formatter (lib/date.c).  A text
 * ni_date_parse_tz takes gives a date within the years 0000..9999 (UTC
 * offsets moving it at most a day), an offset within +-23:59 only with
 * NI_DATE_OFFSET, a day at 00:00 UTC with NI_DATE_DAY, and the same as
 * ni_date_parse; formatted, it reads back to the same three values.  The
 * first 14 bytes also make a date, offset and form to format directly:
 * never more than NI_DATE_BUF - 1 bytes, and what is written reads back. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "newsindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[NI_DATE_BUF];
    int64_t date, plain, back;
    int offset, boff;
    unsigned form, bform;
    size_t n;

    if (ni_date_parse_tz(&date, &offset, &form, (const char *)data, size) == 0) {
        assert(ni_date_parse(&plain, (const char *)data, size) == 0 && plain == date);
        assert(date >= -62167219200 - 86400 && date <= 253402300799 + 86400);
        assert(form == 0 || form == NI_DATE_OFFSET || form == NI_DATE_DAY);
        assert(form == NI_DATE_OFFSET ? offset >= -1439 && offset <= 1439 : offset == 0);
        assert(form != NI_DATE_DAY || date % 86400 == 0);
        n = ni_date_format_tz(buf, sizeof buf, date, offset, form);
        assert(n > 0 && n < sizeof buf && strlen(buf) == n);
        assert(ni_date_parse_tz(&back, &boff, &bform, buf, n) == 0);
        assert(back == date && boff == offset && bform == form);
    } else {
        assert(ni_date_parse(&plain, (const char *)data, size) == NI_EINVAL);
    }
    if (size >= 14) {
        int16_t o;
        memcpy(&date, data, 8);
        memcpy(&o, data + 8, 2);
        form = data[10] % 4;
        memset(buf, 'x', sizeof buf);
        n = ni_date_format_tz(buf, sizeof buf, date, o, form);
        assert(n < sizeof buf);
        if (n) {
            assert(strlen(buf) == n);
            if (date >= -62167219200 + 86400 && date <= 253402300799 - 86400) {
                assert(ni_date_parse_tz(&back, &boff, &bform, buf, n) == 0);
                assert(back == date - (form == NI_DATE_DAY ? (date % 86400 + 86400) % 86400 : 0));
                assert(bform == form && (form != NI_DATE_OFFSET || boff == o));
            }
        }
    }
    return 0;
}
