/*
 * jsonl.c - a strict parser of one JSON Lines news record.  Known fields:
 * id (string or number, kept as written), url, date, rubric, title, text,
 * credit (strings or null).  Other keys are skipped whatever their value
 * (nesting up to MAX_DEPTH).  Rejected: malformed JSON, invalid UTF-8,
 * control characters or lone surrogates in strings, a known field twice or
 * of the wrong type, a date ni_date_parse does not accept, anything after
 * the object.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonl.h"
#include "utf8.h"

#define MAX_DEPTH 64

enum { F_ID, F_URL, F_DATE, F_RUBRIC, F_TITLE, F_TEXT, F_CREDIT, NFIELDS };
static const char *const names[NFIELDS] = { "id", "url", "date", "rubric",
                                            "title", "text", "credit" };

typedef struct parser {
    const char *s;
    size_t n, i;
    jsonl_buf *buf;
    char *err;
    size_t errsize;
} parser;

static int fail(parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errsize, fmt, ap);
    va_end(ap);
    return NI_EINVAL;
}

void jsonl_buf_free(jsonl_buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->len = buf->cap = 0;
}

static int put(parser *p, const void *b, size_t n)
{
    if (p->buf->len + n > p->buf->cap) {
        size_t cap = p->buf->cap ? p->buf->cap : 256;
        char *d;
        while (cap < p->buf->len + n)
            cap *= 2;
        d = realloc(p->buf->data, cap);
        if (!d)
            return NI_ENOMEM;
        p->buf->data = d;
        p->buf->cap = cap;
    }
    memcpy(p->buf->data + p->buf->len, b, n);
    p->buf->len += n;
    return 0;
}

static void ws(parser *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' ||
                           p->s[p->i] == '\r' || p->s[p->i] == '\n'))
        p->i++;
}

static int hex4(parser *p, unsigned long *out)
{
    unsigned long v = 0;
    int k;
    if (p->n - p->i < 4)
        return fail(p, "truncated \\u escape at byte %zu", p->i);
    for (k = 0; k < 4; k++) {
        char c = p->s[p->i++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned long)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned long)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned long)(c - 'A' + 10);
        else
            return fail(p, "bad \\u escape at byte %zu", p->i - 1);
    }
    *out = v;
    return 0;
}

#define ONES ((uint64_t)0x0101010101010101u)
#define HIGHS (ONES * 0x80)
/* some byte's high bit set when x has a zero byte, none when it has none;
 * (x - ONES * n) & ~x & HIGHS does the same for a byte below n <= 0x80 */
#define ZERO_BYTE(x) (((x) - ONES) & ~(x) & HIGHS)

/* How many of the 8 bytes at s (7 when the last one starts a character)
 * are plain string content: ASCII other than '"', '\\' and controls, and
 * valid two-byte UTF-8 sequences; 0 when any byte is something else, which
 * the byte-at-a-time loop then looks at.  Most of a Russian text is such
 * runs, so this reads it a word at a time. */
static size_t plain8(const char *s)
{
    const unsigned char *b = (const unsigned char *)s;
    uint64_t w = (uint64_t)b[0] | (uint64_t)b[1] << 8 | (uint64_t)b[2] << 16 |
                 (uint64_t)b[3] << 24 | (uint64_t)b[4] << 32 | (uint64_t)b[5] << 40 |
                 (uint64_t)b[6] << 48 | (uint64_t)b[7] << 56;   /* one load on x86 */
    uint64_t lead, cont;
    /* a byte below 0x20, a '"' or a '\\': the three tests share their ~w,
     * as xor with an ASCII byte keeps each byte's high bit */
    if (((w - ONES * 0x20) | ((w ^ ONES * '"') - ONES) | ((w ^ ONES * '\\') - ONES)) & ~w & HIGHS)
        return 0;
    if (!(w & HIGHS))
        return 8;
    /* per byte, bit 7: 11xxxxxx leads, 10xxxxxx continuations (the next
     * byte is 8 bits up) */
    lead = w & w << 1 & HIGHS;
    cont = w & ~(w << 1) & HIGHS;
    if ((lead & w << 2) ||                      /* 111xxxxx: longer sequences */
        (ZERO_BYTE(w & ONES * 0x1e) & lead) ||  /* C0, C1 (or a false alarm) */
        cont != lead << 8)                      /* not each lead then one cont */
        return 0;
    return lead >> 56 ? 7 : 8;
}

/* A string at p->i (at its opening quote); decoded into the buffer when
 * keep, else only checked. */
static int string(parser *p, int keep)
{
    size_t start = p->i++;
    int rc;
    for (;;) {
        unsigned char c;
        if (p->i >= p->n)
            return fail(p, "unterminated string starting at byte %zu", start);
        c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            return 0;
        }
        if (c < 0x20)
            return fail(p, "control character in a string at byte %zu", p->i);
        if (c == '\\') {
            unsigned long u, lo;
            char out[4];
            size_t len = 1;
            if (++p->i >= p->n)
                return fail(p, "unterminated string starting at byte %zu", start);
            switch (p->s[p->i++]) {
            case '"': out[0] = '"'; break;
            case '\\': out[0] = '\\'; break;
            case '/': out[0] = '/'; break;
            case 'b': out[0] = '\b'; break;
            case 'f': out[0] = '\f'; break;
            case 'n': out[0] = '\n'; break;
            case 'r': out[0] = '\r'; break;
            case 't': out[0] = '\t'; break;
            case 'u':
                if ((rc = hex4(p, &u)) < 0)
                    return rc;
                if (u >= 0xdc00 && u <= 0xdfff)
                    return fail(p, "lone low surrogate at byte %zu", p->i - 6);
                if (u >= 0xd800 && u <= 0xdbff) {
                    if (p->n - p->i < 6 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u')
                        return fail(p, "lone high surrogate at byte %zu", p->i - 6);
                    p->i += 2;
                    if ((rc = hex4(p, &lo)) < 0)
                        return rc;
                    if (lo < 0xdc00 || lo > 0xdfff)
                        return fail(p, "bad surrogate pair at byte %zu", p->i - 12);
                    u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
                }
                if (u < 0x80) {
                    out[0] = (char)u;
                } else if (u < 0x800) {
                    out[0] = (char)(0xc0 | u >> 6);
                    out[1] = (char)(0x80 | (u & 0x3f));
                    len = 2;
                } else if (u < 0x10000) {
                    out[0] = (char)(0xe0 | u >> 12);
                    out[1] = (char)(0x80 | (u >> 6 & 0x3f));
                    out[2] = (char)(0x80 | (u & 0x3f));
                    len = 3;
                } else {
                    out[0] = (char)(0xf0 | u >> 18);
                    out[1] = (char)(0x80 | (u >> 12 & 0x3f));
                    out[2] = (char)(0x80 | (u >> 6 & 0x3f));
                    out[3] = (char)(0x80 | (u & 0x3f));
                    len = 4;
                }
                break;
            default:
                return fail(p, "bad escape at byte %zu", p->i - 2);
            }
            if (keep && (rc = put(p, out, len)) < 0)
                return rc;
            continue;
        }
        {
            /* a run of characters needing no decoding, copied at once */
            size_t run = p->i, slow_until = 0;
            while (p->i < p->n) {
                unsigned char b;
                size_t k;
                if (p->i >= slow_until && p->n - p->i >= 8) {
                    if ((k = plain8(p->s + p->i)) > 0) {
                        p->i += k;
                        continue;
                    }
                    slow_until = p->i + 8;   /* the next 8 bytes one by one */
                }
                b = (unsigned char)p->s[p->i];
                if (b == '"' || b == '\\' || b < 0x20)
                    break;
                if (b < 0x80) {
                    p->i++;
                    continue;
                }
                /* two-byte sequences (Cyrillic) checked here, the rest
                 * by the CLI's one validator */
                if (b >= 0xc2 && b <= 0xdf && p->i + 1 < p->n &&
                    ((unsigned char)p->s[p->i + 1] & 0xc0) == 0x80) {
                    p->i += 2;
                    continue;
                }
                if (!(k = utf8_seq_len((const unsigned char *)p->s + p->i, p->n - p->i)))
                    return fail(p, "invalid UTF-8 at byte %zu", p->i);
                p->i += k;
            }
            if (keep && (rc = put(p, p->s + run, p->i - run)) < 0)
                return rc;
        }
    }
}

/* A JSON number (RFC 8259 grammar): -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number(parser *p)
{
    size_t start = p->i;
#define DIGIT (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
    if (p->i < p->n && p->s[p->i] == '-')
        p->i++;
    if (!DIGIT)
        return fail(p, "bad value at byte %zu", start);
    if (p->s[p->i] == '0')
        p->i++;
    else
        while (DIGIT)
            p->i++;
    if (p->i < p->n && p->s[p->i] == '.') {
        p->i++;
        if (!DIGIT)
            return fail(p, "bad number at byte %zu", start);
        while (DIGIT)
            p->i++;
    }
    if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
        p->i++;
        if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
            p->i++;
        if (!DIGIT)
            return fail(p, "bad number at byte %zu", start);
        while (DIGIT)
            p->i++;
    }
#undef DIGIT
    return 0;
}

static int literal(parser *p, const char *word)
{
    size_t n = strlen(word);
    if (p->n - p->i < n || memcmp(p->s + p->i, word, n) != 0)
        return fail(p, "bad value at byte %zu", p->i);
    p->i += n;
    return 0;
}

/* Any JSON value, checked and skipped. */
static int skip_value(parser *p, int depth)
{
    int rc;
    char close;
    if (depth > MAX_DEPTH)
        return fail(p, "nesting deeper than %d at byte %zu", MAX_DEPTH, p->i);
    ws(p);
    if (p->i >= p->n)
        return fail(p, "missing value at the end of the line");
    switch (p->s[p->i]) {
    case '"':
        return string(p, 0);
    case 't':
        return literal(p, "true");
    case 'f':
        return literal(p, "false");
    case 'n':
        return literal(p, "null");
    case '{':
    case '[':
        close = p->s[p->i] == '{' ? '}' : ']';
        p->i++;
        ws(p);
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            return 0;
        }
        for (;;) {
            ws(p);
            if (close == '}') {
                if (p->i >= p->n || p->s[p->i] != '"')
                    return fail(p, "expected a key at byte %zu", p->i);
                if ((rc = string(p, 0)) < 0)
                    return rc;
                ws(p);
                if (p->i >= p->n || p->s[p->i] != ':')
                    return fail(p, "expected ':' at byte %zu", p->i);
                p->i++;
            }
            if ((rc = skip_value(p, depth + 1)) < 0)
                return rc;
            ws(p);
            if (p->i < p->n && p->s[p->i] == ',') {
                p->i++;
                continue;
            }
            if (p->i < p->n && p->s[p->i] == close) {
                p->i++;
                return 0;
            }
            return fail(p, "expected ',' or '%c' at byte %zu", close, p->i);
        }
    default:
        return number(p);
    }
}

int jsonl_parse(const char *line, size_t n, ni_doc *doc, jsonl_buf *buf,
                char *err, size_t errsize)
{
    parser p = { line, n, 0, buf, err, errsize };
    size_t off[NFIELDS], len[NFIELDS];
    int seen[NFIELDS] = { 0 }, present[NFIELDS] = { 0 };
    int rc, f, first = 1;

    buf->len = 0;
    err[0] = '\0';
    ws(&p);
    if (p.i >= n || line[p.i] != '{')
        return fail(&p, "expected a JSON object");
    p.i++;
    for (;;) {
        size_t key_start, key_len;
        ws(&p);
        if (first && p.i < n && line[p.i] == '}') {
            p.i++;
            break;
        }
        first = 0;
        if (p.i >= n || line[p.i] != '"')
            return fail(&p, "expected a key at byte %zu", p.i);
        key_start = buf->len;
        if ((rc = string(&p, 1)) < 0)
            return rc;
        key_len = buf->len - key_start;
        for (f = 0; f < NFIELDS; f++)
            if (strlen(names[f]) == key_len && memcmp(buf->data + key_start, names[f], key_len) == 0)
                break;
        buf->len = key_start;
        ws(&p);
        if (p.i >= n || line[p.i] != ':')
            return fail(&p, "expected ':' after a key at byte %zu", p.i);
        p.i++;
        ws(&p);
        if (f == NFIELDS) {
            if ((rc = skip_value(&p, 1)) < 0)
                return rc;
        } else {
            if (seen[f]++)
                return fail(&p, "field '%s' given twice", names[f]);
            if (p.i < n && line[p.i] == '"') {
                off[f] = buf->len;
                if ((rc = string(&p, 1)) < 0)
                    return rc;
                len[f] = buf->len - off[f];
                present[f] = 1;
            } else if (p.i < n && line[p.i] == 'n') {
                if ((rc = literal(&p, "null")) < 0)
                    return rc;
            } else if (f == F_ID && p.i < n && (line[p.i] == '-' || (line[p.i] >= '0' && line[p.i] <= '9'))) {
                size_t s = p.i;
                if ((rc = number(&p)) < 0)
                    return rc;
                off[f] = buf->len;
                if ((rc = put(&p, line + s, p.i - s)) < 0)
                    return rc;
                len[f] = p.i - s;
                present[f] = 1;
            } else {
                return fail(&p, "field '%s' must be a string or null", names[f]);
            }
        }
        ws(&p);
        if (p.i < n && line[p.i] == ',') {
            p.i++;
            continue;
        }
        if (p.i < n && line[p.i] == '}') {
            p.i++;
            break;
        }
        return fail(&p, "expected ',' or '}' at byte %zu", p.i);
    }
    ws(&p);
    if (p.i != n)
        return fail(&p, "unexpected data after the object at byte %zu", p.i);

    *doc = (ni_doc)NI_DOC_INIT;
#define FIELD(F, ptr, l) if (present[F] && len[F]) { doc->ptr = buf->data + off[F]; doc->l = len[F]; }
    FIELD(F_ID, id, id_len)
    FIELD(F_URL, url, url_len)
    FIELD(F_RUBRIC, rubric, rubric_len)
    FIELD(F_TITLE, title, title_len)
    FIELD(F_TEXT, text, text_len)
    FIELD(F_CREDIT, credit, credit_len)
#undef FIELD
    if (present[F_DATE] && len[F_DATE] &&
        ni_date_parse_tz(&doc->date, &doc->date_offset, &doc->date_form,
                         buf->data + off[F_DATE], len[F_DATE]) < 0)
        return fail(&p, "invalid date '%.*s'", (int)(len[F_DATE] > 40 ? 40 : len[F_DATE]),
                    buf->data + off[F_DATE]);
    return 0;
}
