/*
 * nohits.c - why a query found nothing (nohits.h): walks the query tree,
 * looks its words and rubrics up in the lexicon and its dates against the
 * docinfo table.  Builds no matchers and changes nothing.
 */
#include <stdint.h>
#include <string.h>

#include "analyzer.h"
#include "date.h"
#include "nohits.h"
#include "qword.h"

#define MAX_NOTED 8

/* What the walk found. */
typedef struct found {
    const ni_qnode *unknown[MAX_NOTED];   /* words (their nodes) with no term */
    size_t unknown_start[MAX_NOTED], unknown_end[MAX_NOTED];
    size_t nunknown;
    const ni_qnode *rubric;               /* a rubric the index has not */
    const ni_qnode *date[MAX_NOTED];      /* date filters */
    size_t ndates;
    int or_word;                          /* a lower-case "or" */
    ni_nohits_rescued_fn rescued;
    void *arg;
} found;

static int is_word(const ni_qnode *q, const char *w)
{
    size_t n = strlen(w);
    return q->type == NI_Q_WORD && q->len == n && memcmp(q->text, w, n) == 0;
}

/* Notes the words of q's text that have no term. */
static int walk_text(found *f, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *q)
{
    ni_qwords ws;
    size_t i;
    int rc;

    if ((rc = ni_qwords_read(&ws, an, q->text, q->len, q->type == NI_Q_PHRASE)) < 0)
        goto cleanup;
    for (i = 0; i < ws.n && f->nunknown < MAX_NOTED; i++) {
        ni_alts a;
        if ((rc = ni_qword_alts(c, &ws, i, &a)) < 0)
            goto cleanup;
        /* a.df: terms of deleted documents only have entries until compact */
        if (a.df < 1 && !(ws.w[i].flags & NI_TOKEN_FUNCTION) && !is_word(q, "or") &&
            !(f->rescued && f->rescued(f->arg, q->text + ws.w[i].start))) {
            f->unknown[f->nunknown] = q;
            f->unknown_start[f->nunknown] = ws.w[i].start;
            f->unknown_end[f->nunknown++] = ws.w[i].end;
        }
    }
cleanup:
    ni_qwords_free(&ws);
    return rc;
}

static int walk(found *f, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *q)
{
    size_t i;
    int rc = 0;

    switch (q->type) {
    case NI_Q_WORD:
    case NI_Q_PHRASE:
        if (is_word(q, "or"))
            f->or_word = 1;
        return walk_text(f, c, an, q);
    case NI_Q_RUBRIC: {
        ni_buf term = NI_BUF_INIT;
        ni_term_info ti;
        rc = ni_rubric_term(an, &term, q->text, q->len);
        if (rc > 0 && (rc = ni_term_lookup(c, (const char *)term.data, term.len, &ti)) >= 0 &&
            (rc == 0 || ti.df == 0))
            f->rubric = q;
        ni_buf_free(&term);
        return rc < 0 ? rc : 0;
    }
    case NI_Q_DATE:
        if (f->ndates < MAX_NOTED)
            f->date[f->ndates++] = q;
        return 0;
    case NI_Q_NOT:
    case NI_Q_PREFIX:
        return 0;
    case NI_Q_AND:
    case NI_Q_OR:
        for (i = 0; i < q->nkids && rc == 0; i++)
            rc = walk(f, c, an, q->kids[i]);
        return rc;
    }
    return 0;
}

/* The rubrics of the index, "a, b, c", at most NI_NOHITS_RUBRICS of them
 * (then ", ..."). */
static int list_rubrics(ni_buf *out, ni_match_ctx *c)
{
    const size_t plen = sizeof NI_RUBRIC_PREFIX - 1;
    ni_term_info ti;
    ni_cursor *cur;
    ni_val k;
    size_t n = 0;
    int rc;

    if ((rc = ni_cursor_open(&cur, c->txn, NI_T_TERMS)) < 0)
        return rc;
    for (rc = ni_cursor_seek(cur, NI_RUBRIC_PREFIX, plen); rc == 0; rc = ni_cursor_next(cur)) {
        if ((rc = ni_cursor_get(cur, &k, NULL)) < 0)
            break;
        if (k.len < plen || memcmp(k.data, NI_RUBRIC_PREFIX, plen) != 0)
            break;
        if ((rc = ni_term_lookup(c, (const char *)k.data, k.len, &ti)) < 0)
            break;
        if (rc == 0 || ti.df == 0)      /* only deleted documents had it */
            continue;
        if (n++ == NI_NOHITS_RUBRICS) {
            rc = ni_buf_puts(out, ", ...");
            break;
        }
        if ((n > 1 && (rc = ni_buf_puts(out, ", ")) < 0) ||
            (rc = ni_buf_put(out, (const char *)k.data + plen, k.len - plen)) < 0)
            break;
    }
    ni_cursor_close(cur);
    if (rc == NI_DONE && n == 0)
        return ni_buf_puts(out, "none");
    return rc == NI_DONE ? 0 : rc;
}

/* The span of the live documents' dates into *lo, *hi (NI_DATE_NONE when
 * none has a date), and how many fall in every one of f's date filters. */
static int date_span(ni_match_ctx *c, const found *f, int64_t *lo, int64_t *hi,
                     uint64_t *inside)
{
    uint32_t doc;
    *lo = *hi = NI_DATE_NONE;
    *inside = 0;
    for (doc = 0; doc < c->next_doc; doc++) {
        ni_docinfo di;
        size_t i;
        int rc = ni_match_docinfo(c, doc, &di);
        if (rc < 0)
            return rc;
        if (rc == 0 || di.date == NI_DATE_NONE)
            continue;
        if (*lo == NI_DATE_NONE || di.date < *lo)
            *lo = di.date;
        if (*hi == NI_DATE_NONE || di.date > *hi)
            *hi = di.date;
        for (i = 0; i < f->ndates; i++)
            if (di.date < f->date[i]->lo || di.date > f->date[i]->hi)
                break;
        *inside += i == f->ndates;
    }
    return 0;
}

static int put_day(ni_buf *out, int64_t date)
{
    char b[32];
    size_t n = ni_date_format(b, sizeof b, date);
    return ni_buf_put(out, b, n > 10 ? 10 : n);
}

/* The dates reason, when no document falls in the filters. */
static int explain_dates(ni_buf *out, ni_match_ctx *c, const found *f)
{
    int64_t lo, hi;
    uint64_t inside;
    const ni_qnode *d = f->date[0];
    int rc;

    if (!f->ndates || (rc = date_span(c, f, &lo, &hi, &inside)) < 0)
        return f->ndates ? rc : 0;
    if (inside)
        return 0;
    if (out->len && (rc = ni_buf_puts(out, "; ")) < 0)
        return rc;
    if ((rc = ni_buf_puts(out, "no document is dated ")) < 0)
        return rc;
    if (d->lo <= INT64_MIN + 1) {        /* before:D */
        if ((rc = ni_buf_puts(out, "before ")) == 0)
            rc = put_day(out, d->hi + 1);
    } else if (d->hi == INT64_MAX) {     /* after:D, D included */
        if ((rc = ni_buf_puts(out, "from ")) == 0 && (rc = put_day(out, d->lo)) == 0)
            rc = ni_buf_puts(out, " on");
    } else if ((rc = put_day(out, d->lo)) == 0 && (rc = ni_buf_puts(out, " .. ")) == 0) {
        rc = put_day(out, d->hi);
    }
    if (rc < 0)
        return rc;
    if (lo == NI_DATE_NONE)
        return ni_buf_puts(out, " (no document of the index has a date)");
    if ((rc = ni_buf_puts(out, " (the index spans ")) < 0 || (rc = put_day(out, lo)) < 0 ||
        (rc = ni_buf_puts(out, " .. ")) < 0 || (rc = put_day(out, hi)) < 0)
        return rc;
    return ni_buf_puts(out, ")");
}

int ni_nohits_explain(ni_buf *out, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *tree,
                      ni_nohits_rescued_fn rescued, void *arg)
{
    found f;
    size_t i;
    int rc;

    memset(&f, 0, sizeof f);
    f.rescued = rescued;
    f.arg = arg;
    if (tree && (rc = walk(&f, c, an, tree)) < 0)
        return rc;
    for (i = 0; i < f.nunknown; i++) {
        const ni_qnode *q = f.unknown[i];
        if ((rc = ni_buf_puts(out, i ? ", \u00ab" : "\u00ab")) < 0 ||
            (rc = ni_buf_put(out, q->text + f.unknown_start[i],
                             f.unknown_end[i] - f.unknown_start[i])) < 0 ||
            (rc = ni_buf_puts(out, "\u00bb")) < 0)
            return rc;
    }
    if (f.nunknown &&
        (rc = ni_buf_puts(out, f.nunknown == 1 ? " matches nothing in the index"
                                               : " match nothing in the index")) < 0)
        return rc;
    if (f.rubric) {
        if ((out->len && (rc = ni_buf_puts(out, "; ")) < 0) ||
            (rc = ni_buf_puts(out, "no rubric \u00ab")) < 0 ||
            (rc = ni_buf_put(out, f.rubric->text, f.rubric->len)) < 0 ||
            (rc = ni_buf_puts(out, "\u00bb (rubrics: ")) < 0 ||
            (rc = list_rubrics(out, c)) < 0 || (rc = ni_buf_puts(out, ")")) < 0)
            return rc;
    }
    if ((rc = explain_dates(out, c, &f)) < 0)
        return rc;
    if (f.or_word && ((out->len && (rc = ni_buf_puts(out, "; ")) < 0) ||
                      (rc = ni_buf_puts(out, "\u00abor\u00bb was read as a word (for either "
                                             "word write OR)")) < 0))
        return rc;
    if (!out->len)
        return ni_buf_puts(out, "no document matches the whole query");
    return 0;
}
