/*
 * snippet.c - choosing and cutting the passage shown with a hit.
 *
 * The text is analysed like at index time, so every inflected form of a
 * query word matches (the query «школа» highlights «школы» and «Школе»,
 * «ёлка» highlights «елки»): a word is highlighted when its term is one of
 * the query's terms; a compound whose whole term matches is highlighted
 * whole.  The passage is the window of max_chars characters that starts a
 * little before a matching word and holds the most distinct query terms
 * (then the most matches).  It starts and ends on word boundaries and is
 * returned as valid UTF-8.  No I/O; the analyzer is lent by the caller.
 */
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "mem.h"
#include "snippet.h"

#define LEAD_CHARS 30            /* context kept before the first match */
#define MAX_TOKENS 65536

typedef struct span {
    size_t start, end;
    size_t cstart, cend;         /* the same as characters from the text's start */
    int term;                    /* index of the query term, -1 if none */
} span;

static int term_index(const ni_buf *terms, const char *t, size_t n)
{
    size_t off = 0;
    int i = 0;
    while (off + 2 <= terms->len) {
        size_t len = (size_t)terms->data[off] << 8 | terms->data[off + 1];
        if (len == n && off + 2 + len <= terms->len &&
            memcmp(terms->data + off + 2, t, n) == 0)
            return i;
        off += 2 + len;
        i++;
    }
    return -1;
}

/* Characters (UTF-8 lead bytes) in s[a..b). */
static size_t chars(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (; a < b; a++)
        n += ((unsigned char)s[a] & 0xc0) != 0x80;
    return n;
}

/* Copies s[a..b) as valid UTF-8 (U+FFFD for bad bytes, space for control
 * characters); map[k] receives the output offset of input offset a + k. */
static int copy_clean(ni_buf *out, const char *s, size_t a, size_t b, size_t *map)
{
    static const unsigned char fffd[3] = { 0xef, 0xbf, 0xbd };
    size_t i = a;
    int rc;
    while (i < b) {
        const unsigned char *p = (const unsigned char *)s + i;
        size_t n = ni_utf8_len(p, b - i), k;
        map[i - a] = out->len;
        if (n == 0) {
            if ((rc = ni_buf_put(out, fffd, 3)) < 0)
                return rc;
            i++;
            continue;
        }
        for (k = 1; k < n; k++)
            map[i - a + k] = out->len;
        if (n == 1 && (*p < 0x20 || *p == 0x7f))
            rc = ni_buf_putc(out, ' ');
        else
            rc = ni_buf_put(out, p, n);
        if (rc < 0)
            return rc;
        i += n;
    }
    map[b - a] = out->len;
    return 0;
}

/* The whole text, cleaned, with the ranges of the spans that match. */
static int whole(const char *text, size_t len, const span *sp, size_t nsp, ni_buf *out_text,
                 ni_buf *out_ranges)
{
    size_t *map = ni_mem_alloc((len + 1) * sizeof *map), i;
    int rc;
    if (!map)
        return ni_error(NI_ENOMEM, "out of memory");
    rc = copy_clean(out_text, text, 0, len, map);
    for (i = 0; rc == 0 && i < nsp; i++) {
        size_t r[2];
        if (sp[i].term < 0)
            continue;
        r[0] = map[sp[i].start];
        r[1] = map[sp[i].end];
        rc = ni_buf_put(out_ranges, r, sizeof r);
    }
    ni_mem_free(map);
    return rc;
}

/* The words of text[0..len) as spans (in *sp, growing *cap), each with the
 * query term it matches or -1; *matched counts the spans that match. */
static int collect(ni_analyzer *an, const char *text, size_t len, const ni_buf *terms,
                   span **sp, size_t *nsp, size_t *cap, size_t *matched)
{
    size_t skip_until = 0, at = 0, cat = 0;   /* a byte offset and its characters */
    ni_token tok;
    int rc;

    *nsp = 0;
    *matched = 0;
    if ((rc = ni_analyzer_start(an, text, len, 0)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(an, &tok)) == 0 && *nsp < MAX_TOKENS) {
        int t;
        span *w;
        if (tok.start < skip_until)
            continue;          /* a part of a compound highlighted whole */
        t = term_index(terms, tok.term, tok.term_len);
        if (tok.flags & NI_TOKEN_COMPOUND) {
            if (t < 0)
                continue;      /* its parts follow with their own spans */
            skip_until = tok.end;
        }
        if (*nsp && (*sp)[*nsp - 1].start == tok.start) {
            /* a word's name key after its term: one word, one span */
            w = &(*sp)[*nsp - 1];
            if (w->term < 0 && t >= 0) {
                w->term = t;
                ++*matched;
            }
            continue;
        }
        if (*nsp == *cap) {
            size_t ncap = *cap ? *cap * 2 : 256;
            span *p = ni_mem_realloc(*sp, ncap * sizeof *p);
            if (!p)
                return ni_error(NI_ENOMEM, "out of memory");
            *sp = p;
            *cap = ncap;
        }
        if (tok.start >= at)
            cat += chars(text, at, tok.start);
        else
            cat -= chars(text, tok.start, at);
        at = tok.start;
        w = &(*sp)[(*nsp)++];
        w->start = tok.start;
        w->end = tok.end;
        w->cstart = cat;
        w->cend = cat + chars(text, tok.start, tok.end);
        w->term = t;
        *matched += t >= 0;
    }
    return rc == NI_DONE ? 0 : rc;
}

/* Where the first pass over a text longer than NI_SNIPPET_FIRST ends: at
 * the last white space at or before NI_SNIPPET_FIRST (a word ending there
 * is in, a word across it is not cut but left out), or there when there
 * is none in the 256 bytes before it (then at a UTF-8 character's start). */
static size_t first_pass_end(const char *text)
{
    size_t end = NI_SNIPPET_FIRST, i;
    for (i = end; i > end - 256; i--)
        if (text[i] == ' ' || text[i] == '\n' || text[i] == '\t')
            return i;
    while (end > 0 && ((unsigned char)text[end] & 0xc0) == 0x80)
        end--;
    return end;
}

int ni_snippet_make(ni_analyzer *an, const char *text, size_t len,
                    const ni_buf *terms, size_t max_chars, ni_buf *out_text,
                    ni_buf *out_ranges)
{
    span *sp = NULL;
    size_t nsp = 0, cap = 0, i, j, best_i = 0, best_end = 0, first, last, *map = NULL;
    size_t matched = 0;
    long best = -1;
    int rc;
    unsigned char seen[64];

    out_text->len = 0;
    out_ranges->len = 0;
    if (!text || !len)
        return 0;
    if (len > NI_SNIPPET_SCAN)
        len = NI_SNIPPET_SCAN;
    if (!max_chars)
        max_chars = 200;

    /* a long text's passage from its first part when a word matches there */
    if (max_chars != NI_SNIPPET_WHOLE && len > NI_SNIPPET_FIRST) {
        rc = collect(an, text, first_pass_end(text), terms, &sp, &nsp, &cap, &matched);
        if (rc < 0)
            goto cleanup;
    }
    if (!matched && (rc = collect(an, text, len, terms, &sp, &nsp, &cap, &matched)) < 0)
        goto cleanup;
    if (max_chars == NI_SNIPPET_WHOLE) {
        rc = whole(text, len, sp, nsp, out_text, out_ranges);
        goto cleanup;
    }
    if (nsp == 0) {
        rc = 0;
        goto cleanup;
    }

    /* the window starting at a matching word with the most distinct terms */
    for (i = 0; i < nsp; i++) {
        long score = 0;
        size_t width, end = i;
        if (sp[i].term < 0)
            continue;
        memset(seen, 0, sizeof seen);
        for (j = i; j < nsp; j++) {
            width = sp[j].cend - sp[i].cstart;
            if (width > max_chars)
                break;
            if (sp[j].term >= 0) {
                int t = sp[j].term & 63;
                if (!seen[t])
                    end = j;
                score += seen[t] ? 1 : 100;
                seen[t] = 1;
            }
        }
        if (score > best) {
            best = score;
            best_i = i;
            best_end = end;
        }
    }
    /* back up a little for context, keeping every distinct term of the
     * window in (its last, best_end), then extend to the width */
    first = best_i;
    while (first > 0 && sp[best_i].cstart - sp[first - 1].cstart <= LEAD_CHARS &&
           sp[best_end].cend - sp[first - 1].cstart <= max_chars)
        first--;
    if (best < 0)
        first = 0;
    last = first;
    while (last + 1 < nsp && sp[last + 1].cend - sp[first].cstart <= max_chars)
        last++;

    map = ni_mem_alloc((sp[last].end - sp[first].start + 1) * sizeof *map);
    if (!map) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = copy_clean(out_text, text, sp[first].start, sp[last].end, map)) < 0)
        goto cleanup;
    for (i = first; i <= last; i++) {
        size_t r[2];
        if (sp[i].term < 0)
            continue;
        r[0] = map[sp[i].start - sp[first].start];
        r[1] = map[sp[i].end - sp[first].start];
        if ((rc = ni_buf_put(out_ranges, r, sizeof r)) < 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    ni_mem_free(sp);
    ni_mem_free(map);
    return rc;
}
