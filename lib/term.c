/*
 * term.c - the matchers that read posting blocks (match.h): a term, a
 * cursor over its blocks, and phrases and NEAR, a conjunction of terms
 * checked on their positions.  The matchers that combine others are in
 * match.c.
 *
 * A term matcher walks the blocks of its term in key order; advancing past
 * the current block is one B-tree seek on term 0x00 be32(target), which lands
 * on the first block whose last document is >= target, so whole blocks are
 * skipped without being read.  A term whose one block is inline in its
 * lexicon value has no cursor: past that block it is done.  Its bound up
 * to a target (ops->bound) moves it to the block holding the target reading
 * the block's header only (largest frequencies, smallest lengths); a lazy
 * term decodes a block's documents only when one of them is needed.  A
 * phrase bounds its score with the sum of its terms' bounds.  For
 * explanations (explain.c), a term or phrase matcher tells its terms' df,
 * idf, frequencies and scores at its document.
 */
#include <string.h>

#include "error.h"
#include "mem.h"
#include "query.h"
#include "term.h"

/* ---- term -------------------------------------------------------------- */

typedef struct term_m {
    ni_matcher m;
    ni_match_ctx *c;
    ni_cursor *cur;            /* NULL for an inline block */
    char *term;
    size_t len;
    ni_term_step s;            /* the current block and document in it */
    unsigned field;
    int scored;
    int lazy;                  /* decode a block only when its documents are
                                  needed (the caller decodes before scoring) */
    uint32_t df;
    double idf;
    double blk_max;            /* bound of the current block, < 0: not yet */
} term_m;

/* Decodes the current block's entries through the one t stands on (its
 * documents further on are decoded when t gets there). */
static int term_decode(term_m *t)
{
    uint32_t at;
    if (t->s.i < t->s.blk.ndec || t->m.doc == NI_NO_DOC)
        return 0;
    if (t->s.blk.ndec == 0)
        t->c->blocks_decoded++;
    return ni_block_seek(&t->s.blk, t->s.i, 0, &at);
}

static int term_load(term_m *t)
{
    ni_val k, v;
    int rc = ni_cursor_get(t->cur, &k, &v);
    if (rc == NI_DONE || (rc == 0 && (k.len != t->len + 5 ||
                                      memcmp(k.data, t->term, t->len) != 0 ||
                                      k.data[t->len] != 0))) {
        t->m.doc = NI_NO_DOC;
        return 0;
    }
    if (rc < 0 || (rc = ni_block_open(&t->s.blk, v.data, v.len)) < 0)
        return rc;
    if (t->s.blk.last_doc != ni_get_be32(k.data + t->len + 1))
        return ni_error(NI_ECORRUPT, "posting block of '%.*s' is under the wrong key",
                        (int)t->len, t->term);
    t->c->blocks_read++;
    t->s.i = 0;
    t->blk_max = -1;
    t->m.doc = t->s.blk.first_doc;
    return 0;
}

/* 1 when the cursor stands on a block of another term or on one of t's
 * whose last document (in its key) is >= target. */
static int cursor_reaches(term_m *t, uint32_t target)
{
    ni_val k;
    if (ni_cursor_get(t->cur, &k, NULL) < 0)
        return 0;
    return k.len != t->len + 5 || memcmp(k.data, t->term, t->len) != 0 ||
           k.data[t->len] != 0 || ni_get_be32(k.data + t->len + 1) >= target;
}

/* Moves to the next block (or the first whose last document is >= target,
 * when seek), ending the matcher when there is none.  A seek tries the
 * next block first: dense terms are mostly sent only that far, and
 * stepping is cheaper than a search from the root. */
static int term_next_block(term_m *t, int seek, uint32_t target)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    int rc;
    if (!t->cur) {
        t->m.doc = NI_NO_DOC;
        return 0;
    }
    rc = ni_cursor_next(t->cur);
    if (seek && rc == 0 && !cursor_reaches(t, target))
        rc = ni_cursor_seek(t->cur, key, ni_posting_key(key, t->term, t->len, target));
    return rc < 0 ? rc : term_load(t);
}

/* Skips documents without the term in the title when restricted to it
 * (whole blocks without it in any title unread), and decodes the block
 * unless lazy. */
static int term_settle(term_m *t)
{
    int rc;
    while (t->field == NI_QFIELD_TITLE && t->m.doc != NI_NO_DOC) {
        if (t->s.blk.max_tf_title > 0) {
            if ((rc = term_decode(t)) < 0)
                return rc;
            if (t->s.blk.tf_title[t->s.i] > 0)
                break;
            if (++t->s.i < t->s.blk.ndocs) {
                if ((rc = term_decode(t)) < 0)
                    return rc;
                t->m.doc = t->s.blk.docs[t->s.i];
                continue;
            }
        }
        if ((rc = term_next_block(t, 0, 0)) < 0)
            return rc;
    }
    return t->lazy ? 0 : term_decode(t);
}

static int term_next(ni_matcher *m)
{
    term_m *t = (term_m *)m;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    if ((rc = term_decode(t)) < 0)
        return rc;
    if (++t->s.i < t->s.blk.ndocs) {
        if ((rc = term_decode(t)) < 0)
            return rc;
        m->doc = t->s.blk.docs[t->s.i];
    } else if ((rc = term_next_block(t, 0, 0)) < 0) {
        return rc;
    }
    return term_settle(t);
}

static int term_advance(ni_matcher *m, uint32_t target)
{
    term_m *t = (term_m *)m;
    int rc;
    if (m->doc >= target)
        return 0;
    if (target > t->s.blk.last_doc) {
        if ((rc = term_next_block(t, 1, target)) < 0)
            return rc;
        if (m->doc == NI_NO_DOC)
            return 0;
    }
    if (target > t->s.blk.first_doc) {
        if (t->s.blk.ndec == 0)
            t->c->blocks_decoded++;
        /* the block's last document is >= target: one is found */
        if ((rc = ni_block_seek(&t->s.blk, t->s.i, target, &t->s.i)) < 0)
            return rc;
        m->doc = t->s.blk.docs[t->s.i];
    }
    return term_settle(t);
}

/*
 * Moves t to the block holding the first document >= target, if it is not
 * there yet, reading only the block's header: t then stands on the block's
 * first document (its first in the title when restricted to it), which may
 * be below target; a term that is not lazy is decoded there, since its
 * parent may score it without advancing it.  The caller advances t to
 * target or beyond before it uses t's document again.
 */
static int term_shallow(term_m *t, uint32_t target)
{
    int rc;
    if (t->m.doc == NI_NO_DOC || target <= t->s.blk.last_doc)
        return 0;
    if ((rc = term_next_block(t, 1, target)) < 0)
        return rc;
    return term_settle(t);
}

/* No document of t's current block scores more than this. */
static double term_block_max(term_m *t)
{
    if (t->blk_max < 0)
        t->blk_max = t->scored && t->m.doc != NI_NO_DOC
                         ? ni_bm25_term(&t->c->bm25, t->idf, t->s.blk.max_tf_title,
                                        t->field == NI_QFIELD_TITLE ? 0 : t->s.blk.max_tf_body,
                                        t->s.blk.min_len_title, t->s.blk.min_len_body)
                         : 0;
    return t->blk_max;
}

static double term_score(ni_matcher *m, const ni_docinfo *di)
{
    term_m *t = (term_m *)m;
    if (!t->scored || m->doc == NI_NO_DOC)
        return 0;
    return ni_bm25_term_inv(&t->c->bm25, t->idf, t->s.blk.tf_title[t->s.i],
                            t->field == NI_QFIELD_TITLE ? 0 : t->s.blk.tf_body[t->s.i],
                            di->inv_title, di->inv_body);
}

static void term_free(ni_matcher *m)
{
    term_m *t = (term_m *)m;
    ni_cursor_close(t->cur);
    ni_mem_free(t->term);
    ni_mem_free(t);
}

/* ops->bound: the bound of the block holding the first document >= target. */
static int term_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    term_m *t = (term_m *)m;
    int rc;
    *out = 0;
    if ((rc = term_shallow(t, target)) < 0)
        return rc;
    if (m->doc != NI_NO_DOC) {
        if (t->s.blk.last_doc < *upto)
            *upto = t->s.blk.last_doc;
        *out = term_block_max(t);
    }
    return 0;
}

static void term_set_lazy(ni_matcher *m)
{
    ((term_m *)m)->lazy = 1;
}

static int term_ready(ni_matcher *m)
{
    return term_decode((term_m *)m);
}

static const ni_matcher_ops term_ops = {
    .next = term_next, .advance = term_advance, .score = term_score, .free = term_free,
    .bound = term_bound, .set_lazy = term_set_lazy, .ready = term_ready,
};

static int term_open(term_m **out, ni_match_ctx *c, const char *term, size_t len,
                     unsigned field, int scored)
{
    unsigned char key[NI_POSTING_KEY_MAX];
    ni_term_info ti;
    term_m *t;
    int rc;

    *out = NULL;
    if (len == 0 || len > NI_MAX_WORD_BYTES * 2)
        return NI_ENOTFOUND;
    rc = ni_term_info_read_bounds(c->txn, term, len, &ti);
    if (rc < 0)
        return rc;
    if (ti.postings == 0)
        return NI_ENOTFOUND;
    t = ni_mem_calloc(1, sizeof *t);
    if (!t)
        return ni_error(NI_ENOMEM, "out of memory");
    t->m.ops = &term_ops;
    t->m.step = field == NI_QFIELD_TITLE ? NULL : &t->s;
    t->m.cost = ti.postings;
    t->c = c;
    t->field = field;
    t->scored = scored;
    t->len = len;
    t->df = ti.df;
    t->idf = ni_bm25_idf(c->bm25.docs, ti.df);
    /* No document scores more than the largest frequencies over the
     * smallest lengths would (the score grows with tf, shrinks with length). */
    t->m.max_score = scored ? ni_bm25_term(&c->bm25, t->idf, ti.max_tf_title,
                                           field == NI_QFIELD_TITLE ? 0 : ti.max_tf_body,
                                           ti.min_len_title, ti.min_len_body) : 0;
    t->term = ni_mem_strndup(term, len);
    if (!t->term) {
        ni_mem_free(t);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    t->blk_max = -1;
    if (ti.block) {
        /* in the read transaction's snapshot, like a cursor's block */
        if ((rc = ni_block_open(&t->s.blk, ti.block, ti.block_len)) == 0) {
            c->blocks_read++;
            t->s.i = 0;
            t->m.doc = t->s.blk.first_doc;
            rc = term_settle(t);
        }
    } else if ((rc = ni_cursor_open(&t->cur, c->txn, NI_T_POSTINGS)) == 0 &&
               (rc = ni_cursor_seek(t->cur, key, ni_posting_key(key, term, len, 0))) >= 0 &&
               (rc = term_load(t)) == 0) {
        rc = term_settle(t);
    }
    if (rc < 0) {
        term_free(&t->m);
        return rc;
    }
    *out = t;
    return 0;
}

int ni_match_term(ni_matcher **out, ni_match_ctx *c, const char *term,
                  size_t len, unsigned field, int scored)
{
    term_m *t;
    int rc = term_open(&t, c, term, len, field, scored);
    *out = t ? &t->m : NULL;
    return rc;
}

/* ---- phrase and NEAR --------------------------------------------------- */

typedef struct phrase_m {
    ni_matcher m;
    ni_match_ctx *c;
    term_m **terms;
    uint32_t *qpos;
    size_t n;
    uint32_t slop;
    unsigned field;
    uint32_t **pos;            /* positions of each term in the current doc */
    uint32_t *npos, *cap;
    uint32_t *cursor;          /* NEAR: index into each list */
    uint32_t *same;            /* NEAR: copies of term k in the query, on its
                                  first copy (0 on later copies) */
} phrase_m;

static int load_positions(phrase_m *p, size_t k)
{
    term_m *t = p->terms[k];
    uint32_t tf = t->s.blk.tf_title[t->s.i] + t->s.blk.tf_body[t->s.i];
    int rc;
    if (tf > p->cap[k]) {
        uint32_t *np = ni_mem_realloc(p->pos[k], (size_t)tf * sizeof *np);
        if (!np)
            return ni_error(NI_ENOMEM, "out of memory");
        p->pos[k] = np;
        p->cap[k] = tf;
    }
    if ((rc = ni_block_positions(&t->s.blk, t->s.i, p->pos[k], tf)) < 0)
        return rc;
    p->npos[k] = p->field == NI_QFIELD_TITLE ? t->s.blk.tf_title[t->s.i] : tf;
    return 0;
}

static int contains(const uint32_t *a, uint32_t n, uint32_t v)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && a[lo] == v;
}

/* Positions in the sorted a[0..n) within [lo, hi]. */
static uint32_t count_in(const uint32_t *a, uint32_t n, uint32_t lo, uint32_t hi)
{
    uint32_t i = 0, j;
    while (i < n && a[i] < lo)
        i++;
    for (j = i; j < n && a[j] <= hi; j++)
        ;
    return j - i;
}

/* A word given twice in a NEAR query needs two occurrences in the window,
 * not one occurrence counted twice. */
static int enough_copies(const phrase_m *p, uint32_t lo, uint32_t hi)
{
    size_t k;
    for (k = 0; k < p->n; k++)
        if (p->same[k] > 1 && count_in(p->pos[k], p->npos[k], lo, hi) < p->same[k])
            return 0;
    return 1;
}

/* 1 when the positions of the current document satisfy the phrase. */
static int phrase_check(phrase_m *p)
{
    size_t k;
    uint32_t i;
    if (p->slop == 0) {
        for (i = 0; i < p->npos[0]; i++) {
            uint32_t start = p->pos[0][i];
            if (start < p->qpos[0])
                continue;
            start -= p->qpos[0];
            for (k = 1; k < p->n; k++)
                if (!contains(p->pos[k], p->npos[k], start + p->qpos[k]))
                    break;
            if (k == p->n)
                return 1;
        }
        return 0;
    }
    /* NEAR: the smallest window holding one position of every term. */
    for (k = 0; k < p->n; k++)
        p->cursor[k] = 0;
    for (;;) {
        uint32_t lo = UINT32_MAX, hi = 0;
        size_t lo_k = 0;
        for (k = 0; k < p->n; k++) {
            uint32_t v;
            if (p->cursor[k] >= p->npos[k])
                return 0;
            v = p->pos[k][p->cursor[k]];
            if (v < lo)
                lo = v, lo_k = k;
            if (v > hi)
                hi = v;
        }
        if ((uint64_t)hi - lo <= (uint64_t)p->n - 1 + p->slop && enough_copies(p, lo, hi))
            return 1;
        p->cursor[lo_k]++;
    }
}

/* From the current candidate of term 0 on, the first doc where all terms
 * are present and the positions fit. */
static int phrase_find(phrase_m *p)
{
    uint32_t doc;
    size_t k;
    int rc, agree;

    for (;;) {
        doc = p->terms[0]->m.doc;
        do {
            agree = 1;
            for (k = 0; k < p->n; k++) {
                term_m *t = p->terms[k];
                if ((rc = term_advance(&t->m, doc)) < 0)
                    return rc;
                if (t->m.doc == NI_NO_DOC) {
                    p->m.doc = NI_NO_DOC;
                    return 0;
                }
                if (t->m.doc > doc) {
                    doc = t->m.doc;
                    agree = 0;
                }
            }
        } while (!agree);
        for (k = 0; k < p->n; k++)
            if ((rc = load_positions(p, k)) < 0)
                return rc;
        if (phrase_check(p)) {
            p->m.doc = doc;
            return 0;
        }
        if ((rc = term_next(&p->terms[0]->m)) < 0)
            return rc;
        if (p->terms[0]->m.doc == NI_NO_DOC) {
            p->m.doc = NI_NO_DOC;
            return 0;
        }
    }
}

static int phrase_next(ni_matcher *m)
{
    phrase_m *p = (phrase_m *)m;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    if ((rc = term_next(&p->terms[0]->m)) < 0)
        return rc;
    return phrase_find(p);
}

static int phrase_advance(ni_matcher *m, uint32_t target)
{
    phrase_m *p = (phrase_m *)m;
    int rc;
    if (m->doc >= target)
        return 0;
    if ((rc = term_advance(&p->terms[0]->m, target)) < 0)
        return rc;
    return phrase_find(p);
}

static double phrase_score(ni_matcher *m, const ni_docinfo *di)
{
    phrase_m *p = (phrase_m *)m;
    double s = 0;
    size_t k;
    for (k = 0; k < p->n; k++)
        s += term_score(&p->terms[k]->m, di);
    return s;
}

static void phrase_free(ni_matcher *m)
{
    phrase_m *p = (phrase_m *)m;
    size_t k;
    for (k = 0; k < p->n; k++) {
        if (p->terms && p->terms[k])
            term_free(&p->terms[k]->m);
        if (p->pos)
            ni_mem_free(p->pos[k]);
    }
    ni_mem_free(p->terms);
    ni_mem_free(p->pos);
    ni_mem_free(p->npos);
    ni_mem_free(p->cap);
    ni_mem_free(p->cursor);
    ni_mem_free(p->qpos);
    ni_mem_free(p->same);
    ni_mem_free(p);
}

/* ops->bound: the sum of the terms' block bounds. */
static int phrase_bound(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    phrase_m *p = (phrase_m *)m;
    double s = 0, b;
    size_t k;
    int rc;
    for (k = 0; k < p->n; k++) {
        if ((rc = ni_matcher_bound(&p->terms[k]->m, target, upto, &b)) < 0)
            return rc;
        s += b;
    }
    *out = s;
    return 0;
}

static const ni_matcher_ops phrase_ops = {
    .next = phrase_next, .advance = phrase_advance, .score = phrase_score,
    .free = phrase_free, .bound = phrase_bound,
};

int ni_match_phrase(ni_matcher **out, ni_match_ctx *c, const char *const *terms,
                    const size_t *lens, const uint32_t *qpos, size_t n,
                    uint32_t slop, unsigned field)
{
    phrase_m *p;
    size_t k;
    int rc;

    *out = NULL;
    if (n == 0)
        return NI_ENOTFOUND;
    p = ni_mem_calloc(1, sizeof *p);
    if (!p)
        return ni_error(NI_ENOMEM, "out of memory");
    p->m.ops = &phrase_ops;
    p->c = c;
    p->n = n;
    p->slop = slop;
    p->field = field;
    p->terms = ni_mem_calloc(n, sizeof *p->terms);
    p->pos = ni_mem_calloc(n, sizeof *p->pos);
    p->npos = ni_mem_calloc(n, sizeof *p->npos);
    p->cap = ni_mem_calloc(n, sizeof *p->cap);
    p->cursor = ni_mem_calloc(n, sizeof *p->cursor);
    p->qpos = ni_mem_calloc(n, sizeof *p->qpos);
    p->same = ni_mem_calloc(n, sizeof *p->same);
    if (!p->terms || !p->pos || !p->npos || !p->cap || !p->cursor || !p->qpos || !p->same) {
        phrase_free(&p->m);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    memcpy(p->qpos, qpos, n * sizeof *qpos);
    for (k = 0; k < n; k++) {
        size_t j;
        for (j = 0; j < k && !(lens[j] == lens[k] && memcmp(terms[j], terms[k], lens[k]) == 0); j++)
            ;
        p->same[j]++;
    }
    for (k = 0; k < n; k++) {
        if ((rc = term_open(&p->terms[k], c, terms[k], lens[k], field, 1)) < 0) {
            phrase_free(&p->m);
            return rc;
        }
        p->m.max_score += p->terms[k]->m.max_score;
        if (k == 0 || p->terms[k]->m.cost < p->m.cost)
            p->m.cost = p->terms[k]->m.cost;
    }
    if ((rc = phrase_find(p)) < 0) {
        phrase_free(&p->m);
        return rc;
    }
    *out = &p->m;
    return 0;
}

/* ---- explaining -------------------------------------------------------- */

size_t ni_match_term_count(const ni_matcher *m)
{
    if (m->ops == &term_ops)
        return 1;
    return m->ops == &phrase_ops ? ((const phrase_m *)m)->n : 0;
}

int ni_match_term_detail(ni_term_detail *out, ni_matcher *m, size_t i, uint32_t doc,
                         const ni_docinfo *di)
{
    term_m *t = m->ops == &term_ops ? (term_m *)m : ((phrase_m *)m)->terms[i];
    int rc;

    memset(out, 0, sizeof *out);
    out->term = t->term;
    out->len = t->len;
    out->field = t->field;
    out->df = t->df;
    out->idf = t->idf;
    if (m->doc != doc || doc == NI_NO_DOC)
        return 0;
    /* a phrase on doc has every term on it */
    if ((rc = term_decode(t)) < 0)
        return rc;
    out->tf_title = t->s.blk.tf_title[t->s.i];
    out->tf_body = t->field == NI_QFIELD_TITLE ? 0 : t->s.blk.tf_body[t->s.i];
    out->score = term_score(&t->m, di);
    return 0;
}
