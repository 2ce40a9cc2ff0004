/*
 * query.c - the query-language parser (grammar in query.h): recursive
 * descent over the bytes of the query, building an ni_qnode tree whose
 * texts point into the query.  Pure: no analysis, no I/O, no global state.
 *
 * Decisions beyond the grammar:
 *  - "AND" in upper case between items is accepted and makes that group an
 *    explicit conjunction (required even when OR is the default);
 *  - a '-' or '*' standing alone (followed by a space or the end) is
 *    ignored, like punctuation;
 *  - «...» and “...” are phrase quotes as well as "...";
 *  - the slop of "..."~N is 0..64; more is a syntax error.
 * Depth is limited by NI_QUERY_MAX_DEPTH, size by NI_QUERY_MAX_NODES, so
 * any input returns quickly with a tree or NI_ESYNTAX.
 */
#include <string.h>

#include "date.h"
#include "error.h"
#include "mem.h"
#include "query.h"

#define MAX_SLOP 64

typedef struct parser {
    const char *s;
    size_t len, i;
    size_t nodes;
} parser;

/* NI_ESYNTAX for what is wrong at byte at, reported as a character
 * position (0-based). */
static int syntax(const parser *p, size_t at, const char *what)
{
    size_t i, chars = 0;
    for (i = 0; i < at && i < p->len; i++)
        chars += ((unsigned char)p->s[i] & 0xc0) != 0x80;
    return ni_error(NI_ESYNTAX, "%s at %zu", what, chars);
}

void ni_query_free(ni_qnode *q)
{
    size_t i;
    if (!q)
        return;
    for (i = 0; i < q->nkids; i++)
        ni_query_free(q->kids[i]);
    ni_mem_free(q->kids);
    ni_mem_free(q);
}

static int new_node(parser *p, ni_qtype type, size_t offset, ni_qnode **out)
{
    ni_qnode *q;
    *out = NULL;
    if (++p->nodes > NI_QUERY_MAX_NODES)
        return ni_error(NI_ESYNTAX, "query has more than %d parts", NI_QUERY_MAX_NODES);
    q = ni_mem_calloc(1, sizeof *q);
    if (!q)
        return ni_error(NI_ENOMEM, "out of memory");
    q->type = type;
    q->offset = offset;
    *out = q;
    return 0;
}

static int add_kid(ni_qnode *q, ni_qnode *kid, size_t *cap)
{
    if (q->nkids == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        ni_qnode **k = ni_mem_realloc(q->kids, ncap * sizeof *k);
        if (!k)
            return ni_error(NI_ENOMEM, "out of memory");
        q->kids = k;
        *cap = ncap;
    }
    q->kids[q->nkids++] = kid;
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void skip_space(parser *p)
{
    while (p->i < p->len && is_space(p->s[p->i]))
        p->i++;
}

/* Length of an opening quote at i (", «, “), 0 if none; its closing
 * counterpart goes to *close. */
static size_t open_quote(const parser *p, size_t i, const char **close)
{
    const char *s = p->s + i;
    size_t left = p->len - i;
    if (left >= 1 && s[0] == '"') {
        *close = "\"";
        return 1;
    }
    if (left >= 2 && memcmp(s, "\xc2\xab", 2) == 0) {       /* « */
        *close = "\xc2\xbb";
        return 2;
    }
    if (left >= 3 && memcmp(s, "\xe2\x80\x9c", 3) == 0) {   /* “ */
        *close = "\xe2\x80\x9d";
        return 3;
    }
    return 0;
}

/* 1 when a word ends before position i. */
static int word_end(const parser *p, size_t i)
{
    const char *close;
    char c;
    if (i >= p->len)
        return 1;
    c = p->s[i];
    if (is_space(c) || c == '(' || c == ')' || c == '|')
        return 1;
    return open_quote(p, i, &close) > 0 ||
           (p->len - i >= 2 && memcmp(p->s + i, "\xc2\xbb", 2) == 0) ||
           (p->len - i >= 3 && memcmp(p->s + i, "\xe2\x80\x9d", 3) == 0);
}

static size_t word_len(const parser *p, size_t i)
{
    size_t j = i;
    while (!word_end(p, j))
        j++;
    return j - i;
}

static int keyword(const parser *p, const char *kw)
{
    size_t n = strlen(kw);
    return p->len - p->i >= n && memcmp(p->s + p->i, kw, n) == 0 &&
           word_end(p, p->i + n);
}

/* The period of YYYY, YYYY-MM or YYYY-MM-DD at s[0..n): [lo, hi]. */
static int period(const char *s, size_t n, int64_t *lo, int64_t *hi)
{
    long v[3] = { 0, 1, 1 };
    size_t i = 0;
    int parts = 0, k;
    static const int widths[3] = { 4, 2, 2 };

    for (k = 0; k < 3; k++) {
        int w;
        if (k > 0) {
            if (i == n)
                break;
            if (s[i++] != '-')
                return -1;
        }
        v[k] = 0;
        for (w = 0; w < widths[k]; w++, i++) {
            if (i >= n || s[i] < '0' || s[i] > '9')
                return -1;
            v[k] = v[k] * 10 + (s[i] - '0');
        }
        parts++;
    }
    if (i != n || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        (unsigned long)v[2] > ni_days_in_month(v[0], (unsigned)v[1]))
        return -1;
    *lo = ni_days_from_civil(v[0], (unsigned)v[1], (unsigned)v[2]) * 86400;
    if (parts == 3)
        *hi = *lo + 86400 - 1;
    else if (parts == 2)
        *hi = *lo + (int64_t)ni_days_in_month(v[0], (unsigned)v[1]) * 86400 - 1;
    else
        *hi = ni_days_from_civil(v[0] + 1, 1, 1) * 86400 - 1;
    return 0;
}

static int parse_or(parser *p, int depth, ni_qnode **out);

static void set_field(ni_qnode *q, unsigned field)
{
    size_t i;
    if (q->type == NI_Q_WORD || q->type == NI_Q_PHRASE || q->type == NI_Q_PREFIX)
        q->field = field;
    for (i = 0; i < q->nkids; i++)
        set_field(q->kids[i], field);
}

static int parse_phrase(parser *p, ni_qnode **out)
{
    const char *close;
    size_t start = p->i, q = open_quote(p, p->i, &close), cl = strlen(close), j;
    ni_qnode *n;
    int rc;

    *out = NULL;
    for (j = p->i + q; j + cl <= p->len; j++)
        if (memcmp(p->s + j, close, cl) == 0 || (cl > 1 && p->s[j] == '"'))
            break;
    if (j + cl > p->len)
        return syntax(p, start, "missing closing quote");
    if ((rc = new_node(p, NI_Q_PHRASE, start, &n)) < 0)
        return rc;
    n->text = p->s + p->i + q;
    n->len = j - (p->i + q);
    p->i = j + (p->s[j] == '"' ? 1 : cl);
    n->end = p->i;
    if (p->i < p->len && p->s[p->i] == '~') {
        size_t at = p->i++;
        uint32_t slop = 0;
        int nd = 0;
        while (p->i < p->len && p->s[p->i] >= '0' && p->s[p->i] <= '9' && nd < 4) {
            slop = slop * 10 + (uint32_t)(p->s[p->i++] - '0');
            nd++;
        }
        if (nd == 0 || slop > MAX_SLOP || !word_end(p, p->i)) {
            ni_query_free(n);
            return syntax(p, at, "'~' wants a distance from 0 to 64");
        }
        n->slop = slop;
        n->end = p->i;
    }
    *out = n;
    return 0;
}

/* One value of a rubric: or date field (date:, after:, before:) at p->i;
 * the node's offset is start (the field's name). */
static int parse_value(parser *p, const char *name, size_t start, ni_qnode **out)
{
    const char *close;
    ni_qnode *q = NULL;
    size_t n;
    int rc;

    *out = NULL;
    if (word_end(p, p->i) && !open_quote(p, p->i, &close))
        return syntax(p, start, "field without a value");
    if (strcmp(name, "rubric") == 0) {
        if (open_quote(p, p->i, &close)) {
            if ((rc = parse_phrase(p, &q)) < 0)
                return rc;
            q->type = NI_Q_RUBRIC;
            q->slop = 0;
        } else {
            n = word_len(p, p->i);
            if ((rc = new_node(p, NI_Q_RUBRIC, start, &q)) < 0)
                return rc;
            q->text = p->s + p->i;
            q->len = n;
            p->i += n;
        }
        q->offset = start;
        q->end = p->i;
        *out = q;
        return 0;
    }
    if (open_quote(p, p->i, &close))
        return syntax(p, p->i, "a date in quotes");
    /* dates */
    {
        const char *v = p->s + p->i, *dots;
        int64_t lo, hi, lo2, hi2;
        n = word_len(p, p->i);
        dots = strcmp(name, "date") == 0 ? memmem(v, n, "..", 2) : NULL;
        if (dots) {
            size_t a = (size_t)(dots - v);
            if (period(v, a, &lo, &hi) < 0 || period(dots + 2, n - a - 2, &lo2, &hi2) < 0 ||
                lo2 < lo)
                return syntax(p, p->i, "bad date range");
            hi = hi2;
        } else if (period(v, n, &lo, &hi) < 0) {
            return syntax(p, p->i, "bad date");
        }
        /* as a reader says it: after:2024-12 is from December on, the
         * period named included; before:2024-12 ends before December */
        if (strcmp(name, "after") == 0) {
            hi = INT64_MAX;
        } else if (strcmp(name, "before") == 0) {
            hi = lo - 1;
            lo = INT64_MIN + 1;
        }
        if ((rc = new_node(p, NI_Q_DATE, start, &q)) < 0)
            return rc;
        q->lo = lo;
        q->hi = hi;
        p->i += n;
        q->end = p->i;
        *out = q;
        return 0;
    }
}

/* rubric:(a OR "b c") and date:(2024-01 OR 2024-03): the field's values
 * joined by OR, as an OR of fields; anything else in the brackets is an
 * error (a document has one rubric and one date, so AND and NOT among
 * them would mean nothing or everything). */
static int parse_value_group(parser *p, const char *name, size_t start, ni_qnode **out)
{
    size_t open = p->i, cap = 0, at;
    ni_qnode *or = NULL, *v = NULL;
    int rc;

    *out = NULL;
    p->i++;
    for (;;) {
        skip_space(p);
        at = p->i;
        if (p->i < p->len && (p->s[p->i] == '(' || p->s[p->i] == ')' || p->s[p->i] == '-' ||
                              keyword(p, "OR") || keyword(p, "AND") || keyword(p, "NOT"))) {
            rc = syntax(p, at, strcmp(name, "rubric") == 0 ? "rubric:(...) takes rubrics joined by OR"
                                                            : "a date field's (...) takes dates joined by OR");
            goto fail;
        }
        if (p->i >= p->len) {
            rc = syntax(p, open, "unbalanced '('");
            goto fail;
        }
        if ((rc = parse_value(p, name, at, &v)) < 0)
            goto fail;
        if (!or && (rc = new_node(p, NI_Q_OR, start, &or)) < 0)
            goto fail;
        if ((rc = add_kid(or, v, &cap)) < 0)
            goto fail;
        v = NULL;
        skip_space(p);
        if (p->i < p->len && p->s[p->i] == ')') {
            p->i++;
            break;
        }
        if (p->i < p->len && (p->s[p->i] == '|' || keyword(p, "OR"))) {
            p->i += p->s[p->i] == '|' ? 1 : 2;
            continue;
        }
        rc = p->i >= p->len ? syntax(p, open, "unbalanced '('")
                            : syntax(p, p->i, strcmp(name, "rubric") == 0
                                                  ? "rubric:(...) takes rubrics joined by OR"
                                                  : "a date field's (...) takes dates joined by OR");
        goto fail;
    }
    or->end = p->i;
    if (or->nkids == 1) {               /* rubric:(a) is rubric:a */
        *out = or->kids[0];
        (*out)->offset = start;
        (*out)->end = or->end;
        or->nkids = 0;
        ni_query_free(or);
        return 0;
    }
    *out = or;
    return 0;
fail:
    ni_query_free(v);
    ni_query_free(or);
    return rc;
}

/* The group "( ... )" at p->i (a '('), as *out (NULL when it held nothing
 * searchable); p->i past its ')'. */
static int parse_group(parser *p, int depth, ni_qnode **out)
{
    size_t open = p->i++;
    int rc;

    if ((rc = parse_or(p, depth + 1, out)) < 0)
        return rc;
    skip_space(p);
    if (p->i >= p->len || p->s[p->i] != ')') {
        ni_query_free(*out);
        *out = NULL;
        return syntax(p, open, "unbalanced '('");
    }
    p->i++;
    return 0;
}

/* The word of n bytes at p->i (the item began at start) as *out: a prefix
 * when it ends in '*' after a letter (every trailing '*' dropped); p->i
 * past it. */
static int word_node(parser *p, size_t start, size_t n, ni_qnode **out)
{
    ni_qnode *q;
    int rc;

    if ((rc = new_node(p, NI_Q_WORD, start, &q)) < 0)
        return rc;
    q->text = p->s + p->i;
    q->len = n;
    if (n > 1 && q->text[n - 1] == '*') {
        q->type = NI_Q_PREFIX;
        while (q->len > 0 && q->text[q->len - 1] == '*')
            q->len--;
        if (q->len == 0)
            q->type = NI_Q_WORD;
    }
    p->i += n;
    q->end = p->i;
    *out = q;
    return 0;
}

/* title:..., rubric:..., date:..., after:..., before:... at p->i. */
static int parse_field(parser *p, const char *name, int depth, ni_qnode **out)
{
    size_t start = p->i;
    const char *close;
    ni_qnode *q = NULL;
    int rc;

    *out = NULL;
    p->i += strlen(name) + 1;
    if (word_end(p, p->i) && !(p->i < p->len && (p->s[p->i] == '(' || open_quote(p, p->i, &close))))
        return syntax(p, start, "field without a value");
    if (strcmp(name, "title") == 0) {
        if (p->s[p->i] == '(')
            rc = parse_group(p, depth, &q);
        else if (open_quote(p, p->i, &close))
            rc = parse_phrase(p, &q);
        else
            rc = word_node(p, start, word_len(p, p->i), &q);
        if (rc < 0)
            return rc;
        if (q) {
            set_field(q, NI_QFIELD_TITLE);
            q->offset = start;
            q->end = p->i;
        }
        *out = q;
        return 0;
    }
    if (p->s[p->i] == '(')
        return parse_value_group(p, name, start, out);
    return parse_value(p, name, start, out);
}

/* One item; *out NULL when the input held nothing searchable there. */
static int parse_unary(parser *p, int depth, ni_qnode **out)
{
    static const char *const fields[] = { "title", "rubric", "date", "after", "before" };
    const char *close;
    size_t start, n, k;
    ni_qnode *q = NULL, *kid = NULL;
    int rc;

    *out = NULL;
    if (depth > NI_QUERY_MAX_DEPTH)
        return syntax(p, p->i, "query nests too deep");
    skip_space(p);
    start = p->i;
    if (p->i >= p->len)
        return 0;
    if (keyword(p, "NOT") || (p->s[p->i] == '-' && !word_end(p, p->i + 1))) {
        p->i += p->s[p->i] == '-' ? 1 : 3;
        if ((rc = parse_unary(p, depth + 1, &kid)) < 0)
            return rc;
        if (!kid)
            return syntax(p, start, "NOT without an operand");
        if ((rc = new_node(p, NI_Q_NOT, start, &q)) < 0) {
            ni_query_free(kid);
            return rc;
        }
        k = 0;
        if ((rc = add_kid(q, kid, &k)) < 0) {
            ni_query_free(kid);
            ni_query_free(q);
            return rc;
        }
        q->end = kid->end;
        *out = q;
        return 0;
    }
    if (p->s[p->i] == '(') {
        if ((rc = parse_group(p, depth, &q)) < 0)
            return rc;
        if (q) {
            q->offset = start;
            q->end = p->i;
        }
        *out = q;
        return 0;
    }
    if (open_quote(p, p->i, &close))
        return parse_phrase(p, out);
    n = word_len(p, p->i);
    if (n == 0) {
        /* a stray closing quote: skip it like punctuation */
        p->i += (unsigned char)p->s[p->i] == 0xc2 ? 2 : (unsigned char)p->s[p->i] == 0xe2 ? 3 : 1;
        return 0;
    }
    for (k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        size_t fl = strlen(fields[k]);
        if (n > fl && memcmp(p->s + p->i, fields[k], fl) == 0 && p->s[p->i + fl] == ':')
            return parse_field(p, fields[k], depth, out);
    }
    if ((n == 1 && (p->s[p->i] == '-' || p->s[p->i] == '*'))) {
        p->i += n;
        return 0;
    }
    return word_node(p, start, n, out);
}

/* Items until OR, ')' or the end. */
static int parse_and(parser *p, int depth, ni_qnode **out)
{
    ni_qnode *and = NULL, *first = NULL, *item;
    size_t cap = 0;
    int rc, explicit_and = 0;

    *out = NULL;
    for (;;) {
        skip_space(p);
        if (p->i >= p->len || p->s[p->i] == ')' || p->s[p->i] == '|' || keyword(p, "OR"))
            break;
        if (keyword(p, "AND")) {
            p->i += 3;
            explicit_and = 1;
            continue;
        }
        if ((rc = parse_unary(p, depth, &item)) < 0)
            goto fail;
        if (!item)
            continue;
        if (!first && !and) {
            first = item;
            continue;
        }
        if (!and) {
            if ((rc = new_node(p, NI_Q_AND, first->offset, &and)) < 0 ||
                (rc = add_kid(and, first, &cap)) < 0) {
                ni_query_free(item);
                goto fail;
            }
            first = NULL;
        }
        if ((rc = add_kid(and, item, &cap)) < 0) {
            ni_query_free(item);
            goto fail;
        }
        and->end = item->end;
    }
    if (and)
        and->implicit = !explicit_and;
    *out = and ? and : first;
    return 0;
fail:
    ni_query_free(first);
    ni_query_free(and);
    return rc;
}

static int parse_or(parser *p, int depth, ni_qnode **out)
{
    ni_qnode *or = NULL, *left = NULL, *right;
    size_t cap = 0, at;
    int rc;

    *out = NULL;
    if (depth > NI_QUERY_MAX_DEPTH)
        return syntax(p, p->i, "query nests too deep");
    if ((rc = parse_and(p, depth, &left)) < 0)
        return rc;
    for (;;) {
        skip_space(p);
        if (p->i >= p->len || !(p->s[p->i] == '|' || keyword(p, "OR")))
            break;
        at = p->i;
        p->i += p->s[p->i] == '|' ? 1 : 2;
        if (!left && !or) {
            rc = syntax(p, at, "OR without a left operand");
            goto fail;
        }
        if ((rc = parse_and(p, depth, &right)) < 0)
            goto fail;
        if (!right) {
            rc = syntax(p, at, "OR without a right operand");
            goto fail;
        }
        if (!or) {
            if ((rc = new_node(p, NI_Q_OR, left->offset, &or)) < 0 ||
                (rc = add_kid(or, left, &cap)) < 0) {
                ni_query_free(right);
                goto fail;
            }
            left = NULL;
        }
        if ((rc = add_kid(or, right, &cap)) < 0) {
            ni_query_free(right);
            goto fail;
        }
        or->end = right->end;
    }
    *out = or ? or : left;
    return 0;
fail:
    ni_query_free(left);
    ni_query_free(or);
    return rc;
}

int ni_query_parse(ni_qnode **out, const char *query, size_t len)
{
    parser p;
    int rc;

    *out = NULL;
    if (!query)
        return len ? ni_error(NI_EINVAL, "query is NULL") : 0;
    p.s = query;
    p.len = len;
    p.i = 0;
    p.nodes = 0;
    if ((rc = parse_or(&p, 0, out)) < 0)
        return rc;
    skip_space(&p);
    if (p.i < p.len) {
        ni_query_free(*out);
        *out = NULL;
        return syntax(&p, p.i, "unbalanced ')'");
    }
    return 0;
}

/* 1 when s has an unbalanced quote or bracket: an odd number of '"', or
 * unequal numbers of ( and ), « and », “ and ”. */
int ni_query_quote_mark(const char *s, size_t len, size_t i)
{
    static const char *const marks[] = { "\u00ab", "\u00bb", "\u201c", "\u201d" };
    static const int kind[] = { 1, -1, 2, -2 };
    size_t k;
    for (k = 0; k < 4; k++) {
        size_t n = strlen(marks[k]);
        if (i + n <= len && !memcmp(s + i, marks[k], n))
            return kind[k];
    }
    return 0;
}

static int unbalanced(const char *s, size_t len)
{
    size_t i;
    long quotes = 0, paren = 0, guil = 0, curly = 0;
    for (i = 0; i < len; i++) {
        int m = ni_query_quote_mark(s, len, i);
        quotes += s[i] == '"';
        paren += (s[i] == '(') - (s[i] == ')');
        guil += m == 1 ? 1 : m == -1 ? -1 : 0;
        curly += m == 2 ? 1 : m == -2 ? -1 : 0;
    }
    return quotes % 2 || paren || guil || curly;
}

int ni_query_parse_lenient(ni_qnode **out, const char *s, size_t len, ni_buf *lenient)
{
    static const char *const marks[] = { "\"", "(", ")", "\u00ab", "\u00bb", "\u201c",
                                         "\u201d" };
    size_t i, j;
    int rc = ni_query_parse(out, s, len);
    if (rc != NI_ESYNTAX || !unbalanced(s, len))
        return rc;
    lenient->len = 0;
    if ((rc = ni_buf_put(lenient, s, len)) < 0)
        return rc;
    for (i = 0; i < len; i++)
        for (j = 0; j < sizeof marks / sizeof marks[0]; j++) {
            size_t n = strlen(marks[j]);
            if (i + n <= len && !memcmp(s + i, marks[j], n))
                memset(lenient->data + i, ' ', n);
        }
    rc = ni_query_parse(out, (const char *)lenient->data, len);
    if (rc == NI_ESYNTAX)       /* the error of the text as typed says more */
        return ni_query_parse(out, s, len);
    return rc < 0 ? rc : 1;
}
