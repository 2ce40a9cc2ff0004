/*
 * rescue.c - query rescue (rescue.h).  Words typed in the wrong keyboard
 * layout are switched on the raw query, before it is parsed, since the
 * keys ` [ ] ; ' , . type letters on ЙЦУКЕН and the parser would cut a word
 * there (kblayout.c maps the keys).  A word that matches nothing gets its
 * candidates from the surface-word lexicon (words.c): the Cyrillic words
 * its transliteration key stands for (translit.c), or the words a typo
 * away (typo.c); their terms join the word's (qword.c).  Records every
 * rewrite and composes the query as searched.  Decides with the lexicon
 * only; builds no matchers and runs no search.
 */
#include <stdint.h>
#include <string.h>

#include "analyzer.h"
#include "error.h"
#include "kblayout.h"
#include "mem.h"
#include "rescue.h"
#include "translit.h"
#include "typo.h"
#include "words.h"

#define MAX_RUNS 64

void ni_rescue_free(ni_rescue *r)
{
    ni_buf_free(&r->text);
    ni_buf_free(&r->searched);
    ni_buf_free(&r->layout);
    r->n = 0;
    r->rewritten = 0;
}

/* Records a rewrite of from into to. */
static int add_rewrite(ni_rescue *r, int kind, int suggested, const char *from,
                       size_t from_len, const char *to, size_t to_len)
{
    ni_rewrite_at *w;
    int rc;
    if (r->n == NI_RESCUE_MAX)
        return 0;
    w = &r->rw[r->n];
    w->kind = kind;
    w->suggested = suggested;
    w->from_off = r->text.len;
    w->from_len = from_len;
    if ((rc = ni_buf_put(&r->text, from, from_len)) < 0)
        return rc;
    w->to_off = r->text.len;
    w->to_len = to_len;
    if ((rc = ni_buf_put(&r->text, to, to_len)) < 0)
        return rc;
    r->n++;
    return 0;
}

/* A run of the query: [start, end) with its core [cs, ce) (no brackets or
 * leading '-'), and when it may switch, the switched core in a buffer. */
typedef struct run {
    size_t start, end, cs, ce;
    int op;                     /* an operator (OR, AND, NOT, |), a field or in
                                   a phrase: left alone */
    int known;                  /* the index knows each of its words */
    int typeable;               /* it has a switch (map_*) */
    int pass;                   /* not known, and its switch is */
    int strong;                 /* pass, with each word of the switch in
                                   NI_LAYOUT_ALONE_DF documents or more */
    int map_known;              /* its switch is known (in a document) */
    size_t keep;                /* bytes of the core's end kept as punctuation */
    size_t map_off, map_len;    /* the switched core (without the kept end) */
    size_t chars;
} run;

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v';
}

static size_t count_chars(const char *s, size_t len)
{
    size_t i, n = 0;
    for (i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xc0) != 0x80;
    return n;
}

/*
 * How the index knows the words of text[0..len): 1 when every word has a
 * term in a document (and there is a word), 0 when not, <0 on error.
 * *least is the smallest document frequency of a word (its terms' summed),
 * *any is set when some word is in a document.
 */
static int words_known(ni_match_ctx *c, ni_analyzer *an, const char *text, size_t len,
                       double *least, int *any)
{
    ni_qwords ws;
    size_t i;
    int rc;

    *any = 0;
    *least = 0;
    if ((rc = ni_qwords_read(&ws, an, text, len, 0)) < 0)
        goto cleanup;
    for (i = 0; i < ws.n; i++) {
        ni_alts a;
        if ((rc = ni_qword_alts(c, &ws, i, &a)) < 0)
            goto cleanup;
        /* df, not a.n: terms of deleted documents stay until compact */
        if (a.df >= 1)
            *any = 1;
        if (i == 0 || a.df < *least)
            *least = a.df;
    }
    rc = ws.n > 0 && *least >= 1;
cleanup:
    ni_qwords_free(&ws);
    return rc;
}

/* 1 when s[0..len), ASCII letters only, begins a term of the index: a
 * Latin word cut short («freq», «cert»), not text typed in the wrong
 * layout («vjcrdf»); 0 when not or s has other characters. */
static int latin_prefix(ni_match_ctx *c, const char *s, size_t len)
{
    char low[NI_KB_MAX_RUN];
    ni_cursor *cur;
    ni_val k;
    size_t i;
    int rc, found = 0;

    if (len == 0 || len > sizeof low)
        return 0;
    for (i = 0; i < len; i++) {
        char ch = s[i];
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if (ch < 'a' || ch > 'z')
            return 0;
        low[i] = ch;
    }
    if ((rc = ni_cursor_open(&cur, c->txn, NI_T_TERMS)) < 0)
        return rc;
    rc = ni_cursor_seek(cur, low, len);
    if (rc == 0 && (rc = ni_cursor_get(cur, &k, NULL)) == 0)
        found = k.len >= len && memcmp(k.data, low, len) == 0;
    ni_cursor_close(cur);
    return rc < 0 ? rc : found;
}

/* 1 when the run at q[0..len) starts with a field (title:, rubric:, ...). */
static int is_field(const char *q, size_t len)
{
    static const char *const fields[] = { "title:", "rubric:", "date:", "after:", "before:" };
    size_t i;
    for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (len >= strlen(fields[i]) && !memcmp(q, fields[i], strlen(fields[i])))
            return 1;
    return 0;
}

/*
 * Reads the query into runs (at most MAX_RUNS; later text stays as it is).
 * Runs in or at a quoted phrase ("...", «...», “...”) and fields are
 * marked as operators, to be left alone.  With an odd number of '"' none is
 * a quote (the query is searched as words): each may be Э typed on QWERTY.
 */
static size_t split_runs(const char *q, size_t len, run *runs)
{
    size_t i = 0, n = 0, quotes = 0, k;
    long depth = 0;          /* quotes open before the run */
    int balanced;

    for (k = 0; k < len; k++)
        quotes += q[k] == '"';
    balanced = quotes % 2 == 0;
    while (i < len && n < MAX_RUNS) {
        run *r;
        int quoted = 0;
        while (i < len && is_space(q[i]))
            i++;
        if (i == len)
            break;
        r = &runs[n++];
        memset(r, 0, sizeof *r);
        r->start = i;
        quoted = depth > 0;
        while (i < len && !is_space(q[i])) {
            int m = ni_query_quote_mark(q, len, i);
            if (q[i] == '"' && balanced) {
                depth = depth ? 0 : 1;
                quoted = 1;
            } else if (m) {
                depth += m > 0 ? 1 : -(depth > 0);
                quoted = 1;
            }
            i++;
        }
        r->end = i;
        r->cs = r->start;
        r->ce = r->end;
        while (r->cs < r->ce && (q[r->cs] == '(' || q[r->cs] == '-'))
            r->cs++;
        while (r->ce > r->cs && q[r->ce - 1] == ')')
            r->ce--;
        r->op = quoted || is_field(q + r->cs, r->ce - r->cs) ||
                (r->ce - r->cs == 2 && !memcmp(q + r->cs, "OR", 2)) ||
                (r->ce - r->cs == 3 && (!memcmp(q + r->cs, "AND", 3) ||
                                        !memcmp(q + r->cs, "NOT", 3))) ||
                (r->ce - r->cs == 1 && q[r->cs] == '|');
        r->chars = count_chars(q + r->cs, r->ce - r->cs);
    }
    return n;
}

/* Reads what the index knows of run r and of its switch (the first
 * typeable, or the first the index knows every word of) into
 * r, the switch in maps. */
static int try_run(ni_match_ctx *c, ni_analyzer *an, const char *q, run *r, ni_buf *maps)
{
    size_t keeps[2], nkeeps = 0, t;
    double least;
    int rc, any;

    if (r->op || r->ce == r->cs)
        return 0;
    /* known: every word (some pieces of a run may be: «j,kfcnb» reads as
     * «j» and «kfcnb») */
    if ((rc = r->known = words_known(c, an, q + r->cs, r->ce - r->cs, &least, &any)) < 0)
        return rc;
    /* without a trailing ',' or '.' (more often punctuation than б or ю),
     * then the whole core */
    if (r->ce - r->cs >= 2 && (q[r->ce - 1] == ',' || q[r->ce - 1] == '.'))
        keeps[nkeeps++] = 1;
    keeps[nkeeps++] = 0;
    for (t = 0; t < nkeeps; t++) {
        size_t keep = keeps[t], clen = r->ce - r->cs - keep, at = maps->len;
        int to;
        for (to = NI_KB_TO_CYRILLIC; to <= NI_KB_TO_LATIN; to++) {
            int first = !r->typeable;
            if ((rc = ni_kb_switch(q + r->cs, clen, to, maps)) < 0)
                return rc;
            if (rc == 0)
                continue;
            if ((rc = words_known(c, an, (const char *)maps->data + at, maps->len - at,
                                  &least, &any)) < 0)
                return rc;
            if (rc || first) {
                r->typeable = 1;
                r->pass = rc && !r->known;
                r->strong = r->pass && least >= NI_LAYOUT_ALONE_DF;
                r->map_known = rc || any;
                r->keep = keep;
                r->map_off = at;
                r->map_len = maps->len - at;
            }
            if (rc)
                return 0;
            if (!first)
                maps->len = at;
            at = maps->len;
        }
    }
    return 0;
}

int ni_rescue_layout(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const char *q,
                     size_t len)
{
    run runs[MAX_RUNS];
    ni_buf maps = NI_BUF_INIT;
    size_t n = split_runs(q, len, runs), i, words = 0, long_pass = 0, long_strong = 0;
    size_t done = 0;
    int rc = 0, whole;

    for (i = 0; i < n; i++) {
        if ((rc = try_run(c, an, q, &runs[i], &maps)) < 0)
            goto cleanup;
        words += !runs[i].op;
        long_pass += runs[i].pass && runs[i].chars > NI_LAYOUT_SHORT;
        long_strong += runs[i].strong && runs[i].chars > NI_LAYOUT_SHORT;
    }
    /* a long run that passes alone does not when it starts a Latin word
     * the index has («freq», «cert»: cut short, not typed in the wrong
     * layout) */
    for (i = 0; i < n && long_pass == 1; i++) {
        run *x = &runs[i];
        if (!x->pass || x->chars <= NI_LAYOUT_SHORT)
            continue;
        if ((rc = latin_prefix(c, q + x->cs, x->ce - x->cs)) < 0)
            goto cleanup;
        if (rc) {
            long_strong -= (size_t)(x->strong != 0);
            x->pass = x->strong = 0;
            long_pass = 0;
        }
    }
    /* the query was typed in the other layout: at least half of its runs
     * switch, and one of them strongly or two */
    whole = (long_strong > 0 || long_pass >= 2) && 2 * long_pass >= words;
    for (i = 0; i < n; i++) {
        run *x = &runs[i];
        const char *to = (const char *)maps.data + x->map_off;
        if (!x->typeable)
            continue;
        if (!whole && !(x->strong && x->chars > NI_LAYOUT_SHORT))
            continue;
        /* with the query, also a run whose switch the index knows at all
         * («D» for «В») or a short one it knows neither way («Rnj» for «Кто»
         * in a few documents with no «кто») */
        if (whole && !x->pass && !x->map_known && !(x->chars <= NI_LAYOUT_SHORT && !x->known))
            continue;
        if ((rc = ni_buf_put(&r->layout, q + done, x->cs - done)) < 0 ||
            (rc = ni_buf_put(&r->layout, to, x->map_len)) < 0 ||
            (rc = add_rewrite(r, NI_RESCUE_LAYOUT, 0, q + x->cs, x->ce - x->cs - x->keep, to,
                              x->map_len)) < 0)
            goto cleanup;
        done = x->ce - x->keep;
        r->rewritten = 1;
    }
    if (r->rewritten && (rc = ni_buf_put(&r->layout, q + done, len - done)) < 0)
        goto cleanup;
    rc = r->rewritten;
cleanup:
    ni_buf_free(&maps);
    return rc;
}

/* ---- a word the index does not know ------------------------------------ */

/* Candidates of a rescued word: their words in bytes, by preference. */
typedef struct cands {
    size_t off[NI_RESCUE_CANDIDATES], len[NI_RESCUE_CANDIDATES];
    uint32_t df[NI_RESCUE_CANDIDATES];
    size_t n;
    ni_buf bytes;
} cands;

/* Keeps w among the NI_RESCUE_CANDIDATES most frequent (ni_words_fn). */
static int keep_frequent(void *arg, const char *w, size_t len, uint32_t df)
{
    cands *cs = arg;
    size_t i, j;
    int rc;
    for (i = 0; i < cs->n && cs->df[i] >= df; i++)
        ;
    if (i == NI_RESCUE_CANDIDATES)
        return 0;
    if (cs->n == NI_RESCUE_CANDIDATES)
        cs->n--;
    for (j = cs->n; j > i; j--) {
        cs->off[j] = cs->off[j - 1];
        cs->len[j] = cs->len[j - 1];
        cs->df[j] = cs->df[j - 1];
    }
    cs->off[i] = cs->bytes.len;
    cs->len[i] = len;
    cs->df[i] = df;
    cs->n++;
    rc = ni_buf_put(&cs->bytes, w, len);
    return rc < 0 ? rc : 0;
}

/* The Cyrillic words the Latin word norm[0..len) romanises; when the index
 * has none of that form, its other endings: those whose key differs from
 * the word's in its last NI_RESCUE_ENDING bytes or fewer, keeping two
 * thirds of it and at least 4 bytes. */
static int translit_cands(ni_match_ctx *c, const char *norm, size_t len, cands *cs)
{
    ni_buf key = NI_BUF_INIT;
    size_t cut;
    int rc = ni_translit_key_lat(NULL, norm, len, &key);
    if (rc > 0)
        rc = ni_words_by_key(c->txn, (const char *)key.data, key.len, keep_frequent, cs);
    for (cut = 1; rc >= 0 && cs->n == 0 && cut <= NI_RESCUE_ENDING; cut++) {
        size_t plen = key.len - cut;
        if (key.len <= cut || plen < 4 || 3 * plen < 2 * key.len)
            break;
        rc = ni_words_by_key_prefix(c->txn, (const char *)key.data, plen, NI_RESCUE_ENDING,
                                    keep_frequent, cs);
    }
    ni_buf_free(&key);
    return rc < 0 ? rc : 0;
}

/* The words one typo (or two) from norm[0..len): those at the least
 * distance found, the most frequent first.  The first letter is kept by
 * the walk (typo.h); words one edit away there (ni_typo_first) compete
 * with those it finds at distance 1, or stand alone when it finds none
 * («пареля» is «апреля» more often than «пароля»). */
static int typo_cands(ni_match_ctx *c, const char *norm, size_t len, cands *cs)
{
    ni_typo_set set;
    size_t i;
    unsigned best;
    int rc;

    memset(&set, 0, sizeof set);
    rc = ni_typo_nearest(&set, c->txn, norm, len, 16);
    best = rc > 0 ? set.cand[0].dist : 1;
    for (i = 0; rc > 0 && i < set.n && set.cand[i].dist == best; i++)
        rc = keep_frequent(cs, set.cand[i].word, set.cand[i].len, set.cand[i].df) < 0 ? -1 : 1;
    if (rc >= 0 && best == 1 && (rc = ni_typo_first(&set, c->txn, norm, len, 16)) > 0)
        for (i = 0; rc > 0 && i < set.n; i++)
            rc = keep_frequent(cs, set.cand[i].word, set.cand[i].len, set.cand[i].df) < 0 ? -1
                                                                                        : 1;
    ni_typo_set_free(&set);
    return rc < 0 ? rc : 0;
}

/* Adds the terms of the candidates' words to *a, their strings copied into
 * *mem; drops a candidate whose term is the typed word's (it would match
 * already).  *function: the first added is a function word.  Returns the
 * number of candidates added. */
static int add_cands(ni_match_ctx *c, ni_analyzer *an, const char *typed_term,
                     size_t typed_len, cands *cs, ni_alts *a, char **mem, int *function)
{
    ni_buf strs = NI_BUF_INIT;
    ni_alts got[NI_RESCUE_CANDIDATES];
    size_t offs[NI_RESCUE_CANDIDATES][NI_MAX_ALTS];
    size_t i, j, used = 0;
    int rc = 0;

    for (i = 0; i < cs->n; i++) {
        ni_qwords ws;
        got[i].n = 0;
        if ((rc = ni_qwords_read(&ws, an, (const char *)cs->bytes.data + cs->off[i],
                                 cs->len[i], 0)) == 0 && ws.n == 1 &&
            !(ws.w[0].term_len == typed_len &&
              !memcmp(ni_qword_term(&ws, 0), typed_term, typed_len))) {
            rc = ni_qword_alts(c, &ws, 0, &got[i]);
            if (used == 0 && got[i].n)
                *function = (ws.w[0].flags & NI_TOKEN_FUNCTION) != 0;
            used += got[i].n > 0;
        }
        for (j = 0; rc == 0 && j < got[i].n; j++) {
            offs[i][j] = strs.len;
            rc = ni_buf_put(&strs, got[i].term[j], got[i].len[j]);
        }
        ni_qwords_free(&ws);
        if (rc < 0)
            goto cleanup;
    }
    for (i = 0; i < cs->n; i++) {
        for (j = 0; j < got[i].n; j++)
            ni_alts_put(a, c, (const char *)strs.data + offs[i][j], got[i].len[j],
                        &got[i].info[j]);
    }
    *mem = (char *)strs.data;
    strs.data = NULL;
cleanup:
    ni_buf_free(&strs);
    return rc < 0 ? rc : (int)used;
}

/* Records the rewrite of the word at q[at..at + len), typed as typed, into
 * the candidates of cs joined by ", ". */
static int add_word_rewrite(ni_rescue *r, int kind, int suggested, const char *typed,
                            size_t typed_len, size_t at, const cands *cs)
{
    ni_buf to = NI_BUF_INIT;
    ni_rewrite_at *w;
    size_t i;
    int rc = 0;
    if (ni_rescue_at(r, at))      /* built again (partial matches) */
        return 0;
    for (i = 0; i < cs->n && rc == 0; i++)
        if ((i && (rc = ni_buf_puts(&to, ", ")) < 0) ||
            (rc = ni_buf_put(&to, cs->bytes.data + cs->off[i], cs->len[i])) < 0)
            break;
    if (rc == 0 && r->n < NI_RESCUE_MAX &&
        (rc = add_rewrite(r, kind, suggested, typed, typed_len, (const char *)to.data,
                          to.len)) == 0) {
        w = &r->rw[r->n - 1];
        w->word = 1;
        w->at = at;
        w->at_len = typed_len;
        w->to_first = cs->len[0];
    }
    ni_buf_free(&to);
    return rc;
}

/* 1 when s[0..n) has an ASCII letter. */
static int has_latin(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')
            return 1;
    return 0;
}

static int scan_text(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *q)
{
    ni_qwords ws;
    size_t i;
    int rc;

    if ((rc = ni_qwords_read(&ws, an, q->text, q->len, 0)) < 0)
        goto cleanup;
    for (i = 0; i < ws.n && !r->translit_query; i++) {
        const ni_qword *w = &ws.w[i];
        const char *norm = (const char *)ws.buf.data + (w->norm_len ? w->norm_off : w->term_off);
        cands cs;
        ni_alts a;
        if (!(w->flags & NI_TOKEN_LATIN))
            continue;
        if ((rc = ni_qword_alts(c, &ws, i, &a)) < 0)
            goto cleanup;
        if (a.df >= 1)
            continue;
        memset(&cs, 0, sizeof cs);
        rc = translit_cands(c, norm, w->norm_len ? w->norm_len : w->term_len, &cs);
        r->translit_query = rc == 0 && cs.n > 0;
        ni_buf_free(&cs.bytes);
        if (rc < 0)
            goto cleanup;
    }
cleanup:
    ni_qwords_free(&ws);
    return rc;
}

int ni_rescue_scan(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *q)
{
    size_t i;
    int rc = 0;

    switch (q->type) {
    case NI_Q_WORD:
        if (q->field != NI_QFIELD_ANY || !has_latin(q->text, q->len))
            return 0;
        return scan_text(r, c, an, q);
    case NI_Q_AND:
    case NI_Q_OR:
        for (i = 0; i < q->nkids && rc == 0 && !r->translit_query; i++)
            rc = ni_rescue_scan(r, c, an, q->kids[i]);
        return rc;
    default:
        return 0;
    }
}

/* A Latin word that matches, in a query typed in Latin letters: its
 * Cyrillic words more frequent than it, added beside its own terms. */
static int translit_beside(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qword *w,
                           const char *base, const char *norm, size_t norm_len,
                           const char *typed, size_t typed_len, size_t at, ni_alts *a,
                           char **mem)
{
    cands cs;
    size_t k = 0;
    int rc, function = 0;

    memset(&cs, 0, sizeof cs);
    if ((rc = translit_cands(c, norm, norm_len, &cs)) < 0 || cs.n == 0)
        goto cleanup;
    while (k < cs.n && (double)cs.df[k] > a->df)
        k++;
    if ((cs.n = k) == 0)
        goto cleanup;
    if ((rc = add_cands(c, an, base + w->term_off, w->term_len, &cs, a, mem, &function)) > 0)
        rc = add_word_rewrite(r, NI_RESCUE_TRANSLIT, 0, typed, typed_len, at, &cs) < 0 ? -1
             : function ? 2 : 1;
cleanup:
    ni_buf_free(&cs.bytes);
    return rc;
}

int ni_rescue_word(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qwords *ws,
                   size_t i, const char *typed, size_t typed_len, size_t at, ni_alts *a,
                   char **mem)
{
    const ni_qword *w = &ws->w[i];
    const char *base = (const char *)ws->buf.data;
    const char *norm = base + (w->norm_len ? w->norm_off : w->term_off);
    size_t norm_len = w->norm_len ? w->norm_len : w->term_len;
    cands cs;
    int rc = 0, kind = NI_RESCUE_TYPO, function = 0;

    *mem = NULL;
    if (a->df >= 1 && r->translit_query && (w->flags & NI_TOKEN_LATIN)) {
        if ((rc = translit_beside(r, c, an, w, base, norm, norm_len, typed, typed_len, at, a,
                                  mem)) <= 0) {
            ni_mem_free(*mem);
            *mem = NULL;
        }
        return rc;
    }
    if (a->df >= 1 || (w->flags & (NI_TOKEN_NUMBER | NI_TOKEN_FUNCTION)))
        return 0;
    memset(&cs, 0, sizeof cs);
    if (w->flags & NI_TOKEN_LATIN) {
        kind = NI_RESCUE_TRANSLIT;
        rc = translit_cands(c, norm, norm_len, &cs);
    }
    if (rc == 0 && cs.n == 0) {
        kind = NI_RESCUE_TYPO;
        rc = typo_cands(c, norm, norm_len, &cs);
    }
    if (rc < 0 || cs.n == 0)
        goto cleanup;
    if ((rc = add_cands(c, an, base + w->term_off, w->term_len, &cs, a, mem, &function)) > 0)
        rc = add_word_rewrite(r, kind, 0, typed, typed_len, at, &cs) < 0 ? -1
             : function ? 2 : 1;
cleanup:
    ni_buf_free(&cs.bytes);
    if (rc <= 0) {
        ni_mem_free(*mem);
        *mem = NULL;
    }
    return rc;
}

int ni_rescue_at(const ni_rescue *r, size_t at)
{
    size_t i;
    for (i = 0; at != SIZE_MAX && i < r->n; i++)
        if (r->rw[i].word && r->rw[i].at == at)
            return 1 + r->rw[i].suggested;
    return 0;
}

int ni_rescue_compose(ni_rescue *r, const char *base, size_t len)
{
    ni_buf out = NI_BUF_INIT;
    size_t i, done = 0;
    int rc = 0, any = 0;

    /* the words' rewrites are recorded in query order */
    for (i = 0; i < r->n && rc == 0; i++) {
        const ni_rewrite_at *w = &r->rw[i];
        if (!w->word || w->suggested || w->at < done || w->at + w->at_len > len)
            continue;
        if ((rc = ni_buf_put(&out, base + done, w->at - done)) == 0)
            rc = ni_buf_put(&out, r->text.data + w->to_off, w->to_first);
        done = w->at + w->at_len;
        any = 1;
    }
    if (rc == 0 && any && (rc = ni_buf_put(&out, base + done, len - done)) == 0) {
        ni_buf_free(&r->searched);
        r->searched = out;
        r->rewritten = 1;
        return 0;
    }
    if (rc == 0 && r->rewritten && r->layout.len) {   /* switched, no word rescued */
        ni_buf_free(&out);
        r->searched.len = 0;
        return ni_buf_put(&r->searched, r->layout.data, r->layout.len);
    }
    ni_buf_free(&out);
    return rc;
}

/* Suggestions for the rare words of q's text (at: where it stands in the
 * query as parsed, SIZE_MAX when not known). */
static int suggest_text(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *q,
                        size_t at)
{
    ni_qwords ws;
    size_t i;
    int rc;

    if ((rc = ni_qwords_read(&ws, an, q->text, q->len, 0)) < 0)
        goto cleanup;
    for (i = 0; i < ws.n; i++) {
        const ni_qword *w = &ws.w[i];
        const char *norm = (const char *)ws.buf.data + (w->norm_len ? w->norm_off : w->term_off);
        cands cs;
        ni_alts a;
        if (w->flags & (NI_TOKEN_NUMBER | NI_TOKEN_FUNCTION | NI_TOKEN_COMPOUND))
            continue;
        if ((rc = ni_qword_alts(c, &ws, i, &a)) < 0)
            goto cleanup;
        if (a.df < 1 || a.df > NI_RESCUE_RARE_DF)
            continue;
        memset(&cs, 0, sizeof cs);
        rc = typo_cands(c, norm, w->norm_len ? w->norm_len : w->term_len, &cs);
        if (rc == 0 && cs.n && (double)cs.df[0] >= NI_RESCUE_SUGGEST * a.df) {
            cs.n = 1;
            rc = add_word_rewrite(r, NI_RESCUE_TYPO, 1, q->text + w->start, w->end - w->start,
                                  at == SIZE_MAX ? SIZE_MAX : at + w->start, &cs);
        }
        ni_buf_free(&cs.bytes);
        if (rc < 0)
            goto cleanup;
    }
cleanup:
    ni_qwords_free(&ws);
    return rc;
}

int ni_rescue_suggest(ni_rescue *r, ni_match_ctx *c, ni_analyzer *an, const ni_qnode *q,
                      const char *base)
{
    size_t i;
    int rc = 0;

    switch (q->type) {
    case NI_Q_WORD:
        if (q->field != NI_QFIELD_ANY)
            return 0;
        return suggest_text(r, c, an, q, base ? (size_t)(q->text - base) : SIZE_MAX);
    case NI_Q_AND:
    case NI_Q_OR:
        for (i = 0; i < q->nkids && rc == 0; i++)
            rc = ni_rescue_suggest(r, c, an, q->kids[i], base);
        return rc;
    default:
        return 0;
    }
}
