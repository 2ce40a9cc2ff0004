/*
 * match.c - the matchers of match.h: term (a posting-block cursor), phrase
 * and NEAR (a conjunction checked on positions), AND / AND NOT with optional
 * scorers, OR with a minimum number of matching kids, all documents, and a
 * date filter.  No matcher allocates per document.
 *
 * A term matcher walks the blocks of its term in key order; advancing past
 * the current block is one B-tree seek on term 0x00 be32(target), which lands
 * on the first block whose last document is >= target, so whole blocks are
 * skipped without being read.  A term whose one block is inline in its
 * lexicon value has no cursor: past that block it is done.
 *
 * Top-k evaluation with pruning (ni_match_maxscore, at the end) bounds the
 * score of runs of documents with the block headers alone (largest
 * frequencies, smallest lengths) and skips those that cannot enter the top
 * k.  Its term cursors are lazy: a block's documents are decoded only when
 * one of them is needed, so a block whose header rules it out, or whose
 * first document is past where the cursor is sent, is never decoded.
 * Pruned results equal exhaustive ones to the last bit: bounds are checked
 * with a margin for rounding, and the final score of a document is summed
 * in the order the matchers' score functions use.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "match.h"
#include "mem.h"
#include "query.h"

/* ---- docinfo ----------------------------------------------------------- */

/* Makes the docinfo chunk holding doc the cached one. */
static int docinfo_chunk(ni_match_ctx *c, uint32_t chunk, uint32_t doc)
{
    unsigned char key[4];
    ni_val k, v;
    int rc;
    ni_put_be32(key, chunk);
    if (!c->di_cur && (rc = ni_cursor_open(&c->di_cur, c->txn, NI_T_DOCINFO)) < 0)
        return rc;
    /* documents come in increasing order: the next chunk is mostly the
     * cursor's next entry, cheaper than a search from the root */
    if (c->di_data && chunk == c->di_chunk + 1)
        rc = ni_cursor_next(c->di_cur);
    else
        rc = ni_cursor_seek(c->di_cur, key, 4);
    c->di_data = NULL;
    if (rc == 0)
        rc = ni_cursor_get(c->di_cur, &k, &v);
    if (rc == NI_DONE || (rc == 0 && (k.len != 4 || memcmp(k.data, key, 4) != 0)))
        return ni_error(NI_ECORRUPT, "document %u has no docinfo", doc);
    if (rc < 0)
        return rc;
    c->di_chunk = chunk;
    c->di_data = v.data;
    c->di_len = v.len;
    return 0;
}

/* ni_match_docinfo, inline in the top-k loops (read once per candidate). */
static inline int docinfo(ni_match_ctx *c, uint32_t doc, ni_docinfo *out)
{
    uint32_t chunk = doc / NI_DOCINFO_CHUNK;
    size_t off = (size_t)(doc % NI_DOCINFO_CHUNK) * NI_DOCINFO_ENTRY;
    int rc;
    if ((!c->di_data || c->di_chunk != chunk) && (rc = docinfo_chunk(c, chunk, doc)) < 0)
        return rc;
    if (c->di_len < off + NI_DOCINFO_ENTRY)
        return ni_error(NI_ECORRUPT, "document %u has no docinfo", doc);
    ni_docinfo_decode(c->di_data + off, out);
    if (out->len_title == NI_DELETED)
        return 0;
    out->inv_title = ni_bm25_inv_norm(&c->bm25, out->len_title, c->bm25.avg_title);
    out->inv_body = ni_bm25_inv_norm(&c->bm25, out->len_body, c->bm25.avg_body);
    return 1;
}

int ni_match_docinfo(ni_match_ctx *c, uint32_t doc, ni_docinfo *out)
{
    return docinfo(c, doc, out);
}

void ni_match_ctx_release(ni_match_ctx *c)
{
    ni_cursor_close(c->di_cur);
    c->di_cur = NULL;
    c->di_data = NULL;
}

void ni_matcher_free(ni_matcher *m)
{
    if (m)
        m->ops->free(m);
}

static void free_all(ni_matcher **ms, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        ni_matcher_free(ms[i]);
}

/* ---- term -------------------------------------------------------------- */

typedef struct term_m {
    ni_matcher m;
    ni_match_ctx *c;
    ni_cursor *cur;            /* NULL for an inline block */
    char *term;
    size_t len;
    ni_block blk;
    uint32_t i;
    unsigned field;
    int scored;
    int lazy;                  /* decode a block only when its documents are
                                  needed (the caller decodes before scoring) */
    double idf;
    double blk_max;            /* bound of the current block, < 0: not yet */
} term_m;

/* Decodes the current block's entries through the one t stands on (its
 * documents further on are decoded when t gets there). */
static int term_decode(term_m *t)
{
    uint32_t at;
    if (t->i < t->blk.ndec || t->m.doc == NI_NO_DOC)
        return 0;
    if (t->blk.ndec == 0)
        t->c->blocks_decoded++;
    return ni_block_seek(&t->blk, t->i, 0, &at);
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
    if (rc < 0 || (rc = ni_block_open(&t->blk, v.data, v.len)) < 0)
        return rc;
    if (t->blk.last_doc != ni_get_be32(k.data + t->len + 1))
        return ni_error(NI_ECORRUPT, "posting block of '%.*s' is under the wrong key",
                        (int)t->len, t->term);
    t->c->blocks_read++;
    t->i = 0;
    t->blk_max = -1;
    t->m.doc = t->blk.first_doc;
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
        if (t->blk.max_tf_title > 0) {
            if ((rc = term_decode(t)) < 0)
                return rc;
            if (t->blk.tf_title[t->i] > 0)
                break;
            if (++t->i < t->blk.ndocs) {
                if ((rc = term_decode(t)) < 0)
                    return rc;
                t->m.doc = t->blk.docs[t->i];
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
    if (++t->i < t->blk.ndocs) {
        if ((rc = term_decode(t)) < 0)
            return rc;
        m->doc = t->blk.docs[t->i];
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
    if (target > t->blk.last_doc) {
        if ((rc = term_next_block(t, 1, target)) < 0)
            return rc;
        if (m->doc == NI_NO_DOC)
            return 0;
    }
    if (target > t->blk.first_doc) {
        if (t->blk.ndec == 0)
            t->c->blocks_decoded++;
        /* the block's last document is >= target: one is found */
        if ((rc = ni_block_seek(&t->blk, t->i, target, &t->i)) < 0)
            return rc;
        m->doc = t->blk.docs[t->i];
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
    if (t->m.doc == NI_NO_DOC || target <= t->blk.last_doc)
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
                         ? ni_bm25_term(&t->c->bm25, t->idf, t->blk.max_tf_title,
                                        t->field == NI_QFIELD_TITLE ? 0 : t->blk.max_tf_body,
                                        t->blk.min_len_title, t->blk.min_len_body)
                         : 0;
    return t->blk_max;
}

static double term_score(ni_matcher *m, const ni_docinfo *di)
{
    term_m *t = (term_m *)m;
    if (!t->scored || m->doc == NI_NO_DOC)
        return 0;
    return ni_bm25_term_inv(&t->c->bm25, t->idf, t->blk.tf_title[t->i],
                            t->field == NI_QFIELD_TITLE ? 0 : t->blk.tf_body[t->i],
                            di->inv_title, di->inv_body);
}

static void term_free(ni_matcher *m)
{
    term_m *t = (term_m *)m;
    ni_cursor_close(t->cur);
    ni_mem_free(t->term);
    ni_mem_free(t);
}

static const ni_matcher_ops term_ops = { term_next, term_advance, term_score, term_free };

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
    t->m.cost = ti.postings;
    t->c = c;
    t->field = field;
    t->scored = scored;
    t->len = len;
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
        if ((rc = ni_block_open(&t->blk, ti.block, ti.block_len)) == 0) {
            c->blocks_read++;
            t->i = 0;
            t->m.doc = t->blk.first_doc;
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
    uint32_t tf = t->blk.tf_title[t->i] + t->blk.tf_body[t->i];
    int rc;
    if (tf > p->cap[k]) {
        uint32_t *np = ni_mem_realloc(p->pos[k], (size_t)tf * sizeof *np);
        if (!np)
            return ni_error(NI_ENOMEM, "out of memory");
        p->pos[k] = np;
        p->cap[k] = tf;
    }
    if ((rc = ni_block_positions(&t->blk, t->i, p->pos[k], tf)) < 0)
        return rc;
    p->npos[k] = p->field == NI_QFIELD_TITLE ? t->blk.tf_title[t->i] : tf;
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

static const ni_matcher_ops phrase_ops = { phrase_next, phrase_advance, phrase_score, phrase_free };

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

/* ---- AND / AND NOT ----------------------------------------------------- */

typedef struct and_m {
    ni_matcher m;
    ni_matcher **req, **opt, **excl;
    size_t nreq, nopt, nexcl;
} and_m;

static int and_find(and_m *a)
{
    uint32_t doc;
    size_t k;
    int rc, agree;

    for (;;) {
        doc = a->req[0]->doc;
        do {
            agree = 1;
            for (k = 0; k < a->nreq; k++) {
                ni_matcher *r = a->req[k];
                if ((rc = r->ops->advance(r, doc)) < 0)
                    return rc;
                if (r->doc == NI_NO_DOC) {
                    a->m.doc = NI_NO_DOC;
                    return 0;
                }
                if (r->doc > doc) {
                    doc = r->doc;
                    agree = 0;
                }
            }
        } while (!agree);
        for (k = 0; k < a->nexcl; k++) {
            ni_matcher *e = a->excl[k];
            if ((rc = e->ops->advance(e, doc)) < 0)
                return rc;
            if (e->doc == doc)
                break;
        }
        if (k == a->nexcl) {
            a->m.doc = doc;
            return 0;
        }
        if ((rc = a->req[0]->ops->next(a->req[0])) < 0)
            return rc;
        if (a->req[0]->doc == NI_NO_DOC) {
            a->m.doc = NI_NO_DOC;
            return 0;
        }
    }
}

static int and_next(ni_matcher *m)
{
    and_m *a = (and_m *)m;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    if ((rc = a->req[0]->ops->next(a->req[0])) < 0)
        return rc;
    return and_find(a);
}

static int and_advance(ni_matcher *m, uint32_t target)
{
    and_m *a = (and_m *)m;
    int rc;
    if (m->doc >= target)
        return 0;
    if ((rc = a->req[0]->ops->advance(a->req[0], target)) < 0)
        return rc;
    return and_find(a);
}

static double and_score(ni_matcher *m, const ni_docinfo *di)
{
    and_m *a = (and_m *)m;
    double s = 0;
    size_t k;
    for (k = 0; k < a->nreq; k++)
        s += a->req[k]->ops->score(a->req[k], di);
    for (k = 0; k < a->nopt; k++) {
        ni_matcher *o = a->opt[k];
        /* advance errors leave the optional scorer where it was */
        if (o->doc < m->doc && o->ops->advance(o, m->doc) < 0)
            continue;
        if (o->doc == m->doc)
            s += o->ops->score(o, di);
    }
    return s;
}

static void and_free(ni_matcher *m)
{
    and_m *a = (and_m *)m;
    free_all(a->req, a->nreq);
    free_all(a->opt, a->nopt);
    free_all(a->excl, a->nexcl);
    ni_mem_free(a->req);
    ni_mem_free(a);
}

static const ni_matcher_ops and_ops = { and_next, and_advance, and_score, and_free };

static int cmp_cost(const void *x, const void *y)
{
    const ni_matcher *a = *(ni_matcher *const *)x, *b = *(ni_matcher *const *)y;
    return (a->cost > b->cost) - (a->cost < b->cost);
}

int ni_match_and(ni_matcher **out, ni_matcher **req, size_t nreq,
                 ni_matcher **opt, size_t nopt, ni_matcher **excl, size_t nexcl)
{
    and_m *a;
    size_t k, total = nreq + nopt + nexcl;
    int rc;

    *out = NULL;
    a = ni_mem_calloc(1, sizeof *a);
    if (a)
        a->req = ni_mem_alloc((total ? total : 1) * sizeof *a->req);
    if (!a || !a->req || nreq == 0) {
        ni_mem_free(a ? a->req : NULL);
        ni_mem_free(a);
        free_all(req, nreq);
        free_all(opt, nopt);
        free_all(excl, nexcl);
        return nreq == 0 ? ni_error(NI_EINVAL, "AND without a required part")
                         : ni_error(NI_ENOMEM, "out of memory");
    }
    memcpy(a->req, req, nreq * sizeof *req);
    a->opt = a->req + nreq;
    if (nopt)
        memcpy(a->opt, opt, nopt * sizeof *opt);
    a->excl = a->opt + nopt;
    if (nexcl)
        memcpy(a->excl, excl, nexcl * sizeof *excl);
    a->nreq = nreq;
    a->nopt = nopt;
    a->nexcl = nexcl;
    a->m.ops = &and_ops;
    /* the rarest required matcher leads */
    qsort(a->req, nreq, sizeof *a->req, cmp_cost);
    a->m.cost = a->req[0]->cost;
    for (k = 0; k < nreq; k++)
        a->m.max_score += a->req[k]->max_score;
    for (k = 0; k < nopt; k++)
        a->m.max_score += a->opt[k]->max_score;
    if ((rc = and_find(a)) < 0) {
        and_free(&a->m);
        return rc;
    }
    *out = &a->m;
    return 0;
}

/* ---- OR with a minimum number of matching kids ------------------------ */

/*
 * With a minimum of m matching kids out of n, a matching document holds at
 * least one of any n - m + 1 kids (it misses at most n - m): only the
 * n - m + 1 rarest kids propose documents, the others are advanced to each
 * proposal and counted.
 */
typedef struct or_m {
    ni_matcher m;
    ni_matcher **kids;         /* by cost when min_match > 1 */
    size_t n, min_match;
    size_t ngen;               /* kids[0..ngen) propose documents */
} or_m;

/* From the kids' current documents, the first with enough kids on it. */
static int or_find(or_m *o)
{
    size_t k, count;
    int rc;
    for (;;) {
        uint32_t doc = NI_NO_DOC;
        for (k = 0; k < o->ngen; k++)
            if (o->kids[k]->doc < doc)
                doc = o->kids[k]->doc;
        o->m.doc = doc;
        if (doc == NI_NO_DOC || o->min_match <= 1)
            return 0;
        /* the others are advanced to doc, rarest first, until too few are
         * left to make the count (kids left behind are advanced later:
         * or_score only adds kids that stand on the document) */
        for (count = 0, k = 0; k < o->n && count + (o->n - k) >= o->min_match; k++) {
            ni_matcher *kid = o->kids[k];
            if (k >= o->ngen && kid->doc < doc && (rc = kid->ops->advance(kid, doc)) < 0)
                return rc;
            count += kid->doc == doc;
        }
        if (count >= o->min_match)
            return 0;
        for (k = 0; k < o->ngen; k++)
            if (o->kids[k]->doc == doc && (rc = o->kids[k]->ops->next(o->kids[k])) < 0)
                return rc;
    }
}

static int or_next(ni_matcher *m)
{
    or_m *o = (or_m *)m;
    uint32_t doc = m->doc;
    size_t k;
    int rc;
    if (doc == NI_NO_DOC)
        return 0;
    for (k = 0; k < o->ngen; k++)
        if (o->kids[k]->doc == doc && (rc = o->kids[k]->ops->next(o->kids[k])) < 0)
            return rc;
    return or_find(o);
}

static int or_advance(ni_matcher *m, uint32_t target)
{
    or_m *o = (or_m *)m;
    size_t k;
    int rc;
    if (m->doc >= target)
        return 0;
    for (k = 0; k < o->ngen; k++)
        if ((rc = o->kids[k]->ops->advance(o->kids[k], target)) < 0)
            return rc;
    return or_find(o);
}

static double or_score(ni_matcher *m, const ni_docinfo *di)
{
    or_m *o = (or_m *)m;
    double s = 0;
    size_t k;
    for (k = 0; k < o->n; k++)
        if (o->kids[k]->doc == m->doc)
            s += o->kids[k]->ops->score(o->kids[k], di);
    return s;
}

static void or_free(ni_matcher *m)
{
    or_m *o = (or_m *)m;
    free_all(o->kids, o->n);
    ni_mem_free(o->kids);
    ni_mem_free(o);
}

static const ni_matcher_ops or_ops = { or_next, or_advance, or_score, or_free };

int ni_match_or(ni_matcher **out, ni_matcher **kids, size_t n, size_t min_match)
{
    or_m *o;
    size_t k;
    int rc;

    *out = NULL;
    o = ni_mem_calloc(1, sizeof *o);
    if (o)
        o->kids = ni_mem_alloc((n ? n : 1) * sizeof *kids);
    if (!o || !o->kids) {
        ni_mem_free(o);
        free_all(kids, n);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    memcpy(o->kids, kids, n * sizeof *kids);
    o->n = n;
    o->min_match = min_match ? min_match : 1;
    o->ngen = n;
    if (o->min_match > 1 && o->min_match <= n) {
        qsort(o->kids, n, sizeof *o->kids, cmp_cost);
        o->ngen = n - o->min_match + 1;
    }
    o->m.ops = &or_ops;
    for (k = 0; k < n; k++) {
        o->m.max_score += kids[k]->max_score;
        o->m.cost += kids[k]->cost;
    }
    if ((rc = or_find(o)) < 0) {
        or_free(&o->m);
        return rc;
    }
    *out = &o->m;
    return 0;
}

/* ---- all documents, date filter, nothing ------------------------------- */

typedef struct all_m {
    ni_matcher m;
    ni_match_ctx *c;
} all_m;

static int all_settle(all_m *a, uint32_t doc)
{
    ni_docinfo di;
    int rc;
    for (; doc < a->c->next_doc; doc++) {
        if ((rc = ni_match_docinfo(a->c, doc, &di)) < 0)
            return rc;
        if (rc) {
            a->m.doc = doc;
            return 0;
        }
    }
    a->m.doc = NI_NO_DOC;
    return 0;
}

static int all_next(ni_matcher *m)
{
    return m->doc == NI_NO_DOC ? 0 : all_settle((all_m *)m, m->doc + 1);
}

static int all_advance(ni_matcher *m, uint32_t target)
{
    return m->doc >= target ? 0 : all_settle((all_m *)m, target);
}

static double zero_score(ni_matcher *m, const ni_docinfo *di)
{
    (void)m;
    (void)di;
    return 0;
}

static void plain_free(ni_matcher *m)
{
    ni_mem_free(m);
}

static const ni_matcher_ops all_ops = { all_next, all_advance, zero_score, plain_free };

int ni_match_all(ni_matcher **out, ni_match_ctx *c)
{
    all_m *a = ni_mem_calloc(1, sizeof *a);
    int rc;
    *out = NULL;
    if (!a)
        return ni_error(NI_ENOMEM, "out of memory");
    a->m.ops = &all_ops;
    a->m.cost = c->next_doc;
    a->c = c;
    if ((rc = all_settle(a, 0)) < 0) {
        ni_mem_free(a);
        return rc;
    }
    *out = &a->m;
    return 0;
}

typedef struct date_m {
    ni_matcher m;
    ni_match_ctx *c;
    ni_matcher *kid;
    int64_t lo, hi;
} date_m;

static int date_settle(date_m *d)
{
    ni_docinfo di;
    int rc;
    for (;;) {
        d->m.doc = d->kid->doc;
        if (d->m.doc == NI_NO_DOC)
            return 0;
        if ((rc = ni_match_docinfo(d->c, d->m.doc, &di)) < 0)
            return rc;
        if (di.date != NI_DATE_NONE && di.date >= d->lo && di.date <= d->hi)
            return 0;
        if ((rc = d->kid->ops->next(d->kid)) < 0)
            return rc;
    }
}

static int date_next(ni_matcher *m)
{
    date_m *d = (date_m *)m;
    int rc;
    if (m->doc == NI_NO_DOC)
        return 0;
    if ((rc = d->kid->ops->next(d->kid)) < 0)
        return rc;
    return date_settle(d);
}

static int date_advance(ni_matcher *m, uint32_t target)
{
    date_m *d = (date_m *)m;
    int rc;
    if (m->doc >= target)
        return 0;
    if ((rc = d->kid->ops->advance(d->kid, target)) < 0)
        return rc;
    return date_settle(d);
}

static double date_score(ni_matcher *m, const ni_docinfo *di)
{
    date_m *d = (date_m *)m;
    return d->kid->ops->score(d->kid, di);
}

static void date_free(ni_matcher *m)
{
    date_m *d = (date_m *)m;
    ni_matcher_free(d->kid);
    ni_mem_free(d);
}

static const ni_matcher_ops date_ops = { date_next, date_advance, date_score, date_free };

int ni_match_date(ni_matcher **out, ni_match_ctx *c, ni_matcher *kid,
                  int64_t lo, int64_t hi)
{
    date_m *d = ni_mem_calloc(1, sizeof *d);
    int rc;
    *out = NULL;
    if (!d) {
        ni_matcher_free(kid);
        return ni_error(NI_ENOMEM, "out of memory");
    }
    d->m.ops = &date_ops;
    d->m.cost = kid->cost;
    d->m.max_score = kid->max_score;
    d->c = c;
    d->kid = kid;
    d->lo = lo;
    d->hi = hi;
    if ((rc = date_settle(d)) < 0) {
        date_free(&d->m);
        return rc;
    }
    *out = &d->m;
    return 0;
}

static int none_move(ni_matcher *m)
{
    m->doc = NI_NO_DOC;
    return 0;
}

static int none_advance(ni_matcher *m, uint32_t target)
{
    (void)target;
    return none_move(m);
}

static const ni_matcher_ops none_ops = { none_move, none_advance, zero_score, plain_free };

int ni_match_none(ni_matcher **out)
{
    ni_matcher *m = ni_mem_calloc(1, sizeof *m);
    *out = m;
    if (!m)
        return ni_error(NI_ENOMEM, "out of memory");
    m->ops = &none_ops;
    m->doc = NI_NO_DOC;
    return 0;
}

/* ---- top-k with MaxScore and block-max pruning ------------------------- */

static int cmp_max_score(const void *x, const void *y)
{
    const ni_matcher *a = *(ni_matcher *const *)x, *b = *(ni_matcher *const *)y;
    return (a->max_score > b->max_score) - (a->max_score < b->max_score);
}

static int cmp_max_score_desc(const void *x, const void *y)
{
    return cmp_max_score(y, x);
}

/* Adds the kids of an OR (nested ORs flattened: the same documents, the
 * same sums) to out; 0, or NI_ENOTFOUND when there are too many. */
static int flatten_or(ni_matcher *m, ni_matcher **out, size_t *n, size_t cap)
{
    size_t k;
    if (m->ops == &or_ops && ((or_m *)m)->min_match <= 1) {
        for (k = 0; k < ((or_m *)m)->n; k++)
            if (flatten_or(((or_m *)m)->kids[k], out, n, cap) < 0)
                return NI_ENOTFOUND;
        return 0;
    }
    if (*n == cap)
        return NI_ENOTFOUND;
    out[(*n)++] = m;
    return 0;
}

/* True when score plus the bound of what is left cannot beat theta (with
 * room for rounding: a tie may still win on date, so it is kept). */
static int hopeless(double score, double bound, double theta)
{
    return (score + bound) * (1.0 + 1e-9) < theta;
}

/*
 * In *out a bound of m's score for every document in [target, *upto],
 * lowering *upto to the end of the shortest posting block the bound rests
 * on.  The term cursors under m that stand before target move to the
 * block holding target, reading its header only (term_shallow); the
 * caller advances m to target or beyond before it reads m's document.
 * Matchers without blocks give their max_score.
 */
static int bound_at(ni_matcher *m, uint32_t target, uint32_t *upto, double *out)
{
    double b;
    size_t k, n = 0;
    ni_matcher **kids = NULL;
    int rc;

    *out = 0;
    if (m->doc == NI_NO_DOC)
        return 0;
    if (m->ops == &term_ops) {
        term_m *t = (term_m *)m;
        if ((rc = term_shallow(t, target)) < 0)
            return rc;
        if (m->doc != NI_NO_DOC) {
            if (t->blk.last_doc < *upto)
                *upto = t->blk.last_doc;
            *out = term_block_max(t);
        }
        return 0;
    }
    if (m->ops == &phrase_ops) {
        phrase_m *p = (phrase_m *)m;
        for (k = 0; k < p->n; k++) {
            if ((rc = bound_at(&p->terms[k]->m, target, upto, &b)) < 0)
                return rc;
            *out += b;
        }
        return 0;
    }
    if (m->ops == &or_ops)
        kids = ((or_m *)m)->kids, n = ((or_m *)m)->n;
    else if (m->ops == &and_ops)
        kids = ((and_m *)m)->req, n = ((and_m *)m)->nreq + ((and_m *)m)->nopt;
    if (!kids) {
        *out = m->max_score;
        return 0;
    }
    for (k = 0; k < n; k++) {
        if ((rc = bound_at(kids[k], target, upto, &b)) < 0)
            return rc;
        *out += b;
    }
    return 0;
}

/* m's score at doc, where m stands (computed once per document). */
static double score_at(ni_matcher *m, uint32_t doc, const ni_docinfo *di)
{
    if (m->scored_at != doc + 1) {
        m->scored = m->ops->score(m, di);
        m->scored_at = doc + 1;
    }
    return m->scored;
}

/* m->ops->advance(m, target), with a term's step among the entries of its
 * block already decoded taken inline: optional and probed terms are sent
 * a few documents on at a time, many times per query. */
static inline int advance_to(ni_matcher *m, uint32_t target)
{
    if (m->doc >= target)
        return 0;
    if (m->ops == &term_ops) {
        term_m *t = (term_m *)m;
        uint32_t i = t->i, n = t->blk.ndec;
        if (t->field != NI_QFIELD_TITLE && target <= t->blk.last_doc) {
            while (i < n && t->blk.docs[i] < target)
                i++;
            if (i < n) {
                t->i = i;
                m->doc = t->blk.docs[i];
                return 0;
            }
        }
    }
    return m->ops->advance(m, target);
}

/* m->ops->next(m), with a term's step to an entry of its block already
 * decoded taken inline: the proposing terms of a top-k OR step through
 * every document they hold. */
static inline int next_of(ni_matcher *m)
{
    if (m->ops == &term_ops) {
        term_m *t = (term_m *)m;
        if (t->field != NI_QFIELD_TITLE && m->doc != NI_NO_DOC && t->i + 1 < t->blk.ndec) {
            m->doc = t->blk.docs[++t->i];
            return 0;
        }
    }
    return m->ops->next(m);
}

/* Decodes what a lazy term needs before it is scored. */
static int ready(ni_matcher *m)
{
    return m->ops == &term_ops ? term_decode((term_m *)m) : 0;
}

static void set_lazy(ni_matcher **ms, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++)
        if (ms[k]->ops == &term_ops)
            ((term_m *)ms[k])->lazy = 1;
}

#define MAX_SCORERS 64

/*
 * Adds the optional scorers opts[0..no) (by decreasing bound) at doc to
 * *score as long as their bounds can still lift it to theta; 1 when the
 * document was ruled out on the way.  Those already past doc are not
 * there.  The caller sums the final score in query order.
 */
static int add_optional(ni_matcher **opts, size_t no, uint32_t doc, const ni_docinfo *di,
                        double theta, double *score)
{
    double left = 0;
    size_t j;
    int rc;

    for (j = 0; j < no; j++)
        if (opts[j]->doc <= doc)
            left += opts[j]->max_score;
    for (j = 0; j < no; j++) {
        ni_matcher *o = opts[j];
        if (o->doc > doc)
            continue;
        if (hopeless(*score, left, theta))
            return 1;
        left -= o->max_score;
        if ((rc = advance_to(o, doc)) < 0)
            return rc;
        if (o->doc == doc) {
            if ((rc = ready(o)) < 0)
                return rc;
            *score += score_at(o, doc, di);
        }
    }
    return 0;
}

/* Scores m at doc into *score when m is there (advancing m to doc); counts it. */
static int probe(ni_matcher *m, uint32_t doc, const ni_docinfo *di, double *score,
                 size_t *count)
{
    int rc;
    if ((rc = advance_to(m, doc)) < 0)
        return rc;
    if (m->doc != doc)
        return 0;
    if ((rc = ready(m)) < 0)
        return rc;
    *score += score_at(m, doc, di);
    ++*count;
    return 0;
}

/*
 * The score at doc of an OR (flat: its doc field is stale, as are those of
 * nested ORs flattened by flatten_or), added up in the order or_score would:
 * pruned and exhaustive evaluation must agree to the last bit.  Every
 * scorer holding doc stands on it.  run_or compiles this walk into a
 * sum_prog (below) once per query.
 */
static double or_sum(ni_matcher *m, uint32_t doc, const ni_docinfo *di, int flat)
{
    double s = 0;
    size_t k;
    if (m->ops != &or_ops || !(flat || m->doc == doc))
        return m->doc == doc ? m->ops->score(m, di) : 0;
    for (k = 0; k < ((or_m *)m)->n; k++) {
        ni_matcher *kid = ((or_m *)m)->kids[k];
        s += or_sum(kid, doc, di, flat && kid->ops == &or_ops && ((or_m *)kid)->min_match <= 1);
    }
    return s;
}

/*
 * or_sum(or, doc, di, 1) as a flat program: the leaves (scorers, and ORs
 * that are not flattened, whose score is or_score's) in walk order, with
 * the subtotals of flattened ORs opened and closed around their kids, so
 * that the additions happen in the same order.
 */
#define SUM_PROG_MAX (4 * MAX_SCORERS)
enum { SUM_LEAF, SUM_OPEN, SUM_CLOSE };

typedef struct sum_prog {
    unsigned char kind[SUM_PROG_MAX];
    ni_matcher *leaf[SUM_PROG_MAX];   /* for SUM_LEAF */
    size_t n;
} sum_prog;

/* Appends the walk of the kids of the flat OR m; -1 when it does not fit. */
static int sum_compile(sum_prog *p, ni_matcher *m)
{
    size_t k;
    for (k = 0; k < ((or_m *)m)->n; k++) {
        ni_matcher *kid = ((or_m *)m)->kids[k];
        if (p->n + 2 > SUM_PROG_MAX)
            return -1;
        if (kid->ops == &or_ops && ((or_m *)kid)->min_match <= 1) {
            p->kind[p->n++] = SUM_OPEN;
            if (sum_compile(p, kid) < 0 || p->n == SUM_PROG_MAX)
                return -1;
            p->kind[p->n++] = SUM_CLOSE;
        } else {
            p->kind[p->n] = SUM_LEAF;
            p->leaf[p->n++] = kid;
        }
    }
    return 0;
}

static double sum_run(const sum_prog *p, uint32_t doc, const ni_docinfo *di)
{
    double stack[SUM_PROG_MAX / 2], s = 0;
    size_t i, sp = 0;
    for (i = 0; i < p->n; i++) {
        if (p->kind[i] == SUM_OPEN) {
            stack[sp++] = s;
            s = 0;
        } else if (p->kind[i] == SUM_CLOSE) {
            s = stack[--sp] + s;
        } else if (p->leaf[i]->doc == doc) {
            s += score_at(p->leaf[i], doc, di);
        }
    }
    return s;
}

/*
 * Block-max MaxScore over the scorers terms[0..nt) of an OR (a document
 * needs min_match of them) plus optional scorers.  Terms are sorted by
 * their global bound: terms[0..first) together cannot lift a document
 * above theta, so they never propose candidates, only get probed.  The
 * others are taken window by window: from the window's start to the end of
 * the shortest of their posting blocks there, each is bounded by its
 * block's bound.  A window whose bounds cannot reach theta is skipped
 * having read block headers only; in the others the terms are split again
 * by block bounds, and only those that can still matter propose candidates.
 */
/*
 * With a minimum match, a document holds one of the ngen rarest kids of
 * the OR (or_m's generators, terms with their generator bit set in
 * ngen[]) as well as one of the terms that can still reach theta
 * (ess[0..ne)): from *doc on, the first document in both
 * unions, leapfrogging; beyond upto, *doc is only a lower bound.
 */
static int meet_generators(ni_matcher **terms, size_t nt, const unsigned char *ngen,
                           ni_matcher **ess, size_t ne, uint32_t upto, uint32_t *doc)
{
    size_t i, m;
    int rc;
    while (*doc <= upto) {
        uint32_t g = NI_NO_DOC;
        for (i = 0; i < nt; i++) {
            if (!ngen[i])
                continue;
            if ((rc = advance_to(terms[i], *doc)) < 0)
                return rc;
            if (terms[i]->doc < g)
                g = terms[i]->doc;
        }
        if (g == *doc || g > upto) {
            *doc = g;
            return 0;
        }
        *doc = NI_NO_DOC;
        for (m = 0; m < ne; m++) {
            ni_matcher *t = ess[m];
            if ((rc = advance_to(t, g)) < 0)
                return rc;
            if (t->doc < *doc)
                *doc = t->doc;
        }
    }
    return 0;
}

/*
 * Whether need of ms[0..n) can stand on doc: advances them to doc, in
 * order, until need are there (1) or too few are left that could be (0).
 */
static int count_reaches(ni_matcher **ms, size_t n, uint32_t doc, size_t need)
{
    size_t j, left = 0, have = 0;
    int rc;
    for (j = 0; j < n; j++)
        left += ms[j]->doc <= doc;
    for (j = 0; j < n && have < need; j++) {
        ni_matcher *t = ms[j];
        if (t->doc > doc)
            continue;
        if (have + left < need)
            return 0;
        left--;
        if ((rc = advance_to(t, doc)) < 0)
            return rc;
        have += t->doc == doc;
    }
    return have >= need;
}

static int run_or(ni_matcher *or, ni_matcher **terms, size_t nt, size_t min_match,
                  ni_matcher **opts, size_t no, ni_match_ctx *c, ni_collect_fn collect,
                  void *arg)
{
    unsigned char ngen[MAX_SCORERS];
    double pre[MAX_SCORERS + 1], bm[MAX_SCORERS], lpre[MAX_SCORERS + 1];
    double pb[MAX_SCORERS], rest[MAX_SCORERS + 1];
    ni_matcher *probes[MAX_SCORERS], *ess[MAX_SCORERS], *byb[MAX_SCORERS];
    double ebm[MAX_SCORERS];
    uint32_t edoc[MAX_SCORERS];
    ni_matcher *extra[MAX_SCORERS], *others[MAX_SCORERS];
    sum_prog prog;
    int prog_ok;
    size_t ord[MAX_SCORERS], at[MAX_SCORERS], ne = 0, nx = 0, nothers = 0;
    uint32_t floor;
    int stale, gen_only = 0;
    double opt_bound = 0, theta;
    size_t i, first = 0;
    uint32_t wmin = 0;
    ni_docinfo di;
    int rc;

    prog.n = 0;
    prog_ok = sum_compile(&prog, or) == 0;
    qsort(terms, nt, sizeof *terms, cmp_max_score);
    if (no)
        memcpy(byb, opts, no * sizeof *opts);
    qsort(byb, no, sizeof *byb, cmp_max_score_desc);
    for (i = 0; i < nt; i++) {
        size_t g;
        ngen[i] = 0;
        for (g = 0; min_match > 1 && g < ((or_m *)or)->ngen; g++)
            ngen[i] |= terms[i] == ((or_m *)or)->kids[g];
    }
    set_lazy(terms, nt);
    set_lazy(opts, no);
    for (i = 0; i < no; i++)
        opt_bound += opts[i]->max_score;
    pre[0] = opt_bound;
    for (i = 0; i < nt; i++)
        pre[i + 1] = pre[i] + terms[i]->max_score;
    theta = collect(arg, NI_NO_DOC, 0, NULL);
    for (;;) {
        uint32_t start = NI_NO_DOC, upto = NI_NO_DOC - 1;
        size_t ness, lfirst = 0, m;

        while (first < nt && hopeless(0, pre[first + 1], theta))
            first++;
        /* terms that did not propose in the last window may lag behind it */
        for (i = first; i < nt; i++) {
            uint32_t d = terms[i]->doc < wmin ? wmin : terms[i]->doc;
            if (d < start)
                start = d;
        }
        if (start == NI_NO_DOC)
            return 0;
        ness = nt - first;
        lpre[0] = pre[first];
        for (i = first; i < nt; i++) {
            /* no bound matters while the top k is not full: one window
             * then, up to the document that fills it */
            if (theta == -HUGE_VAL)
                bm[i] = terms[i]->max_score;
            else if ((rc = bound_at(terms[i], start, &upto, &bm[i])) < 0)
                return rc;
            /* insertion by block bound, ascending */
            for (m = i - first; m > 0 && bm[ord[m - 1]] > bm[i]; m--)
                ord[m] = ord[m - 1];
            ord[m] = i;
        }
        for (m = 0; m < ness; m++)
            lpre[m + 1] = lpre[m] + bm[ord[m]];
        if (hopeless(0, lpre[ness], theta)) {
            c->windows_skipped++;
            wmin = upto + 1;
            continue;
        }
        while (lfirst < ness && hopeless(0, lpre[lfirst + 1], theta))
            lfirst++;
        floor = start;
        stale = 1;
        for (;;) {
            uint32_t doc = NI_NO_DOC, far = NI_NO_DOC;
            double score = 0, bound;
            size_t count = 0, np, nat, j;
            int pruned;

            while (lfirst < ness && hopeless(0, lpre[lfirst + 1], theta))
                lfirst++, stale = 1;
            if (stale) {
                /* The terms that propose, with copies of their documents
                 * and bounds side by side for the scans below.  With a
                 * minimum match, when every generator is among them, the
                 * generators alone propose (a document holds one of them)
                 * and the others are probed like the terms that cannot
                 * reach theta alone. */
                gen_only = min_match > 1;
                for (i = 0; i < first && gen_only; i++)
                    gen_only = !ngen[i];
                for (m = 0; m < lfirst && gen_only; m++)
                    gen_only = !ngen[ord[m]];
                for (ne = nx = 0, m = ness; m-- > lfirst;) {
                    ni_matcher *t = terms[ord[m]];
                    if (gen_only && !ngen[ord[m]]) {
                        extra[nx++] = t;
                        continue;
                    }
                    if (t->doc < floor && (rc = t->ops->advance(t, floor)) < 0)
                        return rc;
                    ess[ne] = t;
                    edoc[ne] = t->doc;
                    ebm[ne++] = bm[ord[m]];
                }
                /* the others, in the order they are probed: those that
                 * could reach theta with the proposers first */
                for (nothers = 0, m = nx + lfirst + first; m-- > 0;)
                    others[nothers++] = m >= lfirst + first ? extra[nx + lfirst + first - 1 - m]
                                        : m >= first       ? terms[ord[m - first]]
                                                           : terms[m];
                stale = 0;
            }
            /* the next document and the terms on it, with the bounds of
             * their blocks */
            for (j = 0; j < ne; j++)
                doc = edoc[j] < doc ? edoc[j] : doc;
            bound = 0;
            for (nat = 0, j = 0; j < ne; j++)
                if (edoc[j] == doc) {
                    bound += ebm[j];
                    at[nat++] = j;
                }
            if (min_match > 1 && !gen_only) {
                if ((rc = meet_generators(terms, nt, ngen, ess, ne, upto, &doc)) < 0)
                    return rc;
                bound = 0;
                for (nat = 0, j = 0; j < ne; j++) {
                    edoc[j] = ess[j]->doc;
                    if (edoc[j] == doc) {
                        bound += ebm[j];
                        at[nat++] = j;
                    }
                }
            }
            if (doc > upto)
                break;
            /* with a minimum match, the count first: it needs no
             * document lengths and rules out most candidates */
            pruned = 0;
            if (min_match > 1 && nat < min_match) {
                if ((rc = count_reaches(others, nothers, doc, min_match - nat)) < 0)
                    return rc;
                pruned = !rc;
            }
            /* the terms that may hold doc too, with their bounds there */
            np = 0;
            for (j = 0; j < nothers && !pruned; j++) {
                ni_matcher *t = others[j];
                if (t->doc > doc)
                    continue;
                /* no bound matters while the top k is not full */
                pb[np] = t->max_score;
                if (theta > -HUGE_VAL && (rc = bound_at(t, doc, &far, &pb[np])) < 0)
                    return rc;
                if (t->doc <= doc)
                    probes[np++] = t;
            }
            rest[np] = opt_bound;
            for (j = np; j-- > 0;)
                rest[j] = rest[j + 1] + pb[j];
            if (pruned || hopeless(0, bound + rest[0], theta)) {
                pruned = 1;
            } else {
                if ((rc = docinfo(c, doc, &di)) < 0)
                    return rc;
                pruned = !rc;
            }
            for (j = 0; j < nat && !pruned; j++) {
                ni_matcher *t = ess[at[j]];
                if ((rc = ready(t)) < 0)
                    return rc;
                score += score_at(t, doc, &di);
                count++;
            }
            for (j = 0; j < np && !pruned; j++) {
                if (hopeless(score, rest[j], theta) || count + np - j < min_match)
                    pruned = 1;
                else if ((rc = probe(probes[j], doc, &di, &score, &count)) < 0)
                    return rc;
            }
            if (!pruned && count < min_match)
                pruned = 1;
            if (!pruned && (rc = add_optional(byb, no, doc, &di, theta, &score)) != 0) {
                if (rc < 0)
                    return rc;
                pruned = 1;
            }
            if (!pruned) {
                score = prog_ok ? sum_run(&prog, doc, &di) : or_sum(or, doc, &di, 1);
                for (i = 0; i < no; i++)
                    if (opts[i]->doc == doc)
                        score += score_at(opts[i], doc, &di);
                if ((theta = collect(arg, doc, score, &di)) > -HUGE_VAL && upto == NI_NO_DOC - 1)
                    upto = doc;    /* full now: windows with bounds from the next one */
            }
            for (j = 0; j < nat; j++) {
                ni_matcher *t = ess[at[j]];
                if ((rc = next_of(t)) < 0)
                    return rc;
                edoc[at[j]] = t->doc;
            }
            floor = doc + 1;
        }
        if (upto == NI_NO_DOC - 1)
            return 0;
        wmin = upto + 1;
    }
}

/*
 * Block-max AND: the rarest required matcher leads.  Before the others
 * are advanced to its document, the block bounds of the required scorers
 * there are summed (once per window: up to the end of the shortest of
 * those blocks); when they cannot reach theta, the whole window is skipped
 * having read block headers only.  Matches are scored with the optional
 * scorers probed while they can still matter.
 */
static int run_and(ni_matcher **req, size_t nreq, ni_matcher **opts, size_t no,
                   ni_matcher **excl, size_t nexcl, ni_match_ctx *c,
                   ni_collect_fn collect, void *arg)
{
    double opt_bound = 0, bound = 0, theta;
    ni_matcher *lead = req[0], *byb[MAX_SCORERS];
    uint32_t upto = 0;
    int have_window = 0;
    ni_docinfo di;
    size_t k;
    int rc;

    set_lazy(req, nreq);
    set_lazy(opts, no);
    for (k = 0; k < no; k++)
        opt_bound += opts[k]->max_score;
    if (no)
        memcpy(byb, opts, no * sizeof *opts);
    qsort(byb, no, sizeof *byb, cmp_max_score_desc);
    theta = collect(arg, NI_NO_DOC, 0, NULL);
    while (lead->doc != NI_NO_DOC) {
        uint32_t doc = lead->doc;
        double score = 0, b;

        if (!have_window || doc > upto) {
            upto = NI_NO_DOC - 1;
            bound = opt_bound;
            /* no bound matters while the top k is not full */
            for (k = 0; k < nreq && theta > -HUGE_VAL; k++) {
                if ((rc = bound_at(req[k], doc, &upto, &b)) < 0)
                    return rc;
                bound += b;
            }
            have_window = 1;
        }
        if (hopeless(0, bound, theta)) {
            c->windows_skipped++;
            have_window = 0;
            if ((rc = lead->ops->advance(lead, upto + 1)) < 0)
                return rc;
            continue;
        }
        for (k = 1; k < nreq; k++) {
            if ((rc = req[k]->ops->advance(req[k], doc)) < 0)
                return rc;
            if (req[k]->doc != doc)
                break;
        }
        if (k < nreq) {
            if (req[k]->doc == NI_NO_DOC)
                return 0;
            if ((rc = lead->ops->advance(lead, req[k]->doc)) < 0)
                return rc;
            continue;
        }
        for (k = 0; k < nexcl; k++) {
            if ((rc = excl[k]->ops->advance(excl[k], doc)) < 0)
                return rc;
            if (excl[k]->doc == doc)
                break;
        }
        if (k == nexcl) {
            if ((rc = docinfo(c, doc, &di)) < 0)
                return rc;
            if (rc) {
                for (k = 0; k < nreq; k++) {
                    if ((rc = ready(req[k])) < 0)
                        return rc;
                    score += score_at(req[k], doc, &di);
                }
                b = score;
                rc = add_optional(byb, no, doc, &di, theta, &b);
                if (rc < 0)
                    return rc;
                if (rc == 0) {
                    for (k = 0; k < no; k++)
                        if (opts[k]->doc == doc)
                            score += score_at(opts[k], doc, &di);
                    if ((theta = collect(arg, doc, score, &di)) > -HUGE_VAL &&
                        upto == NI_NO_DOC - 1)
                        upto = doc;    /* full now: windows with bounds from the next one */
                }
            }
        }
        if ((rc = next_of(lead)) < 0)
            return rc;
    }
    return 0;
}

int ni_match_maxscore(ni_matcher *root, ni_match_ctx *c, ni_collect_fn collect, void *arg)
{
    ni_matcher *terms[MAX_SCORERS], *or = root, **opts = NULL;
    size_t nt = 0, no = 0, min_match = 1;

    if (root->ops == &term_ops || root->ops == &phrase_ops)
        return run_and(&root, 1, NULL, 0, NULL, 0, c, collect, arg);
    if (root->ops == &and_ops) {
        and_m *a = (and_m *)root;
        if (a->nopt > MAX_SCORERS)
            return NI_ENOTFOUND;
        if (a->nreq != 1 || a->nexcl != 0 || a->req[0]->ops != &or_ops)
            return run_and(a->req, a->nreq, a->opt, a->nopt, a->excl, a->nexcl, c,
                           collect, arg);
        or = a->req[0];
        opts = a->opt;
        no = a->nopt;
    }
    if (or->ops != &or_ops)
        return NI_ENOTFOUND;
    if (((or_m *)or)->min_match > 1) {
        or_m *o = (or_m *)or;
        if (o->n > MAX_SCORERS)
            return NI_ENOTFOUND;
        memcpy(terms, o->kids, o->n * sizeof *terms);
        nt = o->n;
        min_match = o->min_match;
    } else if (flatten_or(or, terms, &nt, MAX_SCORERS) < 0) {
        return NI_ENOTFOUND;
    }
    return run_or(or, terms, nt, min_match, opts, no, c, collect, arg);
}
