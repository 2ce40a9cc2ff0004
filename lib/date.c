/*
 * date.c - parsing and formatting document dates (ni_date_parse[_tz],
 * ni_date_format[_tz]).  Dates are seconds since 1970-01-01 00:00 UTC in
 * the proleptic Gregorian calendar; one with Z or an offset is converted
 * to UTC and the offset kept beside it (NI_DATE_OFFSET), a time without an
 * offset is read as UTC (the library has no time zone database to guess
 * the writer's), a date without a time is its day from 00:00 UTC
 * (NI_DATE_DAY).  Formatting gives each back as it was written, the time
 * in the offset's local time.  No locale, no I/O.
 */
#include <stdio.h>

#include "date.h"
#include "error.h"

/* Days from 1970-01-01 to y-m-d (Howard Hinnant's days_from_civil). */
int64_t ni_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void ni_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

unsigned ni_days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* n decimal digits at s[*i]; -1 when not there. */
static long digits(const char *s, size_t len, size_t *i, int n)
{
    long v = 0;
    int k;
    for (k = 0; k < n; k++, (*i)++) {
        if (*i >= len || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[*i] - '0');
    }
    return v;
}

int ni_date_parse(int64_t *out, const char *s, size_t len)
{
    int offset;
    unsigned form;
    return ni_date_parse_tz(out, &offset, &form, s, len);
}

int ni_date_parse_tz(int64_t *out, int *offset_min, unsigned *form, const char *s, size_t len)
{
    size_t i = 0;
    long y, mo, d, h = 0, mi = 0, sec = 0, oh, om;
    int64_t t, offset = 0;

    if (!out || !offset_min || !form || !s)
        return ni_error(NI_EINVAL, "ni_date_parse: NULL argument");
    *offset_min = 0;
    *form = NI_DATE_DAY;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if ((y = digits(s, len, &i, 4)) < 0 || i >= len || s[i++] != '-' ||
        (mo = digits(s, len, &i, 2)) < 0 || i >= len || s[i++] != '-' ||
        (d = digits(s, len, &i, 2)) < 0)
        goto bad;
    if (mo < 1 || mo > 12 || d < 1 || (unsigned long)d > ni_days_in_month(y, (unsigned)mo))
        goto bad;
    if (i < len) {
        if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
            goto bad;
        i++;
        if ((h = digits(s, len, &i, 2)) < 0 || i >= len || s[i++] != ':' ||
            (mi = digits(s, len, &i, 2)) < 0)
            goto bad;
        if (i < len && s[i] == ':') {
            i++;
            if ((sec = digits(s, len, &i, 2)) < 0)
                goto bad;
            if (i < len && (s[i] == '.' || s[i] == ',')) {
                i++;
                if (i >= len || s[i] < '0' || s[i] > '9')
                    goto bad;
                while (i < len && s[i] >= '0' && s[i] <= '9')
                    i++;
            }
        }
        if (h > 23 || mi > 59 || sec > 60)
            goto bad;
        *form = 0;
        if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
            i++;
            *form = NI_DATE_OFFSET;
        } else if (i < len && (s[i] == '+' || s[i] == '-')) {
            int sign = s[i++] == '-' ? -1 : 1;
            if ((oh = digits(s, len, &i, 2)) < 0)
                goto bad;
            if (i < len && s[i] == ':')
                i++;
            if ((om = digits(s, len, &i, 2)) < 0 || oh > 23 || om > 59)
                goto bad;
            offset = sign * (oh * 3600 + om * 60);
            *offset_min = (int)(offset / 60);
            *form = NI_DATE_OFFSET;
        }
        if (i != len)
            goto bad;
    }
    t = ni_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec;
    *out = t - offset;
    return 0;
bad:
    return ni_error(NI_EINVAL, "invalid date '%.*s' (want YYYY-MM-DD, "
                    "YYYY-MM-DD HH:MM or ISO 8601)", (int)(len > 60 ? 60 : len), s);
}

size_t ni_date_format(char *buf, size_t size, int64_t date)
{
    int64_t days, secs, y;
    unsigned m, d;
    int n;

    if (!buf || size < 20 || date == NI_DATE_NONE)
        return 0;
    days = date / 86400;
    secs = date % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    ni_civil_from_days(days, &y, &m, &d);
    if (secs == 0)
        n = snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
    else
        n = snprintf(buf, size, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)y, m, d,
                     (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
                     (unsigned)(secs % 60));
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

size_t ni_date_format_tz(char *buf, size_t size, int64_t date, int offset_min, unsigned form)
{
    int64_t days, secs, y, local;
    unsigned m, d;
    int n;

    if (!buf || size < 26 || date == NI_DATE_NONE || form > NI_DATE_DAY ||
        (form == NI_DATE_OFFSET && (offset_min < -1439 || offset_min > 1439)) ||
        date < -NI_DATE_LIMIT || date > NI_DATE_LIMIT)
        return 0;
    local = form == NI_DATE_OFFSET ? date + (int64_t)offset_min * 60 : date;
    days = local / 86400;
    secs = local % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    ni_civil_from_days(days, &y, &m, &d);
    if (form == NI_DATE_DAY)
        n = snprintf(buf, size, "%04lld-%02u-%02u", (long long)y, m, d);
    else
        n = snprintf(buf, size, "%04lld-%02u-%02u %02u:%02u:%02u", (long long)y, m, d,
                     (unsigned)(secs / 3600), (unsigned)(secs / 60 % 60),
                     (unsigned)(secs % 60));
    if (n > 0 && form == NI_DATE_OFFSET && (size_t)n < size) {
        unsigned a = (unsigned)(offset_min < 0 ? -offset_min : offset_min);
        n += snprintf(buf + n, size - (size_t)n, "%c%02u:%02u", offset_min < 0 ? '-' : '+',
                      a / 60, a % 60);
    }
    return n > 0 && (size_t)n < size ? (size_t)n : 0;
}
