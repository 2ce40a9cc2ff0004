/*
 * out.c - output helpers of the nsearch CLI: JSON strings from arbitrary
 * bytes, text safe for a terminal, dates, sizes, and whether to use colour.
 * Writes only to the FILE it is given; keeps no state.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

size_t out_utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; cp = c & 0x1Fu; min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; cp = c & 0x0Fu; min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; cp = c & 0x07u; min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

void out_json_str(FILE *f, const char *s, size_t n)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', f);
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            switch (c) {
            case '"':  fputs("\\\"", f); break;
            case '\\': fputs("\\\\", f); break;
            case '\n': fputs("\\n", f); break;
            case '\r': fputs("\\r", f); break;
            case '\t': fputs("\\t", f); break;
            case '\b': fputs("\\b", f); break;
            case '\f': fputs("\\f", f); break;
            default:
                if (c < 0x20 || c == 0x7F)
                    fprintf(f, "\\u%04x", c);
                else
                    fputc(c, f);
            }
            i++;
            continue;
        }
        size_t len = out_utf8_len(p + i, n - i);
        if (len == 0) {
            fputs(replacement, f);
            i++;
        } else if (len == 3 && c == 0xE2 && p[i + 1] == 0x80 &&
                   (p[i + 2] == 0xA8 || p[i + 2] == 0xA9)) {
            /* U+2028/U+2029 are valid JSON but end lines in JavaScript. */
            fprintf(f, "\\u%04x", p[i + 2] == 0xA8 ? 0x2028u : 0x2029u);
            i += 3;
        } else {
            fwrite(p + i, 1, len, f);
            i += len;
        }
    }
    fputc('"', f);
}

const char *out_date(char *buf, size_t size, int64_t date)
{
    if (size == 0)
        return "";
    buf[0] = '\0';
    if (date == NI_DATE_NONE)
        return buf;
    size_t len = ni_date_format(buf, size, date);
    if (len == 0) {
        buf[0] = '\0';
        return buf;
    }
    /* ni_date_format drops a midnight time; the CLI always shows it so
     * columns line up and JSON consumers see one shape. */
    if (len == 10 && size >= 20)
        memcpy(buf + 10, " 00:00:00", 10);
    return buf;
}

void out_json_date(FILE *f, int64_t date)
{
    char buf[40];
    const char *s = out_date(buf, sizeof buf, date);
    if (*s)
        out_json_str(f, s, strlen(s));
    else
        fputs("null", f);
}

void out_json_num(FILE *f, double v)
{
    if (!isfinite(v))
        fputs("null", f);
    else
        fprintf(f, "%.6g", v);
}

void out_text(FILE *f, const char *s, size_t n, int keep_newlines)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == '\n' && keep_newlines)
                fputc('\n', f);
            else if (c == '\t' && keep_newlines)
                fputc('\t', f);
            else if (c < 0x20 || c == 0x7F)
                fputc(' ', f);
            else
                fputc(c, f);
            i++;
            continue;
        }
        size_t len = out_utf8_len(p + i, n - i);
        if (len == 0) {
            fputs(replacement, f);
            i++;
        } else if (len == 2 && c == 0xC2 && p[i + 1] < 0xA0) {
            fputc(' ', f); /* C1 controls (U+0080..U+009F) */
            i += 2;
        } else {
            fwrite(p + i, 1, len, f);
            i += len;
        }
    }
}

int out_use_colour(FILE *f)
{
    if (!isatty(fileno(f)))
        return 0;
    const char *no = getenv("NO_COLOR");
    if (no && *no)
        return 0;
    const char *term = getenv("TERM");
    if (!term || !*term || strcmp(term, "dumb") == 0)
        return 0;
    return 1;
}

void out_colours_init(out_colours *c, int on)
{
    c->bold = on ? "\033[1m" : "";
    c->dim = on ? "\033[2m" : "";
    c->rank = on ? "\033[32m" : "";
    c->id = on ? "\033[35m" : "";
    c->off = on ? "\033[0m" : "";
}

const char *out_bytes(char *buf, size_t size, uint64_t bytes)
{
    double b = (double)bytes;
    if (bytes < 1000)
        snprintf(buf, size, "%u bytes", (unsigned)bytes);
    else if (b < 1e6)
        snprintf(buf, size, "%.1f kB", b / 1e3);
    else if (b < 1e9)
        snprintf(buf, size, "%.1f MB", b / 1e6);
    else
        snprintf(buf, size, "%.2f GB", b / 1e9);
    return buf;
}

double out_elapsed(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) +
           (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}
