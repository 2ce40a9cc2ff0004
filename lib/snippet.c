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
 *
 * Analysing only what is needed.  Which window wins depends only on the
 * matching words (a window's score counts them, and the words' ends grow
 * with their starts), and the passage's ends on the words around it.  So
 * the text is not analysed whole: snipscan.c finds, from the bytes, every
 * place where a matching word can be; each such piece, between white
 * space, is analysed alone (ni_analyzer_start_at, told whether a sentence
 * begins there), the window is chosen among the words found, and then
 * only the pieces where the passage's first word (LEAD_CHARS before the
 * window) and last word (max_chars after the first's start) can be are
 * analysed.  White space always ends a word and a compound, so these
 * pieces yield the words the whole text yields there, and the passage is
 * the one the whole text's analysis gives (ni_snippet_make_exhaustive,
 * kept as the reference: tests/test_snippet.c and fuzz_snippet compare
 * the two).  When the scan cannot judge (a term with Latin letters, a
 * piece starting with a mark the word breaks join to what precedes it, a
 * first part that ends inside a word, a text over FAST_MAX bytes without
 * a match in its first part) the whole text is analysed as before.
 */
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "mem.h"
#include "snippet.h"
#include "snipscan.h"

#define LEAD_CHARS 30            /* context kept before the first match */
#define MAX_TOKENS 65536
/* texts the scan reads: one chunk of the analyzer (CHUNK_BYTES), so fewer
 * than MAX_TOKENS words */
#define FAST_MAX (64 * 1024)

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

/* Characters (UTF-8 lead bytes) in s[a..b), eight bytes at a time. */
static size_t chars(const char *s, size_t a, size_t b)
{
    size_t n = 0;
    for (; a + 8 <= b; a += 8) {
        uint64_t x, cont;
        memcpy(&x, s + a, sizeof x);
        /* bit 0 of each byte: 1 for a continuation byte (10xxxxxx) */
        cont = (x >> 7) & ~(x >> 6) & 0x0101010101010101u;
        n += 8 - (size_t)((cont * 0x0101010101010101u) >> 56);
    }
    for (; a < b; a++)
        n += ((unsigned char)s[a] & 0xc0) != 0x80;
    return n;
}

/* Copies s[a..b) as valid UTF-8 (U+FFFD for bad bytes, space for control
 * characters); map[k] receives the output offset of input offset a + k. */
static int copy_clean(ni_buf *out, const char *s, size_t a, size_t b, size_t *map)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char *o;
    size_t i = a, n, k;
    int rc;

    /* a bad byte becomes three */
    if (b - a > (SIZE_MAX - out->len) / 3)
        return ni_error(NI_ENOMEM, "out of memory");
    if ((rc = ni_buf_reserve(out, 3 * (b - a))) < 0)
        return rc;
    o = out->data + out->len;
    while (i < b) {
        unsigned c = p[i];
        map[i - a] = (size_t)(o - out->data);
        if (c < 0x80) {
            *o++ = c < 0x20 || c == 0x7f ? ' ' : (unsigned char)c;
            i++;
            continue;
        }
        if (c >= 0xc2 && c < 0xe0 && i + 1 < b && (p[i + 1] & 0xc0) == 0x80)
            n = 2;             /* Cyrillic and the like, without a call */
        else if ((n = ni_utf8_len(p + i, b - i)) == 0) {
            *o++ = 0xef;
            *o++ = 0xbf;
            *o++ = 0xbd;
            i++;
            continue;
        }
        for (k = 1; k < n; k++)
            map[i - a + k] = map[i - a];
        memcpy(o, p + i, n);
        o += n;
        i += n;
    }
    map[b - a] = (size_t)(o - out->data);
    out->len = map[b - a];
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

/* The spans of a text found so far, and where the character count is. */
typedef struct spans {
    span *sp;
    size_t n, cap;
    size_t matched;              /* spans that match a term */
    size_t at, cat;              /* a byte offset and the characters before it */
} spans;

static void spans_reset(spans *s)
{
    s->n = s->matched = s->at = s->cat = 0;
}

/* The words of text[from..to) appended to s as spans, each with the query
 * term it matches or -1, from a piece that starts after white space (or at
 * 0) and whose first word begins a sentence when initial.  With width, it
 * stops before a span that would end more than width characters after
 * the first span's start. */
static int collect(ni_analyzer *an, const char *text, size_t from, size_t to, int initial,
                   const ni_buf *terms, spans *s, size_t width)
{
    size_t skip_until = 0;
    ni_token tok;
    int rc;

    if ((rc = ni_analyzer_start_at(an, text, to, from, initial)) < 0)
        return rc;
    while ((rc = ni_analyzer_next(an, &tok)) == 0 && s->n < MAX_TOKENS) {
        int t;
        span *w;
        size_t cstart;
        if (tok.start < skip_until)
            continue;          /* a part of a compound highlighted whole */
        t = term_index(terms, tok.term, tok.term_len);
        if (tok.flags & NI_TOKEN_COMPOUND) {
            if (t < 0)
                continue;      /* its parts follow with their own spans */
            skip_until = tok.end;
        }
        if (s->n && s->sp[s->n - 1].start == tok.start) {
            /* a word's name key after its term: one word, one span */
            w = &s->sp[s->n - 1];
            if (w->term < 0 && t >= 0) {
                w->term = t;
                s->matched++;
            }
            continue;
        }
        if (s->n == s->cap) {
            size_t ncap = s->cap ? s->cap * 2 : 256;
            span *p = ni_mem_realloc(s->sp, ncap * sizeof *p);
            if (!p)
                return ni_error(NI_ENOMEM, "out of memory");
            s->sp = p;
            s->cap = ncap;
        }
        if (tok.start >= s->at)
            cstart = s->cat + chars(text, s->at, tok.start);
        else
            cstart = s->cat - chars(text, tok.start, s->at);
        if (width && s->n && cstart + chars(text, tok.start, tok.end) - s->sp[0].cstart > width)
            return 0;
        s->at = tok.start;
        s->cat = cstart;
        w = &s->sp[s->n++];
        w->start = tok.start;
        w->end = tok.end;
        w->cstart = cstart;
        w->cend = cstart + chars(text, tok.start, tok.end);
        w->term = t;
        s->matched += t >= 0;
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

/* The window starting at a matching word with the most distinct terms
 * (then the most matches, then the earliest): its first span in *first, the
 * last span that brought a new term in *end; returns its score, -1 when no
 * span matches.  Only matching spans count, so s may lack others. */
static long best_window(const spans *s, size_t max_chars, size_t *first, size_t *end)
{
    const span *sp = s->sp;
    size_t i, j;
    long best = -1;
    unsigned char seen[64];

    *first = *end = 0;
    for (i = 0; i < s->n; i++) {
        long score = 0;
        size_t e = i;
        if (sp[i].term < 0)
            continue;
        memset(seen, 0, sizeof seen);
        for (j = i; j < s->n; j++) {
            if (sp[j].cend - sp[i].cstart > max_chars)
                break;
            if (sp[j].term >= 0) {
                int t = sp[j].term & 63;
                if (!seen[t])
                    e = j;
                score += seen[t] ? 1 : 100;
                seen[t] = 1;
            }
        }
        if (score > best) {
            best = score;
            *first = i;
            *end = e;
        }
    }
    return best;
}

/* The passage around the window (best_i .. best_end; best < 0: none) of
 * the spans in s: a little context before it, keeping every distinct term
 * of the window in, then words up to the width; cleaned into out_text with
 * the matching spans' ranges in out_ranges. */
static int passage(const char *text, const spans *s, size_t best_i, size_t best_end,
                   long best, size_t max_chars, ni_buf *out_text, ni_buf *out_ranges)
{
    const span *sp = s->sp;
    size_t first = best_i, last, i, *map;
    int rc;

    while (first > 0 && sp[best_i].cstart - sp[first - 1].cstart <= LEAD_CHARS &&
           sp[best_end].cend - sp[first - 1].cstart <= max_chars)
        first--;
    if (best < 0)
        first = 0;
    last = first;
    while (last + 1 < s->n && sp[last + 1].cend - sp[first].cstart <= max_chars)
        last++;

    map = ni_mem_alloc((sp[last].end - sp[first].start + 1) * sizeof *map);
    if (!map)
        return ni_error(NI_ENOMEM, "out of memory");
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
    ni_mem_free(map);
    return rc;
}

/* The passage (or the whole text) by analysing every word of text[0..len):
 * the reference for the scan below.  len is at most NI_SNIPSCAN_SCAN. */
static int exhaustive(ni_analyzer *an, const char *text, size_t len, const ni_buf *terms,
                      size_t max_chars, spans *s, ni_buf *out_text, ni_buf *out_ranges)
{
    size_t best_i, best_end;
    long best;
    int rc;

    spans_reset(s);
    /* a long text's passage from its first part when a word matches there */
    if (max_chars != NI_SNIPPET_WHOLE && len > NI_SNIPPET_FIRST &&
        (rc = collect(an, text, 0, first_pass_end(text), 1, terms, s, 0)) < 0)
        return rc;
    if (!s->matched) {
        spans_reset(s);
        if ((rc = collect(an, text, 0, len, 1, terms, s, 0)) < 0)
            return rc;
    }
    if (max_chars == NI_SNIPPET_WHOLE)
        return whole(text, len, s->sp, s->n, out_text, out_ranges);
    if (s->n == 0)
        return 0;
    best = best_window(s, max_chars, &best_i, &best_end);
    return passage(text, s, best_i, best_end, best, max_chars, out_text, out_ranges);
}

/* Appends to s the spans of the pieces of text[from..to) (white space at
 * from when it is not 0, and at to when it is not the text's end) where
 * snipscan finds a place for a term.  NI_SNIPSCAN_UNSURE as snipscan.h. */
static int scan_pieces(ni_analyzer *an, const char *text, size_t from, size_t to,
                       const ni_buf *terms, ni_snipscan *sc, spans *s)
{
    size_t *at = NULL, n = 0, cap = 0, k, end = from;
    int rc;

    if ((rc = ni_snipscan_find(sc, text, from, to, &at, &n, &cap)) != 0)
        goto cleanup;
    for (k = 0; k < n; k++) {
        size_t start = at[k];
        int initial;
        if (start < end)
            continue;                   /* in the piece just analysed */
        while (start > from && !ni_snipscan_space((unsigned char)text[start - 1]))
            start--;
        end = at[k];
        while (end < to && !ni_snipscan_space((unsigned char)text[end]))
            end++;
        if ((rc = initial = ni_snipscan_initial(text, start, end)) == NI_SNIPSCAN_UNSURE ||
            (rc = collect(an, text, start, end, initial, terms, s, 0)) < 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    ni_mem_free(at);
    return rc;
}

/* The words of the piece of text[0..limit) between white space that holds
 * byte p (p not white space) into c, its bounds in *from and *to; 0,
 * NI_SNIPSCAN_UNSURE or <0. */
static int piece_at(ni_analyzer *an, const char *text, size_t limit, size_t p,
                    const ni_buf *terms, spans *c, size_t *from, size_t *to)
{
    size_t a = p, b = p;
    int initial;
    while (a > 0 && !ni_snipscan_space((unsigned char)text[a - 1]))
        a--;
    while (b < limit && !ni_snipscan_space((unsigned char)text[b]))
        b++;
    *from = a;
    *to = b;
    if ((initial = ni_snipscan_initial(text, a, b)) == NI_SNIPSCAN_UNSURE)
        return NI_SNIPSCAN_UNSURE;
    spans_reset(c);
    c->at = a;
    return collect(an, text, a, b, initial, terms, c, 0);
}

/* The passage of text[0..limit) around the window of the spans in s (the
 * pieces'), as passage() cuts it, from the words of a few pieces only:
 * its first word is the first to start at or after both LEAD_CHARS before
 * the window and max_chars before the end of the window's last new term;
 * its last word the last to end within max_chars of the first's start.
 * The highlighted words are the matching spans of s between them. */
static int scan_passage(ni_analyzer *an, const char *text, size_t limit, const ni_buf *terms,
                        size_t max_chars, spans *s, ni_buf *out_text, ni_buf *out_ranges)
{
    spans c = { NULL, 0, 0, 0, 0, 0 };
    size_t best_i, best_end, back, lo, hi, p, n, i, a, b, first = SIZE_MAX, last = SIZE_MAX;
    size_t first_end = 0, width, *map = NULL;
    int rc;

    if (!s->matched) {
        /* nothing matches: the passage starts at the first word */
        spans_reset(s);
        if ((rc = collect(an, text, 0, limit, 1, terms, s, max_chars)) < 0)
            return rc;
        return s->n ? passage(text, s, 0, 0, -1, max_chars, out_text, out_ranges) : 0;
    }
    best_window(s, max_chars, &best_i, &best_end);
    /* characters before the window's first word the passage may start */
    width = s->sp[best_end].cend - s->sp[best_i].cstart;
    back = width >= max_chars ? 0 : width + LEAD_CHARS > max_chars ? max_chars - width : LEAD_CHARS;
    for (lo = s->sp[best_i].start, n = 0; lo > 0; lo--)
        if (((unsigned char)text[lo - 1] & 0xc0) != 0x80 && n++ == back)
            break;
    /* the first word starting at lo or after: in lo's piece or a later one */
    for (p = lo; first == SIZE_MAX && p < limit; p = b) {
        while (p < limit && ni_snipscan_space((unsigned char)text[p]))
            p++;
        if (p == limit)
            break;
        if ((rc = piece_at(an, text, limit, p, terms, &c, &a, &b)) != 0)
            goto cleanup;
        for (i = 0; i < c.n && first == SIZE_MAX; i++)
            if (c.sp[i].start >= lo) {
                first = c.sp[i].start;
                first_end = c.sp[i].end;
            }
    }
    if (first == SIZE_MAX) {
        rc = NI_SNIPSCAN_UNSURE;    /* cannot happen: the window's word is one */
        goto cleanup;
    }
    /* the last word ending max_chars characters after first's start at
     * most: in hi's piece or an earlier one, else first itself */
    for (hi = first, n = 0; hi < limit; hi++)
        if (((unsigned char)text[hi] & 0xc0) != 0x80 && n++ == max_chars)
            break;
    for (p = hi; last == SIZE_MAX && p > first; p = a) {
        while (p > first && ni_snipscan_space((unsigned char)text[p - 1]))
            p--;
        if (p <= first)
            break;
        if ((rc = piece_at(an, text, limit, p - 1, terms, &c, &a, &b)) != 0)
            goto cleanup;
        for (i = c.n; i-- > 0 && last == SIZE_MAX;)
            if (c.sp[i].end <= hi && c.sp[i].start >= first)
                last = c.sp[i].end;
    }
    if (last == SIZE_MAX || last < first_end)
        last = first_end;

    map = ni_mem_alloc((last - first + 1) * sizeof *map);
    if (!map) {
        rc = ni_error(NI_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = copy_clean(out_text, text, first, last, map)) < 0)
        goto cleanup;
    for (i = 0; i < s->n; i++) {
        size_t r[2];
        if (s->sp[i].term < 0 || s->sp[i].start < first || s->sp[i].end > last)
            continue;
        r[0] = map[s->sp[i].start - first];
        r[1] = map[s->sp[i].end - first];
        if ((rc = ni_buf_put(out_ranges, r, sizeof r)) < 0)
            goto cleanup;
    }
    rc = 0;
cleanup:
    ni_mem_free(c.sp);
    ni_mem_free(map);
    return rc;
}

/* The passage (or the whole text) from the pieces snipscan finds:
 * NI_SNIPSCAN_UNSURE when it cannot judge, and nothing is written. */
static int scanned(ni_analyzer *an, const char *text, size_t len, const ni_buf *terms,
                   size_t max_chars, spans *s, ni_buf *out_text, ni_buf *out_ranges)
{
    ni_snipscan sc = NI_SNIPSCAN_INIT;
    size_t limit = len;
    int rc;

    spans_reset(s);
    if ((rc = ni_snipscan_terms(&sc, terms)) != 0)
        goto cleanup;
    if (max_chars != NI_SNIPPET_WHOLE && len > NI_SNIPPET_FIRST) {
        limit = first_pass_end(text);
        if (!ni_snipscan_space((unsigned char)text[limit])) {
            rc = NI_SNIPSCAN_UNSURE;    /* the first part ends inside a word */
            goto cleanup;
        }
        if ((rc = scan_pieces(an, text, 0, limit, terms, &sc, s)) != 0)
            goto cleanup;
        if (!s->matched)
            limit = len;
    }
    if (limit > FAST_MAX) {
        rc = NI_SNIPSCAN_UNSURE;
        goto cleanup;
    }
    if (limit == len && (rc = scan_pieces(an, text, len > NI_SNIPPET_FIRST &&
                                          max_chars != NI_SNIPPET_WHOLE ? first_pass_end(text) : 0,
                                          len, terms, &sc, s)) != 0)
        goto cleanup;
    if (max_chars == NI_SNIPPET_WHOLE)
        rc = whole(text, len, s->sp, s->n, out_text, out_ranges);
    else
        rc = scan_passage(an, text, limit, terms, max_chars, s, out_text, out_ranges);
cleanup:
    ni_snipscan_free(&sc);
    return rc;
}

static int make(ni_analyzer *an, const char *text, size_t len, const ni_buf *terms,
                size_t max_chars, ni_buf *out_text, ni_buf *out_ranges, int exhaustive_only)
{
    spans s = { NULL, 0, 0, 0, 0, 0 };
    int rc = NI_SNIPSCAN_UNSURE;

    out_text->len = 0;
    out_ranges->len = 0;
    if (!text || !len)
        return 0;
    if (len > NI_SNIPPET_SCAN)
        len = NI_SNIPPET_SCAN;
    if (!max_chars)
        max_chars = 200;
    if (!exhaustive_only)
        rc = scanned(an, text, len, terms, max_chars, &s, out_text, out_ranges);
    if (rc == NI_SNIPSCAN_UNSURE) {
        out_text->len = 0;
        out_ranges->len = 0;
        rc = exhaustive(an, text, len, terms, max_chars, &s, out_text, out_ranges);
    }
    ni_mem_free(s.sp);
    return rc;
}

int ni_snippet_make(ni_analyzer *an, const char *text, size_t len,
                    const ni_buf *terms, size_t max_chars, ni_buf *out_text,
                    ni_buf *out_ranges)
{
    return make(an, text, len, terms, max_chars, out_text, out_ranges, 0);
}

int ni_snippet_make_exhaustive(ni_analyzer *an, const char *text, size_t len,
                               const ni_buf *terms, size_t max_chars, ni_buf *out_text,
                               ni_buf *out_ranges)
{
    return make(an, text, len, terms, max_chars, out_text, out_ranges, 1);
}
