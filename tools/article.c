/*
 * article.c - the scraped article-page layout:
 *
 *   Общество                       rubric (optional)
 *   2024-07-17 13:30               publication date-time
 *                                  blank lines anywhere between header parts
 *   Title                          title
 *   Title                          the same title again (page header): dropped
 *   Фото: ...                      photo credit (optional): kept as the credit,
 *                                  with its «Фото:» prefix, not in the body
 *   body paragraphs ...            the body, kept byte for byte
 *   Другие новости                 the site footer, from this line to the end
 *   ...headlines... смотреть все   (other headlines, «смотреть все», banner
 *   mob_banner19629                ids): dropped, never indexed
 *
 * Without a footer line, trailing «смотреть все» and mob_banner lines are
 * still dropped.  CRLF line ends, a BOM and trailing spaces are accepted.
 * A page without the date line is read as title = its first non-empty
 * line and body = the rest, with a warning: never dropped.
 */
#include <stdio.h>
#include <string.h>

#include "article.h"

typedef struct line {
    size_t start, end;       /* end excludes trailing spaces and \r */
    size_t next;             /* start of the following line */
} line;

static void get_line(const char *s, size_t n, size_t at, line *l)
{
    size_t e = at;
    while (e < n && s[e] != '\n')
        e++;
    l->start = at;
    l->next = e < n ? e + 1 : n;
    while (e > at && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
        e--;
    l->end = e;
    while (l->start < l->end && (s[l->start] == ' ' || s[l->start] == '\t'))
        l->start++;
}

/* The next non-empty line at or after *at; 0 when there is none before n. */
static int next_nonempty(const char *s, size_t n, size_t *at, line *l)
{
    while (*at < n) {
        get_line(s, n, *at, l);
        *at = l->next;
        if (l->end > l->start)
            return 1;
    }
    return 0;
}

static int is(const char *s, const line *l, const char *what)
{
    size_t k = strlen(what);
    return l->end - l->start == k && memcmp(s + l->start, what, k) == 0;
}

static int starts(const char *s, const line *l, const char *what)
{
    size_t k = strlen(what);
    return l->end - l->start >= k && memcmp(s + l->start, what, k) == 0;
}

/* A line that belongs to the footer even without «Другие новости». */
static int footer_tail(const char *s, const line *l)
{
    return is(s, l, "смотреть все") || starts(s, l, "mob_banner");
}

/* 1 when the line is a date; then it is in doc (with its offset and form). */
static int date_line(const char *s, const line *l, ni_doc *doc)
{
    int64_t date;
    int offset;
    unsigned form;
    if (ni_date_parse_tz(&date, &offset, &form, s + l->start, l->end - l->start) < 0)
        return 0;
    doc->date = date;
    doc->date_offset = offset;
    doc->date_form = form;
    return 1;
}

int article_parse(const char *s, size_t n, ni_doc *doc, char *warn, size_t warnsize)
{
    size_t at = 0, body, end, k;
    line a, b, t, l;

    *doc = (ni_doc)NI_DOC_INIT;
    warn[0] = '\0';
    if (n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
        at = 3;
    /* the end: the footer line, or trailing footer remnants */
    end = n;
    for (k = at; k < n;) {
        get_line(s, n, k, &l);
        if (is(s, &l, "Другие новости")) {
            end = l.start;
            break;
        }
        k = l.next;
    }
    for (;;) {
        size_t p = end, q;
        while (p > at && (s[p - 1] == '\n' || s[p - 1] == '\r' || s[p - 1] == ' ' ||
                          s[p - 1] == '\t'))
            p--;
        q = p;
        while (q > at && s[q - 1] != '\n')
            q--;
        if (q >= p)
            break;
        get_line(s, n, q, &l);
        if (!footer_tail(s, &l))
            break;
        end = q;
    }
    n = end;

    if (!next_nonempty(s, n, &at, &a))
        return NI_EINVAL;
    if (!date_line(s, &a, doc)) {
        size_t save = at;
        if (next_nonempty(s, n, &at, &b) && date_line(s, &b, doc)) {
            doc->rubric = s + a.start;
            doc->rubric_len = a.end - a.start;
        } else {
            /* not the layout: first line is the title */
            doc->title = s + a.start;
            doc->title_len = a.end - a.start;
            at = save;
            while (at < n && (s[at] == '\n' || s[at] == '\r' || s[at] == ' ' || s[at] == '\t'))
                at++;
            if (at < n) {
                doc->text = s + at;
                doc->text_len = n - at;
                while (doc->text_len && (doc->text[doc->text_len - 1] == '\n' ||
                                         doc->text[doc->text_len - 1] == '\r' ||
                                         doc->text[doc->text_len - 1] == ' '))
                    doc->text_len--;
            }
            snprintf(warn, warnsize, "no date line in the page header; "
                     "the first line is taken as the title");
            return 1;
        }
    }
    if (!next_nonempty(s, n, &at, &t))
        return NI_EINVAL;
    doc->title = s + t.start;
    doc->title_len = t.end - t.start;
    body = at;
    if (next_nonempty(s, n, &at, &l)) {
        if (l.end - l.start == t.end - t.start &&
            memcmp(s + l.start, s + t.start, t.end - t.start) == 0) {
            body = at;                                 /* the repeated title */
            if (!next_nonempty(s, n, &at, &l))
                l.start = l.end = n;
        }
        if (l.end > l.start && (starts(s, &l, "Фото:") || starts(s, &l, "Фото ") ||
                                starts(s, &l, "Фото&nbsp;"))) {
            doc->credit = s + l.start;
            doc->credit_len = l.end - l.start;
            body = at;
        }
    }
    while (body < n && (s[body] == '\n' || s[body] == '\r' || s[body] == ' ' || s[body] == '\t'))
        body++;
    while (n > body && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n > body) {
        doc->text = s + body;
        doc->text_len = n - body;
    }
    return 0;
}
