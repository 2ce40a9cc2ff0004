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
#include "utf8.h"

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/*
 * Writes s[0..n) to f a character at a time: each invalid UTF-8 byte as
 * U+FFFD, each valid character (len bytes at p, ASCII included) as put
 * writes it, which gets arg too.
 */
static void put_chars(FILE *f, const char *s, size_t n,
                      void (*put)(FILE *, const unsigned char *, size_t, int),
                      int arg)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t len = utf8_seq_len(p + i, n - i);
        if (len == 0) {
            fputs(replacement, f);
            len = 1;
        } else {
            put(f, p + i, len, arg);
        }
        i += len;
    }
}

/* One character of a JSON string: control characters escaped, U+2028 and
 * U+2029 too (valid JSON, but they end lines in JavaScript). */
static void put_json_char(FILE *f, const unsigned char *p, size_t len, int unused)
{
    unsigned char c = p[0];
    (void)unused;
    if (len == 1) {
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
    } else if (len == 3 && c == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
        fprintf(f, "\\u%04x", p[2] == 0xA8 ? 0x2028u : 0x2029u);
    } else {
        fwrite(p, 1, len, f);
    }
}

/* Writes s[0..n) as put_chars with put_json_char would, but a run of
 * characters that need no escape with one fwrite (a server writes every
 * title and snippet through here). */
void out_json_str(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0, len;
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    while (i < n) {
        unsigned char c = p[i];
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            i++;
            continue;
        }
        len = c < 0x80 ? 1 : utf8_seq_len(p + i, n - i);
        if (len > 1 && !(len == 3 && c == 0xE2 && p[i + 1] == 0x80 &&
                         (p[i + 2] == 0xA8 || p[i + 2] == 0xA9))) {
            i += len;
            continue;
        }
        fwrite(p + run, 1, i - run, f);
        if (len == 0) {
            fputs(replacement, f);
            len = 1;
        } else {
            put_json_char(f, p + i, len, 0);
        }
        i += len;
        run = i;
    }
    fwrite(p + run, 1, i - run, f);
    fputc('"', f);
}

const char *out_date(char *buf, size_t size, int64_t date, int offset, unsigned form)
{
    if (size == 0)
        return "";
    buf[0] = '\0';
    if (date == NI_DATE_NONE)
        return buf;
    if (ni_date_format_tz(buf, size, date, offset, form) == 0)
        buf[0] = '\0';
    return buf;
}

void out_json_date(FILE *f, int64_t date, int offset, unsigned form)
{
    char buf[NI_DATE_BUF];
    const char *s = out_date(buf, sizeof buf, date, offset, form);
    if (*s)
        out_json_str(f, s, strlen(s));
    else
        fputs("null", f);
}

void out_json_key_str(FILE *f, const char *key, const char *s, size_t n)
{
    fprintf(f, ",\"%s\":", key);
    out_json_str(f, s, n);
}

void out_json_key_date(FILE *f, const char *key, int64_t date, int offset, unsigned form)
{
    fprintf(f, ",\"%s\":", key);
    out_json_date(f, date, offset, form);
}

void out_json_num(FILE *f, double v)
{
    if (!isfinite(v))
        fputs("null", f);
    else
        fprintf(f, "%.6g", v);
}

/* One character for a terminal: C0 and C1 controls and DEL as a space,
 * newlines and tabs too unless keep_newlines. */
static void put_text_char(FILE *f, const unsigned char *p, size_t len, int keep_newlines)
{
    unsigned char c = p[0];
    if (len == 1) {
        if ((c == '\n' || c == '\t') && keep_newlines)
            fputc(c, f);
        else if (c < 0x20 || c == 0x7F)
            fputc(' ', f);
        else
            fputc(c, f);
    } else if (len == 2 && c == 0xC2 && p[1] < 0xA0) {
        fputc(' ', f); /* U+0080..U+009F */
    } else {
        fwrite(p, 1, len, f);
    }
}

void out_text(FILE *f, const char *s, size_t n, int keep_newlines)
{
    if (s)
        put_chars(f, s, n, put_text_char, keep_newlines);
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
    c->mark = on ? "\033[33m" : "";
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
